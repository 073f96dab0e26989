"""The rows of large worksheets written as SpreadsheetML here, into the workbook XlsxWriter
makes for everything else (styles, column widths, filters, print setup, charts, the small
sheets).

Why: XlsxWriter builds every cell through several Python calls (about 10 µs a cell with
its checks and escaping); the committee's summary of 1,000 units has 1.4 million cells.
Here a row is one formatted string: an inline string per text cell (``t="inlineStr"``,
as XlsxWriter itself writes in its constant-memory mode), a number as ``<v>``, empty
values left out, each cell with its column's style. Text is escaped exactly as XlsxWriter
escapes it: ``& < >`` as entities, control characters as Excel's ``_xHHHH_`` (and a
literal ``_xHHHH_`` protected as ``_x005F_xHHHH_``), ``xml:space="preserve"`` where a
text begins or ends with a blank.

How: XlsxWriter writes each large sheet with its header row and one sample row (a value
in every column); ``assemble`` copies XlsxWriter's package, reading each column's style
from the sample row, and replaces the sample row with the generated rows, streamed
through the zip writer (memory stays flat however many rows).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any
from xml.etree import ElementTree

_SPECIAL = re.compile(r"[&<>\x00-\x08\x0b-\x1f\ufffe\uffff]|_x[0-9a-fA-F]{4}_")
_ESCAPED_ESCAPE = re.compile(r"(_x[0-9a-fA-F]{4}_)")
_CONTROL = re.compile(r"([\x00-\x08\x0b-\x1f])")
SAMPLE = "x"  # the sample row's text in every column
CHUNK_ROWS = 2_000  # rows joined into one write
_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
       "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
       "p": "http://schemas.openxmlformats.org/package/2006/relationships"}


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def escape(text: str) -> str:
    """Text as the content of ``<t>``: as XlsxWriter escapes it."""
    if not _SPECIAL.search(text):
        return text
    text = _ESCAPED_ESCAPE.sub(r"_x005F\1", text)
    text = _CONTROL.sub(lambda m: f"_x{ord(m.group(1)):04X}_", text)
    text = text.replace("\ufffe", "_xFFFE_").replace("\uffff", "_xFFFF_")
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def string_cell(ref: str, style: str, text: str) -> str:
    text = escape(text)
    space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
    return f'<c r="{ref}"{style} t="inlineStr"><is><t{space}>{text}</t></is></c>'


def number_cell(ref: str, style: str, value: float) -> str:
    shown = str(value) if isinstance(value, int) else f"{value:.16G}"
    return f'<c r="{ref}"{style}><v>{shown}</v></c>'


def rows_xml(rows: Iterable[Sequence[Any]], first: int, styles: Sequence[str],
             text: Callable[[int, int, str], str] | None = None) -> Iterator[str]:
    """``<row>`` elements from row number ``first`` (1-based), in chunks of CHUNK_ROWS rows.
    ``styles``: each column's ``' s="N"'`` (or ""); ``text(row, column, value)`` may change
    a text before it is written (Excel's cell limit). None and "" are left out."""
    letters = [column_letter(i) for i in range(len(styles))]
    chunk: list[str] = []
    number = first - 1
    for number, values in enumerate(rows, first):
        row = str(number)
        chunk.append(f'<row r="{row}">')
        for column, value in enumerate(values):
            if value is None or value == "":
                continue
            ref = letters[column] + row
            if isinstance(value, str):
                if text is not None:
                    value = text(number, column, value)
                chunk.append(string_cell(ref, styles[column], value))
            else:
                chunk.append(number_cell(ref, styles[column], value))
        chunk.append("</row>")
        if number % CHUNK_ROWS == 0:
            yield "".join(chunk)
            chunk = []
    if chunk:
        yield "".join(chunk)


@dataclass
class Deferred:
    """A sheet whose rows are written here: its name, and the rows (each a sequence of
    values) with their count, as told to XlsxWriter for the filter and the print area."""

    name: str
    rows: Iterable[Sequence[Any]]
    count: int
    text: Callable[[int, int, str], str] | None = None


def sheet_files(book: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → its part in the package (xl/worksheets/sheetN.xml)."""
    workbook = ElementTree.fromstring(book.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(book.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels.findall("p:Relationship", _NS)}
    out = {}
    for sheet in workbook.findall("m:sheets/m:sheet", _NS):
        target = targets[sheet.get(f"{{{_NS['r']}}}id")]
        out[sheet.get("name")] = target.lstrip("/") if target.startswith("/") else "xl/" + target
    return out


_SAMPLE_ROW = re.compile(r'<row r="2"[^>]*>(.*?)</row>', re.S)
_SAMPLE_CELL = re.compile(r'<c r="([A-Z]+)2"( s="\d+")?')
_DIMENSION = re.compile(r'<dimension ref="[^"]*"/>')


def _split(xml: str, deferred: Deferred, columns: int) -> tuple[str, str, list[str]]:
    """The sheet's XML before and after the sample row, and each column's style."""
    found = _SAMPLE_ROW.search(xml)
    if found is None:
        raise ValueError(f"sheet {deferred.name}: no sample row to replace")
    styles = {letter: style or "" for letter, style in _SAMPLE_CELL.findall(found.group(1))}
    column_styles = [styles.get(column_letter(i), "") for i in range(columns)]
    head, tail = xml[:found.start()], xml[found.end():]
    last = column_letter(columns - 1)
    head = _DIMENSION.sub(f'<dimension ref="A1:{last}{deferred.count + 1}"/>', head, count=1)
    return head, tail, column_styles


def assemble(workbook: bytes, deferred: Sequence[Deferred], columns: dict[str, int], out: IO[bytes],
             compresslevel: int = 1) -> dict[str, int]:
    """Copy XlsxWriter's package to ``out`` with the deferred sheets' rows in place of their
    sample rows; returns the rows written per sheet (each must be its declared count).
    ``columns``: how many columns each deferred sheet has."""
    written: dict[str, int] = {}
    with zipfile.ZipFile(io.BytesIO(workbook)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel) as target:
        files = sheet_files(source)
        by_file = {files[d.name]: d for d in deferred}
        for info in source.infolist():
            sheet = by_file.get(info.filename)
            if sheet is None:
                target.writestr(info, source.read(info.filename), compress_type=zipfile.ZIP_DEFLATED,
                                compresslevel=6)
                continue
            head, tail, styles = _split(source.read(info.filename).decode("utf-8"), sheet, columns[sheet.name])
            counted = _Counted(sheet.rows)
            with target.open(info.filename, "w", force_zip64=True) as member:
                member.write(head.encode("utf-8"))
                for chunk in rows_xml(counted, 2, styles, sheet.text):
                    member.write(chunk.encode("utf-8"))
                member.write(tail.encode("utf-8"))
            if counted.count != sheet.count:
                raise ValueError(f"sheet {sheet.name}: {counted.count} rows written, {sheet.count} declared")
            written[sheet.name] = counted.count
    return written


class _Counted:
    def __init__(self, rows: Iterable[Sequence[Any]]):
        self.rows, self.count = rows, 0

    def __iter__(self) -> Iterator[Sequence[Any]]:
        for row in self.rows:
            self.count += 1
            yield row


