"""The risk tables behave like WPS/Excel (issue 11, situations 2 and 7, and the keyboard
habits): text in an open cell is saved within a second, paste understands real tables and
fills a selected cell, and Enter, Tab, Delete, Ctrl+Z, 1/2/3 and Ctrl+S do what a
spreadsheet user expects."""

import pytest
from gui_helpers import cell_texts, key, open_editor, select_cell, type_text
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QComboBox

from lianzheng_desktop.domain.demo import demo_forms
from lianzheng_desktop.domain.model import RiskPoint
from lianzheng_desktop.store import FormStore
from lianzheng_desktop.store.session import Session
from lianzheng_desktop.ui.mainwindow import MainWindow
from lianzheng_desktop.ui.risk_model import APPROVED, MEASURES, POINT, SELF


@pytest.fixture
def window(qtbot, tmp_path):
    path = tmp_path / "unit.db"
    store = FormStore.open(path)
    forms = demo_forms("财务处", posts=1)
    forms[1].risks = [RiskPoint("duty", "报销审核不严", 2, None, "双人审核"),
                      RiskPoint("duty", "验收把关不严", 3, None, "三人验收")]
    store.save_all(forms)
    w = MainWindow(Session(store, path, None))
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.close()
    store.close()


@pytest.fixture
def post(window):
    return window.open_form(window.store.forms(kind="post")[0].id)


def stored_duty(window, post):
    return [(r.point, r.self_level, r.approved_level, r.measures)
            for r in window.store.get(post.form.id).risks_in("duty")]


# -- situation 2: every keystroke durable within a second ---------------------------------


def test_text_typed_in_an_open_cell_is_saved_within_a_second_and_the_cell_stays_open(qtbot, window, post):
    view = post.views["duty"]
    view.setFocus()
    select_cell(view, 0, POINT)
    key(view, Qt.Key.Key_F2)
    cell = open_editor(view)
    cell.moveCursor(cell.textCursor().MoveOperation.End)
    type_text(cell, "，单据不全也报销")
    qtbot.waitUntil(lambda: stored_duty(window, post)[0][0] == "报销审核不严，单据不全也报销", timeout=1200)
    assert open_editor(view) is cell and cell.hasFocus()  # not closed, caret kept
    type_text(cell, "！")  # typing goes on after the save: nothing selected, nothing replaced
    assert cell.toPlainText() == "报销审核不严，单据不全也报销！"
    qtbot.waitUntil(lambda: stored_duty(window, post)[0][0].endswith("！"), timeout=1200)
    key(cell, Qt.Key.Key_Return)
    # Undo goes back in steps of about a second: each autosave marks the undo stack clean,
    # and Qt never merges into the clean step (accepted: see ui/commands.py).
    for _ in range(2):
        post.undo_stack.undo()
        if post.models["duty"].risk(0).point == "报销审核不严":
            break
    assert post.models["duty"].risk(0).point == "报销审核不严"


def test_ctrl_z_inside_an_open_cell_undoes_typing_in_it(qtbot, window, post):
    view = post.views["duty"]
    view.setFocus()
    select_cell(view, 1, MEASURES)
    key(view, Qt.Key.Key_F2)
    cell = open_editor(view)
    cell.moveCursor(cell.textCursor().MoveOperation.End)
    type_text(cell, "并留痕")
    QTest.keyClick(cell, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert cell.toPlainText() == "三人验收" and open_editor(view) is cell
    assert post.models["duty"].risk(0).point == "报销审核不严"  # the form's undo stack was not used


# -- situation 7: paste that understands real tables ---------------------------------------


FORM_ROWS = ("风险类别\t具体风险点\t风险等级\t\t防控措施\r\n\t\t自评\t审定\t\r\n"
             "岗位职责风险\t1.合同签订把关不严\t二级\t\t法务审核\r\n"
             "工作流程风险\t1.付款审批一人决定\t一级\t二级\t双人审批\r\n")


def test_rows_copied_from_a_form_go_to_their_categories_in_their_columns(qtbot, window, post):
    QApplication.clipboard().setText(FORM_ROWS)
    view = post.views["duty"]
    view.setFocus()
    select_cell(view, 0, POINT)
    view.clearSelection()
    view.selectionModel().select(view.currentIndex(), view.selectionModel().SelectionFlag.Select)
    QApplication.clipboard().setText(FORM_ROWS)
    post.paste_rows("duty", FORM_ROWS + "\t")  # the same rows with a ragged last line, as WPS gives
    duty, process = post.models["duty"].risks(), post.models["process"].risks()
    assert [(r.point, r.self_level, r.approved_level, r.measures) for r in duty][1] == \
        ("合同签订把关不严", 2, None, "法务审核")
    assert [(r.point, r.self_level, r.approved_level, r.measures) for r in process] == \
        [("付款审批一人决定", 1, 2, "双人审批")]
    post.undo_stack.undo()  # one paste, one step
    assert len(post.models["duty"].risks()) == 2 and not post.models["process"].risks()


def test_ctrl_v_on_one_selected_cell_fills_that_cell(qtbot, window, post):
    view = post.views["duty"]
    view.setFocus()
    select_cell(view, 1, MEASURES)
    QApplication.clipboard().setText('"三人验收\n签字后付款"\r\n')  # one Excel cell with a line break
    QTest.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert cell_texts(view.model(), MEASURES) == ["双人审核", "三人验收\n签字后付款"]
    assert view.model().rowCount() == 2  # no new row
    select_cell(view, 0, SELF)
    QApplication.clipboard().setText("Ⅰ")
    QTest.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert view.model().risk(0).self_level == 1
    # a block of two level cells fills two cells down, as a spreadsheet does
    select_cell(view, 0, APPROVED)
    QApplication.clipboard().setText("二级\r\n三级\r\n")
    QTest.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert [view.model().risk(r).approved_level for r in range(2)] == [2, 3]
    qtbot.waitUntil(lambda: stored_duty(window, post) == [("报销审核不严", 1, 2, "双人审核"),
                                                          ("验收把关不严", 3, 3, "三人验收\n签字后付款")],
                    timeout=2000)


# -- keyboard habits ---------------------------------------------------------------------


def test_enter_confirms_and_moves_down_and_delete_clears_the_selection(qtbot, window, post):
    view = post.views["duty"]
    view.setFocus()
    select_cell(view, 0, POINT)
    key(view, Qt.Key.Key_F2)
    key(open_editor(view), Qt.Key.Key_Return)
    assert view.currentIndex().row() == 1 and view.currentIndex().column() == POINT
    key(view, Qt.Key.Key_Return)
    assert view.currentIndex().row() == 1  # the last row stays
    view.selectRow(1)
    key(view, Qt.Key.Key_Delete)
    assert view.model().risk(1).is_blank and view.model().rowCount() == 2
    window.act_undo.trigger()  # one step
    assert view.model().risk(1).point == "验收把关不严" and view.model().risk(1).self_level == 3


def test_digits_in_a_level_cell_set_the_level(qtbot, window, post):
    view = post.views["duty"]
    view.setFocus()
    select_cell(view, 1, SELF)
    key(view, Qt.Key.Key_1)
    assert view.model().risk(1).self_level == 1
    select_cell(view, 1, APPROVED)
    key(view, Qt.Key.Key_F2)
    key(open_editor(view, QComboBox), Qt.Key.Key_2)  # in the open picker too
    assert view.model().risk(1).approved_level == 2
    qtbot.waitUntil(lambda: [c for c in view.findChildren(QComboBox) if c.isVisible()] == [])


def test_tab_walks_the_cells_adds_a_row_at_the_end_and_then_leaves_for_the_next_category(qtbot, window, post):
    view, process = post.views["duty"], post.views["process"]
    view.setFocus()
    select_cell(view, 1, APPROVED)
    key(view, Qt.Key.Key_Tab)
    assert (view.currentIndex().row(), view.currentIndex().column()) == (1, MEASURES)
    key(view, Qt.Key.Key_Tab)  # in the last cell: a new row, as Word does
    assert view.model().rowCount() == 3
    cell = open_editor(view)
    assert view.currentIndex().row() == 2 and view.currentIndex().column() == POINT
    key(cell, Qt.Key.Key_Escape)
    select_cell(view, 2, MEASURES)
    key(view, Qt.Key.Key_Tab)  # the new row is still empty: on to 工作流程风险
    assert process.hasFocus() and post.current_category == "process"
    assert view.model().rowCount() == 3
    key(process, Qt.Key.Key_Backtab)  # and back
    assert view.hasFocus()


def test_tab_from_an_open_cell_confirms_it_and_moves_on(qtbot, window, post):
    view = post.views["duty"]
    view.setFocus()
    select_cell(view, 1, POINT)
    key(view, Qt.Key.Key_F2)
    key(open_editor(view), Qt.Key.Key_Tab)
    assert (view.currentIndex().row(), view.currentIndex().column()) == (1, SELF)
    select_cell(view, 1, MEASURES)
    key(view, Qt.Key.Key_F2)
    cell = open_editor(view)
    type_text(cell, "并留痕")
    key(cell, Qt.Key.Key_Tab)  # the last cell: confirmed, and a new row opened for typing
    assert view.model().risk(1).measures.endswith("并留痕") and view.model().rowCount() == 3
    assert (view.currentIndex().row(), view.currentIndex().column()) == (2, POINT) and open_editor(view)
    key(open_editor(view), Qt.Key.Key_Backtab)  # Shift+Tab goes back a cell
    assert (view.currentIndex().row(), view.currentIndex().column()) == (1, MEASURES)
    assert len(view.selectionModel().selectedIndexes()) == 1


def test_enter_in_a_one_line_field_moves_on_and_leaving_a_field_ends_its_undo_step(qtbot, window, post):
    person, post_field = post._fields["person"], post._fields["post"]
    person.setFocus()
    type_text(person, "甲")
    key(person, Qt.Key.Key_Return)
    assert post_field.hasFocus()
    person.setFocus()
    type_text(person, "乙")
    name = post.form.person
    window.act_undo.trigger()
    assert post.form.person == name[:-1]  # only the second visit's typing went back
    assert post.form.person.endswith("甲")


def test_ctrl_s_saves_now_and_says_so(qtbot, window, post):
    post.edit_field("remarks", "按 Ctrl+S 保存")
    action = next(a for a in window.findChildren(type(window.act_save))
                  if QKeySequence(QKeySequence.StandardKey.Save) in a.shortcuts())
    action.trigger()
    assert window.store.get(post.form.id).remarks == "按 Ctrl+S 保存"
    assert window.save_label.text().startswith("已保存")
    assert "已保存" in window.statusBar().currentMessage()
