"""The 检查 pane: what is missing or wrong in the open form, each entry a link to the field."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QStyle

PATH = Qt.ItemDataRole.UserRole


class CheckPanel(QListWidget):
    jump = Signal(tuple)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWordWrap(True)
        self.itemActivated.connect(lambda item: self.jump.emit(tuple(item.data(PATH) or ())))
        self.itemClicked.connect(lambda item: self.jump.emit(tuple(item.data(PATH) or ())))

    def show_problems(self, problems) -> None:
        self.clear()
        style = self.style()
        if not problems:
            item = QListWidgetItem(style.standardIcon(QStyle.StandardPixmap.SP_DialogApplyButton),
                                   "已填写完整，没有发现问题")
            self.addItem(item)
            return
        for problem in problems:
            icon = (QStyle.StandardPixmap.SP_MessageBoxCritical if problem.is_error
                    else QStyle.StandardPixmap.SP_MessageBoxWarning)
            item = QListWidgetItem(style.standardIcon(icon), problem.message)
            item.setData(PATH, list(problem.path))
            self.addItem(item)
