"""Pasting rows from Excel/WPS: the spreadsheet clipboard dialect and hostile text."""

import pytest

from lianzheng_desktop.exchange.clipboard import PasteRefused, parse_cells, rows_to_risks


def test_excel_block_with_quoted_multiline_cells():
    text = '1\t验收把关不严\t二级\t\t"多人验收\n签字后付款"\r\n2\t"含""引号""的\t风险点"\t一级\t三级\t公开招标\r\n'
    result = rows_to_risks(text, "duty")
    assert [(r.point, r.self_level, r.approved_level, r.measures) for r in result.risks] == [
        ("验收把关不严", 2, None, "多人验收\n签字后付款"),
        ('含"引号"的\t风险点', 1, 3, "公开招标"),
    ]
    assert all(r.category == "duty" for r in result.risks)


def test_two_and_one_column_pastes_and_header_row():
    assert [(r.point, r.measures) for r in rows_to_risks("具体风险点\t防控措施\n甲\t乙\n", "system").risks] == [("甲", "乙")]
    assert [r.point for r in rows_to_risks("一行\n两行\n", "system").risks] == ["一行", "两行"]


def test_bad_levels_are_left_empty_with_a_note():
    result = rows_to_risks("点\t四级\t\t措施", "thought")
    assert result.risks[0].self_level is None
    assert "第1行的自评“四级”不是一级、二级或三级，已留空" in result.notes


def test_hostile_clipboard_text():
    with pytest.raises(PasteRefused, match="太大"):
        parse_cells("x" * 1_000_001)
    with pytest.raises(PasteRefused, match="最多粘贴 500 行"):
        parse_cells("行\n" * 600)
    with pytest.raises(PasteRefused, match="没有可以粘贴"):
        rows_to_risks("\n\t\n", "duty")
    risk = rows_to_risks("a\x00b\u202ec\u200fd\x1b", "duty").risks[0]
    assert risk.point == "abc\u200fd"  # controls and bidi overrides gone, plain marks kept
