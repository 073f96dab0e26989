"""The ruled table of a form: rows and cells, their heights, cutting a row between two
pages, and drawing the rows that fall on one page.

Platypus' own Table repeats only its first rows, cannot re-label a merged cell on a new
page and cuts a row only where its caller says, so the table is drawn here:

* rows belong to groups (the risk categories, 一岗双责); a group's label spans its rows
  on each page, and a group continued from an earlier page is labelled “…（续）”;
* a row cut between pages continues in a row that says so: its label with “（续）”, or
  a marker of its point (“1.（续）”) above the rest of its text;
* the risk header rows repeat on every page that has risk rows (see paginate.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from lianzheng_desktop.domain.definitions import definitions
from lianzheng_desktop.render.cells import CellContent, Lines, SignedOpinion, Text
from lianzheng_desktop.render.layout import layout
from lianzheng_desktop.render.linebreak import Line
from lianzheng_desktop.render.typeset import draw_line, first_baseline, width_of

LABEL, TEXT, KEEP = "label", "text", "keep"  # how a cell continues on the next page


@dataclass
class Cell:
    col: int
    span: int
    content: CellContent
    kind: str = TEXT  # LABEL: repeated with （续）; TEXT: cut between lines; KEEP: stays whole
    rowspan: int = 1


@dataclass
class Row:
    cells: list[Cell]
    min_height: float
    kind: str  # field, risk, placeholder, seal, sign, remarks, below_table, header
    group: str | None = None
    group_start: bool = True  # shows the beginning of its group (label without （续）)
    continued: bool = False  # the rest of a row cut at the foot of the previous page
    marker: str | None = None  # put above the rest of the text cell 0 when cut: “1.（续）”
    unit: tuple | None = None  # the placeholder rows of one category: never parted
    with_seal: bool = False  # an empty row after the last risk: stays with the seal's page
    boxed: bool = True  # False: text under the table (责任人签字), no rules
    _height: float | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def section(self) -> str:
        return "risks" if self.kind in ("risk", "placeholder") else self.kind


@dataclass
class Group:
    label: str
    col: int
    span: int


@dataclass
class Table:
    columns: tuple[float, ...]
    groups: dict[str, Group] = field(default_factory=dict)
    risk_header: list[Row] = field(default_factory=list)
    _label_heights: dict[tuple[str, bool], float] = field(default_factory=dict, repr=False)

    # -- measuring -------------------------------------------------------------

    def x(self, col: int) -> float:
        return sum(self.columns[:col])

    def width(self, col: int, span: int) -> float:
        return sum(self.columns[col:col + span])

    def inner(self, cell: Cell) -> float:
        return self.width(cell.col, cell.span) - 2 * layout().mm("table", "padding_x_mm")

    @staticmethod
    def pad() -> float:
        return 2 * layout().mm("table", "padding_y_mm")

    def row_height(self, row: Row) -> float:
        if row._height is None:
            if not row.boxed:
                row._height = row.min_height + sum(c.content.height(self.inner(c)) for c in row.cells)
            else:
                content = [self._shown(row, c).height(self.inner(c)) + self.pad()
                           for c in row.cells if c.rowspan == 1]
                row._height = max([row.min_height, *content])
        return row._height

    def _shown(self, row: Row, cell: Cell) -> CellContent:
        """The cell's content as printed in this row (a label says （续） on a continuation)."""
        if cell.kind == LABEL and row.continued and isinstance(cell.content, Text):
            return continued_label(cell.content, self.inner(cell))
        return cell.content

    def group_label(self, group: str, continued: bool) -> Cell:
        g = self.groups[group]
        text = g.label
        if continued:
            text += "\n" + continued_suffix()
        return Cell(g.col, g.span, Text(text, "label", align="center"), LABEL)

    def label_height(self, group: str, continued: bool) -> float:
        key = (group, continued)
        if key not in self._label_heights:
            cell = self.group_label(group, continued)
            self._label_heights[key] = cell.content.height(self.inner(cell)) + self.pad()
        return self._label_heights[key]

    def heights(self, rows: list[Row]) -> list[float]:
        """Heights of rows printed together on one page: each row's own, the last row of a
        group's run stretched when the group's label is taller than the run."""
        heights = [self.row_height(r) for r in rows]
        for first, count, continued, group in runs(rows):
            short = self.label_height(group, continued) - sum(heights[first:first + count])
            if short > 0:
                heights[first + count - 1] += short
        return heights

    # -- cutting a row -----------------------------------------------------------

    def cut(self, row: Row, lines: int, min_lines: int) -> tuple[Row, Row] | None:
        """The row with at most ``lines`` lines of each text cell here and the rest in a
        continuation row; None when no cell can be cut there leaving ``min_lines`` lines on
        both sides (a cell that fits stays whole; one that does not may not move whole)."""
        head_cells, tail_cells = [], []
        rest = False
        for cell in row.cells:
            w = self.inner(cell)
            if cell.kind == LABEL:
                head_cells.append(cell)
                tail_cells.append(cell)
                continue
            if cell.kind == KEEP or not isinstance(cell.content, (Text, SignedOpinion)):
                head_cells.append(cell)
                tail_cells.append(replace(cell, content=Text("")))
                continue
            count = len(cell.content.lines(w))
            signed = isinstance(cell.content, SignedOpinion)
            if count <= lines and not signed:
                head_cells.append(cell)
                tail_cells.append(replace(cell, content=Text("")))
                continue
            # the signature block always goes on: at least min_lines of text go with it
            here = min(lines, count - min_lines)
            if here < min_lines:
                return None
            marker = row.marker if cell is row.cells[_marked(row)] else None
            content = cell.content
            if isinstance(content, SignedOpinion):
                head_cells.append(replace(cell, content=content.body.part(w, 0, here)))
                tail_cells.append(replace(cell, content=content.part(w, here, marker=marker)))
            else:
                head_cells.append(replace(cell, content=content.part(w, 0, here)))
                tail_cells.append(replace(cell, content=content.part(w, here, None, marker)))
            rest = True
        if not rest:
            return None
        # the marker goes above the text cell even if that cell had nothing left to carry
        index = _marked(row)
        if row.marker and not _has_marker(tail_cells[index], row.marker):
            cell = tail_cells[index]
            tail_cells[index] = replace(cell, content=Lines([Line(row.marker, True)], "cell"))
        head = replace(row, cells=head_cells, min_height=0.0, marker=None)
        tail = replace(row, cells=tail_cells, group_start=False, continued=True)
        return head, tail

    def cut_to_fit(self, row: Row, room: float, min_lines: int,
                   fits: Callable[[Row], bool]) -> tuple[Row, Row] | None:
        """The cut that puts the most of the row into ``room`` (None: no cut fits);
        ``fits(head)`` has the last word (a group's label may stretch the head)."""
        leading = min(c.content.style.leading for c in row.cells if hasattr(c.content, "style"))
        lines = int((room - self.pad()) // leading)
        while lines >= max(min_lines, 1):
            parts = self.cut(row, lines, min_lines)
            if parts and fits(parts[0]):
                return parts
            lines -= 1
        return None

    # -- drawing ---------------------------------------------------------------

    def draw(self, canv, rows: list[Row], x0: float, top: float) -> float:
        """Draw rows from ``top`` down; returns the bottom of the table."""
        heights = self.heights(rows)
        tops = [top]
        for h in heights:
            tops.append(tops[-1] - h)
        cells = [(i, c.rowspan, self._shown(r, c)) + (c,) for i, r in enumerate(rows) if r.boxed for c in r.cells]
        cells += [(first, count, self.group_label(group, continued).content,
                   self.group_label(group, continued)) for first, count, continued, group in runs(rows)]
        # Row by row, left to right: the order in which the text is read back (copy, search).
        cells.sort(key=lambda item: (item[0], item[3].col))
        canv.setLineWidth(layout().raw["table"]["line_width_pt"])
        px, py = layout().mm("table", "padding_x_mm"), layout().mm("table", "padding_y_mm")
        for row_index, rowspan, content, cell in cells:
            x, w = x0 + self.x(cell.col), self.width(cell.col, cell.span)
            cell_top = tops[row_index]
            h = cell_top - tops[row_index + rowspan]
            canv.rect(x, cell_top - h, w, h, stroke=1, fill=0)
            content.draw(canv, x + px, cell_top - py, w - 2 * px, h - 2 * py)
        bottom = tops[-1]
        for i, row in enumerate(rows):
            if not row.boxed:
                self._draw_below(canv, row, x0, tops[i])
                bottom = tops[i]
                break
        return bottom

    def _draw_below(self, canv, row: Row, x0: float, top: float) -> None:
        """Text under the table (责任人签字：), right-aligned at its cell's right edge."""
        top -= row.min_height
        right = x0 + sum(self.columns) - layout().mm("below_table", "right_inset_mm")
        for cell in row.cells:
            style = cell.content.style
            for line in cell.content.lines(self.inner(cell)):
                draw_line(canv, right - width_of(style)(line.text), first_baseline(top, style), line.text, style)
                top -= style.leading


def continued_suffix() -> str:
    return definitions().tables["common"]["continued_suffix"]


def continued_label(content: Text, width: float) -> Text:
    """A label on the continuation of its row: “单位职责（续）”, or the plain label where
    the cell is too narrow for the mark (the group label beside it then says （续））."""
    suffix = continued_suffix()
    if width_of(content.style)(suffix) > width:
        return content
    return Text(content.text + "\n" + suffix, content.style_name, content.align, content.valign)


def runs(rows: list[Row]) -> list[tuple[int, int, bool, str]]:
    """(first row, row count, continued, group) for each run of rows of one group."""
    out: list[tuple[int, int, bool, str]] = []
    i = 0
    while i < len(rows):
        group = rows[i].group
        j = i
        while j < len(rows) and rows[j].group == group:
            j += 1
        if group is not None:
            out.append((i, j - i, not rows[i].group_start, group))
        i = j
    return out


def _marked(row: Row) -> int:
    """Index of the cell that carries the row's marker: the first text cell."""
    return next(i for i, c in enumerate(row.cells) if c.kind == TEXT)


def _has_marker(cell: Cell, marker: str) -> bool:
    lines = cell.content.lines(0) if isinstance(cell.content, Lines) else []
    return bool(lines) and lines[0].text == marker
