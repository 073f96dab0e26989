"""Forms to PDF bytes: one document, each form starting on a new page.

Output is deterministic (reportlab's invariant mode: no timestamps, no random ids), so
the same form and program version always give the same bytes.
"""

from __future__ import annotations

import io
import itertools
from functools import lru_cache

from reportlab.graphics.barcode import qrencoder
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageBreak, PageTemplate

from lianzheng_desktop import __version__
from lianzheng_desktop.domain.definitions import definitions
from lianzheng_desktop.domain.model import Form
from lianzheng_desktop.domain.verification import verification_code
from lianzheng_desktop.render.cells import draw_line, width_of
from lianzheng_desktop.render.fonts import font_name, register_fonts
from lianzheng_desktop.render.formpdf import form_flowables
from lianzheng_desktop.render.layout import layout


class _FormStart(Flowable):
    """Zero-size marker: the pages from here on belong to form number ``index``, whose
    verification code (None for a blank form) goes in their footers."""

    def __init__(self, index: int, form: Form | None):
        super().__init__()
        self.index = index
        self.form = form

    def wrap(self, *_):
        return 0, 0

    def draw(self):
        self.canv._lz_form = self.index
        self.canv._lz_code = (verification_code(self.form), self.form.id) if self.form else None


class _NumberedCanvas(Canvas):
    """Holds pages back until the end, to print “第 N 页 共 M 页” counted per form."""

    def __init__(self, *args, **kwargs):
        # Never let reportlab fall back to Helvetica, which has no Chinese and is not embedded.
        kwargs["initialFontName"] = font_name("body")
        super().__init__(*args, **kwargs)
        self._lz_form = 0
        self._lz_code = None
        self._pages: list[dict] = []

    def showPage(self):
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        per_form: dict[int, int] = {}
        for page in self._pages:
            per_form[page["_lz_form"]] = per_form.get(page["_lz_form"], 0) + 1
        seen: dict[int, int] = {}
        for page in self._pages:
            self.__dict__.update(page)
            form = page["_lz_form"]
            seen[form] = seen.get(form, 0) + 1
            self._footer(seen[form], per_form[form])
            if page["_lz_code"]:
                self._verification(*page["_lz_code"])
            super().showPage()
        super().save()

    def _footer(self, page: int, pages: int) -> None:
        lay = layout()
        if pages < lay.section("footer")["page_number_min_pages"]:
            return
        style = lay.styles["footer"]
        text = definitions().tables["common"]["page_number"].format(page=page, pages=pages)
        x = (lay.page_width - width_of(style)(text)) / 2
        draw_line(self, x, lay.mm("page", "footer_baseline_mm"), text, style)


    def _verification(self, code: str, form_id: str) -> None:
        """校验码 at the left of the footer and a small QR code (form id and code) at the
        right, both in the bottom margin, outside the table."""
        lay = layout()
        footer = lay.section("footer")
        style = lay.styles["footer"]
        text = footer["code_label"] + " " + code
        draw_line(self, lay.margin_left, lay.mm("page", "footer_baseline_mm"), text, style)
        size = lay.mm("footer", "qr_mm")
        left, bottom = lay.page_width - lay.margin_right - size, lay.mm("footer", "qr_bottom_mm")
        # The modules are drawn as plain rectangles: reportlab's renderPDF would set its
        # default font (Helvetica) on the page, and no standard font may be referenced.
        self.saveState()
        self.setFillColorRGB(0, 0, 0)
        for x, y, w, h in _qr_modules(f"lianzheng:{form_id}:{code}"):
            self.rect(left + x * size, bottom + y * size, w * size, h * size, stroke=0, fill=1)
        self.restoreState()


QR_QUIET_MODULES = 2  # white border around the code (the page margin around it is white too)


@lru_cache(maxsize=64)
def _qr_modules(text: str) -> tuple[tuple[float, float, float, float], ...]:
    """The dark modules of a QR code as rectangles in a unit square, row runs merged.

    Encoded with reportlab's encoder, but with a fixed mask pattern: any of the eight masks
    decodes the same, and trying all eight (what the widget does) made the QR code the
    slowest part of printing a year's forms.
    """
    qr = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    qr.addData(text)
    qr.version = qr.calculate_version()
    qr.makeImpl(False, 0)
    count = qr.getModuleCount()
    unit = 1 / (count + 2 * QR_QUIET_MODULES)
    rects = []
    for r, row in enumerate(qr.modules):
        c = 0
        for dark, run in itertools.groupby(row):
            length = len(list(run))
            if dark:
                rects.append(((QR_QUIET_MODULES + c) * unit, (count + QR_QUIET_MODULES - r - 1) * unit,
                              length * unit, unit))
            c += length
    return tuple(rects)


def _document(buffer: io.BytesIO, title: str) -> BaseDocTemplate:
    lay = layout()
    frame = Frame(lay.margin_left, lay.margin_bottom, lay.frame_width, lay.frame_height,
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="table")
    doc = BaseDocTemplate(
        buffer, pagesize=(lay.page_width, lay.page_height), invariant=1,
        title=title, author="", subject="", creator=f"lianzheng {__version__}",
        producer=f"lianzheng {__version__}",
        leftMargin=lay.margin_left, rightMargin=lay.margin_right,
        topMargin=lay.margin_top, bottomMargin=lay.margin_bottom,
    )
    doc.addPageTemplates([PageTemplate(id="form", frames=[frame])])
    return doc


def render_forms(forms: list[Form], *, codes: bool = True) -> bytes:
    """All forms in one PDF, each starting on a new page, each page with the form's 校验码
    (``codes=False`` for blank forms, which have no data to verify)."""
    if not forms:
        raise ValueError("没有要打印的表格")
    register_fonts()
    story: list[Flowable] = []
    for i, form in enumerate(forms):
        if i:
            story.append(PageBreak())
        story.append(_FormStart(i, form if codes else None))
        story += form_flowables(form)
    buffer = io.BytesIO()
    title = definitions().tables[forms[0].kind]["title"]
    _document(buffer, title).build(story, canvasmaker=_NumberedCanvas)
    return buffer.getvalue()


def render_form(form: Form) -> bytes:
    return render_forms([form])


def blank_form(kind: str) -> Form:
    """The empty official form, for filling in by hand."""
    return Form(kind=kind, year=0, unit="", id="00000000-0000-0000-0000-000000000000")


def render_blank(kind: str) -> bytes:
    return render_forms([blank_form(kind)], codes=False)
