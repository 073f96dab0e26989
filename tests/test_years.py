"""Years that cannot be mixed up, and a read-only window that cannot write (issue 11,
situations 4 and 5), and what the window shows with no form open."""

import datetime as dt

import pytest
from PySide6.QtWidgets import QDialog

from lianzheng_desktop.domain.demo import demo_forms
from lianzheng_desktop.operations import years
from lianzheng_desktop.store import FormStore, StoreError
from lianzheng_desktop.store.session import Session
from lianzheng_desktop.ui import ask, dialogs
from lianzheng_desktop.ui.mainwindow import MainWindow

THIS_YEAR = dt.date.today().year


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "unit.db"
    store = FormStore.open(path)
    store.save_all(demo_forms("财务处", THIS_YEAR, posts=2))
    store.close()
    return path


@pytest.fixture
def window(qtbot, db):
    store = FormStore.open(db)
    w = MainWindow(Session(store, db, None))
    qtbot.addWidget(w)
    w.show()
    yield w
    w.close()
    store.close()


def start_year_dialog(monkeypatch, year, copy=True):
    """The 开始新年度 dialog answered with this year."""
    def exec_(self):
        self.year.setValue(year)
        self.copy.setChecked(copy)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(dialogs.NewYearDialog, "exec", exec_)


def test_a_new_year_is_started_only_in_an_empty_year(qtbot, window, monkeypatch):
    store = window.store
    with pytest.raises(years.YearNotEmpty):  # the operation itself refuses
        years.start_year(store, THIS_YEAR, THIS_YEAR)
    start_year_dialog(monkeypatch, THIS_YEAR)
    asked = []
    monkeypatch.setattr(ask, "choose", lambda parent, title, text, yes, no, *a: asked.append((text, yes)) or True)
    window.act_new_year.trigger()
    assert len(store.forms(year=THIS_YEAR)) == 3  # not 6, no second unit form
    assert "已有 3 张表格" in asked[0][0] and asked[0][1] == f"打开 {THIS_YEAR} 年度"
    assert window.year == THIS_YEAR


def test_a_year_far_from_today_is_asked_about(qtbot, window, monkeypatch):
    far = THIS_YEAR + 36
    start_year_dialog(monkeypatch, far)
    asked = []
    monkeypatch.setattr(ask, "confirm", lambda parent, title, text: asked.append(text) or False)
    window.act_new_year.trigger()
    assert asked and f"{far} 年度离今年" in asked[0]
    assert window.store.forms(year=far) == [] and window.year == THIS_YEAR
    assert years.unusual_year(THIS_YEAR + 1) is None and years.unusual_year(THIS_YEAR - 1) is None


def test_changing_year_closes_the_other_years_tabs_and_the_title_names_the_year(qtbot, window, monkeypatch):
    store = window.store
    start_year_dialog(monkeypatch, THIS_YEAR + 1)
    old = window.open_form(store.forms(year=THIS_YEAR, kind="post")[0].id)
    assert old.year_label.text() == f"{THIS_YEAR} 年度"
    assert window.windowTitle() == f"财务处 · {THIS_YEAR} 年度 — unit.db"  # Qt adds the program's name
    window.act_new_year.trigger()
    assert window.year == THIS_YEAR + 1 and len(store.forms(year=THIS_YEAR + 1)) == 3
    assert window.tabs.count() == 0  # the old year's tab is closed, not left beside the new one
    assert f"{THIS_YEAR + 1} 年度" in window.windowTitle() and "廉政风险防控登记" not in window.windowTitle()
    new = window.open_form(store.forms(year=THIS_YEAR + 1, kind="post")[0].id)
    assert new.year_label.text() == f"{THIS_YEAR + 1} 年度"


def test_a_read_only_window_can_not_start_anything(qtbot, db, monkeypatch):
    store = FormStore.open(db, read_only=True)
    w = MainWindow(Session(store, db, None))
    qtbot.addWidget(w)
    w.show()
    assert not w.navigator.new_year_button.isEnabled()
    for action in w.writing_actions():
        assert not action.isEnabled(), action.text()
    for action in (w.act_new_year, w.act_save, w.act_rename_unit, w.act_duplicate, w.act_delete):
        action.setEnabled(True)  # even if something enabled one, nothing is written and nothing raised
        action.trigger()
    w.new_year()
    editor = w.open_form(store.forms(kind="post")[0].id)
    assert not w.act_delete.isEnabled() and not w.act_duplicate.isEnabled()
    assert editor._fields["person"].isReadOnly()
    history = dialogs.RevisionsDialog(w, store, editor.form.id)
    assert not history.restore_button.isEnabled()
    deleted = dialogs.DeletedFormsDialog(w, store, THIS_YEAR)
    assert not [b for b in deleted.findChildren(type(history.restore_button)) if b.text() == "恢复" and b.isEnabled()]
    with pytest.raises(StoreError):  # and underneath, the store refuses in words
        store.save(editor.form)
    w.close()
    store.close()


def test_with_no_form_open_the_centre_and_the_check_pane_say_something_useful(qtbot, window):
    assert window.center.currentWidget() is window.welcome
    assert window.welcome.hint.isVisible() and "本年度共 3 张表格" in window.welcome.hint.text()
    assert "在左边的列表中点一张表格" in window.welcome.hint.text()
    first = window.check.item(0).text()
    assert first.startswith("没有打开的表格") and "已填写完整" not in first


def test_copy_and_delete_work_on_the_form_selected_in_the_list(qtbot, window, monkeypatch):
    monkeypatch.setattr(ask, "confirm", lambda *a: True)
    nav = window.navigator
    assert not window.act_duplicate.isEnabled()
    nav.list.setCurrentIndex(nav.proxy.index(1, 0))
    assert window.act_duplicate.isEnabled() and window.act_delete.isEnabled()
    window.act_duplicate.trigger()
    assert len(window.store.forms(kind="post")) == 3
    window.close_current_tab()
    nav.list.setCurrentIndex(nav.proxy.index(1, 0))
    window.act_delete.trigger()
    assert len(window.store.forms(kind="post")) == 2


def test_welcome_step_three_leads_to_printing_and_sending(qtbot, tmp_path):
    path = tmp_path / "empty.db"
    store = FormStore.open(path)
    w = MainWindow(Session(store, path, None))
    qtbot.addWidget(w)
    texts = [b.text() for b in w.welcome.buttons]
    assert "打印本年度全部表格" in texts and "导出数据包" in texts
    assert not any("空白" in t for t in texts)
    w.close()
    store.close()


def test_suggested_year():
    assert years.suggested_year([], dt.date(2026, 3, 1)) == 2026
    assert years.suggested_year([2025, 2026], dt.date(2026, 3, 1)) == 2027
