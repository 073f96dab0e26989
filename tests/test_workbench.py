"""The committee's workbench and the unit's export/receipt actions, through the widgets."""

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QDialog, QFileDialog, QToolBar

from lianzheng_desktop.domain.demo import demo_forms
from lianzheng_desktop.domain.verification import verification_code
from lianzheng_desktop.exchange.package import build_package, default_name, read_package
from lianzheng_desktop.store import FormStore
from lianzheng_desktop.store.packages import set_expected_units
from lianzheng_desktop.store.session import Session
from lianzheng_desktop.ui import ask, mainwindow, workbench
from lianzheng_desktop.ui.workbench import WorkbenchWindow


@pytest.fixture
def committee(tmp_path):
    store = FormStore.open(tmp_path / "committee.db")
    yield store
    store.close()


@pytest.fixture
def packages(tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    for unit in ("图书馆", "财务处", "人事处"):
        (folder / default_name(unit, 2026)).write_bytes(build_package(demo_forms(unit, posts=4)))
    return folder


@pytest.fixture
def bench(qtbot, committee, tmp_path):
    set_expected_units(committee, 2026, ["图书馆", "财务处", "人事处", "教务处"])
    window = WorkbenchWindow(Session(committee, Path(tmp_path / "committee.db"), None))
    qtbot.addWidget(window)
    window.show()
    return window


def test_dropping_a_folder_imports_its_packages_and_updates_the_status(bench, packages, monkeypatch):
    monkeypatch.setattr(ask, "inform_list", lambda *a: None)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(packages))])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    bench.dropEvent(event)
    model = bench.report_model
    status = {r.unit: model.index(i, 1).data() for i, r in enumerate(model.rows)}  # as shown
    assert status == {"图书馆": "已报送", "财务处": "已报送", "人事处": "已报送", "教务处": "未报送"}
    assert "未报送 1" in bench.report_summary.text()
    assert bench.summary_model.rowCount() == sum(len(f.risks) for u in ("图书馆", "财务处", "人事处")
                                                 for f in demo_forms(u, posts=4))


def test_a_newer_package_asks_with_the_changes_then_supersedes(bench, tmp_path, monkeypatch):
    import datetime as dt

    monkeypatch.setattr(workbench.QMessageBox, "information", lambda *a: None)  # notes about unsigned packages
    forms = demo_forms("图书馆", posts=2)
    old = tmp_path / "old.lzfk"
    old.write_bytes(build_package(forms, now=dt.datetime(2026, 11, 20, tzinfo=dt.UTC)))
    bench.import_paths([old])
    forms[1].risks.append(type(forms[1].risks[0])("duty", "新发现的风险点", 1, None, "措施"))
    new = tmp_path / "new.lzfk"
    new.write_bytes(build_package(forms, now=dt.datetime(2026, 11, 22, tzinfo=dt.UTC)))
    asked = []
    monkeypatch.setattr(ask, "confirm_list", lambda parent, title, head, items, question: asked.append(items) or False)
    monkeypatch.setattr(ask, "inform_list", lambda *a: None)
    assert "未导入（保留原来的数据包）" in bench.import_paths([new])[0]
    assert any("新增风险点（岗位职责风险）“新发现的风险点”" in line for line in asked[0])
    monkeypatch.setattr(ask, "confirm_list", lambda *a: True)
    assert "取代" in bench.import_paths([new])[0]
    model = bench.report_model
    assert {r.unit: model.index(i, 1).data() for i, r in enumerate(model.rows)}["图书馆"] == "已报送（有更新）"


def test_summary_filters_counts_and_read_only_viewer(qtbot, bench, packages, monkeypatch):
    monkeypatch.setattr(ask, "inform_list", lambda *a: None)
    bench.import_paths([packages])
    bench.filters["unit"].setCurrentIndex(bench.filters["unit"].findData("财务处"))
    bench.filters["self_level"].setCurrentIndex(bench.filters["self_level"].findData(1))
    rows = bench.summary_model.rows()
    assert rows and all(r.unit == "财务处" and r.self_level == 1 for r in rows)
    assert f"共 {len(rows)} 个风险点" in bench.count_label.text()
    assert bench.counts_view.model().rowCount() == 1
    bench.filters["unit"].setCurrentIndex(0)
    bench.search.setText("围猎")
    assert all("围猎" in r.point + r.measures for r in bench.summary_model.rows())
    bench.differs.setChecked(True)
    assert all(r.approved_level not in (None, r.self_level) for r in bench.summary_model.rows())
    bench.differs.setChecked(False)
    bench.search.clear()
    review = bench.open_row(bench.summary_model.index(0, 0))  # the form's unit, in the review view
    qtbot.addWidget(review)
    first = bench.summary_model.rows()[0]
    assert review.unit == first.unit and review.current_form_id() == first.form_id
    viewer = review.view_form()  # the form as sent, read-only, to preview and print
    assert viewer.editor.read_only and not viewer.editor.models["thought"].flags(
        viewer.editor.models["thought"].index(0, 1)) & Qt.ItemFlag.ItemIsEditable
    viewer.editor.show_preview()
    assert viewer.editor.preview.page_count() >= 1


def test_charts_show_the_counts(bench, packages, monkeypatch):
    monkeypatch.setattr(ask, "inform_list", lambda *a: None)
    bench.import_paths([packages])
    total = sum(bench.category_chart.totals())
    assert total == bench.summary_model.rowCount()
    assert {u for u, _ in bench.level1_chart.rows} == {"图书馆", "财务处", "人事处"}
    image = bench.category_chart.grab().toImage()
    assert image.pixelColor(image.width() // 3, image.height() - 60) != image.pixelColor(2, 2)


def test_verify_code_and_unit_list(bench, packages, tmp_path, monkeypatch):
    monkeypatch.setattr(ask, "inform_list", lambda *a: None)
    monkeypatch.setattr(workbench.QMessageBox, "information", lambda *a: None)
    bench.import_paths([packages])
    code = verification_code(demo_forms("人事处", posts=4)[2])
    bench.code_edit.setText(code.lower())
    assert "一致" in bench.verify_code()
    bench.code_edit.setText("0000-0000")
    assert "没有找到" in bench.verify_code()
    names = tmp_path / "名单.txt"
    names.write_text("单位\n图书馆\n财务处\n\n图书馆\n新单位\n", encoding="utf-8")
    assert bench.load_unit_list(names) == ["图书馆", "财务处", "新单位"]
    assert [r.unit for r in bench.report_model.rows if r.report.expected] == ["图书馆", "财务处", "新单位"]


def test_unit_exports_a_package_and_confirms_the_receipt(qtbot, tmp_path, monkeypatch):
    from trust import committee_key_in, trust

    from lianzheng_desktop.exchange.receipt import dumps_receipt, make_receipt
    from lianzheng_desktop.store.packages import import_package, package_row
    from lianzheng_desktop.ui import dialogs

    key = committee_key_in(tmp_path / "c.db")
    store = FormStore.open(tmp_path / "unit.db")
    store.save_all(demo_forms("图书馆", posts=3))
    trust(store, key)
    window = mainwindow.MainWindow(Session(store, tmp_path / "unit.db", None))
    qtbot.addWidget(window)
    window.load_year(2026)
    target = tmp_path / "out" / "x.lzfk"
    target.parent.mkdir()
    monkeypatch.setattr(dialogs.ExportCheckDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    monkeypatch.setattr(mainwindow.QMessageBox, "information", lambda *a: None)
    assert window.sending.export_package() == target
    assert "尚未收到回执" in window.navigator.export_state.text()
    committee = FormStore.open(tmp_path / "c.db")
    package = read_package(target.read_bytes(), [key])
    import_package(committee, package)
    receipt = tmp_path / "r.lzhz"
    receipt.write_bytes(dumps_receipt(make_receipt(package_row(committee, package.digest), key)))
    committee.close()
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(receipt), ""))
    window.sending.open_receipt()
    assert "校纪委已接收" in window.navigator.export_state.text()
    store.close()


def test_summary_reads_pages_sorts_in_the_store_and_counts_agree(bench, packages, monkeypatch):
    monkeypatch.setattr(ask, "inform_list", lambda *a: None)
    bench.import_paths([packages])
    model = bench.summary_model
    assert model.pages == {}  # nothing read before the view asks
    bench.tabs.setCurrentIndex(1)
    bench.summary_view.viewport().repaint()
    assert list(model.pages) == [0]  # the first page, for the rows on screen
    column = [c.key for c in model.columns].index("self_level")
    bench.summary_view.horizontalHeader().setSortIndicator(column, Qt.SortOrder.AscendingOrder)
    levels = [r.self_level for r in model.rows()]
    assert levels == sorted(levels, key=lambda v: (v is None, v))
    bench.filters["kind"].setCurrentIndex(bench.filters["kind"].findData("post"))
    rows = model.rows()
    assert rows and all(r.kind == "post" for r in rows)
    assert [r.self_level for r in rows] == sorted((r.self_level for r in rows), key=lambda v: (v is None, v))
    counts = bench.counts_model
    cells = [counts.index(i, counts.columnCount() - 1).data() for i in range(counts.rowCount())]
    assert sum(cells) == len(rows)
    assert f"共 {len(rows)} 个风险点" in bench.count_label.text()


def test_the_quality_check_of_all_units_is_shown_and_saved_from_the_workbench(bench, committee, tmp_path,
                                                                              monkeypatch):
    """质量检查…: every unit checked, one line per unit with its findings by rule (most
    first); a unit's findings listed with what to do; the workbook saved from the view."""
    from openpyxl import load_workbook

    from lianzheng_desktop.domain.model import RiskPoint

    library = demo_forms("图书馆", posts=2)
    library[1].risks[0] = RiskPoint(library[1].risks[0].category, library[1].risks[0].point, 2, None, "加强学习，提高认识")
    committee.save_all([*library, *demo_forms("财务处", posts=2)])
    bench.reload()
    action = next(a for a in bench.findChildren(QToolBar)[0].actions() if a.text() == "质量检查…")
    action.trigger()
    dialog = bench.quality_dialog
    model = dialog.model
    assert {model.index(r, 0).data() for r in range(model.rowCount())} == {"图书馆", "财务处"}
    totals = [model.index(r, model.columnCount() - 1).data() for r in range(model.rowCount())]
    assert totals == sorted(totals, reverse=True) and all(t > 0 for t in totals)
    vague = model.headers.index("措施笼统")
    library_row = next(r for r in range(model.rowCount()) if model.index(r, 0).data() == "图书馆")
    assert model.index(library_row, vague).data() == 1
    dialog.table.selectRow(library_row)
    listed = [dialog.findings.item(i).text() for i in range(dialog.findings.count())]
    assert any(t.startswith("【措施笼统】") and "请写清" in t for t in listed), listed

    target = tmp_path / "质量检查.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    written = dialog.save()
    assert written is not None and "已生成内容质量检查" in dialog.note.text()
    units = [r[0] for r in load_workbook(target)["按单位"].iter_rows(min_row=2, max_row=3, values_only=True)]
    assert set(units) == {"图书馆", "财务处"}
    dialog.close()


def test_the_committee_prints_one_volume_of_all_units_in_the_order_of_the_unit_list(
        bench, packages, tmp_path, monkeypatch):
    """打印汇编 (issue 12): every unit's forms in one PDF, units in the unit list's order,
    each form's own 校验码 inside; with a unit selected, that unit alone if chosen."""
    from pdfcheck import page_texts
    from test_long_work import answer_volume_dialog

    from lianzheng_desktop.domain.verification import verification_code

    monkeypatch.setattr(ask, "inform_list", lambda *a: None)
    bench.import_paths(sorted(packages.iterdir()))
    answer_volume_dialog(monkeypatch, action="save")
    target = tmp_path / "汇编.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    bench.report_view.clearSelection()
    bench.report_view.setCurrentIndex(bench.report_view.model().index(-1, -1))
    assert bench.print_book()
    text = "".join(page_texts(target.read_bytes())).replace("\n", "")
    positions = [text.index(f"单位：{unit}") for unit in ("图书馆", "财务处", "人事处")]
    assert positions == sorted(positions)  # the unit list's order, not the alphabet's
    assert all(verification_code(f).replace("-", "") in text.replace("-", "").replace(" ", "")
               for f in bench.store.forms(year=2026))

    row = [r.unit for r in bench.report_model.rows].index("财务处")
    bench.report_view.setCurrentIndex(bench.report_model.index(row, 0))
    monkeypatch.setattr(ask, "choose", lambda *a, **k: True)  # 只打印“财务处”
    assert bench.print_book()
    text = "".join(page_texts(target.read_bytes())).replace("\n", "")
    assert "单位：财务处" in text and "单位：图书馆" not in text
