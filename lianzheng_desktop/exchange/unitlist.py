"""The committee's list of units expected to report: typed, from a text file or from Excel."""

from __future__ import annotations

import re
from pathlib import Path

from lianzheng_desktop.exchange.clipboard import clean
from lianzheng_desktop.exchange.formfile import FileRejected, decode_text

MAX_BYTES = 5 * 1024 * 1024
MAX_UNITS = 1000
MAX_NAME = 60
_HEADER = {"单位", "单位名称", "部门", "名称"}


class UnitListRejected(Exception):
    pass


def parse_unit_lines(text: str) -> list[str]:
    """One unit per line (a CSV line's first column); blanks, headers and repeats dropped."""
    units = []
    for line in clean(text).splitlines():
        name = re.split(r"[,\t，]", line, maxsplit=1)[0].strip().strip('"').strip()
        if name and name not in _HEADER and name not in units:
            if len(name) > MAX_NAME:
                raise UnitListRejected(f"“{name[:20]}…”太长，不像是单位名称（最多 {MAX_NAME} 个字）")
            units.append(name)
    if len(units) > MAX_UNITS:
        raise UnitListRejected(f"名单中有 {len(units)} 个单位，超过 {MAX_UNITS} 个的上限")
    return units


def read_unit_list(path: Path) -> list[str]:
    try:
        if path.stat().st_size > MAX_BYTES:
            raise UnitListRejected("文件太大，不像是单位名单")
        data = path.read_bytes()
    except OSError as exc:
        raise UnitListRejected(f"无法读取文件：{exc.strerror or exc}") from None
    if path.suffix.lower() == ".xlsx":
        return _from_excel(data)
    try:
        units = parse_unit_lines(decode_text(data))
    except FileRejected as exc:
        raise UnitListRejected(str(exc)) from None
    if not units:
        raise UnitListRejected("文件中没有单位名称")
    return units


def _from_excel(data: bytes) -> list[str]:
    """The first column of the first sheet."""
    import io
    import zipfile

    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise UnitListRejected(f"无法读取这个 Excel 文件（{type(exc).__name__}），请另存为 .xlsx 后再试") from None
    sheet = book.worksheets[0]
    lines = []
    for row in sheet.iter_rows(max_col=1, max_row=MAX_UNITS + 10, values_only=True):
        if row and row[0] is not None:
            lines.append(str(row[0]))
    book.close()
    units = parse_unit_lines("\n".join(lines))
    if not units:
        raise UnitListRejected("Excel 文件第一列中没有单位名称")
    return units
