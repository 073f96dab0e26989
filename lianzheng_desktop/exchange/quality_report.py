"""The committee's quality check of a year as an Excel workbook: one row per unit with how
many findings each rule (forms/quality.toml) made, and every finding with what to do.
Prints as the summary does (exchange/summary.print_setup). The findings' rows are streamed
into the package (exchange/sheetxml.py): with copies everywhere they can be 200,000.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterator
from pathlib import Path

from lianzheng_desktop.domain.quality import Flag, QualityScan, quality_rules
from lianzheng_desktop.exchange import sheetxml
from lianzheng_desktop.exchange.formfile import write_atomic
from lianzheng_desktop.exchange.summary import UNITS_A_PAGE, print_setup

_xml = sheetxml.xml_text

UNITS_SHEET = "按单位"
FINDINGS_SHEET = "提醒明细"


def _findings(scan: QualityScan, names: dict[str, str]) -> Iterator[tuple]:
    for unit in scan.units:
        for flag in scan.flags.get(unit, []):
            yield (_xml(unit), _xml(flag.form.short), _place(flag), _xml(names[flag.rule]), _xml(flag.message))


def _place(flag: Flag) -> str | None:
    return _xml(flag.point.where) if flag.point is not None else None


def write_quality_report(scan: QualityScan, path: Path, year: int) -> int:
    """Write the workbook; returns the number of findings listed."""
    import xlsxwriter

    rules = list(quality_rules().rules.values())
    names = {r.key: r.name for r in rules}
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False,
                                        "strings_to_formulas": False, "strings_to_urls": False})
    head = book.add_format({"bold": True, "bg_color": "#DDE6F0", "border": 1, "text_wrap": True, "valign": "vcenter"})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    top = book.add_format({"valign": "top"})

    units = book.add_worksheet(UNITS_SHEET)
    headers = ["单位", "风险点数", *(r.name for r in rules), "提醒合计"]
    units.set_column(0, 0, 18, top)
    units.set_column(1, len(headers) - 1, 9, top)
    units.set_row(0, 32)
    units.write_row(0, 0, headers, head)
    units.freeze_panes(1, 1)
    for row, unit in enumerate(scan.units, 1):
        counts = [scan.count(unit, r.key) for r in rules]
        units.write_row(row, 0, [unit, scan.points.get(unit, 0), *counts, sum(counts)])
    units.autofilter(0, 0, max(len(scan.units), 1), len(headers) - 1)
    units.write(len(scan.units) + 2, 0, f"{year} 年度内容质量检查：提醒不阻止报送，供核实和考核参考；"
                                      "规则与阈值见程序的 forms/quality.toml。")
    print_setup(units, pages_tall=max(1, math.ceil(len(scan.units) / UNITS_A_PAGE)))

    findings = book.add_worksheet(FINDINGS_SHEET)
    columns = [("单位", 16, top), ("表格", 22, top), ("位置", 18, top), ("检查项", 12, top),
               ("提醒与改进办法", 90, wrap)]
    for i, (_, width, fmt) in enumerate(columns):
        findings.set_column(i, i, width, fmt)
    findings.write_row(0, 0, [c[0] for c in columns], head)
    findings.freeze_panes(1, 0)
    for i in range(len(columns)):  # the sample row: each column's style (sheetxml.assemble)
        findings.write_string(1, i, sheetxml.SAMPLE)
    count = sum(len(f) for f in scan.flags.values())
    findings.autofilter(0, 0, max(count, 1), len(columns) - 1)
    print_setup(findings)
    book.close()

    deferred = [sheetxml.Deferred(FINDINGS_SHEET, _findings(scan, names), count, [False] * len(columns))]
    write_atomic(Path(path), lambda out: sheetxml.assemble(buffer.getvalue(), deferred,
                                                           {FINDINGS_SHEET: len(columns)}, out))
    return count
