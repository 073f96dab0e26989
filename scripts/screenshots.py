"""Take the screenshots in docs/screenshots/ on a virtual screen, with the bundled fonts.

    xvfb-run -a -s "-screen 0 1366x768x24" python scripts/screenshots.py

Fills a temporary database with the example forms, opens the main window at 1366×768
(the smallest screen the program is made for) and saves one picture per view.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"


def settle(app, seconds: float = 0.6) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)


def main() -> None:
    tmp = Path(tempfile.mkdtemp())
    os.environ["LIANZHENG_CONFIG"] = str(tmp / "settings.ini")
    from lianzheng_desktop.exchange.formfile import read_forms_file
    from lianzheng_desktop.store import FormStore, Session
    from lianzheng_desktop.ui.app import create_app
    from lianzheng_desktop.ui.mainwindow import MainWindow

    db = tmp / "demo.db"
    store = FormStore.open(db)
    for path in sorted((ROOT / "tests" / "data" / "examples").glob("*.json")):
        store.save_all(read_forms_file(path).forms)
    app = create_app(sys.argv[:1])
    window = MainWindow(Session(store, Path(db), None))
    window.setGeometry(app.primaryScreen().availableGeometry())
    window.show()
    settle(app)
    OUT.mkdir(parents=True, exist_ok=True)

    def shot(name: str) -> None:
        settle(app)
        path = OUT / f"{name}.png"
        app.primaryScreen().grabWindow(0).save(str(path))
        print(path.relative_to(ROOT))

    window.center.setCurrentWidget(window.welcome)
    shot("welcome")
    ids = {f.kind: f.id for f in store.forms()}
    unit = window.open_form(ids["unit"])
    shot("unit-form")
    post = window.open_form(ids["post"])
    view = post.views["duty"]
    view.setFocus()
    view.setCurrentIndex(view.model().index(0, 1))
    post._focus_category("duty")
    window.reference.points.setCurrentRow(2)
    shot("post-form")
    # the pick-list in use: a point inserted from Attachment 1, open for making it concrete
    post.insert_reference("duty-05")
    shot("picklist")
    post.undo_stack.undo()
    window.tabs.setCurrentWidget(unit)
    window.printing.preview()
    shot("preview")
    post.undo_stack.clear()
    window.close()
    workbench(app, tmp, shot)


def workbench(app, tmp: Path, shot) -> None:
    """The committee's side: nine of twelve units have reported."""
    from lianzheng_desktop.domain.demo import UNITS, demo_forms
    from lianzheng_desktop.exchange.package import build_package, read_package
    from lianzheng_desktop.store import FormStore, Session
    from lianzheng_desktop.store.packages import import_package, set_expected_units
    from lianzheng_desktop.ui.workbench import WorkbenchWindow

    db = tmp / "committee.db"
    store = FormStore.open(db)
    set_expected_units(store, 2026, UNITS[:12])
    for i, unit in enumerate(UNITS[:9]):
        import_package(store, read_package(build_package(demo_forms(unit, posts=8 + i % 5))))
    forms = demo_forms(UNITS[2], posts=10)
    forms[1].risks[0].self_level = 1
    import_package(store, read_package(build_package(forms)))  # 后勤管理处 sent an update
    window = WorkbenchWindow(Session(store, Path(db), None))
    window.setGeometry(app.primaryScreen().availableGeometry())
    window.show()
    shot("workbench-report")
    window.tabs.setCurrentIndex(1)
    window.filters["self_level"].setCurrentIndex(window.filters["self_level"].findData(1))
    window.filters["category"].setCurrentIndex(window.filters["category"].findData("duty"))
    shot("workbench-summary")
    window.tabs.setCurrentIndex(2)
    shot("workbench-charts")
    window.close()


if __name__ == "__main__":
    main()
