"""Where the pages of one form end: the fit rules of forms/layout.toml ([fit]).

Rows are placed from the top of a page down. Where one no longer fits, the page may end
at any break seen so far — between two rows, or inside the row that does not fit, cut
between lines (``Table.cut``) — and each break has a cost from [fit.break_before] and
[fit.split]. The page ends at the furthest break of cost 0 that leaves at most
``max_empty_share`` of the page empty; failing that the rules relax step by step (cost 1,
then 2, then a page left emptier), and a break of cost "never" is taken only when
nothing else fits on a whole page. The risk header rows are put in front of the first
risk row of every page.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from lianzheng_desktop.render.layout import layout
from lianzheng_desktop.render.table import Row, Table

INF = float("inf")


@dataclass
class Page:
    rows: list[Row]  # as drawn, repeated risk header rows included
    fill: float  # height used in the frame (the form's header on its first page included)
    cost: float  # cost of the break that ends the page (0 for the last page)
    last: bool

    def empty_share(self, frame: float) -> float:
        return max(0.0, frame - self.fill) / frame


@dataclass
class _Break:
    order: float  # place in the flow: before row k = 2k, inside row k = 2k + 1
    fill: float
    cost: float
    keep: int  # rows placed so far that stay on the page
    extra: list[Row]  # header rows to add before ``head``
    head: Row | None  # the first part of a cut row
    resume: int  # index of the first row of the next page
    tail: Row | None  # the rest of the cut row, which starts the next page
    last: bool = False


class _Stack:
    """The height of rows stacked on a page, a group's run counted at least as tall as
    its label (heights come cached from ``Table.row_height``)."""

    def __init__(self, table: Table, used: float):
        self.table = table
        self.state = (used, None, 0.0, 0.0)  # closed height, open group, its rows, its label

    def _add(self, state, row: Row):
        closed, group, rows, label = state
        h = self.table.row_height(row)
        if row.group is not None and row.group == group:
            return closed, group, rows + h, label
        closed += max(rows, label)
        if row.group is None:
            return closed + h, None, 0.0, 0.0
        return closed, row.group, h, self.table.label_height(row.group, not row.group_start)

    def add(self, row: Row) -> None:
        self.state = self._add(self.state, row)

    def total(self, *rows: Row) -> float:
        state = self.state
        for row in rows:
            state = self._add(state, row)
        closed, _, run, label = state
        return closed + max(run, label)


def _fits_under(stack: _Stack, extra: list[Row], frame: float, head: Row) -> bool:
    """Whether ``extra`` and then ``head`` still fit on the page of ``stack``."""
    return stack.total(*extra, head) <= frame


def _break_kind(previous: Row, row: Row) -> str:
    if row.with_seal:
        return "seal"  # empty rows are no content: the seal's page needs a filled risk row
    if row.kind == "placeholder":
        return "placeholder" if previous.unit is not None and previous.unit == row.unit else "risk"
    return row.kind


def paginate(table: Table, rows: list[Row], first_used: float, frame: float) -> list[Page]:
    """The pages of a form whose table rows are ``rows``; ``first_used``: the height the
    form's header takes at the top of its first page; ``frame``: a page's height for
    content."""
    lay = layout()
    fit = lay.section("fit")
    limit = fit["max_empty_share"] * frame
    min_lines = fit["min_split_lines"]
    queue = list(rows)
    pos = 0
    pages: list[Page] = []
    while pos < len(queue):
        stack = _Stack(table, first_used if not pages else 0.0)
        placed: list[Row] = []
        breaks: list[_Break] = []
        header_done = False
        before: list[tuple[int, int, tuple]] = []  # (rows placed, row index, stack state) per row
        k = pos
        while k < len(queue):
            row = queue[k]
            if k > pos:
                cost = lay.cost("break_before", _break_kind(queue[k - 1], row))
                breaks.append(_Break(2 * k, stack.total(), cost, len(placed), [], None, k, None))
            extra = table.risk_header if row.section == "risks" and not header_done else []
            if stack.total(*extra, row) <= frame:
                for r in extra:
                    stack.add(r)
                    placed.append(r)
                before.append((len(placed), k, stack.state))
                stack.add(row)
                placed.append(row)
                header_done = header_done or bool(extra)
                k += 1
                continue
            room = frame - stack.total(*extra)
            fits = partial(_fits_under, stack, extra, frame)  # binds this page's stack and header
            parts = table.cut_to_fit(row, room, min_lines, fits)
            if parts is None and not placed:  # nothing else fits on a whole page: cut anyway
                parts = table.cut_to_fit(row, room, 1, fits)
            if parts is not None:
                cost = lay.cost("split", row.kind)
                breaks.append(_Break(2 * k + 1, stack.total(*extra, parts[0]), cost, len(placed),
                                     list(extra), parts[0], k, parts[1]))
            elif not placed:  # cannot happen with the bundled forms: keep going regardless
                breaks.append(_Break(2 * k + 1, frame, INF, 0, list(extra), row, k + 1, None))
            break
        else:
            breaks.append(_Break(INF, stack.total(), 0.0, len(placed), [], None, len(queue), None, True))
        chosen = _choose_within_rules(breaks, frame, limit)
        if chosen is None:
            # Rows tied to what follows (the last risk row before the seal) may still start
            # here: cut them so that only their last lines go on with the rest.
            breaks += _held_cuts(table, queue, before, stack, frame, min_lines)
            chosen = _choose(breaks, frame, limit)
        page_rows = placed[:chosen.keep] + chosen.extra + ([chosen.head] if chosen.head else [])
        pages.append(Page(page_rows, chosen.fill, chosen.cost, chosen.last))
        pos = chosen.resume
        if chosen.tail is not None:
            queue[pos] = chosen.tail
    return pages


def _held_cuts(table: Table, queue: list[Row], before, stack: _Stack, frame: float,
               min_lines: int) -> list[_Break]:
    """For each row placed whole on the page: the cut that keeps all but its last
    ``min_lines`` lines here."""
    lay = layout()
    out = []
    for kept, k, state in before:
        row = queue[k]
        counts = [len(c.content.lines(table.inner(c))) for c in row.cells
                  if c.kind == "text" and hasattr(c.content, "lines")]
        for lines in range(max(counts, default=0) - min_lines, min_lines - 1, -1):
            parts = table.cut(row, lines, min_lines)
            if parts:
                saved, stack.state = stack.state, state
                fill = stack.total(parts[0])
                stack.state = saved
                if fill <= frame:
                    out.append(_Break(2 * k + 1, fill, lay.cost("split", row.kind), kept, [],
                                      parts[0], k, parts[1]))
                break
    return out


def _choose_within_rules(breaks: list[_Break], frame: float, limit: float) -> _Break | None:
    """The furthest break costing at most 0 (failing that 1, then 2) that leaves at most
    ``limit`` of the page empty; None when there is none."""
    def ok(b: _Break) -> bool:
        return b.last or frame - b.fill <= limit

    for allowed in (0, 1, 2):
        good = [b for b in breaks if b.cost <= allowed and ok(b)]
        if good:
            return max(good, key=lambda b: b.order)
    return None


def _choose(breaks: list[_Break], frame: float, limit: float) -> _Break:
    """The break within the rules, failing that the furthest of the lowest cost however
    empty it leaves the page."""
    chosen = _choose_within_rules(breaks, frame, limit)
    if chosen is not None:
        return chosen
    for allowed in (0.0, 2.0, INF):
        possible = [b for b in breaks if b.cost <= allowed]
        if possible:
            return max(possible, key=lambda b: b.order)
    raise AssertionError("no page break possible")  # paginate always offers one


def score(pages: list[Page], frame: float) -> tuple[int, int, int, float]:
    """How good a pagination is, lower is better: pages, forced breaks, pages left more
    than ``max_empty_share`` empty, then the costs of the breaks taken."""
    limit = layout().section("fit")["max_empty_share"]
    forced = sum(p.cost == INF for p in pages)
    loose = sum(not p.last and p.empty_share(frame) > limit for p in pages)
    costs = sum(p.cost for p in pages if p.cost != INF)
    return len(pages), forced, loose, costs
