"""The committee's summary: every risk point of a year, flattened, and the Excel workbook.

Written with openpyxl in write-only mode (fast for thousands of rows): one sheet of all
risk points, one per form kind with the header fields, a sheet of counts by unit ×
category × level with a native Excel chart. Frozen header row, filters, column widths.
"""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from lianzheng_desktop.domain.definitions import definitions
from lianzheng_desktop.domain.model import POST, UNIT, Form
from lianzheng_desktop.domain.verification import verification_code
from lianzheng_desktop.exchange.formfile import write_bytes_atomic


@dataclass(frozen=True)
class RiskRow:
    form_id: str
    unit: str
    kind: str
    person: str
    post: str
    category: str
    number: int
    point: str
    self_level: int | None
    approved_level: int | None
    measures: str
    code: str


def risk_rows(forms: list[Form]) -> list[RiskRow]:
    rows = []
    keys = definitions().category_keys
    for form in forms:
        code = verification_code(form)
        for category in keys:
            for number, risk in enumerate(form.risks_in(category), 1):
                rows.append(RiskRow(form.id, form.unit, form.kind, form.person, form.post, category,
                                    number, risk.point, risk.self_level, risk.approved_level,
                                    risk.measures, code))
    return rows


def counts(rows: list[RiskRow], level: str = "self_level") -> Counter:
    """(unit, category, level or None) → number of risk points."""
    return Counter((r.unit, r.category, getattr(r, level)) for r in rows)


def write_summary(forms: list[Form], path: Path, year: int) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Alignment, Font, PatternFill

    d = definitions()
    label = lambda key: d.field(key).label  # noqa: E731
    rlabel = lambda key: d.risk_field(key).label  # noqa: E731
    kind_name = d.messages["kind_name"]
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDE6F0")
    wrap = Alignment(wrap_text=True, vertical="top")
    book = Workbook(write_only=True)

    def sheet(title: str, headers: list[str], widths: list[int], rows, wrap_columns=()):
        ws = book.create_sheet(title)
        ws.freeze_panes = "A2"
        for i, width in enumerate(widths):
            ws.column_dimensions[chr(ord("A") + i)].width = width
        head = []
        for text in headers:
            cell = WriteOnlyCell(ws, value=text)
            cell.font, cell.fill = bold, fill
            head.append(cell)
        ws.append(head)
        count = 0
        for values in rows:
            cells = []
            for i, value in enumerate(values):
                if i in wrap_columns:
                    cell = WriteOnlyCell(ws, value=value)
                    cell.alignment = wrap
                    cells.append(cell)
                else:
                    cells.append(value)
            ws.append(cells)
            count += 1
        ws.auto_filter.ref = f"A1:{chr(ord('A') + len(headers) - 1)}{count + 1}"
        return ws

    rows = risk_rows(forms)
    sheet("风险点", [label("unit"), "表格", label("person"), label("post"), rlabel("category"), "序号",
                    rlabel("point"), rlabel("self_level"), rlabel("approved_level"), rlabel("measures"), "校验码"],
          [18, 10, 10, 14, 14, 6, 50, 8, 8, 50, 11],
          ((r.unit, kind_name[r.kind], r.person, r.post, d.category(r.category).name, r.number, r.point,
            d.level_name(r.self_level), d.level_name(r.approved_level), r.measures, r.code) for r in rows),
          wrap_columns=(6, 9))

    def level_counts(form):
        found = Counter(r.self_level for r in form.risks)
        return [found.get(lv.value, 0) for lv in d.levels]

    level_names = [lv.name for lv in d.levels]
    units = [f for f in forms if f.kind == UNIT]
    sheet(d.tables["unit"]["title"], [label("unit"), label("year"), label("filled_on"), label("head"),
                                      label("unit_duties"), label("integrity_duties"), "风险点数",
                                      *level_names, "校验码"],
          [18, 8, 12, 10, 50, 50, 8, 6, 6, 6, 11],
          ((f.unit, f.year, f.filled_on.isoformat() if f.filled_on else "", f.head, f.unit_duties,
            f.integrity_duties, len(f.risks), *level_counts(f), verification_code(f)) for f in units),
          wrap_columns=(4, 5))
    posts = [f for f in forms if f.kind == POST]
    sheet(d.tables["post"]["title"], [label("unit"), label("year"), label("filled_on"), label("person"),
                                      label("post"), label("post_duties"), label("integrity_duties"), "风险点数",
                                      *level_names, "校验码"],
          [18, 8, 12, 10, 14, 50, 50, 8, 6, 6, 6, 11],
          ((f.unit, f.year, f.filled_on.isoformat() if f.filled_on else "", f.person, f.post, f.post_duties,
            f.integrity_duties, len(f.risks), *level_counts(f), verification_code(f)) for f in posts),
          wrap_columns=(5, 6))

    # counts: one row per unit, for each category the points at each self-assessed level
    table = counts(rows)
    unit_names = sorted({r.unit for r in rows} | {f.unit for f in forms})
    level_keys = [lv.value for lv in d.levels] + [None]
    headers = [label("unit")] + [f"{c.name}·{d.level_name(v) or '未定级'}"
                                  for c in d.categories for v in level_keys] + ["合计"]
    body = []
    for unit in unit_names:
        values = [table.get((unit, c.key, v), 0) for c in d.categories for v in level_keys]
        body.append([unit, *values, sum(values)])
    stats = sheet("统计", headers, [18] + [9] * (len(headers) - 2) + [8], body)
    # a small table the chart reads: categories × levels over all units
    stats.append([])
    start = len(body) + 3
    stats.append([f"{year} 年度 按类别和自评等级", *level_names, "未定级"])
    for c in d.categories:
        stats.append([c.name, *(sum(table.get((u, c.key, v), 0) for u in unit_names) for v in level_keys)])
    chart = BarChart()
    chart.type = "col"
    chart.grouping = "stacked"
    chart.overlap = 100
    chart.title = f"{year} 年度风险点：按类别和自评等级"
    chart.y_axis.title = "风险点数"
    data = Reference(stats, min_col=2, max_col=len(level_keys) + 1, min_row=start, max_row=start + len(d.categories))
    cats = Reference(stats, min_col=1, min_row=start + 1, max_row=start + len(d.categories))
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(cats)
    chart.width, chart.height = 24, 12
    stats.add_chart(chart, f"B{start + len(d.categories) + 3}")

    buffer = io.BytesIO()
    book.save(buffer)
    write_bytes_atomic(Path(path), buffer.getvalue())
