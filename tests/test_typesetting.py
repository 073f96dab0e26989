"""Chinese typesetting as the Word template does it, or better: justified lines, compressed
punctuation, a heavy Song title at 二号, hyphen-aware breaks, tidy blank lines, Unicode
line separators; and the PDF file readable by a shared print folder."""

import io
import os
import stat
import subprocess
import sys

from pdfcheck import char_boxes, page_texts, squash
from pypdf import PdfReader

from lianzheng_desktop.cli import main
from lianzheng_desktop.domain.model import Form, RiskPoint
from lianzheng_desktop.render import render_form
from lianzheng_desktop.render.layout import layout
from lianzheng_desktop.render.linebreak import break_lines

MEASURE = ("采购需求由不少于3人的专家组论证，参数须对应至少3个品牌；需求文件在校内公示5个工作日，"
           "接受质询。验收由资产处、使用单位和纪检委员共同参加，验收单三方签字后方可付款。")


def _form(**fields) -> Form:
    return Form(kind="post", year=2026, unit="图书馆", person="王五", post="采购专员", **fields)


def _lines_right_of(data: bytes, x_min: float):
    """The characters right of ``x_min`` grouped into printed lines (top to bottom)."""
    lines: dict[float, list] = {}
    for ch, box in char_boxes(data):
        if box[0] >= x_min and ch.strip():
            lines.setdefault(round(box[1]), []).append((ch, box))
    return [sorted(v, key=lambda c: c[1][0]) for _, v in sorted(lines.items(), reverse=True)]


def test_lines_are_justified_and_the_last_line_is_flush_left():
    data = render_form(_form(risks=[RiskPoint("duty", "验收把关不严。", 2, 2, MEASURE)]))
    lay = layout()
    measures_left = lay.margin_left + sum(lay.columns[:5])
    lines = [line for line in _lines_right_of(data, measures_left + 1)
             if "".join(c for c, _ in line) in squash(MEASURE)]
    assert len(lines) >= 4
    right = measures_left + lay.columns[5] - lay.mm("table", "padding_x_mm")
    for line in lines[:-1]:
        assert abs(line[-1][1][2] - right) < 1.5, "".join(c for c, _ in line)
    assert right - lines[-1][-1][1][2] > 10  # the paragraph's last line is not stretched


def test_two_full_width_marks_that_meet_give_up_half_an_em():
    size = layout().styles["cell"].size
    data = render_form(_form(post_duties="甲）。乙甲）乙"))
    chars = [(c, b) for c, b in char_boxes(data) if c in "甲乙）。"]
    text = "".join(c for c, _ in chars)
    at = text.index("甲）。乙")
    compressed = chars[at + 3][1][0] - chars[at][1][0]
    at = text.index("甲）乙")
    plain = chars[at + 2][1][0] - chars[at][1][0]
    assert abs(compressed - (plain + 0.5 * size)) < 0.5  # 甲 1 em, ） ½ em, 。 1 em


def test_the_title_is_heavy_song_at_erhao():
    data = render_form(_form())
    content = PdfReader(io.BytesIO(data)).pages[0].get_contents().get_data().decode("latin-1")
    title = content[content.index("2 Tr"):][:400]
    assert " 22 Tf" in title  # 二号
    boxes = [b for c, b in char_boxes(data) if c == "岗"]
    assert boxes[0][3] - boxes[0][1] > 20  # the title's 岗 is the big one
    fonts = PdfReader(io.BytesIO(data)).pages[0]["/Resources"]["/Font"]
    names = {str(f.get_object()["/BaseFont"]).split("+")[-1] for f in fonts.values()}
    assert any("Ming" in n for n in names) and "2 Tr" in content


def test_hyphenated_words_break_after_the_hyphen_but_numbers_stay_whole():
    def width(text):
        return len(text)

    lines = break_lines("see anti-corruption rules", 12, width)
    assert lines[:2] == ["see anti-", "corruption"]
    assert break_lines("on 2026-11-20 ok", 12, width) == ["on", "2026-11-20", "ok"]
    assert break_lines("an e-mail here", 7, width) == ["an", "e-mail", "here"]


def test_runs_of_blank_lines_print_as_two_but_the_data_keeps_them():
    text = "第一段" + "\n" * 61 + "第二段"
    form = _form(remarks=text)
    data = render_form(form)
    assert len(page_texts(data)) == 1
    assert form.remarks == text
    tops = [box[3] for ch, box in char_boxes(data) if ch == "段"]
    assert abs(tops[0] - tops[1] - 3 * layout().styles["cell"].leading) < 0.5  # two blank lines between


def test_unicode_line_and_paragraph_separators_break_lines():
    text = page_texts(render_form(_form(post_duties="负责采购\u2028负责验收\u2029负责付款")))[0]
    assert "U+2028" not in text and "U+2029" not in text
    assert "负责采购\r\n负责验收\r\n负责付款" in text


def test_pdf_written_by_the_command_is_readable_by_others(tmp_path):
    source = tmp_path / "form.json"
    from lianzheng_desktop.domain.codec import dumps_forms

    source.write_text(dumps_forms([_form()]), encoding="utf-8")
    old = os.umask(0o022)
    try:
        assert main(["render", str(source), "-o", str(tmp_path / "out.pdf")]) == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "out.pdf").stat().st_mode) == 0o644


def test_a_plain_form_opens_no_fallback_font_and_no_barcode_widgets(tmp_path):
    """Fast start: the fallback fonts are opened only for a character that needs them, and
    only reportlab's QR encoder is imported, not its barcode widget set."""
    script = (
        "import sys\n"
        "from lianzheng_desktop.domain.model import Form\n"
        "from lianzheng_desktop.render import render_form\n"
        "from lianzheng_desktop.render import fonts\n"
        "render_form(Form(kind='post', year=2026, unit='图书馆', person='王五'))\n"
        "opened = sorted(r for r in ('body', 'hei', 'extb') if fonts._font.cache_info().currsize and "
        "fonts.font_name(r) in __import__('reportlab.pdfbase.pdfmetrics', fromlist=['x'])._fonts)\n"
        "print(opened, 'reportlab.graphics.barcode.widgets' in sys.modules, "
        "'reportlab.platypus' in sys.modules)\n"
        "render_form(Form(kind='post', year=2026, unit='图书馆', person='林𠮷'))\n"
        "print('LZ-extb' in __import__('reportlab.pdfbase.pdfmetrics', fromlist=['x'])._fonts)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert out.split("\n")[:2] == ["['body', 'hei'] False False", "True"]
