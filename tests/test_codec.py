"""The JSON contract: exact round trip, every problem reported at once in Chinese."""

import copy

import jsonschema
import pytest
from hypothesis import given, settings
from strategies import as_current, form_json

from lianzheng_desktop.domain import validate
from lianzheng_desktop.domain.codec import canonical_json, form_from_json, form_to_json
from lianzheng_desktop.domain.schema_gen import form_schema
from lianzheng_desktop.domain.validation import check_form_json

SCHEMA = jsonschema.Draft202012Validator(form_schema(), format_checker=jsonschema.FormatChecker())


def messages(obj):
    form, problems = check_form_json(obj)
    return [p.message for p in problems if p.is_error]


def test_examples_round_trip_exactly(examples):
    for obj in examples:
        form, problems = form_from_json(obj)
        assert not [p for p in problems if p.is_error]
        assert form_to_json(form) == as_current(obj)  # format 1 read: points get their ids
        assert list(form_to_json(form)) == list(obj)  # same key order as the contract
        SCHEMA.validate(obj)
        SCHEMA.validate(form_to_json(form))


@settings(max_examples=150, deadline=None)
@given(form_json())
def test_generated_forms_round_trip_and_agree_with_the_schema(obj):
    form, problems = check_form_json(obj)
    assert not [p for p in problems if p.is_error]
    assert form_to_json(form) == as_current(obj) | {"unit": obj["unit"].strip()}  # a unit's name is trimmed
    SCHEMA.validate(obj)


def test_the_issue_example_message(examples):
    unit = copy.deepcopy(examples[1])
    unit["risks"][1]["self_level"] = 4
    assert "第2个风险点（岗位职责风险）的自评等级“4”无效：只能是一级、二级或三级" in messages(unit)


def test_every_problem_is_reported_at_once(examples):
    obj = copy.deepcopy(examples[1])
    obj["year"] = "2026"
    obj["colour"] = "red"
    obj["filled_on"] = "2026-02-30"
    obj["risks"][0]["category"] = "weather"
    obj["risks"][2]["approved_level"] = "二级"
    found = messages(obj)
    assert len(found) == 5, found
    assert any("年度应当是整数" in m and "“2026”" in m for m in found)
    assert any("colour" in m for m in found)
    assert any("填表日期“2026-02-30”无效" in m for m in found)
    assert any("风险类别“weather”无效" in m for m in found)
    assert any("第3个风险点（工作流程风险）的审定等级“二级”无效" in m for m in found)
    assert not SCHEMA.is_valid(obj)


@pytest.mark.parametrize("change, expected", [
    (lambda o: o.pop("unit"), "缺少必填项“单位”"),
    (lambda o: o.update(unit="  "), "“单位”不能为空"),
    (lambda o: o.update(kind="department"), "表格种类“department”无效"),
    (lambda o: o.update(schema=3), "格式版本是 3，本程序只支持到 2"),
    (lambda o: o["risks"][0].update(id="x"), "第1个风险点（思想道德风险）的风险点标识“x”不是有效的 UUID"),
    (lambda o: o["risks"][0].update(ref="第一条"), "第1个风险点（思想道德风险）的参考点代码“第一条”无效"),
    (lambda o: o.update(year=1999), "年度“1999”超出范围"),
    (lambda o: o.update(year=True), "年度应当是整数"),
    (lambda o: o.update(id="not-a-uuid"), "表格编号“not-a-uuid”不是有效的 UUID"),
    (lambda o: o.update(person="张三"), "无法识别的字段“person”"),
    (lambda o: o["risks"][0].update(self_level=True), "自评等级“true”无效"),
    (lambda o: o["risks"][0].update(note="x"), "第1个风险点有无法识别的字段“note”"),
    (lambda o: o.update(risks={}), "风险点应当是数组"),
])
def test_each_bad_value_is_named(examples, change, expected):
    obj = copy.deepcopy(examples[1])
    change(obj)
    found = messages(obj)
    assert any(expected in m for m in found), found
    assert not SCHEMA.is_valid(obj)


def test_two_points_with_one_id_are_refused(examples):
    """The committee's review names points by id: one id twice in a form is an error (a
    JSON Schema can't say so; the reader does)."""
    obj = copy.deepcopy(examples[1])
    for risk in obj["risks"][:2]:
        risk["id"] = "0b7d2f7e-1f1a-4e0e-9a57-5d3c2b1a0f99"
    assert "第2个风险点的风险点标识 0b7d2f7e-1f1a-4e0e-9a57-5d3c2b1a0f99 与前面的风险点重复：" \
           "一张表格中每个风险点的标识都不同" in messages(obj)


def test_a_format_1_file_read_twice_gives_its_points_the_same_ids(examples):
    first, _ = form_from_json(copy.deepcopy(examples[1]))
    again, _ = form_from_json(copy.deepcopy(examples[1]))
    assert [r.id for r in first.risks] == [r.id for r in again.risks]
    assert len({r.id for r in first.risks}) == len(first.risks)
    other = copy.deepcopy(examples[1]) | {"id": "0b7d2f7e-1f1a-4e0e-9a57-5d3c2b1a0f77"}
    assert not {r.id for r in form_from_json(other)[0].risks} & {r.id for r in first.risks}


def test_post_form_requires_person(examples):
    obj = copy.deepcopy(examples[0])
    del obj["person"]
    assert "缺少必填项“责任人姓名”" in messages(obj)


def test_warnings_for_an_unfinished_draft(examples):
    obj = copy.deepcopy(examples[0])
    obj["filled_on"] = None
    obj["risks"][0]["self_level"] = None
    form, _ = form_from_json(obj)
    warnings = [p.message for p in validate(form) if not p.is_error]
    assert "还没有填表日期（打印时留空待手写）" in warnings
    assert "岗位职责风险第1个风险点还没有自评等级" in warnings  # numbered as the table numbers it
    assert "思想道德风险还没有风险点" in warnings
    assert all(not p.is_error for p in validate(form))


def test_hand_written_file_without_id_gets_a_stable_id(examples):
    obj = copy.deepcopy(examples[0])
    del obj["id"]
    first, _ = form_from_json(obj)
    second, _ = form_from_json(copy.deepcopy(obj))
    assert first.id == second.id


def test_canonical_json_ignores_key_order(examples):
    obj = examples[1]
    reordered = dict(reversed(list(obj.items())))
    assert canonical_json(form_from_json(obj)[0]) == canonical_json(form_from_json(reordered)[0])


def test_editing_by_category_row_keeps_other_categories_in_place(examples):
    from lianzheng_desktop.domain.definitions import definitions
    from lianzheng_desktop.domain.model import RiskPoint

    order = definitions().category_keys
    form = form_from_json(examples[1])[0]  # one point in each category
    before = [r.category for r in form.risks]
    form.insert_risks("duty", 1, [RiskPoint("duty", "新增")], order)
    assert [r.point for r in form.risks_in("duty")][1] == "新增"
    assert [r.category for r in form.risks] == ["thought", "duty", "duty", "process", "system", "external"]
    form.move_risk("duty", 1, 0, order)
    assert form.risks_in("duty")[0].point == "新增"
    removed = form.remove_risks("duty", 0, 1)
    assert removed[0].point == "新增" and [r.category for r in form.risks] == before
    empty = form_from_json(examples[0])[0]  # duty and process only
    empty.insert_risks("system", 0, [RiskPoint("system", "x")], order)
    assert [r.category for r in empty.risks] == ["duty", "process", "system"]
    empty.insert_risks("thought", 0, [RiskPoint("thought", "y")], order)
    assert [r.category for r in empty.risks][0] == "thought"
