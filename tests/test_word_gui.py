"""The Word door in the windows (offscreen): the import preview with its unplaced text,
placing and discarding, folders, replacing an open form, export, and the committee's 代录入."""

import shutil
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog

from lianzheng_desktop.domain.codec import form_from_json
from lianzheng_desktop.exchange.docx import read_docx_file
from lianzheng_desktop.exchange.docx.container import OLE2
from lianzheng_desktop.store import FormStore
from lianzheng_desktop.store.packages import set_expected_units
from lianzheng_desktop.store.session import Session
from lianzheng_desktop.ui import ask, word_import
from lianzheng_desktop.ui.mainwindow import MainWindow
from lianzheng_desktop.ui.word_import import PlaceDialog, WordImportDialog
from lianzheng_desktop.ui.workbench import FormViewer, WorkbenchWindow

DOCX = Path(__file__).parent / "data" / "docx"


@pytest.fixture
def store(tmp_path, examples):
    s = FormStore.open(tmp_path / "unit.db")
    s.save(form_from_json(examples[1])[0])  # the library's unit form of 2026
    yield s
    s.close()


@pytest.fixture
def window(qtbot, store, tmp_path):
    w = MainWindow(Session(store, tmp_path / "unit.db", None))
    qtbot.addWidget(w)
    w.show()
    w.load_year(2026)
    return w


@pytest.fixture
def answers(monkeypatch):
    """Questions the import asks (replace? discard all?) answered yes, and recorded."""
    asked = []

    def yes(parent, title, head, items, question):
        asked.append((title, head, list(items)))
        return True

    monkeypatch.setattr(ask, "confirm_list", yes)
    monkeypatch.setattr(ask, "choose", lambda *a, **k: asked.append(("choose", a[2], [])) or True)
    return asked


def drive(monkeypatch, steps):
    """Run ``steps(dialog)`` where the user would work in the modal preview; it returns
    whether 导入 was pressed."""
    seen = {}

    def exec_(dialog):
        seen["dialog"] = dialog
        if not steps(dialog):
            return QDialog.DialogCode.Rejected
        dialog.buttons.accepted.emit()
        return dialog.result()

    monkeypatch.setattr(WordImportDialog, "exec", exec_)
    return seen


def place_with(monkeypatch, target):
    def exec_(dialog):
        dialog.set_target(target)
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(PlaceDialog, "exec", exec_)


def select_file(dialog, name):
    row = [wf.name for wf in dialog.batch.files].index(name)
    dialog.files.setCurrentRow(row)
    return dialog.batch.files[row]


def test_import_waits_until_every_piece_is_placed_or_discarded(window, store, monkeypatch, answers):
    def steps(dialog):
        assert not dialog.import_button.isEnabled()
        assert "还有 7 处文字待处理（2 个文件）" in dialog.status.text()
        assert dialog.files.count() == 2
        wf = select_file(dialog, "post-ticks.docx")
        assert dialog.unplaced.count() == 6
        assert dialog.preview is not None and dialog.preview.form.unit == "图书馆"  # as it will be stored
        high = next(i for i, u in enumerate(wf.unplaced) if u.text == "很高")
        dialog.unplaced.setCurrentRow(high)
        place_with(monkeypatch, ("new_risk", "process", "measures"))
        assert dialog.place()
        assert dialog.unplaced.count() == 5
        assert wf.form.risks_in("process")[-1].measures == "很高"
        assert dialog.preview.form.risks_in("process")[-1].measures == "很高"  # the preview follows
        dialog.unplaced.setCurrentRow(0)
        dialog.discard()
        dialog.undo()
        assert dialog.unplaced.count() == 5
        dialog.discard_file()  # asked (answered yes), then all of this file's text discarded
        assert dialog.unplaced.count() == 0 and not dialog.import_button.isEnabled()
        select_file(dialog, "unit-filled.docx")
        assert dialog.action.currentData() == "replace"  # the year has its unit form already
        dialog.discard_everything()
        assert dialog.import_button.isEnabled() and dialog.import_button.text() == "导入 2 张表格"
        return True

    seen = drive(monkeypatch, steps)
    result = window.import_word(folder=False, paths=[DOCX / "post-ticks.docx", DOCX / "unit-filled.docx"])
    assert seen["dialog"] is not None and result is not None
    assert (result.new, result.replaced, result.discarded) == (1, 1, 6)
    replaced = next(a for a in answers if a[0] == "替换已有的表格")
    assert "unit-filled.docx → 替换本年度已有的单位登记表" in replaced[2][0]
    forms = store.forms(year=2026)
    assert {f.unit for f in forms} == {"图书馆"}
    post = next(f for f in forms if f.kind == "post")
    assert post.risks_in("process")[-1].measures == "很高"
    assert "舍弃了 5 处文字" in store.revisions(post.id)[0].note
    unit_form = next(f for f in forms if f.kind == "unit")
    assert len(unit_form.risks) == 8


def test_every_piece_of_unplaced_text_is_shown_and_the_file_with_some_comes_first(window, monkeypatch, answers):
    from lianzheng_desktop.operations import word

    expected = word.read_word_file(DOCX / "post-ticks.docx", year=2026).unplaced

    def steps(dialog):
        wf, _plan = dialog.current()
        assert wf.name == "post-ticks.docx"  # the file that needs the user, selected first
        shown = [dialog.unplaced.item(i).text() for i in range(dialog.unplaced.count())]
        assert len(shown) == len(expected) == 6
        for item, line in zip(expected, shown, strict=True):
            assert item.text in line and item.where in line and item.reason in line
        assert "王𠮷" in dialog.files.currentItem().text()
        # last year's form shown as the draft it becomes: no approved levels, no date
        assert dialog.notes.item(0).text().startswith("文件是 2025 年度的表格：作为 2026 年度的草稿导入")
        assert any(r.approved_level for r in wf.form.risks)
        assert not any(r.approved_level for r in dialog.preview.form.risks)
        return False

    drive(monkeypatch, steps)
    window.import_word(folder=False, paths=[DOCX / "post-split.docx", DOCX / "post-ticks.docx"])


def test_text_that_cannot_go_where_chosen_is_said_and_stays_unplaced(window, monkeypatch, answers):
    def steps(dialog):
        wf = select_file(dialog, "post-ticks.docx")
        high = next(i for i, u in enumerate(wf.unplaced) if u.text == "很高")
        place = PlaceDialog(dialog, wf, high)
        place.set_target(("risks", 0, "self_level"))  # “很高” is not a level
        place.accept()
        assert place.result() != QDialog.DialogCode.Accepted and place.problem.isVisibleTo(place)
        assert "很高" in place.problem.text()
        assert len(wf.unplaced) == 6
        place.set_target(("remarks",))
        place.accept()
        assert place.result() == QDialog.DialogCode.Accepted
        assert wf.form.remarks.endswith("很高") and len(wf.unplaced) == 5
        return False

    drive(monkeypatch, steps)
    window.import_word(folder=False, paths=[DOCX / "post-ticks.docx"])


def test_cancelling_the_preview_saves_nothing(window, store, monkeypatch, answers):
    before = store.content_hash()
    drive(monkeypatch, lambda dialog: False)
    assert window.import_word(folder=False, paths=[DOCX / "post-split.docx"]) is None
    assert store.content_hash() == before


def test_a_folder_with_unreadable_files_lists_them_and_imports_the_rest(window, store, monkeypatch, tmp_path,
                                                                        answers):
    folder = tmp_path / "去年的Word"
    folder.mkdir()
    shutil.copy(DOCX / "post-split.docx", folder)
    (folder / "旧表.doc").write_bytes(OLE2 + b"\x00" * 4000 + "WordDocument".encode("utf-16-le"))

    def steps(dialog):
        assert dialog.files.count() == 2
        dialog.files.setCurrentRow(1)
        assert "另存为" in dialog.action_note.text() and dialog.preview is None
        return True

    drive(monkeypatch, steps)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))
    result = window.import_word(folder=True)
    assert result.new == 1
    assert "旧表.doc：未导入：" in " ".join(result.lines)
    assert any(f.person == "张𠮷" for f in store.forms(year=2026))


def test_a_form_open_in_the_editor_is_replaced_not_overwritten_by_its_autosave(window, store, monkeypatch, qtbot,
                                                                               answers):
    unit_form = store.forms(kind="unit")[0]
    editor = window.open_form(unit_form.id)
    editor.edit_field("head", "改过的负责人")  # unsaved, in the window

    def steps(dialog):
        dialog.discard_everything()
        return True

    drive(monkeypatch, steps)
    window.import_word(folder=False, paths=[DOCX / "unit-filled.docx"])
    assert unit_form.id not in window.editors or window.editors[unit_form.id] is not editor
    qtbot.wait(1200)  # longer than the autosave
    stored = store.get(unit_form.id)
    assert len(stored.risks) == 8
    history = [r.note for r in store.revisions(unit_form.id)]
    assert history[0].startswith("从 Word 文件 unit-filled.docx 导入")
    assert any(store.revision_form(r.id).head == "改过的负责人" for r in store.revisions(unit_form.id))


def test_export_the_open_form_and_the_whole_year_to_word(window, store, monkeypatch, tmp_path):
    from lianzheng_desktop.domain.demo import demo_forms

    store.save_all(demo_forms("图书馆", year=2026, posts=6)[1:])
    form = store.forms(kind="unit")[0]
    window.open_form(form.id)
    target = tmp_path / "单位登记表"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    path = window.export_word()
    assert path == target.with_suffix(".docx")
    assert read_docx_file(path).form == form
    folder = tmp_path / "全部"
    folder.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))
    written = window.export_word_year()
    forms = store.forms(year=2026)
    assert len(written) == len(forms) == 7
    assert window.last_progress is not None  # many forms: written under a progress dialog
    assert sorted(read_docx_file(p).form.id for p in written) == sorted(f.id for f in forms)


def test_exporting_over_existing_files_asks_first(window, store, monkeypatch, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))
    (written,) = window.export_word_year()
    written.write_bytes(b"keep me")
    asked = []
    monkeypatch.setattr(ask, "confirm_list", lambda *a: asked.append(a) or False)
    assert window.export_word_year() is None
    assert written.read_bytes() == b"keep me" and asked


# -- the committee ---------------------------------------------------------------------------------


@pytest.fixture
def bench(qtbot, tmp_path):
    committee = FormStore.open(tmp_path / "committee.db")
    set_expected_units(committee, 2025, ["基建处", "图书馆"])
    window = WorkbenchWindow(Session(committee, tmp_path / "committee.db", None))
    qtbot.addWidget(window)
    window.show()
    window.set_year(2025)
    yield window
    committee.close()


def test_the_clerk_enters_a_departments_word_files(bench, monkeypatch, answers, tmp_path):
    bench.report_view.selectRow(0)  # 基建处, selected in 报送情况
    asked_unit = []

    def get_item(parent, title, label, items, current, editable):
        asked_unit.append(items)
        return items[current], True

    monkeypatch.setattr(QInputDialog, "getItem", get_item)

    def steps(dialog):
        assert dialog.batch.committee and dialog.batch.unit == "基建处"
        dialog.discard_everything()
        return True

    drive(monkeypatch, steps)
    result = bench.enter_word(folder=False, paths=[DOCX / "post-ticks.docx"])
    assert result.recorded and asked_unit[0][0] == "基建处"
    row = bench.report_model.rows[0]
    assert bench.report_model.data(bench.report_model.index(0, 1)).startswith("已报送（Word")
    from lianzheng_desktop.ui.workbench_models import ReportModel

    assert bench.report_model.data(bench.report_model.index(0, ReportModel.SIGNATURE)) == "Word 文件（代录入）"
    assert row.forms == 1 and "Word" in bench.banner.text()
    form = bench.store.forms(year=2025)[0]
    viewer = FormViewer(bench.store, form, bench)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(tmp_path))
    (saved,) = viewer.save_originals()
    assert saved.read_bytes() == (DOCX / "post-ticks.docx").read_bytes()  # the file as received
    target = tmp_path / "导出" / "基建处岗位表.docx"
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    assert viewer.export_word() == target  # the entered form, as the committee holds it, to Word
    back = read_docx_file(target).form
    assert (back.unit, back.person, back.risks) == ("基建处", form.person, form.risks)


def test_word_files_dropped_on_the_workbench_are_entered_for_the_selected_unit(bench, monkeypatch, answers):
    from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
    from PySide6.QtGui import QDropEvent

    bench.report_view.selectRow(1)  # 图书馆
    monkeypatch.setattr(QInputDialog, "getItem", lambda parent, title, label, items, current, editable:
                        (items[current], True))
    drive(monkeypatch, lambda dialog: dialog.discard_everything() or True)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(DOCX / "unit-filled.docx"))])
    bench.dropEvent(QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                               Qt.KeyboardModifier.NoModifier))
    row = next(i for i, r in enumerate(bench.report_model.rows) if r.unit == "图书馆")
    assert bench.report_model.data(bench.report_model.index(row, 1)).startswith("已报送（Word")
    assert [f.unit for f in bench.store.forms(year=2025)] == ["图书馆"]


def test_no_word_entry_for_a_unit_that_sent_a_package(bench, monkeypatch, tmp_path):
    from trust import committee_key_in, trust

    from lianzheng_desktop.domain.demo import demo_forms
    from lianzheng_desktop.operations import committee as desk
    from lianzheng_desktop.operations import sending

    key = committee_key_in(tmp_path / "committee.db")
    unit = FormStore.open(tmp_path / "unit.db")
    unit.save_all(demo_forms("图书馆", year=2025, posts=1))
    trust(unit, key)
    exported = sending.export_package(unit, sending.check_export(unit, 2025), tmp_path)
    unit.close()
    assert desk.apply_package(bench.store, desk.plan_package(bench.store, exported.path)).ok
    warned = []
    monkeypatch.setattr(word_import.QMessageBox, "warning", lambda *a: warned.append(a[2]))
    monkeypatch.setattr(WordImportDialog, "exec", lambda d: pytest.fail("no preview for a refused entry"))
    assert bench.enter_word(folder=False, paths=[DOCX / "post-split.docx"], unit="图书馆") is None
    assert "已经报送了数据包" in warned[0]


def test_a_new_user_starts_from_last_years_word_folder(qtbot, tmp_path, monkeypatch, answers):
    """The first screen offers the Word folder: the forms go in after the preview."""
    path = tmp_path / "new.db"
    store = FormStore.open(path)
    w = MainWindow(Session(store, path, None))
    qtbot.addWidget(w)
    w.show()
    folder = tmp_path / "去年"
    folder.mkdir()
    shutil.copy(DOCX / "post-split.docx", folder)
    shutil.copy(DOCX / "unit-filled.docx", folder)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))

    def steps(dialog):
        dialog.discard_everything()
        return True

    drive(monkeypatch, steps)
    button = next(b for b in w.welcome.buttons if b.text() == "导入Word文件夹")
    button.click()
    forms = store.forms(year=w.year)
    assert sorted(f.kind for f in forms) == ["post", "unit"]
    assert {f.unit for f in forms} == {"图书馆"}  # the name on the unit form among the files
    store.close()
