"""The discipline committee's workbench: who has reported, every risk point across the
university, charts, and the Excel summary. Works on its own database of imported packages."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

from PySide6.QtCore import QDate, QEvent, Qt
from PySide6.QtGui import QColor, QKeySequence
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from lianzheng_desktop import __version__
from lianzheng_desktop.domain import level_basis
from lianzheng_desktop.domain.definitions import definitions
from lianzheng_desktop.domain.naming import MESSAGE, file_stem, form_name
from lianzheng_desktop.exchange.unitlist import UnitListRejected
from lianzheng_desktop.operations import committee as ops
from lianzheng_desktop.operations import reminding, word
from lianzheng_desktop.operations.keys import KeyRefused
from lianzheng_desktop.operations.reporting import set_deadline
from lianzheng_desktop.operations.verifying import verify_code
from lianzheng_desktop.store import FormStore, Session, StoreError, summary
from lianzheng_desktop.store.summary import ANY, CRITERIA, SummaryQuery
from lianzheng_desktop.ui import ask, progress
from lianzheng_desktop.ui.charts import HorizontalBarChart, StackedBarChart, level_colour
from lianzheng_desktop.ui.form_editor import FormEditor
from lianzheng_desktop.ui.workbench_models import ROW, CountsModel, ReportModel, SummaryModel


class FormViewer(QDialog):
    """An imported form, read-only, in the usual editor, with preview and print."""

    def __init__(self, store: FormStore, form, parent=None):
        super().__init__(parent)
        self.setWindowTitle(f"{form.unit} {form.year} 年度 — {form_name(form, MESSAGE)}（只读）")
        self.resize(1100, 760)  # ui/screen.py fits it into the screen's free area when shown
        self.editor = FormEditor(store, form, read_only=True, parent=self)
        self.editor.print_requested.connect(self.print_form)
        self.editor.export_requested.connect(self.export_pdf)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        for text, slot in (("预览", self.editor.show_preview), ("打印…", self.print_form),
                           ("导出PDF…", self.export_pdf)):
            button = buttons.addButton(text, QDialogButtonBox.ButtonRole.ActionRole)
            button.clicked.connect(slot)
        button = buttons.addButton("导出Word…", QDialogButtonBox.ButtonRole.ActionRole)
        button.clicked.connect(self.export_word)
        self.store = store
        if word.received_files(store, form.id):  # entered from the unit's Word files (代录入)
            button = buttons.addButton("单位的Word原件…", QDialogButtonBox.ButtonRole.ActionRole)
            button.clicked.connect(self.save_originals)
        self.attached = ops.attached_pdfs(store, form.id)
        if self.attached:  # the PDF the unit printed and sent with its package
            button = buttons.addButton("单位附带的PDF…", QDialogButtonBox.ButtonRole.ActionRole)
            button.clicked.connect(self.show_attached)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.editor)
        layout.addWidget(buttons)

    def show_attached(self):
        from lianzheng_desktop.ui.attached_pdf import AttachedPdfDialog

        name, data = self.attached[0]
        dialog = AttachedPdfDialog(name.removeprefix("pdf/"), data, self)
        dialog.show()
        return dialog

    def export_word(self):
        from lianzheng_desktop.ui.word_export import export_form

        return export_form(self, self.editor.form)

    def save_originals(self) -> list[Path]:
        """The Word files the unit sent, saved where the clerk wants them."""
        folder = QFileDialog.getExistingDirectory(self, "保存单位的 Word 原件")
        if not folder:
            return []
        try:
            written = word.save_received_files(self.store, self.editor.form.id, Path(folder))
        except OSError as exc:
            QMessageBox.critical(self, "保存单位的 Word 原件", f"无法写入：{exc.strerror or exc}")
            return []
        QMessageBox.information(self, "保存单位的 Word 原件",
                                f"已把 {len(written)} 个 Word 文件（收到时的原样）保存到 {folder}")
        return written

    def print_form(self):
        from lianzheng_desktop.render import render_form
        from lianzheng_desktop.ui.printing import print_pdf

        print_pdf(self, render_form(self.editor.form), form_name(self.editor.form, MESSAGE))

    def export_pdf(self):
        from lianzheng_desktop.render import render_form
        from lianzheng_desktop.ui.printing import save_pdf

        form = self.editor.form
        save_pdf(self, render_form(form), file_stem(form) + ".pdf")


class WorkbenchWindow(QMainWindow):
    def __init__(self, session: Session, parent=None):
        super().__init__(parent)
        self.session = session
        self.store, self.db_path = session.store, session.path
        self.setWindowTitle(f"校纪委汇总工作台 — {self.db_path.name}" + ("（只读）" if session.read_only else ""))
        self.setAcceptDrops(True)
        years = self.store.years()
        self.year = years[-1] if years else dt.date.today().year
        self.tabs = QTabWidget()
        # read-only (in use elsewhere, a newer program's file, a read-only folder): said
        # above everything, and the actions that would write are off
        self.read_only_banner = QLabel(f"{session.notice or '只读'}：可以查看、核对和导出，不能导入或修改。")
        self.read_only_banner.setStyleSheet("background: #fff3cd; color: #664d03; padding: 6px;")
        self.read_only_banner.setVisible(session.read_only)
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.read_only_banner)
        column.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        self._build_toolbar()
        self._build_menu()
        self._build_report_tab()
        self._build_summary_tab()
        self._build_chart_tab()
        self._build_compare_tab()
        self._build_assessment_tab()
        self.resize(1366, 768)  # fitted into the screen's free area when shown (ui/screen.py)
        self.reload()

    # -- construction ----------------------------------------------------------

    def _build_toolbar(self):
        bar = self.addToolBar("工作台")
        bar.setObjectName("workbench")
        self.year_box = QComboBox()
        self.year_box.currentIndexChanged.connect(
            lambda _i: self.year_box.currentData() and self.set_year(self.year_box.currentData()))
        bar.addWidget(QLabel("年度："))
        bar.addWidget(self.year_box)
        bar.addSeparator()
        # the statistics basis: counts and charts by 自评, by 审定, or where they differ
        bar.addWidget(QLabel("统计口径："))
        self.basis = level_basis.SELF
        self.basis_group = QButtonGroup(self)
        self.basis_buttons = {}
        for basis in level_basis.BASES:
            button = QRadioButton(level_basis.basis_name(basis))
            button.setChecked(basis == self.basis)
            button.toggled.connect(lambda on, basis=basis: on and self.set_basis(basis))
            self.basis_group.addButton(button)
            self.basis_buttons[basis] = button
            bar.addWidget(button)
        bar.addSeparator()
        self.write_actions = []
        # the everyday actions; the rarer ones (撤销取代, 编辑单位名单, 生成回执) are in the menus
        for text, slot, writes in (("导入数据包…", self.import_dialog, True),
                                   ("导入单位名单…", self.import_unit_list, True),
                                   ("审核…", self.review_selected, False),
                                   ("导出Excel汇总…", self.export_excel, False),
                                   ("质量检查…", self.export_quality, False),
                                   ("打印汇编…", self.print_book, False),
                                   ("报送设置与密钥…", self.show_keys, False)):
            action = bar.addAction(text, slot)
            if writes:
                action.setEnabled(not self.session.read_only)
                self.write_actions.append(action)
        enter = QToolButton()
        enter.setText("代录入Word…")
        enter.setToolTip("单位报送的是 Word 登记表：为它代录入，报送情况记为“已报送（Word）”")
        enter.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(enter)
        menu.addAction("选择Word文件…", lambda: self.enter_word(folder=False))
        menu.addAction("选择文件夹…", lambda: self.enter_word(folder=True))
        enter.setMenu(menu)
        enter.setEnabled(not self.session.read_only)
        bar.insertWidget(self.write_actions[1], enter)
        bar.addSeparator()
        self.code_edit = QLineEdit(placeholderText="纸面上的校验码，如 3F9A-C21E", clearButtonEnabled=True)
        self.code_edit.setMaximumWidth(220)
        self.code_edit.returnPressed.connect(self.verify_code)
        bar.addWidget(self.code_edit)
        bar.addAction("核对校验码", self.verify_code)

    def _build_menu(self):
        """文件 / 报送 / 帮助: every action of the toolbar and the ones that have no button."""
        bar = self.menuBar()
        menu = bar.addMenu("文件(&F)")
        for text, slot, writes in (("导入数据包…", self.import_dialog, True),
                                   ("代录入Word文件…", lambda: self.enter_word(folder=False), True),
                                   ("代录入Word文件夹…", lambda: self.enter_word(folder=True), True),
                                   ("撤销取代…", self.undo_supersede, True),
                                   ("导入单位名单…", self.import_unit_list, True),
                                   ("编辑单位名单…", self.edit_unit_list, True),
                                   (None, None, False),
                                   ("打印汇编…", self.print_book, False),
                                   ("导出Excel汇总…", self.export_excel, False),
                                   ("生成回执…", self.save_receipt, False),
                                   ("报送设置与密钥…", self.show_keys, False)):
            if text is None:
                menu.addSeparator()
                continue
            action = menu.addAction(text, slot)
            if writes:
                action.setEnabled(not self.session.read_only)
                self.write_actions.append(action)
        menu.addSeparator()
        menu.addAction("关闭", QKeySequence.StandardKey.Close, self.close)
        menu = bar.addMenu("报送(&R)")
        self.act_deadline = menu.addAction("设置截止日期…", self.focus_deadline)
        self.act_deadline.setEnabled(not self.session.read_only)
        menu.addAction("催报名单…", self.show_reminders)
        menu.addSeparator()
        menu.addAction("审核…", self.review_selected)
        menu.addSeparator()
        menu.addAction("质量检查…", self.export_quality)
        menu.addAction("考核表…", self.show_assessment)
        menu = bar.addMenu("帮助(&H)")
        self.act_help = menu.addAction("使用说明", QKeySequence.StandardKey.HelpContents, self.show_help)
        self.act_about = menu.addAction("关于", self.about)

    def _build_report_tab(self):
        self.report_model = ReportModel(self)
        self.report_view = QTableView()
        self.report_view.setModel(self.report_model)
        self.report_view.setWordWrap(False)
        header = self.report_view.horizontalHeader()
        # each column as wide as its content (fit_report_columns: measured once per load —
        # ResizeToContents measures every cell at every layout, 5 s at 1,000 units);
        # 内容 (what is missing, the longest) takes the rest
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(ReportModel.STRETCHED, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        self.report_view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.report_view.doubleClicked.connect(lambda _index: self.review_selected())
        self.report_summary = QLabel()
        self.deadline_label = QLabel(wordWrap=True)
        self.deadline_edit = QDateEdit(calendarPopup=True, displayFormat="yyyy-MM-dd")
        self.deadline_edit.setDate(QDate.currentDate())
        self.deadline_edit.installEventFilter(self)  # Enter in the field sets it, as the button does
        self.deadline_set = QPushButton("设为截止日期")
        self.deadline_set.clicked.connect(lambda: self.apply_deadline(self.deadline_edit.date().toString("yyyy-MM-dd")))
        self.deadline_clear = QPushButton("清除")
        self.deadline_clear.clicked.connect(lambda: self.apply_deadline(None))
        for widget in (self.deadline_edit, self.deadline_set, self.deadline_clear):
            widget.setEnabled(not self.session.read_only)
        self.remind_button = QPushButton("催报名单…")
        self.remind_button.clicked.connect(self.show_reminders)
        deadline_bar = QHBoxLayout()
        deadline_bar.addWidget(QLabel("截止日期："))
        deadline_bar.addWidget(self.deadline_edit)
        deadline_bar.addWidget(self.deadline_set)
        deadline_bar.addWidget(self.deadline_clear)
        deadline_bar.addWidget(self.deadline_label, 1)
        deadline_bar.addWidget(self.remind_button)
        self.banner = QLabel(wordWrap=True)
        self.banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.banner.hide()
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(self.banner)
        layout.addLayout(deadline_bar)
        layout.addWidget(self.report_summary)
        layout.addWidget(self.report_view)
        layout.addWidget(QLabel("把 .lzfk 数据包（或装有数据包的文件夹）拖到窗口中即可导入；"
                                "拖入单位的 Word 登记表（.docx）则为它代录入。双击一个已报送的单位，审核它的表格。"))
        self.tabs.addTab(page, "报送情况")

    def _build_summary_tab(self):
        d = definitions()
        self.summary_model = SummaryModel(self)
        self.summary_view = QTableView()
        self.summary_view.setModel(self.summary_model)
        self.summary_view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.summary_view.setSortingEnabled(True)
        self.summary_view.setWordWrap(True)
        self.summary_view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        header = self.summary_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        digit = self.summary_view.fontMetrics().horizontalAdvance("0")
        for column, spec in enumerate(self.summary_model.columns):
            self.summary_view.setColumnWidth(column, round(spec.width * digit))
        self.summary_view.doubleClicked.connect(self.open_row)
        self.filters = {}

        def combo(key, items):
            box = QComboBox()
            box.addItem("全部", ANY)
            for text, value in items:
                box.addItem(text, value)
            box.currentIndexChanged.connect(lambda _i: self._filter_changed())
            self.filters[key] = box
            return box

        levels = [(lv.name, lv.value) for lv in d.levels] + [(d.unrated_name, None)]
        bar = QHBoxLayout()
        for label, key, items in (
                (d.field("unit").label, "unit", []),
                (d.column_texts["derived"]["kind"], "kind", [(k.short_name, k.key) for k in d.kinds]),
                (d.risk_field("category").label, "category", [(c.name, c.key) for c in d.categories]),
                (d.risk_field("self_level").short_label, "self_level", levels),
                (d.risk_field("approved_level").short_label, "approved_level", levels)):
            bar.addWidget(QLabel(label + "："))
            bar.addWidget(combo(key, items))
        self.search = QLineEdit(placeholderText="搜索风险点、措施、姓名", clearButtonEnabled=True)
        self.search.textChanged.connect(lambda _t: self._filter_changed())
        self.differs = QCheckBox("只看审定与自评不同")
        self.differs.toggled.connect(lambda _c: self._filter_changed())
        bar.addWidget(self.search, 1)
        bar.addWidget(self.differs)
        self.count_label = QLabel()
        self.total = 0
        self.counts_model = CountsModel(self)
        self.counts_view = QTableView()
        self.counts_view.setModel(self.counts_model)
        self.counts_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.counts_level = QComboBox()  # 全部 or one value of the basis (filled by _fill_counts_values)
        self.counts_level.currentIndexChanged.connect(lambda _i: self._counts_value_chosen())
        self._fill_counts_values()
        counts_bar = QHBoxLayout()
        counts_bar.addWidget(QLabel("各单位 × 类别的风险点数（颜色越深越多；鼠标停在格上看各项的个数）："))
        counts_bar.addWidget(self.counts_level)
        counts_bar.addStretch(1)
        counts_page = QWidget()
        counts_layout = QVBoxLayout(counts_page)
        counts_layout.setContentsMargins(0, 0, 0, 0)
        counts_layout.addLayout(counts_bar)
        counts_layout.addWidget(self.counts_view)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.summary_view)
        splitter.addWidget(counts_page)
        splitter.setSizes([500, 200])
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addLayout(bar)
        layout.addWidget(self.count_label)
        layout.addWidget(splitter, 1)
        self.tabs.addTab(page, "汇总")

    def _build_chart_tab(self):
        self.category_chart = StackedBarChart("")
        self.level1_chart = HorizontalBarChart("", level_colour(definitions().levels[0].value))
        page = QWidget()
        layout = QHBoxLayout(page)
        layout.addWidget(self.category_chart, 1)
        layout.addWidget(self.level1_chart, 1)
        self.tabs.addTab(page, "图表")

    def _build_compare_tab(self):
        from lianzheng_desktop.ui.year_compare_view import YearCompareView

        self.compare_view = YearCompareView(self.store, self)
        self.compare_view.open_form.connect(self.open_compared)
        self.compare_tab = self.tabs.addTab(self.compare_view, "年度对照")
        self.tabs.currentChanged.connect(lambda index: index == self.compare_tab and self.compare_view.refresh())

    def _build_assessment_tab(self):
        from lianzheng_desktop.ui.assessment_tab import AssessmentTab

        self.assessment_tab = AssessmentTab(self, self.store, lambda: self.year)
        self.assessment_tab.message.connect(lambda text: self.statusBar().showMessage(text, 10000))
        self.tabs.addTab(self.assessment_tab, "考核")
        self.tabs.currentChanged.connect(lambda _i: self.tabs.currentWidget() is self.assessment_tab
                                         and self.assessment_tab.result is None and self.assessment_tab.compute())

    # -- data --------------------------------------------------------------------

    def set_basis(self, basis: str) -> None:
        """Count and chart by 自评, 审定 or their differences; 差异 also keeps only the
        points whose 审定 differs, so the rows shown are the ones counted."""
        if basis == self.basis:
            return
        self.basis = basis
        self.basis_buttons[basis].setChecked(True)
        self.differs.blockSignals(True)
        self.differs.setChecked(basis == level_basis.DIFFERS)
        self.differs.blockSignals(False)
        self.reload()

    def set_year(self, year: int) -> None:
        if year != self.year:
            self.year = year
            self.reload()

    def reload(self) -> None:
        d = definitions()
        years = sorted(set(self.store.years()) | {self.year}, reverse=True)
        self.year_box.blockSignals(True)
        self.year_box.clear()
        for year in years:
            self.year_box.addItem(f"{year} 年度", year)
        self.year_box.setCurrentIndex(self.year_box.findData(self.year))
        self.year_box.blockSignals(False)
        self.assessment_tab.forget()  # scored again when the 考核 tab is next shown
        standings = reminding.standings(self.store, self.year)
        self.report_model.load(standings.rows)
        self.fit_report_columns()
        self.report_summary.setText(standings.line)
        self.deadline_label.setText(standings.deadline_line)
        if standings.deadline:
            self.deadline_edit.setDate(QDate.fromString(standings.deadline, "yyyy-MM-dd"))
        units = self.store.units(self.year)
        unit_box = self.filters["unit"]
        current = unit_box.currentData()
        unit_box.blockSignals(True)
        unit_box.clear()
        unit_box.addItem("全部", ANY)
        for unit in units:
            unit_box.addItem(unit, unit)
        unit_box.setCurrentIndex(max(0, unit_box.findData(current)))
        unit_box.blockSignals(False)
        self.total = sum(summary.counts(self.store, SummaryQuery(self.year)).values())
        self._filter_changed()
        self.compare_view.set_year(self.year, years)
        if self.tabs.currentIndex() == self.compare_tab:  # read two years only when looked at
            self.compare_view.refresh()
        self._charts(summary.counts(self.store, SummaryQuery(self.year), self.basis), units, d)

    def fit_report_columns(self) -> None:
        """Every column of 报送情况 but 内容 as wide as its widest text (header included)."""
        model, view = self.report_model, self.report_view
        cell, head = view.fontMetrics(), view.horizontalHeader().fontMetrics()
        pad = 2 * view.style().pixelMetric(view.style().PixelMetric.PM_FocusFrameHMargin) + 8
        for column in range(model.columnCount()):
            if column == ReportModel.STRETCHED:
                continue
            texts = {str(model.data(model.index(row, column)) or "") for row in range(model.rowCount())}
            widest = max([cell.horizontalAdvance(t) for t in texts] + [0])
            view.setColumnWidth(column, max(widest, head.horizontalAdvance(model.headers[column]) + 4) + pad)

    def refresh_levels(self) -> None:
        """The committee's review changed a 审定: the rows, counts and charts read it again
        (the reporting status and the year comparison are as they were)."""
        self._filter_changed()
        self._charts(summary.counts(self.store, SummaryQuery(self.year), self.basis), self.store.units(self.year),
                     definitions())

    def summary_query(self) -> SummaryQuery:
        """The query the filter bar describes."""
        return SummaryQuery(self.year, {key: self.filters[key].currentData() for key in CRITERIA},
                            self.search.text(), self.differs.isChecked())

    def _filter_changed(self):
        query = self.summary_model.with_order(self.summary_query())
        selection = summary.select(self.store, query, self.basis)
        self.summary_model.load(self.store, query, selection.ids)
        self.count_label.setText(f"共 {len(selection.ids)} 个风险点（全部 {self.total} 个）")
        basis_changed = self.counts_model.basis != self.basis
        self.counts_model.load(selection.counts, self.basis)
        if basis_changed:
            self._fill_counts_values()

    def _fill_counts_values(self) -> None:
        """The counts' value chooser: 全部, then each value of the basis (一级 … / 调高 …)."""
        box, model = self.counts_level, self.counts_model
        box.blockSignals(True)
        box.clear()
        box.addItem("全部", -1)  # the data: the value's position (a value's key may be None: 未定级)
        for i, value in enumerate(model.values):
            box.addItem(value.name, i)
        keys = [v.key for v in model.values]
        box.setCurrentIndex(keys.index(model.value) + 1 if model.value in keys else 0)
        box.blockSignals(False)

    def _counts_value_chosen(self) -> None:
        i = self.counts_level.currentData()
        if i is not None:
            self.counts_model.show_value(CountsModel.ALL if i < 0 else self.counts_model.values[i].key)

    def _charts(self, table: dict, units: list[str], d) -> None:
        """By category, one segment per value of the basis; and by unit, the 一级 points
        (by 自评 or 审定) or the points whose 审定 differs."""
        values = level_basis.values(self.basis)
        by_category: Counter = Counter()
        per_unit: Counter = Counter()
        top = d.levels[0]
        for (unit, category, value), n in table.items():
            by_category[category, value] += n
            if self.basis == level_basis.DIFFERS or value == top.value:
                per_unit[unit] += n
        series = [(v.name, QColor(v.colour), [by_category[c.key, v.key] for c in d.categories]) for v in values]
        name = level_basis.basis_name(self.basis)
        if self.basis == level_basis.DIFFERS:
            self.category_chart.title = "审定与自评不同的风险点：按类别"
            self.level1_chart.title = "审定与自评不同的风险点：按单位"
            self.level1_chart.colour = QColor(values[0].colour)
        else:
            self.category_chart.title = f"风险点：按类别和{name}等级"
            self.level1_chart.title = f"{top.name}风险（{name}）：按单位"
            self.level1_chart.colour = level_colour(top.value)
        self.category_chart.set_data([c.name for c in d.categories], series)
        self.level1_chart.set_data([(unit, per_unit[unit]) for unit in units])

    # -- actions -------------------------------------------------------------------

    def import_dialog(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, "导入数据包", "", "登记表数据包 (*.lzfk)")
        if names:
            self.import_paths([Path(n) for n in names])

    def enter_word(self, *, folder: bool, paths: list[Path] | None = None, unit: str | None = None):
        """代录入: a department's Word files entered for it (ui/word_import.py)."""
        from lianzheng_desktop.ui import word_import

        if self.refuse_if_read_only("代录入 Word 文件"):
            return None
        paths = paths or word_import.choose_paths(self, "代录入 Word 文件", folder=folder)
        return word_import.enter_for_committee(self, paths, unit) if paths else None

    def refuse_if_read_only(self, title: str) -> bool:
        if self.session.read_only:
            QMessageBox.information(self, title, f"{self.read_only_banner.text()}")
        return self.session.read_only

    def import_paths(self, paths: list[Path]) -> list[str]:
        """Import packages (folders are searched for *.lzfk) under a progress dialog; the
        results show above the table and, for several packages, a refusal or notes (a first
        key pinned, an unsigned package), in a message."""
        if self.refuse_if_read_only("导入数据包"):
            return []

        def confirm(planned: ops.PlannedImport) -> bool:
            return ask.confirm_list(self, "更新的数据包", planned.head, planned.changes, planned.ASK)

        def decide_key(planned: ops.PlannedImport) -> bool:
            assert planned.plan is not None
            return ask.confirm(self, f"{planned.plan.package.unit} 的签名密钥变了", planned.key_question())

        if len(ops.package_files(paths)) > 1:
            results = progress.run(self, "导入数据包", lambda report: ops.import_packages(
                self.store, paths, confirm, report, decide_key))
            cancelled = results is None
            results = results or []
        else:
            results, cancelled = ops.import_packages(self.store, paths, confirm, decide_key=decide_key), False
        for done in results:
            if done.year:
                self.year = done.year
        self.reload()
        messages = [done.message for done in results] + (["已取消：其余的数据包没有导入"] if cancelled else [])
        if messages:
            ok = sum(done.ok for done in results)
            refused = len(results) - ok
            head = f"{len(results)} 个数据包：{ok} 个已导入" + (f"，{refused} 个未导入" if refused else "")
            self.show_banner(head if len(messages) > 1 else messages[0], error=bool(refused or cancelled))
            self.statusBar().showMessage(messages[-1], 10000)
            if len(messages) > 1 or refused or "\n" in messages[0]:
                ask.inform_list(self, "导入数据包", head + "：", messages)
        return messages

    def show_banner(self, text: str, *, error: bool = False) -> None:
        """A result where the user is looking: above the 报送情况 table."""
        colour = "#fde7e9; border: 1px solid #b3261e" if error else "#e6f4ea; border: 1px solid #1e7b34"
        self.banner.setStyleSheet(f"background: {colour}; padding: 6px; border-radius: 3px;")
        self.banner.setText(text)
        self.banner.show()
        self.tabs.setCurrentIndex(0)

    def dragEnterEvent(self, event):
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event):
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            if all(p.is_file() and p.suffix.lower() in (word.DOCX, *word.OLD_FORMATS) for p in paths):
                self.enter_word(folder=False, paths=paths)  # Word files dropped: 代录入
            else:
                self.import_paths(paths)

    def import_unit_list(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "导入单位名单", "", "单位名单 (*.txt *.csv *.xlsx)")
        if name:
            self.load_unit_list(Path(name))

    def load_unit_list(self, path: Path) -> list[str]:
        if self.refuse_if_read_only("导入单位名单"):
            return []
        try:
            units = ops.load_unit_list(self.store, self.year, path)
        except (UnitListRejected, StoreError) as exc:
            QMessageBox.warning(self, "导入单位名单", str(exc))
            return []
        self.reload()
        self.statusBar().showMessage(f"{self.year} 年度名单：{len(units)} 个单位", 8000)
        return units

    def edit_unit_list(self) -> None:
        if self.refuse_if_read_only("编辑单位名单"):
            return
        current = ops.unit_list_text(self.store, self.year)
        text, ok = QInputDialog.getMultiLineText(
            self, "编辑单位名单", f"{self.year} 年度应报送的单位（每行一个；联系人、电话可写在单位后，"
            "用逗号隔开）：", current)
        if ok:
            try:
                ops.set_unit_list(self.store, self.year, text)
            except (UnitListRejected, StoreError) as exc:
                QMessageBox.warning(self, "编辑单位名单", str(exc))
                return
            self.reload()

    def selected_report(self):
        index = self.report_view.currentIndex()
        return self.report_model.rows[index.row()].report if index.isValid() else None

    def apply_deadline(self, day: str | None) -> str | None:
        """Set (or, None, clear) the year's 截止日期; the status shows on time / late at once."""
        if self.refuse_if_read_only("截止日期"):
            return None
        try:
            set_deadline(self.store, self.year, day)
        except StoreError as exc:
            QMessageBox.warning(self, "截止日期", str(exc))
            return None
        self.reload()
        message = f"{self.year} 年度截止日期：{day}" if day else f"已清除 {self.year} 年度的截止日期"
        self.statusBar().showMessage(message, 8000)
        return message

    def eventFilter(self, watched, event):
        if (watched is self.deadline_edit and event.type() == QEvent.Type.KeyPress
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.deadline_set.isEnabled()):
            self.deadline_set.click()
            return True
        return super().eventFilter(watched, event)

    def focus_deadline(self) -> None:
        self.tabs.setCurrentIndex(0)
        self.deadline_edit.setFocus()

    def show_reminders(self):
        from lianzheng_desktop.ui.reminder_dialog import ReminderDialog

        self.reminder_dialog = ReminderDialog(self.store, self.year, self, read_only=self.session.read_only)
        self.reminder_dialog.finished.connect(lambda _r: self.reload())
        self.reminder_dialog.show()
        return self.reminder_dialog

    def show_assessment(self):
        self.tabs.setCurrentWidget(self.assessment_tab)

    def show_help(self):
        from lianzheng_desktop.ui.dialogs import HelpDialog

        self.help_dialog = HelpDialog(self)
        self.help_dialog.browser.find("九、校纪委")  # the committee's part of the guide
        self.help_dialog.show()
        return self.help_dialog

    def about(self) -> None:
        from lianzheng_desktop.ui.dialogs import about_html

        QMessageBox.about(self, "关于", about_html(__version__, self.db_path))

    def print_book(self) -> bool:
        """The year's forms as one bound volume (汇编): the unit selected in 报送情况, or
        every unit in the order of the unit list."""
        from lianzheng_desktop.operations.printing import committee_volume, year_forms
        from lianzheng_desktop.ui.print_actions import print_volume

        row = self.selected_report()
        unit = None
        if row is not None and row.packages and ask.choose(
                self, "打印汇编", f"打印哪些单位的 {self.year} 年度登记表？",
                f"只打印“{row.unit}”", "全部单位（按单位名单顺序）", icon=QMessageBox.Icon.Question):
            unit = row.unit
        forms = year_forms(self.store, self.year, unit)
        if not forms:
            QMessageBox.information(self, "打印汇编", f"{self.year} 年度还没有收到表格。")
            return False
        who = unit or f"全部 {len({f.unit for f in forms})} 个单位"
        title = f"{self.year} 年度{who}登记表汇编（{len(forms)} 张）"
        return print_volume(self, title,
                            lambda choice, report, one_file: committee_volume(
                                self.store, self.year, unit, choice, report, one_file),
                            f"{self.year}_{unit or '全部单位'}_廉政风险防控登记表汇编.pdf")

    def save_receipt(self) -> None:
        row = self.selected_report()
        if row is None or not row.packages:
            QMessageBox.information(self, "生成回执", "请先在“报送情况”中选中一个已报送的单位。")
            return
        suggested = ops.receipt_file_name(self.store, row.unit, self.year) or ""
        name, _ = QFileDialog.getSaveFileName(self, "生成回执", suggested, "回执 (*.lzhz)")
        if not name:
            return
        try:
            path = ops.write_receipt(self.store, row.unit, self.year, Path(name))
        except (StoreError, KeyRefused, OSError) as exc:
            QMessageBox.critical(self, "生成回执", f"无法生成回执：{getattr(exc, 'strerror', None) or exc}")
            return
        self.statusBar().showMessage(f"已生成回执 {path}", 8000)

    def undo_supersede(self) -> str | None:
        """Make the package the selected unit's current one superseded current again."""
        if self.refuse_if_read_only("撤销取代"):
            return None
        row = self.selected_report()
        if row is None or not row.packages:
            QMessageBox.information(self, "撤销取代", "请先在“报送情况”中选中一个已报送的单位。")
            return None
        try:
            undo = ops.plan_undo(self.store, row.unit, self.year)
        except StoreError as exc:
            QMessageBox.information(self, "撤销取代", str(exc))
            return None
        if not ask.confirm(self, "撤销取代", ops.undo_question(undo)):
            return None
        try:
            message = ops.undo_last_supersede(self.store, row.unit, self.year).message
        except StoreError as exc:
            QMessageBox.warning(self, "撤销取代", str(exc))
            return None
        self.reload()
        self.statusBar().showMessage(message, 10000)
        return message

    def show_keys(self):
        from lianzheng_desktop.ui.keys_dialog import CommitteeKeysDialog

        dialog = CommitteeKeysDialog(self.store, self.year, self, read_only=self.session.read_only)
        dialog.exec()
        self.reload()

    def export_excel(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "导出Excel汇总", f"{self.year}_廉政风险防控汇总.xlsx",
                                              "Excel 工作簿 (*.xlsx)")
        if name:
            scored = self.assessment_tab.result or True
            try:  # the year before's comparison (cancellable) and the 考核 scores (the tab's, if it has them)
                written = progress.run(self, "导出Excel汇总", lambda report: ops.export_summary(
                    self.store, Path(name), self.year, report, assessment=scored))
            except OSError as exc:
                QMessageBox.critical(self, "导出Excel汇总", f"无法写入：{exc.strerror or exc}")
                return
            if written is None:
                self.statusBar().showMessage("已取消导出Excel汇总，没有写入文件", 8000)
                return
            if written.cut:
                QMessageBox.information(self, "导出Excel汇总", written.message)
            self.statusBar().showMessage(written.message, 8000)

    def export_quality(self):
        """Every unit's points through the quality rules (with progress and 取消), shown
        unit by unit, most findings first; the workbook is saved from the view."""
        from lianzheng_desktop.ui.quality_dialog import show_quality

        self.quality_dialog = show_quality(self, self.store, self.year)
        return self.quality_dialog

    def verify_code(self) -> str:
        message = verify_code(self.store, self.code_edit.text()).message
        QMessageBox.information(self, "核对校验码", message)
        return message

    def open_compared(self, form_id: str, point_id: str = "") -> FormViewer | None:
        """A form from the 年度对照, with 对照去年 on and the changed point selected."""
        form = self.store.get(form_id)
        if form is None:
            return None
        viewer = FormViewer(self.store, form, self)
        viewer.show()
        viewer.editor.show_last_year(True)
        for index, risk in enumerate(form.risks):
            if risk.id == point_id:
                viewer.editor.focus_path(("risks", index, "point"))
        return viewer

    def open_row(self, index):
        """A risk point's form opened: the review of its unit, at that form."""
        row = self.summary_model.data(index, ROW)
        form = self.store.get(row.form_id) if row else None
        if form is None:
            return None
        return self.open_review(form.unit, form.id)

    def review_selected(self):
        row = self.selected_report()
        if row is None or not row.packages:
            QMessageBox.information(self, "审核", "请先在“报送情况”中选中一个已报送的单位。")
            return None
        return self.open_review(row.unit)

    def open_review(self, unit: str, form_id: str | None = None):
        from lianzheng_desktop.ui.review_view import ReviewDialog

        try:
            dialog = ReviewDialog(self.store, unit, self.year, form_id=form_id, read_only=self.session.read_only,
                                  parent=self)
        except StoreError as exc:
            QMessageBox.information(self, "审核", str(exc))
            return None
        dialog.reviewed.connect(self.refresh_levels)
        dialog.finished.connect(lambda _r: self.reload())
        dialog.show()
        return dialog
