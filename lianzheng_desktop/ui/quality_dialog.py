"""The committee's quality check of every unit, as a view: one line per unit with its
findings by rule (most first), the selected unit's findings with what to do, and the
workbook saved from the same check. Thin: operations.quality does the work."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, QSize, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QListWidget,
    QMessageBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
)

from lianzheng_desktop.domain.quality import QualityScan
from lianzheng_desktop.operations import quality as ops
from lianzheng_desktop.store import FormStore
from lianzheng_desktop.ui import progress, screen
from lianzheng_desktop.ui.workbench_models import RowsModel


class UnitQualityModel(RowsModel):
    def __init__(self, parent=None):
        super().__init__(["单位", "风险点数", *ops.rule_names(), "提醒合计"], parent)

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        line: ops.UnitQuality = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            column = index.column()
            if column == 0:
                return line.unit
            if column == 1:
                return line.points
            if column == len(self.headers) - 1:
                return line.total
            return line.counts[column - 2]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class QualityDialog(QDialog):
    def __init__(self, store: FormStore, year: int, scan: QualityScan, parent=None):
        super().__init__(parent)
        self.store, self.year, self.scan = store, year, scan
        self.setWindowTitle(f"质量检查（{year} 年度）")
        findings = sum(len(f) for f in scan.flags.values())
        self.note = QLabel(f"共 {len(scan.units)} 个单位、{findings} 条提醒（提醒不阻止报送，供核实和考核参考）。"
                           "选中一个单位，下方列出它的每一条提醒和改进办法。", wordWrap=True)
        self.model = UnitQualityModel(self)
        self.model.load(ops.unit_lines(scan))
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.selectionModel().currentRowChanged.connect(self._show_unit)
        self.findings = QListWidget(wordWrap=True)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.findings)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.save_button = buttons.addButton("保存为 Excel…", QDialogButtonBox.ButtonRole.ActionRole)
        self.save_button.clicked.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(split, 1)
        layout.addWidget(buttons)
        screen.fit(self, QSize(1100, 700))
        if self.model.rows:
            self.table.selectRow(0)

    def _show_unit(self, current: QModelIndex, _previous=None) -> None:
        self.findings.clear()
        if current.isValid():
            unit = self.model.rows[current.row()].unit
            self.findings.addItems(ops.unit_findings(self.scan, unit) or [f"{unit}：没有提醒"])

    def save(self) -> ops.QualityWritten | None:
        name, _ = QFileDialog.getSaveFileName(self, "保存质量检查", f"{self.year}_内容质量检查.xlsx",
                                              "Excel 工作簿 (*.xlsx)")
        if not name:
            return None
        try:
            written = ops.export_quality(self.store, Path(name), self.year, scan=self.scan)
        except OSError as exc:
            QMessageBox.critical(self, "保存质量检查", f"无法写入：{exc.strerror or exc}")
            return None
        self.note.setText(written.message)
        return written


def show_quality(parent, store: FormStore, year: int) -> QualityDialog | None:
    """Check every unit (under a progress dialog with 取消), then show the view."""
    scan = progress.run(parent, "质量检查", lambda report: ops.scan_year(store, year, report))
    if scan is None:
        return None
    dialog = QualityDialog(store, year, scan, parent)
    dialog.show()
    return dialog
