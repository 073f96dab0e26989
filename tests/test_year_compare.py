"""Year against year (issue 14 item 4): a year started from the last keeps its points'
ids, and the comparison says exactly which points were added, dropped, re-levelled and
rewritten, which forms are last year's copied unchanged, and warns before export."""

import pytest

from lianzheng_desktop.domain.demo import demo_forms
from lianzheng_desktop.domain.model import RiskPoint
from lianzheng_desktop.domain.year_compare import ADDED, DROPPED, RELEVELLED, REWRITTEN
from lianzheng_desktop.operations import comparing, years
from lianzheng_desktop.operations.sending import check_export
from lianzheng_desktop.store import FormStore


@pytest.fixture
def store(tmp_path):
    s = FormStore.open(tmp_path / "unit.db")
    s.save_all(demo_forms("财务处", 2025, posts=3))
    years.start_year(s, 2026, 2025)
    yield s
    s.close()


def forms_of(store, year):
    return {(f.kind, f.person): f for f in store.forms(year=year)}


def test_a_year_copied_and_untouched_is_an_unchanged_copy_and_is_warned_of_before_export(store):
    (result,) = comparing.compare_years(store, 2026, 2025)
    assert result.changes == [] and result.unchanged_copy
    assert "完全相同（照抄去年）" in result.line()
    check = check_export(store, 2026)
    warned = [p for p in check.problems if "复制后没有修改过" in p.message]
    assert len(warned) == len(check.forms) == 4 and not any(p.is_error for p in warned)
    assert {p.form_id for p in warned} == {f.id for f in check.forms}
    form = check.forms[1]
    assert comparing.copy_warning(store, form)[0].form_id == form.id
    form.post_duties += "新增一项职责。"
    assert comparing.copy_warning(store, form) == []  # changed: no longer a copy


def test_each_kind_of_change_is_found_by_point_id(store):
    old = forms_of(store, 2025)
    post = next(f for (kind, _), f in forms_of(store, 2026).items() if kind == "post")
    before = next(f for f in old.values() if f.person == post.person and f.kind == "post")
    duty = post.risks_in("duty")
    duty[0].self_level = 1 if duty[0].self_level != 1 else 2  # re-levelled
    duty[1].measures += "每季度抽查一次。"  # rewritten
    dropped = post.risks_in("system")[0]
    post.risks.remove(dropped)
    post.move_risk("duty", 0, len(duty) - 1, ("thought", "duty", "process", "system", "external"))  # moved only
    post.risks.append(RiskPoint("external", "供应商节日送礼", 2, None, "拒收登记"))  # added
    store.save(post)
    (result,) = comparing.compare_years(store, 2026, 2025)
    assert not result.unchanged_copy
    was = next(r for r in before.risks if r.id == duty[0].id)
    assert [(c.point, c.old_level, c.new_level) for c in result.of(RELEVELLED)] == \
        [(duty[0].point, was.self_level, duty[0].self_level)]
    assert [(c.point, c.fields) for c in result.of(REWRITTEN)] == [(duty[1].point, ("防控措施",))]
    assert [c.point for c in result.of(DROPPED)] == [dropped.point]
    assert [c.point for c in result.of(ADDED)] == ["供应商节日送礼"]
    assert "新增 1 个、删去 1 个、调整等级 1 个、改写 1 个" in result.line()
    assert result.counts["external", 2, 2026] == result.counts["external", 2, 2025] + 1
    assert [f.id for f in result.unchanged_forms] == [f.id for f in store.forms(year=2026) if f.id != post.id]
    assert "调整等级（岗位职责风险" in result.of(RELEVELLED)[0].describe()


def test_points_typed_anew_with_last_years_text_are_last_years_points(tmp_path):
    store = FormStore.open(tmp_path / "u.db")
    store.save_all(demo_forms("图书馆", 2025, posts=1))
    again = demo_forms("图书馆", 2025, posts=1)  # filled in again in 2026, not copied: new ids
    for form in again:
        form.id, form.year = RiskPoint("duty").id, 2026
        for risk in form.risks:
            risk.id = RiskPoint("duty").id
    again[0].risks[0].point += "（今年补充）"
    store.save_all(again)
    (result,) = comparing.compare_years(store, 2026, 2025)
    assert [c.change for c in result.changes] == [ADDED, DROPPED]  # the one whose text changed
    store.close()


def test_the_editor_sees_last_years_form_and_points(store):
    form = next(f for f in store.forms(year=2026) if f.kind == "unit")
    gone = form.risks.pop(0)
    form.risks[0].point = "改过的文字"
    found = comparing.last_year(store, form)  # the form as on screen, not saved
    assert found.form is not None and found.form.year == 2025 and found.form.kind == "unit"
    assert found.value("unit_duties") == form.unit_duties
    assert found.points[form.risks[0].id].point != "改过的文字"
    assert [r.id for r in found.dropped] == [gone.id]
    assert "去年有、今年没有的风险点 1 个" in found.note()


def test_a_unit_renamed_since_last_year_is_still_compared(store):
    from lianzheng_desktop.operations.units import rename_unit

    rename_unit(store, 2026, "计划财务处")
    form = store.forms(year=2026)[0]
    assert comparing.last_year(store, form).form is not None
    assert len(comparing.copy_warnings(store, store.forms(year=2026))) == 4
