"""The page an officer accepts: one page when the form fits, the seal with content, rows
that start where they are, placeholders whole, and a footer every printer prints."""

import copy
import json
import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from pdfcheck import char_boxes, decode_qr, ink_bottom_share, page_texts, render_pages, squash, white_edges
from strategies import form_json, long_form_json

from lianzheng_desktop.domain.codec import form_from_json
from lianzheng_desktop.domain.definitions import definitions
from lianzheng_desktop.domain.demo import demo_forms
from lianzheng_desktop.domain.model import Form, RiskPoint
from lianzheng_desktop.domain.verification import verification_code
from lianzheng_desktop.render import render_form
from lianzheng_desktop.render.document import qr_box, qr_text
from lianzheng_desktop.render.formpdf import layout_form
from lianzheng_desktop.render.layout import layout

DATA = Path(__file__).parent / "data"
HEADER = "风险类别具体风险点风险等级防控措施自评审定"


def five_one_line_points() -> Form:
    return Form(kind="post", year=2026, unit="图书馆", person="王五", post="采购专员",
                post_duties="负责图书采购申请、询价比价与合同签订。",
                integrity_duties="对本岗位的廉政风险负直接责任。",
                risks=[RiskPoint(k, "验收把关不严。", 2, 2, "双人验收，签字留痕。")
                       for k in definitions().category_keys])


def test_a_post_form_with_five_one_line_points_is_one_page():
    assert len(page_texts(render_form(five_one_line_points()))) == 1


def test_every_demo_form_now_fits_one_page():
    """11 of the 13 demo forms ended on a page holding only the closing rows; now every
    one is a single page — the unit form (11 points of two or three lines) by the last
    fit steps: 小五 in its risk rows and no blank row under filled categories."""
    forms = demo_forms()
    pages = [len(page_texts(render_form(f))) for f in forms]
    assert pages == [1] * len(forms), pages


def test_smaller_type_only_brings_a_form_onto_one_page():
    """A form that fits at 五号 keeps 五号 and its blank rows; one that cannot fit on one
    page even at 小五 is printed at 五号 on more pages, not shrunk for nothing."""
    from lianzheng_desktop.render.formpdf import layout_form
    steps = layout().section("fit")["steps"]
    compact = {i for i, step in enumerate(steps) if step.get("cell_style")}
    assert layout_form(five_one_line_points()).step not in compact
    long_points = Form(kind="unit", year=2026, unit="图书馆", head="宋燕明",
                       unit_duties="负责图书馆的日常管理。", integrity_duties="落实主体责任。",
                       risks=[RiskPoint(k, "风险点说明文字" * 12, 2, 2, "防控措施说明文字" * 12)
                              for k in definitions().category_keys for _ in range(3)])
    shown = layout_form(long_points)
    assert len(shown.pages) > 1 and shown.step not in compact


def _seal_page_has_content(page_text: str, title: str) -> bool:
    """The page carrying 单位负责人签字 and （盖章）: the title, or a risk row with text
    (a numbered line with words after the number, or a “N.（续）” continuation)."""
    lines = [squash(line) for line in page_text.splitlines()]
    filled_row = any(re.match(r"^\d+\.(（续）|.)", line) and not re.fullmatch(r"\d+\.", line) for line in lines)
    flat = squash(page_text)
    return title in flat or (HEADER in flat and filled_row)


def _check_pdf(form: Form, data: bytes) -> None:
    title = definitions().kind(form.kind).title
    texts = page_texts(data)
    images = render_pages(data, 50)
    lay = layout().section("page")
    for number, (text, image) in enumerate(zip(texts, images), 1):
        if "（盖章）" in text:
            assert _seal_page_has_content(text, title), f"page {number}: the seal without content"
        if number < len(texts):
            empty = ink_bottom_share(image, 50, lay["margin_top_mm"], lay["margin_bottom_mm"])
            assert empty <= 0.34, f"page {number} of {len(texts)} is {empty:.0%} empty"


def _check_layout(form: Form, empty: float | None = None) -> None:
    laid = layout_form(form)
    frame = layout().frame_height
    pages_of_unit: dict = {}
    for number, page in enumerate(laid.pages, 1):
        kinds = {r.kind for r in page.rows}
        if "seal" in kinds and number > 1:
            # with no risk point at all (a draft), an empty numbered row is the risk row
            wanted = {"risk"} if form.risks else {"risk", "placeholder"}
            assert wanted & kinds, f"page {number}: the seal without a risk row"
        for row in page.rows:
            if row.unit:
                pages_of_unit.setdefault(row.unit, set()).add(number)
        if not page.last:
            assert page.empty_share(frame) <= (empty or layout().section("fit")["max_empty_share"]), number
    assert all(len(p) == 1 for p in pages_of_unit.values()), pages_of_unit


@pytest.mark.parametrize("index", range(13))
def test_demo_forms_keep_the_seal_with_content_and_pages_full(index):
    form = demo_forms()[index]
    _check_pdf(form, render_form(form))
    _check_layout(form)


def test_long_forms_keep_the_rules(examples):
    long_unit = form_from_json(json.loads((DATA / "long-unit.json").read_text(encoding="utf-8")))[0]
    for extra in range(0, 12, 3):
        form = copy.deepcopy(long_unit)
        form.risks = form.risks[: 8 + extra]
        _check_pdf(form, render_form(form))
        _check_layout(form)


@settings(max_examples=int(os.environ.get("LZ_RENDER_EXAMPLES", 25)), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(form_json())
def test_generated_forms_keep_the_seal_with_content_placeholders_whole_and_pages_full(obj):
    _check_layout(form_from_json(obj)[0])


@settings(max_examples=int(os.environ.get("LZ_RENDER_EXAMPLES", 25)), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(long_form_json())
def test_generated_long_forms_keep_the_seal_with_content_and_placeholders_whole(obj):
    """Long texts everywhere. (How empty a page may be is not checked here: an opinion of
    ten lines must stay whole with its seal and the last risk row, and can leave the page
    before it half empty — the seal's rule comes first.)"""
    _check_layout(form_from_json(obj)[0], empty=1.0)


def test_a_long_duty_text_starts_on_the_first_page_and_says_it_continues():
    """A long 单位职责 used to leave page 1 with the title and one row."""
    duties = "".join(f"第{i}项：负责本单位的教学组织、科研管理和学科建设工作。" for i in range(150))
    form = Form(kind="unit", year=2026, unit="图书馆", unit_duties=duties,
                risks=[RiskPoint("duty", "验收把关不严。", 2, 2, "双人验收。")])
    data = render_form(form)
    pages = [squash(t) for t in page_texts(data)]
    assert "第10项" in pages[0]
    assert ink_bottom_share(render_pages(data, 50)[0], 50, 12, 21.5) < 0.1
    assert pages[1].startswith("单位职责（续）")


def test_a_cut_row_keeps_two_lines_each_side_and_repeats_its_number():
    long_unit = form_from_json(json.loads((DATA / "long-unit.json").read_text(encoding="utf-8")))[0]
    laid = layout_form(long_unit)
    table = laid.table
    cuts = 0
    for page, following in zip(laid.pages, laid.pages[1:]):
        first = next(r for r in following.rows if r.kind != "header")
        if not first.continued:
            continue
        cuts += 1
        head = page.rows[-1]
        for head_cell, tail_cell in zip(head.cells, first.cells):
            w = table.inner(head_cell)
            shown, rest = len(head_cell.content.lines(w)), len(tail_cell.content.lines(w))
            if shown and rest and tail_cell.kind == "text":
                marker = first.marker and tail_cell.content.lines(w)[0].text == first.marker
                assert (shown >= 2 and rest - marker >= 2) or rest - marker == 0, (shown, rest)
        if first.kind == "risk":
            assert re.fullmatch(r"\d+\.（续）", first.cells[0].content.lines(0)[0].text)
    assert cuts >= 2


def test_an_empty_category_is_never_split_between_pages():
    """Three blank numbered rows of a category at a page's foot used to split 2 + 1."""
    keys = definitions().category_keys
    for n in range(4, 16):
        risks = [RiskPoint(keys[0], "在设备采购需求论证中，个别人员倾向指定品牌和型号，参数设置带有排他性。"
                           * 2, 2, 2, "采购需求由不少于3人的专家组论证。") for _ in range(n)]
        form = Form(kind="unit", year=2026, unit="图书馆", risks=risks, review_opinion="同意。")
        laid = layout_form(form)
        for unit in {r.unit for p in laid.pages for r in p.rows if r.unit}:
            assert len({i for i, p in enumerate(laid.pages) for r in p.rows if r.unit == unit}) == 1


def test_qr_code_decodes_after_the_printers_edge_is_whited_out(tmp_path):
    form = five_one_line_points()
    data = render_form(form)
    page = render_pages(data, 150)[0]
    assert decode_qr(white_edges(page, 150, 6), tmp_path) == [qr_text(form, verification_code(form))]


def test_footer_is_clear_of_the_paper_edge_and_the_table():
    lay = layout()
    form = five_one_line_points()
    left, bottom, module, count = qr_box(qr_text(form, verification_code(form)))
    edge = lay.mm("footer", "edge_mm")
    assert module >= 0.4 * 72 / 25.4 - 1e-9
    assert bottom >= edge and lay.page_width - (left + count * module) >= edge
    # the quiet zone (four modules) stays below the table's frame
    assert bottom + (count + 4) * module <= lay.margin_bottom
    data = render_form(form)
    code = [box for ch, box in char_boxes(data) if box[1] < lay.margin_bottom]
    assert code and min(b[1] for b in code) >= edge - 0.5  # 校验码 and page numbers: ≥ 8 mm up
    # and on paper: nothing dark within 8 mm of any edge
    page = render_pages(data, 100)[0]
    inner = white_edges(page, 100, 7.8)
    assert inner.tobytes() == page.tobytes()
