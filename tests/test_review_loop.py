"""Issue 14's review loop end to end, with two databases: the unit exports, the committee
imports, sets 审定 on three points, comments on one, returns one post form, sends the
review file; the unit applies it, edits the returned form and re-exports; the committee
sees exactly the points that changed and closes the round."""

import pytest
from review_loop import UNIT, YEAR, make_loop

from lianzheng_desktop.domain.model import RiskPoint
from lianzheng_desktop.domain.naming import point_numbers
from lianzheng_desktop.domain.review import ADDED, CHANGED, REMOVED, RETURN
from lianzheng_desktop.operations import review as ops
from lianzheng_desktop.store import StoreError
from lianzheng_desktop.store import reviews as stored

REVIEWER = "王审核"


def test_the_review_loop_from_export_to_closing_the_round(tmp_path):
    loop = make_loop(tmp_path)

    # -- the committee reviews -------------------------------------------------------
    c = loop.committee()
    view = ops.review_view(c, UNIT, YEAR)
    assert view.status == "尚未审核" and view.editable
    unit_form = next(f for f in view.forms if f.kind == "unit")
    returned, passed = [f for f in view.forms if f.kind == "post"]
    levelled = [(unit_form, unit_form.risks[0], 1), (unit_form, unit_form.risks[1], 3),
                (passed, passed.risks[0], 2)]  # the committee may override a post form's 审定
    for form, risk, level in levelled:
        assert ops.set_review(c, UNIT, YEAR, form.id, risk.id, "approved_level", level, REVIEWER) is None
    commented = returned.risks[0]
    ops.set_review(c, UNIT, YEAR, returned.id, commented.id, "comment", "措施太笼统，请写明由谁、多久检查一次", REVIEWER)
    ops.set_review(c, UNIT, YEAR, returned.id, "", "decision", RETURN, REVIEWER)
    ops.set_review(c, UNIT, YEAR, returned.id, "", "reason", "防控措施不具体", REVIEWER)
    ops.set_review(c, UNIT, YEAR, unit_form.id, "", "decision", "pass", REVIEWER)
    ops.set_review(c, UNIT, YEAR, unit_form.id, "", "opinion", "同意", REVIEWER)
    # a slip, undone: the undo sets the value before again (both kept in the record)
    before = ops.set_review(c, UNIT, YEAR, passed.id, passed.risks[1].id, "comment", "写错了", REVIEWER)
    ops.set_review(c, UNIT, YEAR, passed.id, passed.risks[1].id, "comment", before, REVIEWER)
    view = ops.review_view(c, UNIT, YEAR)
    assert view.status.startswith("第 1 轮审核中")
    assert view.review(unit_form.id).levels == {unit_form.risks[0].id: 1, unit_form.risks[1].id: 3}
    assert view.review(passed.id).comments == {}
    log = stored.action_log(c, view.round.id)
    assert len(log) == 10 and {row["reviewer"] for row in log} == {REVIEWER} and all(row["at"] for row in log)
    with pytest.raises(StoreError, match="审定等级只能是"):
        ops.set_review(c, UNIT, YEAR, unit_form.id, unit_form.risks[0].id, "approved_level", 7, REVIEWER)

    sent = ops.export_review(c, UNIT, YEAR, loop.post, REVIEWER)
    assert sent.path.name == f"{YEAR}_{UNIT}_校纪委审核意见_第1轮.lzsh" and sent.returned == 1
    with pytest.raises(StoreError, match="已经发给单位，不能再修改"):
        ops.set_review(c, UNIT, YEAR, unit_form.id, "", "opinion", "改一下", REVIEWER)
    again = ops.export_review(c, UNIT, YEAR, tmp_path / "again.lzsh", REVIEWER)
    assert again.again and again.path.read_bytes() == sent.path.read_bytes()  # the same file
    c.close()

    # -- the unit applies it ---------------------------------------------------------
    u = loop.unit()
    plan = ops.plan_review(u, sent.path)
    assert plan.status == ops.NEW and not plan.needs_confirmation
    done = ops.apply_review(u, plan)
    assert "审定 3 个风险点，意见 1 条" in done.message and "退回修改" in done.message
    for form, risk, level in levelled:
        assert u.get(form.id).risk_by_id(risk.id).approved_level == level
    notes = ops.review_notes(u, YEAR)
    assert notes[returned.id].returned and notes[returned.id].flag == "校纪委退回修改：防控措施不具体"
    assert notes[returned.id].comments == {commented.id: "措施太笼统，请写明由谁、多久检查一次"}
    assert notes[unit_form.id].flag == "校纪委审核通过"
    checks = [p.message for p in ops.review_problems(u, YEAR)]
    assert any("被校纪委退回修改" in m and "防控措施不具体" in m for m in checks)
    assert any("措施太笼统" in m for m in checks)
    question = ops.committee_level_question(notes[unit_form.id], unit_form.risks[1].id, 2)
    assert question and "校纪委第 1 轮审核时审定" in question
    # applied again: nothing changes
    state = u.content_hash()
    assert ops.apply_review(u, ops.plan_review(u, sent.path)).message == "第 1 轮审核意见已经应用过，没有变化"
    assert u.content_hash() == state

    # -- the unit fixes the returned form and sends again ------------------------------
    form = u.get(returned.id)
    fixed = form.risks[0]
    fixed.measures = "由处长每季度检查一次，留存记录"
    dropped = form.risks[-1]
    form.risks.remove(dropped)
    new_point = RiskPoint(form.risks[0].category, "新发现的风险点", 2, None, "新的措施")
    form.risks.insert(1, new_point)
    form.risks[2], form.risks[3] = form.risks[3], form.risks[2]  # a move is no change
    u.save(form)
    assert ops.review_notes(u, YEAR)[returned.id].flag == "校纪委退回修改（已修改，待重新报送）：防控措施不具体"
    u.close()
    loop.send("package-2.lzfk")

    # -- the committee sees exactly what changed and closes the round ------------------
    c = loop.committee()
    view = ops.review_view(c, UNIT, YEAR)
    assert view.new_package and not view.editable
    changes = {(ch.point_id, ch.change) for ch in view.changes}
    assert changes == {(fixed.id, CHANGED), (new_point.id, ADDED), (dropped.id, REMOVED)}
    changed = next(ch for ch in view.changes if ch.change == CHANGED)
    assert changed.fields == ("防控措施",)
    assert changed.number == point_numbers(u_form := c.get(returned.id))[fixed.id] and u_form.person in changed.number
    assert "单位已重新报送，与审核时相比有 3 处风险点变化" in view.status
    message = ops.close_review(c, UNIT, YEAR, REVIEWER)
    assert message == f"{UNIT} {YEAR} 年度第 1 轮审核已结束，已查看单位重新报送的 3 处变化"
    view = ops.review_view(c, UNIT, YEAR)
    assert view.round.closed and view.editable and view.forms[0].id == unit_form.id
    # round 2 begun, then the unit sends again before it is sent: said, not hidden
    ops.set_review(c, UNIT, YEAR, unit_form.id, "", "opinion", "第二轮", REVIEWER)
    c.close()
    u = loop.unit()
    form = u.get(passed.id)
    form.risks[0].point += "（补充）"
    u.save(form)
    u.close()
    loop.send("package-3.lzfk")
    c = loop.committee()
    view = ops.review_view(c, UNIT, YEAR)
    assert view.status.startswith("第 2 轮审核中") and "本轮审核的仍是开始审核时的版本" in view.status
    c.close()


def test_a_review_cannot_be_sent_with_a_returned_form_without_reason(tmp_path):
    loop = make_loop(tmp_path, posts=1)
    c = loop.committee()
    try:
        post = next(f for f in ops.review_view(c, UNIT, YEAR).forms if f.kind == "post")
        with pytest.raises(StoreError, match="没有正在进行的审核"):
            ops.export_review(c, UNIT, YEAR, loop.post, REVIEWER)
        ops.set_review(c, UNIT, YEAR, post.id, post.risks[0].id, "comment", "试试", REVIEWER)
        ops.set_review(c, UNIT, YEAR, post.id, post.risks[0].id, "comment", "", REVIEWER)  # undone
        with pytest.raises(StoreError, match="还没有任何审核意见"):
            ops.export_review(c, UNIT, YEAR, loop.post, REVIEWER)
        ops.set_review(c, UNIT, YEAR, post.id, "", "decision", RETURN, REVIEWER)
        state = c.content_hash()
        with pytest.raises(StoreError, match="退回修改，但没有写退回原因"):
            ops.export_review(c, UNIT, YEAR, loop.post, REVIEWER)
        assert c.content_hash() == state and not list(loop.post.glob("*.lzsh"))
    finally:
        c.close()


def test_the_committee_does_not_set_levels_the_forms_declare_the_units(tmp_path, monkeypatch):
    """With committee_overrides = false for post forms (forms/tables.toml), the committee
    can't set their 审定."""
    import dataclasses

    from lianzheng_desktop.domain import review as domain_review
    from lianzheng_desktop.domain.definitions import definitions

    loop = make_loop(tmp_path, posts=1)
    real = definitions()
    kinds = tuple(dataclasses.replace(k, committee_overrides=False) for k in real.kinds)
    changed = dataclasses.replace(real, kinds=kinds)
    monkeypatch.setattr(domain_review, "definitions", lambda: changed)
    c = loop.committee()
    try:
        post = next(f for f in ops.review_view(c, UNIT, YEAR).forms if f.kind == "post")
        with pytest.raises(StoreError, match="岗位登记表的审定由单位负责"):
            ops.set_review(c, UNIT, YEAR, post.id, post.risks[0].id, "approved_level", 1, REVIEWER)
    finally:
        c.close()
