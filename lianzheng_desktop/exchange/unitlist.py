"""The committee's list of units expected to report: typed, from a text file or from Excel."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from lianzheng_desktop.exchange.clipboard import clean
from lianzheng_desktop.exchange.formfile import (
    UTF16_BOMS,
    FileRejected,
    decode_text,
    read_regular_file_as,
)
from lianzheng_desktop.exchange.ziplimits import ZipRefused, check_end_record, check_inflated_sizes

MAX_BYTES = 5 * 1024 * 1024
MAX_UNITS = 1000
MAX_NAME = 60
# an .xlsx of a thousand names inflates to well under a megabyte; openpyxl holds the
# shared strings in memory, so what it may inflate is bounded before it opens the file
MAX_XLSX_MEMBERS = 200
MAX_XLSX_INFLATED = 50 * 1024 * 1024
MAX_XLSX_RATIO = 200
_HEADER = {"单位", "单位名称", "部门", "名称"}


class UnitListRejected(Exception):
    pass


def _too_many() -> UnitListRejected:
    return UnitListRejected(f"名单中的单位超过 {MAX_UNITS} 个的上限")


def parse_unit_lines(text: str) -> list[str]:
    """One unit per line (a CSV line's first column); blanks, headers and repeats dropped.
    Linear in the text, and stops at the first unit past the limit."""
    units: dict[str, None] = {}
    for line in clean(text).splitlines():
        name = re.split(r"[,\t，]", line, maxsplit=1)[0].strip().strip('"').strip()
        if not name or name in _HEADER or name in units:
            continue
        if len(name) > MAX_NAME:
            raise UnitListRejected(f"“{name[:20]}…”太长，不像是单位名称（最多 {MAX_NAME} 个字）")
        units[name] = None
        if len(units) > MAX_UNITS:
            raise _too_many()
    return list(units)


def _decode(data: bytes) -> str:
    """UTF-8, or UTF-16 with its byte-order mark (Excel's "Unicode 文本" and Notepad's
    "Unicode" save lists so)."""
    if data.startswith(UTF16_BOMS):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise UnitListRejected("文件标明是 UTF-16 编码，但内容无法按 UTF-16 解码，文件可能已损坏") from None
    try:
        return decode_text(data)
    except FileRejected as exc:
        raise UnitListRejected(str(exc)) from None


def read_unit_list(path: Path) -> list[str]:
    data = read_regular_file_as(path, MAX_BYTES, UnitListRejected, "不像是单位名单")
    if Path(path).suffix.lower() == ".xlsx":
        return _from_excel(data)
    units = parse_unit_lines(_decode(data))
    if not units:
        raise UnitListRejected("文件中没有单位名称")
    return units


def _check_workbook_limits(data: bytes) -> None:
    """Before openpyxl sees the file: its index and what its members would inflate to."""
    try:
        check_end_record(data, MAX_XLSX_MEMBERS, MAX_XLSX_MEMBERS * 1024)
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_inflated_sizes(archive.infolist(), MAX_XLSX_INFLATED, MAX_XLSX_RATIO)
    except ZipRefused as exc:
        raise UnitListRejected(f"这个 Excel 文件{exc}，不像是单位名单") from None
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise UnitListRejected("无法读取这个 Excel 文件（不是有效的 .xlsx），请另存为 .xlsx 后再试") from None


def _from_excel(data: bytes) -> list[str]:
    """The first column of the first sheet."""
    units = parse_unit_lines(_excel_text(data))
    if not units:
        raise UnitListRejected("Excel 文件第一列中没有单位名称")
    return units


def _excel_text(data: bytes) -> str:
    """The first sheet's first columns as tab-separated lines (the unit, then its contact)."""
    from openpyxl import load_workbook

    _check_workbook_limits(data)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = book.worksheets[0]
            lines = []
            for row in sheet.iter_rows(max_col=CONTACT_COLUMNS + 1, max_row=MAX_UNITS * 10, values_only=True):
                if row and row[0] is not None:
                    lines.append("\t".join("" if v is None else str(v) for v in row))
        finally:
            book.close()
    except Exception as exc:
        # (seen: ParseError, KeyError, IndexError, AttributeError, TypeError, ValueError)
        raise UnitListRejected(f"无法读取这个 Excel 文件（{type(exc).__name__}），文件可能已损坏，"
                               "请用 Excel 打开后另存为 .xlsx 再试") from None
    return "\n".join(lines)


CONTACT_COLUMNS = 3  # after the unit: e.g. 联系人, 电话, 邮箱
MAX_CONTACT = 120


def parse_unit_contacts(text: str) -> dict[str, str]:
    """Unit → its contact, from the columns after the unit's (联系人、电话…), when the list
    has them: “图书馆，张三，13800000000” gives 图书馆 → “张三 13800000000”."""
    contacts: dict[str, str] = {}
    for line in clean(text).splitlines():
        cells = [c.strip().strip('"').strip() for c in re.split(r"[,\t，]", line)]
        if not cells or not cells[0] or cells[0] in _HEADER:
            continue
        contact = " ".join(c for c in cells[1:CONTACT_COLUMNS + 1] if c)[:MAX_CONTACT]
        if contact and cells[0] not in contacts:
            contacts[cells[0]] = contact
        if len(contacts) > MAX_UNITS:
            raise _too_many()
    return contacts


def read_unit_list_contacts(path: Path) -> tuple[list[str], dict[str, str]]:
    """The units of a list file and, when it has them, their contacts (read_unit_list's checks)."""
    data = read_regular_file_as(path, MAX_BYTES, UnitListRejected, "不像是单位名单")
    text = _excel_text(data) if Path(path).suffix.lower() == ".xlsx" else _decode(data)
    units = parse_unit_lines(text)
    if not units:
        raise UnitListRejected("Excel 文件第一列中没有单位名称" if Path(path).suffix.lower() == ".xlsx"
                               else "文件中没有单位名称")
    listed = set(units)
    return units, {u: c for u, c in parse_unit_contacts(text).items() if u in listed}
