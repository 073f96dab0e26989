"""Take the screenshots in docs/screenshots/ on a virtual screen, with the bundled fonts.

    xvfb-run -a -s "-screen 0 1366x768x24" python scripts/screenshots.py [--only word]

Fills temporary databases with the example forms, opens the windows at the size an office
PC gives them (1366×768 less a 40-pixel taskbar: 1366×728) and saves one picture per view.
``--only word``: only the pictures the Word door changed (welcome.png, word-import*.png).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
SCREEN = (1366, 728)  # what QScreen.availableGeometry() gives with a taskbar


def settle(app, seconds: float = 0.6) -> None:
    from PySide6.QtCore import QCoreApplication, QEvent

    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # as the event loop would
        time.sleep(0.02)


def main() -> None:
    tmp = Path(tempfile.mkdtemp())
    os.environ["LIANZHENG_CONFIG"] = str(tmp / "settings.ini")
    from PySide6.QtCore import QRect

    from lianzheng_desktop.exchange.formfile import read_forms_file
    from lianzheng_desktop.store import FormStore, Session
    from lianzheng_desktop.ui.app import create_app
    from lianzheng_desktop.ui.mainwindow import MainWindow

    app = create_app(sys.argv[:1])
    area = QRect(0, 0, *SCREEN)
    OUT.mkdir(parents=True, exist_ok=True)

    def shot(name: str, window=None) -> None:
        settle(app)
        path = OUT / f"{name}.png"
        app.primaryScreen().grabWindow(0, 0, 0, *SCREEN).save(str(path))
        print(path.relative_to(ROOT))

    if "--only" in sys.argv and sys.argv[sys.argv.index("--only") + 1] == "word":
        rare_characters(app)
        welcome(tmp, area, shot)
        word_import(app, tmp, area, shot)
        return
    welcome(tmp, area, shot)

    db = tmp / "demo.db"
    store = FormStore.open(db)
    for path in sorted((ROOT / "tests" / "data" / "examples").glob("*.json")):
        store.save_all(read_forms_file(path).forms)
    window = MainWindow(Session(store, Path(db), None))
    window.setGeometry(area)
    window.show()
    shot("year")  # a later start: what the year holds, the year's check
    ids = {f.kind: f.id for f in store.forms()}
    unit = window.open_form(ids["unit"])
    shot("unit-form")
    post = window.open_form(ids["post"])
    view = post.views["duty"]
    view.setFocus()
    view.go_to(0, 1)
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
    unit.pages.setCurrentIndex(0)
    export_check(window, store, shot)
    window.close()
    workbench(app, tmp, area, shot)


def welcome(tmp: Path, area, shot) -> None:
    """First run: an empty database shows the steps (and the Word door before them)."""
    from lianzheng_desktop.store import FormStore, Session
    from lianzheng_desktop.ui.mainwindow import MainWindow

    empty = FormStore.open(tmp / "empty.db")
    first = MainWindow(Session(empty, tmp / "empty.db", None))
    first.setGeometry(area)
    first.show()
    shot("welcome")
    first.close()


def rare_characters(app) -> None:
    """Characters beyond the bundled UI font (𠮷 in the Word fixtures) from the bundled
    HanaMinB, as a Chinese Windows shows them from SimSun-ExtB."""
    from PySide6.QtGui import QFont, QFontDatabase

    from lianzheng_desktop.paths import resources_dir

    QFontDatabase.addApplicationFont(str(resources_dir() / "fonts" / "HanaMinB.ttf"))
    font = app.font()
    font.setFamilies([font.family(), "HanaMinB"])
    app.setFont(font)
    QFont.insertSubstitution(font.family(), "HanaMinB")


def word_import(app, tmp: Path, area, shot) -> None:
    """导入Word: a folder of last year's Word forms read into a new database; the preview
    with the text left unplaced, placing one piece, and the preview ready to import."""
    import shutil

    from lianzheng_desktop.store import FormStore, Session
    from lianzheng_desktop.ui import ask
    from lianzheng_desktop.ui.mainwindow import MainWindow
    from lianzheng_desktop.ui.word_import import PlaceDialog, WordImportDialog

    folder = tmp / "去年的Word登记表"
    folder.mkdir()
    for name in ("unit-filled.docx", "post-ticks.docx", "post-split.docx", "lo-roundtrip.docx"):
        shutil.copy(ROOT / "tests" / "data" / "docx" / name, folder)
    db = tmp / "word.db"
    store = FormStore.open(db)
    window = MainWindow(Session(store, db, None))
    window.setGeometry(area)
    window.show()
    ask.choose = lambda *a, **k: True  # 按“图书馆”导入 the files that name another unit
    ask.confirm_list = lambda *a, **k: True
    ask.inform_list = lambda *a, **k: None

    def grab(widget, name: str) -> None:
        settle(app)
        path = OUT / f"{name}.png"
        widget.grab().save(str(path))
        print(path.relative_to(ROOT))

    def work(dialog) -> int:
        dialog.setGeometry(area)
        dialog.show()
        shot("word-import")
        wf, _plan = dialog.current()
        dialog.unplaced.setCurrentRow(next(i for i, u in enumerate(wf.unplaced) if u.text.startswith("附：")))
        place = PlaceDialog(dialog, wf, dialog.unplaced.currentRow())
        place.set_target(("remarks",))
        place.show()
        grab(place, "word-import-place")
        place.accept()
        dialog._changed(("remarks",))  # as after 放入: the preview shows where the text went
        shot("word-import-placed")
        dialog.discard_everything()
        shot("word-import-ready")
        dialog.buttons.accepted.emit()
        return dialog.result()

    WordImportDialog.exec = work
    window.import_word(folder=True, paths=[folder])
    window.close()


def export_check(window, store, shot) -> None:
    """导出数据包 refused: a new post form left empty, a level without its point."""
    from lianzheng_desktop.domain.model import Form, RiskPoint
    from lianzheng_desktop.operations.sending import check_export
    from lianzheng_desktop.ui.dialogs import ExportCheckDialog

    post = store.forms(kind="post")[0]
    post.risks.append(RiskPoint("duty", "", 1, None, ""))
    store.save(post)
    store.save(Form(kind="post", year=2026, unit=post.unit, person="王强", post="采购员"))
    check = check_export(store, 2026)
    dialog = ExportCheckDialog(window, check.problems, len(check.forms))
    dialog.show()
    dialog.list.setCurrentRow(1)
    shot("export-check")
    dialog.close()


def workbench(app, tmp: Path, area, shot) -> None:
    """The committee's side: nine of twelve units have reported, one package is incomplete,
    one unit sent an update."""
    from lianzheng_desktop.domain.demo import UNITS, demo_forms
    from lianzheng_desktop.domain.model import Form
    from lianzheng_desktop.exchange.package import build_package, read_package
    from lianzheng_desktop.operations import committee
    from lianzheng_desktop.store import FormStore, Session
    from lianzheng_desktop.store.packages import import_package, set_expected_units
    from lianzheng_desktop.ui.ask import ListDialog
    from lianzheng_desktop.ui.workbench import WorkbenchWindow

    db = tmp / "committee.db"
    store = FormStore.open(db)
    set_expected_units(store, 2026, UNITS[:12])
    for i, unit in enumerate(UNITS[:9]):
        forms = demo_forms(unit, posts=8 + i % 5)
        if i == 4:  # sent by an older program: an empty post form
            forms.append(Form(kind="post", year=2026, unit=unit, person="赵磊", post="仓库管理员"))
        import_package(store, read_package(build_package(forms, now=dt.datetime(2026, 11, 20, tzinfo=dt.UTC))))
    forms = demo_forms(UNITS[2], posts=10)
    for form in forms:
        if form.risks:
            form.risks[0].self_level = 1
    update = tmp / f"2026_{UNITS[2]}_廉政风险防控.lzfk"
    update.write_bytes(build_package(forms, now=dt.datetime(2026, 11, 25, tzinfo=dt.UTC)))
    window = WorkbenchWindow(Session(store, Path(db), None))
    window.setGeometry(area)
    window.show()
    planned = committee.plan_package(store, update)
    question = ListDialog(window, "更新的数据包", planned.head, planned.changes, planned.ASK, question=True)
    question.show()
    shot("update-package")
    question.close()
    done = committee.apply_package(store, planned)
    window.reload()
    window.show_banner(done.message)
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
