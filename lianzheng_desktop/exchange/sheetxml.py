"""The rows of large worksheets written as SpreadsheetML here, into the workbook XlsxWriter
makes for everything else (styles, column widths, filters, print setup, charts, the small
sheets).

Why: XlsxWriter builds every cell through several Python calls (about 10 µs a cell in
constant-memory mode, measured: 2.3 s for 20,000 points); the committee's summary of 1,000
units has 1.4 million cells, which no pure-Python per-cell writer makes in 4 s. Here a row
is one ``str.format`` call: an inline string per text cell (``t="inlineStr"``, as
XlsxWriter itself writes in its constant-memory mode), a number as ``<v>``, no cell for a
missing value, each cell with its column's style. Values come ready from SQLite
(store/summary.py: names shown, long text cut, ``& < >`` escaped); the rarer escapes
XlsxWriter makes — control characters as Excel's ``_xHHHH_``, a literal ``_xHHHH_``
protected as ``_x005F_xHHHH_`` — are applied to a chunk of rows only when a search finds
one. Every text keeps ``xml:space="preserve"`` (blanks at either end stay).

How: XlsxWriter writes each large sheet with its header row and one sample row (a value
in every column); ``assemble`` copies XlsxWriter's package, reading each column's style
from the sample row, and replaces the sample row with the generated rows, streamed
through the zip writer (memory stays flat however many rows).
"""

from __future__ import annotations

import io
import operator
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any
from xml.etree import ElementTree

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


def xml_text(text: str) -> str:
    """Text as a value for rows_xml: & < > escaped (the rest rows_xml does itself)."""
    if "&" not in text and "<" not in text and ">" not in text:
        return text
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _row_template(letters: Sequence[str], styles: Sequence[str], numeric: Sequence[bool],
                  present: Sequence[bool]) -> str:
    """One row as a format string: {0} the row number, {i+1} column i's value; columns
    without a value get no cell."""
    cells = ['<row r="{0}">']
    for i, (letter, style, number, here) in enumerate(zip(letters, styles, numeric, present, strict=True)):
        if not here:
            continue
        if number:
            cells.append(f'<c r="{letter}{{0}}"{style}><v>{{{i + 1}}}</v></c>')
        else:
            cells.append(f'<c r="{letter}{{0}}"{style} t="inlineStr">'
                         f'<is><t xml:space="preserve">{{{i + 1}}}</t></is></c>')
    cells.append("</row>")
    return "".join(cells)


_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0B, 0x20)])


def _encoded(xml: str) -> bytes:
    """The chunk as UTF-8, with the escapes XlsxWriter makes besides & < > (which the
    values come with): a literal _xHHHH_ protected, control characters as _xHHHH_. Tags
    contain none of them, so the chunk is searched once — in bytes, by C loops (a regular
    expression over a megabyte of Chinese text takes 20 ms) — and changed only where one
    occurs."""
    data = xml.encode("utf-8")
    # b"_" alone: a one-byte search is memchr, and tags have no underscore
    if (b"_" not in data and b"\xef\xbf\xbe" not in data and b"\xef\xbf\xbf" not in data
            and len(data.translate(None, _CONTROL_BYTES)) == len(data)):
        return data
    xml = _ESCAPED_ESCAPE.sub(r"_x005F\1", xml)
    xml = _CONTROL.sub(lambda m: f"_x{ord(m.group(1)):04X}_", xml)
    return xml.replace("\ufffe", "_xFFFE_").replace("\uffff", "_xFFFF_").encode("utf-8")


def rows_xml(rows: Iterable[Sequence[Any]], first: int, styles: Sequence[str], numeric: Sequence[bool]
             ) -> Iterator[bytes]:
    """``<row>`` elements from row number ``first`` (1-based), in UTF-8 chunks of CHUNK_ROWS rows.
    Each row's values: text already XML-escaped for & < > (store/summary.py gives them so),
    numbers in the columns marked ``numeric``, None for no cell; values beyond the columns
    are left out. ``styles``: each column's ``' s="N"'`` (or ""). A row becomes one format
    call with a template per pattern of missing values (a few patterns, cached) — about
    a microsecond a row instead of a Python call per cell."""
    width = len(styles)
    letters = [column_letter(i) for i in range(width)]
    templates: dict[tuple[bool, ...], str] = {}
    nones = (None,) * width
    chunk: list[str] = []
    number = first - 1
    for number, values in enumerate(rows, first):
        present = tuple(map(operator.is_not, values[:width], nones))
        template = templates.get(present)
        if template is None:
            template = templates[present] = _row_template(letters, styles, numeric, present)
        chunk.append(template.format(number, *values))
        if len(chunk) == CHUNK_ROWS:
            yield _encoded("".join(chunk))
            chunk = []
    if chunk:
        yield _encoded("".join(chunk))


@dataclass
class Deferred:
    """A sheet whose rows are written here: its name, and the rows (each a sequence of
    values) with their count, as told to XlsxWriter for the filter and the print area."""

    name: str
    rows: Iterable[Sequence[Any]]
    count: int
    numeric: Sequence[bool]  # per column: numbers (the others are text)


def sheet_files(book: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → its part in the package (xl/worksheets/sheetN.xml)."""
    workbook = ElementTree.fromstring(book.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(book.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels.findall("p:Relationship", _NS)}
    out = {}
    for sheet in workbook.findall("m:sheets/m:sheet", _NS):
        target = targets[sheet.get(f"{{{_NS['r']}}}id")]
        name, target = str(sheet.get("name")), str(target)
        out[name] = target.lstrip("/") if target.startswith("/") else "xl/" + target
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
                for chunk in rows_xml(counted, 2, styles, sheet.numeric):
                    member.write(chunk)
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


