"""A submission must have content (issue 11, situations 3 and 8): export refuses empty forms,
post forms without a point and points with a level but no text; messages number points as
the table does; the committee applies the same rules to what it imported."""

import datetime as dt
from pathlib import Path

import pytest

from lianzheng_desktop.domain.crosscheck import check_forms
from lianzheng_desktop.domain.demo import demo_forms
from lianzheng_desktop.domain.model import Form, RiskPoint
from lianzheng_desktop.domain.validation import validate
from lianzheng_desktop.exchange.package import build_package
from lianzheng_desktop.operations import committee, sending
from lianzheng_desktop.store import FormStore


def empty_pair(unit="财务处"):
    return [Form(kind="unit", year=2026, unit=unit), Form(kind="post", year=2026, unit=unit, person="王强")]


def errors(problems):
    return [p.message for p in problems if p.is_error]


def test_an_empty_unit_form_and_an_empty_post_form_are_not_a_submission(tmp_path):
    store = FormStore.open(tmp_path / "unit.db")
    store.save_all(empty_pair())
    check = sending.check_export(store, 2026)
    assert not check.allowed
    assert "单位登记表是空的：还没有填写任何内容" in errors(check.problems)
    assert "岗位登记表（王强）是空的：还没有填写任何内容" in errors(check.problems)
    with pytest.raises(ValueError):
        sending.export_package(store, check, tmp_path)
    assert not list(tmp_path.glob("*.lzfk"))
    store.close()


def test_a_post_form_without_points_and_a_level_without_text_are_errors_that_lead_there():
    unit, post = demo_forms("财务处", posts=1)
    post.risks = [RiskPoint("duty", "", 1, None, "")]  # 自评 一级 and nothing else
    problems = check_forms([unit, post])
    found = [p for p in problems if p.is_error]
    messages = [p.message for p in found]
    assert any("没有风险点：至少要填写 1 个风险点" in m for m in messages), messages
    level_only = next(p for p in found if "有自评等级，但没有填写具体风险点" in p.message)
    assert "岗位职责风险第1个风险点" in level_only.message
    assert level_only.form_id == post.id and level_only.path == ("risks", 0, "point")
    # the error says it; no warning repeats it for the same place
    assert not [p for p in problems if not p.is_error and (p.form_id, p.path) == (post.id, ("risks", 0, "point"))]


def test_messages_number_points_per_category_as_the_table_does():
    form = demo_forms("财务处", posts=0)[0]
    form.risks = [RiskPoint("thought", "甲", 2, None, "措施"), RiskPoint("duty", "乙", 2, None, "措施"),
                  RiskPoint("duty", "丙", None, None, "措施"), RiskPoint("process", "", 3, None, "措施")]
    warnings = [p.message for p in validate(form) if not p.is_error]
    assert "岗位职责风险第2个风险点还没有自评等级" in warnings  # the table shows it as 2. of 岗位职责风险
    assert not any("第3个风险点" in m for m in warnings)  # not its place in the whole form
    assert any("工作流程风险第1个风险点有自评等级" in m for m in errors(check_forms([form])))


def test_a_date_outside_the_year_is_a_warning():
    form = demo_forms("财务处", posts=0)[0]
    form.filled_on = dt.date(2025, 3, 1)
    assert "填表日期2025-03-01不在 2026 年度内，请核对填表日期或年度" in [p.message for p in validate(form)]


def test_the_committee_shows_forms_and_points_and_flags_an_incomplete_package(tmp_path):
    """Packages an older program exported without the content check."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.lzfk").write_bytes(build_package(empty_pair("财务处")))
    (inbox / "b.lzfk").write_bytes(build_package(demo_forms("图书馆", posts=3)))
    store = FormStore.open(tmp_path / "committee.db")
    for path in sorted(inbox.iterdir()):
        assert committee.apply_package(store, committee.plan_package(store, path)).ok
    rows, line = committee.report(store, 2026)
    by_unit = {r.unit: r for r in rows}
    assert by_unit["财务处"].incomplete and by_unit["财务处"].points == 0 and by_unit["财务处"].forms == 2
    library = by_unit["图书馆"]
    assert not library.incomplete and library.forms == 4
    assert library.points == sum(1 for f in demo_forms("图书馆", posts=3) for r in f.risks if r.point)
    assert "其中 1 个单位的数据包不完整" in line
    store.close()


def test_the_committee_window_marks_the_incomplete_unit(qtbot, tmp_path, monkeypatch):
    from lianzheng_desktop.store.session import Session
    from lianzheng_desktop.ui import workbench
    from lianzheng_desktop.ui.workbench import WorkbenchWindow

    package = tmp_path / "a.lzfk"
    package.write_bytes(build_package(empty_pair("财务处")))
    store = FormStore.open(tmp_path / "committee.db")
    window = WorkbenchWindow(Session(store, Path(tmp_path / "committee.db"), None))
    qtbot.addWidget(window)
    monkeypatch.setattr(workbench.QMessageBox, "information", lambda *a: None)
    window.import_paths([package])
    model = window.report_model
    shown = [model.index(0, c).data() for c in range(model.columnCount())]
    from lianzheng_desktop.ui.workbench_models import ReportModel

    assert shown[ReportModel.STATUS] == "已报送（不完整）"
    assert shown[ReportModel.FORMS] == 2 and shown[ReportModel.POINTS] == 0
    assert "是空的" in shown[ReportModel.CONTENT]
    store.close()


def test_double_clicking_a_problem_in_the_export_check_opens_the_form_there(qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QDialog

    from lianzheng_desktop.store.session import Session
    from lianzheng_desktop.ui import dialogs
    from lianzheng_desktop.ui.mainwindow import MainWindow
    from lianzheng_desktop.ui.risk_model import POINT

    path = tmp_path / "unit.db"
    store = FormStore.open(path)
    forms = demo_forms("财务处", posts=1)
    forms[1].risks = [RiskPoint("duty", "报销审核不严", 2, None, "双人审核"), RiskPoint("duty", "", 1, None, "")]
    store.save_all(forms)
    window = MainWindow(Session(store, path, None))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    seen = {}

    def exec_(dialog):
        items = [dialog.list.item(i) for i in range(dialog.list.count())]
        seen["go"] = dialog.go.isEnabled()
        seen["text"] = [i.text() for i in items]
        target = next(i for i in items if "岗位职责风险第2个风险点" in i.text())
        dialog.list.itemActivated.emit(target)  # a double click
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(dialogs.ExportCheckDialog, "exec", exec_)
    assert window.sending.export_package() is None
    assert not seen["go"]
    editor = window.current_editor()
    assert editor is not None and editor.form.id == forms[1].id
    view = editor.views["duty"]
    qtbot.waitUntil(view.hasFocus, timeout=2000)
    assert (view.currentIndex().row(), view.currentIndex().column()) == (1, POINT)
    window.close()
    store.close()


def test_a_level_without_its_point_is_not_counted_as_a_risk():
    from lianzheng_desktop.domain.rows import level_counts, risk_rows

    form = demo_forms("财务处", posts=0)[0]
    form.risks = [RiskPoint("duty", "报销审核不严", 2, None, "双人审核"), RiskPoint("duty", "", 1, None, "")]
    assert [(r.point, r.number) for r in risk_rows([form])] == [("报销审核不严", 1)]
    assert level_counts(form)[1] == 0
