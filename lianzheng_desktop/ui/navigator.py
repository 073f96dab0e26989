"""The left pane: the year, this unit's 单位登记表 and the list of 岗位登记表."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QAbstractListModel, QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from lianzheng_desktop.domain.naming import SCREEN, form_name
from lianzheng_desktop.domain.validation import validate

FORM_ID = Qt.ItemDataRole.UserRole
KIND = Qt.ItemDataRole.UserRole + 1


@dataclass
class Entry:
    id: str
    kind: str
    title: str
    errors: int
    warnings: int


class NavigatorModel(QAbstractListModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.entries: list[Entry] = []

    def load(self, forms) -> None:
        self.beginResetModel()
        self.entries = []
        for form in forms:
            problems = validate(form)
            errors = sum(p.is_error for p in problems)
            self.entries.append(Entry(form.id, form.kind, form_name(form, SCREEN), errors,
                                      len(problems) - errors))
        self.endResetModel()

    def update(self, form) -> None:
        for row, entry in enumerate(self.entries):
            if entry.id == form.id:
                problems = validate(form)
                entry.errors = sum(p.is_error for p in problems)
                entry.warnings = len(problems) - entry.errors
                entry.title = form_name(form, SCREEN)
                self.dataChanged.emit(self.index(row), self.index(row))

    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self.entries)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        entry = self.entries[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return entry.title
        if role == FORM_ID:
            return entry.id
        if role == KIND:
            return entry.kind
        if role == Qt.ItemDataRole.DecorationRole:
            icon = (QStyle.StandardPixmap.SP_MessageBoxCritical if entry.errors
                    else QStyle.StandardPixmap.SP_MessageBoxWarning if entry.warnings
                    else QStyle.StandardPixmap.SP_DialogApplyButton)
            return _icon(icon)
        if role == Qt.ItemDataRole.ToolTipRole:
            if entry.errors:
                return f"有 {entry.errors} 处错误、{entry.warnings} 处提醒"
            return f"有 {entry.warnings} 处尚未填完" if entry.warnings else "已填写完整"
        return None


def _icon(which):
    return QApplication.style().standardIcon(which)


class NavigatorWidget(QWidget):
    open_form = Signal(str)
    year_changed = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.year_box = QComboBox()
        self.year_box.setToolTip("登记年度")
        self.new_year_button = QPushButton("新年度…")
        self.filter = QLineEdit(placeholderText="筛选：姓名或岗位", clearButtonEnabled=True)
        self.model = NavigatorModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.list = QListView()
        self.list.setModel(self.proxy)
        self.list.setUniformItemSizes(True)
        self.list.activated.connect(lambda index: self.open_form.emit(index.data(FORM_ID)))
        self.list.clicked.connect(lambda index: self.open_form.emit(index.data(FORM_ID)))
        self.buttons = QHBoxLayout()
        self.export_state = QLabel(wordWrap=True)
        self.export_state.setStyleSheet("color: #555555;")
        year_row = QHBoxLayout()
        year_row.addWidget(QLabel("年度："))
        year_row.addWidget(self.year_box, 1)
        year_row.addWidget(self.new_year_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(year_row)
        layout.addWidget(self.filter)
        layout.addWidget(self.list, 1)
        layout.addLayout(self.buttons)
        layout.addWidget(self.export_state)
        self.year_box.currentIndexChanged.connect(
            lambda _i: self.year_box.currentData() is not None and self.year_changed.emit(self.year_box.currentData()))

    def set_years(self, years: list[int], current: int) -> None:
        self.year_box.blockSignals(True)
        self.year_box.clear()
        for year in sorted(set(years) | {current}, reverse=True):
            self.year_box.addItem(f"{year} 年度", year)
        self.year_box.setCurrentIndex(self.year_box.findData(current))
        self.year_box.blockSignals(False)

    def year(self) -> int:
        return self.year_box.currentData()

    def select(self, form_id: str) -> None:
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if index.data(FORM_ID) == form_id:
                self.list.setCurrentIndex(index)
                return
