"""The 审定 the committee sets in its review counts at once (issue 14 items 2 and 5): the
counts by 审定 and 差异, the 汇总 rows, the charts and the Excel summary read the level in
effect at the committee — the committee's latest in the unit's review round, else the
unit's own — without waiting for the unit to apply the review and send again; undone, it
is gone; once the unit's new package carries it, nothing is counted twice."""

from collections import Counter
from pathlib import Path

import pytest
from review_loop import UNIT, YEAR, make_loop

from lianzheng_desktop.domain import level_basis
from lianzheng_desktop.domain.definitions import definitions
from lianzheng_desktop.domain.rows import columns, risk_rows
from lianzheng_desktop.operations import review as ops
from lianzheng_desktop.store import summary
from lianzheng_desktop.store.summary import SummaryQuery

REVIEWER = "纪委办公室张老师"


def unit_form(store):
    return next(f for f in store.forms(year=YEAR, unit=UNIT) if f.kind == "unit")


def three_points(form) -> dict[str, int]:
    """Three points with text and a 自评, in this order given: a more severe level (raised),
    a less severe one (lowered), their own 自评."""
    rated = [r for r in form.risks if r.point.strip() and r.self_level is not None]
    lowered = next(r for r in rated if r.self_level < 3)
    raised = next(r for r in rated if r.self_level > 1 and r is not lowered)
    same = next(r for r in rated if r is not lowered and r is not raised)
    return {raised.id: raised.self_level - 1, lowered.id: lowered.self_level + 1, same.id: same.self_level}


def expected_counts(store, committee: dict[str, int], basis: str) -> Counter:
    """What the counts should be: every point of the year, with the committee's levels."""
    forms = {f.id: f for f in store.forms(year=YEAR)}
    found: Counter = Counter()
    for row in risk_rows(list(forms.values())):
        point_id = forms[row.form_id].risks[row.position].id
        value = level_basis.value_of(basis, row.self_level, committee.get(point_id, row.approved_level))
        if value is not level_basis.NOT_COUNTED:
            found[row.unit, row.category, value] += 1
    return found


def all_counts(store) -> dict:
    return {basis: summary.counts(store, SummaryQuery(YEAR), basis) for basis in level_basis.BASES}


def shown_rows(store, **criteria):
    query = SummaryQuery(YEAR, criteria)
    return summary.rows(store, summary.row_ids(store, query))


def excel(store, path: Path) -> dict:
    from openpyxl import load_workbook

    from lianzheng_desktop.exchange.summary import APPROVED_SHEET, DIFFERS_SHEET, RISK_SHEET
    from lianzheng_desktop.operations.committee import export_summary

    export_summary(store, path / "summary.xlsx", YEAR)
    book = load_workbook(path / "summary.xlsx")

    def unit_line(sheet):
        header = [c.value for c in book[sheet][1]]
        line = next(r for r in book[sheet].iter_rows(min_row=2, values_only=True) if r[0] == UNIT)
        return dict(zip(header, line, strict=False))

    risks = list(book[RISK_SHEET].iter_rows(values_only=True))
    notes = [r[0] for r in book[APPROVED_SHEET].iter_rows(values_only=True) if r[0] and "校纪委" in str(r[0])]
    return {"approved": unit_line(APPROVED_SHEET), "differs": unit_line(DIFFERS_SHEET), "risks": risks,
            "notes": notes}


@pytest.fixture
def loop(tmp_path):
    return make_loop(tmp_path)


def test_the_committees_levels_count_at_once_undone_are_gone_and_are_not_counted_twice(loop, tmp_path):
    c = loop.committee()
    try:
        form = unit_form(c)
        levels = three_points(form)
        raised, lowered, same = levels
        before = all_counts(c)
        assert before[level_basis.DIFFERS] == {}  # the unit has set no 审定 at all

        for point_id, level in levels.items():
            ops.set_review(c, UNIT, YEAR, form.id, point_id, "approved_level", level, REVIEWER)

        # counts by 审定 and 差异: the three levels, at once
        for basis in level_basis.BASES:
            assert summary.counts(c, SummaryQuery(YEAR), basis) == expected_counts(c, levels, basis), basis
        differs = summary.counts(c, SummaryQuery(YEAR, {"unit": UNIT}), level_basis.DIFFERS)
        assert sum(differs.values()) == 2  # the third was given its own 自评
        assert Counter(v for (_, _, v), n in differs.items() for _ in range(n)) == {
            level_basis.RAISED: 1, level_basis.LOWERED: 1}
        assert summary.counts(c, SummaryQuery(YEAR), level_basis.SELF) == before[level_basis.SELF]
        pairs = summary.level_pairs(c, YEAR)
        assert sum(pairs.values()) == sum(before[level_basis.SELF].values())  # every point once
        assert sum(n for (_, a), n in pairs.items() if a is not None) == 3

        # the 汇总 rows: the level shown and marked as the committee's, filters and sorting follow it
        rows = {r.form_id + str(r.position): r for r in shown_rows(c, unit=UNIT)}
        marked = [r for r in rows.values() if r.approved_round is not None]
        assert sorted(r.approved_level for r in marked) == sorted(levels.values())
        assert {r.approved_round for r in marked} == {1}
        kept = shown_rows(c, approved_level=levels[raised])
        assert {r.point for r in kept} == {r.point for r in form.risks
                                           if r.id in levels and levels[r.id] == levels[raised]}
        differing = summary.rows(c, summary.row_ids(c, SummaryQuery(YEAR, differs_only=True)))
        assert {r.point for r in differing} == {form.risk_by_id(raised).point, form.risk_by_id(lowered).point}
        by_level = summary.row_ids(c, SummaryQuery(YEAR, sort="approved_level"))
        first = summary.rows(c, by_level[:3])
        assert [r.approved_level for r in first] == sorted(levels.values())
        text = form.risk_by_id(raised).point[:6]
        found = summary.select(c, SummaryQuery(YEAR, text=text), level_basis.APPROVED)
        assert sum(n for (_, _, v), n in found.counts.items() if v == levels[raised]) >= 1

        # the Excel summary: 统计（审定）, 审定与自评差异 and the rows of 风险点
        book = excel(c, tmp_path)
        d = definitions()
        for category in d.categories:
            for lv in d.levels:
                expected = sum(1 for r in marked if r.category == category.key and r.approved_level == lv.value)
                assert book["approved"][f"{category.name}·{lv.name}"] == expected
        assert book["differs"]["合计"] == 2
        assert book["notes"] == ["其中 3 个风险点的审定是校纪委审核时审定的，单位尚未报回"]
        keys = [c.key for c in columns("risk_summary", ui=False)]  # the 风险点 sheet's columns
        approved_column, point_column = keys.index("approved_level"), keys.index("point")
        in_sheet = {line[point_column]: line[approved_column] for line in book["risks"][1:]}
        for point_id, level in levels.items():
            assert in_sheet[form.risk_by_id(point_id).point] == d.level_name(level)

        # undone ("不审定"): back to the unit's own
        for point_id in levels:
            ops.set_review(c, UNIT, YEAR, form.id, point_id, "approved_level", None, REVIEWER)
        for basis in level_basis.BASES:
            assert summary.counts(c, SummaryQuery(YEAR), basis) == before[basis], basis
        assert not any(r.approved_round for r in shown_rows(c, unit=UNIT))
        undone = excel(c, tmp_path)
        assert undone["differs"]["合计"] == 0 and undone["notes"] == []

        # set again, sent, applied by the unit and sent back: the same counts, nothing twice
        for point_id, level in levels.items():
            ops.set_review(c, UNIT, YEAR, form.id, point_id, "approved_level", level, REVIEWER)
        while_reviewed = all_counts(c)
        sent = ops.export_review(c, UNIT, YEAR, loop.post, REVIEWER)
        assert all_counts(c) == while_reviewed
    finally:
        c.close()
    u = loop.unit()
    try:
        ops.apply_review(u, ops.plan_review(u, sent.path))
        assert {r.id: r.approved_level for r in unit_form(u).risks if r.id in levels} == levels
    finally:
        u.close()
    loop.send("again.lzfk")
    c = loop.committee()
    try:
        assert all_counts(c) == while_reviewed
        assert excel(c, tmp_path)["differs"]["合计"] == 2
        assert ops.close_review(c, UNIT, YEAR, REVIEWER)  # the changes seen: the unit's data carries them
        assert all_counts(c) == while_reviewed
        rows = shown_rows(c, unit=UNIT)
        assert not any(r.approved_round for r in rows)
        assert sorted(r.approved_level for r in rows if r.approved_level is not None) == sorted(levels.values())
    finally:
        c.close()


def test_the_committees_levels_count_until_it_closes_the_round_on_the_units_next_package(loop):
    """A package crossing the review in the post does not undo the committee's level; a
    unit that sends again without applying it keeps it counted until the committee, having
    seen the changes, closes the round — then the unit's own 审定 counts. A round closed
    without a newer package keeps the committee's level."""
    c = loop.committee()
    try:
        form = unit_form(c)
        point_id, level = next(iter(three_points(form).items()))
        ops.set_review(c, UNIT, YEAR, form.id, point_id, "approved_level", level, REVIEWER)
        set_by_committee = all_counts(c)
        assert sum(set_by_committee[level_basis.DIFFERS].values()) == 1  # a more severe level than the 自评
    finally:
        c.close()
    u = loop.unit()
    try:
        changed = unit_form(u)
        changed.risks[-1].measures += "（补充）"
        u.save(changed)
    finally:
        u.close()
    loop.send("crossing.lzfk")  # sent before the review reached the unit
    c = loop.committee()
    try:
        assert [r.approved_level for r in shown_rows(c, unit=UNIT) if r.approved_round] == [level]
        ops.export_review(c, UNIT, YEAR, loop.post, REVIEWER)
        assert all_counts(c) == set_by_committee
        assert ops.close_review(c, UNIT, YEAR, REVIEWER)  # the unit's 审定 (none) is accepted
        assert not any(r.approved_round for r in shown_rows(c, unit=UNIT))
        assert sum(all_counts(c)[level_basis.DIFFERS].values()) == 0
        # a new round on the same package; closed with no package after it: the level stays
        ops.set_review(c, UNIT, YEAR, form.id, point_id, "approved_level", level, REVIEWER)
        ops.export_review(c, UNIT, YEAR, loop.post, REVIEWER)
        assert ops.close_review(c, UNIT, YEAR, REVIEWER)
        assert all_counts(c) == set_by_committee
        assert [r.approved_round for r in shown_rows(c, unit=UNIT) if r.approved_round] == [2]
    finally:
        c.close()


def test_the_workbench_counts_by_approved_show_the_committees_levels_as_they_are_set(qtbot, loop):
    from PySide6.QtCore import Qt

    from lianzheng_desktop.store import open_session
    from lianzheng_desktop.ui import workbench
    from lianzheng_desktop.ui.review_view import APPROVED

    session = open_session(loop.committee_db, backup="never")
    bench = workbench.WorkbenchWindow(session)
    qtbot.addWidget(bench)
    bench.show()
    form = unit_form(bench.store)
    levels = three_points(form)
    counts = bench.counts_model

    def unit_total() -> list[int]:
        """The unit's total for each value of the basis, as the counts' value chooser shows them."""
        chooser, totals = bench.counts_level, []
        for i in range(1, chooser.count()):
            chooser.setCurrentIndex(i)
            totals.append(counts.index(counts.units.index(UNIT), counts.columnCount() - 1).data())
        chooser.setCurrentIndex(0)
        return totals

    bench.basis_buttons[level_basis.APPROVED].click()  # the 统计口径 toggle: 审定
    before = unit_total()
    assert before[:3] == [0, 0, 0]  # the unit set no 审定: all 未审定
    dialog = bench.open_review(UNIT, form.id)
    qtbot.addWidget(dialog)
    model = dialog.model
    for point_id, level in levels.items():
        row = next(i for i, r in enumerate(model.rows) if r.id == point_id)
        assert model.setData(model.index(row, APPROVED), level)
    # the review view still open: the counts, the rows and the chart show them already
    by_level = Counter(levels.values())
    assert unit_total() == [by_level[1], by_level[2], by_level[3], before[3] - 3]
    assert sum(bench.category_chart.totals()) == sum(before)
    summary_model = bench.summary_model
    column = summary_model.approved_column
    marked = [i for i in range(summary_model.rowCount()) if summary_model.row(i).approved_round]
    assert len(marked) == 3
    tip = summary_model.index(marked[0], column).data(Qt.ItemDataRole.ToolTipRole)
    assert tip == "校纪委审定（第 1 轮）"
    assert summary_model.index(marked[0], column).data() in {definitions().level_name(v) for v in levels.values()}

    bench.basis_buttons[level_basis.DIFFERS].click()  # 差异: the two levels that differ from the 自评
    assert summary_model.rowCount() == 2 and sum(bench.category_chart.totals()) == 2
    assert sum(dict(bench.level1_chart.rows).values()) == 2

    for _ in levels:  # undone in the review view: back to the unit's own
        dialog.undo_button.click()
    assert summary_model.rowCount() == 0 and sum(bench.category_chart.totals()) == 0
    bench.basis_buttons[level_basis.APPROVED].click()
    assert unit_total() == before
    assert not any(summary_model.row(i).approved_round for i in range(summary_model.rowCount()))
    dialog.close()
    bench.close()
    session.close()


@pytest.mark.parametrize("criteria, text, differs_only", [
    ({}, "", False), ({"approved_level": 1}, "", False), ({"approved_level": 3}, "", False),
    ({"approved_level": None}, "", False), ({}, "", True), ({"unit": UNIT, "category": "duty"}, "", False),
    ({"self_level": 2}, "", True), ({}, "风险", False), ({"approved_level": 2}, "风险", False),
    ({}, "审批流程", True)])
def test_every_filter_keeps_and_counts_the_points_by_the_level_in_effect(loop, criteria, text, differs_only):
    """The counts of any filter (read as the indexes' counts corrected by the committee's
    points) agree with the points the filter keeps, each counted once with its level in effect."""
    c = loop.committee()
    try:
        form = unit_form(c)
        levels = three_points(form)
        for point_id, level in levels.items():
            ops.set_review(c, UNIT, YEAR, form.id, point_id, "approved_level", level, REVIEWER)
        forms = {f.id: f for f in c.forms(year=YEAR)}
        query = SummaryQuery(YEAR, criteria, text, differs_only)
        kept = []
        for row in risk_rows(list(forms.values())):
            approved = levels.get(forms[row.form_id].risks[row.position].id, row.approved_level)
            values = {"unit": row.unit, "category": row.category, "self_level": row.self_level,
                      "approved_level": approved}
            if any(values[k] != v for k, v in criteria.items()):
                continue
            if text and text not in row.point and text not in row.measures:
                continue
            if differs_only and (approved is None or approved == row.self_level):
                continue
            kept.append((row, approved))
        ids = summary.row_ids(c, query)
        assert len(ids) == len(kept)
        assert sorted(r.approved_level or 0 for r in summary.rows(c, ids)) == sorted(a or 0 for _, a in kept)
        for basis in level_basis.BASES:
            expected: Counter = Counter()
            for row, approved in kept:
                value = level_basis.value_of(basis, row.self_level, approved)
                if value is not level_basis.NOT_COUNTED:
                    expected[row.unit, row.category, value] += 1
            assert summary.counts(c, query, basis) == expected, basis
            assert summary.select(c, query, basis).counts == expected, basis
    finally:
        c.close()


def test_the_committee_overrides_a_units_own_level_and_不审定_gives_it_back(loop):
    u = loop.unit()
    try:
        post = next(f for f in u.forms(year=YEAR) if f.kind == "post")
        risk = next(r for r in post.risks if r.point.strip())
        risk.approved_level = 3  # the unit's own 审定 of a post form's point
        u.save(post)
    finally:
        u.close()
    loop.send("with-levels.lzfk")
    c = loop.committee()
    try:
        def approved(point_id):
            return next(r for r in shown_rows(c, unit=UNIT) if r.form_id == post.id
                        and post.risks[r.position].id == point_id)

        def unit_approved_count(level):
            return sum(n for (_, _, v), n in summary.counts(c, SummaryQuery(YEAR, {"unit": UNIT}),
                                                            level_basis.APPROVED).items() if v == level)

        assert (approved(risk.id).approved_level, unit_approved_count(3), unit_approved_count(1)) == (3, 1, 0)
        ops.set_review(c, UNIT, YEAR, post.id, risk.id, "approved_level", 1, REVIEWER)  # 校纪委改定
        row = approved(risk.id)
        assert (row.approved_level, row.approved_round) == (1, 1)
        assert (unit_approved_count(3), unit_approved_count(1)) == (0, 1)
        ops.set_review(c, UNIT, YEAR, post.id, risk.id, "approved_level", None, REVIEWER)  # 不审定
        row = approved(risk.id)
        assert (row.approved_level, row.approved_round) == (3, None)
        assert (unit_approved_count(3), unit_approved_count(1)) == (1, 0)
    finally:
        c.close()


def test_the_quality_rules_read_the_level_in_effect_as_the_summary_does(loop):
    """The committee's scan (考核, 质量检查) reads the points as plain tuples
    (summary.rule_rows): the same points, in the same order, with the same 审定 in effect as
    the summary's rows — the committee's where it set one."""
    c = loop.committee()
    try:
        form = unit_form(c)
        levels = three_points(form)
        for point_id, level in levels.items():
            ops.set_review(c, UNIT, YEAR, form.id, point_id, "approved_level", level, REVIEWER)
        names = summary.RULE_COLUMNS
        tuples = [dict(zip(names, r, strict=True)) for r in summary.rule_rows(c, YEAR)]
        rows = [{n: getattr(r, n) for n in names} for r in summary.all_rows(c, YEAR)]
        assert tuples == rows
        ids = {r.id: i for i, r in enumerate(form.risks)}
        held = {(r["form_id"], r["position"]): r["approved_level"] for r in tuples}
        assert all(held[form.id, ids[point]] == level for point, level in levels.items())
    finally:
        c.close()


def test_a_refused_review_action_stores_nothing_not_even_a_new_round(loop):
    """The clerk mistypes a level after the round was closed: refused in Chinese, and no new
    round is opened — which would end the counting of the closed round's 审定. Several
    changes at once (``review set --level … --comment …``) are stored all or none."""
    from lianzheng_desktop.store import StoreError
    from lianzheng_desktop.store.reviews import latest_round

    c = loop.committee()
    try:
        form = unit_form(c)
        point_id, level = next(iter(three_points(form).items()))
        ops.set_review(c, UNIT, YEAR, form.id, point_id, "approved_level", level, REVIEWER)
        ops.export_review(c, UNIT, YEAR, loop.post, REVIEWER)
        assert ops.close_review(c, UNIT, YEAR, REVIEWER)
        counted = all_counts(c)
        with pytest.raises(StoreError, match="审定"):
            ops.set_review(c, UNIT, YEAR, form.id, point_id, "approved_level", 7, REVIEWER)
        assert latest_round(c, UNIT, YEAR).number == 1 and all_counts(c) == counted

        other = next(r.id for r in form.risks if r.id != point_id and r.point.strip())
        with pytest.raises(StoreError):
            ops.set_reviews(c, UNIT, YEAR, form.id, [(other, "approved_level", 1),
                                                     (other, "approved_level", 9)], REVIEWER)
        assert latest_round(c, UNIT, YEAR).number == 1 and all_counts(c) == counted
    finally:
        c.close()
