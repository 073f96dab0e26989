"""The 检查 pane: what is missing or wrong in the open form — or, with no form open, in the
year's forms as the export would check them. Each entry is a link to the place."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QStyle

PATH = Qt.ItemDataRole.UserRole
FORM = Qt.ItemDataRole.UserRole + 1


class CheckPanel(QListWidget):
    jump = Signal(str, tuple)  # form id ("" = the open form), path in the form

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWordWrap(True)
        self.itemActivated.connect(self._jump)
        self.itemClicked.connect(self._jump)

    def _jump(self, item) -> None:
        if item.data(PATH) is not None:
            self.jump.emit(item.data(FORM) or "", tuple(item.data(PATH)))

    def _note(self, icon, text: str) -> None:
        self.addItem(QListWidgetItem(self.style().standardIcon(icon), text))

    def show_problems(self, problems, form_id: str = "") -> None:
        self.clear()
        if not problems:
            self._note(QStyle.StandardPixmap.SP_DialogApplyButton, "已填写完整，没有发现问题")
            return
        self._add(problems, form_id)

    def show_year(self, year: int, problems) -> None:
        """No form open: the year's problems (None: the year has no forms yet)."""
        self.clear()
        info = QStyle.StandardPixmap.SP_MessageBoxInformation
        if problems is None:
            self._note(info, f"没有打开的表格；{year} 年度还没有表格。")
            return
        errors = sum(p.is_error for p in problems)
        self._note(info, f"没有打开的表格。{year} 年度全部表格的检查（与导出数据包时相同）："
                   + (f"{errors} 处错误、{len(problems) - errors} 处提醒" if problems else "没有发现问题")
                   + "。点一条打开那张表格。" * bool(problems))
        self._add(problems, "")

    def _add(self, problems, form_id: str) -> None:
        style = self.style()
        for problem in problems:
            icon = (QStyle.StandardPixmap.SP_MessageBoxCritical if problem.is_error
                    else QStyle.StandardPixmap.SP_MessageBoxWarning)
            item = QListWidgetItem(style.standardIcon(icon), problem.message)
            item.setData(PATH, list(problem.path))
            item.setData(FORM, problem.form_id or form_id)
            self.addItem(item)
