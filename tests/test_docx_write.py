"""The written .docx as Word and WPS will show it: A4, fonts a Chinese Windows PC has (or
substitutes sensibly), the risk header repeating on every page, rows that do not break,
and the same numbered rows and page ends as the printed PDF."""

import io
import re
import shutil
import subprocess
import sys
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from lianzheng_desktop.domain.codec import form_from_json
from lianzheng_desktop.domain.definitions import definitions
from lianzheng_desktop.domain.demo import demo_forms
from lianzheng_desktop.domain.model import Form
from lianzheng_desktop.exchange.docx import write_docx
from lianzheng_desktop.render.formpdf import layout_form

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def parts(form: Form) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(write_docx(form))) as z:
        return {name: z.read(name).decode("utf-8") for name in z.namelist()}


def risk_table_rows(document: str) -> list[str]:
    """The rows of the risk table (the one whose rows repeat), as XML."""
    tables = re.findall(r"<w:tbl>.*?</w:tbl>", document, re.S)
    risk = next(t for t in tables if "<w:tblHeader/>" in t)
    return re.findall(r"<w:tr>.*?</w:tr>", risk, re.S)


def text(xml: str) -> str:
    return "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", xml))


def numbered_rows(form: Form) -> Counter:
    """Numbered risk rows per category in the Word table."""
    rows = risk_table_rows(parts(form)["word/document.xml"])
    names = {c.name: c.key for c in definitions().categories}
    counts: Counter = Counter()
    category = None
    for row in rows:
        cells = re.findall(r"<w:tc>.*?</w:tc>", row, re.S)
        first = text(cells[0])
        category = names.get(first, category) if first or "<w:vMerge/>" in cells[0] else None
        if len(cells) == 5 and re.match(r"\d+\.", text(cells[1])) and category:
            counts[category] += 1
    return counts


def pdf_numbered_rows(form: Form) -> Counter:
    """The same, in the printed PDF (a row cut across pages counted once)."""
    counts: Counter = Counter()
    for page in layout_form(form).pages:
        for row in page.rows:
            if row.kind in ("risk", "placeholder") and not row.continued:
                counts[row.group] += 1
    return counts


@pytest.fixture
def unit_form(examples):
    return form_from_json(examples[1])[0]


def test_a4_page_and_fonts_named_for_chinese_windows(unit_form):
    p = parts(unit_form)
    size = re.search(r'<w:pgSz w:w="(\d+)" w:h="(\d+)"/>', p["word/document.xml"])
    assert size and abs(int(size[1]) - 11906) <= 2 and abs(int(size[2]) - 16838) <= 2  # 210 × 297 mm
    styles = p["word/styles.xml"]
    assert 'w:eastAsia="宋体"' in styles.split("</w:rPrDefault>")[0]  # Chinese text in 宋体
    assert re.search(r'w:styleId="LzAttachment".*?w:eastAsia="黑体"', styles, re.S)  # 附件N in 黑体
    fonts = p["word/fontTable.xml"]
    assert re.search(r'w:name="宋体"><w:altName w:val="SimSun"/>.*?w:charset w:val="86"', fonts, re.S)
    assert re.search(r'w:name="黑体"><w:altName w:val="SimHei"/>', fonts)
    # “一岗双责”: quotes Unicode shares with Western text drawn in 宋体 (full width, as printed)
    text_runs = re.findall(r"<w:r>(.*?)</w:r>", p["word/document.xml"])
    quoted = [r for r in text_runs if "“" in r]
    assert quoted and all('<w:rFonts w:hint="eastAsia"/>' in r for r in text_runs if "<w:t" in r)


def test_header_rows_repeat_and_rows_do_not_break(unit_form):
    rows = risk_table_rows(parts(unit_form)["word/document.xml"])
    header = [r for r in rows if "<w:tblHeader/>" in r]
    assert len(header) == 2 and rows[:2] == header  # 风险类别…/自评 审定, at the top of the table
    assert all("<w:cantSplit/>" in r for r in rows)
    assert "<w:cantSplit/>" in parts(unit_form)["word/document.xml"].split("<w:tblHeader/>")[0]


def test_an_opinion_longer_than_a_page_may_break(unit_form):
    unit_form.review_opinion = "\n".join(["审核意见一行"] * 80)
    rows = risk_table_rows(parts(unit_form)["word/document.xml"])
    opinion = next(r for r in rows if "审核意见一行" in r)
    assert "<w:cantSplit/>" not in opinion  # Word would cut off what doesn't fit on a page


@pytest.mark.parametrize("index", range(4))
def test_the_same_numbered_rows_as_the_printed_pdf(index):
    forms = demo_forms("图书馆", year=2026, posts=3)
    form = forms[index]
    assert numbered_rows(form) == pdf_numbered_rows(form)


def test_an_empty_form_has_the_official_three_rows_per_category():
    form = Form(kind="unit", year=2026, unit="图书馆")
    assert numbered_rows(form) == Counter({c.key: 3 for c in definitions().categories})


def test_the_last_risk_row_stays_with_the_signature_and_seal():
    form = demo_forms("图书馆", year=2026, posts=0)[0]
    rows = risk_table_rows(parts(form)["word/document.xml"])
    last_point = max(i for i, r in enumerate(rows) if re.search(r"<w:t[^>]*>\d+\.[^<]+", r))
    seal = next(i for i, r in enumerate(rows) if definitions().field("review_opinion").label_lines[0] in text(r))
    # every paragraph of each row from the last filled point to the seal's row is kept with the next
    for row in rows[last_point:seal]:
        assert row.count("<w:pStyle ") == row.count("<w:keepNext/>")
    filled = [r for r in rows[:last_point] if re.search(r"<w:t[^>]*>\d+\.[^<]+", r)]
    assert filled and not any("<w:keepNext/>" in r for r in filled)  # filled rows elsewhere flow freely


@pytest.mark.skipif(not all(shutil.which(p) for p in ("soffice", "pdftoppm", "convert")),
                    reason="needs LibreOffice, poppler-utils and ImageMagick")
def test_word_printed_by_libreoffice_takes_no_more_pages_than_the_pdf(tmp_path):
    """The example and demo forms, exported and printed by LibreOffice with the bundled
    fonts standing in for 宋体/黑体 (scripts/word_vs_pdf.py), take the pages the PDF takes:
    one each (with the official three rows per category the example unit form took two;
    the demo unit form fits one page only in 小五, and with the PDF's footer band as its
    bottom margin LibreOffice's slightly taller rows pushed 备注 onto a second page)."""
    root = Path(__file__).parent.parent
    examples = sorted(str(p) for p in (root / "tests" / "data" / "examples").glob("*.json"))
    done = subprocess.run([sys.executable, str(root / "scripts" / "word_vs_pdf.py"), *examples, "--demo",
                           "-o", str(tmp_path)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("Word（LibreOffice）1 页，程序的 PDF 1 页") == 6
    assert len(list(tmp_path.glob("*.对照.png"))) == 6
