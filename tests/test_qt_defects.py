"""PySide6 6.12.0 loses a reference to None on each call of a void method (see
lianzheng_desktop/ui/qt_defects.py); on Python 3.11 the program must still never abort
with "Fatal Python error: none_dealloc", neither while working nor at exit."""

import subprocess
import sys
from pathlib import Path

from lianzheng_desktop.domain.demo import demo_forms
from lianzheng_desktop.exchange.package import build_package, read_package
from lianzheng_desktop.store import FormStore
from lianzheng_desktop.store.packages import import_package

HERE = Path(__file__).parent


def run(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"})


def test_many_void_qt_calls_after_the_ui_is_imported_leave_none_alive():
    # three times as many as None has references in a fresh interpreter, then exit
    result = run("import sys\n"
                 "from PySide6.QtCore import QObject\n"
                 "immortal = sys.version_info >= (3, 12)  # None's count is fixed: nothing to use up\n"
                 "calls = 10_000 if immortal else 3 * sys.getrefcount(None) + 10_000\n"
                 "import lianzheng_desktop.ui\n"
                 "probe = QObject()\n"
                 "for _ in range(calls):\n"
                 "    probe.setObjectName('x')\n"
                 "print('done')\n")
    assert "none_dealloc" not in result.stderr, result.stderr[-2000:]
    assert result.returncode == 0 and "done" in result.stdout


def test_the_workbench_used_for_a_while_exits_cleanly(tmp_path):
    db = tmp_path / "committee.db"
    store = FormStore.open(db)
    for i in range(30):
        import_package(store, read_package(build_package(demo_forms(f"单位{i:02d}", posts=6))))
    store.close()
    result = subprocess.run([sys.executable, str(HERE / "workbench_child.py"), str(db), "60"],
                            capture_output=True, text=True, timeout=300,
                            env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin",
                                 "HOME": str(tmp_path), "LIANZHENG_CONFIG": str(tmp_path / "s.ini")})
    assert "none_dealloc" not in result.stderr, result.stderr[-2000:]
    assert result.returncode == 0 and "used" in result.stdout, result.stderr[-2000:]
