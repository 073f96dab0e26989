"""Issue 13 in the windows: the committee's key question, undoing a supersede, the 签名
column, 报送设置与密钥, attached PDFs; the unit's settings import, keys, archive copy and
receipt check."""

import json
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QFileDialog
from trust import committee_key_in, trust

from lianzheng_desktop.domain.demo import demo_forms
from lianzheng_desktop.exchange.package import build_package
from lianzheng_desktop.exchange.receipt import dumps_receipt, make_receipt
from lianzheng_desktop.operations import keys, sending
from lianzheng_desktop.store import FormStore, open_session
from lianzheng_desktop.store.keys import deadline
from lianzheng_desktop.store.packages import current_package, set_expected_units
from lianzheng_desktop.store.session import Session
from lianzheng_desktop.ui import ask, keys_dialog, mainwindow, workbench
from lianzheng_desktop.ui.workbench import WorkbenchWindow


def export(db: Path, key, head: str | None = None, **kwargs) -> sending.Exported:
    store = FormStore.open(db)
    try:
        if not store.forms():
            store.save_all(demo_forms("图书馆", posts=2))
            trust(store, key)
        if head:
            form = store.forms(kind="unit")[0]
            form.head = head
            store.save(form)
        out = db.parent / f"out-{head or 'first'}"
        out.mkdir(exist_ok=True)
        return sending.export_package(store, sending.check_export(store, 2026), out, **kwargs)
    finally:
        store.close()


@pytest.fixture
def key(tmp_path):
    return committee_key_in(tmp_path / "committee.db")


@pytest.fixture
def bench(qtbot, tmp_path, key, monkeypatch):
    session = open_session(tmp_path / "committee.db", backup="never")
    set_expected_units(session.store, 2026, ["图书馆", "财务处"])
    window = WorkbenchWindow(session)
    qtbot.addWidget(window)
    window.show()
    shown = []
    monkeypatch.setattr(workbench.QMessageBox, "information", lambda *a: shown.append(a[2]))
    monkeypatch.setattr(workbench.QMessageBox, "warning", lambda *a: shown.append(a[2]))
    monkeypatch.setattr(ask, "inform_list", lambda parent, title, head, items: shown.extend(items))
    window.shown = shown
    yield window
    window.close()
    session.close()


def test_the_workbench_asks_about_a_changed_key_and_undoes_a_supersede(bench, tmp_path, key, monkeypatch):
    (tmp_path / "a").mkdir()
    (tmp_path / "f").mkdir()
    first = export(tmp_path / "a" / "unit.db", key)
    assert "第一次收到" in bench.import_paths([first.path])[0]
    model = bench.report_model
    row = next(i for i, r in enumerate(model.rows) if r.unit == "图书馆")
    column = {name: i for i, name in enumerate(model.headers)}
    assert model.index(row, column["签名"]).data() == "签名已核对" and model.index(row, column["当前序号"]).data() == 1
    forged = export(tmp_path / "f" / "unit.db", key, head="冒充者")
    asked = []
    monkeypatch.setattr(ask, "confirm", lambda parent, title, text: asked.append((title, text)) or False)
    assert "没有接受新密钥" in bench.import_paths([forged.path])[0]
    assert "签名密钥变了" in asked[0][0] and "打电话" in asked[0][1]
    assert bench.store.forms(kind="unit", unit="图书馆")[0].head != "冒充者"
    second = export(tmp_path / "a" / "unit.db", key, head="第二版")
    monkeypatch.setattr(ask, "confirm", lambda parent, title, text: asked.append((title, text)) or True)
    monkeypatch.setattr(ask, "confirm_list", lambda parent, title, head, items, question: True)
    assert "取代第 1 号" in bench.import_paths([second.path])[0]
    bench.report_view.setCurrentIndex(model.index(row, 0))
    assert "重新成为当前数据" in bench.undo_supersede()
    assert "撤下第 2 号" in asked[-1][1]
    assert bench.store.forms(kind="unit", unit="图书馆")[0].head != "第二版"
    assert model.index(row, column["当前序号"]).data() == 1


def test_an_unsigned_package_shows_as_unverified(bench, tmp_path):
    path = tmp_path / "old.lzfk"
    path.write_bytes(build_package(demo_forms("财务处", posts=1)))
    bench.import_paths([path])
    model = bench.report_model
    row = next(i for i, r in enumerate(model.rows) if r.unit == "财务处")
    column = {name: i for i, name in enumerate(model.headers)}
    assert model.index(row, column["签名"]).data() == "未签名（旧格式）"
    assert any("没有签名" in s for s in bench.shown)


def test_the_committee_keys_dialog(qtbot, tmp_path, monkeypatch):
    store = FormStore.open(tmp_path / "c.db")
    set_expected_units(store, 2026, ["图书馆", "财务处", "人事处"])
    dialog = keys_dialog.CommitteeKeysDialog(store, 2026)
    qtbot.addWidget(dialog)
    assert "还没有" in dialog.key_label.text() and not dialog.export_button.isEnabled()
    said = []
    monkeypatch.setattr(keys_dialog.QMessageBox, "warning", lambda *a: said.append(a[2]))
    monkeypatch.setattr(keys_dialog.QMessageBox, "information", lambda *a: said.append(a[2]))
    monkeypatch.setattr(ask, "confirm", lambda *a: False)
    fingerprint = dialog.create_key()
    assert fingerprint in dialog.key_label.text() and "丢失" in said[0]
    saved = dialog.save_backup(tmp_path / "k.lzkey", "足够长的一句口令")
    assert saved.exists() and "口令另行保管" in said[-1]
    dialog.has_deadline.setChecked(True)
    assert dialog.export_settings(tmp_path / "s.lzsz").exists()
    assert deadline(store, 2026) == dialog.chosen_deadline() and "3 个单位" in said[-1]
    other = FormStore.open(tmp_path / "new.db")
    again = keys_dialog.CommitteeKeysDialog(other, 2026)
    qtbot.addWidget(again)
    assert again.restore(tmp_path / "k.lzkey", "口令猜错了猜错了") is None and "口令不对" in said[-1]
    assert again.restore(tmp_path / "k.lzkey", "足够长的一句口令") == fingerprint
    store.close()
    other.close()


def test_the_unit_imports_settings_exports_with_an_archive_copy_and_checks_receipts(qtbot, tmp_path, key,
                                                                                     monkeypatch):
    from lianzheng_desktop.operations.reporting import export_settings
    from lianzheng_desktop.ui import dialogs

    committee = FormStore.open(tmp_path / "committee.db")
    settings = export_settings(committee, 2026, tmp_path / "s.lzsz", day="2026-12-15").path
    store = FormStore.open(tmp_path / "unit.db")
    store.save_all(demo_forms("图书馆", posts=2))
    window = mainwindow.MainWindow(Session(store, tmp_path / "unit.db", None))
    qtbot.addWidget(window)
    window.load_year(2026)
    said = []
    for box in (mainwindow.QMessageBox, keys_dialog.QMessageBox):
        monkeypatch.setattr(box, "information", lambda *a: said.append(a[2]))
        monkeypatch.setattr(box, "warning", lambda *a: said.append("WARN " + a[2]))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(settings), ""))
    message = window.sending.import_settings()
    assert key.fingerprint in message and "2026-12-15" in message
    target = tmp_path / "out" / "x.lzfk"
    target.parent.mkdir()

    def accept_with_archive(self):
        self.archive_copy.setChecked(True)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(dialogs.ExportCheckDialog, "exec", accept_with_archive)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    assert window.sending.export_package() == target
    assert "第 1 号" in said[-1] and "存档副本" in said[-1] and "已为本机生成签名密钥" in said[-1]
    archive = sending.archive_path(target)
    assert archive.read_bytes().startswith(b"PK") and not target.read_bytes().startswith(b"PK")
    state = keys_dialog.UnitKeysDialog(window)
    qtbot.addWidget(state)
    assert keys.key_state(store).unit in state.unit_fingerprint.text() and "2026-12-15" in state.settings.text()
    from lianzheng_desktop.operations.committee import apply_package, plan_package

    apply_package(committee, plan_package(committee, target))
    row = current_package(committee, "图书馆", 2026)
    forged = tmp_path / "forged.lzhz"
    forged.write_bytes(dumps_receipt(make_receipt(row)))  # unsigned, old format
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(forged), ""))
    window.sending.open_receipt()
    assert said[-1].startswith("WARN") and "没有校纪委的签名" in said[-1]
    genuine = tmp_path / "genuine.lzhz"
    genuine.write_bytes(dumps_receipt(make_receipt(row, key)))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(genuine), ""))
    window.sending.open_receipt()
    assert "完全一致" in said[-1] and "校纪委已接收" in window.navigator.export_state.text()
    assert json.loads(genuine.read_text(encoding="utf-8"))["version"] == 2
    committee.close()
    store.close()


def test_the_committee_sees_the_pdfs_a_unit_attached(bench, tmp_path, key):
    (tmp_path / "a").mkdir()
    exported = export(tmp_path / "a" / "unit.db", key, with_pdf=True)
    bench.import_paths([exported.path])
    form = bench.store.forms(kind="post", unit="图书馆")[0]
    viewer = workbench.FormViewer(bench.store, form, bench)
    shown = viewer.show_attached()
    assert shown.page_count() >= 1
    shown.close()
    viewer.close()
