"""Table rows of a Word form turned into fields and risk points.

All tables of the document are read as one stream of rows, so a table that a user split
across pages (two tables, with or without the header rows repeated) reads like one. A row
is recognised by what it says, never by its position:

- a field row holds labels from forms/ (主要负责人, 责任人姓名 … 岗位职务, 一岗双责 …) each
  followed by its value cell (or “label：value” in one cell);
- the risk header (风险类别 / 具体风险点 / 风险等级 / 防控措施, then 自评 / 审定, optionally
  一级 / 二级 / 三级 sub-columns for ticks) tells which column is which;
- every row after it is a risk point under the category named in its first column, which
  may be merged over any number of rows, until a closing label (单位审核意见, 备注 …).

Text that fits nowhere becomes an ``Unplaced`` item naming where it was found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lianzheng_desktop.domain.definitions import definitions
from lianzheng_desktop.domain.model import RiskPoint
from lianzheng_desktop.exchange.docx import words as W
from lianzheng_desktop.exchange.docx.wordml import Cell, Para, Row, Table

DEFAULT_SEQUENCE = (W.CATEGORY, W.POINT, W.SELF, W.APPROVED, W.MEASURES)


@dataclass
class Unplaced:
    """A piece of text from the Word file that is not in the form (yet)."""

    text: str
    where: str  # in Chinese: 第 1 个表格第 12 行·防控措施
    reason: str = ""
    near: tuple = ()  # the form path it was found beside: ("risks", 3), ("remarks",), ("category", "duty")


@dataclass
class RowReader:
    kind: str
    own: bool  # written by this program: text is taken exactly as written
    fields: dict[str, str] = field(default_factory=dict)
    risks: list[RiskPoint] = field(default_factory=list)
    unplaced: list[Unplaced] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    header: list[tuple[str, str]] = field(default_factory=list)  # 单位/填表日期 texts, with where
    category: str | None = None
    in_risks: bool = False
    sequence: tuple = DEFAULT_SEQUENCE
    grids: dict[int, dict[int, object]] = field(default_factory=dict)  # table → grid column → role
    last_was_header: bool = False
    row_in_category: int = 0  # the template numbers its rows 1. 2. 3. within each category
    _noted: set = field(default_factory=set)

    # -- helpers -------------------------------------------------------------------

    def note(self, text: str) -> None:
        if text not in self._noted:
            self._noted.add(text)
            self.notes.append(text)

    def lose(self, text: str, where: str, reason: str = "", near: tuple = ()) -> None:
        if W.squash(text):
            self.unplaced.append(Unplaced(text if self.own else W.tidy(text), where, reason, near))

    def value(self, paras: list[Para]) -> str:
        text = "\n".join(p.text for p in paras)
        return text if self.own else W.tidy(text)

    @staticmethod
    def where(table: Table, row: Row, column: str = "") -> str:
        at = W.message("where", "table_row", table=table.number, row=row.number)
        return W.message("where", "column", where=at, column=column) if column else at

    # -- a row -----------------------------------------------------------------------

    def row(self, table: Table, row: Row) -> None:
        cells = row.cells
        texts = ["" if c.continues else c.text for c in cells]
        if not any(W.squash(t) for t in texts):
            return  # empty, or only cells merged down from above: an unfilled template row
        was_header, self.last_was_header = self.last_was_header, False
        if self._header_row(table, cells):
            self.in_risks = self.last_was_header = True
            return
        if was_header and self._level_row(table, cells):
            return
        if self._field_row(table, row):
            return
        if self._title_or_header_line(table, row):
            return
        if not self.in_risks and W.category_of(texts[0])[0] is not None:
            self.in_risks = True  # a table without its header row: the official columns
        if self.in_risks:
            self._risk_row(table, row)
            return
        for text in texts:
            self.lose(text, self.where(table, row), W.message("reason", "unknown_row"))

    # -- the risk header ------------------------------------------------------------

    def _header_row(self, table: Table, cells: list[Cell]) -> bool:
        words = W.header_words()
        named = [(c, words.get(W.label_key(c.text))) for c in cells if not c.continues and W.squash(c.text)]
        if not named or any(role is None for _, role in named):
            return False
        roles = {role for _, role in named}
        if not roles & {W.CATEGORY, W.POINT, W.MEASURES, W.SELF, W.APPROVED}:
            return False
        grid = self.grids.setdefault(table.number, {})
        if W.CATEGORY in roles or W.POINT in roles:
            grid.clear()
        for cell, role in named:
            for col in range(cell.col, cell.col + cell.span):
                grid[col] = role
        self._sequence_from(grid)
        return True

    def _level_row(self, table: Table, cells: list[Cell]) -> bool:
        """一级 / 二级 / 三级 under 自评 and 审定: columns where a tick chooses the level."""
        named = [(c, W.parse_level(c.text)[0]) for c in cells if not c.continues and W.squash(c.text)]
        if len(named) < 2 or any(v is None for _, v in named):
            return False
        grid = self.grids.setdefault(table.number, {})
        for cell, value in named:
            for col in range(cell.col, cell.col + cell.span):
                parent = grid.get(col)
                parent = parent[0] if isinstance(parent, tuple) else parent
                if parent not in (W.SELF, W.APPROVED):
                    return False
                grid[col] = (parent, value)
        self._sequence_from(grid)
        return True

    def _sequence_from(self, grid: dict[int, object]) -> None:
        sequence: list = []
        for col in sorted(grid):
            if not sequence or sequence[-1] != grid[col]:
                sequence.append(grid[col])
        self.sequence = tuple(sequence)

    def _roles(self, table: Table, cells: list[Cell]) -> list | None:
        """Each cell's column in the risk table, or None when the row can't be matched."""
        if len(cells) == len(self.sequence):
            return list(self.sequence)
        if self.sequence[0] == W.CATEGORY and len(cells) == len(self.sequence) - 1:
            return list(self.sequence[1:])
        grid = self.grids.get(table.number)
        if grid:
            roles = [grid.get(c.col) for c in cells]
            if all(r is not None for r in roles):
                return roles
        return None

    def roles(self, table: Table, cells: list[Cell]) -> list | None:
        """As _roles, with a lone 风险等级 column (no 自评/审定 below it) read as 自评."""
        roles = self._roles(table, cells)
        if roles is not None and W.LEVELS in roles and W.SELF not in roles:
            roles = [W.SELF if r == W.LEVELS else r for r in roles]
        return roles

    # -- title, 单位 and 填表日期 inside a table ----------------------------------------

    def _title_or_header_line(self, table: Table, row: Row) -> bool:
        common = definitions().tables["common"]
        filled = [c for c in row.cells if not c.continues and W.squash(c.text)]
        if len(filled) == 1 and (is_title_text(filled[0].text) or is_attachment_text(filled[0].text)):
            return True  # 附件N or the title typed into a row of its own
        def is_header(text: str) -> bool:
            return (W.split_prefixed(text, common["unit_prefix"]) is not None
                    or W.split_prefixed(text, common["filled_on_prefix"]) is not None)

        if not any(is_header(c.text) for c in filled):
            return False
        for cell in filled:
            if is_header(cell.text):
                self.header.append((cell.text, self.where(table, row)))
            else:
                self.lose(cell.text, self.where(table, row), W.message("reason", "unknown_row"))
        return True

    # -- fields ------------------------------------------------------------------------

    def _field_row(self, table: Table, row: Row) -> bool:
        if self.in_risks:  # a closing label stands in the first column, where the category does
            first = row.cells[0] if row.cells and not row.cells[0].continues else None
        else:
            first = next((c for c in row.cells if not c.continues and W.squash(c.text)), None)
        if first is None or not (_label_of(first.text) or W.label_key(first.text) in W.labels().group
                                 or _inline_label(first.text)):
            return False
        expecting: str | None = None
        for cell in row.cells:
            if expecting is not None:
                if not cell.continues:  # a value merged down from the row above was read there
                    self._set_field(expecting, cell.paras, table, row)
                expecting = None
                continue
            if cell.continues or not W.squash(cell.text):
                continue
            key = _label_of(cell.text)
            if key is not None:
                expecting = key
                continue
            if W.label_key(cell.text) in W.labels().group:
                continue
            inline = _inline_label(cell.text)
            if inline is not None:
                key, rest = inline
                self._set_field(key, [Para(rest)], table, row)
                continue
            self.lose(cell.text, self.where(table, row), W.message("reason", "extra_cell"))
        return True

    def _set_field(self, key: str, paras: list[Para], table: Table, row: Row) -> None:
        d = definitions()
        label = d.field(key).label
        where = W.message("where", "column", where=self.where(table, row),
                          column=W.message("where", "field", label=label))
        if key in W.labels().closing:
            self.in_risks = False
        if self.kind not in d.field(key).kinds:
            kind_name = d.kind(self.kind).short_name
            self.lose(self.value(paras), where, W.message("reason", "other_kind", kind_name=kind_name))
            return
        if key in ("review_opinion", "leader_opinion"):
            text = self._opinion(key, paras, table, row)
        elif key == "remarks":
            text = self._remarks(paras)
        else:
            text = self.value(paras)
        if self.fields.get(key):
            self.lose(text, where, W.message("reason", "duplicate"), (key,))
        else:
            self.fields[key] = text

    def _opinion(self, key: str, paras: list[Para], table: Table, row: Row) -> str:
        """The opinion without the printed 签字 / （盖章） / 年 月 日 lines; anything written
        on those lines (a name, a date) is kept as unplaced text, not silently dropped."""
        lines = W.sign_lines(self.kind, key)
        style = W.docx_words()["write"]["style_sign"]
        if self.own and any(p.style == style for p in paras):
            body = [p for p in paras if p.style != style]
            block = [p.text for p in paras if p.style == style]
        else:
            body, block = _split_sign_block(paras, lines)
        where = self.where(table, row, W.message("where", "sign_block", label=definitions().field(key).label))
        for text in block:
            self.lose(_sign_leftover(text, lines), where, W.message("reason", "signature"), (key,))
        return self.value(body)

    def _remarks(self, paras: list[Para]) -> str:
        default = definitions().tables["common"]["remarks_default"]
        if self.own:
            text = self.value(paras)
            return "" if text == default else text
        kept = [p for p in paras if W.squash(p.text) != W.squash(default)]
        return W.tidy(self.value(kept).replace(default, ""))

    # -- risk rows ---------------------------------------------------------------------

    def _risk_row(self, table: Table, row: Row) -> None:
        d = definitions()
        roles = self.roles(table, row.cells)
        if roles is None:
            for cell in row.cells:
                if not cell.continues:
                    self.lose(cell.text, self.where(table, row), W.message("reason", "extra_column"),
                              ("category", self.category) if self.category else ())
            return
        columns = _column_names()
        by_role: dict = {}
        for cell, role in zip(row.cells, roles):
            if role in by_role:
                self.lose(cell.text, self.where(table, row), W.message("reason", "extra_cell"))
            else:
                by_role[role] = cell
        self.row_in_category += 1
        self._category_cell(by_role.get(W.CATEGORY), table, row)
        near = ("category", self.category) if self.category else ()
        number = by_role.get(W.NUMBER)
        if number is not None and not number.continues and not W.is_only_number(number.text):
            self.lose(number.text, self.where(table, row, columns[W.NUMBER]), W.message("reason", "number_cell"), near)

        risk = RiskPoint(self.category or "")
        point = self._cell_text(by_role.get(W.POINT), W.POINT, table, row)
        risk.point = W.strip_numbering(point, self.own, self.row_in_category)
        risk.measures = self._cell_text(by_role.get(W.MEASURES), W.MEASURES, table, row)
        risk.self_level = self._level(W.SELF, by_role, table, row, near)
        risk.approved_level = self._level(W.APPROVED, by_role, table, row, near)
        empty = (risk.point == "" and risk.measures == "") if self.own else \
            not (W.squash(risk.point) or W.squash(risk.measures))
        if empty and risk.self_level is None and risk.approved_level is None:
            return  # an empty template row (its number alone, or nothing)
        if self.category is None:
            reason = W.message("reason", "no_category")
            for key, text in ((W.POINT, risk.point), (W.SELF, d.level_name(risk.self_level)),
                              (W.APPROVED, d.level_name(risk.approved_level)), (W.MEASURES, risk.measures)):
                self.lose(text, self.where(table, row, columns[key]), reason)
            return
        self.risks.append(risk)

    def _category_cell(self, cell: Cell | None, table: Table, row: Row) -> None:
        if cell is None or cell.continues or not W.squash(cell.text):
            return
        key, written, rest = W.category_of(cell.text)
        where = self.where(table, row, _column_names()[W.CATEGORY])
        if key is None:
            self.lose(cell.text, where, W.message("reason", "unknown_category"),
                      ("category", self.category) if self.category else ())
            return
        self.category, self.row_in_category = key, 1
        category = definitions().category(key)
        if written != category.name:
            self.note(W.message("note", "reference_category", written=written, name=category.name))
        if rest:
            self.lose(rest, where, W.message("reason", "unknown_category"), ("category", key))

    def _cell_text(self, cell: Cell | None, role: str, table: Table, row: Row) -> str:
        if cell is None:
            return ""
        if cell.continues:  # merged with the row above: the same text applies to this row too
            source = cell.origin.paras if cell.origin else []
            text = self.value(source)
            if W.squash(text) and role != W.CATEGORY:
                self.note(W.message("note", "merged_copied", where=self.where(table, row),
                                    label=_column_names()[role]))
            return text
        return self.value(cell.paras)

    def _level(self, key: str, by_role: dict, table: Table, row: Row, near: tuple) -> int | None:
        label = _column_names()[key]
        where = self.where(table, row, label)
        sub = [(role[1], cell) for role, cell in by_role.items() if isinstance(role, tuple) and role[0] == key]
        if sub:  # 一级 / 二级 / 三级 sub-columns: the ticked one
            chosen = set()
            for value, cell in sub:
                text = self._cell_text(cell, key, table, row)
                if W.is_tick(text):
                    chosen.add(value)
                elif W.squash(text):
                    self.lose(text, where, W.parse_level(text)[1] or W.message("reason", "unknown_row"), near)
            if len(chosen) <= 1:
                return chosen.pop() if chosen else None
            names = "、".join(definitions().level_name(v) for v in sorted(chosen))
            reason = W.message("reason", "several_ticks")
            self.note(W.message("note", "level_dropped", where=self.where(table, row), label=label,
                                text=names, reason=reason))
            self.lose(names, where, reason, near)
            return None
        text = self._cell_text(by_role.get(key), key, table, row)
        value, problem = W.parse_level(text)
        if problem is not None:
            reason = problem
            self.note(W.message("note", "level_dropped", where=self.where(table, row), label=label,
                                text=W.squash(text), reason=reason))
            self.lose(text, where, reason, near)
        return value


def _column_names() -> dict:
    d = definitions()
    common = d.tables["common"]
    return {W.CATEGORY: common["risk_header"], W.NUMBER: common["number_header"],
            W.POINT: common["point_header"], W.MEASURES: common["measures_header"],
            W.SELF: d.risk_field(W.SELF).short_label, W.APPROVED: d.risk_field(W.APPROVED).short_label}


def _label_of(text: str) -> str | None:
    return W.field_for_label(text)


def _inline_label(text: str) -> tuple[str, str] | None:
    """“主要负责人：张三” in one cell."""
    for label, key in W.labels().fields.items():
        rest = W.split_prefixed(text, label)
        if rest is not None and W.squash(rest):
            return key, rest
    return None


def is_title_text(text: str) -> bool:
    return title_kind(text, strict=True) is not None


_TITLE_EXTRA = re.compile(r"(?:[\u4e00-\u9fff]{0,10}?\d{4}年度?)?")
_TITLE_EXTRA_STRICT = re.compile(r"(?:\d{4}年度?)?")


def title_kind(text: str, *, strict: bool = False) -> str | None:
    """The kind whose title this is. A year (and, in a paragraph, the school's name) may
    stand before it: 2025年度岗位廉政风险防控登记表. ``strict`` (for table cells, where
    duties may mention the form by name): nothing but a year."""
    s = W.squash(text)
    extra = _TITLE_EXTRA_STRICT if strict else _TITLE_EXTRA
    for kind in definitions().kind_keys:
        title = W.squash(definitions().kind(kind).title)
        before, found, after = s.partition(title)
        if found and extra.fullmatch(before) and not after:
            return kind
    return None


def is_attachment_text(text: str) -> bool:
    return W.squash(text) in {W.squash(k.attachment) for k in definitions().kinds}


def _is_sign_line(text: str, lines: list[str]) -> bool:
    s = W.squash(text)
    if not s:
        return False
    for line in lines:
        if "|" in line:
            date, problem = W.parse_date(s)
            if date is not None or problem is None or problem == "date_partial":
                return True
        elif s.startswith(W.squash(line).rstrip("：:")):
            return True
    return False


def _split_sign_block(paras: list[Para], lines: list[str]) -> tuple[list[Para], list[str]]:
    """Trailing paragraphs that are the printed signature lines (and blanks between them)."""
    i = len(paras)
    found = False
    while i > 0 and (not W.squash(paras[i - 1].text) or _is_sign_line(paras[i - 1].text, lines)):
        found |= bool(W.squash(paras[i - 1].text))
        i -= 1
    body, block = list(paras[:i]), [p.text for p in paras[i:]] if found else []
    if not found:
        return list(paras), []
    # “同意。        单位负责人签字：” — the signature label in the last line of the opinion
    first = W.squash(lines[0]).rstrip("：:") if lines else ""
    if body and first and first in W.squash(body[-1].text):
        text = body[-1].text
        at = _find_spaced(text, first)
        if at > 0:
            body[-1] = Para(text[:at], body[-1].style)
            block.insert(0, text[at:])
    return body, block


def _find_spaced(text: str, label: str) -> int:
    m = re.search(r"[\s\u3000]*".join(map(re.escape, label)), text)
    return m.start() if m else -1


def _sign_leftover(text: str, lines: list[str]) -> str:
    """What was written on a signature line besides the printed words."""
    for line in lines:
        if "|" in line:
            date, problem = W.parse_date(text)
            if problem is None and date is None:
                return ""
            if date is not None or problem == "date_partial":
                return W.tidy(text)
            continue
        rest = W.split_prefixed(text, line) if line.rstrip().endswith(("：", ":")) else None
        if rest is not None:
            return W.tidy(rest)
        if W.squash(text) == W.squash(line):
            return ""
    return W.tidy(text)
