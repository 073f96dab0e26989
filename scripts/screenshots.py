"""Take the screenshots in docs/screenshots/ on a virtual screen, with the bundled fonts.

    xvfb-run -a -s "-screen 0 1366x768x24" python scripts/screenshots.py [--only word|workbench]

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

    only = sys.argv[sys.argv.index("--only") + 1] if "--only" in sys.argv else None
    if only == "word":
        rare_characters(app)
        welcome(tmp, area, shot)
        word_import(app, tmp, area, shot)
        return
    if only == "workbench":  # the committee's pictures
        workbench(app, tmp, area, shot)
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
    desk(app, store, window, tmp, shot)
    window.close()
    year_comparison(tmp, area, shot)
    unit_last_year(tmp, area, shot)


def two_years(store) -> None:
    """2025 and 2026 of eight units as a committee has them: 2026 started from 2025 (the
    points keep their ids), most units changed a few points, two copied theirs unchanged."""
    from lianzheng_desktop.domain.demo import UNITS, demo_forms
    from lianzheng_desktop.domain.model import RiskPoint

    for i, unit in enumerate(UNITS[:8]):
        last = demo_forms(unit, 2025, posts=4 + i % 3)
        store.save_all(last)
        forms = [f.copy() for f in last]
        for f in forms:
            f.id, f.year, f.filled_on = RiskPoint("duty").id, 2026, None
            for r in f.risks:
                r.approved_level = None
        if i % 4 != 3:  # units 3 and 7 copied last year's forms and changed nothing
            forms[0].risks[0].self_level = 1 if forms[0].risks[0].self_level != 1 else 2
            forms[1].risks.append(RiskPoint("external", "供应商、服务商借节日之机赠送礼品、礼金", 2, None,
                                            "签订廉洁协议；收到礼品当日登记上交"))
            if i % 2:
                forms[1].risks.pop(0)
                forms[2].risks[0].measures += "\n每季度由单位纪检委员抽查一次。"
        store.save_all(forms)


def unit_last_year(tmp: Path, area, shot) -> None:
    """The unit's editor with "对照去年" on: 2026 started from 2025, a few things changed."""
    from lianzheng_desktop.domain.demo import demo_forms
    from lianzheng_desktop.domain.model import RiskPoint
    from lianzheng_desktop.operations import years
    from lianzheng_desktop.store import FormStore, Session
    from lianzheng_desktop.ui.mainwindow import MainWindow

    db = tmp / "unit-two-years.db"
    store = FormStore.open(db)
    store.save_all(demo_forms("财务处", 2025, posts=3))
    years.start_year(store, 2026, 2025)
    post = next(f for f in store.forms(year=2026) if f.kind == "post")
    post.post_duties += "负责政府采购合同的归档与履约验收。"
    duty = post.risks_in("duty")
    duty[0].self_level = 1
    duty[1].point = "询价时只向熟悉的供应商询价，比价流于形式。"
    post.risks.append(RiskPoint("duty", "验收时不按合同逐项核对，签字走过场。", 2, None,
                                "验收由两人以上进行并留存记录。"))
    store.save(post)
    window = MainWindow(Session(store, Path(db), None))
    window.setGeometry(area)
    window.show()
    window.load_year(2026)
    editor = window.open_form(post.id)
    editor.last_year_button.click()
    editor._scroll_to(editor.views["process"])
    shot("editor-last-year")
    window.close()


def year_comparison(tmp: Path, area, shot) -> None:
    """The committee's 年度对照 (2026 against 2025) and the counts by 审定/差异."""
    from lianzheng_desktop.domain import level_basis
    from lianzheng_desktop.store import FormStore, Session
    from lianzheng_desktop.ui.workbench import WorkbenchWindow

    db = tmp / "two-years.db"
    store = FormStore.open(db)
    two_years(store)
    window = WorkbenchWindow(Session(store, Path(db), None))
    window.setGeometry(area)
    window.show()
    window.tabs.setCurrentIndex(window.compare_tab)
    view = window.compare_view
    view.units_view.selectRow(1)
    shot("workbench-year-compare")
    window.set_year(2025)  # 2025 carries the committee's 审定
    window.basis_buttons[level_basis.DIFFERS].click()
    window.tabs.setCurrentIndex(2)
    shot("workbench-charts-differs")
    window.close()


def desk(app, store, window, tmp: Path, shot) -> None:
    """The clerk's desk: two units reported after the deadline; the clerk sets the deadline
    in 报送情况, sees who is late, copies the 催报 list, opens 考核 and prints a sheet."""
    import subprocess

    from PySide6.QtCore import QDate

    from lianzheng_desktop.domain.demo import UNITS

    deadline = dt.date.today() - dt.timedelta(days=2)
    early = (deadline - dt.timedelta(days=3)).isoformat() + "T15:10:00+08:00"
    late = (deadline + dt.timedelta(days=1)).isoformat() + "T09:30:00+08:00"
    with store.writing():  # as if received over the last days: two of them after the deadline
        store.db.execute("UPDATE packages SET imported_at = ?", [early])
        store.db.execute("UPDATE packages SET imported_at = ? WHERE unit IN (?, ?)", [late, UNITS[5], UNITS[7]])
    window.tabs.setCurrentIndex(0)
    window.banner.hide()
    window.deadline_edit.setDate(QDate(deadline.year, deadline.month, deadline.day))
    window.deadline_set.click()
    window.report_view.selectRow(9)
    shot("workbench-deadline")
    dialog = window.show_reminders()
    dialog.copy()
    shot("workbench-remind")
    dialog.accept()
    window.show_assessment()
    window.assessment_tab.view.selectRow(5)
    shot("workbench-assessment")
    pdf = tmp / "考核.pdf"
    window.assessment_tab.export(pdf)
    subprocess.run(["pdftoppm", "-r", "80", "-png", "-singlefile", str(pdf), str(OUT / "assessment-sheet")], check=True)
    print("docs/screenshots/assessment-sheet.png")
    bar = window.menuBar()
    bar.setActiveAction(bar.actions()[2])  # 帮助 open, as clicked
    shot("workbench-help-menu")


if __name__ == "__main__":
    if sys.argv[1:] == ["compare"]:  # only the year comparison's pictures
        import os as _os

        from lianzheng_desktop.ui.app import create_app

        _tmp = Path(tempfile.mkdtemp())
        _os.environ["LIANZHENG_CONFIG"] = str(_tmp / "settings.ini")
        _app = create_app(sys.argv[:1])

        def _shot(name: str) -> None:
            settle(_app)
            path = OUT / f"{name}.png"
            _app.primaryScreen().grabWindow(0, 0, 0, *SCREEN).save(str(path))
            print(path.relative_to(ROOT))

        from PySide6.QtCore import QRect

        year_comparison(_tmp, QRect(0, 0, *SCREEN), _shot)
        unit_last_year(_tmp, QRect(0, 0, *SCREEN), _shot)
    else:
        main()
