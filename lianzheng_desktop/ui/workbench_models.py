"""The workbench's tables: reporting status, all risk points, and the filter over them."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt

from lianzheng_desktop.domain.definitions import definitions
from lianzheng_desktop.exchange.summary import RiskRow

ROW = Qt.ItemDataRole.UserRole


def short_time(text: str | None) -> str:
    return text.replace("T", " ")[:16] if text else ""


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


class ReportModel(RowsModel):
    def __init__(self, parent=None):
        super().__init__(["单位", "状态", "导入时间", "数据包导出时间", "报送次数", "表格数"], parent)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return [row.unit + ("" if row.expected else "（名单外）"), row.status, short_time(row.imported_at),
                    short_time(row.exported_at), row.packages or "", row.forms or ""][index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 1:
            from PySide6.QtGui import QColor

            return QColor({"未报送": "#b3261e", "有更新": "#b35c00"}.get(row.status, "#1e7b34"))
        if role == ROW:
            return row
        return None


class SummaryModel(RowsModel):
    def __init__(self, parent=None):
        d = definitions()
        super().__init__([d.field("unit").label, "表格", d.field("person").label, d.field("post").label,
                          d.risk_field("category").label, d.risk_field("point").label,
                          d.risk_field("self_level").short_label, d.risk_field("approved_level").short_label,
                          d.risk_field("measures").label, "校验码"], parent)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        row = self.rows[index.row()]
        d = definitions()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return [row.unit, d.messages["kind_name"][row.kind], row.person, row.post,
                    d.category(row.category).name, row.point, d.level_name(row.self_level),
                    d.level_name(row.approved_level), row.measures, row.code][index.column()]
        if role == Qt.ItemDataRole.BackgroundRole and index.column() in (6, 7) and \
                row.approved_level is not None and row.approved_level != row.self_level:
            from lianzheng_desktop.ui.risk_model import DIFFERS_BRUSH

            return DIFFERS_BRUSH
        if role == ROW:
            return row
        return None


class SummaryFilter(QSortFilterProxyModel):
    """unit, kind, category, 自评, 审定, text, and “审定 differs from 自评”."""

    ANY = object()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.criteria = {"unit": self.ANY, "kind": self.ANY, "category": self.ANY,
                         "self_level": self.ANY, "approved_level": self.ANY}
        self.text = ""
        self.differs_only = False

    def set(self, **changes) -> None:
        self.beginFilterChange()
        for key, value in changes.items():
            if key == "text":
                self.text = value.strip().lower()
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
        if self.text:
            haystack = f"{row.point}\n{row.measures}\n{row.person}\n{row.post}".lower()
            if self.text not in haystack:
                return False
        return True

    def visible_rows(self) -> list[RiskRow]:
        return [self.sourceModel().rows[self.mapToSource(self.index(i, 0)).row()] for i in range(self.rowCount())]
