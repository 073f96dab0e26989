"""The flowables of one official form (附件2 or 附件3), built from forms/tables.toml."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether

from lianzheng_desktop.domain.definitions import definitions
from lianzheng_desktop.domain.model import Form
from lianzheng_desktop.render.cells import SignedOpinion, Text, draw_line, first_baseline, width_of
from lianzheng_desktop.render.grid import Cell, Grid, GridSpec, Group, Row
from lianzheng_desktop.render.fonts import printable
from lianzheng_desktop.render.layout import layout
from lianzheng_desktop.render.linebreak import break_lines

LEFT = (0, 2)  # the label column (two grid columns, merged on the unit form)
VALUE = (2, 4)  # the value spans 具体风险点 … 防控措施


def label(lines: tuple[str, ...] | list[str]) -> Text:
    return Text("\n".join(lines), "label", align="center")


class FormHeader(Flowable):
    """附件N at the top left, the centred title, and the 单位：… 填表日期：… line."""

    def __init__(self, form: Form):
        super().__init__()
        self.form = form
        t = definitions().tables
        self.attachment = t[form.kind]["attachment"]
        self.title = t[form.kind]["title"]
        common = t["common"]
        self.unit_text = common["unit_prefix"] + form.unit
        self.date_text = common["filled_on_prefix"] + self._date(common["date_parts"])

    def _date(self, parts: list[str]) -> str:
        d = self.form.filled_on
        if d is not None:
            return f"{d.year}{parts[0]}{d.month}{parts[1]}{d.day}{parts[2]}"
        return ""  # drawn with blanks for the pen, see draw()

    def _blank_date_width(self) -> float:
        return sum(self._blank_gaps()) + sum(width_of(self._style("header_line"))(p)
                                             for p in definitions().tables["common"]["date_parts"])

    def _blank_gaps(self) -> list[float]:
        return [g * mm for g in layout().section("header")["date_blank_mm"]]

    @staticmethod
    def _style(name):
        return layout().styles[name]

    def _unit_lines(self, width: float) -> list[str]:
        """The 单位：… text: beside the date when both fit, else wrapped above it."""
        style = self._style("header_line")
        measure = width_of(style)
        date_w = measure(self.date_text) + (self._blank_date_width() if not self.form.filled_on else 0)
        if measure(self.unit_text) + date_w + 12 <= width:
            return [self.unit_text]
        return break_lines(printable(self.unit_text), width, measure)

    def _line_count(self, width: float) -> int:
        lines = self._unit_lines(width)
        return 1 if lines == [self.unit_text] else len(lines) + 1

    def wrap(self, avail_width, avail_height):
        s, h = self._style, layout().section("header")
        self.width = avail_width
        self.height = (s("attachment").leading + h["attachment_gap_mm"] * mm + s("title").leading
                       + h["title_gap_mm"] * mm + self._line_count(avail_width) * s("header_line").leading
                       + h["line_gap_mm"] * mm)
        return self.width, self.height

    def draw(self):
        s, h, canv = self._style, layout().section("header"), self.canv
        top = self.height
        draw_line(canv, 0, first_baseline(top, s("attachment")), self.attachment, s("attachment"))
        top -= s("attachment").leading + h["attachment_gap_mm"] * mm
        title_w = width_of(s("title"))(self.title) - s("title").letter_spacing
        draw_line(canv, (self.width - title_w) / 2, first_baseline(top, s("title")), self.title, s("title"))
        top -= s("title").leading + h["title_gap_mm"] * mm
        style = s("header_line")
        measure = width_of(style)
        baseline = first_baseline(top, style)
        for i, line in enumerate(self._unit_lines(self.width)):
            if i:
                baseline -= style.leading
            draw_line(canv, 0, baseline, line, style)
        if self._line_count(self.width) > 1:
            baseline -= style.leading
        right = self.width - h["date_right_inset_mm"] * mm
        if self.form.filled_on is not None:
            draw_line(canv, right - measure(self.date_text), baseline, self.date_text, style)
            return
        x = right - self._blank_date_width() - measure(self.date_text)
        draw_line(canv, x, baseline, self.date_text, style)
        x += measure(self.date_text)
        for gap, part in zip(self._blank_gaps(), definitions().tables["common"]["date_parts"]):
            x += gap
            draw_line(canv, x, baseline, part, style)
            x += measure(part)


class BelowTable(Flowable):
    """责任人签字： under the post form's table, at the right."""

    def __init__(self, text: str):
        super().__init__()
        self.text = text

    def wrap(self, avail_width, avail_height):
        self.width = avail_width
        self.height = layout().section("below_table")["gap_mm"] * mm + layout().styles["below_table"].leading
        return self.width, self.height

    def draw(self):
        style = layout().styles["below_table"]
        x = self.width - layout().section("below_table")["right_inset_mm"] * mm - width_of(style)(self.text)
        draw_line(self.canv, x, first_baseline(style.leading, style), self.text, style)


def _field_value(form: Form, key: str) -> str:
    return getattr(form, key) or ""


def _min(kind: str) -> float:
    return layout().min_row(kind)


def _field_rows(form: Form, spec_rows: list[dict]) -> tuple[list[Row], dict[str, Group]]:
    d = definitions()
    rows: list[Row] = []
    groups: dict[str, Group] = {}
    suffix = d.tables["common"]["continued_suffix"]
    for spec in spec_rows:
        if spec["type"] == "field":
            f = d.field(spec["field"])
            height = _min("duties") if f.type == "multiline" else _min("field")
            lines = f.label_lines if spec.get("label_breaks", True) else [f.label]
            rows.append(Row([Cell(*LEFT, label(lines)),
                             Cell(*VALUE, Text(_field_value(form, f.key)))], height))
        elif spec["type"] == "pair":
            a, b = (d.field(k) for k in spec["fields"])
            rows.append(Row([Cell(*LEFT, label(a.label_lines)), Cell(2, 1, Text(_field_value(form, a.key))),
                             Cell(3, 2, label(b.label_lines)), Cell(5, 1, Text(_field_value(form, b.key)))],
                            _min("field")))
        elif spec["type"] == "duty_group":
            key = "group:" + spec["label"]
            lines = spec["label"].split("|")
            groups[key] = Group("\n".join(lines), 0, 1, "\n" + suffix)
            for i, name in enumerate(spec["fields"]):
                f = d.field(name)
                rows.append(Row([Cell(1, 1, label(f.label_lines)), Cell(*VALUE, Text(_field_value(form, f.key)))],
                                _min("duties"), group=key, group_start=i == 0))
    return rows, groups


def _risk_grid(form: Form, columns) -> Grid:
    d = definitions()
    common = d.tables["common"]
    levels = {f.key: f for f in d.risk_fields}
    header = [
        Row([Cell(*LEFT, label([common["risk_header"]]), rowspan=2),
             Cell(2, 1, label([common["point_header"]]), rowspan=2),
             Cell(3, 2, label([common["level_header"]])),
             Cell(5, 1, label([common["measures_header"]]), rowspan=2)], _min("risk_header")),
        Row([Cell(3, 1, label([levels["self_level"].short_label])),
             Cell(4, 1, label([levels["approved_level"].short_label]))], _min("risk_header")),
    ]
    groups = {c.key: Group(c.name, *LEFT, continued_suffix=common["continued_suffix"])
              for c in d.categories}
    rows: list[Row] = []
    for category in d.categories:
        risks = form.risks_in(category.key)
        count = max(common["min_rows_per_category"], len(risks))
        for i in range(count):
            risk = risks[i] if i < len(risks) else None
            point = f"{i + 1}." + (risk.point if risk else "")
            cells = [
                Cell(2, 1, Text(point)),
                Cell(3, 1, Text(d.level_name(risk.self_level) if risk else "", "level", align="center")),
                Cell(4, 1, Text(d.level_name(risk.approved_level) if risk else "", "level", align="center")),
                Cell(5, 1, Text(risk.measures if risk else "")),
            ]
            rows.append(Row(cells, _min("risk"), group=category.key, group_start=i == 0))
    return Grid(GridSpec(columns, header=header, groups=groups), rows)


def _closing_rows(form: Form, spec_rows: list[dict]) -> list[Row]:
    d = definitions()
    rows = []
    for spec in spec_rows:
        if spec["type"] not in ("sign", "remarks"):
            continue
        f = d.field(spec["field"])
        value = _field_value(form, f.key)
        if spec["type"] == "sign":
            height = _min("sign") if spec.get("seal") else _min("leader")
            rows.append(Row([Cell(*LEFT, label(f.label_lines)),
                             Cell(*VALUE, SignedOpinion(value, spec["lines"]))], height))
        else:
            text = value or d.tables["common"]["remarks_default"]
            rows.append(Row([Cell(*LEFT, label(f.label_lines)), Cell(*VALUE, Text(text))],
                            _min("remarks"), keep_with_previous=True))
    return rows


def form_flowables(form: Form) -> list[Flowable]:
    """Header, then the table in three flush parts: fields, risks (header rows repeat),
    and the closing opinions, then 责任人签字 for a post form."""
    table = definitions().tables[form.kind]
    columns = layout().columns
    split = [r["type"] for r in table["rows"]].index("risks")
    before, after = table["rows"][:split], table["rows"][split + 1:]
    field_rows, groups = _field_rows(form, before)
    story: list[Flowable] = [FormHeader(form), Grid(GridSpec(columns, groups=groups), field_rows),
                             _risk_grid(form, columns)]
    # Each opinion row stays whole with its signature lines; the rows may go to separate
    # pages, but 备注 never stands alone at the top of one.
    closing = Grid(GridSpec(columns), _closing_rows(form, after))
    if "below_table" in table:
        story.append(KeepTogether([closing, BelowTable(table["below_table"])]))
    else:
        story.append(closing)
    return story
