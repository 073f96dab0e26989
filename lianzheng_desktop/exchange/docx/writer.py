"""A form as an editable Word document of the official table (word/document.xml).

The same rows, labels, merges, line breaks and order as the printed PDF
(render/formpdf.py), taken from forms/tables.toml, with the page geometry, column widths
and minimum row heights of forms/layout.toml. Word's table model differs from the PDF's
in one place: only rows at the top of a table can repeat on each page (w:tblHeader), so
the table is written as two tables that touch — the field rows, then the risk table
(its two header rows repeat) with the opinions and 备注 — separated by an empty hidden
paragraph of 1 pt. Rows may not break across pages (w:cantSplit) unless a single row is
too tall for a page, where Word would otherwise cut it off.

The PDF's fit step is followed (render/formpdf.layout_form): as many blank numbered rows,
the risk rows' height and, when it takes 小五 to fit one page, that text size. Where the
fit rules never break, Word is told to keep a row with the next (w:keepNext): between the
blank rows of a category, from the last filled risk row to 单位审核意见, and 分管校领导意见
with 备注. The bottom margin leaves out the PDF's footer band (docx.toml): a word processor
whose rows come out a little taller than the PDF's (LibreOffice's do, by about 0.5 mm a row
with the bundled fonts; Word and WPS were not at hand) still ends pages where the PDF does.
"""

from __future__ import annotations

import math
import re
import unicodedata

from lianzheng_desktop.domain.definitions import definitions
from lianzheng_desktop.domain.model import Form
from lianzheng_desktop.exchange.docx.styles import STYLE
from lianzheng_desktop.exchange.docx.words import docx_words
from lianzheng_desktop.exchange.docx.xml import R_NS, W_NS, clean, el, paragraphs, spacing, twips, val
from lianzheng_desktop.render.formpdf import layout_form
from lianzheng_desktop.render.layout import layout

LEFT, VALUE = (0, 2), (2, 4)  # grid columns of the label and the value, as in formpdf
MAX_UNSPLIT_MM = 180  # a row taller than this may break across pages (or Word clips it)
_STYLE_VAL = re.compile(r'<w:pStyle w:val="[^"]*"/>')  # first in w:pPr; w:keepNext goes after it


class _Geometry:
    def __init__(self):
        lay = layout().raw
        self.columns = [twips(c) for c in lay["table"]["columns_mm"]]
        self.pad_x = lay["table"]["padding_x_mm"]
        self.pad_y = lay["table"]["padding_y_mm"]
        self.min_rows = lay["table"]["min_row_mm"]
        self.cell = layout().styles["cell"]

    def width(self, col: int, span: int) -> int:
        return sum(self.columns[col:col + span])

    def text_mm(self, col: int, span: int) -> float:
        return self.width(col, span) / (1440 / 25.4) - 2 * self.pad_x


def _text_width_em(text: str) -> float:
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.55 for ch in text)


def _lines(text: str, width_mm: float, size_pt: float) -> int:
    """Roughly how many lines Word will need (for heights only; Word does the wrapping)."""
    per_line = max(1.0, width_mm / (size_pt * 25.4 / 72))
    return sum(max(1, math.ceil(_text_width_em(line) / per_line)) for line in clean(text).split("\n"))


class _Builder:
    def __init__(self, form: Form):
        self.form = form
        self.d = definitions()
        self.g = _Geometry()
        self.common = self.d.tables["common"]
        # the fit step the printed PDF takes (fewer empty numbered rows, tighter risk rows:
        # docs/fit-rules.md), so that the Word table has the PDF's rows
        self.fit = layout().section("fit")["steps"][layout_form(form).step]

    # -- cells and rows ------------------------------------------------------------

    def cell(self, col: int, span: int, content: list[str], *, vmerge: str | None = None,
             valign: str = "center") -> str:
        props = el("w:tcPr", None, el("w:tcW", {"w:w": self.g.width(col, span), "w:type": "dxa"}),
                   val("w:gridSpan", span) if span > 1 else "",
                   (val("w:vMerge", "restart") if vmerge == "restart" else "<w:vMerge/>") if vmerge else "",
                   val("w:vAlign", valign))
        return el("w:tc", None, props, *(content or paragraphs("", STYLE["cell"])))

    def row(self, cells: list[str], min_key: str | float, *, header: bool = False,
            content_mm: float = 0.0, keep_next: bool = False) -> str:
        height = self.g.min_rows[min_key] if isinstance(min_key, str) else min_key
        if keep_next:  # Word keeps a row with the next when all its paragraphs say so
            cells = [_STYLE_VAL.sub(r"\g<0><w:keepNext/>", cell) for cell in cells]
        props = el("w:trPr", None,
                   "<w:cantSplit/>" if content_mm <= MAX_UNSPLIT_MM else "",
                   el("w:trHeight", {"w:val": twips(height), "w:hRule": "atLeast"}),
                   "<w:tblHeader/>" if header else "")
        return el("w:tr", None, props, *cells)

    def label(self, col: int, span: int, lines, **kw) -> str:
        return self.cell(col, span, [p for line in lines for p in paragraphs(line, STYLE["label"])], **kw)

    def text(self, col: int, span: int, text: str, style: str = "cell", **kw) -> str:
        return self.cell(col, span, paragraphs(text, STYLE[style]), **kw)

    def height_mm(self, text: str, col: int, span: int, style: str = "cell") -> float:
        face = layout().styles[style]
        lines = _lines(text, self.g.text_mm(col, span), face.size)
        return lines * face.leading * 25.4 / 72 + 2 * self.g.pad_y

    def table(self, rows: list[str], *, bottom: bool = True) -> str:
        """``bottom=False`` for the field rows: the risk table's top line, 1 pt below, is
        their bottom line (two lines there would print as one thick one)."""
        g = self.g
        border = {"w:val": "single", "w:sz": round(layout().raw["table"]["line_width_pt"] * 8),
                  "w:space": 0, "w:color": "000000"}
        borders = el("w:tblBorders", None, *(el(f"w:{side}", border if bottom or side != "bottom" else {"w:val": "nil"})
                                             for side in ("top", "left", "bottom", "right", "insideH", "insideV")))
        margins = el("w:tblCellMar", None, *(el(f"w:{side}", {"w:w": twips(g.pad_y if side in ("top", "bottom")
                                                                         else g.pad_x),
                                                               "w:type": "dxa"})
                                             for side in ("top", "left", "bottom", "right")))
        props = el("w:tblPr", None, el("w:tblW", {"w:w": sum(g.columns), "w:type": "dxa"}), val("w:jc", "center"),
                   borders, el("w:tblLayout", {"w:type": "fixed"}),
                   margins, el("w:tblLook", {"w:val": "0000"}))
        grid = el("w:tblGrid", None, *(el("w:gridCol", {"w:w": w}) for w in g.columns))
        return el("w:tbl", None, props, grid, *rows)

    # -- the parts of the form ---------------------------------------------------------

    def field_rows(self, specs: list[dict]) -> list[str]:
        d, form = self.d, self.form
        rows = []
        for spec in specs:
            if spec["type"] == "field":
                f = d.field(spec["field"])
                value = getattr(form, f.key)
                lines = f.label_lines if spec.get("label_breaks", True) else [f.label]
                rows.append(self.row([self.label(*LEFT, lines), self.text(*VALUE, value)],
                                     "duties" if f.type == "multiline" else "field",
                                     content_mm=self.height_mm(value, *VALUE)))
            elif spec["type"] == "pair":
                a, b = (d.field(k) for k in spec["fields"])
                rows.append(self.row([self.label(*LEFT, a.label_lines), self.text(2, 1, getattr(form, a.key)),
                                      self.label(3, 2, b.label_lines), self.text(5, 1, getattr(form, b.key))],
                                     "field"))
            elif spec["type"] == "duty_group":
                for i, name in enumerate(spec["fields"]):
                    f = d.field(name)
                    group = self.label(0, 1, spec["label"].split("|") if i == 0 else [],
                                       vmerge="restart" if i == 0 else "continue")
                    value = getattr(form, f.key)
                    rows.append(self.row([group, self.label(1, 1, f.label_lines), self.text(*VALUE, value)],
                                         "duties", content_mm=self.height_mm(value, *VALUE)))
        return rows

    def risk_header(self) -> list[str]:
        c, d = self.common, self.d
        first = [self.label(*LEFT, [c["risk_header"]], vmerge="restart"),
                 self.label(2, 1, [c["point_header"]], vmerge="restart"),
                 self.label(3, 2, [c["level_header"]]),
                 self.label(5, 1, [c["measures_header"]], vmerge="restart")]
        second = [self.label(*LEFT, [], vmerge="continue"), self.label(2, 1, [], vmerge="continue"),
                  self.label(3, 1, [d.risk_field("self_level").short_label]),
                  self.label(4, 1, [d.risk_field("approved_level").short_label]),
                  self.label(5, 1, [], vmerge="continue")]
        return [self.row(first, "risk_header", header=True), self.row(second, "risk_header", header=True)]

    def risk_rows(self) -> list[str]:
        """The numbered rows, as many per category as the printed PDF has. Rows Word must
        keep with the next one (w:keepNext on their paragraphs), as the PDF's fit rules
        never break there: between the empty numbered rows of a category, and from the
        last filled risk row on, so that 单位审核意见 (signature and seal) never starts a
        page without a risk row."""
        d = self.d
        built: list[tuple[list[str], float, bool, bool]] = []  # cells, content height, filled, placeholder
        # as render/formpdf._rows_for_step: at most ``empty_rows`` blank numbered rows per
        # category (at least one; none under a filled category when it is 0), and the text
        # of the points and measures in the step's style (小五 when that brings the PDF
        # onto one page)
        empty_rows = self.fit["empty_rows"]
        text_style = self.fit.get("cell_style", "cell")
        for category in d.categories:
            risks = self.form.risks_in(category.key)
            official = max(self.common["min_rows_per_category"], len(risks))
            blank = 0 if empty_rows == 0 and risks else max(1, empty_rows)
            for i in range(min(official, len(risks) + blank)):
                risk = risks[i] if i < len(risks) else None
                point = f"{i + 1}." + (risk.point if risk else "")
                measures = risk.measures if risk else ""
                cells = [self.label(*LEFT, [category.name] if i == 0 else [],
                                    vmerge="restart" if i == 0 else "continue"),
                         self.text(2, 1, point, text_style),
                         self.text(3, 1, d.level_name(risk.self_level) if risk else "", "level"),
                         self.text(4, 1, d.level_name(risk.approved_level) if risk else "", "level"),
                         self.text(5, 1, measures, text_style)]
                tallest = max(self.height_mm(point, 2, 1, text_style), self.height_mm(measures, 5, 1, text_style))
                built.append((cells, tallest, risk is not None, i > 0 and risk is None))
        last_filled = max((i for i, b in enumerate(built) if b[2]), default=len(built))
        rows = []
        for i, (cells, tallest, _filled, _placeholder) in enumerate(built):
            next_placeholder = i + 1 < len(built) and built[i + 1][3]
            keep = i >= last_filled or (not built[i][2] and next_placeholder)
            rows.append(self.row(cells, self.fit["risk_row_mm"], content_mm=tallest, keep_next=keep))
        return rows

    def closing_rows(self, specs: list[dict]) -> list[str]:
        """The opinions and 备注. 分管校领导意见 is kept with 备注 (w:keepNext): the PDF's
        fit rules break before the leader's opinion rather than leave 备注 alone on a page."""
        rows = []
        closing = [spec for spec in specs if spec["type"] in ("sign", "remarks")]
        for i, spec in enumerate(closing):
            before_remarks = i + 1 < len(closing) and closing[i + 1]["type"] == "remarks"
            f = self.d.field(spec["field"])
            value = getattr(self.form, f.key)
            if spec["type"] == "remarks":
                text = value or self.common["remarks_default"]
                rows.append(self.row([self.label(*LEFT, f.label_lines), self.text(*VALUE, text)], "remarks",
                                     content_mm=self.height_mm(text, *VALUE)))
                continue
            min_key = "sign" if spec.get("seal") else "leader"
            content, body_mm = self.signed(value, spec["lines"], self.g.min_rows[min_key])
            rows.append(self.row([self.label(*LEFT, f.label_lines), self.cell(*VALUE, content, valign="top")],
                                 min_key, content_mm=body_mm, keep_next=before_remarks and not spec.get("seal")))
        return rows

    def signed(self, text: str, lines: list[str], min_mm: float) -> tuple[list[str], float]:
        """The opinion, then the signature lines at the lower right (as SignedOpinion in the
        PDF: first line at the block's left, the middle centred, the date at its right)."""
        sign = layout().raw["table"]["sign"]
        style = layout().styles["sign"]
        em_mm = style.size * 25.4 / 72
        leading_mm = style.leading * 25.4 / 72
        rendered = [sign["date_lead"] + sign["date_gap"].join(line.split("|")) if "|" in line else line
                    for line in lines]
        block_mm = max(_text_width_em(rendered[0]) * em_mm + sign["signature_room_mm"],
                       *(_text_width_em(line) * em_mm for line in rendered))
        width_mm = self.g.text_mm(*VALUE)
        right, left = sign["right_inset_mm"], width_mm - sign["right_inset_mm"] - block_mm
        body = paragraphs(text, STYLE["cell"]) if text else []
        body_mm = (_lines(text, width_mm, style.size) * leading_mm) if text else 0.0
        block_h = (2 * len(lines) - 1) * leading_mm
        room = min_mm - 2 * self.g.pad_y - sign["bottom_inset_mm"] - block_h - body_mm
        first_gap = max(leading_mm if text else 0.0, room) * 72 / 25.4
        out = list(body)
        for i, line in enumerate(rendered):
            gap = first_gap if i == 0 else style.leading
            if i == 0:
                ind, jc = el("w:ind", {"w:left": twips(left)}), "left"
            elif i == len(rendered) - 1:
                ind, jc = el("w:ind", {"w:right": twips(right)}), "right"
            else:
                ind, jc = el("w:ind", {"w:left": twips(left), "w:right": twips(right)}), "center"
            out += paragraphs(line, STYLE["sign"], spacing(before=gap) + ind + val("w:jc", jc))
        return out, body_mm + block_h


def _header(b: _Builder) -> list[str]:
    """附件N, the title, and 单位：… 填表日期：… in a borderless two-cell table."""
    form, common, lay = b.form, b.common, layout().raw
    kind = b.d.kind(form.kind)
    head = lay["header"]
    out = paragraphs(kind.attachment, STYLE["attachment"], spacing(after=head["attachment_gap_mm"] * 72 / 25.4))
    out += paragraphs(kind.title, STYLE["title"], spacing(after=head["title_gap_mm"] * 72 / 25.4))
    parts = common["date_parts"]
    if form.filled_on is not None:
        d = form.filled_on
        date = f"{d.year}{parts[0]}{d.month}{parts[1]}{d.day}{parts[2]}"
    else:
        em = layout().styles["header_line"].size * 25.4 / 72
        date = "".join("\u3000" * max(1, round(gap / em)) + part for gap, part in zip(head["date_blank_mm"], parts))
    total = sum(b.g.columns)
    date_w = twips(75)
    none = el("w:tblBorders", None, *(el(f"w:{s}", {"w:val": "nil"}) for s in
                                      ("top", "left", "bottom", "right", "insideH", "insideV")))
    zero = el("w:tblCellMar", None, *(el(f"w:{s}", {"w:w": 0, "w:type": "dxa"})
                                      for s in ("top", "left", "bottom", "right")))
    props = el("w:tblPr", None, el("w:tblW", {"w:w": total, "w:type": "dxa"}), val("w:jc", "center"), none,
               el("w:tblLayout", {"w:type": "fixed"}), zero, el("w:tblLook", {"w:val": "0000"}))
    grid = el("w:tblGrid", None, el("w:gridCol", {"w:w": total - date_w}), el("w:gridCol", {"w:w": date_w}))

    def cell(width: int, content: list[str]) -> str:
        properties = el("w:tcPr", None, el("w:tcW", {"w:w": width, "w:type": "dxa"}), val("w:vAlign", "bottom"))
        return el("w:tc", None, properties,
                  *content)

    right = el("w:ind", {"w:right": twips(head["date_right_inset_mm"])}) + val("w:jc", "right")
    row = el("w:tr", None, el("w:trPr", None, "<w:cantSplit/>"),
             cell(total - date_w, paragraphs(common["unit_prefix"] + form.unit, STYLE["header_line"])),
             cell(date_w, paragraphs(common["filled_on_prefix"] + date, STYLE["header_line"], right)))
    out.append(el("w:tbl", None, props, grid, row))
    gap = twips(head["line_gap_mm"])
    out.append(el("w:p", None, el("w:pPr", None, el("w:spacing", {"w:before": 0, "w:after": 0, "w:line": gap,
                                                                  "w:lineRule": "exact"}),
                                  el("w:rPr", None, val("w:sz", 2)))))
    return out


def _joint() -> str:
    """The hidden 1 pt paragraph that keeps two touching tables apart (so the second's
    header rows can repeat on each page)."""
    return el("w:p", None, el("w:pPr", None, el("w:spacing", {"w:before": 0, "w:after": 0, "w:line": 20,
                                                             "w:lineRule": "exact"}),
                              el("w:rPr", None, "<w:vanish/>", val("w:sz", 2), val("w:szCs", 2))))


def _section() -> str:
    page = layout().raw["page"]
    width, height = page["size_mm"]
    return el("w:sectPr", None,
              el("w:pgSz", {"w:w": twips(width), "w:h": twips(height)}),
              el("w:pgMar", {"w:top": twips(page["margin_top_mm"]), "w:right": twips(page["margin_right_mm"]),
                             "w:bottom": twips(docx_words()["write"]["margin_bottom_mm"]),  # no footer band
                             "w:left": twips(page["margin_left_mm"]),
                             "w:header": twips(page["footer_baseline_mm"]),
                             "w:footer": twips(page["footer_baseline_mm"]),
                             "w:gutter": 0}),
              el("w:cols", {"w:space": 425}))


def document_xml(form: Form) -> str:
    b = _Builder(form)
    kind = b.d.kind(form.kind)
    specs = list(kind.rows)
    split = [r["type"] for r in specs].index("risks")
    body = _header(b)
    body.append(b.table(b.field_rows(specs[:split]), bottom=False))
    body.append(_joint())
    body.append(b.table(b.risk_header() + b.risk_rows() + b.closing_rows(specs[split + 1:])))
    below = kind.below_table
    gap = layout().raw["below_table"]["gap_mm"] * 72 / 25.4
    # Word needs a paragraph after a table; without words under it, a 1 pt one (a full
    # line there would start a blank page when the table ends at the foot of the page)
    body += paragraphs(below, STYLE["below"], spacing(before=gap)) if below else [_joint()]
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            + el("w:document", {"xmlns:w": W_NS, "xmlns:r": R_NS}, el("w:body", None, *body, _section())))
