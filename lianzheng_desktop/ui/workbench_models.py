"""The workbench's tables: reporting status, the risk points a filter keeps, counts per unit."""

from __future__ import annotations

from array import array
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QColor

from lianzheng_desktop.domain import level_basis
from lianzheng_desktop.domain.deadlines import LATE, NOT_YET, ON_TIME, OVERDUE, reporting_texts
from lianzheng_desktop.domain.definitions import definitions
from lianzheng_desktop.domain.review import label
from lianzheng_desktop.domain.rows import RiskRow, columns, row_getter
from lianzheng_desktop.domain.texts import short_time
from lianzheng_desktop.store import FormStore, summary
from lianzheng_desktop.store.packages import MISSING
from lianzheng_desktop.store.summary import SummaryQuery
from lianzheng_desktop.ui.risk_model import COMMITTEE_BRUSH, DIFFERS_BRUSH

ROW = Qt.ItemDataRole.UserRole
STATUS_COLOURS = {MISSING: "#b3261e"}  # reported (updated too): green
REPORTED_COLOUR = "#1e7b34"
UNVERIFIED_COLOUR = "#b35c00"
ALL_LEVELS_COLOUR = "#2f6fb3"  # the counts' heat map over every level


class RowsModel(QAbstractTableModel):
    """A read-only table over a list of rows; subclasses say what each column shows."""

    def __init__(self, headers: list[str], parent=None):
        super().__init__(parent)
        self.headers = headers
        self.rows: list = []

    def load(self, rows) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        return None


VERIFIED, UNVERIFIED, IN_WORD = "签名已核对", "未签名（旧格式）", "Word 文件（代录入）"
TIMELINESS_COLOURS = {LATE: "#b35c00", OVERDUE: "#b3261e", NOT_YET: "#b35c00", ON_TIME: REPORTED_COLOUR}


class ReportModel(RowsModel):
    """报送情况: one line per unit (operations.reminding.Standing: the report and the deadline)."""

    # the sender's export time is in 最近导入's tooltip: a column of it left 内容 no room at 1366 pixels
    UNIT, STATUS, TIMELINESS, RECEIVED, IMPORTED, PACKAGES, FORMS, POINTS, CONTENT, REMINDED, SEQUENCE, \
        SIGNATURE = range(12)
    STRETCHED = CONTENT  # what is missing: the longest text takes the spare width

    def __init__(self, parent=None):
        super().__init__(["单位", "状态", "按时与否", "首次收到", "最近导入", "报送次数", "表格数", "风险点数", "内容",
                          "已催报", "当前序号", "签名"], parent)

    @staticmethod
    def status_text(report) -> str:
        """已报送 / 已报送（有更新）/ 未报送, with the notes: Word (代录入), 不完整."""
        d = definitions()
        status = d.messages["status"][report.status]
        notes = [d.messages["status_note"][key] for key, on in (("word", report.in_word),
                                                                ("incomplete", report.incomplete)) if on]
        if notes:
            note = "，".join(notes)
            status = status[:-1] + f"，{note}）" if status.endswith("）") else status + f"（{note}）"
        return status

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        standing = self.rows[index.row()]
        row = standing.report
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            content = ""
            if row.packages:
                errors = [p for p in row.problems if p.is_error]
                content = f"{len(errors)} 处不合要求：{errors[0].message}" if errors else "完整"
            signature = ("" if row.verified is None else IN_WORD if row.in_word else VERIFIED if row.verified
                         else UNVERIFIED)
            reminded = f"{standing.reminded} 次" if standing.reminded else ""
            timely = standing.word if (row.expected or row.packages) else ""
            return [row.unit + ("" if row.expected else "（名单外）"), self.status_text(row), timely,
                    short_time(standing.first_received), short_time(row.imported_at), row.packages or "",
                    row.forms or "", row.points if row.packages else "", content, reminded, row.sequence or "",
                    signature][column]
        if role == Qt.ItemDataRole.ToolTipRole:
            if column in (self.STATUS, self.CONTENT) and row.problems:
                return "\n".join(p.message for p in row.problems if p.is_error)
            if column == self.SIGNATURE and row.signer:
                return f"单位签名密钥指纹：{row.signer}"
            if column in (self.STATUS, self.SIGNATURE) and row.in_word:
                return "单位报送的是 Word 文件，由校纪委代录入：没有数据包，也没有签名"
            if column == self.IMPORTED and row.exported_at and not row.in_word:
                return (f"单位电脑上的导出时间：{short_time(row.exported_at)}"
                        "（发送方电脑上的时间，仅供参考：先后按序号判断）")
            if column in (self.TIMELINESS, self.RECEIVED):
                return reporting_texts()["received_rule"]
            if column == self.REMINDED and standing.last_reminded:
                return f"上次催报：{short_time(standing.last_reminded)}"
            if column == self.UNIT and standing.contact:
                return f"联系人：{standing.contact}"
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == self.SIGNATURE and row.verified is False and not row.in_word:
                return QColor(UNVERIFIED_COLOUR)
            if column == self.TIMELINESS:
                colour = TIMELINESS_COLOURS.get(standing.timeliness)
                return QColor(colour) if colour else None
            if column in (self.STATUS, self.CONTENT):
                if row.incomplete:
                    return QColor(STATUS_COLOURS[MISSING])
                if column == self.CONTENT:
                    return QColor(REPORTED_COLOUR)
                return QColor(STATUS_COLOURS.get(row.status, REPORTED_COLOUR))
        if role == ROW:
            return row
        return None


class SummaryModel(QAbstractTableModel):
    """The risk points a query keeps, in the columns declared in forms/columns.toml.

    Holds only the ids of the points (the store orders and filters them in SQL) and the
    pages of rows the view has asked for; a page is read when a row of it is first shown."""

    PAGE = 200
    KEPT_PAGES = 64  # pages kept in memory (12,800 rows); the oldest read is dropped first

    def __init__(self, parent=None):
        super().__init__(parent)
        self.columns = columns("risk_summary", ui=True)
        self.getters = [row_getter(c) for c in self.columns]
        self.headers = [c.short_header for c in self.columns]
        keys = [c.key for c in self.columns]
        self.level_columns = [keys.index(k) for k in ("self_level", "approved_level") if k in keys]
        self.approved_column = keys.index("approved_level") if "approved_level" in keys else -1
        self.store: FormStore | None = None
        self.query: SummaryQuery | None = None
        self.ids = array("q")
        self.pages: dict[int, list[RiskRow]] = {}

    def with_order(self, query: SummaryQuery) -> SummaryQuery:
        """The query in the order the header last asked for."""
        if self.query is not None and query.sort is None:
            return query.with_sort(self.query.sort, self.query.descending)
        return query

    def load(self, store: FormStore, query: SummaryQuery, ids: array | None = None) -> None:
        """Show what the query keeps (``ids``: already read for ``with_order(query)``)."""
        query = self.with_order(query)
        self.beginResetModel()
        self.store, self.query = store, query
        self.ids = summary.row_ids(store, query) if ids is None else ids
        self.pages = {}
        self.endResetModel()

    def row(self, number: int) -> RiskRow:
        page = number // self.PAGE
        if page not in self.pages:
            if len(self.pages) >= self.KEPT_PAGES:
                del self.pages[next(iter(self.pages))]
            assert self.store is not None
            self.pages[page] = summary.rows(self.store, self.ids[page * self.PAGE:(page + 1) * self.PAGE])
        return self.pages[page][number % self.PAGE]

    def rows(self) -> list[RiskRow]:
        """Every row the query keeps (for tests and small exports: reads them all)."""
        return [self.row(i) for i in range(len(self.ids))]

    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self.ids)

    def columnCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == self.approved_column:
            row = self.row(index.row())
            if row.approved_round is not None:  # set in the committee's review, not yet in the unit's data
                return label("committee_round").format(number=row.approved_round)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.getters[index.column()](self.row(index.row()))
        if role == Qt.ItemDataRole.BackgroundRole and index.column() in self.level_columns:
            row = self.row(index.row())
            if index.column() == self.approved_column and row.approved_round is not None:
                return COMMITTEE_BRUSH
            if row.approved_level is not None and row.approved_level != row.self_level:
                return DIFFERS_BRUSH
            return None
        if role == ROW:
            return self.row(index.row())
        return None

    def sort(self, column, order=Qt.SortOrder.AscendingOrder):
        """Sorted by the store (the view's header asks); equal values keep the natural order."""
        if self.store is None or self.query is None:
            return
        key = self.columns[column].key if 0 <= column < len(self.columns) else None
        self.load(self.store, self.query.with_sort(key, order == Qt.SortOrder.DescendingOrder))


class CountsModel(QAbstractTableModel):
    """Points per unit × category of the rows shown, counted by a basis (自评, 审定, or where
    审定 differs from 自评: domain/level_basis.py), for one of the basis's values at a time
    or all of them added up; each cell one number shaded by size (a heat map), its tooltip
    split by value."""

    ALL = "all"

    def __init__(self, parent=None):
        super().__init__(parent)
        d = definitions()
        self.categories = [c.key for c in d.categories]
        self.headers = [c.name for c in d.categories] + ["合计"]
        self.value: Any = self.ALL  # a value's key, or ALL
        self.units: list[str] = []
        self.table: dict = {}
        self.cells: list[list[int]] = []
        self.peak = 0
        self.set_basis(level_basis.SELF)

    def set_basis(self, basis: str) -> None:
        self.basis = basis
        self.values = level_basis.values(basis)
        if self.value != self.ALL and self.value not in [v.key for v in self.values]:
            self.value = self.ALL

    def load(self, table: dict, basis: str | None = None) -> None:
        if basis is not None:
            self.set_basis(basis)
        self.table = table
        self._fill()

    def show_value(self, key: Any) -> None:
        """One value's table (``ALL``: every value added up)."""
        self.value = key
        self._fill()

    def _count(self, unit: str, category: str) -> int:
        keys = [v.key for v in self.values] if self.value == self.ALL else [self.value]
        return sum(self.table.get((unit, category, k), 0) for k in keys)

    def _fill(self) -> None:
        self.beginResetModel()
        self.units = sorted({unit for unit, _, _ in self.table})
        self.cells = []
        for unit in self.units:
            values = [self._count(unit, c) for c in self.categories]
            self.cells.append([*values, sum(values)])
        self.peak = max((v for row in self.cells for v in row[:-1]), default=0)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self.units)

    def columnCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.ToolTipRole and orientation == Qt.Orientation.Horizontal:
            return "；".join(f"{v.name}：{v.note}" for v in self.values if v.note) or None
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return self.headers[section] if orientation == Qt.Orientation.Horizontal else self.units[section]

    def breakdown(self, row: int, column: int) -> str:
        unit = self.units[row]
        categories = self.categories if column >= len(self.categories) else [self.categories[column]]
        parts = [f"{v.name} {sum(self.table.get((unit, c, v.key), 0) for c in categories)}" for v in self.values]
        return f"{unit} · {self.headers[column]}：" + "，".join(parts)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        value = self.cells[index.row()][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return value
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.breakdown(index.row(), index.column())
        if role == Qt.ItemDataRole.BackgroundRole and index.column() < len(self.categories) and value:
            # all values: a neutral blue (red would read as 一级); one value: its own colour
            shown = next((v for v in self.values if v.key == self.value), None) if self.value != self.ALL else None
            colour = QColor(shown.colour if shown else ALL_LEVELS_COLOUR)
            colour.setAlphaF(0.15 + 0.6 * value / max(self.peak, 1))  # a heat map: the more, the darker
            return colour
        return None


class AssessmentModel(RowsModel):
    """考核: one line per unit (domain.assessment.UnitAssessment), a column per declared item."""

    def __init__(self, parent=None):
        from lianzheng_desktop.domain.assessment import assessment_spec

        self.items = assessment_spec().items
        super().__init__(["单位", "按时与否", *(f"{i.name}\n（{i.weight:g} 分）" for i in self.items), "得分",
                          "计分满分", "质量提醒"], parent)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        a = self.rows[index.row()]
        column = index.column()
        n = len(self.items)
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return a.unit
            if column == 1:
                return a.results[0].fact.split("（")[0] if a.facts.deadline else ""
            if column < 2 + n:
                result = a.results[column - 2]
                return "暂无数据" if not result.available else f"{result.score:g}"
            findings = "；".join(line.split("，如")[0] for line in a.findings)  # rules and counts (examples: tip)
            return [f"{a.total:g}", f"{a.counted:g}", findings][column - 2 - n]
        if role == Qt.ItemDataRole.ToolTipRole:
            if 2 <= column < 2 + n:
                result = a.results[column - 2]
                return f"{result.item.rule}\n{result.fact}"
            if column == 4 + n and a.findings:
                return "\n".join(a.findings)
        if role == Qt.ItemDataRole.TextAlignmentRole and 2 <= column < 4 + n:  # the figures
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == ROW:
            return a
        return None
