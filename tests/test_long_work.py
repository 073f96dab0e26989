"""Long work shows how far it is and can be cancelled; a preview shows a busy cursor; the
export line says when the data changed after the export (issue 11, situation 9)."""

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog, QProgressDialog

from lianzheng_desktop.domain.demo import demo_forms
from lianzheng_desktop.exchange.package import build_package, default_name, read_package
from lianzheng_desktop.operations import printing as print_ops
from lianzheng_desktop.operations import sending
from lianzheng_desktop.operations.progress import Cancelled
from lianzheng_desktop.store import FormStore
from lianzheng_desktop.store.session import Session
from lianzheng_desktop.ui import ask, dialogs, mainwindow, printing, workbench
from lianzheng_desktop.ui.mainwindow import MainWindow
from lianzheng_desktop.ui.workbench import WorkbenchWindow


@pytest.fixture
def window(qtbot, tmp_path):
    from trust import committee_key_in, trust

    path = tmp_path / "unit.db"
    store = FormStore.open(path)
    store.save_all(demo_forms("财务处", posts=3))
    trust(store, committee_key_in(tmp_path / "committee.db"))  # its 报送设置 imported: packages can be sealed
    w = MainWindow(Session(store, path, None))
    qtbot.addWidget(w)
    w.show()
    yield w
    w.close()
    store.close()


class PrintToFile(QPrintDialog):
    """The system print dialog, answered 打印 with a PDF file as the printer."""

    target: Path

    def exec(self):
        self.printer().setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        self.printer().setOutputFileName(str(self.target))
        return QDialog.DialogCode.Accepted


def answer_volume_dialog(monkeypatch, action="print", book=True, duplex=False):
    """打印本年度全部表格 first asks how: 汇编 or not, one- or two-sided, printer or PDF."""
    from lianzheng_desktop.ui.volume_dialog import VolumeDialog

    def exec(self):
        self.book.setChecked(book)
        self.duplex.setChecked(duplex)
        self.action = action
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(VolumeDialog, "exec", exec)


def test_print_all_shows_progress_per_form_and_prints_every_page(qtbot, window, tmp_path, monkeypatch):
    from pdfcheck import page_texts

    PrintToFile.target = tmp_path / "printed.pdf"
    monkeypatch.setattr(printing, "QPrintDialog", PrintToFile)
    answer_volume_dialog(monkeypatch, book=False)
    seen = []
    real = QProgressDialog.setValue
    monkeypatch.setattr(QProgressDialog, "setValue", lambda self, v: seen.append((self.labelText(), v,
                                                                                 self.maximum())) or real(self, v))
    assert window.printing.print_all()
    labels = [label for label, _, _ in seen]
    assert any("正在排版 单位登记表" in t for t in labels) and any("正在打印第 1 页" in t for t in labels)
    assert (4, 4) in {(v, m) for _, v, m in seen}  # four forms laid out, one by one
    expected = sum(len(page_texts(p)) for p in print_ops.render_each(window.store.forms(year=2026)))
    assert len(page_texts(PrintToFile.target.read_bytes())) == expected


def test_print_all_as_a_bound_volume_prints_cover_contents_and_every_form(qtbot, window, tmp_path, monkeypatch):
    from pdfcheck import page_texts

    from lianzheng_desktop.render import render_book

    PrintToFile.target = tmp_path / "volume.pdf"
    monkeypatch.setattr(printing, "QPrintDialog", PrintToFile)
    answer_volume_dialog(monkeypatch, book=True, duplex=True)
    assert window.printing.print_all()
    printed = page_texts(PrintToFile.target.read_bytes())
    forms = window.store.forms(year=2026)
    volume = page_texts(render_book(forms, duplex=True))  # pages go to the printer as pictures
    assert len(printed) == len(volume) and "廉政风险防控登记表汇编" in volume[0] and "目录" in volume[2]


def test_print_all_saves_the_volume_as_one_pdf(qtbot, window, tmp_path, monkeypatch):
    from pdfcheck import page_texts

    target = tmp_path / "汇编.pdf"
    answer_volume_dialog(monkeypatch, action="save")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    assert window.printing.print_all()
    texts = page_texts(target.read_bytes())
    assert "廉政风险防控登记表汇编" in texts[0] and "单位登记表 1 张" in texts[0].replace("\n", "")


def test_print_all_can_be_cancelled_before_anything_is_printed(qtbot, window, monkeypatch):
    answer_volume_dialog(monkeypatch)
    monkeypatch.setattr(QProgressDialog, "wasCanceled", lambda self: True)
    asked = []
    monkeypatch.setattr(printing, "QPrintDialog", lambda *a: asked.append(a))
    assert not window.printing.print_all()
    assert not asked and "已取消" in window.statusBar().currentMessage()


def test_render_each_stops_when_told():
    forms = demo_forms("财务处", posts=3)
    calls = []

    def progress(done, total, what):
        calls.append(done)
        return done < 2

    with pytest.raises(Cancelled):
        print_ops.render_each(forms, progress)
    assert calls == [0, 1, 2]


def test_export_with_pdfs_has_progress_and_cancel_writes_nothing(qtbot, window, tmp_path, monkeypatch):
    target = tmp_path / "out.lzfk"

    def accept(self):
        self.with_pdf.setChecked(True)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(dialogs.ExportCheckDialog, "exec", accept)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    monkeypatch.setattr(mainwindow.QMessageBox, "information", lambda *a: None)
    monkeypatch.setattr(QProgressDialog, "wasCanceled", lambda self: True)
    assert window.sending.export_package() is None and not target.exists()
    monkeypatch.undo()
    monkeypatch.setattr(dialogs.ExportCheckDialog, "exec", accept)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    monkeypatch.setattr(mainwindow.QMessageBox, "information", lambda *a: None)
    labels = []
    real = QProgressDialog.setLabelText
    monkeypatch.setattr(QProgressDialog, "setLabelText", lambda self, t: labels.append(t) or real(self, t))
    assert window.sending.export_package() == target
    from trust import committee_key_in

    committee = committee_key_in(tmp_path / "committee.db")  # sealed: only the committee opens it
    assert len(read_package(target.read_bytes(), [committee]).pdfs) == 4
    assert any("的 PDF" in t for t in labels)


def test_a_preview_shows_the_busy_cursor_while_it_is_laid_out(qtbot, window, monkeypatch):
    import lianzheng_desktop.render as render

    cursors = []
    real = render.render_form
    monkeypatch.setattr(render, "render_form", lambda form: cursors.append(
        QGuiApplication.overrideCursor().shape() if QGuiApplication.overrideCursor() else None) or real(form))
    window.open_form(window.store.forms(kind="post")[0].id)
    window.act_preview.trigger()
    assert cursors == [Qt.CursorShape.WaitCursor]
    assert QGuiApplication.overrideCursor() is None  # and back afterwards


def test_the_export_line_says_when_the_data_changed_after_the_export(qtbot, window, tmp_path):
    store = window.store
    check = sending.check_export(store, 2026)
    sending.export_package(store, check, tmp_path)
    window.show_export_state()
    assert "尚未收到回执" in window.navigator.export_state.text()
    editor = window.open_form(store.forms(kind="post")[0].id)
    editor.edit_field("remarks", "导出之后又改了")
    qtbot.waitUntil(lambda: "导出后有修改（1 张表格）" in window.navigator.export_state.text(), timeout=5000)
    editor.undo_stack.undo()  # back to what was sent: the line says so again
    qtbot.waitUntil(lambda: "尚未收到回执" in window.navigator.export_state.text(), timeout=5000)
    assert sending.changed_since(store, 2026, sending.exports(store, 2026)[0]["exported_at"]) == []


def test_importing_several_packages_shows_progress_and_the_result_where_the_user_looks(qtbot, tmp_path,
                                                                                       monkeypatch):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for unit in ("图书馆", "财务处", "人事处"):
        (inbox / default_name(unit, 2026)).write_bytes(build_package(demo_forms(unit, posts=2)))
    (inbox / "坏的.lzfk").write_bytes(b"not a zip")
    store = FormStore.open(tmp_path / "committee.db")
    bench = WorkbenchWindow(Session(store, tmp_path / "committee.db", None))
    qtbot.addWidget(bench)
    bench.show()
    shown = []
    monkeypatch.setattr(ask, "inform_list", lambda parent, title, head, items: shown.append((head, items)))
    values = []
    real = QProgressDialog.setValue
    monkeypatch.setattr(QProgressDialog, "setValue", lambda self, v: values.append((v, self.maximum())) or real(self, v))
    bench.import_paths([inbox])
    assert (4, 4) in values
    assert bench.banner.isVisible() and "4 个数据包：3 个已导入，1 个未导入" in bench.banner.text()
    assert shown and len(shown[0][1]) == 4
    monkeypatch.setattr(workbench.QMessageBox, "information", lambda *a: None)
    bench.close()
    store.close()
