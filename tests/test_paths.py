"""One function finds forms/ and resources/ in a source checkout, an installed wheel and
the PyInstaller bundle; the user's files go to the platform folders."""

import shutil
import subprocess
import sys
from pathlib import Path

import lianzheng_desktop
from lianzheng_desktop.paths import forms_dir, resources_dir

REPO = Path(lianzheng_desktop.__file__).resolve().parent.parent
PROBE = ("from lianzheng_desktop.paths import forms_dir, resources_dir; "
         "print(forms_dir()); print(resources_dir())")


def test_source_checkout():
    assert forms_dir() == REPO / "forms" and resources_dir() == REPO / "resources"


def test_installed_wheel_layout(tmp_path):
    """A wheel carries the data inside the package as _forms/ and _resources/ (pyproject.toml)."""
    site = tmp_path / "site-packages"
    package = site / "lianzheng_desktop"
    shutil.copytree(REPO / "lianzheng_desktop", package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "forms", package / "_forms")
    shutil.copytree(REPO / "resources" / "icons", package / "_resources" / "icons")
    out = subprocess.run([sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(site)!r}); " + PROBE],
                         capture_output=True, text=True, check=True, cwd=tmp_path).stdout.split()
    assert out == [str(package / "_forms"), str(package / "_resources")]


def test_bundle_layout(tmp_path):
    """PyInstaller puts the data folders under sys._MEIPASS."""
    bundle = tmp_path / "_internal"
    (bundle / "forms").mkdir(parents=True)
    (bundle / "resources").mkdir()
    code = f"import sys; sys._MEIPASS = {str(bundle)!r}; sys.path.insert(0, {str(REPO)!r}); " + PROBE
    out = subprocess.run([sys.executable, "-I", "-c", code], capture_output=True, text=True, check=True,
                         cwd=tmp_path).stdout.split()
    assert out == [str(bundle / "forms"), str(bundle / "resources")]


def test_chinese_names_and_spaces_in_paths(tmp_path):
    """Database, exports and PDFs in folders named the way Windows users name them."""
    from lianzheng_desktop.cli import main

    folder = tmp_path / "我的 文档" / "廉政 登记"
    folder.mkdir(parents=True)
    db = folder / "数据 库.db"
    committee = str(folder / "纪委 汇总.db")
    assert main(["keys", "create-committee", "--db", committee]) == 0
    assert main(["settings", "export", "--db", committee, "--year", "2026", "-o", str(folder)]) == 0
    assert main(["settings", "import", "--db", str(db), str(folder / "2026_校纪委报送设置.lzsz")]) == 0
    assert main(["demo", "--db", str(db), "--posts", "2"]) == 0
    assert main(["export", "--db", str(db), "-o", str(folder)]) == 0
    package = folder / "2026_图书馆_廉政风险防控.lzfk"
    assert package.exists()
    assert main(["import", "--db", committee, str(package)]) == 0
    assert main(["blank", "unit", "-o", str(folder / "空白 表.pdf")]) == 0
