"""The workbench's tables: reporting status, all risk points, and the filter over them."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor

from lianzheng_desktop.domain.definitions import definitions
from lianzheng_desktop.domain.rows import RiskRow, columns, row_getter
from lianzheng_desktop.domain.texts import short_time
from lianzheng_desktop.store.packages import MISSING, UPDATED
from lianzheng_desktop.ui.risk_model import DIFFERS_BRUSH

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


VERIFIED, UNVERIFIED = "签名已核对", "未签名（旧格式）"


class ReportModel(RowsModel):
    def __init__(self, parent=None):
        super().__init__(["单位", "状态", "导入时间", "导出时间（单位电脑）", "报送次数", "表格数", "当前序号", "签名"],
                         parent)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            status = definitions().messages["status"][row.status]
            signature = "" if row.verified is None else VERIFIED if row.verified else UNVERIFIED
            return [row.unit + ("" if row.expected else "（名单外）"), status, short_time(row.imported_at),
                    short_time(row.exported_at), row.packages or "", row.forms or "", row.sequence or "",
                    signature][index.column()]
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 7 and row.signer:
            return f"单位签名密钥指纹：{row.signer}"
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 3:
            return "发送方电脑上的时间，仅供参考：先后按序号判断"
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 7 and row.verified is False:
            return QColor(STATUS_COLOURS[UPDATED])
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 1:
            return QColor(STATUS_COLOURS.get(row.status, REPORTED_COLOUR))
        if role == ROW:
            return row
        return None


class SummaryModel(RowsModel):
    """Every risk point of the year, in the columns declared in forms/columns.toml."""

    def __init__(self, parent=None):
        self.columns = columns("risk_summary", ui=True)
        self.getters = [row_getter(c) for c in self.columns]
        super().__init__([c.short_header for c in self.columns], parent)
        keys = [c.key for c in self.columns]
        self.level_columns = [keys.index(k) for k in ("self_level", "approved_level") if k in keys]

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        row = self.rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.getters[index.column()](row)
        if role == Qt.ItemDataRole.BackgroundRole and index.column() in self.level_columns and \
                row.approved_level is not None and row.approved_level != row.self_level:
            return DIFFERS_BRUSH
        if role == ROW:
            return row
        return None


class SummaryFilter(QSortFilterProxyModel):
    """unit, kind, category, 自评, 审定, text, and “审定 differs from 自评”.

    The text is looked up in the store's search index (risk points and measures) by the
    window, which hands over the matching rows as ``text_hits``; names are matched here."""

    ANY = object()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.criteria = {"unit": self.ANY, "kind": self.ANY, "category": self.ANY,
                         "self_level": self.ANY, "approved_level": self.ANY}
        self.text = ""
        self.text_hits: set[tuple[str, int]] = set()
        self.differs_only = False

    def set(self, **changes) -> None:
        self.beginFilterChange()
        for key, value in changes.items():
            if key == "text":
                self.text = value.strip().lower()
            elif key == "text_hits":
                self.text_hits = value
            elif key == "differs_only":
                self.differs_only = value
            else:
                self.criteria[key] = value
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row, source_parent):
        row: RiskRow = self.sourceModel().rows[source_row]
        for key, wanted in self.criteria.items():
            if wanted is not self.ANY and getattr(row, key) != wanted:
                return False
        if self.differs_only and (row.approved_level is None or row.approved_level == row.self_level):
            return False
        if self.text and (row.form_id, row.position) not in self.text_hits \
                and self.text not in f"{row.person}\n{row.post}".lower():
            return False
        return True

    def visible_rows(self) -> list[RiskRow]:
        return [self.sourceModel().rows[self.mapToSource(self.index(i, 0)).row()] for i in range(self.rowCount())]
