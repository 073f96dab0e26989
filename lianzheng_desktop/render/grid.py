"""A ruled table that flows across pages the way an official form must.

Platypus' own Table repeats only its first rows and cannot re-label a merged cell on a
new page, so this flowable does the splitting itself:

* it splits only between rows, never inside one, unless a single row is taller than a
  page (then that row's text continues on the next page);
* header rows repeat on every page;
* rows belong to groups (the risk categories); a group's label spans its rows, and a
  group continued from the previous page is labelled again with “（续）”;
* ``keep_together`` moves the whole grid to the next page rather than tearing it, and a
  row marked ``keep_with_previous`` never starts a page on its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from reportlab.platypus import Flowable

from lianzheng_desktop.render.cells import Text
from lianzheng_desktop.render.layout import layout


@dataclass
class Cell:
    col: int
    span: int
    content: object  # Text or SignedOpinion
    rowspan: int = 1


@dataclass
class Row:
    cells: list[Cell]
    min_height: float
    group: str | None = None
    group_start: bool = False  # the first row of its group in the whole form
    keep_with_previous: bool = False  # never the first row on a page (e.g. 备注)


@dataclass
class Group:
    label: str
    col: int
    span: int
    continued_suffix: str = ""


@dataclass
class GridSpec:
    columns: tuple[float, ...]
    header: list[Row] = field(default_factory=list)
    groups: dict[str, Group] = field(default_factory=dict)
    keep_together: bool = False


class Grid(Flowable):
    def __init__(self, spec: GridSpec, rows: list[Row]):
        super().__init__()
        self.spec = spec
        self.rows = rows
        self._heights: list[float] | None = None

    # -- measuring -------------------------------------------------------------

    def _col_x(self, col: int) -> float:
        return sum(self.spec.columns[:col])

    def _col_w(self, col: int, span: int) -> float:
        return sum(self.spec.columns[col:col + span])

    def _inner_w(self, cell: Cell) -> float:
        return self._col_w(cell.col, cell.span) - 2 * layout().mm("table", "padding_x_mm")

    def _row_height(self, row: Row) -> float:
        pad = 2 * layout().mm("table", "padding_y_mm")
        content = [c.content.height(self._inner_w(c)) + pad for c in row.cells if c.rowspan == 1]
        return max([row.min_height, *content])

    def heights(self) -> tuple[list[float], list[float]]:
        if self._heights is None:
            self._header_heights = [self._row_height(r) for r in self.spec.header]
            self._heights = [self._row_height(r) for r in self.rows]
            pad = 2 * layout().mm("table", "padding_y_mm")
            for first, count, cell in self._group_cells(0, self.rows):
                # a group label taller than its rows (e.g. “…（续）” over one row) stretches them
                needed = cell.content.height(self._inner_w(cell)) + pad
                short = needed - sum(self._heights[first:first + count])
                if short > 0:
                    self._heights[first + count - 1] += short
        return self._header_heights, self._heights

    def wrap(self, avail_width, avail_height):
        header, body = self.heights()
        self.width = sum(self.spec.columns)
        self.height = sum(header) + sum(body)
        return self.width, self.height

    # -- splitting -------------------------------------------------------------

    def split(self, avail_width, avail_height):
        header, body = self.heights()
        at_top = avail_height >= layout().frame_height - 1
        if self.spec.keep_together and not at_top and sum(header) + sum(body) <= layout().frame_height:
            return []  # the whole grid goes to the next page
        room = avail_height - sum(header)
        used, k = 0.0, 0
        while k < len(self.rows) and used + body[k] <= room:
            used += body[k]
            k += 1
        # A row that keeps with its predecessor pulls it to the next page — unless the page
        # is fresh and holds only that predecessor: then the pair can't fit anywhere.
        while 0 < k < len(self.rows) and self.rows[k].keep_with_previous and not (at_top and k == 1):
            k -= 1
        if k == 0:
            if not at_top:
                return []
            parts = self._split_row(self.rows[0], room)
            if parts is None:
                return []
            return [Grid(self.spec, [parts[0]]), Grid(self.spec, [parts[1], *self.rows[1:]])]
        if k == len(self.rows):
            return [self]
        return [Grid(self.spec, self.rows[:k]), Grid(self.spec, self.rows[k:])]

    def _split_row(self, row: Row, room: float) -> tuple[Row, Row] | None:
        """A row taller than a whole page: its text continues in a row on the next page."""
        pad = 2 * layout().mm("table", "padding_y_mm")
        first, rest = [], []
        for cell in row.cells:
            parts = cell.content.split(self._inner_w(cell), room - pad)
            if parts is None and cell.content.height(self._inner_w(cell)) + pad > room:
                return None
            if parts is None:
                first.append(cell)
                rest.append(replace(cell, content=Text("")))
            else:
                first.append(replace(cell, content=parts[0]))
                rest.append(replace(cell, content=parts[1]))
        return (Row(first, 0, row.group, row.group_start),
                Row(rest, row.min_height, row.group, False))

    # -- drawing ---------------------------------------------------------------

    def _group_cells(self, top_index: int, rows: list[Row]) -> list[tuple[int, int, Cell]]:
        """(first row, row count, label cell) for each run of rows of one group."""
        out, i = [], 0
        while i < len(rows):
            group = rows[i].group
            j = i
            while j < len(rows) and rows[j].group == group:
                j += 1
            if group is not None:
                g = self.spec.groups[group]
                label = g.label if rows[i].group_start else g.label + g.continued_suffix
                out.append((top_index + i, j - i,
                            Cell(g.col, g.span, Text(label, "label", align="center"))))
            i = j
        return out

    def draw(self):
        header, body = self.heights()
        rows = [*self.spec.header, *self.rows]
        heights = [*header, *body]
        tops = [self.height - sum(heights[:i]) for i in range(len(heights) + 1)]
        cells = [(i, c.rowspan, c) for i, r in enumerate(rows) for c in r.cells]
        cells += self._group_cells(len(self.spec.header), self.rows)
        # Row by row, left to right: the order in which the text is read back (copy, search).
        cells.sort(key=lambda item: (item[0], item[2].col))
        canv = self.canv
        canv.setLineWidth(layout().raw["table"]["line_width_pt"])
        px, py = layout().mm("table", "padding_x_mm"), layout().mm("table", "padding_y_mm")
        for row_index, rowspan, cell in cells:
            x, w = self._col_x(cell.col), self._col_w(cell.col, cell.span)
            top = tops[row_index]
            h = top - tops[row_index + rowspan]
            canv.rect(x, top - h, w, h, stroke=1, fill=0)
            cell.content.draw(canv, x + px, top - py, w - 2 * px, h - 2 * py)
