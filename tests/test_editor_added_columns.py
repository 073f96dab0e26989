"""The unit's editor with both added columns at once (issue 14 items 3 and 4): a form the
committee commented on (its review applied), with 对照去年 switched on, shows the
committee's comments and then last year's point — each its own data, neither editable."""

from review_loop import UNIT, Loop
from trust import committee_key_in, trust

from lianzheng_desktop.domain.demo import demo_forms
from lianzheng_desktop.operations import review as ops
from lianzheng_desktop.operations import years
from lianzheng_desktop.store import FormStore
from lianzheng_desktop.ui.risk_model import COLUMNS, COMMENT, POINT

YEAR = 2026
COMMENT_TEXT = "请写明由谁检查、多久检查一次"


def reviewed_unit(tmp_path) -> tuple[Loop, str, str]:
    """A unit database with last year's forms and this year's started from them, sent to the
    committee, which comments on one point of the unit form; the review applied."""
    post = tmp_path / "post"
    post.mkdir()
    committee_db, unit_db = tmp_path / "committee.db", tmp_path / "unit.db"
    key = committee_key_in(committee_db)
    store = FormStore.open(unit_db)
    try:
        store.save_all(demo_forms(UNIT, YEAR - 1, posts=1))
        years.start_year(store, YEAR, YEAR - 1)
        form = next(f for f in store.forms(year=YEAR) if f.kind == "unit")
        duty = form.risks_in("duty")
        duty[1].point = "今年改写的风险点：" + duty[1].point
        store.save(form)
        trust(store, key)
    finally:
        store.close()
    loop = Loop(committee_db, unit_db, post, key)
    loop.send()
    c = loop.committee()
    try:
        form = next(f for f in c.forms(year=YEAR, unit=UNIT) if f.kind == "unit")
        commented = form.risks_in("duty")[0]
        ops.set_review(c, UNIT, YEAR, form.id, commented.id, "comment", COMMENT_TEXT, "审核人")
        sent = ops.export_review(c, UNIT, YEAR, post, "审核人")
    finally:
        c.close()
    u = loop.unit()
    try:
        ops.apply_review(u, ops.plan_review(u, sent.path))
    finally:
        u.close()
    return loop, form.id, commented.id


def test_the_committees_comments_and_last_year_side_by_side(qtbot, tmp_path):
    from PySide6.QtCore import Qt

    from lianzheng_desktop.store.session import Session
    from lianzheng_desktop.ui.mainwindow import MainWindow

    loop, form_id, commented_id = reviewed_unit(tmp_path)
    store = loop.unit()
    window = MainWindow(Session(store, loop.unit_db, None))
    qtbot.addWidget(window)
    window.show()
    window.load_year(YEAR)
    editor = window.open_form(form_id)
    model = editor.models["duty"]
    assert model.columnCount() == len(COLUMNS) + 1  # the comments: the review was applied
    editor.last_year_button.click()  # 对照去年
    assert model.columnCount() == len(COLUMNS) + 2
    LAST_YEAR = model.last_year_column
    assert LAST_YEAR == COMMENT + 1
    header = [model.headerData(c, Qt.Orientation.Horizontal) for c in (COMMENT, LAST_YEAR)]
    assert header[0] == "校纪委意见" and header[1] == f"{YEAR - 1} 年度（对照去年）"

    rows = [r.id for r in model.risks()]
    commented, rewritten = rows.index(commented_id), 1
    # each column its own data: the comment beside its point only; last year beside every point
    assert model.index(commented, COMMENT).data() == COMMENT_TEXT
    assert model.index(rewritten, COMMENT).data() is None
    same = model.index(commented, LAST_YEAR).data()
    assert same.startswith("去年自评：") and "与去年相同" in same and COMMENT_TEXT not in same
    old_text = model.risk(rewritten).point.removeprefix("今年改写的风险点：")
    assert f"去年：{old_text}" in model.index(rewritten, LAST_YEAR).data()

    # neither is edited: not editable, and writing to them changes nothing
    points = [r.point for r in model.risks()]
    for column in (COMMENT, LAST_YEAR):
        assert not model.flags(model.index(commented, column)) & Qt.ItemFlag.ItemIsEditable
        assert not model.setData(model.index(commented, column), "改不了")
    assert [r.point for r in model.risks()] == points and not editor.undo_stack.canUndo()
    assert model.index(commented, COMMENT).data() == COMMENT_TEXT
    assert model.flags(model.index(commented, POINT)) & Qt.ItemFlag.ItemIsEditable  # the form itself is

    editor.last_year_button.click()  # off again: the comments stay where they were
    assert model.columnCount() == len(COLUMNS) + 1
    assert model.index(commented, COMMENT).data() == COMMENT_TEXT
    window.close()
    store.close()
