"""Year against year (issue 14 item 4): a year started from the last keeps its points'
ids, and the comparison says exactly which points were added, dropped, re-levelled and
rewritten, which forms are last year's copied unchanged, and warns before export."""

import pytest

from lianzheng_desktop.domain.definitions import definitions
from lianzheng_desktop.domain.demo import demo_forms
from lianzheng_desktop.domain.model import RiskPoint
from lianzheng_desktop.domain.year_compare import ADDED, DROPPED, RELEVELLED, REWRITTEN, compare_unit
from lianzheng_desktop.operations import comparing, years
from lianzheng_desktop.operations.sending import check_export
from lianzheng_desktop.store import FormStore


@pytest.fixture
def store(tmp_path):
    s = FormStore.open(tmp_path / "unit.db")
    s.save_all(demo_forms("财务处", 2025, posts=3))
    years.start_year(s, 2026, 2025)
    yield s
    s.close()


def forms_of(store, year):
    return {(f.kind, f.person): f for f in store.forms(year=year)}


def test_a_year_copied_and_untouched_is_an_unchanged_copy_and_is_warned_of_before_export(store):
    ids = {year: sorted(r.id for f in store.forms(year=year) for r in f.risks) for year in (2025, 2026)}
    assert ids[2026] == ids[2025]  # starting the year from the last kept every point's id
    (result,) = comparing.compare_years(store, 2026, 2025)
    assert result.changes == [] and result.unchanged_copy
    assert "完全相同（照抄去年）" in result.line()
    check = check_export(store, 2026)
    warned = [p for p in check.problems if "复制后没有修改过" in p.message]
    assert len(warned) == len(check.forms) == 4 and not any(p.is_error for p in warned)
    assert {p.form_id for p in warned} == {f.id for f in check.forms}
    form = check.forms[1]
    assert comparing.copy_warning(store, form)[0].form_id == form.id
    form.post_duties += "新增一项职责。"
    assert comparing.copy_warning(store, form) == []  # changed: no longer a copy


def test_each_kind_of_change_is_found_by_point_id(store):
    old = forms_of(store, 2025)
    post = next(f for (kind, _), f in forms_of(store, 2026).items() if kind == "post")
    before = next(f for f in old.values() if f.person == post.person and f.kind == "post")
    duty = post.risks_in("duty")
    duty[0].self_level = 1 if duty[0].self_level != 1 else 2  # re-levelled
    duty[1].measures += "每季度抽查一次。"  # rewritten
    dropped = post.risks_in("system")[0]
    post.risks.remove(dropped)
    post.move_risk("duty", 0, len(duty) - 1, ("thought", "duty", "process", "system", "external"))  # moved only
    post.risks.append(RiskPoint("external", "供应商节日送礼", 2, None, "拒收登记"))  # added
    store.save(post)
    (result,) = comparing.compare_years(store, 2026, 2025)
    assert not result.unchanged_copy
    was = next(r for r in before.risks if r.id == duty[0].id)
    assert [(c.point, c.old_level, c.new_level) for c in result.of(RELEVELLED)] == \
        [(duty[0].point, was.self_level, duty[0].self_level)]
    assert [(c.point, c.fields) for c in result.of(REWRITTEN)] == [(duty[1].point, ("防控措施",))]
    assert [c.point for c in result.of(DROPPED)] == [dropped.point]
    assert [c.point for c in result.of(ADDED)] == ["供应商节日送礼"]
    assert "新增 1 个、删去 1 个、调整等级 1 个、改写 1 个" in result.line()
    assert result.counts["external", 2, 2026] == result.counts["external", 2, 2025] + 1
    one = compare_unit("财务处", 2026, 2025, store.forms(year=2026), store.forms(year=2025))  # the unit's side
    assert one.unchanged_ids == [f.id for f in store.forms(year=2026) if f.id != post.id]
    assert "调整等级（岗位职责风险" in result.of(RELEVELLED)[0].describe()


def test_points_typed_anew_with_last_years_text_are_last_years_points(tmp_path):
    store = FormStore.open(tmp_path / "u.db")
    store.save_all(demo_forms("图书馆", 2025, posts=1))
    again = demo_forms("图书馆", 2025, posts=1)  # filled in again in 2026, not copied: new ids
    for form in again:
        form.id, form.year = RiskPoint("duty").id, 2026
        for risk in form.risks:
            risk.id = RiskPoint("duty").id
    again[0].risks[0].point += "（今年补充）"
    store.save_all(again)
    (result,) = comparing.compare_years(store, 2026, 2025)
    assert [c.change for c in result.changes] == [ADDED, DROPPED]  # the one whose text changed
    store.close()


def test_the_editor_sees_last_years_form_and_points(store):
    form = next(f for f in store.forms(year=2026) if f.kind == "unit")
    gone = form.risks.pop(0)
    form.risks[0].point = "改过的文字"
    found = comparing.last_year(store, form)  # the form as on screen, not saved
    assert found.form is not None and found.form.year == 2025 and found.form.kind == "unit"
    assert found.value("unit_duties") == form.unit_duties
    assert found.points[form.risks[0].id].point != "改过的文字"
    assert [r.id for r in found.dropped] == [gone.id]
    assert "去年有、今年没有的风险点 1 个" in found.note()


def test_a_unit_renamed_since_last_year_is_still_compared(store):
    from lianzheng_desktop.operations.units import rename_unit

    rename_unit(store, 2026, "计划财务处")
    form = store.forms(year=2026)[0]
    assert comparing.last_year(store, form).form is not None
    assert len(comparing.copy_warnings(store, store.forms(year=2026))) == 4


def two_years(path):
    """A committee's database with 2025 and 2026: 图书馆 copied its forms unchanged, 财务处
    changed some points, 人事处 reported only in 2026, 教务处 only in 2025."""
    store = FormStore.open(path)
    for unit in ("图书馆", "财务处", "教务处"):
        store.save_all(demo_forms(unit, 2025, posts=2))
    for unit in ("图书馆", "财务处"):
        forms = [f.copy() for f in store.forms(year=2025, unit=unit)]
        for f in forms:
            f.id, f.year, f.review_opinion, f.leader_opinion = RiskPoint("duty").id, 2026, "", ""
            for r in f.risks:
                r.approved_level = None
        if unit == "财务处":
            forms[0].risks[0].self_level = 1 if forms[0].risks[0].self_level != 1 else 2
            forms[1].risks.append(RiskPoint("external", "供应商节日送礼", 2, None, "拒收登记"))
            forms[1].risks.pop(0)
        store.save_all(forms)
    store.save_all(demo_forms("人事处", 2026, posts=1))
    return store


def test_the_committee_compares_every_unit_and_the_excel_summary_has_it(tmp_path):
    from openpyxl import load_workbook

    from lianzheng_desktop.exchange.summary import COMPARE_DETAIL_SHEET, COMPARE_SHEET
    from lianzheng_desktop.operations.committee import export_summary

    store = two_years(tmp_path / "c.db")
    result = {c.unit: c for c in comparing.compare_years(store, 2026, 2025)}
    assert list(result) == sorted(["人事处", "图书馆", "教务处", "财务处"])
    assert result["图书馆"].unchanged_copy and not result["财务处"].unchanged_copy
    assert [c.change for c in result["财务处"].changes] == [ADDED, DROPPED, RELEVELLED]
    assert "没有 2025 年度的表格" in result["人事处"].line()
    assert "还没有 2026 年度的表格" in result["教务处"].line()

    export_summary(store, tmp_path / "s.xlsx", 2026)
    book = load_workbook(tmp_path / "s.xlsx")
    rows = {r[0]: r for r in book[COMPARE_SHEET].iter_rows(min_row=2, values_only=True)}
    header = [c.value for c in book[COMPARE_SHEET][1]]
    assert header[:8] == ["单位", "上年风险点", "本年风险点", "新增", "删去", "调整等级", "改写", "照抄去年"]
    assert rows["财务处"][3:8] == (1, 1, 1, 0, None)
    assert rows["图书馆"][7] == "是" and rows["图书馆"][3:7] == (0, 0, 0, 0)
    assert rows["人事处"][1] is None and rows["人事处"][2] == sum(len(f.risks) for f in store.forms(year=2026,
                                                                                                   unit="人事处"))
    column = header.index("外部环境风险·二级 增减")
    counts = result["财务处"].counts
    assert rows["财务处"][column] == counts["external", 2, 2026] - counts["external", 2, 2025]
    details = list(book[COMPARE_DETAIL_SHEET].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[1]) for r in details] == [("财务处", "新增"), ("财务处", "删去"), ("财务处", "调整等级")]
    assert details[0][4] == "供应商节日送礼" and details[0][7] == "二级"
    store.close()


def test_the_workbench_shows_the_year_comparison(qtbot, tmp_path):
    from pathlib import Path

    from lianzheng_desktop.store.session import Session
    from lianzheng_desktop.ui.workbench import WorkbenchWindow

    store = two_years(tmp_path / "c.db")
    window = WorkbenchWindow(Session(store, Path(tmp_path / "c.db"), None))
    qtbot.addWidget(window)
    window.show()
    view = window.compare_view
    assert view.units_model.rowCount() == 0  # read when looked at
    window.tabs.setCurrentIndex(window.compare_tab)
    assert view.previous_box.currentData() == 2025
    units = [view.units_model.index(i, 0).data() for i in range(view.units_model.rowCount())]
    assert units == sorted(["人事处", "图书馆", "教务处", "财务处"])
    assert "照抄去年、没有任何改动的单位 1 个：图书馆" in view.overview.text()
    view.units_view.selectRow(units.index("财务处"))
    assert "新增 1 个、删去 1 个、调整等级 1 个、改写 0 个" in view.unit_heading.text()
    changes = [view.changes_model.index(i, 0).data() for i in range(view.changes_model.rowCount())]
    assert changes == ["新增", "删去", "调整等级"]
    cells = [view.counts_model.index(r, c).data() for r in range(5) for c in range(4)]
    assert any("（上年" in cell for cell in cells)
    window.close()
    store.close()


def test_many_unchanged_units_leave_the_comparison_table_on_the_screen(qtbot, tmp_path):
    """Above the table the overview names the first dozen unchanged units only (a thousand
    names would fill the window); all of them are in its tooltip and marked in the table."""
    from pathlib import Path

    from lianzheng_desktop.store.session import Session
    from lianzheng_desktop.ui.workbench import WorkbenchWindow
    from lianzheng_desktop.ui.year_compare_view import UNCHANGED_NAMED

    store = FormStore.open(tmp_path / "c.db")
    names = [f"单位{i:02d}" for i in range(UNCHANGED_NAMED + 3)]
    for unit in names:
        last = demo_forms(unit, 2025, posts=0)
        now = [f.copy() for f in last]
        for f in now:
            f.id, f.year = RiskPoint("duty").id, 2026
        store.save_all(last + now)
    window = WorkbenchWindow(Session(store, Path(tmp_path / "c.db"), None))
    qtbot.addWidget(window)
    window.show()
    window.tabs.setCurrentIndex(window.compare_tab)
    view = window.compare_view
    text = view.overview.text()
    assert f"照抄去年、没有任何改动的单位 {len(names)} 个" in text
    assert all(u in text for u in names[:UNCHANGED_NAMED]) and names[-1] not in text and "等" in text
    assert all(u in view.overview.toolTip() for u in names)
    column = list(definitions().messages["compare_columns"]).index("unchanged")
    assert [view.units_model.index(i, column).data() for i in range(len(names))] == ["是"] * len(names)
    window.close()
    store.close()


def test_the_command_line_prints_the_comparison(tmp_path, capsys):
    from lianzheng_desktop.cli import main

    two_years(tmp_path / "c.db").close()
    db = str(tmp_path / "c.db")
    assert main(["compare", "--db", db, "--year", "2026", "--with", "2025"]) == 0
    out = capsys.readouterr().out
    assert "2026 年度与 2025 年度对照：4 个单位，其中 2 个两年都有表格" in out
    assert "照抄去年、没有任何改动的单位：图书馆" in out
    assert "新增（外部环境风险，岗位登记表" in out and "“供应商节日送礼”" in out
    assert "：自评 " in out and "人事处 没有 2025 年度的表格" in out
    assert main(["compare", "--db", db, "--year", "2026", "--unit", "财务处"]) == 0  # --with: the year before
    out = capsys.readouterr().out
    assert "财务处：新增 1 个、删去 1 个、调整等级 1 个、改写 0 个风险点" in out and "图书馆" not in out
    assert main(["compare", "--db", db, "--year", "2026", "--unit", "无此处"]) == 1
    assert "都没有单位“无此处”" in capsys.readouterr().err
    assert main(["compare", "--db", db, "--year", "2026", "--with", "2026"]) == 2


@pytest.fixture
def unit_window(qtbot, tmp_path):
    from lianzheng_desktop.store.session import Session
    from lianzheng_desktop.ui.mainwindow import MainWindow

    path = tmp_path / "unit.db"
    s = FormStore.open(path)
    s.save_all(demo_forms("财务处", 2025, posts=2))
    years.start_year(s, 2026, 2025)
    window = MainWindow(Session(s, path, None))
    qtbot.addWidget(window)
    window.show()
    window.load_year(2026)
    yield window
    window.close()
    s.close()


def check_texts(window):
    window._refresh_check()
    return [window.check.item(i).text() for i in range(window.check.count())]


def test_the_editor_shows_last_year_beside_each_field_and_point(unit_window):
    from PySide6.QtCore import Qt

    from lianzheng_desktop.ui.risk_model import COLUMNS, POINT

    window = unit_window
    post = next(f for f in window.store.forms(year=2026) if f.kind == "post")
    editor = window.open_form(post.id)
    model = editor.models["duty"]
    assert model.columnCount() == len(COLUMNS)  # off until asked
    editor.last_year_button.click()
    LAST_YEAR = model.last_year_column
    label = editor._last_year_labels["post_duties"]
    assert label.isVisible() and label.text() == "2025 年度：与今年相同"
    assert model.columnCount() == len(COLUMNS) + 1 and "2025 年度" in model.headerData(LAST_YEAR, Qt.Orientation.Horizontal)
    old_text = model.risk(0).point
    assert model.index(0, LAST_YEAR).data().startswith("去年自评：")
    assert "与去年相同" in model.index(0, LAST_YEAR).data()
    model.setData(model.index(0, POINT), "今年重写的风险点")
    assert f"去年：{old_text}" in model.index(0, LAST_YEAR).data()
    assert not model.setData(model.index(0, LAST_YEAR), "x")  # shown, never edited
    editor.add_row("duty")
    assert "新增" in model.index(model.rowCount() - 1, LAST_YEAR).data()
    editor._fields["post_duties"].setPlainText("今年的岗位职责")
    assert label.text().startswith("2025 年度：") and "与今年相同" not in label.text()
    editor.last_year_button.click()
    assert model.columnCount() == len(COLUMNS) and not label.isVisible()


def test_a_form_copied_and_never_touched_is_flagged_in_the_check_pane(unit_window):
    window = unit_window
    texts = check_texts(window)  # no form open: the year's check
    assert sum("复制后没有修改过" in t for t in texts) == 3
    post = next(f for f in window.store.forms(year=2026) if f.kind == "post")
    editor = window.open_form(post.id)
    assert any("复制后没有修改过" in t for t in check_texts(window))
    editor._fields["post_duties"].setPlainText(post.post_duties + "今年新增：负责合同归档。")
    assert not any("复制后没有修改过" in t for t in check_texts(window))


def test_exporting_a_copied_year_lists_the_untouched_forms_before_the_package_is_written(unit_window, monkeypatch):
    from PySide6.QtWidgets import QDialog

    from lianzheng_desktop.ui import dialogs

    shown = []

    def exec_(self):
        shown.extend(self.list.item(i).text() for i in range(self.list.count()))
        return QDialog.DialogCode.Rejected  # 返回修改

    monkeypatch.setattr(dialogs.ExportCheckDialog, "exec", exec_)
    assert unit_window.sending.export_package() is None
    assert sum("复制后没有修改过" in text for text in shown) == 3


def test_the_workbench_exports_excel_with_the_comparison_and_can_cancel_it(qtbot, tmp_path, monkeypatch):
    from pathlib import Path

    from openpyxl import load_workbook
    from PySide6.QtWidgets import QFileDialog

    from lianzheng_desktop.store.session import Session
    from lianzheng_desktop.ui import progress
    from lianzheng_desktop.ui.workbench import WorkbenchWindow

    store = two_years(tmp_path / "c.db")
    window = WorkbenchWindow(Session(store, Path(tmp_path / "c.db"), None))
    qtbot.addWidget(window)
    out = tmp_path / "s.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    window.export_excel()
    assert "年度对照" in load_workbook(out).sheetnames
    out.unlink()
    run = progress.run

    def cancelled(parent, title, work):  # 取消 pressed at the first unit
        return run(parent, title, lambda report: work(lambda *a: False))

    monkeypatch.setattr(progress, "run", cancelled)
    window.export_excel()
    assert not out.exists() and "已取消" in window.statusBar().currentMessage()
    window.close()
    store.close()


def test_a_form_new_this_year_has_nothing_to_compare_with(unit_window):
    from lianzheng_desktop.domain.model import Form
    from lianzheng_desktop.ui.risk_model import COLUMNS

    window = unit_window
    form = Form(kind="post", year=2026, unit="财务处", person="王强", post="仓库管理员")
    window.store.save(form)
    assert comparing.copy_warning(window.store, form) == []
    editor = window.open_form(form.id)
    editor.last_year_button.click()
    assert "2025 年度没有与这张表格对应的表格" in editor.last_year_note.text()
    assert editor.models["duty"].columnCount() == len(COLUMNS)  # no column of nothing
    assert not editor._last_year_labels["post_duties"].isVisible()


def test_a_change_double_clicked_opens_its_form_beside_last_year(qtbot, tmp_path):
    from pathlib import Path

    from lianzheng_desktop.store.session import Session
    from lianzheng_desktop.ui.workbench import WorkbenchWindow

    store = two_years(tmp_path / "c.db")
    window = WorkbenchWindow(Session(store, Path(tmp_path / "c.db"), None))
    qtbot.addWidget(window)
    window.show()
    window.tabs.setCurrentIndex(window.compare_tab)
    view = window.compare_view
    units = [c.unit for c in view.comparisons]
    view.units_view.selectRow(units.index("财务处"))
    opened = []
    view.open_form.connect(lambda form_id, point_id: opened.append(window.open_compared(form_id, point_id)))
    row = [c.change for c in view.changes_model.rows].index(RELEVELLED)
    view.changes_view.doubleClicked.emit(view.changes_model.index(row, 0))
    viewer = opened[0]
    change = view.changes_model.rows[row]
    assert viewer.editor.form.year == 2026 and viewer.editor.last_year_button.isChecked()
    table = viewer.editor.views[change.category]
    assert "今年改了" in table.model().index(table.currentIndex().row(), table.model().last_year_column).data()
    viewer.close()
    window.close()
    store.close()
