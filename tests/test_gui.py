"""The desktop editor driven through its real widgets (offscreen), checked against the database."""

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QComboBox

from lianzheng_desktop.domain.codec import form_from_json
from lianzheng_desktop.store import FormStore
from lianzheng_desktop.store.session import Session
from lianzheng_desktop.ui import ask, mainwindow
from lianzheng_desktop.ui.dialogs import NewFormDialog, proposed_level
from lianzheng_desktop.ui.mainwindow import MainWindow
from lianzheng_desktop.ui.risk_model import APPROVED, MEASURES, POINT, SELF
from lianzheng_desktop.ui.risk_table import CellEditor


@pytest.fixture
def db(tmp_path, examples):
    path = tmp_path / "gui.db"
    store = FormStore.open(path)
    store.save(form_from_json(examples[1])[0])  # the library's unit form: the unit is known
    store.close()
    return path


@pytest.fixture
def store(db):
    s = FormStore.open(db)
    yield s
    s.close()


@pytest.fixture
def window(qtbot, store, db):
    w = MainWindow(Session(store, Path(db), None))
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


def type_text(widget, text):
    """Type as a Chinese input method does: the composed text is committed to the widget."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def stored(store, form_id):
    return store.get(form_id)


def wait_saved(qtbot, store, form_id, check):
    qtbot.waitUntil(lambda: check(stored(store, form_id)), timeout=4000)


def fill_new_post_dialog(person, post):
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, NewFormDialog)
    type_text(dialog.edits["person"], person)
    type_text(dialog.edits["post"], post)
    QTest.keyClick(dialog.edits["post"], Qt.Key.Key_Return)


def open_editor(view, kind=CellEditor):
    """The in-place editor the view has open."""
    editors = [w for w in view.findChildren(kind) if w.isVisible()]
    assert len(editors) == 1, editors
    return editors[0]


def type_into_cell(qtbot, view, row, column, text):
    view.edit_cell(row, column)
    editor = open_editor(view)
    editor.selectAll()
    type_text(editor, text)
    QTest.keyClick(editor, Qt.Key.Key_Return)


def test_secretary_fills_a_post_form(qtbot, window, store):
    # create a post form through the menu action and its dialog
    QTimer.singleShot(0, lambda: fill_new_post_dialog("林晓", "采编部主任"))
    window.act_new["post"].trigger()
    editor = window.current_editor()
    form_id = editor.form.id
    assert stored(store, form_id).person == "林晓" and stored(store, form_id).post == "采编部主任"

    # header field and a multi-line duty text, typed
    type_text(editor._fields["post_duties"], "负责文献采访计划")
    wait_saved(qtbot, store, form_id, lambda f: f.post_duties == "负责文献采访计划")
    assert window.save_label.text().startswith("已保存")

    # a cell: add a row in 岗位职责风险 and type point and measures (Alt+Enter = line break)
    duty = editor.views["duty"]
    editor.add_row("duty")
    cell = open_editor(duty)
    type_text(cell, "验收把关不严")
    QTest.keyClick(cell, Qt.Key.Key_Return, Qt.KeyboardModifier.AltModifier)
    type_text(cell, "到馆图书不符")
    QTest.keyClick(cell, Qt.Key.Key_Return)
    type_into_cell(qtbot, duty, 0, MEASURES, "三人验收")
    wait_saved(qtbot, store, form_id, lambda f: [(r.point, r.measures) for r in f.risks]
               == [("验收把关不严\n到馆图书不符", "三人验收")])

    # a reference point by keyboard: focus the pick-list, go down, Enter, Enter
    duty.setFocus()
    duty.setCurrentIndex(duty.model().index(0, POINT))
    window.reference.points.setFocus()
    QTest.keyClick(window.reference.points, Qt.Key.Key_Down)
    QTest.keyClick(window.reference.points, Qt.Key.Key_Return)
    picked = open_editor(duty)
    assert picked.textCursor().selectedText() == "工作失职渎职、不作为"
    QTest.keyClick(picked, Qt.Key.Key_Return)
    wait_saved(qtbot, store, form_id, lambda f: [r.point for r in f.risks_in("duty")]
               == ["验收把关不严\n到馆图书不符", "工作失职渎职、不作为"])

    # levels through the combo box editor
    duty.setFocus()
    duty.edit_cell(0, SELF)
    combo = open_editor(duty, QComboBox)
    QTest.keyClick(combo, Qt.Key.Key_Down)
    QTest.keyClick(combo, Qt.Key.Key_Down)
    QTest.keyClick(combo, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not [w for w in duty.findChildren(QComboBox) if w.isVisible()])
    duty.edit_cell(0, APPROVED)
    combo = open_editor(duty, QComboBox)
    QTest.keyClick(combo, Qt.Key.Key_Down)
    QTest.keyClick(combo, Qt.Key.Key_Return)
    wait_saved(qtbot, store, form_id, lambda f: (f.risks_in("duty")[0].self_level,
                                                  f.risks_in("duty")[0].approved_level) == (2, 1))
    assert duty.model().risk(0).levels_differ  # marked for the reviewer
    assert duty.model().data(duty.model().index(0, APPROVED), Qt.ItemDataRole.BackgroundRole) is not None

    # paste two rows from Excel (tab-separated, one quoted multi-line cell)
    QApplication.clipboard().setText('订购清单一人决定\t三级\t\t"双人复核\n留痕"\r\n赠书处置不透明\t二级\t二级\t公示\r\n')
    process = editor.views["process"]
    process.setFocus()
    QTest.keyClick(process, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    wait_saved(qtbot, store, form_id, lambda f: [(r.point, r.self_level, r.measures) for r in f.risks_in("process")]
               == [("订购清单一人决定", 3, "双人复核\n留痕"), ("赠书处置不透明", 2, "公示")])

    # reorder: the second pasted row up (Alt+Up)
    process.setCurrentIndex(process.model().index(1, POINT))
    window.act_row_up.trigger()
    wait_saved(qtbot, store, form_id, lambda f: [r.point for r in f.risks_in("process")]
               == ["赠书处置不透明", "订购清单一人决定"])

    # undo three steps (move, paste, approved level), checking the database each time
    expectations = [
        lambda f: [r.point for r in f.risks_in("process")] == ["订购清单一人决定", "赠书处置不透明"],
        lambda f: f.risks_in("process") == [],
        lambda f: f.risks_in("duty")[0].approved_level is None and f.risks_in("duty")[0].self_level == 2,
    ]
    for check in expectations:
        window.act_undo.trigger()
        wait_saved(qtbot, store, form_id, check)
    for check in [lambda f: f.risks_in("duty")[0].approved_level == 1,
                  lambda f: len(f.risks_in("process")) == 2,
                  lambda f: f.risks_in("process")[0].point == "赠书处置不透明"]:
        window.act_redo.trigger()
        wait_saved(qtbot, store, form_id, check)

    # close the window and open a new one: everything is there
    expected = json.dumps(editor.form.__dict__, default=str, sort_keys=True)
    window.close()
    again = MainWindow(Session(store, Path(window.db_path), None))
    qtbot.addWidget(again)
    reopened = again.open_form(form_id)
    assert json.dumps(reopened.form.__dict__, default=str, sort_keys=True) == expected
    assert [e.title for e in again.navigator.model.entries][1] == "林晓 — 采编部主任"


def test_undo_covers_typing_in_a_field(qtbot, window, store, examples):
    editor = window.open_form(examples[1]["id"])
    field = editor._fields["head"]
    field.setFocus()
    type_text(field, "同志")
    assert editor.form.head == "周文渊同志"
    window.act_undo.trigger()  # one burst of typing is one step
    assert editor.form.head == "周文渊" and field.text() == "周文渊"
    window.act_redo.trigger()
    assert field.text() == "周文渊同志"
    wait_saved(qtbot, store, editor.form.id, lambda f: f.head == "周文渊同志")


def test_an_open_form_is_focused_not_opened_twice_and_ctrl_w_closes(qtbot, window, examples):
    first = window.open_form(examples[1]["id"])
    assert window.open_form(examples[1]["id"]) is first and window.tabs.count() == 1
    window.act_close_tab.trigger()
    assert window.tabs.count() == 0


def test_delete_asks_and_can_be_recovered(qtbot, window, store, examples, monkeypatch):
    monkeypatch.setattr(ask, "confirm", lambda *a: True)
    window.open_form(examples[1]["id"])
    window.act_delete.trigger()
    assert store.get(examples[1]["id"]) is None and window.tabs.count() == 0
    store.undelete(examples[1]["id"])
    window.reload_navigator()
    assert window.navigator.model.entries[0].id == examples[1]["id"]


def test_check_panel_lists_problems_and_jumps_to_the_field(qtbot, window, examples):
    editor = window.open_form(examples[1]["id"])
    assert window.check.item(0).text() == "已填写完整，没有发现问题"
    editor.date_set.setChecked(False)  # the date is now missing: a warning appears as it changes
    label = "还没有填表日期"

    def entry():
        items = [window.check.item(i) for i in range(window.check.count())]
        return next((i for i in items if label in i.text()), None)

    qtbot.waitUntil(lambda: entry() is not None)
    editor.views["thought"].setFocus()
    window.check.itemClicked.emit(entry())
    assert editor.date_set.hasFocus()  # the date is off: its “已填写” box is where to start


def test_check_panel_shows_a_vague_measure_as_it_is_typed(qtbot, window, examples):
    """The quality rules run live on the open form: a measure that only says 加强学习 gets a
    warning saying what to write, and the warning leads to the cell."""
    editor = window.open_form(examples[1]["id"])
    duty = editor.views["duty"]
    type_into_cell(qtbot, duty, 0, MEASURES, "加强学习，提高认识")

    def entry():
        items = [window.check.item(i) for i in range(window.check.count())]
        return next((i for i in items if "太笼统" in i.text()), None)

    qtbot.waitUntil(lambda: entry() is not None, timeout=4000)
    assert "请写清由谁负责" in entry().text()
    window.check.itemClicked.emit(entry())
    assert duty.currentIndex().row() == 0 and duty.currentIndex().column() == MEASURES


def test_preview_has_as_many_pages_as_the_command_line_render(qtbot, window, store, examples, tmp_path):
    from pdfcheck import page_texts

    from lianzheng_desktop.cli import main

    # the library's unit form with four times its points: more than one page even in 小五
    obj = dict(examples[1], risks=examples[1]["risks"] * 4)
    store.save(form_from_json(obj)[0])
    source = tmp_path / "unit.json"
    source.write_text(json.dumps(obj, ensure_ascii=False), encoding="utf-8")
    main(["render", str(source), "-o", str(tmp_path / "unit.pdf")])
    expected = len(page_texts((tmp_path / "unit.pdf").read_bytes()))
    editor = window.open_form(obj["id"])
    window.act_preview.trigger()
    assert editor.preview.page_count() == expected >= 2
    assert f"共 {expected} 页" in editor.preview.pages_label.text()


def test_level_wizard_takes_the_more_serious_answer():
    assert proposed_level(3, 1) == 1
    assert proposed_level(2, None) == 2
    assert proposed_level(None, None) is None


def test_first_run_shows_the_three_steps(qtbot, tmp_path):
    path = tmp_path / "empty.db"
    store = FormStore.open(path)
    w = MainWindow(Session(store, Path(path), None))
    qtbot.addWidget(w)
    assert w.center.currentWidget() is w.welcome
    store.close()


def test_new_year_copies_forms_as_drafts(store, examples):
    from lianzheng_desktop.operations.years import copy_year

    copied = copy_year(store, 2026, 2027)
    assert copied == 1
    draft = store.forms(year=2027)[0]
    assert draft.id != examples[1]["id"] and draft.filled_on is None
    assert [r.point for r in draft.risks] == [r["point"] for r in examples[1]["risks"]]
    assert all(r.approved_level is None for r in draft.risks)


def test_window_layout_and_year_are_remembered(qtbot, store, db):
    from lianzheng_desktop.ui import settings as keys

    first = MainWindow(Session(store, Path(db), None))
    qtbot.addWidget(first)
    first.show()
    first.resize(780, 560)  # within the offscreen screen (800×800), so restoring is exact
    qtbot.waitUntil(lambda: first.width() == 780)
    total = sum(first.splitter.sizes())
    first.splitter.setSizes([first.navigator.minimumSizeHint().width() + 5, total])
    sizes = first.splitter.sizes()
    assert sizes[0] != 260  # not the default
    first.load_year(2025)
    first.close()
    assert keys.settings().value(keys.GEOMETRY) is not None
    second = MainWindow(Session(store, Path(db), None))
    qtbot.addWidget(second)
    second.show()
    assert second.year == 2025 and second.width() == 780 and second.splitter.sizes() == sizes


def test_drag_a_row_to_reorder_and_drop_a_reference_point(qtbot, window, store, examples):
    from PySide6.QtCore import QModelIndex

    from lianzheng_desktop.ui.reference_panel import CODE
    from lianzheng_desktop.ui.risk_model import REFERENCE_MIME

    editor = window.open_form(examples[1]["id"])
    model = editor.models["duty"]
    model.insert(1, [type(model.risk(0))("duty", "第二行")])
    mime = model.mimeData([model.index(1, POINT)])  # drag row 2 …
    model.dropMimeData(mime, Qt.DropAction.MoveAction, 0, 0, QModelIndex())  # … above row 1
    assert [r.point for r in model.risks()][0] == "第二行"
    item = window.reference.points.item(0)
    mime = window.reference.points.mimeData([item])
    assert bytes(mime.data(REFERENCE_MIME)).decode() == item.data(CODE)
    window.reference.show_category("duty")
    mime = window.reference.points.mimeData([window.reference.points.item(1)])
    model.dropMimeData(mime, Qt.DropAction.CopyAction, 2, 0, QModelIndex())
    assert model.risk(2).point == "工作失职渎职、不作为"
    editor.save_now()
    assert [r.point for r in store.get(examples[1]["id"]).risks_in("duty")][0] == "第二行"


def test_printing_sends_every_pdf_page_to_the_printer(qtbot, tmp_path, examples):
    from pdfcheck import page_texts
    from PySide6.QtPrintSupport import QPrinter

    from lianzheng_desktop.render import render_form
    from lianzheng_desktop.ui.printing import PdfBytes, paint_pages

    # the library's unit form with four times its points: more than one page even in 小五
    data = render_form(form_from_json(dict(examples[1], risks=examples[1]["risks"] * 4))[0])
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    printer.setFullPage(True)
    pdf = PdfBytes(data)
    paint_pages(printer, pdf, pdf.page_count())
    assert len(page_texts((tmp_path / "printed.pdf").read_bytes())) == pdf.page_count() >= 2


def test_history_restores_an_earlier_revision(qtbot, window, store, examples, monkeypatch):
    from lianzheng_desktop.ui.dialogs import RevisionsDialog

    editor = window.open_form(examples[1]["id"])
    editor.edit_field("head", "新负责人")
    editor.save_now()
    dialog = RevisionsDialog(window, store, examples[1]["id"])
    dialog.list.setCurrentRow(1)  # the older revision
    dialog._restore()
    assert dialog.restored and store.get(examples[1]["id"]).head == "周文渊"
    window.reopen(examples[1]["id"])
    assert window.current_editor().form.head == "周文渊"
    assert len(store.revisions(examples[1]["id"])) == 3


def test_a_failing_save_is_loud_keeps_the_edits_and_retries(qtbot, window, store, examples, monkeypatch):
    """Disk full, read-only folder or a locked file: simulated by a write that fails."""
    import sqlite3

    from lianzheng_desktop.ui import form_editor

    monkeypatch.setattr(form_editor, "RETRY_MS", 200)
    editor = window.open_form(examples[1]["id"])
    real_save = store._save
    failing = {"on": True}

    def save(form, note="", **kwargs):
        if failing["on"]:  # what SQLite raises when the disk is full
            exc = sqlite3.OperationalError("database or disk is full")
            exc.sqlite_errorcode = sqlite3.SQLITE_FULL
            raise exc
        return real_save(form, note, **kwargs)

    monkeypatch.setattr(store, "_save", save)
    type_text(editor._fields["head"], "（磁盘满时输入）")
    qtbot.waitUntil(lambda: window.save_label.text() == "未保存！", timeout=3000)
    assert window.save_warning.isVisible() and "磁盘已满" in window.save_warning.text()
    assert editor.dirty and "（磁盘满时输入）" in editor.form.head
    failing["on"] = False  # space is back
    qtbot.waitUntil(lambda: "（磁盘满时输入）" in store.get(examples[1]["id"]).head, timeout=3000)
    assert window.save_label.text().startswith("已保存") and not editor.dirty


def test_read_only_folder_mid_session(qtbot, tmp_path, examples):
    """The database's folder becomes read-only while the program runs (as root, where
    permissions do not bind, the database itself is switched to query-only instead)."""
    import os
    import stat

    folder = tmp_path / "share"
    folder.mkdir()
    db = folder / "lz.db"
    store = FormStore.open(db)
    store.save(form_from_json(examples[1])[0])
    w = MainWindow(Session(store, Path(db), None))
    qtbot.addWidget(w)
    editor = w.open_form(examples[1]["id"])
    as_root = os.geteuid() == 0
    if as_root:
        store.db.execute("PRAGMA query_only = ON")
    else:
        os.chmod(db, stat.S_IRUSR)
        os.chmod(folder, stat.S_IRUSR | stat.S_IXUSR)
    try:
        type_text(editor._fields["head"], "只读时输入")
        qtbot.waitUntil(lambda: w.save_label.text() == "未保存！", timeout=3000)
        assert "只读时输入" in editor.form.head
    finally:
        if as_root:
            store.db.execute("PRAGMA query_only = OFF")
        else:
            os.chmod(folder, stat.S_IRWXU)
            os.chmod(db, stat.S_IRUSR | stat.S_IWUSR)
    assert editor.save_now()
    assert "只读时输入" in FormStore.open(db).get(examples[1]["id"]).head
    store.close()


def test_backup_dialog_restores_and_keeps_the_current_file(qtbot, window, store, examples, monkeypatch):
    from lianzheng_desktop.store.backup import list_backups
    from lianzheng_desktop.ui.dialogs import BackupDialog
    window.session.backup()
    editor = window.open_form(examples[1]["id"])
    editor.edit_field("head", "备份之后改的")
    editor.save_now()
    monkeypatch.setattr(ask, "confirm", lambda *a: True)
    monkeypatch.setattr(mainwindow.QMessageBox, "information", lambda *a: None)
    import lianzheng_desktop.ui.dialogs as dialogs
    monkeypatch.setattr(dialogs.QMessageBox, "information", lambda *a: None)
    dialog = BackupDialog(window)
    assert dialog.list.count() == len(list_backups(window.db_path)) == 1
    dialog.restore()
    assert store.get(examples[1]["id"]).head == "周文渊"
    kept = list(window.db_path.parent.glob("gui.db.before-restore-*"))
    assert kept and kept[0].stat().st_size > 0


def test_help_shows_the_user_guide_with_its_pictures(qtbot, window):
    window.act_help.trigger()
    browser = window.help_dialog.browser
    text = browser.toPlainText()
    assert "使用说明" in text and "备份与恢复" in text and "导出并报送数据包" in text
    html = browser.toHtml()
    assert "screenshots/unit-form.png" in html
    image = browser.document().resource(browser.document().ResourceType.ImageResource,
                                        "screenshots/unit-form.png")
    assert image is not None and not image.isNull()


def test_about_names_version_fonts_and_licences(window):
    from lianzheng_desktop import __version__
    from lianzheng_desktop.ui.dialogs import about_html

    html = about_html(__version__, window.db_path)
    assert __version__ in html and "Arphic Public License" in html and "LGPL-3.0" in html


def test_qt_standard_buttons_read_chinese(qtbot):
    from PySide6.QtWidgets import QDialogButtonBox

    from lianzheng_desktop.ui.app import install_translations

    install_translations(QApplication.instance())
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    qtbot.addWidget(box)
    texts = {b.text().replace("&", "") for b in box.buttons()}
    assert any("确定" in t for t in texts) and any("取消" in t for t in texts), texts


def test_closing_a_tab_while_a_cell_is_being_edited_keeps_the_text(qtbot, window, store, examples):
    editor = window.open_form(examples[1]["id"])
    editor.add_row("duty")
    type_text(open_editor(editor.views["duty"]), "未按回车的风险点")
    window.act_close_tab.trigger()
    assert "未按回车的风险点" in [r.point for r in store.get(examples[1]["id"]).risks_in("duty")]


def test_a_tab_whose_save_failed_is_not_closed_silently(qtbot, window, store, examples, monkeypatch):
    from lianzheng_desktop.store.errors import DatabaseBusy

    editor = window.open_form(examples[1]["id"])
    monkeypatch.setattr(store, "save", lambda *a, **k: (_ for _ in ()).throw(DatabaseBusy("数据库正被另一个程序使用")))
    asked = []
    monkeypatch.setattr(ask, "confirm", lambda *a: asked.append(a[2]) or False)
    type_text(editor._fields["head"], "（锁定时输入）")
    window.act_close_tab.trigger()
    assert asked and window.tabs.count() == 1 and "（锁定时输入）" in editor.form.head
