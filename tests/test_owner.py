"""The unit owns its forms (issue 11, situation 1): renaming the unit on the unit form, or
from the menu, renames every form of the year — undoably — and the package, its file name
and the paper agree. A committee database, with many units, says so."""

import pytest
from gui_helpers import type_text
from PySide6.QtWidgets import QDialog, QFileDialog

from lianzheng_desktop.domain.demo import demo_forms
from lianzheng_desktop.domain.model import Form
from lianzheng_desktop.exchange.package import read_package
from lianzheng_desktop.operations import sending, units
from lianzheng_desktop.store import FormStore
from lianzheng_desktop.store.packages import set_expected_units
from lianzheng_desktop.store.session import Session
from lianzheng_desktop.ui import dialogs, mainwindow
from lianzheng_desktop.ui.mainwindow import MainWindow


@pytest.fixture
def unit_db(tmp_path):
    from trust import committee_key_in, trust

    path = tmp_path / "unit.db"
    store = FormStore.open(path)
    store.save_all(demo_forms("财务处", posts=2))
    trust(store, committee_key_in(tmp_path / "committee.db"))  # its 报送设置 imported
    store.close()
    return path


@pytest.fixture
def window(qtbot, unit_db):
    store = FormStore.open(unit_db)
    w = MainWindow(Session(store, unit_db, None))
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.close()
    store.close()


def names(store, year=2026):
    return sorted(f.unit for f in store.forms(year=year))


def export(window, tmp_path, monkeypatch):
    """导出数据包 with the check accepted; returns the package and the file name offered."""
    offered = []
    target = tmp_path / "out.lzfk"
    monkeypatch.setattr(dialogs.ExportCheckDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda parent, title, start, *a: offered.append(start)
                        or (str(target), ""))
    monkeypatch.setattr(mainwindow.QMessageBox, "information", lambda *a: None)
    path = window.sending.export_package()
    from trust import committee_key_in

    committee = committee_key_in(tmp_path / "committee.db")  # sealed: only the committee opens it
    return (read_package(path.read_bytes(), [committee]) if path else None), offered


def test_renaming_the_unit_on_the_unit_form_renames_the_year_and_the_package_keeps_every_form(
        qtbot, window, tmp_path, monkeypatch):
    store = window.store
    unit_form = store.forms(kind="unit")[0]
    post = store.forms(kind="post")[0]
    post_editor = window.open_form(post.id)
    editor = window.open_form(unit_form.id)
    field = editor._fields["unit"]
    field.setFocus()
    field.selectAll()
    type_text(field, "计划财务处")
    editor._fields["head"].setFocus()  # the user moves on
    qtbot.waitUntil(lambda: names(store) == ["计划财务处"] * 3, timeout=3000)
    assert post_editor._fields["unit"].text() == "计划财务处" and post_editor._fields["unit"].isReadOnly()
    assert window.windowTitle().startswith("计划财务处 · 2026 年度")

    package, offered = export(window, tmp_path, monkeypatch)
    assert package.unit == "计划财务处" and len(package.forms) == 3  # was: the unit form only
    assert {f.unit for f in package.forms} == {"计划财务处"}
    assert "2026_计划财务处_廉政风险防控.lzfk" in offered[0]

    from pdfcheck import page_texts

    from lianzheng_desktop.render import render_form

    assert "单位：计划财务处" in page_texts(render_form(store.get(post.id)))[0].replace(" ", "")

    window.tabs.setCurrentWidget(editor)
    window.act_undo.trigger()  # one step: the whole year back to the old name
    assert names(store) == ["财务处"] * 3
    assert post_editor.form.unit == "财务处" and field.text() == "财务处"
    window.act_redo.trigger()
    assert names(store) == ["计划财务处"] * 3


def test_renaming_from_the_menu_with_no_form_open_is_undoable(qtbot, window, monkeypatch):
    from PySide6.QtWidgets import QInputDialog

    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("  审计处 ", True))
    assert window.tabs.count() == 0
    window.act_rename_unit.trigger()
    assert names(window.store) == ["审计处"] * 3
    window.act_undo.trigger()
    assert names(window.store) == ["财务处"] * 3


def test_a_post_form_shows_the_unit_and_a_blank_name_is_refused(qtbot, window):
    store = window.store
    editor = window.open_form(store.forms(kind="unit")[0].id)
    field = editor._fields["unit"]
    field.setFocus()
    field.selectAll()
    type_text(field, "")
    field.clear()
    editor._fields["head"].setFocus()
    qtbot.wait(900)
    assert names(store) == ["财务处"] * 3 and field.text() == "财务处"


def test_a_year_with_two_unit_names_is_flagged_refused_and_unified(qtbot, tmp_path, monkeypatch):
    """What the old version left behind: the unit form renamed, the post forms not."""
    path = tmp_path / "mixed.db"
    store = FormStore.open(path)
    forms = demo_forms("财务处", posts=2)
    forms[0].unit = "计划财务处"
    store.save_all(forms)
    check = sending.check_export(store, 2026)
    assert not check.allowed and any("不一致" in p.message for p in check.problems if p.is_error)
    w = MainWindow(Session(store, path, None))
    qtbot.addWidget(w)
    w.show()
    nav = w.navigator
    assert nav.notice.isVisible() and "计划财务处（1 张）" in nav.notice_label.text()
    assert nav.notice_button.text() == "统一为“计划财务处”"
    nav.notice_button.click()
    assert names(store) == ["计划财务处"] * 3 and not nav.notice.isVisible()
    w.close()
    store.close()


def test_a_committee_database_says_so_and_keeps_each_units_name(qtbot, tmp_path):
    path = tmp_path / "committee.db"
    store = FormStore.open(path)
    store.save_all(demo_forms("财务处", posts=1) + demo_forms("图书馆", posts=1))
    set_expected_units(store, 2026, ["财务处", "图书馆"])
    owner = units.owner(store, 2026)
    assert owner.committee and not owner.mixed
    w = MainWindow(Session(store, path, None))
    qtbot.addWidget(w)
    w.show()
    assert w.navigator.notice.isVisible() and "汇总数据库" in w.navigator.notice_label.text()
    editor = w.open_form(store.forms(unit="图书馆", kind="post")[0].id)
    assert not editor._fields["unit"].isReadOnly()  # each form its own unit
    w.close()
    store.close()


def test_a_restored_form_takes_the_units_current_name(tmp_path):
    from lianzheng_desktop.operations import forms as form_ops

    store = FormStore.open(tmp_path / "u.db")
    forms = demo_forms("财务处", posts=2)
    store.save_all(forms)
    form_ops.delete_form(store, forms[2].id)
    units.rename_unit(store, 2026, "计划财务处")
    form_ops.restore_deleted(store, forms[2].id)
    assert names(store) == ["计划财务处"] * 3
    store.close()


def test_new_forms_get_the_units_name(tmp_path):
    store = FormStore.open(tmp_path / "u.db")
    store.save(Form(kind="unit", year=2026, unit="财务处"))
    assert units.unit_of(store, 2026) == "财务处" and units.unit_of(store, 2027) == "财务处"
    store.close()


def test_the_unit_form_editor_is_laid_out_as_the_paper(qtbot, window):
    """The post form's 一岗双责 group is visible: its two duties framed under that name."""
    from PySide6.QtWidgets import QGroupBox

    editor = window.open_form(window.store.forms(kind="post")[0].id)
    groups = [g for g in editor.findChildren(QGroupBox) if g.title() == "一岗双责"]
    assert len(groups) == 1
    inside = groups[0].findChildren(type(editor._fields["post_duties"]))
    assert editor._fields["post_duties"] in inside and editor._fields["integrity_duties"] in inside
    assert editor.year_label.text() == "2026 年度"
