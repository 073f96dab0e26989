"""Deadlines and 催报 (issue 16): on time, late and not yet by when the committee received
the first package; the reminder list as text and Excel; the log of reminders sent; and the
line above 报送情况 counting units as the table shows them."""

import datetime as dt
import re

import pytest
from committee_year import DAY, DEADLINE, YEAR, import_unit, make_year

from lianzheng_desktop.cli import main
from lianzheng_desktop.domain.deadlines import LATE, NO_DEADLINE, NOT_YET, ON_TIME, OVERDUE, timeliness
from lianzheng_desktop.domain.demo import demo_forms
from lianzheng_desktop.operations import committee, reminding
from lianzheng_desktop.operations.reporting import set_deadline
from lianzheng_desktop.store import FormStore, StoreError
from lianzheng_desktop.store.migrations import MIGRATIONS
from lianzheng_desktop.store.packages import set_expected_units


@pytest.fixture
def store(tmp_path):
    s = FormStore.open(tmp_path / "committee.db")
    yield s
    s.close()


@pytest.fixture
def year(store, tmp_path):
    """四个单位：图书馆按时，财务处逾期，人事处内容不完整（按时），教务处未报送。"""
    return make_year(store, tmp_path)


def test_deadline_states_are_judged_by_the_day_the_committee_received_the_first_package():
    assert timeliness("2026-11-30T23:59:00+08:00", "2026-11-30", DAY) == ON_TIME  # the deadline day counts
    assert timeliness("2026-12-01T00:01:00+08:00", "2026-11-30", DAY) == LATE
    assert timeliness(None, "2026-11-30", dt.date(2026, 11, 30)) == NOT_YET
    assert timeliness(None, "2026-11-30", dt.date(2026, 12, 1)) == OVERDUE
    assert timeliness("2026-12-01T00:01:00+08:00", None, DAY) == NO_DEADLINE


def test_standings_show_on_time_late_and_not_yet_with_forms_points_and_completeness(year):
    s = reminding.standings(year, YEAR, DAY)
    rows = {r.unit: r for r in s.rows}
    assert {u: r.timeliness for u, r in rows.items()} == {
        "图书馆": ON_TIME, "财务处": LATE, "人事处": ON_TIME, "教务处": OVERDUE}
    assert rows["财务处"].word == "逾期 2 天"
    assert rows["教务处"].word == "逾期未报送 5 天"
    assert rows["人事处"].report.incomplete and not rows["图书馆"].report.incomplete
    assert rows["图书馆"].report.forms == 3 and rows["图书馆"].report.points > 0
    assert rows["图书馆"].contact  # the unit form's 主要负责人
    assert s.deadline_line == "截止日期 2026-11-30（已过 5 天）；按时 2，逾期 1，未报送 1"


def test_a_later_package_does_not_make_an_on_time_unit_late(year, tmp_path):
    forms = demo_forms("图书馆", posts=2)
    forms[0].values["remarks"] = "补充"
    import_unit(year, tmp_path, "图书馆", forms=forms, at="2026-12-04T10:00:00+08:00",
                when=dt.datetime(2026, 12, 4, tzinfo=dt.UTC))
    rows = {r.unit: r for r in reminding.standings(year, YEAR, DAY).rows}
    assert rows["图书馆"].report.packages == 2 and rows["图书馆"].timeliness == ON_TIME


def test_the_deadline_is_checked_and_shown_before_it_passes(year):
    with pytest.raises(StoreError, match="截止日期"):
        set_deadline(year, YEAR, "2026-13-01")
    set_deadline(year, YEAR, "2026-12-10")
    s = reminding.standings(year, YEAR, DAY)
    assert s.deadline_line.startswith("截止日期 2026-12-10（还有 5 天）")
    assert {r.unit: r.timeliness for r in s.rows}["教务处"] == NOT_YET
    set_deadline(year, YEAR, None)
    s = reminding.standings(year, YEAR, DAY)
    assert "还没有设截止日期" in s.deadline_line
    assert {r.timeliness for r in s.rows if r.report.packages} == {NO_DEADLINE}


def test_the_reminder_list_names_the_missing_and_the_incomplete_with_what_they_lack(year):
    found = reminding.reminder_list(year, YEAR, DAY)
    assert [(e.unit, e.situation) for e in found.entries] == [("人事处", "内容不完整"), ("教务处", "逾期未报送")]
    text = found.text()
    assert "报送截止日期为2026年11月30日" in text and "截至2026年12月5日" in text
    line = next(x for x in text.splitlines() if x.startswith("1. 人事处"))
    assert "没有填写风险点" in line or "风险点" in line
    assert "2. 教务处：逾期未报送" in text
    assert "图书馆" not in text and "财务处" not in text  # reported and complete: not reminded


def test_nobody_to_remind_says_so(store, tmp_path):
    set_expected_units(store, YEAR, ["图书馆"])
    import_unit(store, tmp_path, "图书馆")
    found = reminding.reminder_list(store, YEAR, DAY)
    assert found.empty and "没有需要催报的单位" in found.text()


def test_saved_text_and_excel_hold_the_list_and_each_is_logged(year, tmp_path):
    from openpyxl import load_workbook

    found = reminding.reminder_list(year, YEAR, DAY)
    sent = reminding.save_reminder_text(year, found, tmp_path / "催报.txt")
    data = (tmp_path / "催报.txt").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and "2. 教务处：逾期未报送".encode() in data
    reminding.save_reminder_excel(year, found, tmp_path / "催报.xlsx")
    sheet = load_workbook(tmp_path / "催报.xlsx").active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "2026年度廉政风险防控登记表催报名单"
    header = rows.index(next(r for r in rows if r[0] == "序号"))
    assert [r[1:3] for r in rows[header + 1:]] == [("人事处", "内容不完整"), ("教务处", "逾期未报送")]
    assert rows[header + 1][3]  # what 人事处 must add
    reminding.log_reminder(year, found, reminding.COPIED)
    log = reminding.reminder_log(year, YEAR)
    assert [r.how for r in log] == ["copied", "excel", "text"]  # newest first
    assert log[-1].units == [("人事处", "内容不完整"), ("教务处", "逾期未报送")]
    assert log[-1].target == str(tmp_path / "催报.txt") and "教务处" in log[-1].text
    assert sent.message.endswith("已记入催报记录")
    rows = {r.unit: r for r in reminding.standings(year, YEAR, DAY).rows}
    assert rows["教务处"].reminded == 3 and rows["图书馆"].reminded == 0
    again = reminding.reminder_list(year, YEAR, DAY)
    assert again.rows()[2][5] == 3  # 已催报次数 in the Excel columns


def test_the_reminders_log_survives_reopening_and_is_a_migration(tmp_path):
    path = tmp_path / "c.db"
    store = FormStore.open(path)
    assert any(m.__name__.endswith("reminders") for m in MIGRATIONS)
    set_expected_units(store, YEAR, ["教务处"])
    reminding.log_reminder(store, reminding.reminder_list(store, YEAR, DAY), reminding.COPIED)
    store.close()
    store = FormStore.open(path)
    assert [u for r in reminding.reminder_log(store, YEAR) for u, _ in r.units] == ["教务处"]
    assert reminding.reminder_log(store, YEAR - 1) == []
    store.close()


def test_the_summary_line_counts_units_that_sent_updates_as_reported(store, tmp_path):
    """main read "已报送 0，有更新 2，未报送 1" when two units had reported (twice each)."""
    set_expected_units(store, YEAR, ["图书馆", "财务处", "教务处"])
    for unit in ("图书馆", "财务处"):
        forms = demo_forms(unit, posts=2)
        import_unit(store, tmp_path, unit, forms=forms, when=dt.datetime(2026, 11, 20, tzinfo=dt.UTC))
        forms[0].values["remarks"] = "更新"
        import_unit(store, tmp_path, unit, forms=forms, when=dt.datetime(2026, 11, 22, tzinfo=dt.UTC))
    rows, line = committee.report(store, YEAR)
    assert "已报送 2（其中有更新 2），未报送 1" in line
    assert "已报送 0" not in line
    reported = sum(r.packages > 0 for r in rows)
    assert f"已报送 {reported}" in line and f"未报送 {sum(not r.packages for r in rows)}" in line


def test_cli_remind_prints_saves_and_shows_the_status(year, tmp_path, capsys):
    db = str(tmp_path / "committee.db")
    year.close()
    assert main(["remind", "--db", db, "--year", str(YEAR)]) == 0
    assert "教务处：" in capsys.readouterr().out
    assert main(["remind", "--db", db, "--year", str(YEAR), "-o", str(tmp_path / "r.xlsx")]) == 0
    assert "已记入催报记录" in capsys.readouterr().err
    assert main(["remind", "--db", db, "--year", str(YEAR), "--status", "--set-deadline", "2026-12-01"]) == 0
    out = capsys.readouterr().err
    assert "截止日期 2026-12-01" in out and "财务处\t逾期 1 天" in out
    assert main(["remind", "--db", db, "--year", str(YEAR), "--set-deadline", "2026-12-32"]) == 1
    assert "截止日期“2026-12-32”无效" in capsys.readouterr().err
    assert main(["remind", "--db", db, "--year", str(YEAR), "--status", "--set-deadline", DEADLINE]) == 0
    out = capsys.readouterr().err
    assert "截止日期 2026-11-30" in out and "已催报 1 次" in out
    assert re.search(r"^教务处\t(逾期)?未报送", out, re.M)  # which of the two depends on today's date


def test_the_report_keeps_each_packages_figures_and_does_not_decode_forms_again(year, tmp_path, monkeypatch):
    first, line = committee.report(year, YEAR)
    decoded = []
    real = FormStore.forms
    monkeypatch.setattr(FormStore, "forms", lambda self, *a, **k: decoded.append(k) or real(self, *a, **k))
    again, again_line = committee.report(year, YEAR)
    assert decoded == []  # kept when the packages were imported
    assert [(r.unit, r.forms, r.points, r.problems) for r in again] == [
        (r.unit, r.forms, r.points, r.problems) for r in first] and again_line == line
    with year.writing():  # as a database whose packages came before the figures were kept
        year.db.execute("DELETE FROM package_checks")
    assert [(r.unit, r.forms, r.points, r.problems) for r in committee.report(year, YEAR)[0]] == [
        (r.unit, r.forms, r.points, r.problems) for r in first]
    assert len(decoded) == 3  # checked once more, and kept
    decoded.clear()
    committee.report(year, YEAR)
    assert decoded == []
    # an updated package: its own figures
    forms = demo_forms("人事处", posts=2)
    import_unit(year, tmp_path, "人事处", forms=forms, when=dt.datetime(2026, 12, 1, tzinfo=dt.UTC))
    rows = {r.unit: r for r in committee.report(year, YEAR)[0]}
    assert not rows["人事处"].incomplete and rows["人事处"].packages == 2


def test_a_read_only_database_reports_the_same(year, tmp_path):
    rows, line = committee.report(year, YEAR)
    with year.writing():
        year.db.execute("DELETE FROM package_checks")
    year.close()
    reader = FormStore.open(tmp_path / "committee.db", read_only=True)
    try:
        again, again_line = committee.report(reader, YEAR)
    finally:
        reader.close()
    assert again_line == line and [r.problems for r in again] == [r.problems for r in rows]


def test_contacts_come_from_the_unit_list_else_the_unit_form(year, tmp_path):
    from openpyxl import Workbook

    from lianzheng_desktop.exchange.unitlist import parse_unit_contacts

    assert parse_unit_contacts("单位,联系人,电话\n图书馆，张三，13800000000\n财务处\n") == {"图书馆": "张三 13800000000"}
    book = Workbook()
    sheet = book.active
    for row in (["单位", "联系人", "电话"], ["图书馆", "王五", "0571-1234"], ["财务处", None, None],
                ["人事处", "赵六", None], ["教务处", "钱七", "139"]):
        sheet.append(row)
    book.save(tmp_path / "名单.xlsx")
    assert committee.load_unit_list(year, YEAR, tmp_path / "名单.xlsx") == ["图书馆", "财务处", "人事处", "教务处"]
    rows = {r.unit: r for r in reminding.standings(year, YEAR, DAY).rows}
    assert rows["教务处"].contact == "钱七 139"  # never reported: only the list knows whom to call
    assert rows["图书馆"].contact == "王五 0571-1234"
    assert rows["财务处"].contact.endswith("（主要负责人）")  # from its unit form
    found = reminding.reminder_list(year, YEAR, DAY)
    assert {r[1]: r[4] for r in found.rows()[1:]} == {"人事处": "赵六", "教务处": "钱七 139"}
    text = committee.unit_list_text(year, YEAR)
    assert "教务处，钱七 139" in text.splitlines()
    assert committee.set_unit_list(year, YEAR, text.replace("钱七 139", "孙八")) == ["图书馆", "财务处", "人事处", "教务处"]
    assert {r.unit: r.contact for r in reminding.standings(year, YEAR, DAY).rows}["教务处"] == "孙八"
