"""The official tables as PDF: every character printed, fonts embedded, rows that grow."""

import copy
import json
import os
import subprocess
import sys
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from pdfcheck import fonts, page_texts, squash
from strategies import form_json

from lianzheng_desktop.cli import main
from lianzheng_desktop.domain.codec import form_from_json
from lianzheng_desktop.domain.definitions import definitions
from lianzheng_desktop.render import render_blank, render_form, render_forms
from lianzheng_desktop.render.fonts import covered, covers, printable, register_fonts
from lianzheng_desktop.render.layout import layout

DATA = Path(__file__).parent / "data"


def load(name):
    return form_from_json(json.loads((DATA / name).read_text(encoding="utf-8")))[0]


@pytest.fixture(scope="module")
def long_unit():
    return load("long-unit.json")


# Where each field prints: (first grid column, columns spanned, style); the rest span
# 具体风险点 … 防控措施 in the cell style.
_CELLS = {"person": (2, 1, "cell"), "post": (5, 1, "cell"), "review_opinion": (2, 4, "sign"),
          "leader_opinion": (2, 4, "sign"), "point": (2, 1, "cell"), "measures": (5, 1, "cell")}


def printed_fields(form):
    """The texts a form prints, in printed order (fields.toml order; risks by category),
    each with its cell: (text, first column, columns spanned, style)."""
    d = definitions()
    out = []
    for f in d.fields_for(form.kind):
        if f.type in ("text", "multiline"):
            out.append((getattr(form, f.key), *_CELLS.get(f.key, (2, 4, "cell"))))
        elif f.type == "risks":
            for category in d.category_keys:
                for i, risk in enumerate(form.risks_in(category), 1):
                    out += [(f"{i}." + risk.point, *_CELLS["point"]), (risk.measures, *_CELLS["measures"])]
    return [t for t in out if t[0].strip()]


def printed_lines(text, col, span, style):
    """The lines the renderer breaks a cell's text into."""
    from lianzheng_desktop.render.linebreak import wrap
    from lianzheng_desktop.render.typeset import width_of

    lay = layout()
    width = sum(lay.columns[col:col + span]) - 2 * lay.mm("table", "padding_x_mm")
    return [line.text for line in wrap(printable(text), width, width_of(lay.styles[style]))]


def assert_in_order(fields, pdf_text):
    """Every line of each text appears, in order, in the PDF's text, and the texts begin
    in order. (A row cut at a page's foot interleaves the cells' lines: the point's first
    lines, the measure's, then on the next page the rest of each.)"""
    flat = squash(pdf_text)
    pos = 0
    for text, *cell in fields:
        lines = [squash(line) for line in printed_lines(text, *cell) if squash(line)]
        if not lines:
            continue
        start = flat.find(lines[0], pos)
        assert start >= 0, f"not printed (in order): {text!r} ({[hex(ord(c)) for c in text]})"
        at = start + len(lines[0])
        for line in lines[1:]:
            found = flat.find(line, at)
            assert found >= 0, f"line {line!r} of {text[:20]!r} not printed after the previous one"
            at = found + len(line)
        pos = start + len(lines[0])


def test_blank_forms_are_one_page_each_with_every_label():
    d = definitions()
    for kind in ("unit", "post"):
        texts = page_texts(render_blank(kind))
        assert len(texts) == 1
        flat = squash(texts[0])
        expected = [d.kind(kind).attachment, d.kind(kind).title, d.tables["common"]["unit_prefix"],
                    d.tables["common"]["filled_on_prefix"]]
        expected += ["".join(f.label_lines) for f in d.fields_for(kind)
                     if f.type in ("text", "multiline") and f.key not in ("unit", "remarks")]
        expected += [c.name for c in d.categories]
        assert all(e in flat for e in expected), [e for e in expected if e not in flat]
        assert flat.count("1.") == 5 and flat.count("3.") == 5
        assert d.tables["common"]["remarks_default"] in flat
        assert ("责任人签字" in flat) == (kind == "post")
        assert ("分管校领导意见" in flat) == (kind == "unit")


def test_blank_rows_leave_room_for_handwriting():
    from reportlab.lib.units import mm

    from lianzheng_desktop.render.document import blank_form
    from lianzheng_desktop.render.formpdf import layout_form

    laid = layout_form(blank_form("unit"), fit=False)
    (page,) = laid.pages
    heights = laid.table.heights(page.rows)
    risk_rows = [h for r, h in zip(page.rows, heights) if r.section == "risks"]
    assert len(risk_rows) == 15 and min(risk_rows) >= 7 * mm


def test_examples_print_every_character_in_order(examples):
    for obj in examples:
        form = form_from_json(obj)[0]
        text = "".join(page_texts(render_form(form)))
        assert_in_order(printed_fields(form), text)
        assert form.unit in text and "2026年11月20日" in text


def test_long_form_pages_repeat_header_and_continued_categories(long_unit):
    data = render_form(long_unit)
    pages = page_texts(data)
    assert len(pages) >= 3
    d = definitions()
    names = [c.name for c in d.categories]
    for number, text in enumerate(pages, 1):
        flat = squash(text)
        if any(name in flat for name in names):
            assert "风险类别" in flat and "具体风险点" in flat and "自评" in flat and "审定" in flat, number
        assert f"第{number}页共{len(pages)}页" in flat
    header = "风险类别具体风险点风险等级防控措施自评审定"
    continued = 0
    for previous, text in pairwise(pages):
        flat = squash(text)
        if header not in flat:
            continue
        rows = flat[flat.index(header) + len(header):]
        name = next(n for n in names if rows.startswith(n))
        if name in squash(previous):  # the category began on an earlier page
            assert rows.startswith(name + "（续）")
            continued += 1
    assert continued >= 1
    assert_in_order(printed_fields(long_unit), "".join(pages))


def test_review_block_stays_with_its_signature_seal_and_date(long_unit):
    for extra in range(0, 12):
        form = copy.deepcopy(long_unit)
        form.risks = form.risks[: 8 + extra]
        pages = [squash(t) for t in page_texts(render_form(form))]
        holding = [t for t in pages if "单位审核意见" in t]
        assert len(holding) == 1
        page = holding[0]
        after = page[page.index("单位审核意见"):]
        assert "单位负责人签字" in after and "（盖章）" in after and "年月日" in after


def test_every_risk_text_is_printed_whole_across_page_breaks(long_unit):
    """Rows now start where they are and continue on the next page: each point and
    measure still reads whole once the page furniture between its parts is taken out."""
    pages = page_texts(render_form(long_unit))
    assert_in_order(printed_fields(long_unit), "".join(pages))


def test_a_row_taller_than_a_page_continues_unbroken(long_unit):
    form = copy.deepcopy(long_unit)
    huge = "".join(f"第{i}条：采购、验收、付款环节须由不同人员负责，相互制约。" for i in range(160))
    form.risks = [form.risks[0]]
    form.risks[0].measures = huge
    pages = page_texts(render_form(form))
    assert len(pages) >= 3
    assert _joined_without_footers(pages, huge)


def _joined_without_footers(pages, text):
    """The pages' text without footers, repeated header rows and continuation labels
    (“思想道德风险（续）”, “单位职责（续）”, “5.（续）”)."""
    import re

    d = definitions()
    body = "".join(re.sub(r"校验码[0-9A-F]{4}-[0-9A-F]{4}(第\d+页共\d+页)?$", "", squash(p)) for p in pages)
    body = body.replace("风险类别具体风险点风险等级防控措施自评审定", "")
    labels = [c.name for c in d.categories] + ["".join(f.label_lines) for f in d.fields_for("unit")]
    labels += ["".join(f.label_lines) for f in d.fields_for("post")] + ["一岗双责"]
    body = re.sub("|".join(re.escape(name) + "（续）" for name in labels) + r"|\d+\.（续）", "", body)
    return squash(text) in body


def test_user_text_is_printed_verbatim_not_as_markup(examples):
    obj = copy.deepcopy(examples[0])
    obj["risks"][0]["point"] = '<b>粗体</b> & "引号" \'单引号\' <font name=x>'
    obj["person"] = "吉𠮷 陈𪨶"
    form = form_from_json(obj)[0]
    flat = squash("".join(page_texts(render_form(form))))
    assert squash(obj["risks"][0]["point"]) in flat
    assert "吉𠮷陈𪨶" in flat


def _record_runs(monkeypatch):
    from lianzheng_desktop.render import typeset

    drawn = []
    original = typeset._printed_as

    def recording(role, ch):
        result = original(role, ch)
        drawn.append(result)
        return result

    monkeypatch.setattr(typeset, "_printed_as", recording)
    return drawn


def test_no_character_is_drawn_with_a_font_lacking_it(monkeypatch, long_unit, examples):
    drawn = _record_runs(monkeypatch)
    form = copy.deepcopy(long_unit)
    form.head = "欧阳𠮷燊 喆 堃 𪨶 ÀÉ ñ ₂ ①"
    render_forms([form, form_from_json(examples[0])[0]])
    assert drawn
    for role, text in drawn:
        assert all(covers(role, ord(ch)) for ch in text), (role, text)
    assert {role for role, _ in drawn} >= {"body", "hei", "extb"}


def test_a_character_no_font_has_prints_as_its_code_not_a_box(monkeypatch, examples):
    obj = copy.deepcopy(examples[0])
    obj["person"] = "林😀"
    assert not covered("😀")
    flat = squash("".join(page_texts(render_form(form_from_json(obj)[0]))))
    assert "林[U+1F600]" in flat


def test_every_font_is_embedded_and_subset_no_standard_fonts(examples, long_unit):
    for data in (render_form(long_unit), render_blank("post")):
        found = fonts(data)
        assert found
        for font in found:
            assert font["embedded"], font
            assert "+" in font["name"], font  # subset tag ABCDEF+Name
            assert not any(s in font["name"] for s in ("Helvetica", "Times", "Courier", "Symbol", "Dingbats"))
        raw = data
        assert b"/Helvetica" not in raw and b"STSong" not in raw


def test_output_is_deterministic(long_unit):
    assert render_form(long_unit) == render_form(long_unit)


def test_output_is_deterministic_across_processes(tmp_path):
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"{seed}.pdf"
        env = dict(os.environ, PYTHONHASHSEED=seed)
        subprocess.run([sys.executable, "-m", "lianzheng_desktop", "render", str(DATA / "long-unit.json"),
                        "-o", str(out)], check=True, env=env, capture_output=True)
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]


def test_single_page_forms_have_no_page_numbers(examples):
    text = squash(page_texts(render_blank("unit"))[0])
    assert "第1页" not in text


def test_several_forms_each_start_a_page_and_count_their_own_pages(examples, long_unit):
    post = form_from_json(examples[0])[0]
    pages = [squash(t) for t in page_texts(render_forms([long_unit, post, post]))]
    long_pages = len(page_texts(render_form(long_unit)))
    assert len(pages) == long_pages + 2
    assert pages[long_pages].startswith("附件3") and pages[long_pages + 1].startswith("附件3")
    assert f"第{long_pages}页共{long_pages}页" in pages[long_pages - 1]
    assert "第1页" not in pages[long_pages]


def test_cli_render_and_blank(tmp_path, example_paths):
    out = tmp_path / "forms.pdf"
    assert main(["render", *map(str, example_paths), "-o", str(out)]) == 0
    assert len(page_texts(out.read_bytes())) >= 2
    for kind in ("unit", "post"):
        blank = tmp_path / f"{kind}.pdf"
        assert main(["blank", kind, "-o", str(blank)]) == 0
        assert len(page_texts(blank.read_bytes())) == 1


def test_cli_render_refuses_bad_input_and_leaves_no_file(tmp_path, example_paths, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text('{"schema": 1, "kind": "unit", "year": 2026, "unit": "x", "risks": [{"category": "x"}]}',
                   encoding="utf-8")
    out = tmp_path / "out.pdf"
    assert main(["render", str(example_paths[0]), str(bad), "-o", str(out)]) == 1
    assert "风险类别“x”无效" in capsys.readouterr().err
    assert not out.exists() and list(tmp_path.iterdir()) == [bad]


@settings(max_examples=int(os.environ.get("LZ_RENDER_EXAMPLES", 15)), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(form_json())
def test_generated_forms_print_every_character_in_order(obj):
    register_fonts()
    form = form_from_json(obj)[0]

    def printable_here(text):
        # Characters no bundled font has print as [U+…] codes (tested above); control
        # characters other than line breaks and tabs are not printed at all.
        return "".join(ch for ch in printable(text) if covered(ch))

    for f in definitions().fields_for(form.kind):
        if f.type in ("text", "multiline"):
            setattr(form, f.key, printable_here(getattr(form, f.key)))

    for risk in form.risks:
        risk.point, risk.measures = printable_here(risk.point), printable_here(risk.measures)
    text = "".join(page_texts(render_form(form)))
    assert_in_order(printed_fields(form), text)


def test_a_character_mapped_to_an_empty_glyph_is_not_printed_as_nothing(examples):
    """Zen Hei maps CJK compatibility ideographs to empty glyphs (found by hypothesis):
    such a character is drawn as its canonical equivalent from a font that has it."""
    from lianzheng_desktop.render.fonts import runs

    register_fonts()
    assert runs("\U0002F9B0", "body") == [("LZ-extb", "\U00026FB1")]
    obj = copy.deepcopy(examples[0])
    obj["person"] = "林\U0002F9B0"
    assert "林\U00026FB1" in squash("".join(page_texts(render_form(form_from_json(obj)[0]))))


@pytest.mark.parametrize("key", ["review_opinion", "leader_opinion", "remarks", "unit_duties", "head"])
def test_any_field_longer_than_a_page_flows_on_without_loss(key):
    """An opinion, 备注 or duty text longer than a page continues on the next pages (a long
    备注 once made the layout loop forever; a long opinion raised a LayoutError)."""
    from lianzheng_desktop.domain.model import Form

    form = Form(kind="unit", year=2026, unit="图书馆")
    text = "".join(f"第{i}条意见：请按规定落实整改。" for i in range(700))
    setattr(form, key, text)
    pages = page_texts(render_form(form))
    assert len(pages) >= 3
    assert _joined_without_footers(pages, text)
    if key == "review_opinion":  # the signature, seal and date come after the whole opinion
        body = squash("".join(pages))
        assert body.rindex("（盖章）") > body.rindex("第699条意见")


@pytest.mark.parametrize("length", [10, 38, 60, 150])
def test_long_unit_names_wrap_in_the_header_instead_of_running_off(length, examples):
    obj = copy.deepcopy(examples[1])
    obj["unit"] = ("计算机与软件工程学院党委办公室（合署）" * 10)[:length]
    form = form_from_json(obj)[0]
    first = squash(page_texts(render_form(form))[0])
    assert squash("单位：" + form.unit) in first and "填表日期：2026年11月20日" in first
