"""The workbench's 年度对照: every unit's year read against an earlier one — points added,
dropped, re-levelled and rewritten, the units whose forms are last year's unchanged, and
for the unit picked its changes and its counts per category and level. The comparing is
operations/comparing.py; this only shows it."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from lianzheng_desktop.domain import year_compare
from lianzheng_desktop.domain.definitions import definitions
from lianzheng_desktop.operations import comparing
from lianzheng_desktop.store import FormStore
from lianzheng_desktop.ui import progress
from lianzheng_desktop.ui.workbench_models import ROW, RowsModel

UNCHANGED_COLOUR = "#b35c00"
UNCHANGED_NAMED = 12  # unchanged units named in the overview line (all of them in its tooltip)


class ComparisonModel(RowsModel):
    """One line per unit (year_compare.overview)."""

    def __init__(self, parent=None):
        super().__init__(list(definitions().messages["compare_columns"].values()), parent)
        self.lines: list[list] = []

    def load(self, rows) -> None:
        # each unit's line made once: the view asks for every cell many times (sizes, paints)
        self.lines = [["—" if v is None else v for v in year_compare.overview(c)] for c in rows]
        super().load(rows)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        comparison = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.lines[index.row()][index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return comparison.line()
        if role == Qt.ItemDataRole.ForegroundRole and comparison.unchanged_copy:
            return QColor(UNCHANGED_COLOUR)
        if role == ROW:
            return comparison
        return None


class ChangesModel(RowsModel):
    """The changes of one unit (year_compare.detail), without the unit's column."""

    def __init__(self, parent=None):
        super().__init__(list(definitions().messages["compare_detail_columns"].values())[1:], parent)
        self.comparison: year_compare.UnitComparison | None = None

    def show(self, comparison: year_compare.UnitComparison | None) -> None:
        self.comparison = comparison
        self.load(comparison.changes if comparison else [])

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole) and self.comparison is not None:
            return year_compare.detail(self.comparison, self.rows[index.row()])[index.column() + 1]
        return None


class LevelCountsModel(RowsModel):
    """Per category, this year's points at each 自评 level with last year's beside: "5（上年 4）"."""

    def __init__(self, parent=None):
        d = definitions()
        super().__init__([lv.name for lv in d.levels] + [d.unrated_name], parent)
        self.categories = [c.name for c in d.categories]

    def show(self, comparison: year_compare.UnitComparison | None) -> None:
        self.load(year_compare.level_counts(comparison) if comparison else [])

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return definitions().category(self.rows[section][0]).name
        return super().headerData(section, orientation, role)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        before, now = self.rows[index.row()][1][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{now}（上年 {before}）" if before != now else str(now)
        if role == Qt.ItemDataRole.ForegroundRole and before != now:
            return QColor("#b3261e" if now > before else "#1e7b34")
        return None


class YearCompareView(QWidget):
    open_form = Signal(str, str)  # form id, point id: a change double-clicked

    def __init__(self, store: FormStore, parent=None):
        super().__init__(parent)
        self.store = store
        self.year = 0
        self.previous_box = QComboBox()
        self.previous_box.currentIndexChanged.connect(lambda _i: self.refresh())
        self.heading = QLabel()
        self.overview = QLabel(wordWrap=True)
        self.units_model = ComparisonModel(self)
        self.units_view = QTableView()
        self.units_view.setModel(self.units_model)
        self.units_view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.units_view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.units_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.units_view.horizontalHeader().setMinimumSectionSize(64)
        # widths from the first rows, not every unit's (a thousand units: seconds to measure)
        self.units_view.horizontalHeader().setResizeContentsPrecision(100)
        self.units_view.selectionModel().currentRowChanged.connect(lambda current, _prev: self.show_unit(current.row()))
        self.changes_model = ChangesModel(self)
        self.changes_view = QTableView()
        self.changes_view.setModel(self.changes_model)
        self.changes_view.setWordWrap(True)
        self.changes_view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.changes_view.setToolTip("双击一行，打开那张表格并对照去年")
        self.changes_view.doubleClicked.connect(self._open_change)
        header = self.changes_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        digit = self.changes_view.fontMetrics().horizontalAdvance("0")
        for column, width in enumerate((6, 11, 16, 26, 22, 7, 7)):
            self.changes_view.setColumnWidth(column, width * digit)
        header.setStretchLastSection(True)
        self.counts_model = LevelCountsModel(self)
        self.counts_view = QTableView()
        self.counts_view.setModel(self.counts_model)
        self.counts_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.unit_heading = QLabel()
        self.comparisons: list[year_compare.UnitComparison] = []

        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addWidget(self.previous_box)
        top.addStretch(1)
        detail = QWidget()
        column = QVBoxLayout(detail)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.unit_heading)
        lower = QSplitter(Qt.Orientation.Horizontal)
        lower.addWidget(self.changes_view)
        lower.addWidget(self.counts_view)
        lower.setSizes([700, 320])
        column.addWidget(lower, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.units_view)
        splitter.addWidget(detail)
        splitter.setSizes([300, 360])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.overview)
        layout.addWidget(splitter, 1)

    def set_year(self, year: int, years: list[int]) -> None:
        """Compare ``year`` with one of the earlier years the database has (the latest first)."""
        self.year = year
        earlier = sorted((y for y in years if y < year), reverse=True) or [year - 1]
        current = self.previous_box.currentData()
        self.previous_box.blockSignals(True)
        self.previous_box.clear()
        for y in earlier:
            self.previous_box.addItem(f"{y} 年度", y)
        self.previous_box.setCurrentIndex(max(0, self.previous_box.findData(current)))
        self.previous_box.blockSignals(False)
        self.heading.setText(f"{year} 年度对照：")

    def refresh(self) -> None:
        previous = self.previous_box.currentData()
        if not self.year or previous is None:
            return
        done = progress.run(self, "年度对照", lambda report: comparing.compare_years(
            self.store, self.year, previous, progress=report))  # a dialog only when it takes a while
        if done is None:
            self.overview.setText("已取消年度对照。")
            return
        self.comparisons = done
        self.units_model.load(self.comparisons)
        unchanged = [c.unit for c in self.comparisons if c.unchanged_copy]
        compared = [c for c in self.comparisons if c.has_previous and c.has_current]
        totals = {k: sum(len(c.of(k)) for c in compared) for k in year_compare.CHANGE_KINDS}
        text = (f"{len(compared)} 个单位两年都有表格：新增 {totals['added']} 个、删去 {totals['dropped']} 个、"
                f"调整等级 {totals['relevelled']} 个、改写 {totals['rewritten']} 个风险点。")
        if unchanged:  # named up to a few: a thousand units' names would push the table off the screen
            text += f"照抄去年、没有任何改动的单位 {len(unchanged)} 个：" + "、".join(unchanged[:UNCHANGED_NAMED])
            text += "等（见下表“照抄去年”一列）。" if len(unchanged) > UNCHANGED_NAMED else "。"
        self.overview.setText(text)
        self.overview.setToolTip("照抄去年、没有任何改动的单位：" + "、".join(unchanged) if unchanged else "")
        if self.comparisons:
            self.units_view.selectRow(0)
        self.show_unit(0 if self.comparisons else -1)

    def _open_change(self, index) -> None:
        change = self.changes_model.rows[index.row()] if index.isValid() else None
        if change is not None and change.form_id:
            self.open_form.emit(change.form_id, change.point_id)

    def show_unit(self, row: int) -> None:
        comparison = self.comparisons[row] if 0 <= row < len(self.comparisons) else None
        self.unit_heading.setText(comparison.line() if comparison else "")
        self.changes_model.show(comparison)
        self.counts_model.show(comparison)
        self.changes_view.resizeRowsToContents()
