"""Issue 14's review loop through the windows (pytest-qt): the committee reviews in the
workbench's review view (审定 on three points, a comment, one post form returned, undo),
sends the review file; the unit applies it in the main window (审定 filled in and marked,
the returned form red in the list with its reason, in the 检查 pane and above the form,
comments beside their rows); the unit fixes the form and sends again; the committee sees
exactly the changed point and closes the round."""

import os
from pathlib import Path

import pytest
from review_loop import UNIT, YEAR, make_loop

from lianzheng_desktop.domain.definitions import definitions
from lianzheng_desktop.domain.review import RETURN
from lianzheng_desktop.operations import review as ops
from lianzheng_desktop.store import open_session
from lianzheng_desktop.store.session import Session
from lianzheng_desktop.ui import ask, mainwindow, review_view, send_actions, workbench
from lianzheng_desktop.ui.review_view import APPROVED, COMMENT
from lianzheng_desktop.ui.risk_model import COLUMNS

SHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


def shoot(widget, name: str) -> None:
    """Screenshots for the user guide, when asked for (LIANZHENG_SCREENSHOTS=1)."""
    if os.environ.get("LIANZHENG_SCREENSHOTS"):
        from PySide6.QtWidgets import QApplication

        QApplication.processEvents()  # the layouts settle, as they do before anything is painted
        widget.grab().save(str(SHOTS / name))


@pytest.fixture
def said(monkeypatch):
    """Message boxes of the review view, the workbench and the unit's send actions, recorded."""
    shown = []
    for module in (review_view, workbench, send_actions):
        for name in ("information", "warning"):
            monkeypatch.setattr(module.QMessageBox, name, lambda *a: shown.append(a[2]))
    monkeypatch.setattr(ask, "inform_list", lambda parent, title, head, items: shown.extend(items))
    monkeypatch.setattr(ask, "confirm_list", lambda *a: True)
    return shown


def row_of(model, point_id: str) -> int:
    return next(i for i, r in enumerate(model.rows) if r.id == point_id)


def test_the_review_loop_through_the_windows(qtbot, tmp_path, said, monkeypatch):
    if os.environ.get("LIANZHENG_SCREENSHOTS"):  # the program's own Chinese font, as users see it
        from PySide6.QtWidgets import QApplication

        from lianzheng_desktop.ui.app import install_fonts

        install_fonts(QApplication.instance())
    loop = make_loop(tmp_path)

    # -- the committee, in the workbench ------------------------------------------
    session = open_session(loop.committee_db, backup="never")
    bench = workbench.WorkbenchWindow(session)
    qtbot.addWidget(bench)
    bench.show()
    row = next(i for i, r in enumerate(bench.report_model.rows) if r.unit == UNIT)
    bench.report_view.selectRow(row)
    dialog = bench.review_selected()
    qtbot.addWidget(dialog)
    dialog.reviewer = "王审核"
    assert dialog.status.text() == "尚未审核" and dialog.forms.count() == 3
    unit_form, post_a, post_b = dialog.view.forms
    model = dialog.model
    dialog.forms.setCurrentRow(0)
    for point, level in ((unit_form.risks[0], 1), (unit_form.risks[1], 3)):
        assert model.setData(model.index(row_of(model, point.id), APPROVED), level)
    dialog.forms.setCurrentRow(1)
    assert model.flags(model.index(0, APPROVED)) & review_view.Qt.ItemFlag.ItemIsEditable  # may override
    model.setData(model.index(row_of(model, post_a.risks[0].id), APPROVED), 2)
    dialog.forms.setCurrentRow(2)
    model.setData(model.index(row_of(model, post_b.risks[0].id), COMMENT), "请写明由谁检查、多久一次")
    dialog.decision.setCurrentIndex(dialog.decision.findData(RETURN))
    dialog.decision.activated.emit(dialog.decision.currentIndex())
    dialog.reason.setText("防控措施不具体")
    dialog.reason.editingFinished.emit()
    assert dialog.forms.currentItem().text().endswith("〔退回修改〕")
    # undo and redo go through the store (the record keeps both)
    dialog.undo_stack.undo()
    assert dialog.view.review(post_b.id).reason == "" and dialog.reason.text() == ""
    dialog.undo_stack.redo()
    assert dialog.view.review(post_b.id).reason == "防控措施不具体"
    assert model.index(row_of(model, post_b.risks[0].id), COMMENT).data() == "请写明由谁检查、多久一次"
    shoot(dialog, "review-view-returned.png")
    dialog.forms.setCurrentRow(0)
    dialog.opinion.setText("同意")
    dialog.opinion.editingFinished.emit()
    shoot(dialog, "review-view.png")
    review_file = tmp_path / "post" / "review.lzsh"
    assert "已写出第 1 轮审核意见" in dialog.export_review(review_file)
    assert not dialog.undo_stack.canUndo() and not model.flags(model.index(0, COMMENT)) & \
        review_view.Qt.ItemFlag.ItemIsEditable  # sent: frozen
    dialog.close()
    bench.close()
    session.close()

    # -- the unit, in the main window ---------------------------------------------
    store = loop.unit()
    window = mainwindow.MainWindow(Session(store, loop.unit_db, None))
    qtbot.addWidget(window)
    window.show()
    window.open_form(post_b.id)  # open while the review arrives: saved, closed, shown again
    message = window.sending.open_review(review_file)
    assert "审定 3 个风险点，意见 1 条" in message and "退回修改" in message
    window.tabs.setCurrentWidget(window.editors[post_b.id])
    entries = {e.id: e for e in window.navigator.model.entries}
    assert entries[post_b.id].returned and "防控措施不具体" in entries[post_b.id].review
    index = window.navigator.model.index(list(entries).index(post_b.id))
    assert index.data().endswith("〔退回修改〕")
    assert "退回修改 1 张表格" in window.navigator.notice_label.text()
    editor = window.editors[post_b.id]
    window.tabs.setCurrentWidget(editor)
    checks = [window.check.item(i).text() for i in range(window.check.count())]
    assert any("校纪委退回修改" in t and "防控措施不具体" in t for t in checks)
    assert any("请写明由谁检查" in t for t in checks)
    assert "防控措施不具体" in editor.review_banner.text()
    category = post_b.risks[0].category
    risk_model = editor.models[category]
    assert risk_model.columnCount() == len(COLUMNS) + 1
    first_row = risk_model.risks().index(next(r for r in risk_model.risks() if r.id == post_b.risks[0].id))
    assert risk_model.index(first_row, len(COLUMNS)).data() == "请写明由谁检查、多久一次"
    number = risk_model.index(first_row, 0).data(review_view.Qt.ItemDataRole.ToolTipRole)
    assert number.startswith(f"风险点编号：{UNIT}-{YEAR}-{post_b.person}-")
    editor.focus_path(("risks", 0, "point"))
    shoot(window, "review-returned-form.png")

    # the committee's 审定 is marked, and changing it asks first
    unit_editor = window.open_form(unit_form.id)
    levels = unit_editor.models[unit_form.risks[1].category]
    at = levels.index(levels.risks().index(next(r for r in levels.risks() if r.id == unit_form.risks[1].id)),
                      COLUMNS.index("approved_level"))
    assert at.data() == definitions().level_name(3) and "校纪委审定" in at.data(review_view.Qt.ItemDataRole.ToolTipRole)
    asked = []
    monkeypatch.setattr(ask, "confirm", lambda parent, title, text: asked.append(text) or False)
    levels.setData(at, 2)
    assert at.data() == definitions().level_name(3) and "校纪委第 1 轮审核时审定" in asked[0]

    # the unit fixes the returned form and sends again
    window.open_form(post_b.id)
    rows = editor.models[category]
    rows.setData(rows.index(first_row, COLUMNS.index("measures")), "由处长每季度检查一次，留存记录")
    assert window.flush()
    window.reload_navigator()
    assert "已修改" in {e.id: e for e in window.navigator.model.entries}[post_b.id].review
    window.close()
    store.close()
    loop.send("package-2.lzfk")

    # -- the committee sees exactly the changed point and closes the round -----------
    session = open_session(loop.committee_db, backup="never")
    bench = workbench.WorkbenchWindow(session)
    qtbot.addWidget(bench)
    dialog = bench.open_review(UNIT, post_b.id)
    qtbot.addWidget(dialog)
    assert [dialog.changes.item(i).text() for i in range(dialog.changes.count())] == [
        change.line for change in ops.changes_since_review(session.store, UNIT, YEAR)]
    assert dialog.changes.count() == 1
    assert "修改（防控措施）" in dialog.changes.item(0).text() and "每季度检查一次" in dialog.changes.item(0).text()
    changed_row = row_of(dialog.model, post_b.risks[0].id)
    assert dialog.model.index(changed_row, 0).data(review_view.Qt.ItemDataRole.BackgroundRole) is not None
    shoot(dialog, "review-changes.png")
    assert "第 1 轮审核已结束" in dialog.close_round()
    assert "已于" in dialog.status.text() and "结束" in dialog.status.text()
    dialog.close()
    bench.close()
    session.close()
