"""Statistics by 审定 as well as 自评, and where they differ (issue 14 item 5): the counts
the workbench and the Excel summary show agree with the points the forms hold."""

from collections import Counter
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from lianzheng_desktop.domain import level_basis
from lianzheng_desktop.domain.demo import demo_forms
from lianzheng_desktop.domain.rows import risk_rows
from lianzheng_desktop.store import FormStore
from lianzheng_desktop.store.summary import SummaryQuery, counts, select

UNITS = ("图书馆", "财务处", "人事处")


@pytest.fixture
def store(tmp_path):
    s = FormStore.open(tmp_path / "c.db")
    for unit in UNITS:
        s.save_all(demo_forms(unit, posts=5))
    form = s.forms(year=2026, unit="图书馆", kind="post")[0]
    form.risks[0].self_level, form.risks[0].approved_level = None, 2  # 自评未定级，审定定了级
    form.risks[1].self_level, form.risks[1].approved_level = 1, 3  # 审定调低
    s.save(form)
    yield s
    s.close()


def points(store):
    return risk_rows(store.forms(year=2026))


def test_the_values_of_a_point_under_each_basis():
    assert level_basis.value_of(level_basis.APPROVED, 3, None) is None
    assert level_basis.value_of(level_basis.DIFFERS, 3, 2) == level_basis.RAISED  # 三级→二级: more severe
    assert level_basis.value_of(level_basis.DIFFERS, 1, 3) == level_basis.LOWERED
    assert level_basis.value_of(level_basis.DIFFERS, None, 1) == level_basis.RATED
    assert level_basis.value_of(level_basis.DIFFERS, 2, 2) is level_basis.NOT_COUNTED
    assert level_basis.value_of(level_basis.DIFFERS, 2, None) is level_basis.NOT_COUNTED
    assert [v.name for v in level_basis.values(level_basis.APPROVED)][-1] == "未审定"
    assert [v.name for v in level_basis.values(level_basis.DIFFERS)] == ["审定调高", "审定调低", "审定补定"]


@pytest.mark.parametrize("basis", level_basis.BASES)
@pytest.mark.parametrize("text", ["", "利益输送"])
def test_counts_by_each_basis_agree_with_the_points(store, basis, text):
    query = SummaryQuery(2026, text=text)
    rows = [r for r in points(store) if not text or text in r.point or text in r.measures]
    expected = Counter()
    for r in rows:
        value = level_basis.value_of(basis, r.self_level, r.approved_level)
        if value is not level_basis.NOT_COUNTED:
            expected[r.unit, r.category, value] += 1
    assert counts(store, query, basis) == expected
    assert select(store, query, basis).counts == expected


def test_differences_are_counted_in_both_directions(store):
    found = Counter(v for (_, _, v), n in counts(store, SummaryQuery(2026), level_basis.DIFFERS).items()
                    for _ in range(n))
    rows = points(store)
    assert found[level_basis.RAISED] == sum(1 for r in rows if r.self_level and r.approved_level
                                            and r.approved_level < r.self_level) > 0
    assert found[level_basis.LOWERED] == sum(1 for r in rows if r.self_level and r.approved_level
                                             and r.approved_level > r.self_level) > 0
    assert found[level_basis.RATED] == 1


def test_the_excel_summary_has_statistics_by_approved_and_the_differences(store, tmp_path):
    from openpyxl import load_workbook

    from lianzheng_desktop.exchange.summary import APPROVED_SHEET, DIFFERS_SHEET
    from lianzheng_desktop.operations.committee import export_summary

    export_summary(store, tmp_path / "s.xlsx", 2026)
    book = load_workbook(tmp_path / "s.xlsx")
    rows = points(store)
    approved = book[APPROVED_SHEET]
    header = [c.value for c in approved[1]]
    assert "岗位职责风险·未审定" in header and "岗位职责风险·一级" in header
    by_unit = {r[0]: r for r in approved.iter_rows(min_row=2, max_row=1 + len(UNITS), values_only=True)}
    column = header.index("岗位职责风险·一级")
    for unit in UNITS:
        assert by_unit[unit][column] == sum(1 for r in rows if r.unit == unit and r.category == "duty"
                                            and r.approved_level == 1)
        assert by_unit[unit][-1] == sum(1 for r in rows if r.unit == unit)
    differs = book[DIFFERS_SHEET]
    header = [c.value for c in differs[1]]
    assert header[-1] == "合计" and any("审定调高" in h for h in header[1:-1])
    totals = {r[0]: r[-1] for r in differs.iter_rows(min_row=2, max_row=1 + len(UNITS), values_only=True)}
    assert totals == {u: sum(1 for r in rows if r.unit == u and r.approved_level is not None
                             and r.approved_level != r.self_level) for u in UNITS}
    # 自评 × 审定: the diagonal agrees, the rest differ; every point counted once
    cells = list(differs.iter_rows(values_only=True))
    start = next(i for i, r in enumerate(cells) if r[0] and "自评（行）× 审定（列）" in str(r[0]))
    matrix = cells[start + 1:start + 5]
    assert matrix[0][1] == sum(1 for r in rows if r.self_level == 1 and r.approved_level == 1)
    assert matrix[2][4] == sum(1 for r in rows if r.self_level == 3 and r.approved_level is None)
    assert sum(r[5] for r in matrix) == len(rows)


def test_the_workbench_counts_and_charts_follow_the_basis(qtbot, store, tmp_path):
    from lianzheng_desktop.store.session import Session
    from lianzheng_desktop.ui.workbench import WorkbenchWindow

    window = WorkbenchWindow(Session(store, Path(tmp_path / "c.db"), None))
    qtbot.addWidget(window)
    window.show()
    rows = points(store)
    model = window.counts_model

    def total_cell(unit):
        return model.index(model.units.index(unit), model.columnCount() - 1).data()

    n = {lv: sum(1 for r in rows if r.unit == "财务处" and r.approved_level == lv) for lv in (1, 2, 3, None)}
    def chooser():  # the counts' value chooser under the table: 全部, then each value of the basis
        return [window.counts_level.itemText(i) for i in range(window.counts_level.count())]

    window.basis_buttons[level_basis.APPROVED].click()
    assert chooser()[-1] == "未审定"
    assert total_cell("财务处") == sum(n.values())
    tip = model.index(model.units.index("财务处"), model.columnCount() - 1).data(Qt.ItemDataRole.ToolTipRole)
    assert all(f"{name} {n[lv]}" in tip for name, lv in (("一级", 1), ("二级", 2), ("三级", 3), ("未审定", None)))
    window.counts_level.setCurrentIndex(chooser().index("一级"))
    assert total_cell("财务处") == n[1]
    window.counts_level.setCurrentIndex(0)
    assert window.category_chart.title == "风险点：按类别和审定等级"
    assert sum(window.category_chart.totals()) == len(rows)
    top = dict(window.level1_chart.rows)
    assert top["财务处"] == n[1]

    window.basis_buttons[level_basis.DIFFERS].click()
    differing = [r for r in rows if r.approved_level is not None and r.approved_level != r.self_level]
    assert window.differs.isChecked()  # the rows shown are the ones counted
    assert window.summary_model.rowCount() == len(differing)
    assert sum(window.category_chart.totals()) == len(differing)
    assert chooser()[1:] == [v.name for v in level_basis.values(level_basis.DIFFERS)]
    assert sum(dict(window.level1_chart.rows).values()) == len(differing)

    window.basis_buttons[level_basis.SELF].click()
    assert not window.differs.isChecked()
    assert window.summary_model.rowCount() == len(rows)
    assert window.category_chart.title == "风险点：按类别和自评等级"
