"""The small readers behind the Word import: levels, dates, numbering, category names."""

import datetime as dt

import pytest

from lianzheng_desktop.exchange.docx.words import category_of, parse_date, parse_level, strip_numbering


@pytest.mark.parametrize("text, level", [
    ("一级", 1), ("二级风险", 2), ("3", 3), ("Ⅱ", 2), ("III", 3), ("２", 2), (" 三 级 ", 3), ("二级√", 2),
    ("☑一级 □二级 □三级", 1), ("一级□ 二级☑ 三级□", 2), ("□一级 □二级 ☒三级", 3), ("", None),
    ("□一级 □二级 □三级", None),
])
def test_levels(text, level):
    assert parse_level(text) == (level, None)


@pytest.mark.parametrize("text", ["很高", "4", "一级二级", "☑一级 ☑二级", "√", "较高（二级）"])
def test_not_levels(text):
    value, reason = parse_level(text)
    assert value is None and reason


@pytest.mark.parametrize("text, date", [
    ("2025年11月3日", dt.date(2025, 11, 3)), ("2025.11.3", dt.date(2025, 11, 3)),
    ("2025-11-03", dt.date(2025, 11, 3)), ("2025/11/3", dt.date(2025, 11, 3)),
    ("2025 年 11 月 3 日", dt.date(2025, 11, 3)), ("二〇二五年十一月三日", dt.date(2025, 11, 3)),
    ("二〇二五年十二月二十日", dt.date(2025, 12, 20)), ("２０２５年１１月３日", dt.date(2025, 11, 3)),
    ("　　年　　月　　日", None), ("     年   月   日", None), ("", None),
])
def test_dates(text, date):
    assert parse_date(text) == (date, None)


@pytest.mark.parametrize("text, problem", [("2025年  月  日", "date_partial"), ("2025年2月30日", "date_invalid"),
                                           ("下周", "date_invalid")])
def test_bad_dates(text, problem):
    assert parse_date(text) == (None, problem)


@pytest.mark.parametrize("text, point", [
    ("1.风险", "风险"), ("2、风险", "风险"), ("（一）风险", "风险"), ("(3) 风险", "风险"), ("一、风险", "风险"),
    ("①风险", "风险"), ("1.5倍加班费", "1.5倍加班费"), ("2025年度计划", "2025年度计划"), ("1.2、风险", "2、风险"),
])
def test_one_numbering_prefix_removed(text, point):
    assert strip_numbering(text, own=False) == point


def test_template_number_of_the_row_goes_even_before_digits():
    assert strip_numbering("1.50万元以上采购未经集体决策", own=False, row=1) == "50万元以上采购未经集体决策"
    assert strip_numbering("1.5倍加班费", own=False, row=2) == "1.5倍加班费"


def test_own_numbering_is_exact():
    assert strip_numbering("1. 风险", own=True) == " 风险"
    assert strip_numbering("3.2、风险", own=True) == "2、风险"


@pytest.mark.parametrize("text, key", [("思想道德风险", "thought"), ("思想意识\n风险", "thought"),
                                       ("职责履行风险", "duty"), ("岗位职责风险（续）", "duty"),
                                       ("一、工作流程风险", "process"), ("其他风险", None)])
def test_category_names(text, key):
    assert category_of(text)[0] == key
