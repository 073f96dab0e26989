"""Rows pasted from Excel or WPS (tab-separated text) turned into risk points.

Spreadsheets put a block of cells on the clipboard as tab-separated lines; a cell that
holds line breaks, tabs or quotes is wrapped in double quotes with quotes doubled. The
``csv`` module reads exactly that dialect. Text from the clipboard is untrusted: it is
size-limited and stripped of control and bidirectional-override characters first.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from lianzheng_desktop.domain.definitions import definitions
from lianzheng_desktop.domain.model import RiskPoint

MAX_CHARS = 1_000_000
MAX_ROWS = 500
# C0 controls but tab and line breaks, DEL, the bidi overrides that can make text read
# differently from what it is, and lone UTF-16 surrogates (a Python string holds a
# surrogate only when it is half a character: SQLite and the PDF can't store it).
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_SERIAL = re.compile(r"^\s*[0-9０-９]{1,3}\s*[.、．]?\s*$")


class PasteRefused(Exception):
    """The clipboard text can't be pasted as rows; the message says why, in Chinese."""


@dataclass
class PasteResult:
    risks: list[RiskPoint] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def clean(text: str) -> str:
    return _UNSAFE.sub("", text)


def parse_cells(text: str) -> list[list[str]]:
    """Tab-separated clipboard text to rows of cells; trailing empty rows dropped."""
    if len(text) > MAX_CHARS:
        raise PasteRefused(f"剪贴板内容太大（{len(text)} 个字符），一次最多粘贴 {MAX_CHARS} 个字符")
    text = clean(text).replace("\r\n", "\n").replace("\r", "\n")
    rows = list(csv.reader(io.StringIO(text), delimiter="\t", quotechar='"', strict=False))
    while rows and not any(cell.strip() for cell in rows[-1]):
        rows.pop()
    if len(rows) > MAX_ROWS:
        raise PasteRefused(f"一次最多粘贴 {MAX_ROWS} 行，剪贴板里有 {len(rows)} 行")
    return rows


def _level(text: str) -> int | str | None:
    """1, 2, 3, None for empty, or the text itself when it is no level."""
    t = text.strip().removesuffix("风险").removesuffix("级").strip()
    if not t:
        return None
    for lv in definitions().levels:
        if t in (str(lv.value), lv.name.removesuffix("级"), lv.name):
            return lv.value
    return text.strip()


def rows_to_risks(text: str, category: str) -> PasteResult:
    """Risk points of one category from pasted cells.

    Columns as in the official table: [序号] 具体风险点 [自评 [审定]] 防控措施. With two
    columns they are 具体风险点 and 防控措施; with one, 具体风险点 only.
    """
    d = definitions()
    rows = parse_cells(text)
    header = d.tables["common"]["point_header"]
    if rows and any(header in cell for cell in rows[0]):
        rows = rows[1:]
    result = PasteResult()
    for number, cells in enumerate(rows, 1):
        cells = [c.strip() for c in cells]
        if len(cells) >= 3 and _SERIAL.match(cells[0]):
            cells = cells[1:]
        if not any(cells):
            continue
        point, measures, levels = cells[0], "", []
        if len(cells) == 2:
            measures = cells[1]
        elif len(cells) == 3:
            levels, measures = [cells[1]], cells[2]
        elif len(cells) >= 4:
            levels, measures = cells[1:3], "\n".join(c for c in cells[3:] if c)
        parsed = []
        for label, raw in zip(("自评", "审定"), levels):
            value = _level(raw)
            if isinstance(value, str):
                result.notes.append(f"第{number}行的{label}“{value}”不是一级、二级或三级，已留空")
                value = None
            parsed.append(value)
        parsed += [None] * (2 - len(parsed))
        result.risks.append(RiskPoint(category, point, parsed[0], parsed[1], measures))
    if not result.risks:
        raise PasteRefused("剪贴板里没有可以粘贴的表格内容")
    return result
