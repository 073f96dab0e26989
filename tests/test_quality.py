"""Quality checks as declared rules (forms/quality.toml, issue 16): copies within a unit and
across units by similarity (not equality), points copied from Attachment 1, vague measures,
measures of one phase only, a level without its point. Each case that must warn has a
neighbour that must not; each warning says what to do; none blocks export unless declared."""

from dataclasses import replace

import pytest
from trust import committee_key_in, trust

from lianzheng_desktop.domain import quality
from lianzheng_desktop.domain.crosscheck import check_forms
from lianzheng_desktop.domain.model import Form, RiskPoint
from lianzheng_desktop.operations import quality as quality_ops
from lianzheng_desktop.operations import sending
from lianzheng_desktop.store import FormStore

# measures that name who, when and how and touch all three phases: no rule but the one tested fires
GOOD = "每季度由纪检委员抽查合同并签字留痕，签订廉洁承诺书，发现问题立即报告并追究责任"
COPIED = "在物资采购中利用职务便利收受供应商回扣，为其中标提供方便。"
COPIED_NO_STOP = "在物资采购中，利用职务便利收受供应商回扣，为其中标提供方便"  # "。" gone, a comma added
# two different risks sharing a long declared stock phrase (按照上级有关规定和学校相关要求，结合本单位实际情况)
STOCK = "按照上级有关规定和学校相关要求，结合本单位实际情况，"
UNRELATED_A = STOCK + "招生录取时为亲友打招呼说情"
UNRELATED_B = STOCK + "科研经费中虚列劳务费套取资金"


def post(person: str, *points: str, unit: str = "财务处", measures: str = GOOD, level: int | None = 2) -> Form:
    form = Form(kind="post", year=2026, unit=unit, person=person, post=f"{person}的岗位")
    form.risks = [RiskPoint("duty", p, level, None, measures) for p in points]
    return form


def unit_form(unit: str = "财务处", *points: str) -> Form:
    form = Form(kind="unit", year=2026, unit=unit, head="张三")
    form.risks = [RiskPoint("process", p, 2, None, GOOD) for p in points or ("报销审核中放宽标准为熟人违规报销",)]
    return form


def found(problems, text: str) -> list[str]:
    return [p.message for p in problems if text in p.message]


# -- the similarity measure -------------------------------------------------------------------


def test_a_copy_differing_only_in_punctuation_is_the_same_text():
    assert quality.similarity(COPIED, COPIED_NO_STOP) == 1.0
    assert quality.similarity("在物资采购中收受回扣。", "在物资采购中收受回扣") == 1.0
    assert quality.similarity("ＡＢＣ采购，收受回扣", "abc采购,收受回扣") == 1.0  # full/half width alike


def test_a_long_shared_stock_phrase_does_not_make_two_risks_alike():
    assert quality.similarity(UNRELATED_A, UNRELATED_B) < quality.quality_rules().threshold
    assert quality.similarity("在物资采购中收受供应商回扣", "在招生录取中为亲友说情打招呼") == 0.0


# -- copies within a unit -------------------------------------------------------------------


def test_a_near_copy_in_three_post_forms_warns_once_with_what_to_do():
    forms = [unit_form(), post("王强", COPIED), post("李娜", COPIED_NO_STOP), post("赵敏", COPIED + "  ")]
    problems = check_forms(forms)
    copies = found(problems, "相同或几乎相同")
    assert len(copies) == 1, copies  # one warning for the copied text, not one per form
    assert "3 张岗位登记表" in copies[0] and "请结合各岗位的实际分别排查" in copies[0]
    assert all(not p.is_error for p in problems)


def test_two_posts_sharing_only_a_stock_phrase_are_not_copies():
    forms = [unit_form(), post("王强", UNRELATED_A), post("李娜", UNRELATED_B), post("赵敏", UNRELATED_A[:-2] + "收礼")]
    problems = check_forms(forms)
    assert not found(problems, "相同或几乎相同"), [p.message for p in problems]


def test_the_same_point_in_two_forms_is_not_yet_copying():
    forms = [unit_form(), post("王强", COPIED), post("李娜", COPIED_NO_STOP)]
    assert not found(check_forms(forms), "相同或几乎相同")


def test_two_identical_posts_are_named_as_whole_form_copies():
    points = ["报销单据审核时放宽标准为熟人违规报销", "现金保管不当存在挪用公款的可能", "收受报销人员的礼品礼金"]
    wang, li = post("王强", *points), post("李娜", *points)
    zhao = post("赵敏", "工资核算时违规多发津贴补贴", "银行账户网银密钥由一人保管", "对外提供虚假财务数据")
    problems = check_forms([unit_form(), wang, li, zhao])
    whole = found(problems, "几乎完全相同")
    assert len(whole) == 1 and "李娜" in whole[0] and "王强" in whole[0], whole
    assert "请按各自岗位重新排查" in whole[0]
    assert not [m for m in whole if "赵敏" in m]


def test_the_open_form_shows_copies_found_with_its_saved_siblings(tmp_path):
    store = FormStore.open(tmp_path / "unit.db")
    wang, li, zhao = post("王强", COPIED), post("李娜", COPIED_NO_STOP), post("赵敏", "工资核算时违规多发津贴补贴")
    store.save_all([unit_form(), wang, li, zhao])
    assert not found(quality_ops.form_check(store, zhao), "相同或几乎相同")
    zhao.risks[0] = RiskPoint("duty", COPIED.replace("。", "；"), 2, None, GOOD)  # typed, not yet saved
    warnings = found(quality_ops.form_check(store, zhao), "相同或几乎相同")
    assert len(warnings) == 1 and "3 张岗位登记表" in warnings[0]
    store.close()


# -- Attachment 1 copied --------------------------------------------------------------------


def test_a_reference_point_copied_as_it_stands_warns_but_a_concrete_one_does_not():
    form = post("王强", "履行岗位职责不到位。", "审核报销单据时对熟人放宽标准")
    problems = check_forms([unit_form(), form])
    copied = found(problems, "照抄了附件1")
    assert len(copied) == 1 and "岗位职责风险第1个风险点" in copied[0] and "王强" in copied[0]
    assert "请写出它在本单位、本岗位工作中的具体表现" in copied[0]


# -- vague measures -------------------------------------------------------------------------


def test_a_vague_measure_warns_and_says_what_is_missing():
    form = post("王强", "审核报销单据时对熟人放宽标准", measures="加强学习，提高认识。")
    problems = check_forms([unit_form(), form])
    vague = found(problems, "太笼统")
    assert len(vague) == 1, [p.message for p in problems]
    assert "由谁负责" in vague[0] and "何时、多久一次" in vague[0] and "请写清" in vague[0]
    place = next(p for p in problems if "太笼统" in p.message)
    assert place.form_id == form.id and place.path == ("risks", 0, "measures")  # the pane leads there


def test_a_measure_naming_who_when_and_how_is_not_vague():
    form = post("王强", "审核报销单据时对熟人放宽标准",
                measures="加强学习；每月由财务科长复核报销单据并签字，发现问题及时报告纪检委员追究责任")
    assert not found(check_forms([unit_form(), form]), "太笼统")


# -- the three phases -------------------------------------------------------------------------


def test_measures_of_only_one_phase_warn_naming_the_missing_phases():
    prevention_only = "每学期由科长组织廉政教育培训，签订承诺书"
    form = post("王强", "审核报销单据时对熟人放宽标准", "收受报销人员的礼品礼金", measures=prevention_only)
    problems = check_forms([unit_form(), form])
    phases = found(problems, "只涉及前期预防")
    assert phases and "请补充中期监控、后期处置的措施" in phases[0], [p.message for p in problems]


def test_measures_covering_two_phases_across_the_form_do_not_warn():
    form = post("王强", "审核报销单据时对熟人放宽标准", "收受报销人员的礼品礼金",
                measures="每学期由科长组织廉政教育培训，签订承诺书")
    form.risks[1] = replace(form.risks[1], measures="每月由科长抽查报销单据并签字留痕")
    assert not found(check_forms([unit_form(), form]), "只涉及")


def test_a_first_level_point_needs_two_phases_in_its_own_measures():
    form = post("王强", "审核报销单据时对熟人放宽标准", "收受报销人员的礼品礼金", level=1,
                measures="每学期由科长组织廉政教育培训，签订承诺书")
    form.risks[1] = replace(form.risks[1], measures=GOOD)
    messages = found(check_forms([unit_form(), form]), "是一级风险")
    assert len(messages) == 1 and "第1个风险点" in messages[0]


# -- a level without text ---------------------------------------------------------------------


def test_a_level_without_its_point_blocks_export_and_a_complete_point_does_not(tmp_path):
    store = FormStore.open(tmp_path / "unit.db")
    trust(store, committee_key_in(tmp_path / "committee.db"))
    form = post("王强", "审核报销单据时对熟人放宽标准")
    store.save_all([unit_form(), form])
    assert sending.check_export(store, 2026).allowed
    form.risks.append(RiskPoint("duty", "", 1, None, ""))
    store.save(form)
    check = sending.check_export(store, 2026)
    assert not check.allowed
    assert found(check.problems, "有自评等级，但没有填写具体风险点")
    store.close()


# -- declared, not coded ------------------------------------------------------------------------


def _rules_with(monkeypatch, **changes):
    rules = quality.quality_rules()
    for flag, value in (("blocks", True), ("unblocks", False)):
        if flag in changes:
            key = changes.pop(flag)
            rules = replace(rules, rules={**rules.rules, key: replace(rules.rules[key], blocks=value)})
    rules = replace(rules, **changes)
    monkeypatch.setattr(quality, "quality_rules", lambda: rules)


def test_warnings_never_block_export_unless_a_rule_is_declared_to(tmp_path, monkeypatch):
    store = FormStore.open(tmp_path / "unit.db")
    trust(store, committee_key_in(tmp_path / "committee.db"))
    store.save_all([unit_form(), post("王强", "审核报销单据时对熟人放宽标准", measures="加强学习，提高认识")])
    check = sending.check_export(store, 2026)
    assert check.allowed and found(check.problems, "太笼统")
    _rules_with(monkeypatch, blocks=quality.VAGUE_MEASURES)
    check = sending.check_export(store, 2026)
    assert not check.allowed and [p for p in check.problems if p.is_error and "太笼统" in p.message]
    store.close()


def test_a_level_without_text_blocks_only_as_long_as_the_rules_say_so(tmp_path, monkeypatch):
    store = FormStore.open(tmp_path / "unit.db")
    trust(store, committee_key_in(tmp_path / "committee.db"))
    form = post("王强", "审核报销单据时对熟人放宽标准")
    form.risks.append(RiskPoint("duty", "", 1, None, ""))
    store.save_all([unit_form(), form])
    assert not sending.check_export(store, 2026).allowed
    _rules_with(monkeypatch, unblocks=quality.LEVEL_WITHOUT_TEXT)
    check = sending.check_export(store, 2026)
    assert check.allowed and [p for p in check.problems if not p.is_error and "没有填写具体风险点" in p.message]
    store.close()


def test_the_threshold_is_read_from_the_rules(monkeypatch):
    a, b = "在物资采购中收受供应商回扣", "在设备采购中收受供应商的回扣"
    forms = [unit_form(), post("王强", a), post("李娜", b), post("赵敏", a)]
    assert found(check_forms(forms), "相同或几乎相同")
    _rules_with(monkeypatch, threshold=0.9)
    assert quality.similarity(a, b) < 0.9
    warning = found(check_forms(forms), "相同或几乎相同")
    assert warning == [] or "2 张" in warning[0]  # only the two equal ones left: below min_forms


# -- the committee: every unit ------------------------------------------------------------------


def test_the_committee_finds_near_copies_across_units_but_not_shared_stock_phrases():
    units = [quality.UnitForms.of([unit_form("财务处", COPIED, UNRELATED_A)]),
             quality.UnitForms.of([unit_form("资产处", COPIED_NO_STOP, UNRELATED_B)]),
             quality.UnitForms.of([unit_form("图书馆", "图书采购中收受书商回扣")])]
    scan = quality.committee_scan(units)
    across = {u: [f.message for f in scan.flags[u] if f.rule == quality.COPIED_ACROSS_UNITS] for u in scan.units}
    assert len(across["财务处"]) == 1 and "资产处" in across["财务处"][0], across
    assert len(across["资产处"]) == 1 and "财务处" in across["资产处"][0]
    assert "请核实是否结合本单位实际排查" in across["财务处"][0]
    assert across["图书馆"] == []
    assert scan.count("财务处", quality.COPIED_ACROSS_UNITS) == 1 and scan.points["财务处"] == 2


def test_the_committee_scan_reads_the_stored_year(tmp_path):
    store = FormStore.open(tmp_path / "committee.db")
    store.save_all([unit_form("财务处", COPIED), post("王强", "收受报销人员的礼品礼金", measures="加强学习"),
                    unit_form("资产处", COPIED_NO_STOP)])
    scan = quality_ops.scan_year(store, 2026)
    assert sorted(scan.units) == ["财务处", "资产处"]
    assert scan.count("财务处", quality.COPIED_ACROSS_UNITS) == 1
    assert scan.count("资产处", quality.COPIED_ACROSS_UNITS) == 1
    assert scan.count("财务处", quality.VAGUE_MEASURES) == 1 and scan.count("资产处", quality.VAGUE_MEASURES) == 0
    store.close()


@pytest.mark.parametrize("text", ["", "   "])
def test_blank_points_are_never_compared(text):
    forms = [unit_form(), post("王强", text), post("李娜", text), post("赵敏", text)]
    assert not found(check_forms(forms), "相同或几乎相同")


# -- the committee's report ---------------------------------------------------------------------


def _committee_with_copies(tmp_path):
    store = FormStore.open(tmp_path / "committee.db")
    store.save_all([unit_form("财务处", COPIED), post("王强", "收受报销人员的礼品礼金", measures="加强学习 & 提高认识"),
                    unit_form("资产处", COPIED_NO_STOP), unit_form("图书馆", "图书采购中收受书商回扣")])
    return store


def _rows(path, sheet):
    from openpyxl import load_workbook

    return list(load_workbook(path)[sheet].iter_rows(values_only=True))


def test_the_quality_report_counts_each_units_findings_and_says_what_to_do(tmp_path):
    store = _committee_with_copies(tmp_path)
    written = quality_ops.export_quality(store, tmp_path / "q.xlsx", 2026)
    store.close()
    assert written.units == 3 and "3 个单位" in written.message
    units = _rows(tmp_path / "q.xlsx", "按单位")
    header = units[0]
    by_unit = {r[0]: dict(zip(header, r, strict=True)) for r in units[1:4]}
    assert by_unit["财务处"]["跨单位雷同"] == 1 and by_unit["资产处"]["跨单位雷同"] == 1
    assert by_unit["图书馆"]["跨单位雷同"] == 0
    assert by_unit["财务处"]["措施笼统"] == 1 and by_unit["财务处"]["风险点数"] == 2
    findings = _rows(tmp_path / "q.xlsx", "提醒明细")
    assert len(findings) == 1 + written.findings
    vague = next(r for r in findings if r[3] == "措施笼统")
    assert vague[0] == "财务处" and "王强" in vague[1] and vague[2] == "岗位职责风险第1个风险点"
    assert "加强学习 & 提高认识" in vague[4] and "请写清" in vague[4]


def test_the_quality_report_prints_like_the_summary(tmp_path):
    from openpyxl import load_workbook

    store = _committee_with_copies(tmp_path)
    quality_ops.export_quality(store, tmp_path / "q.xlsx", 2026)
    store.close()
    for ws in load_workbook(tmp_path / "q.xlsx").worksheets:
        assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.print_title_rows == "$1:$1"
        assert "&P" in ws.oddFooter.right.text


def test_the_command_line_writes_the_quality_report(tmp_path, capsys):
    from lianzheng_desktop.cli import main

    _committee_with_copies(tmp_path).close()
    assert main(["quality", "--db", str(tmp_path / "committee.db"), "-o", str(tmp_path / "q.xlsx")]) == 0
    assert "已生成内容质量检查" in capsys.readouterr().err
    assert _rows(tmp_path / "q.xlsx", "按单位")[0][0] == "单位"
