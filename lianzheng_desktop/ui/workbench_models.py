"""The workbench's tables: reporting status, the risk points a filter keeps, counts per unit."""

from __future__ import annotations

from array import array

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QColor

from lianzheng_desktop.domain import level_basis
from lianzheng_desktop.domain.definitions import definitions
from lianzheng_desktop.domain.review import label
from lianzheng_desktop.domain.rows import RiskRow, columns, row_getter
from lianzheng_desktop.domain.texts import short_time
from lianzheng_desktop.store import FormStore, summary
from lianzheng_desktop.store.packages import MISSING, UPDATED
from lianzheng_desktop.store.summary import SummaryQuery
from lianzheng_desktop.ui.risk_model import COMMITTEE_BRUSH, DIFFERS_BRUSH

ROW = Qt.ItemDataRole.UserRole
STATUS_COLOURS = {MISSING: "#b3261e", UPDATED: "#b35c00"}  # reported: green
REPORTED_COLOUR = "#1e7b34"


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


class ReportModel(RowsModel):
    """报送情况: one line per unit (operations.committee.UnitReport)."""

    def __init__(self, parent=None):
        super().__init__(["单位", "状态", "导入时间", "导出时间（单位电脑）", "报送次数", "表格数", "风险点数", "内容",
                          "当前序号", "签名"],
                         parent)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        row = self.rows[index.row()]
        d = definitions()
        if role == Qt.ItemDataRole.DisplayRole:
            status = d.messages["status"][row.status]
            notes = [d.messages["status_note"][key] for key, on in (("word", row.in_word),
                                                                    ("incomplete", row.incomplete)) if on]
            if notes:
                status += "（" + "，".join(notes) + "）"
            content = ""
            if row.packages:
                errors = [p for p in row.problems if p.is_error]
                content = f"{len(errors)} 处不合要求：{errors[0].message}" if errors else "完整"
            signature = ("" if row.verified is None else IN_WORD if row.in_word else VERIFIED if row.verified
                         else UNVERIFIED)
            return [row.unit + ("" if row.expected else "（名单外）"), status, short_time(row.imported_at),
                    "" if row.in_word else short_time(row.exported_at), row.packages or "", row.forms or "",
                    row.points if row.packages else "", content, row.sequence or "", signature][index.column()]
        if role == Qt.ItemDataRole.ToolTipRole and index.column() in (1, 7) and row.problems:
            return "\n".join(p.message for p in row.problems if p.is_error)
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 9 and row.signer:
            return f"单位签名密钥指纹：{row.signer}"
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 3:
            return "发送方电脑上的时间，仅供参考：先后按序号判断"
        if role == Qt.ItemDataRole.ToolTipRole and index.column() in (1, 9) and row.in_word:
            return "单位报送的是 Word 文件，由校纪委代录入：没有数据包，也没有签名"
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 9 and row.verified is False and not row.in_word:
            return QColor(STATUS_COLOURS[UPDATED])
        if role == Qt.ItemDataRole.ForegroundRole and index.column() in (1, 7):
            if row.incomplete:
                return QColor(STATUS_COLOURS[MISSING])
            if index.column() == 7:
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
    """Points per unit × category of the rows shown, each cell the counts of the basis's
    values joined by "/": "一级/二级/三级/未定级" by 自评, the same with 未审定 by 审定, or
    "调高/调低/补定" where 审定 differs from 自评."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.categories = [c.key for c in definitions().categories]
        self.units: list[str] = []
        self.cells: list[list[str]] = []
        self.set_basis(level_basis.SELF)

    def set_basis(self, basis: str) -> None:
        d = definitions()
        self.basis = basis
        self.values = level_basis.values(basis)
        names = "/".join(v.name.removesuffix("级").removeprefix("审定") for v in self.values)
        self.headers = [c.name for c in d.categories] + [f"合计（{names}）"]

    def load(self, table: dict, basis: str | None = None) -> None:
        self.beginResetModel()
        if basis is not None:
            self.set_basis(basis)
        self.units = sorted({unit for unit, _, _ in table})
        self.cells = []
        for unit in self.units:
            per_category = [[table.get((unit, c, v.key), 0) for v in self.values] for c in self.categories]
            total = [sum(column) for column in zip(*per_category)]
            self.cells.append(["/".join(map(str, values)) for values in [*per_category, total]])
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

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cells[index.row()][index.column()]
        return None
