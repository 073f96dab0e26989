"""考核 (notice 六(四), issue 16): the figures per unit from what the committee holds, the
weights as forms/assessment.toml declares them, the review hook, the printed sheet and
the Excel summary's 考核 sheet."""

import dataclasses

import pytest
from committee_year import DAY, DEADLINE, YEAR, make_year
from pdfcheck import fonts, page_texts, render_pages, squash

from lianzheng_desktop.domain import assessment as domain
from lianzheng_desktop.domain.assessment import ReviewFacts, assessment_spec
from lianzheng_desktop.domain.definitions import definitions
from lianzheng_desktop.operations import assessment
from lianzheng_desktop.store import FormStore


@pytest.fixture
def year(tmp_path):
    store = FormStore.open(tmp_path / "committee.db")
    yield make_year(store, tmp_path)
    store.close()


def scores(result, unit):
    a = result.of(unit)
    return {r.item.key: r.score for r in a.results}


def test_the_weights_are_declared_in_forms_and_add_up_to_the_full_score():
    spec = assessment_spec()
    assert spec.full == 100
    assert {i.key: i.weight for i in spec.items}["on_time"] == 20
    assert all(i.rule and i.measure in domain.MEASURES for i in spec.items)


def test_on_time_late_and_not_reported_score_as_declared(year):
    result = assessment.assess_year(year, YEAR, DAY)
    late_share = next(i for i in assessment_spec().items if i.key == "on_time").raw["late_share"]
    assert scores(result, "图书馆")["on_time"] == 20
    assert scores(result, "财务处")["on_time"] == 20 * late_share
    assert scores(result, "教务处")["on_time"] == 0
    assert scores(result, "人事处")["complete"] == 0 and scores(result, "图书馆")["complete"] == 20
    assert "不完整" in result.of("人事处").results[1].fact
    assert result.of("教务处").total == 0


def test_coverage_and_points_per_category_and_level_come_from_the_forms(year):
    result = assessment.assess_year(year, YEAR, DAY)
    forms = year.forms(year=YEAR, unit="图书馆")
    d = definitions()
    pairs = {(f.id, r.category) for f in forms for r in f.risks if r.point.strip()}
    weight = {i.key: i.weight for i in assessment_spec().items}["coverage"]
    expected = round(weight * len(pairs) / (len(forms) * len(d.categories)), 1)
    a = result.of("图书馆")
    assert scores(result, "图书馆")["coverage"] == expected
    levels = a.facts.levels
    assert sum(levels.values()) == sum(1 for f in forms for r in f.risks if r.point.strip())
    first = d.levels[0].value
    assert sum(n for (_, level), n in levels.items() if level == first) == sum(
        1 for f in forms for r in f.risks if r.point.strip() and r.self_level == first)


def test_the_quality_items_count_flagged_points_and_name_the_findings(year):
    result = assessment.assess_year(year, YEAR, DAY)
    a = result.of("图书馆")
    original = next(r for r in a.results if r.item.key == "original")
    # the demo forms of every unit share their texts: copies across units are flagged
    assert original.available and original.score < original.item.weight
    assert a.findings and any("跨单位" in f or "雷同" in f for f in a.findings)


def test_review_items_wait_for_the_review_data_and_then_count(year, monkeypatch):
    result = assessment.assess_year(year, YEAR, DAY)
    a = result.of("图书馆")
    review = [r for r in a.results if r.item.needs == domain.REVIEW]
    assert review and all(not r.available and "暂无数据" in r.fact for r in review)
    assert a.counted == assessment_spec().full - sum(r.item.weight for r in review)
    # the hook the review loop fills in: 10 points reviewed, 2 changed, returned once
    monkeypatch.setattr(assessment, "review_facts", lambda store, year: {"图书馆": ReviewFacts(10, 2, 1)})
    a = assessment.assess_year(year, YEAR, DAY).of("图书馆")
    by_key = {r.item.key: r for r in a.results}
    assert by_key["review_changes"].score == 4.0  # 5 × 8/10
    assert by_key["returns"].score == 2.5  # 5 × (1 − 0.5)
    assert a.counted == assessment_spec().full


def test_changing_a_weight_in_the_data_changes_the_score(year, monkeypatch):
    spec = assessment_spec()
    items = tuple(dataclasses.replace(i, weight=40.0) if i.key == "on_time" else i for i in spec.items)
    monkeypatch.setattr(domain, "assessment_spec", lambda: dataclasses.replace(spec, items=items))
    result = assessment.assess_year(year, YEAR, DAY)
    assert scores(result, "图书馆")["on_time"] == 40
    assert scores(result, "财务处")["on_time"] == 20


def test_the_printed_sheet_has_a_page_per_unit_in_the_forms_fonts(year, tmp_path):
    done = assessment.print_assessment(year, YEAR, tmp_path / "考核.pdf", today=DAY)
    data = (tmp_path / "考核.pdf").read_bytes()
    texts = [squash(t) for t in page_texts(data)]
    assert done.units == len(texts) == 4
    first = texts[0]
    assert "2026年度廉政风险防控工作考核表" in first and "单位：图书馆" in first
    assert all(squash(i.name) in first for i in assessment_spec().items)
    a = assessment.assess_year(year, YEAR, DAY).of("图书馆")
    assert f"得分{a.total:g}" in first and f"截止日期：{DEADLINE}" in first
    assert "质量提醒" in first and "暂无数据" in first
    assert all(f["embedded"] for f in fonts(data))
    page = render_pages(data, 50)[0]
    bottom = page.crop((0, page.height * 3 // 4, page.width, page.height)).point(lambda v: 255 if v < 128 else 0)
    assert bottom.getbbox() is not None  # the signature line and footer are on the page, not cut off
    one = assessment.assessment_pdf(year, YEAR, ["财务处"], today=DAY)
    [only] = page_texts(one)
    assert "单位：财务处" in squash(only) and "逾期" in only


def test_the_excel_summary_has_the_assessment_sheet(year, tmp_path):
    from openpyxl import load_workbook

    from lianzheng_desktop.operations.committee import export_summary

    export_summary(year, tmp_path / "汇总.xlsx", YEAR)
    sheet = load_workbook(tmp_path / "汇总.xlsx")["考核"]
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    assert header[0] == "单位" and "按时报送（20）" in header and "得分" in header
    by_unit = {r[0]: dict(zip(header, r)) for r in rows[1:]}
    assert set(by_unit) == {"图书馆", "财务处", "人事处", "教务处"}
    assert by_unit["财务处"]["按时报送（20）"] == 10 and by_unit["教务处"]["得分"] == 0
    assert by_unit["图书馆"]["自评准确（审定未调整）（5）"] == "暂无数据"
    library = assessment.assess_year(year, YEAR, DAY).of("图书馆").facts
    first = definitions().levels[0]
    assert by_unit["图书馆"][f"其中{first.name}"] == sum(n for (_, lv), n in library.levels.items() if lv == first.value)
    assert by_unit["图书馆"]["风险点数"] == library.points and by_unit["图书馆"]["首次收到"] == "2026-11-28"


def test_printing_every_sheet_reports_progress_and_can_be_cancelled(year, tmp_path):
    from lianzheng_desktop.operations.progress import Cancelled

    seen = []
    assessment.print_assessment(year, YEAR, tmp_path / "a.pdf", today=DAY,
                                progress=lambda done, total, what: seen.append(what) or True)
    assert any("考核表" in what for what in seen)

    def cancel_at_typesetting(done, total, what):
        return "考核表" not in what

    with pytest.raises(Cancelled):
        assessment.print_assessment(year, YEAR, tmp_path / "b.pdf", today=DAY, progress=cancel_at_typesetting)
    assert not (tmp_path / "b.pdf").exists()  # nothing half-written


def test_the_review_items_count_from_the_review_sent(tmp_path):
    """With the review loop (issue 14): the committee set 审定 on two points (one the same as
    the 自评, one not) and returned a form; once the review is sent, 考核 counts it."""
    from review_loop import UNIT, make_loop

    from lianzheng_desktop.domain.review import RETURN
    from lianzheng_desktop.operations import review

    loop = make_loop(tmp_path)
    store = loop.committee()
    try:
        before = {r.item.key: r for r in assessment.assess_year(store, YEAR).of(UNIT).results}
        assert not before["review_changes"].available and not before["returns"].available
        view = review.review_view(store, UNIT, YEAR)
        unit_form = next(f for f in view.forms if f.kind == "unit")
        post = next(f for f in view.forms if f.kind == "post")
        same, other = unit_form.risks[0], unit_form.risks[1]
        changed_to = 1 if other.self_level != 1 else 2
        review.set_review(store, UNIT, YEAR, unit_form.id, same.id, "approved_level", same.self_level, "审核人")
        review.set_review(store, UNIT, YEAR, unit_form.id, other.id, "approved_level", changed_to, "审核人")
        review.set_review(store, UNIT, YEAR, post.id, "", "decision", RETURN, "审核人")
        review.set_review(store, UNIT, YEAR, post.id, "", "reason", "措施不具体", "审核人")
        not_sent = {r.item.key: r for r in assessment.assess_year(store, YEAR).of(UNIT).results}
        assert not not_sent["returns"].available  # an open round is not yet the committee's word
        review.export_review(store, UNIT, YEAR, loop.post, "审核人")
        facts = assessment.review_facts(store, YEAR)[UNIT]
        points = sum(1 for f in view.forms for r in f.risks if r.point.strip())
        assert (facts.reviewed, facts.changed, facts.returns) == (points, 1, 1)
        after = {r.item.key: r for r in assessment.assess_year(store, YEAR).of(UNIT).results}
        weights = {i.key: i for i in assessment_spec().items}
        assert after["review_changes"].score == round(weights["review_changes"].weight * (points - 1) / points, 1)
        assert after["returns"].score == weights["returns"].weight * (1 - weights["returns"].raw["per_return"])
        assert "退回 1 次" in after["returns"].fact
    finally:
        store.close()
