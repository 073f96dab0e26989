"""The committee's desk in the workbench (issue 16): menu bar, deadline and 报送情况,
催报 dialog, 考核 tab, counts per level, round chart ticks, column widths."""

import itertools
import math
import re
from pathlib import Path

import pytest
from committee_year import YEAR, make_year
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QHeaderView, QMessageBox

from lianzheng_desktop.operations import reminding
from lianzheng_desktop.store import FormStore
from lianzheng_desktop.store.session import Session
from lianzheng_desktop.ui import workbench
from lianzheng_desktop.ui.charts import round_ticks
from lianzheng_desktop.ui.workbench import WorkbenchWindow
from lianzheng_desktop.ui.workbench_models import ReportModel


@pytest.fixture
def bench(qtbot, tmp_path):
    store = FormStore.open(tmp_path / "committee.db")
    make_year(store, tmp_path)
    window = WorkbenchWindow(Session(store, Path(tmp_path / "committee.db"), None))
    qtbot.addWidget(window)
    window.resize(1366, 740)
    window.show()
    yield window
    store.close()


def shown(model, column):
    return {model.rows[i].unit: model.index(i, column).data() for i in range(model.rowCount())}


def test_the_menu_bar_has_file_report_and_help_with_guide_and_about(bench, monkeypatch):
    menus = {a.text(): a.menu() for a in bench.menuBar().actions()}
    assert list(menus) == ["文件(&F)", "报送(&R)", "帮助(&H)"]
    items = {m: [a.text() for a in menu.actions() if a.text()] for m, menu in menus.items()}
    assert "导入数据包…" in items["文件(&F)"] and "导出Excel汇总…" in items["文件(&F)"]
    assert items["报送(&R)"] == ["设置截止日期…", "催报名单…", "审核…", "质量检查…", "考核表…"]
    assert {"撤销取代…", "编辑单位名单…", "生成回执…"} <= set(items["文件(&F)"])  # not on the toolbar: here
    assert items["帮助(&H)"] == ["使用说明", "关于"]
    bench.act_help.trigger()
    assert "校纪委" in bench.help_dialog.browser.toPlainText()
    assert bench.help_dialog.browser.textCursor().selectedText() == "九、校纪委"  # opened at the committee's part
    bench.help_dialog.close()
    about = []
    monkeypatch.setattr(QMessageBox, "about", lambda parent, title, text: about.append((title, text)))
    bench.act_about.trigger()
    assert about and about[0][0] == "关于" and "廉政风险防控登记" in about[0][1]


def test_the_clerk_sets_a_deadline_and_sees_who_is_late(bench, qtbot):
    from PySide6.QtCore import QDate

    bench.apply_deadline(None)
    assert "还没有设截止日期" in bench.deadline_label.text()
    assert set(shown(bench.report_model, ReportModel.TIMELINESS).values()) <= {"已报送", "未报送"}
    bench.deadline_edit.setDate(QDate(2026, 11, 30))
    qtbot.keyClick(bench.deadline_edit, Qt.Key.Key_Return)  # Enter in the field sets it, as the button does
    timely = shown(bench.report_model, ReportModel.TIMELINESS)
    assert timely["图书馆"] == "按时" and timely["人事处"] == "按时"
    assert timely["财务处"] == "逾期 2 天"
    assert re.fullmatch(r"未报送|逾期未报送 \d+ 天", timely["教务处"])  # depends on today
    assert bench.deadline_label.text().startswith("截止日期 2026-11-30")
    assert "按时 2，逾期 1，未报送 1" in bench.deadline_label.text()
    content = shown(bench.report_model, ReportModel.CONTENT)
    assert content["图书馆"] == "完整" and "不合要求" in content["人事处"]
    points = shown(bench.report_model, ReportModel.POINTS)
    assert points["图书馆"] > 0 and points["教务处"] == ""


def test_the_summary_line_agrees_with_the_table(bench):
    line = bench.report_summary.text()
    statuses = shown(bench.report_model, ReportModel.STATUS).values()
    reported = sum(s.startswith("已报送") for s in statuses)
    missing = sum(s == "未报送" for s in statuses)
    assert f"已报送 {reported}，" in line and f"未报送 {missing}" in line
    assert (reported, missing) == (3, 1)


def test_the_reminder_list_is_copied_saved_and_logged(bench, tmp_path):
    dialog = bench.show_reminders()
    text = dialog.text.toPlainText()
    assert "教务处" in text and "人事处：内容不完整" in text and "图书馆" not in text
    dialog.copy()
    assert QApplication.clipboard().text() == text
    assert dialog.log.rowCount() == 1 and dialog.log.item(0, 1).text() == "复制"
    assert "已记入催报记录" in dialog.save_excel(tmp_path / "催报.xlsx")
    assert (tmp_path / "催报.xlsx").stat().st_size > 0
    assert dialog.log.rowCount() == 2
    dialog.accept()
    reminded = shown(bench.report_model, ReportModel.REMINDED)
    assert reminded["教务处"] == "2 次" and reminded["图书馆"] == ""
    assert len(reminding.reminder_log(bench.store, YEAR)) == 2


def test_report_columns_fit_their_content_and_the_content_column_takes_the_rest(bench, qtbot):
    qtbot.waitUntil(lambda: bench.report_view.horizontalHeader().length() > 0)
    header = bench.report_view.horizontalHeader()
    model = bench.report_model
    assert header.sectionResizeMode(ReportModel.SIGNATURE) != QHeaderView.ResizeMode.Stretch
    assert header.sectionResizeMode(ReportModel.CONTENT) == QHeaderView.ResizeMode.Stretch
    metrics = bench.report_view.fontMetrics()
    for column in range(model.columnCount()):
        if column == ReportModel.CONTENT:
            continue
        widest = max([metrics.horizontalAdvance(str(model.index(r, column).data() or ""))
                      for r in range(model.rowCount())] + [metrics.horizontalAdvance(model.headers[column])])
        assert header.sectionSize(column) >= widest, model.headers[column]  # nothing cramped
    signature = header.sectionSize(ReportModel.SIGNATURE)
    assert signature < 2 * metrics.horizontalAdvance("未签名（旧格式）")  # not stretched


def test_counts_show_one_number_per_cell_for_the_chosen_level(bench):
    bench.tabs.setCurrentIndex(1)
    counts = bench.counts_model
    rows = bench.summary_model.rows()
    library = counts.units.index("图书馆")
    total = counts.index(library, counts.columnCount() - 1).data()
    assert isinstance(total, int) and total == sum(r.unit == "图书馆" for r in rows)
    assert "/" not in str(counts.index(library, 0).data())
    first = counts.categories[0]
    bench.counts_level.setCurrentIndex(bench.counts_level.findText("一级"))
    assert counts.index(library, 0).data() == sum(r.unit == "图书馆" and r.category == first and r.self_level == 1
                                                  for r in rows)
    tip = counts.index(library, 0).data(3)  # ToolTipRole
    assert "一级" in tip and "二级" in tip and "三级" in tip


@pytest.mark.parametrize("peak", [0, 1, 3, 7, 12, 48, 101, 999, 12345])
def test_round_ticks_step_by_1_2_or_5_times_a_power_of_ten(peak):
    ticks = round_ticks(peak)
    step = ticks[1] - ticks[0]
    assert ticks[0] == 0 and ticks[-1] >= peak and len(ticks) <= 6
    assert all(b - a == step for a, b in itertools.pairwise(ticks))
    assert step / 10 ** math.floor(math.log10(step)) in (1, 2, 5)


def test_the_chart_axis_is_drawn_with_round_ticks(bench):
    bench.tabs.setCurrentIndex(2)
    bench.category_chart.grab()
    assert bench.category_chart.ticks == round_ticks(max(bench.category_chart.totals()))
    assert bench.category_chart.ticks != [0, 1, 3, 4, 6, 7]


def test_the_assessment_tab_scores_every_unit_and_exports_the_sheets(bench, tmp_path, monkeypatch):
    bench.show_assessment()
    model = bench.assessment_tab.model
    assert [a.unit for a in model.rows] == ["图书馆", "财务处", "人事处", "教务处"]
    total = model.columnCount() - 3
    assert float(model.index(0, total).data()) == model.rows[0].total > 0
    assert "暂无数据" in [model.index(0, c).data() for c in range(model.columnCount())]
    bench.assessment_tab.view.selectRow(1)
    done = bench.assessment_tab.export(tmp_path / "考核.pdf")
    assert done.units == 1 and (tmp_path / "考核.pdf").read_bytes().startswith(b"%PDF")
    monkeypatch.setattr(workbench.QMessageBox, "information", lambda *a: None)
    bench.assessment_tab.view.clearSelection()
    assert bench.assessment_tab.print_selected() is None  # nothing selected: says so, prints nothing


def test_the_excel_summary_reuses_the_scored_assessment(bench, tmp_path, monkeypatch):
    from openpyxl import load_workbook
    from PySide6.QtWidgets import QFileDialog

    from lianzheng_desktop.operations import assessment

    bench.show_assessment()
    scored = bench.assessment_tab.result
    monkeypatch.setattr(assessment, "assess_year", lambda *a, **k: pytest.fail("scored again"))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "汇总.xlsx"), ""))
    bench.export_excel()
    rows = list(load_workbook(tmp_path / "汇总.xlsx")["考核"].iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == [a.unit for a in scored.units]
    assert rows[1][rows[0].index("得分")] == scored.units[0].total


def test_printing_a_sheet_uses_the_scores_shown(bench, tmp_path, monkeypatch):
    from lianzheng_desktop.operations import assessment
    from lianzheng_desktop.ui import printing

    bench.show_assessment()
    monkeypatch.setattr(assessment, "assess_year", lambda *a, **k: pytest.fail("scored again"))
    printed = []
    monkeypatch.setattr(printing, "print_pdf", lambda parent, data, title: printed.append((data, title)) or True)
    bench.assessment_tab.view.selectRow(1)
    assert bench.assessment_tab.print_selected().startswith(b"%PDF")
    assert printed and printed[0][1] == f"{YEAR}年度考核表"
    assert bench.assessment_tab.export(tmp_path / "all.pdf").units == 1  # the selected unit


def test_a_read_only_workbench_shows_the_deadline_but_cannot_change_or_log(qtbot, tmp_path):
    store = FormStore.open(tmp_path / "committee.db")
    make_year(store, tmp_path)
    store.close()
    reader = FormStore.open(tmp_path / "committee.db", read_only=True)
    window = WorkbenchWindow(Session(reader, Path(tmp_path / "committee.db"), None, "只读"))
    qtbot.addWidget(window)
    try:
        assert window.deadline_label.text().startswith("截止日期 2026-11-30")
        assert not window.deadline_set.isEnabled() and not window.act_deadline.isEnabled()
        dialog = window.show_reminders()
        dialog.copy()
        assert "没有记入催报记录" in dialog.head.text()
        assert "没有记入催报记录" in dialog.save_text(tmp_path / "催报.txt")
        assert (tmp_path / "催报.txt").exists() and dialog.log.rowCount() == 0
        dialog.close()
    finally:
        window.close()
        reader.close()


def test_the_reminder_buttons_ask_where_to_save_and_save_there(bench, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    dialog = bench.show_reminders()
    for button, name in ((dialog.text_button, "催报.txt"), (dialog.excel_button, "催报.xlsx")):
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, name=name, **k: (str(tmp_path / name), ""))
        button.click()  # as clicked: the button's checked flag must not be taken for the file
        assert (tmp_path / name).stat().st_size > 0
    dialog.copy_button.click()
    assert [r.how for r in reminding.reminder_log(bench.store, YEAR)] == ["copied", "excel", "text"]
    dialog.close()
