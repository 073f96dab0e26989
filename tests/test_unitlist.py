"""The committee's list of expected units, from text or Excel, and hostile lists."""

import pytest

from lianzheng_desktop.exchange.unitlist import UnitListRejected, parse_unit_lines, read_unit_list


def test_excel_list_first_column(tmp_path):
    import xlsxwriter

    path = tmp_path / "名单.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    for row, values in enumerate([("单位名称", "联系人"), ("图书馆", "张"), ("财务处", "李"), (None, None), ("图书馆", "")]):
        sheet.write_row(row, 0, values)
    book.close()
    assert read_unit_list(path) == ["图书馆", "财务处"]


def test_text_and_csv_lists(tmp_path):
    path = tmp_path / "u.csv"
    path.write_bytes("单位,人数\r\n图书馆,20\r\n\"财务处\",8\r\n".encode("utf-8-sig"))
    assert read_unit_list(path) == ["图书馆", "财务处"]


def test_hostile_lists(tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(UnitListRejected, match="无法读取这个 Excel"):
        read_unit_list(bad)
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes("图书馆\n财务处\n".encode("gbk"))
    with pytest.raises(UnitListRejected, match="GBK"):
        read_unit_list(gbk)
    with pytest.raises(UnitListRejected, match="太长"):
        parse_unit_lines("图" * 100)
    with pytest.raises(UnitListRejected, match="超过 1000"):
        parse_unit_lines("\n".join(f"单位{i}" for i in range(1200)))
    empty = tmp_path / "empty.txt"
    empty.write_text("\n\n", encoding="utf-8")
    with pytest.raises(UnitListRejected):
        read_unit_list(empty)
    assert parse_unit_lines("图书馆\u202e\x00\n") == ["图书馆"]
