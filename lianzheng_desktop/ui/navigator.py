"""The left pane: the year, this unit's 单位登记表 and the list of 岗位登记表."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QAbstractListModel, QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from lianzheng_desktop.domain.definitions import definitions
from lianzheng_desktop.domain.naming import SCREEN, form_name
from lianzheng_desktop.domain.validation import validate

FORM_ID = Qt.ItemDataRole.UserRole
RETURNED = definitions().review["decision"]["return"]
RETURNED_BRUSH = QBrush(QColor("#b3261e"))
KIND = Qt.ItemDataRole.UserRole + 1


@dataclass
class Entry:
    id: str
    kind: str
    title: str
    errors: int
    warnings: int
    review: str = ""  # what the committee's latest review says ("" nothing)
    returned: bool = False


class NavigatorModel(QAbstractListModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.entries: list[Entry] = []

    def load(self, forms, notes=None) -> None:
        """The forms, and the committee's latest review of them (form id → FormNote)."""
        self.beginResetModel()
        self.entries = []
        for form in forms:
            problems = validate(form)
            errors = sum(p.is_error for p in problems)
            note = (notes or {}).get(form.id)
            self.entries.append(Entry(form.id, form.kind, form_name(form, SCREEN), errors,
                                      len(problems) - errors, note.flag if note else "",
                                      bool(note and note.returned)))
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
            return entry.title + (f"　〔{RETURNED}〕" if entry.returned else "")
        if role == Qt.ItemDataRole.ForegroundRole and entry.returned:
            return RETURNED_BRUSH
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
            review = f"\n{entry.review}" if entry.review else ""
            if entry.errors:
                return f"有 {entry.errors} 处错误、{entry.warnings} 处提醒{review}"
            return (f"有 {entry.warnings} 处尚未填完" if entry.warnings else "已填写完整") + review
        return None


def _icon(which):
    return QApplication.style().standardIcon(which)


class NavigatorWidget(QWidget):
    open_form = Signal(str)
    year_changed = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.year_box = QComboBox()
        self.year_box.setToolTip("登记年度：切换年度时，其他年度打开的表格会关闭")
        self.new_year_button = QToolButton()  # the window gives it its 新年度 action (disabled when read-only)
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
        # something about the year as a whole the user must know (several unit names…)
        self.notice = QFrame()
        self.notice.setStyleSheet("QFrame { background: #fff4ce; border: 1px solid #e0b400; border-radius: 3px; }"
                                  "QLabel { border: none; }")
        self.notice_label = QLabel(wordWrap=True)
        self.notice_button = QPushButton()
        box = QVBoxLayout(self.notice)
        box.setContentsMargins(6, 6, 6, 6)
        box.addWidget(self.notice_label)
        box.addWidget(self.notice_button)
        self.notice.hide()
        self._notice_action = None
        self.notice_button.clicked.connect(lambda: self._notice_action and self._notice_action())
        year_row = QHBoxLayout()
        year_row.addWidget(QLabel("年度："))
        year_row.addWidget(self.year_box, 1)
        year_row.addWidget(self.new_year_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(year_row)
        layout.addWidget(self.notice)
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

    def show_notice(self, text: str, button: str = "", action=None) -> None:
        """A note above the list ("" hides it), with a button when there is something to do."""
        self.notice.setVisible(bool(text))
        self.notice_label.setText(text)
        self.fit_labels()
        self.notice_button.setText(button)
        self.notice_button.setVisible(bool(button and action))
        self._notice_action = action

    def fit_labels(self) -> None:
        """Word-wrapped labels get the height their text needs at the pane's width (the
        layout alone gives them too little in a narrow pane, and the text is cut off)."""
        width = max(self.contentsRect().width() - 12, 100)  # the layout's margins
        for label, inset in ((self.notice_label, 14), (self.export_state, 0)):  # the notice's margins and border
            label.setMinimumHeight(label.heightForWidth(width - inset) if label.text() else 0)
        box = self.notice.layout()
        box.invalidate()
        self.notice.setMinimumHeight(box.minimumSize().height() if self.notice_label.text() else 0)

    def resizeEvent(self, event):
        super().resizeEvent(event)
        self.fit_labels()

    def selected_id(self) -> str | None:
        index = self.list.currentIndex()
        return index.data(FORM_ID) if index.isValid() else None

    def year(self) -> int:
        return self.year_box.currentData()

    def select(self, form_id: str) -> None:
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if index.data(FORM_ID) == form_id:
                self.list.setCurrentIndex(index)
                return
