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


# -- the shapes WPS, Excel and Word put on the clipboard (issue 11, situation 7) ----------

# Excel/WPS: rows copied from a filled-in form sheet. The merged 风险类别 cells are empty
# below their first row, the merged 风险等级 header copies as the name and an empty cell,
# and a cell with a line break is quoted; rows end in CR LF.
EXCEL_FORM_ROWS = (
    "风险类别\t具体风险点\t风险等级\t\t防控措施\r\n"
    "\t\t自评\t审定\t\r\n"
    "思想道德风险\t1.廉洁自律意识不强\t二级\t\t每学期开展警示教育\r\n"
    "\t2、服务意识欠缺，办事拖延\t三级\t二级\t\"首问负责\n限时办结\"\r\n"
    "岗位职责风险\t（一）报销单据审核不严\t一级\t一级\t双人审核\r\n"
)

# Word/WPS Writer: the same rows copied from the official form's table (a printed form's
# source). Word copies the merged 风险等级 cell as one cell, so the first header row is
# one cell short; the category names are Attachment 1's, one typed with a line break.
WORD_FORM_ROWS = (
    "风险类别\t具体风险点\t风险等级\t防控措施\r\n"
    "\t\t自评\t审定\t\r\n"
    "\"职责履行\n风险\"\t1.在供应商选择上倾向熟悉的单位\tⅡ\tⅠ\t公开招标\r\n"
    "\t2.验收把关不严\t3\t\t三人验收\r\n"
    "工作流程风险（续）\t1．审批流程中一人决定\t一级风险\t\t集体决策"
)


def shaped(result):
    return [(r.category, r.point, r.self_level, r.approved_level, r.measures) for r in result.risks]


def test_rows_copied_from_a_filled_form_in_excel_or_wps():
    result = rows_to_risks(EXCEL_FORM_ROWS, "system")
    assert result.header_rows == 2
    assert shaped(result) == [
        ("thought", "廉洁自律意识不强", 2, None, "每学期开展警示教育"),
        ("thought", "服务意识欠缺，办事拖延", 3, 2, "首问负责\n限时办结"),
        ("duty", "报销单据审核不严", 1, 1, "双人审核"),
    ]
    assert not result.notes
    assert result.counts() == {"thought": 2, "duty": 1}


def test_rows_copied_from_the_official_form_in_word():
    result = rows_to_risks(WORD_FORM_ROWS, "thought")
    assert shaped(result) == [
        ("duty", "在供应商选择上倾向熟悉的单位", 2, 1, "公开招标"),
        ("duty", "验收把关不严", 3, None, "三人验收"),
        ("process", "审批流程中一人决定", 1, None, "集体决策"),
    ]


def test_a_category_column_without_header_and_a_serial_column():
    text = "外部环境风险\t1\t服务对象的利益诱惑\t2\t\t拒收礼品\n\t2\t人情关系侵蚀\t三级\t三级\t回避制度\n"
    assert shaped(rows_to_risks(text, "duty")) == [
        ("external", "服务对象的利益诱惑", 2, None, "拒收礼品"),
        ("external", "人情关系侵蚀", 3, 3, "回避制度"),
    ]


def test_numbering_is_stripped_but_numbers_that_are_content_stay():
    from lianzheng_desktop.exchange.clipboard import strip_numbering

    assert [strip_numbering(t) for t in ("1.报销", "2、采购", "（一）招标", "(3) 验收", "一、轮岗", "①公示",
                                         "1.5倍以上的超支", "2026年预算")] == [
        "报销", "采购", "招标", "验收", "轮岗", "公示", "1.5倍以上的超支", "2026年预算"]


def test_levels_in_every_spelling_by_their_column():
    from lianzheng_desktop.exchange.clipboard import level_value

    assert [level_value(t) for t in ("一级", "1", "Ⅰ", "I", "一", "１", "二级风险", "III", "3级", "", "四级")] == [
        1, 1, 1, 1, 1, 1, 2, 3, 3, None, "四级"]
    # 审定 filled, 自评 empty: the level stays in its own column
    assert shaped(rows_to_risks("点\t\t二级\t措施", "duty")) == [("duty", "点", None, 2, "措施")]


def test_a_single_cell_is_a_value_and_a_block_is_not_rows():
    from lianzheng_desktop.exchange.clipboard import is_table_of_rows, single_value

    assert single_value('"首问负责\n限时办结"\r\n') == "首问负责\n限时办结"  # one Excel cell with a break
    assert single_value("从 Word 复制的一段\n两行文字") == "从 Word 复制的一段\n两行文字"
    assert single_value("二级\t三级\r\n") is None
    assert not is_table_of_rows("二级\t三级\r\n一级\t一级\r\n")  # two level cells: a block
    assert is_table_of_rows(EXCEL_FORM_ROWS) and is_table_of_rows("a\t二级\t\tb\r\n")
