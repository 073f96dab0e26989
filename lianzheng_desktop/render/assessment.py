"""The 考核表 (notice 六(四)) as PDF: one A4 page per unit, in the forms' fonts, sizes and
rules (forms/layout.toml), its items and columns from forms/assessment.toml."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable

from reportlab.lib.units import mm

from lianzheng_desktop.domain.assessment import UnitAssessment, assessment_spec
from lianzheng_desktop.domain.deadlines import word
from lianzheng_desktop.domain.definitions import definitions
from lianzheng_desktop.render.cells import Text
from lianzheng_desktop.render.document import new_canvas
from lianzheng_desktop.render.fonts import register_fonts
from lianzheng_desktop.render.layout import layout
from lianzheng_desktop.render.table import Cell, Row, Table
from lianzheng_desktop.render.typeset import draw_line, first_baseline, width_of


def _score(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


def _row(texts: list[str], *, align: str = "left", heads: tuple[int, ...] = (), minimum: float = 7.0,
         centred: tuple[int, ...] = ()) -> Row:
    cells = [Cell(i, 1, Text(t, "label" if i in heads else "cell",
                             align="center" if (i in heads or i in centred or align == "center") else align))
             for i, t in enumerate(texts)]
    return Row(cells, minimum * mm, "field")


def _items_table(a: UnitAssessment) -> tuple[Table, list[Row]]:
    spec = assessment_spec()
    table = Table(tuple(w * mm for w in spec.raw_print["items_columns_mm"]))
    rows = [_row(["项目", "分值", "评分办法", "情况", "得分"], heads=(0, 1, 2, 3, 4))]
    for r in a.results:
        rows.append(_row([r.item.name, f"{r.item.weight:g}", r.item.rule, r.fact, _score(r.score)], centred=(1, 4)))
    missing = f"；暂无数据的 {a.missing_weight:g} 分不计" if a.missing_weight else ""
    total = f"得分 {a.total:g}，计分满分 {a.counted:g}（满分 {spec.full:g}{missing}）"
    rows.append(Row([Cell(0, 1, Text("合计", "label", align="center")), Cell(1, 3, Text(total, "cell")),
                     Cell(4, 1, Text(f"{a.total:g}", "cell", align="center"))], 8 * mm, "field"))
    return table, rows


def _levels_table(a: UnitAssessment) -> tuple[Table, list[Row]]:
    d = definitions()
    spec = assessment_spec()
    table = Table(tuple(w * mm for w in spec.raw_print["levels_columns_mm"]))
    values = [lv.value for lv in d.levels] + [None]
    names = [lv.name for lv in d.levels] + [d.unrated_name]
    rows = [_row([f"风险点（按{d.risk_field('self_level').label}）", *names, "合计"], heads=tuple(range(6)))]
    levels = a.facts.levels
    for c in d.categories:
        counts = [levels.get((c.key, v), 0) for v in values]
        rows.append(_row([c.name, *map(str, counts), str(sum(counts))], align="center", heads=(0,)))
    totals = [sum(levels.get((c.key, v), 0) for c in d.categories) for v in values]
    rows.append(_row(["合计", *map(str, totals), str(sum(totals))], align="center", heads=(0,)))
    return table, rows


def _findings_table(a: UnitAssessment, shown: int) -> tuple[Table, list[Row]]:
    spec = assessment_spec()
    label = spec.raw_print["findings_label_mm"]
    table = Table((label * mm, layout().frame_width - label * mm))
    findings = a.findings[:shown]
    if len(a.findings) > shown:
        findings.append(f"……另有 {len(a.findings) - shown} 条，见工作台“质量检查”")
    text = "\n".join(f"{i}. {f}" for i, f in enumerate(findings, 1)) if findings else "没有质量提醒"
    return table, [Row([Cell(0, 1, Text("质量提醒", "label", align="center")), Cell(1, 1, Text(text, "cell"))],
                       12 * mm, "field")]


def _header_lines(a: UnitAssessment) -> tuple[str, str]:
    f = a.facts
    left = f"单位：{a.unit}"
    due = f"截止日期：{f.deadline}" if f.deadline else "截止日期：未设"
    got = f"首次收到：{f.received_at[:10]}" if f.received_at else "未收到数据包"
    return left, f"{due}　{got}　{word(f.timeliness)}"


def _draw_page(canv, a: UnitAssessment, year: int, today: dt.date) -> None:
    lay = layout()
    spec = assessment_spec()
    x, width = lay.margin_left, lay.frame_width
    top = lay.page_height - lay.margin_top
    title_style = lay.styles["title"]
    title = spec.title.format(year=year)
    title_w = width_of(title_style)(title) - title_style.letter_spacing
    draw_line(canv, x + (width - title_w) / 2, first_baseline(top, title_style), title, title_style)
    top -= title_style.leading + 4 * mm
    line = lay.styles["header_line"]
    left, right = _header_lines(a)
    baseline = first_baseline(top, line)
    draw_line(canv, x, baseline, left, line)
    draw_line(canv, x + width - width_of(line)(right), baseline - (line.leading if width_of(line)(left + right) + 24
                                                                      > width else 0), right, line)
    top -= line.leading * (2 if width_of(line)(left + right) + 24 > width else 1) + 2 * mm
    shown = spec.raw_print["findings_shown"]
    parts = [_items_table(a), _levels_table(a), _findings_table(a, shown)]
    note = Text(spec.note + spec.received_rule, "cell")
    sign = lay.styles["below_table"]
    room = top - lay.margin_bottom

    def height(parts) -> float:
        return (sum(sum(t.heights(rows)) for t, rows in parts) + 3 * mm * len(parts)
                + note.height(width) + 3 * sign.leading)

    while height(parts) > room and shown > 1:  # a long list of findings gives way to the rest
        shown -= 1
        parts[2] = _findings_table(a, shown)
    for table, rows in parts:
        top = table.draw(canv, rows, x, top) - 3 * mm
    note.draw(canv, x, top, width, note.height(width))
    top -= note.height(width) + 2 * sign.leading
    draw_line(canv, x, first_baseline(top, sign), spec.raw_print["sign_line"], sign)
    footer = lay.styles["footer"]
    made = f"程序生成于 {today.isoformat()}　依据 forms/assessment.toml"
    draw_line(canv, x, lay.mm("page", "footer_baseline_mm"), made, footer)


def render_assessment(units: list[UnitAssessment], year: int, today: dt.date,
                      progress: Callable[[int, int, str], object] | None = None) -> bytes:
    """A page per unit, in the order given (~16 ms a page)."""
    if not units:
        raise ValueError("没有要打印的单位")
    register_fonts()
    buffer = io.BytesIO()
    canv = new_canvas(buffer, assessment_spec().title.format(year=year))
    for i, a in enumerate(units):
        if progress is not None and i % 10 == 0:
            progress(i, len(units), f"正在排版 {a.unit} 的考核表")
        _draw_page(canv, a, year, today)
        canv.showPage()
    canv.save()
    return buffer.getvalue()
