"""The committee's Excel summary of a year: every risk point, one sheet per form kind,
and counts by unit × category × level with a native Excel chart.

Written with XlsxWriter; from the store, the large sheets' rows (one per point, one per
form) are streamed from SQLite into the package by exchange/sheetxml.py (XlsxWriter alone
needs ~10 µs a cell, 12+ s for 1,000 units). Every sheet's columns come from
forms/columns.toml; frozen header row, filters, column widths, and a print setup (A4
landscape, the columns fitted to the page width, the header row on every page, a footer
with the sheet's name and 第 N 页，共 M 页); the statistics sheets print one page per 50 units.
"""

from __future__ import annotations

import io
import itertools
import json
import math
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lianzheng_desktop.domain import level_basis, review, year_compare
from lianzheng_desktop.domain.codec import form_to_json
from lianzheng_desktop.domain.definitions import TEXT_TYPES, definitions
from lianzheng_desktop.domain.model import Form
from lianzheng_desktop.domain.rows import RiskRow, columns, display, risk_rows, row_getter
from lianzheng_desktop.domain.verification import verification_code
from lianzheng_desktop.exchange import sheetxml
from lianzheng_desktop.exchange.formfile import write_atomic, write_bytes_atomic
from lianzheng_desktop.store import FormStore, summary

COMPARE_SHEET = "年度对照"
COMPARE_DETAIL_SHEET = "年度对照明细"
STATS_SHEET = "统计"  # by 自评; by 审定 and the differences on their own sheets
APPROVED_SHEET = "统计（审定）"
DIFFERS_SHEET = "审定与自评差异"
RISK_SHEET = "风险点"
SHEET_ROWS = 1_048_576  # Excel's limit, the header row included
STREAM_ABOVE = 100_000  # points (~900 units; kept: ~2.7 KB a point): beyond, rows are streamed, memory flat
NOTES_SHEET = "说明"
EXCEL_CELL_MAX = 32767  # characters Excel keeps in one cell
CUT_NOTE = "……（超过 Excel 单元格 32767 字的上限，以下从略；全文见数据库）"
NUMBER_KEYS = {"number", "year", "risk_count"}  # columns of numbers (the others: text)
UNITS_A_PAGE = 50  # the statistics sheets print this many units on a page
A4 = 9  # Excel's paper size number
FOOTER = "&L&A&R第 &P 页，共 &N 页"  # the sheet's name; page N of M


def counts(rows: list[RiskRow], basis: str = level_basis.SELF) -> Counter:
    """(unit, category, value of the basis) → number of risk points (level_basis.py)."""
    found: Counter = Counter()
    for r in rows:
        value = level_basis.value_of(basis, r.self_level, r.approved_level)
        if value is not level_basis.NOT_COUNTED:
            found[r.unit, r.category, value] += 1
    return found


def level_pairs(rows: list[RiskRow]) -> Counter:
    """(自评, 审定) → number of risk points (None: 未定级 / 未审定)."""
    return Counter((r.self_level, r.approved_level) for r in rows)


@dataclass
class Statistics:
    """The counts the statistics sheets show: by each basis, and 自评 × 审定."""

    by_basis: dict[str, dict]  # basis → (unit, category, value) → n
    pairs: dict[tuple[int | None, int | None], int]
    committee_set: int = 0  # points counted with the 审定 the committee set in its review, not yet the unit's


class _Book:
    def __init__(self, streamed: bool = False, known_cuts: list[tuple[str, int, str, int]] | None = None,
                 streamed_rows: bool = False):
        import xlsxwriter

        self.known_cuts = known_cuts  # the cells a first writing found cut (then listed on 说明)
        self.stream_all = streamed_rows  # every table's rows streamed (the summary from the store)

        self.buffer = io.BytesIO()
        # streamed (constant_memory): each row goes to a temporary file as the next begins, so
        # memory stays flat however many points; otherwise cells are kept until the end and
        # repeated texts are stored once — a third quicker, ~2 KB of memory a point
        mode = {"constant_memory": True} if streamed else {"in_memory": True}
        self.book = xlsxwriter.Workbook(self.buffer, {**mode, "strings_to_numbers": False,
                                                      "strings_to_formulas": False, "strings_to_urls": False})
        self.head = self.book.add_format({"bold": True, "bg_color": "#DDE6F0", "border": 1, "text_wrap": True,
                                          "valign": "vcenter"})
        self.formats = {(wrap, align): self.book.add_format({"text_wrap": wrap, "valign": "top", "align": align})
                        for wrap in (False, True) for align in ("left", "center")}
        self.cut: list[tuple[str, int, str, int]] = []  # (sheet, row, column, characters) cut short
        self.deferred: list[sheetxml.Deferred] = []
        self.columns: dict[str, int] = {}

    def _cut(self, sheet: str, row: int, header: str, value: str) -> str:
        """Text longer than Excel keeps is cut with a note saying so (Excel would cut it
        without a word)."""
        self.cut.append((sheet, row + 1, header, len(value)))
        return value[:EXCEL_CELL_MAX - len(CUT_NOTE)] + CUT_NOTE

    def _begin(self, title: str, headers: list[str], widths: list[tuple[float, bool, str]]):
        ws = self.book.add_worksheet(title[:31])
        ws.freeze_panes(1, 0)
        for column, (width, wrap, align) in enumerate(widths):
            ws.set_column(column, column, width, self.formats[(wrap, align)])
        ws.set_row(0, 32)  # two lines for the longer headers
        ws.write_row(0, 0, headers, self.head)
        print_setup(ws)
        return ws

    def _ready(self, title: str, headers: list[str], number: int, row: list[Any], numeric: list[bool]) -> tuple:
        """A row of Python values as store/summary.py gives them: text cut and escaped, ""
        as None, the cut marker (None: cuts are noted here) at the end."""
        out: list[Any] = []
        for column in range(len(headers)):
            value = row[column] if column < len(row) else None
            if isinstance(value, str) and not numeric[column]:
                if len(value) > EXCEL_CELL_MAX:
                    value = self._cut(title[:31], number, headers[column], value)
                value = sheetxml.xml_text(value) or None
            out.append(value)
        return (*out, None)

    def streamed_sheet(self, title: str, headers: list[str], widths: list[tuple[float, bool, str]],
                       rows: Iterable[tuple], count: int, numeric: list[bool]):
        """A sheet whose ``count`` rows (cell values as store/summary.py gives them, each row
        ending with its cut marker) are written into the package by sheetxml.assemble."""
        ws = self._begin(title, headers, widths)
        for column, number in enumerate(numeric):  # the sample row: each column's style
            (ws.write_number if number else ws.write_string)(1, column, 0 if number else sheetxml.SAMPLE)
        ws.autofilter(0, 0, max(count, 1), len(headers) - 1)
        self.deferred.append(sheetxml.Deferred(ws.name, self._noting_cuts(ws.name, headers, rows), count, numeric))
        self.columns[ws.name] = len(headers)
        return ws

    def _noting_cuts(self, sheet: str, headers: list[str], rows: Iterable[tuple]) -> Iterator[tuple]:
        width = len(headers)
        for number, row in enumerate(rows, 1):
            if row[width] is not None:
                for column, length in json.loads(row[width]).items():
                    if length > EXCEL_CELL_MAX:
                        self.cut.append((sheet, number + 1, headers[int(column)], length))
            yield row

    def sheet(self, title: str, headers: list[str], widths: list[tuple[float, bool, str]],
              rows: Iterable[list[Any]]):
        """A sheet with a frozen, filtered header row; widths are (width, wrap, align).
        With ``stream_all`` its rows (the statistics: a row per unit) go the streamed way
        too when each column holds only text or only numbers."""
        if self.stream_all:
            listed = [list(r) for r in rows]
            numeric = _column_types(listed, len(headers))
            if numeric is not None:
                ready = [self._ready(title, headers, i, row, numeric) for i, row in enumerate(listed, 1)]
                ws = self.streamed_sheet(title, headers, widths, ready, len(ready), numeric)
                return ws, len(ready)
            rows = listed
        ws = self._begin(title, headers, widths)
        count = 0
        text, number = ws.write_string, ws.write_number  # typed writes: no guessing per cell
        for count, values in enumerate(rows, 1):
            for column, value in enumerate(values):
                if isinstance(value, str):
                    if len(value) > EXCEL_CELL_MAX:
                        value = self._cut(ws.name, count, headers[column] if column < len(headers) else "", value)
                    if value:
                        text(count, column, value)
                elif value is not None:
                    number(count, column, value)
        ws.autofilter(0, 0, count, len(headers) - 1)
        return ws, count

    def save(self, path: Path) -> None:
        """Write the workbook (never half a file); streamed sheets find their cut cells only
        as they are written, so when one is found and 说明 was not planned, _CutFound asks
        for a second writing."""
        notes = self.cut if self.known_cuts is None else self.known_cuts
        if notes:
            self.sheet(NOTES_SHEET, ["工作表", "行", "列", "原文字数", "说明"],
                       [(14, False, "left"), (6, False, "left"), (14, False, "left"), (10, False, "left"),
                        (60, True, "left")],
                       ([sheet, row, column, length, f"超过 Excel 单元格 {EXCEL_CELL_MAX} 字的上限，已截断"]
                        for sheet, row, column, length in list(notes)))
        self.book.close()
        if not self.deferred:
            write_bytes_atomic(Path(path), self.buffer.getvalue())
            return

        def assemble(out) -> None:
            sheetxml.assemble(self.buffer.getvalue(), self.deferred, self.columns, out)
            if self.known_cuts is None and self.cut:
                raise _CutFound(list(self.cut))

        write_atomic(Path(path), assemble)  # streamed into the file, not held in memory

    @property
    def cut_count(self) -> int:
        return len(self.cut if self.known_cuts is None else self.known_cuts)


def _column_types(rows: list[list[Any]], width: int) -> list[bool] | None:
    """Per column: numbers (True) or text (False); None when a column holds both."""
    kinds: list[set[bool]] = [set() for _ in range(width)]
    for row in rows:
        for column, value in enumerate(row[:width]):
            if value is not None and value != "":
                kinds[column].add(not isinstance(value, str))
    if any(len(k) > 1 for k in kinds):
        return None
    return [True in k for k in kinds]


class _CutFound(Exception):
    def __init__(self, cut: list[tuple[str, int, str, int]]):
        super().__init__(f"{len(cut)} cells cut")
        self.cut = cut


def print_setup(ws, pages_tall: int = 0) -> None:
    """A4 landscape, the columns fitted to one page's width (``pages_tall`` pages high, 0:
    as many as it takes), the header row on every page, the sheet's name and page N of M
    in the footer."""
    ws.set_paper(A4)
    ws.set_landscape()
    ws.fit_to_pages(1, pages_tall)
    ws.repeat_rows(0)
    ws.set_footer(FOOTER)
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)


def _form_sheet_columns(kind: str) -> list[tuple[str, str, float, bool]]:
    """(key, header, width, wrap) of the per-kind sheet; level_counts expands to one per level."""
    d = definitions()
    spec = d.column_texts["form_sheet"]
    derived = d.column_texts["derived"]
    filled = [f.key for f in d.fields_for(kind)
              if f.key not in spec["before"] and (f.expected or (f.required and f.type in TEXT_TYPES))]
    keys = [*spec["before"], *filled, *spec["after"]]
    out: list[tuple[str, str, float, bool]] = []
    for key in keys:
        if key == "level_counts":
            out += [(f"level:{lv.value}", lv.name, 6, False) for lv in d.levels]
        elif key in derived:
            out.append((key, derived[key], 11 if key == "code" else 8, False))
        else:
            f = d.field(key)
            multiline = f.type == "multiline"
            out.append((key, f.label, spec["multiline_width" if multiline else "text_width"], multiline))
    return out


def write_summary(forms: list[Form], path: Path, year: int) -> int:
    """The summary of forms held in memory (tests, small sets); see write_store_summary.
    Returns how many cells were cut at Excel's limit (each noted in the cell and on 说明)."""
    rows = risk_rows(forms)
    by_kind = {kind: [(verification_code(f), form_to_json(f)) for f in forms if f.kind == kind]
               for kind in definitions().kind_keys}
    units = sorted({r.unit for r in rows} | {f.unit for f in forms})
    statistics = Statistics({basis: counts(rows, basis) for basis in level_basis.BASES}, level_pairs(rows))
    return _write(path, year, rows, lambda kind: by_kind[kind], statistics, units)


ExtraSheet = tuple[str, list[str], list[tuple[float, bool, str]], list[list[Any]]]  # title, headers, widths, rows


def write_store_summary(store: FormStore, path: Path, year: int,
                        comparisons: list[year_compare.UnitComparison] | None = None,
                        extra_sheets: Iterable[ExtraSheet] = ()) -> tuple[int, int]:
    """The summary of a year read from the store, with the comparison with last year when
    given: the rows of points and forms streamed from SQLite into the file (never every
    form in memory); returns the number of forms and of cells cut at Excel's limit.
    ``extra_sheets`` come last (考核, operations/assessment.py)."""
    extra_sheets = list(extra_sheets)
    query = summary.SummaryQuery(year)
    statistics = Statistics({basis: summary.counts(store, query, basis) for basis in level_basis.BASES},
                            summary.level_pairs(store, year), summary.committee_points(store, year))
    units = store.units(year)
    known: list[tuple[str, int, str, int]] | None = None
    while True:
        book = _Book(known_cuts=known, streamed_rows=True)
        forms = _store_sheets(book, store, year)
        _statistics_sheets(book, statistics, units, year, comparisons)
        for title, headers, widths, rows in extra_sheets:
            book.sheet(title, headers, widths, rows)
        try:
            book.save(Path(path))
        except _CutFound as found:  # rare: text beyond a cell's limit; written again with 说明
            known = found.cut
            continue
        return forms, book.cut_count


def _store_sheets(book: _Book, store: FormStore, year: int) -> int:
    """The points' sheets and one sheet per kind of form, their rows streamed; the forms."""
    d = definitions()
    limit = summary.CellLimit(EXCEL_CELL_MAX, CUT_NOTE)
    risk_columns = columns("risk_summary", ui=False)
    keys = [c.key for c in risk_columns]
    headers = [c.header for c in risk_columns]
    widths = [(c.width, c.wrap, c.align) for c in risk_columns]
    numeric = [k in NUMBER_KEYS for k in keys]
    rows = summary.point_sheet_rows(store, year, keys, limit)
    left = summary.point_count(store, year)
    part = 1
    while True:  # a sheet holds 1,048,576 rows: more points go on to 风险点（2）…
        title = RISK_SHEET if part == 1 else f"{RISK_SHEET}（{part}）"
        here = min(left, SHEET_ROWS - 1)
        book.streamed_sheet(title, headers, widths, itertools.islice(rows, here), here, numeric)
        left -= here
        if not left:
            break
        part += 1
    dates = {f.key for f in d.fields if f.type == "date"}
    forms = 0
    for kind in d.kinds:
        spec = _form_sheet_columns(kind.key)
        keys = [key for key, *_ in spec]
        count = summary.form_count(store, year, kind.key)
        forms += count
        book.streamed_sheet(kind.title, [header for _, header, _, _ in spec],
                            [(width, wrap, "left") for _, _, width, wrap in spec],
                            summary.form_sheet_rows(store, year, kind.key, keys, limit, dates=dates), count,
                            [k in NUMBER_KEYS or k.startswith("level:") for k in keys])
    return forms


def _write(path: Path, year: int, rows: Iterable[RiskRow], form_data: Callable[[str], Iterable[tuple[str, dict]]],
           statistics: Statistics, units: list[str],
           comparisons: list[year_compare.UnitComparison] | None = None) -> int:
    d = definitions()
    book = _Book(streamed=sum(statistics.by_basis[level_basis.SELF].values()) > STREAM_ABOVE)
    risk_columns = columns("risk_summary", ui=False)
    getters = [row_getter(c) for c in risk_columns]
    headers = [c.header for c in risk_columns]
    widths = [(c.width, c.wrap, c.align) for c in risk_columns]
    values = ([get(r) for get in getters] for r in rows)
    part = 1
    while True:  # a sheet holds 1,048,576 rows: more points go on to 风险点（2）…
        title = RISK_SHEET if part == 1 else f"{RISK_SHEET}（{part}）"
        _, used = book.sheet(title, headers, widths, itertools.islice(values, SHEET_ROWS - 1))
        if used < SHEET_ROWS - 1:
            break
        part += 1
    for kind in d.kinds:
        spec = _form_sheet_columns(kind.key)
        dates = {f.key for f in d.fields if f.type == "date"}

        def cells(code: str, data: dict, spec=spec, dates=dates) -> list[Any]:
            levels = Counter(r.get("self_level") for r in data.get("risks", []))
            out: list[Any] = []
            for key, *_ in spec:
                if key.startswith("level:"):
                    out.append(levels.get(int(key[6:]), 0))
                elif key == "risk_count":
                    out.append(len(data.get("risks", [])))
                elif key == "code":
                    out.append(code)
                elif key in dates:
                    out.append(data.get(key) or "")
                else:
                    out.append(display(key, data.get(key)))
            return out

        book.sheet(kind.title, [header for _, header, _, _ in spec],
                   [(width, wrap, "left") for _, _, width, wrap in spec],
                   (cells(code, data) for code, data in form_data(kind.key)))
    _statistics_sheets(book, statistics, units, year, comparisons)
    book.save(Path(path))
    return len(book.cut)


def _statistics_sheets(book: _Book, statistics: Statistics, units: list[str], year: int,
                       comparisons: list[year_compare.UnitComparison] | None) -> None:
    _stats_sheet(book, STATS_SHEET, statistics.by_basis[level_basis.SELF], units, year, level_basis.SELF)
    approved, below = _stats_sheet(book, APPROVED_SHEET, statistics.by_basis[level_basis.APPROVED], units, year,
                                   level_basis.APPROVED)
    if statistics.committee_set:
        approved.write_row(below, 0, [review.label("committee_counted").format(n=statistics.committee_set)])
    _differs_sheet(book, statistics, units, year)
    if comparisons and any(c.has_previous for c in comparisons):
        _compare_sheets(book, comparisons)


def _stats_sheet(book: _Book, title: str, table: dict, unit_names: list[str], year: int, basis: str):
    """One row per unit: for each category the points at each value of the basis (a level,
    or how 审定 changed 自评); and a small categories × values table with a stacked column
    chart of it."""
    d = definitions()
    unit_names = sorted(set(unit_names) | {unit for unit, _, _ in table})
    values = level_basis.values(basis)
    headers = [d.field("unit").label] + [f"{c.name}·{v.name}" for c in d.categories for v in values] + ["合计"]
    body = []
    for unit in unit_names:
        numbers = [table.get((unit, c.key, v.key), 0) for c in d.categories for v in values]
        body.append([unit, *numbers, sum(numbers)])
    widths: list[tuple[float, bool, str]] = [(18, False, "left"), *[(9, False, "left")] * (len(headers) - 2),
                                             (8, False, "left")]
    stats, used = book.sheet(title, headers, widths, body)
    start = used + 2
    name = level_basis.basis_name(basis)
    what = "审定与自评不同的风险点" if basis == level_basis.DIFFERS else f"按类别和{name}等级"
    stats.write_row(start, 0, [f"{year} 年度 {what}", *(v.name for v in values)], book.head)
    for i, c in enumerate(d.categories, 1):
        stats.write_row(start + i, 0, [c.name, *(sum(table.get((u, c.key, v.key), 0) for u in unit_names)
                                                 for v in values)])
    chart = book.book.add_chart({"type": "column", "subtype": "stacked"})
    last = start + len(d.categories)
    for j, value in enumerate(values, 1):
        chart.add_series({"name": [title, start, j], "categories": [title, start + 1, 0, last, 0],
                          "values": [title, start + 1, j, last, j], "fill": {"color": value.colour}})
    chart.set_title({"name": f"{year} 年度风险点：{what}"})
    chart.set_y_axis({"name": "风险点数"})
    chart.set_size({"width": 760, "height": 380})
    stats.insert_chart(last + 2, 1, chart)
    print_setup(stats, pages_tall=max(1, math.ceil(len(unit_names) / UNITS_A_PAGE)))
    below = last + 22  # below the chart (19 rows of 20 px)
    if basis == level_basis.DIFFERS:
        for v in values:
            stats.write_row(below, 0, [v.name, v.note])
            below += 1
    return stats, below + 1  # the sheet and its first free row


def _differs_sheet(book: _Book, statistics: Statistics, unit_names: list[str], year: int) -> None:
    """Where 审定 differs from 自评: per unit and category, then 自评 × 审定 for the year."""
    d = definitions()
    stats, row = _stats_sheet(book, DIFFERS_SHEET, statistics.by_basis[level_basis.DIFFERS], unit_names, year,
                              level_basis.DIFFERS)
    levels = [lv.value for lv in d.levels] + [None]
    approved = level_basis.values(level_basis.APPROVED)
    stats.write_row(row, 0, [f"{year} 年度 自评（行）× 审定（列）", *(v.name for v in approved), "合计"], book.head)
    for i, self_level in enumerate(levels, 1):
        numbers = [statistics.pairs.get((self_level, a), 0) for a in levels]
        stats.write_row(row + i, 0, [f"自评{d.level_name(self_level) or d.unrated_name}", *numbers, sum(numbers)])


def _compare_sheets(book: _Book, comparisons: list[year_compare.UnitComparison]) -> None:
    """年度对照: per unit, the points added, dropped, re-levelled, rewritten, whether the forms
    are last year's unchanged, and the change per category and 自评 level; 年度对照明细:
    every change, one a row."""
    d = definitions()
    level_names = [lv.name for lv in d.levels] + [d.unrated_name]
    headers = list(d.messages["compare_columns"].values()) + [
        f"{c.name}·{name} 增减" for c in d.categories for name in level_names]

    def line(c: year_compare.UnitComparison) -> list[Any]:
        changes = [now - before for _, pairs in year_compare.level_counts(c) for before, now in pairs]
        return year_compare.overview(c) + (changes if c.has_previous and c.has_current else [None] * len(changes))

    widths: list[tuple[float, bool, str]] = [(18, False, "left"), *[(8, False, "left")] * (len(headers) - 1)]
    book.sheet(COMPARE_SHEET, headers, widths, (line(c) for c in comparisons))
    detail_headers = list(d.messages["compare_detail_columns"].values())
    detail_widths: list[tuple[float, bool, str]] = [
        (16, False, "left"), (9, False, "left"), (14, False, "left"), (22, True, "left"), (40, True, "left"),
        (40, True, "left"), (8, False, "left"), (8, False, "left"), (14, False, "left")]
    book.sheet(COMPARE_DETAIL_SHEET, detail_headers, detail_widths[:len(detail_headers)],
               (year_compare.detail(c, change) for c in comparisons for change in c.changes))
