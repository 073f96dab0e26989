"""Forms to PDF bytes: one document, each form starting on a new page.

Every form is laid out first (formpdf.layout_form), so its page count is known before a
page is drawn; then the pages are drawn straight onto a reportlab canvas. Output is
deterministic (reportlab's invariant mode: no timestamps, no random ids), so the same
form and program version always give the same bytes.
"""

from __future__ import annotations

import io

from reportlab.pdfgen.canvas import Canvas

from lianzheng_desktop import __version__
from lianzheng_desktop.domain.definitions import definitions
from lianzheng_desktop.domain.model import Form
from lianzheng_desktop.domain.verification import verification_code
from lianzheng_desktop.render.fonts import font_name, register_fonts
from lianzheng_desktop.render.formpdf import FormLayout, layout_form
from lianzheng_desktop.render.layout import layout
from lianzheng_desktop.render.qr import dark_runs, qr_matrix
from lianzheng_desktop.render.typeset import draw_line, width_of


def new_canvas(buffer: io.BytesIO, title: str) -> Canvas:
    lay = layout()
    # initialFontName: never let reportlab fall back to Helvetica, which has no Chinese
    # and is not embedded.
    canv = Canvas(buffer, pagesize=(lay.page_width, lay.page_height), invariant=1,
                  initialFontName=font_name("body"), pageCompression=1)
    canv.setTitle(title)
    canv.setAuthor("")
    canv.setSubject("")
    canv.setCreator(f"lianzheng {__version__}")
    canv.setProducer(f"lianzheng {__version__}")
    return canv


def qr_text(form: Form, code: str) -> str:
    """What the QR code says: the form's id and its 校验码, in capitals (a smaller code)."""
    return f"LIANZHENG:{form.id.upper()}:{code}"


def draw_form_page(canv: Canvas, laid: FormLayout, number: int, code: str | None) -> None:
    """Page ``number`` (from 1) of a laid-out form: the table, the header on the first
    page, and the footer with the page count, the 校验码 and the QR code."""
    lay = layout()
    top = lay.page_height - lay.margin_top
    if number == 1:
        laid.header.draw(canv, lay.margin_left, top, lay.frame_width)
        top -= laid.header.height(lay.frame_width)
    laid.table.draw(canv, laid.pages[number - 1].rows, lay.margin_left, top)
    _page_number(canv, number, len(laid.pages))
    if code is not None:
        _verification(canv, code, qr_text(laid.form, code))


def _page_number(canv: Canvas, page: int, pages: int) -> None:
    lay = layout()
    if pages < lay.section("footer")["page_number_min_pages"]:
        return
    style = lay.styles["footer"]
    text = definitions().tables["common"]["page_number"].format(page=page, pages=pages)
    x = (lay.page_width - width_of(style)(text)) / 2
    draw_line(canv, x, lay.mm("page", "footer_baseline_mm"), text, style)


def qr_box(text: str) -> tuple[float, float, float, int]:
    """(left, bottom, module size, module count) of the footer's QR code: its dark
    modules at least ``edge_mm`` above the paper's bottom edge, its right edge on the
    table's."""
    lay = layout()
    count = len(qr_matrix(text))
    module = lay.mm("footer", "qr_module_mm")
    return (lay.page_width - lay.margin_right - count * module, lay.mm("footer", "edge_mm"), module, count)


def _verification(canv: Canvas, code: str, payload: str) -> None:
    """校验码 at the left of the footer and the QR code (form id and code) at the right,
    both in the bottom margin, clear of the table and of the printer's unprintable edge."""
    lay = layout()
    style = lay.styles["footer"]
    text = lay.section("footer")["code_label"] + " " + code
    draw_line(canv, lay.margin_left, lay.mm("page", "footer_baseline_mm"), text, style)
    left, bottom, module, count = qr_box(payload)
    # The modules are drawn as plain rectangles: reportlab's renderPDF would set its
    # default font (Helvetica) on the page, and no standard font may be referenced.
    canv.saveState()
    canv.setFillColorRGB(0, 0, 0)
    for row, col, length in dark_runs(qr_matrix(payload)):
        canv.rect(left + col * module, bottom + (count - 1 - row) * module, length * module, module,
                  stroke=0, fill=1)
    canv.restoreState()


def render_forms(forms: list[Form], *, codes: bool = True) -> bytes:
    """All forms in one PDF, each starting on a new page, each page with the form's 校验码
    (``codes=False`` for blank forms, which have no data to verify)."""
    if not forms:
        raise ValueError("没有要打印的表格")
    register_fonts()
    buffer = io.BytesIO()
    canv = new_canvas(buffer, definitions().kind(forms[0].kind).title)
    for form in forms:
        laid = layout_form(form, fit=codes)
        code = verification_code(form) if codes else None
        for number in range(1, len(laid.pages) + 1):
            draw_form_page(canv, laid, number, code)
            canv.showPage()
    canv.save()
    return buffer.getvalue()


def render_form(form: Form) -> bytes:
    return render_forms([form])


def blank_form(kind: str) -> Form:
    """The empty official form, for filling in by hand."""
    return Form(kind=kind, year=0, unit="", id="00000000-0000-0000-0000-000000000000")


def render_blank(kind: str) -> bytes:
    return render_forms([blank_form(kind)], codes=False)

