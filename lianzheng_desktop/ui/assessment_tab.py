"""The workbench's 考核 tab: every unit scored on the items of forms/assessment.toml
(operations/assessment.py), the sheets printed or saved as PDF."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from lianzheng_desktop.domain.assessment import assessment_spec
from lianzheng_desktop.operations import assessment as ops
from lianzheng_desktop.store import FormStore
from lianzheng_desktop.ui import progress
from lianzheng_desktop.ui.workbench_models import AssessmentModel


class AssessmentTab(QWidget):
    message = Signal(str)  # a result for the window's status bar

    def __init__(self, parent, store: FormStore, year: Callable[[], int]):
        super().__init__(parent)
        self.store, self.year = store, year
        self.result: ops.YearAssessment | None = None  # the year as last scored
        self.model = AssessmentModel(self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)  # one row a unit: measured per load
        header.setStretchLastSection(True)
        self.note = QLabel(wordWrap=True)
        buttons = QHBoxLayout()
        for text, slot in (("计算考核得分", self.compute), ("打印选中单位的考核表…", self.print_selected),
                           ("导出考核表PDF（选中的单位，不选则全部）…", self.export)):
            button = QPushButton(text)
            button.clicked.connect(lambda _checked=False, slot=slot: slot())
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addLayout(buttons)
        layout.addWidget(self.view, 1)

    def forget(self) -> None:
        """The data changed (or the year): scored again when next shown."""
        self.result = None
        self.model.load([])

    def compute(self) -> ops.YearAssessment | None:
        """Score every unit (the quality scan reads every point: under a progress dialog)."""
        year = self.year()
        result = progress.run(self, "计算考核得分", lambda report: ops.assess_year(self.store, year, progress=report))
        if result is None:
            return None
        self.result = result
        self.model.load(result.units)
        spec = assessment_spec()
        self.note.setText(f"{year} 年度考核（满分 {spec.full:g}，各项分值见 forms/assessment.toml）。{spec.note}"
                          "鼠标停在得分上可看评分办法和情况。")
        return result

    def selected_units(self) -> list[str]:
        rows = {i.row() for i in self.view.selectionModel().selectedRows()}
        return [self.model.rows[r].unit for r in sorted(rows)]

    def print_selected(self) -> bytes | None:
        """The selected units' 考核表 to the printer."""
        from lianzheng_desktop.ui.printing import print_pdf

        units = self.selected_units()
        if not units:
            QMessageBox.information(self, "打印考核表", "请先在“考核”表中选中一个或几个单位。")
            return None
        year = self.year()
        data = ops.assessment_pdf(self.store, year, units, scored=self.result)
        print_pdf(self, data, f"{year}年度考核表")
        return data

    def export(self, path: Path | None = None) -> ops.SheetsPrinted | None:
        """The selected units' sheets (every unit when none is selected) as one PDF."""
        from lianzheng_desktop.ui.reminder_dialog import choose_save_path

        year = self.year()
        if path is None:
            path = choose_save_path(self, "导出考核表PDF", f"{year}年度廉政风险防控工作考核表.pdf", "PDF 文件 (*.pdf)",
                                    ".pdf")
            if path is None:
                return None
        units = self.selected_units() or None
        try:
            done = progress.run(self, "导出考核表", lambda report: ops.print_assessment(
                self.store, year, path, units, progress=report, scored=self.result))
        except (OSError, ValueError) as exc:
            QMessageBox.critical(self, "导出考核表", f"无法导出：{getattr(exc, 'strerror', None) or exc}")
            return None
        if done is not None:
            self.message.emit(done.message)
        return done
