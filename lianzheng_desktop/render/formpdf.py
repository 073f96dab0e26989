"""One official form (附件2 or 附件3) laid out on pages, built from forms/tables.toml.

``layout_form`` builds the header and the table rows, then tries the fit steps of
forms/layout.toml in order (fewer empty numbered rows, then tighter risk rows) and keeps
the first that gives the fewest pages and the fewest broken rules (see paginate.py).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from reportlab.lib.units import mm

from lianzheng_desktop.domain.definitions import definitions
from lianzheng_desktop.domain.model import Form
from lianzheng_desktop.render.cells import SignedOpinion, Text
from lianzheng_desktop.render.fonts import printable
from lianzheng_desktop.render.layout import layout
from lianzheng_desktop.render.linebreak import break_lines
from lianzheng_desktop.render.paginate import Page, paginate, score
from lianzheng_desktop.render.table import KEEP, LABEL, Cell, Group, Row, Table
from lianzheng_desktop.render.typeset import draw_line, first_baseline, width_of

LEFT = (0, 2)  # the label column (two grid columns, merged on the unit form)
VALUE = (2, 4)  # the value spans 具体风险点 … 防控措施


def label(lines: tuple[str, ...] | list[str]) -> Text:
    return Text("\n".join(lines), "label", align="center")


class FormHeader:
    """附件N at the top left, the centred title, and the 单位：… 填表日期：… line."""

    def __init__(self, form: Form):
        self.form = form
        kind = definitions().kind(form.kind)
        self.attachment, self.title = kind.attachment, kind.title
        common = definitions().tables["common"]
        # a one-line field: line breaks in it (pasted text) print as spaces
        self.unit_text = common["unit_prefix"] + " ".join(printable(form.unit).split("\n"))
        self.date_text = common["filled_on_prefix"] + self._date(common["date_parts"])

    def _date(self, parts: list[str]) -> str:
        d = self.form.filled_on
        if d is not None:
            return f"{d.year}{parts[0]}{d.month}{parts[1]}{d.day}{parts[2]}"
        return ""  # drawn with blanks for the pen, see draw()

    def _blank_date_width(self) -> float:
        return sum(self._blank_gaps()) + sum(width_of(_style("header_line"))(p)
                                             for p in definitions().tables["common"]["date_parts"])

    def _blank_gaps(self) -> list[float]:
        return [g * mm for g in layout().section("header")["date_blank_mm"]]

    def _unit_lines(self, width: float) -> list[str]:
        """The 单位：… text: beside the date when both fit, else wrapped above it."""
        measure = width_of(_style("header_line"))
        date_w = measure(self.date_text) + (self._blank_date_width() if not self.form.filled_on else 0)
        if measure(self.unit_text) + date_w + 12 <= width:
            return [self.unit_text]
        return break_lines(self.unit_text, width, measure)

    def _line_count(self, width: float) -> int:
        lines = self._unit_lines(width)
        return 1 if lines == [self.unit_text] else len(lines) + 1

    def height(self, width: float) -> float:
        s, h = _style, layout().section("header")
        return (s("attachment").leading + h["attachment_gap_mm"] * mm + s("title").leading
                + h["title_gap_mm"] * mm + self._line_count(width) * s("header_line").leading
                + h["line_gap_mm"] * mm)

    def draw(self, canv, x: float, top: float, width: float) -> None:
        s, h = _style, layout().section("header")
        draw_line(canv, x, first_baseline(top, s("attachment")), self.attachment, s("attachment"))
        top -= s("attachment").leading + h["attachment_gap_mm"] * mm
        title_w = width_of(s("title"))(self.title) - s("title").letter_spacing
        draw_line(canv, x + (width - title_w) / 2, first_baseline(top, s("title")), self.title, s("title"))
        top -= s("title").leading + h["title_gap_mm"] * mm
        style = s("header_line")
        measure = width_of(style)
        baseline = first_baseline(top, style)
        for i, line in enumerate(self._unit_lines(width)):
            if i:
                baseline -= style.leading
            draw_line(canv, x, baseline, line, style)
        if self._line_count(width) > 1:
            baseline -= style.leading
        right = x + width - h["date_right_inset_mm"] * mm
        if self.form.filled_on is not None:
            draw_line(canv, right - measure(self.date_text), baseline, self.date_text, style)
            return
        at = right - self._blank_date_width() - measure(self.date_text)
        draw_line(canv, at, baseline, self.date_text, style)
        at += measure(self.date_text)
        for gap, part in zip(self._blank_gaps(), definitions().tables["common"]["date_parts"]):
            at += gap
            draw_line(canv, at, baseline, part, style)
            at += measure(part)


def _style(name):
    return layout().styles[name]


def _field_value(form: Form, key: str) -> str:
    return getattr(form, key) or ""


def _min(kind: str) -> float:
    return layout().min_row(kind)


def _field_rows(form: Form, spec_rows: list[dict]) -> tuple[list[Row], dict[str, Group]]:
    d = definitions()
    rows: list[Row] = []
    groups: dict[str, Group] = {}
    for spec in spec_rows:
        if spec["type"] == "field":
            f = d.field(spec["field"])
            height = _min("duties") if f.type == "multiline" else _min("field")
            lines = f.label_lines if spec.get("label_breaks", True) else [f.label]
            rows.append(Row([Cell(*LEFT, label(lines), LABEL),
                             Cell(*VALUE, Text(_field_value(form, f.key)))], height, "field"))
        elif spec["type"] == "pair":
            a, b = (d.field(k) for k in spec["fields"])
            rows.append(Row([Cell(*LEFT, label(a.label_lines), LABEL), Cell(2, 1, Text(_field_value(form, a.key))),
                             Cell(3, 2, label(b.label_lines), LABEL), Cell(5, 1, Text(_field_value(form, b.key)))],
                            _min("field"), "field"))
        elif spec["type"] == "duty_group":
            key = "group:" + spec["label"]
            groups[key] = Group("\n".join(spec["label"].split("|")), 0, 1)
            for i, name in enumerate(spec["fields"]):
                f = d.field(name)
                rows.append(Row([Cell(1, 1, label(f.label_lines), LABEL),
                                 Cell(*VALUE, Text(_field_value(form, f.key)))],
                                _min("duties"), "field", group=key, group_start=i == 0))
    return rows, groups


def _risk_header() -> list[Row]:
    d = definitions()
    common = d.tables["common"]
    levels = {f.key: f for f in d.risk_fields}
    return [
        Row([Cell(*LEFT, label([common["risk_header"]]), LABEL, rowspan=2),
             Cell(2, 1, label([common["point_header"]]), LABEL, rowspan=2),
             Cell(3, 2, label([common["level_header"]]), LABEL),
             Cell(5, 1, label([common["measures_header"]]), LABEL, rowspan=2)], _min("risk_header"), "header"),
        Row([Cell(3, 1, label([levels["self_level"].short_label]), LABEL),
             Cell(4, 1, label([levels["approved_level"].short_label]), LABEL)], _min("risk_header"), "header"),
    ]


def _risk_rows(form: Form) -> tuple[list[Row], dict[str, Group]]:
    """Every category's numbered rows; the empty ones that fill a category up to the
    official three are placeholders (kind "placeholder"), which the fit steps may drop."""
    d = definitions()
    common = d.tables["common"]
    groups = {c.key: Group(c.name, *LEFT) for c in d.categories}
    rows: list[Row] = []
    for category in d.categories:
        risks = form.risks_in(category.key)
        for i in range(max(common["min_rows_per_category"], len(risks))):
            risk = risks[i] if i < len(risks) else None
            number = f"{i + 1}."
            cells = [
                Cell(2, 1, Text(number + (risk.point if risk else ""))),
                Cell(3, 1, Text(d.level_name(risk.self_level) if risk else "", "level", align="center"), KEEP),
                Cell(4, 1, Text(d.level_name(risk.approved_level) if risk else "", "level", align="center"), KEEP),
                Cell(5, 1, Text(risk.measures if risk else "")),
            ]
            rows.append(Row(cells, _min("risk"), "risk" if risk else "placeholder", group=category.key,
                            group_start=i == 0, marker=common["continued_point"].format(number=number),
                            unit=None if risk else (category.key,)))
    filled = [i for i, row in enumerate(rows) if row.kind == "risk"]
    if filled:
        for i in range(filled[-1] + 1, len(rows)):
            rows[i] = replace(rows[i], with_seal=True)
    return rows, groups


def _closing_rows(form: Form, spec_rows: list[dict], below: str | None) -> list[Row]:
    d = definitions()
    rows = []
    for spec in spec_rows:
        if spec["type"] not in ("sign", "remarks"):
            continue
        f = d.field(spec["field"])
        value = _field_value(form, f.key)
        if spec["type"] == "sign":
            seal = spec.get("seal", False)
            rows.append(Row([Cell(*LEFT, label(f.label_lines), LABEL),
                             Cell(*VALUE, SignedOpinion(Text(value, "sign", valign="top"), spec["lines"]))],
                            _min("sign") if seal else _min("leader"), "seal" if seal else "sign"))
        else:
            text = value or d.tables["common"]["remarks_default"]
            rows.append(Row([Cell(*LEFT, label(f.label_lines), LABEL), Cell(*VALUE, Text(text))],
                            _min("remarks"), "remarks"))
    if below:
        rows.append(Row([Cell(0, 6, Text(below, "below_table", align="right"))],
                        layout().mm("below_table", "gap_mm"), "below_table", boxed=False))
    return rows


@dataclass
class FormLayout:
    form: Form
    header: FormHeader
    table: Table
    pages: list[Page]
    step: int  # the fit step used (index into [fit].steps)


def _rows_for_step(rows: list[Row], step: dict, restyled: dict[int, Row]) -> list[Row]:
    """The rows as ``step`` lays them out; ``restyled`` keeps rows already set in smaller
    type, so that their text is broken into lines once for all the steps that use it."""
    out: list[Row] = []
    empty: dict[tuple | None, int] = {}  # placeholder rows kept, per category (Row.unit)
    height = step["risk_row_mm"] * mm
    for original in rows:
        row = original
        if row.kind == "placeholder":
            empty[row.unit] = empty.get(row.unit, 0) + 1
            # empty_rows 0: a category with filled rows keeps no blank one; an empty
            # category always keeps its first numbered row, to write in by hand
            if empty[row.unit] > max(1, step["empty_rows"]) or (step["empty_rows"] == 0 and not row.group_start):
                continue
        if row.kind == "risk" and step.get("cell_style"):
            key = id(original)  # the given rows outlive the layout, so their ids stay theirs
            if key not in restyled:
                restyled[key] = replace(row, cells=[_restyled(cell, step["cell_style"]) for cell in row.cells])
            row = restyled[key]
        if row.kind in ("risk", "placeholder") and row.min_height != height:
            row = replace(row, min_height=height)
        out.append(row)
    return out


def _restyled(cell: Cell, style_name: str) -> Cell:
    """The cell with its body text (not the centred levels) set in ``style_name``."""
    content = cell.content
    if isinstance(content, Text) and content.style_name == "cell":
        return replace(cell, content=Text(content.text, style_name, content.align, content.valign))
    return cell


def layout_form(form: Form, *, fit: bool = True) -> FormLayout:
    """The form's pages; ``fit=False`` keeps the official three rows per category (for
    the blank form, which is filled in by hand)."""
    kind = definitions().kind(form.kind)
    lay = layout()
    split = [r["type"] for r in kind.rows].index("risks")
    field_rows, groups = _field_rows(form, list(kind.rows[:split]))
    risk_rows, categories = _risk_rows(form)
    closing = _closing_rows(form, list(kind.rows[split + 1:]), kind.below_table or None)
    table = Table(lay.columns, {**groups, **categories}, _risk_header())
    header = FormHeader(form)
    first_used = header.height(lay.frame_width)
    rows = [*field_rows, *risk_rows, *closing]
    steps = lay.section("fit")["steps"] if fit else lay.section("fit")["steps"][:1]
    best: tuple[tuple[int, int, int, float], int, list[Page]] | None = None  # (score, step, pages)
    restyled: dict[int, Row] = {}
    for index, step in enumerate(steps):
        if step.get("cell_style") and best is not None and len(best[2]) > 2:
            continue  # three pages or more never shrink to one
        pages = paginate(table, _rows_for_step(rows, step, restyled), first_used, lay.frame_height)
        if step.get("cell_style") and len(pages) > 1:
            continue  # smaller type only to bring a form onto one page, never to save a page of many
        result = (score(pages, lay.frame_height), index, pages)
        if best is None or result[0] < best[0]:
            best = result
        if best[0] == (1, 0, 0, 0):
            break
    if best is None:
        raise ValueError("forms/layout.toml: [fit] steps is empty")
    return FormLayout(form, header, table, best[2], best[1])
