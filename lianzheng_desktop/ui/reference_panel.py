"""Attachment 1 pick-list and the section 六 measure families, beside the editor."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QMimeData, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from lianzheng_desktop.domain.definitions import definitions
from lianzheng_desktop.ui.risk_model import REFERENCE_MIME

CODE = Qt.ItemDataRole.UserRole


class ReferenceList(QListWidget):
    """Reference points; Enter or double-click inserts, dragging drops into a table."""

    chosen = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setWordWrap(True)
        self.itemActivated.connect(lambda item: self.chosen.emit(item.data(CODE)))

    def mimeData(self, items):
        mime = QMimeData()
        if items:
            mime.setData(REFERENCE_MIME, QByteArray(items[0].data(CODE).encode()))
            mime.setText(items[0].text())
        return mime

    def keyPressEvent(self, event):
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentItem():
            self.chosen.emit(self.currentItem().data(CODE))
            return
        super().keyPressEvent(event)


class ReferencePanel(QWidget):
    point_chosen = Signal(str)  # reference code
    measure_chosen = Signal(str)  # text to add to 防控措施

    def __init__(self, parent=None):
        super().__init__(parent)
        d = definitions()
        self.title = QLabel(wordWrap=True)
        self.title.setStyleSheet("font-weight: bold;")
        self.description = QLabel(wordWrap=True)
        self.note = QLabel(d.reference["note"], wordWrap=True)
        self.note.setStyleSheet("color: #8a4b00;")
        self.points = ReferenceList()
        self.points.setToolTip("双击或按 Enter 插入为新的风险点（也可拖到表格中），再结合本单位实际改写具体")
        self.points.chosen.connect(self.point_chosen)
        self.measures = QTreeWidget()
        self.measures.setHeaderLabel("防控措施参考")
        self.measures.setToolTip(d.measure_texts["intro"] + "\n双击一项，加到当前风险点的防控措施中")
        for family in d.measures:
            top = QTreeWidgetItem([family.name])
            top.setToolTip(0, family.summary)
            top.setData(0, CODE, family.summary)
            for item in family.items:
                child = QTreeWidgetItem([item.name])
                child.setToolTip(0, item.text)
                child.setData(0, CODE, item.text)
                top.addChild(child)
            self.measures.addTopLevelItem(top)
        self.measures.expandAll()
        self.measures.itemActivated.connect(lambda item, _c: self.measure_chosen.emit(item.data(0, CODE)))
        layout = QVBoxLayout(self)
        for widget in (self.title, self.description, self.points, self.note):
            layout.addWidget(widget)
        layout.addWidget(self.measures)
        layout.setStretch(2, 3)
        layout.setStretch(4, 2)
        self.show_category(d.category_keys[0])

    def show_category(self, key: str) -> None:
        category = definitions().category(key)
        self.category = key
        self.title.setText(f"参考点：{category.name}（附件1：{category.reference_name}）")
        self.description.setText(category.description)
        self.points.clear()
        for point in category.points:
            item = QListWidgetItem("· " + point.text)
            item.setData(CODE, point.code)
            if point.other:
                item.setToolTip("插入一个空白风险点，自行填写")
            self.points.addItem(item)
        self.points.setCurrentRow(0)
