"""The committee's summary: every risk point of a year, flattened, and the Excel workbook.

Written with XlsxWriter (fast for thousands of rows): one sheet of all
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
    import xlsxwriter

    d = definitions()
    label = lambda key: d.field(key).label  # noqa: E731
    rlabel = lambda key: d.risk_field(key).label  # noqa: E731
    kind_name = d.messages["kind_name"]
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False,
                                        "strings_to_formulas": False, "strings_to_urls": False})
    head = book.add_format({"bold": True, "bg_color": "#DDE6F0", "border": 1, "text_wrap": True,
                            "valign": "vcenter"})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    top = book.add_format({"valign": "top"})

    def sheet(title: str, headers: list[str], widths: list[int], rows, wrap_columns=()):
        ws = book.add_worksheet(title[:31])
        ws.freeze_panes(1, 0)
        for column, width in enumerate(widths):
            ws.set_column(column, column, width, wrap if column in wrap_columns else top)
        ws.set_row(0, 32)  # two lines for the longer headers
        ws.write_row(0, 0, headers, head)
        count = 0
        for count, values in enumerate(rows, 1):
            ws.write_row(count, 0, values)
        ws.autofilter(0, 0, count, len(headers) - 1)
        return ws, count

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

    def filled(form):
        return form.filled_on.isoformat() if form.filled_on else ""

    level_names = [lv.name for lv in d.levels]
    codes = {r.form_id: r.code for r in rows}
    code = lambda f: codes.get(f.id) or verification_code(f)  # noqa: E731
    sheet(d.tables["unit"]["title"], [label("unit"), label("year"), label("filled_on"), label("head"),
                                      label("unit_duties"), label("integrity_duties"), "风险点数",
                                      *level_names, "校验码"],
          [18, 8, 12, 10, 50, 50, 8, 6, 6, 6, 11],
          ((f.unit, f.year, filled(f), f.head, f.unit_duties, f.integrity_duties, len(f.risks),
            *level_counts(f), code(f)) for f in forms if f.kind == UNIT),
          wrap_columns=(4, 5))
    sheet(d.tables["post"]["title"], [label("unit"), label("year"), label("filled_on"), label("person"),
                                      label("post"), label("post_duties"), label("integrity_duties"), "风险点数",
                                      *level_names, "校验码"],
          [18, 8, 12, 10, 14, 50, 50, 8, 6, 6, 6, 11],
          ((f.unit, f.year, filled(f), f.person, f.post, f.post_duties, f.integrity_duties, len(f.risks),
            *level_counts(f), code(f)) for f in forms if f.kind == POST),
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
    stats, used = sheet("统计", headers, [18] + [9] * (len(headers) - 2) + [8], body)
    # a small table the chart reads: categories × levels over all units
    start = used + 2
    stats.write_row(start, 0, [f"{year} 年度 按类别和自评等级", *level_names, "未定级"], head)
    for i, c in enumerate(d.categories, 1):
        stats.write_row(start + i, 0, [c.name, *(sum(table.get((u, c.key, v), 0) for u in unit_names)
                                                 for v in level_keys)])
    chart = book.add_chart({"type": "column", "subtype": "stacked"})
    colours = ["#B3261E", "#E8863A", "#F2C14E", "#B8C2CC"]
    last = start + len(d.categories)
    for j, colour in enumerate(colours, 1):
        chart.add_series({"name": ["统计", start, j], "categories": ["统计", start + 1, 0, last, 0],
                          "values": ["统计", start + 1, j, last, j], "fill": {"color": colour}})
    chart.set_title({"name": f"{year} 年度风险点：按类别和自评等级"})
    chart.set_y_axis({"name": "风险点数"})
    chart.set_size({"width": 760, "height": 380})
    stats.insert_chart(last + 2, 1, chart)
    book.close()
    write_bytes_atomic(Path(path), buffer.getvalue())
