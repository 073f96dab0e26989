"""Rows pasted from Excel, WPS or Word (tab-separated text) turned into risk points.

Spreadsheets put a block of cells on the clipboard as tab-separated lines; a cell that
holds line breaks, tabs or quotes is wrapped in double quotes with quotes doubled. The
``csv`` module reads exactly that dialect. Text from the clipboard is untrusted: it is
size-limited and stripped of control and bidirectional-override characters first.

What people copy is often a filled-in form's table, not a bare block: one or two header
rows (风险类别 · 具体风险点 · 风险等级/自评 审定 · 防控措施), a 风险类别 column whose merged
cells are empty below the first row, and points numbered "1." or "2、". Those are
recognised: header rows are skipped and name the columns, each row goes to the category
it names (the forms' names or Attachment 1's), numbering is stripped, and a level is
read from 一级, 1 or Ⅰ in the column it stands in.
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
MAX_HEADER_ROWS = 3
# C0 controls but tab and line breaks, DEL, the bidi overrides that can make text read
# differently from what it is, and lone UTF-16 surrogates (a Python string holds a
# surrogate only when it is half a character: SQLite and the PDF can't store it).
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_SERIAL = re.compile(r"^\s*[（(]?\s*(?:[0-9０-９]{1,3}|[一二三四五六七八九十]{1,3}|[①-⑳])\s*[.、．)）]?\s*$")
# "1." "2、" "3．" "(1)" "（一）" "一、" "①" at the start of a point (not "1.5倍")
_NUMBERING = re.compile(r"^\s*(?:[（(]\s*(?:[0-9０-９]{1,3}|[一二三四五六七八九十]{1,3})\s*[)）]"
                        r"|[0-9０-９]{1,3}\s*[.．、)）](?![0-9０-９])"
                        r"|[一二三四五六七八九十]{1,3}\s*、"
                        r"|[①-⑳])\s*")
_ROMAN = {"Ⅰ": 1, "Ⅱ": 2, "Ⅲ": 3, "I": 1, "II": 2, "III": 3, "一": 1, "二": 2, "三": 3}
_SPACE = re.compile(r"\s+")

CATEGORY, NUMBER, POINT, SELF, APPROVED, MEASURES, LEVEL = (
    "category", "number", "point", "self_level", "approved_level", "measures", "level")


class PasteRefused(Exception):
    """The clipboard text can't be pasted as rows; the message says why, in Chinese."""


@dataclass
class PasteResult:
    risks: list[RiskPoint] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    header_rows: int = 0  # rows recognised as the table's header and skipped

    def counts(self) -> dict[str, int]:
        """Points per category, in the categories' order."""
        found: dict[str, int] = {}
        for key in definitions().category_keys:
            n = sum(r.category == key for r in self.risks)
            if n:
                found[key] = n
        return found


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


def _squeezed(text: str) -> str:
    """A cell as compared with labels: no spaces or line breaks (narrow printed cells wrap)."""
    return _SPACE.sub("", text)


def level_value(text: str) -> int | str | None:
    """1, 2, 3 from 一级 / 1 / Ⅰ / 一级风险…; None for an empty cell; the text itself when it
    names no level."""
    t = _squeezed(text).translate(str.maketrans("０１２３", "0123"))
    t = t.removesuffix("风险").removesuffix("级").upper()
    if not t:
        return None
    for lv in definitions().levels:
        if t in (str(lv.value), lv.name.removesuffix("级"), lv.name):
            return lv.value
    return _ROMAN.get(t, text.strip())


def category_named(text: str) -> str | None:
    """The category key a cell names: the forms' name or Attachment 1's, with or without
    风险, the continuation mark of a printed page ("（续）") or line breaks."""
    d = definitions()
    t = _squeezed(text).removesuffix(_squeezed(d.tables["common"]["continued_suffix"]))
    if not t:
        return None
    for c in d.categories:
        for name in (c.name, c.reference_name):
            if t in (name, name.removesuffix("风险")):
                return c.key
    return None


def strip_numbering(text: str) -> str:
    """A point without the number it was written with ("1.", "2、", "（一）", "①")."""
    return _NUMBERING.sub("", text, count=1).strip()


def _header_words() -> dict[str, str]:
    """Header cell text → the column it names."""
    d = definitions()
    common = d.tables["common"]
    words = {common["risk_header"]: CATEGORY, common["number_header"]: NUMBER, common["point_header"]: POINT,
             common["level_header"]: LEVEL, common["measures_header"]: MEASURES}
    for f in d.risk_fields:
        if f.type in ("uuid", "ref"):  # identities are not pasted: a pasted row is a new point
            continue
        words.setdefault(f.label, f.key)
        if f.short_label:
            words.setdefault(f.short_label, f.key)
    words.setdefault(d.reference.get("column_points", ""), POINT)
    return {_squeezed(k): v for k, v in words.items() if k}


def _header_roles(row: list[str]) -> list[str | None] | None:
    """The columns a header row names (None where a cell is empty), or None when the row
    is not a header (a cell that is no header word, or no cell at all)."""
    words = _header_words()
    roles = [words.get(_squeezed(c)) if c.strip() else None for c in row]
    filled = [c for c in row if c.strip()]
    if not filled or any(words.get(_squeezed(c)) is None for c in filled):
        return None
    return roles


def _columns_from_headers(headers: list[list[str | None]], width: int) -> list[str | None]:
    """What each column holds, from one or two header rows.

    Spreadsheets copy a merged 风险等级 cell as the name and an empty cell; Word copies it
    as one cell; the row below names 自评 and 审定. Both give the same columns."""
    ordered: list[str] = []
    for role in headers[0]:
        if role is None:
            continue
        if role == LEVEL:
            below = [r for h in headers[1:] for r in h if r in (SELF, APPROVED)]
            ordered += below or [LEVEL]
        else:
            ordered.append(role)
    if LEVEL in ordered:  # no row below: as many level columns as the data leaves room for
        room = max(1, min(2, width - (len(ordered) - 1)))
        i = ordered.index(LEVEL)
        ordered[i:i + 1] = [SELF, APPROVED][:room]
    if len(ordered) == width:
        return list(ordered)
    # otherwise cell by cell, lower header rows naming what the upper left empty
    columns: list[str | None] = [None] * width
    for header in headers:
        for i, role in enumerate(header[:width]):
            if role is not None and role != LEVEL:
                columns[i] = role
            elif role == LEVEL and columns[i] is None:
                columns[i] = SELF
    return columns


def _trimmed(rows: list[list[str]]) -> tuple[list[list[str]], int]:
    """Cells stripped, rows padded to the widest; trailing empty columns dropped."""
    width = max((len(r) for r in rows), default=0)
    while width and not any(len(r) >= width and r[width - 1].strip() for r in rows):
        width -= 1
    return [[c.strip() for c in r[:width]] + [""] * (width - len(r[:width])) for r in rows], width


def _guess_columns(rows: list[list[str]], width: int) -> list[str | None]:
    """Columns of rows without a header: an optional 风险类别 column (it names categories),
    an optional 序号 column, then [具体风险点 [自评 [审定]] 防控措施] by position."""
    def column(i: int) -> list[str]:
        return [r[i] for r in rows if r[i]]

    columns: list[str | None] = []
    first = 0
    if width >= 2 and column(0) and all(category_named(c) for c in column(0)):
        columns.append(CATEGORY)
        first = 1
    if width - first >= 3 and column(first) and all(_SERIAL.match(c) for c in column(first)):
        columns.append(NUMBER)
        first += 1
    rest = width - first
    by_count = {0: [], 1: [POINT], 2: [POINT, MEASURES], 3: [POINT, SELF, MEASURES]}
    columns += by_count.get(rest, [POINT, SELF, APPROVED] + [MEASURES] * (rest - 3))
    return columns


def read_table(text: str) -> tuple[list[list[str]], list[str | None], int]:
    """The data rows, what each column holds, and how many header rows were skipped."""
    rows, width = _trimmed(parse_cells(text))
    headers: list[list[str | None]] = []
    while rows and len(headers) < MAX_HEADER_ROWS:
        roles = _header_roles(rows[0])
        if roles is None:
            break
        headers.append(roles)
        rows = rows[1:]
    rows = [r for r in rows if any(r)]
    if headers:
        return rows, _columns_from_headers(headers, width), len(headers)
    return rows, _guess_columns(rows, width), 0


def is_table_of_rows(text: str) -> bool:
    """The text is whole rows of a risk table (a header, a 风险类别 or 序号 column, or as
    many columns as a row has), not a block of a few cells."""
    try:
        _rows, columns, headers = read_table(text)
    except PasteRefused:
        return False
    return bool(headers) or CATEGORY in columns or NUMBER in columns or len(columns) >= 4


def rows_to_risks(text: str, category: str) -> PasteResult:
    """Risk points from pasted cells; rows that name no category go to ``category``."""
    rows, columns, header_rows = read_table(text)
    result = PasteResult(header_rows=header_rows)
    labels = {SELF: definitions().risk_field(SELF).short_label,
              APPROVED: definitions().risk_field(APPROVED).short_label}
    current = category
    for number, cells in enumerate(rows, 1):
        values: dict[str, list[str]] = {}
        for role, cell in zip(columns, cells):
            if role is not None and cell:
                values.setdefault(role, []).append(cell)
        if CATEGORY in values:
            named = category_named(values[CATEGORY][0])
            if named is None:
                result.notes.append(f"第{number}行的风险类别“{values[CATEGORY][0]}”不是五类风险之一，"
                                    f"放在{definitions().category(category).name}中")
                named = category
            current = named
        point = strip_numbering("\n".join(values.get(POINT, [])))
        measures = "\n".join(values.get(MEASURES, []))
        levels: dict[str, int | None] = {}
        for key in (SELF, APPROVED):
            raw = values.get(key, [""])[0]
            value = level_value(raw)
            if isinstance(value, str):
                result.notes.append(f"第{number}行的{labels[key]}“{value}”不是一级、二级或三级，已留空")
                value = None
            levels[key] = value
        if not (point or measures or levels[SELF] or levels[APPROVED]):
            continue
        result.risks.append(RiskPoint(current, point, levels[SELF], levels[APPROVED], measures))
    if not result.risks:
        raise PasteRefused("剪贴板里没有可以粘贴的表格内容")
    return result


def cell_block(text: str) -> list[list[str]]:
    """The clipboard as a block of cell texts (for filling cells as a spreadsheet does)."""
    rows, width = _trimmed(parse_cells(text))
    if not rows or not width:
        raise PasteRefused("剪贴板里没有可以粘贴的内容")
    return rows


def single_value(text: str) -> str | None:
    """The clipboard as one cell's text, or None when it holds several cells.

    One spreadsheet cell (quoted when it has line breaks), or text without tabs copied
    from a document: a paragraph with line breaks goes into one cell, as Word pastes it."""
    rows = parse_cells(text)
    if len(rows) == 1 and len(rows[0]) == 1:
        return rows[0][0].strip()
    if "\t" not in text:
        return clean(text).replace("\r\n", "\n").replace("\r", "\n").strip()
    return None
