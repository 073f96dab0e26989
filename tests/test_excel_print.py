"""The committee's Excel summary prints (issue 16): every sheet A4 landscape, its columns
fitted to the page width, the header row on every page, the sheet's name and page N of M
in the footer; 统计 on one page per 50 units. And the rows streamed from the store into
the file (exchange/sheetxml.py) read back exactly as XlsxWriter writes them."""

import math
import zipfile

import pytest
from openpyxl import load_workbook

from lianzheng_desktop.domain.demo import demo_forms
from lianzheng_desktop.domain.model import Form, RiskPoint
from lianzheng_desktop.exchange import sheetxml, summary
from lianzheng_desktop.exchange.summary import CUT_NOTE, EXCEL_CELL_MAX, write_summary
from lianzheng_desktop.operations.committee import export_summary
from lianzheng_desktop.store import FormStore


@pytest.fixture
def store(tmp_path):
    s = FormStore.open(tmp_path / "committee.db")
    yield s
    s.close()


def small_units(count: int) -> list[Form]:
    forms = []
    for i in range(count):
        form = Form(kind="unit", year=2026, unit=f"单位{i:03d}", head="张三")
        form.risks = [RiskPoint("duty", f"第{i}个单位的风险点", 2, None, "每月由科长复核")]
        forms.append(form)
    return forms


def test_every_sheet_prints_a4_landscape_fitted_to_the_width_with_headers_and_page_numbers(store, tmp_path):
    store.save_all([*demo_forms("财务处", posts=2), *demo_forms("图书馆", posts=1)])
    export_summary(store, tmp_path / "s.xlsx", 2026)
    book = load_workbook(tmp_path / "s.xlsx")
    assert book.sheetnames[0] == "风险点" and "统计" in book.sheetnames
    for ws in book.worksheets:
        setup = ws.page_setup
        assert setup.orientation == "landscape", ws.title
        assert int(setup.paperSize) == 9, ws.title  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert int(setup.fitToWidth or 1) == 1, ws.title  # absent: 1, the file format's default
        assert ws.print_title_rows == "$1:$1", ws.title  # the header row on every page
        assert ws.oddFooter.left.text == "&A", ws.title  # the sheet's name
        assert "&P" in ws.oddFooter.right.text and "&N" in ws.oddFooter.right.text, ws.title
    assert int(book["风险点"].page_setup.fitToHeight) == 0  # as many pages high as it takes


@pytest.mark.parametrize("units", [3, 50, 51, 120])
def test_the_statistics_sheet_prints_one_page_per_50_units(store, tmp_path, units):
    store.save_all(small_units(units))
    export_summary(store, tmp_path / "s.xlsx", 2026)
    stats = load_workbook(tmp_path / "s.xlsx")["统计"]
    assert int(stats.page_setup.fitToHeight or 1) == math.ceil(units / 50)  # absent: 1
    assert int(stats.page_setup.fitToWidth or 1) == 1


HOSTILE = ["A & B <c> “引号”", " 前后有空格 ", "控制\x01字符\x1f", "字面的 _x0041_ 不是转义", "行一\n行二\t制表",
           "非字符\ufffe", "{0} {1} 花括号"]


@pytest.mark.parametrize("chunk", [sheetxml.CHUNK_ROWS, 2])
def test_streamed_rows_read_back_as_xlsxwriter_writes_them(store, tmp_path, monkeypatch, chunk):
    monkeypatch.setattr(sheetxml, "CHUNK_ROWS", chunk)  # rare escapes in some chunks only
    forms = small_units(5)
    forms[1].risks = [RiskPoint("duty", text, 1, 2, text) for text in HOSTILE]
    forms[3].head = HOSTILE[0]
    store.save_all(forms)
    forms = store.forms(year=2026)
    monkeypatch.setattr(summary, "STREAM_ABOVE", 0)  # XlsxWriter cell by cell, inline strings as here
    write_summary(forms, tmp_path / "reference.xlsx", 2026)
    export_summary(store, tmp_path / "streamed.xlsx", 2026, assessment=False)  # as write_summary: no 考核
    one, two = load_workbook(tmp_path / "reference.xlsx"), load_workbook(tmp_path / "streamed.xlsx")
    assert one.sheetnames == two.sheetnames
    for name in one.sheetnames:
        assert [[c.value for c in r] for r in one[name].rows] == [[c.value for c in r] for r in two[name].rows], name
    with zipfile.ZipFile(tmp_path / "streamed.xlsx") as package:
        xml = package.read("xl/worksheets/sheet1.xml").decode("utf-8")
    # as Excel reads them: escaped markup, control characters as _xHHHH_, a literal _xHHHH_ protected
    assert "A &amp; B &lt;c&gt; “引号”" in xml and '<t xml:space="preserve"> 前后有空格 </t>' in xml
    assert "控制_x0001_字符_x001F_" in xml and "字面的 _x005F_x0041_ 不是转义" in xml and "非字符_xFFFE_" in xml
    assert "行一\n行二\t制表" in xml and "{0} {1} 花括号" in xml


def test_text_beyond_a_cell_is_cut_and_listed_when_streamed(store, tmp_path):
    forms = small_units(3)
    forms[2].risks[0] = RiskPoint("duty", "风" * 40_000, 1, None, "措施")
    store.save_all(forms)
    result = export_summary(store, tmp_path / "s.xlsx", 2026)
    book = load_workbook(tmp_path / "s.xlsx", read_only=True)
    points = list(book["风险点"].iter_rows(min_row=2, values_only=True))
    cut = points[2][6]
    assert len(cut) == EXCEL_CELL_MAX and cut.endswith(CUT_NOTE)
    notes = list(book["说明"].iter_rows(min_row=2, values_only=True))
    assert [n[:4] for n in notes] == [("风险点", 4, "具体风险点", 40_000)], notes
    assert result.forms == 3


def test_a_failure_while_rows_stream_leaves_no_file_and_no_leftovers(store, tmp_path, monkeypatch):
    from lianzheng_desktop.store import summary as store_summary

    store.save_all(small_units(3))
    rows = store_summary.point_sheet_rows

    def failing(*args, **kwargs):
        yield next(rows(*args, **kwargs))
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store_summary, "point_sheet_rows", failing)
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(OSError):
        export_summary(store, out / "s.xlsx", 2026)
    assert list(out.iterdir()) == []
