"""Issue 15, phase 2: the Word door in the program — `lianzheng import` of .docx files and
folders, `lianzheng docx`, and the operations behind the windows (placing and discarding
the text a file left unplaced, where each form goes in the year, the committee's 代录入)."""

import os
import shutil
import time
from pathlib import Path

import pytest
from hostile_docx import hostile_files
from trust import committee_key_in

from lianzheng_desktop.cli import main
from lianzheng_desktop.domain.codec import form_from_json
from lianzheng_desktop.domain.demo import demo_forms
from lianzheng_desktop.domain.naming import file_stem
from lianzheng_desktop.exchange.docx import read_docx_file, write_docx
from lianzheng_desktop.exchange.docx.container import OLE2
from lianzheng_desktop.operations import committee as desk
from lianzheng_desktop.operations import word, years
from lianzheng_desktop.store import FormStore
from lianzheng_desktop.store.packages import WORD, reporting_status
from lianzheng_desktop.store.word_entries import word_files

DOCX = Path(__file__).parent / "data" / "docx"
EXAMPLES = Path(__file__).parent / "data" / "examples"


def run(*args) -> int:
    return main([str(a) for a in args])


def stored(db: Path) -> tuple[list, str]:
    store = FormStore.open(db)
    try:
        return store.forms(), store.content_hash()
    finally:
        store.close()


def copy(tmp_path: Path, *names: str) -> Path:
    folder = tmp_path / "收到的Word"
    folder.mkdir(exist_ok=True)
    for name in names:
        shutil.copy(DOCX / name, folder / name)
    return folder


# -- the command line: lianzheng import ---------------------------------------------------------


def test_a_clean_word_form_goes_into_the_year_given(tmp_path, capsys):
    db = tmp_path / "unit.db"
    assert run("import", "--db", db, "--year", 2026, DOCX / "post-split.docx") == 0
    err = capsys.readouterr().err
    assert "读到岗位登记表（张𠮷 — 网络安全管理员）" in err and "风险点 7 个" in err
    assert "按所选年度 2026 导入" in err  # the notes are printed too
    (form,), _ = stored(db)
    expected = read_docx_file(DOCX / "post-split.docx").form
    assert (form.year, form.unit, form.person) == (2026, expected.unit, expected.person)
    # a 2025 form into 2026: a draft, as a copied year — its date and approved levels stay behind
    assert [(r.point, r.self_level, r.measures) for r in form.risks] == \
        [(r.point, r.self_level, r.measures) for r in expected.risks]
    assert any(r.approved_level for r in expected.risks) and not any(r.approved_level for r in form.risks)
    assert expected.filled_on is not None and form.filled_on is None
    assert "作为草稿（2025 年度的填表日期、单位审核意见、分管校领导意见和审定等级没有带过来）" in err


def test_a_word_form_of_the_year_itself_keeps_everything(tmp_path):
    db = tmp_path / "unit.db"
    assert run("import", "--db", db, "--year", 2025, DOCX / "post-split.docx") == 0
    (form,), _ = stored(db)
    expected = read_docx_file(DOCX / "post-split.docx").form
    assert (form.filled_on, form.risks) == (expected.filled_on, expected.risks)


def test_without_year_the_readers_year_is_used(tmp_path):
    db = tmp_path / "unit.db"
    assert run("import", "--db", db, DOCX / "post-split.docx") == 0
    (form,), _ = stored(db)
    assert form.year == 2025  # from the 填表日期 2025.11.3


def test_unplaced_text_is_listed_and_stops_the_import(tmp_path, capsys):
    db = tmp_path / "unit.db"
    assert run("import", "--db", db, "--year", 2026, DOCX / "post-ticks.docx") == 1
    err = capsys.readouterr().err
    reading = read_docx_file(DOCX / "post-ticks.docx")
    for item in reading.unplaced:  # every piece, with where it was found and why
        assert word.unplaced_text(item) in err
    assert "第 1 个表格第 13 行·审定：“很高”（不是一级、二级或三级）" in err
    assert "--accept-unplaced" in err and "未导入" in err
    forms, _ = stored(db)
    assert forms == []


def test_accept_unplaced_discards_knowingly_and_says_so(tmp_path, capsys):
    db = tmp_path / "unit.db"
    assert run("import", "--db", db, "--year", 2026, "--accept-unplaced", DOCX / "post-ticks.docx") == 0
    err = capsys.readouterr().err
    assert "已舍弃 6 处没有放入表格的文字（--accept-unplaced）" in err
    assert "舍弃了 6 处文字" in err
    (form,), _ = stored(db)
    store = FormStore.open(db)
    assert "舍弃了 6 处文字" in store.revisions(form.id)[0].note  # the history says so too
    store.close()


def test_a_doc_or_wps_file_is_told_to_be_saved_as_docx_and_nothing_is_written(tmp_path, capsys):
    db = tmp_path / "unit.db"
    run("import", "--db", db, DOCX / "post-split.docx")
    _, before = stored(db)
    old = tmp_path / "去年.doc"
    old.write_bytes(OLE2 + b"\x00" * 4000 + "WordDocument".encode("utf-16-le"))
    wps = tmp_path / "岗位.wps"
    wps.write_bytes(OLE2 + b"\x00" * 4000)
    assert run("import", "--db", db, old, wps) == 1
    err = capsys.readouterr().err
    assert "去年.doc：未导入：" in err and "另存为" in err and ".docx" in err
    assert "岗位.wps：未导入：" in err and "WPS" in err
    assert stored(db)[1] == before


@pytest.mark.parametrize(("name", "data", "match"), hostile_files(), ids=[h[0] for h in hostile_files()])
def test_hostile_files_are_refused_in_chinese_fast_with_nothing_written(tmp_path, capsys, name, data, match):
    db = tmp_path / "unit.db"
    run("import", "--db", db, DOCX / "post-split.docx")
    _, before = stored(db)
    bad = tmp_path / name
    bad.write_bytes(data)
    capsys.readouterr()
    start = time.perf_counter()
    assert run("import", "--db", db, bad) == 1
    assert time.perf_counter() - start < 5  # a hang guard; the figures are in docs/performance.md
    err = capsys.readouterr().err
    line = next(line for line in err.splitlines() if line.startswith(name))
    reason = line.split("未导入：")[1]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in reason) and match in reason
    assert "Traceback" not in err
    assert stored(db)[1] == before


def test_a_folder_of_hostile_files_beside_a_good_one_imports_only_the_good_one(tmp_path):
    folder = copy(tmp_path, "post-split.docx")
    for name, data, _match in hostile_files():
        (folder / name).write_bytes(data)
    files = word.read_word_files([folder], year=2026)
    refusals = {wf.name: wf.refusal for wf in files if not wf.ok}
    assert set(refusals) == {name for name, _, _ in hostile_files()}
    for name, _data, match in hostile_files():
        assert match in refusals[name]
    db = tmp_path / "unit.db"
    store = FormStore.open(db)
    try:
        (batch,) = word.batches(store, files, unit="图书馆", committee=False)
        assert [wf.name for wf in batch.files] == ["post-split.docx"]
        batch.plan(store)
        result = batch.save(store)
        assert result.new == 1 and [f.person for f in store.forms()] == ["张𠮷"]
    finally:
        store.close()


def test_a_folder_is_searched_and_the_fuller_of_two_unit_forms_goes_in(tmp_path, capsys):
    folder = copy(tmp_path, "2025-blank-unit.docx", "unit-filled.docx", "post-split.docx")
    (folder / "~$it-filled.docx").write_bytes(b"lock file Word leaves while the document is open")
    db = tmp_path / "unit.db"
    code = run("import", "--db", db, "--year", 2026, "--accept-unplaced", "--yes", folder)
    err = capsys.readouterr().err
    assert "~$" not in err
    assert "2025-blank-unit.docx：没有导入（与 unit-filled.docx 是同一张表格）" in err
    assert code == 1  # one file was not imported: said, and the exit code says so
    forms, _ = stored(db)
    unit_form = next(f for f in forms if f.kind == "unit")
    assert len(unit_form.risks) == 8
    assert {f.unit for f in forms} == {"图书馆"}  # the year's unit: every form carries its name


def test_a_file_of_another_unit_asks_and_without_yes_is_not_imported(tmp_path, capsys):
    db = tmp_path / "unit.db"
    store = FormStore.open(db)
    store.save_all(demo_forms("图书馆", year=2025, posts=1))
    store.close()
    assert run("import", "--db", db, DOCX / "post-split.docx") == 1
    err = capsys.readouterr().err
    assert "单位不是“图书馆”" in err and "信息化建设与管理中心" in err and "--yes" in err
    assert len(stored(db)[0]) == 2
    assert run("import", "--db", db, "--yes", DOCX / "post-split.docx") == 0
    forms, _ = stored(db)
    assert len(forms) == 3 and {f.unit for f in forms} == {"图书馆"}


def test_the_same_form_again_replaces_it_only_when_confirmed(tmp_path, capsys):
    db = tmp_path / "unit.db"
    assert run("import", "--db", db, DOCX / "post-split.docx") == 0
    (first,), _ = stored(db)
    changed = tmp_path / "改过.docx"
    form = read_docx_file(DOCX / "post-split.docx").form
    form.post_duties = "新的岗位职责"
    changed.write_bytes(write_docx(form))
    capsys.readouterr()
    assert run("import", "--db", db, changed) == 1
    assert "导入将替换它们" in capsys.readouterr().err
    assert stored(db)[0][0].post_duties != "新的岗位职责"
    assert run("import", "--db", db, "--yes", changed) == 0
    (after,), _ = stored(db)
    assert after.id == first.id and after.post_duties == "新的岗位职责"  # replaced, not duplicated
    store = FormStore.open(db)
    assert len(store.revisions(first.id)) == 2  # the earlier content kept in the history
    store.close()


def test_a_form_written_to_word_and_read_into_another_year_becomes_a_form_of_its_own(tmp_path):
    db = tmp_path / "unit.db"
    store = FormStore.open(db)
    store.save_all(demo_forms("图书馆", year=2025, posts=1))
    last_year = store.forms(year=2025)
    store.close()
    out = tmp_path / "word"
    out.mkdir()
    assert run("docx", *_json_of(tmp_path, last_year), "-o", out) == 0
    assert run("import", "--db", db, "--year", 2026, out) == 0
    forms, _ = stored(db)
    by_year = {y: [f for f in forms if f.year == y] for y in (2025, 2026)}
    assert [f.id for f in by_year[2025]] == [f.id for f in last_year]  # last year's untouched
    assert len(by_year[2026]) == 2 and not {f.id for f in by_year[2026]} & {f.id for f in last_year}
    for old, new in zip(last_year, by_year[2026]):  # each as the year's copy would be: a draft
        draft = years.clear_for_draft(old.copy())
        assert (new.risks, new.values, new.filled_on) == (draft.risks, draft.values, None)


def _json_of(tmp_path, forms) -> list[Path]:
    from lianzheng_desktop.domain.codec import dumps_forms

    path = tmp_path / "forms.json"
    path.write_text(dumps_forms(forms), encoding="utf-8")
    return [path]


# -- the command line: lianzheng docx -------------------------------------------------------------


def test_docx_writes_one_file_per_form_named_as_the_pdfs_and_reads_back(tmp_path, capsys):
    import json

    paths = sorted(EXAMPLES.glob("*.json"))
    out = tmp_path / "out"
    out.mkdir()
    assert run("docx", *paths, "-o", f"{out}/") == 0
    forms = []
    for path in paths:
        obj = json.loads(path.read_text(encoding="utf-8"))
        for item in obj if isinstance(obj, list) else [obj]:
            forms.append(form_from_json(item)[0])
    written = sorted(out.glob("*.docx"))
    assert sorted(p.stem for p in written) == sorted(file_stem(f) for f in forms)
    assert f"共 {len(forms)} 个 Word 文件" in capsys.readouterr().err
    for form in forms:
        back = read_docx_file(out / (file_stem(form) + ".docx")).form
        assert back.id == form.id and back.values == form.values


def test_docx_to_a_missing_folder_or_several_forms_to_one_file_is_refused(tmp_path, capsys):
    paths = sorted(EXAMPLES.glob("*.json"))
    assert run("docx", *paths, "-o", tmp_path / "没有" / "") == 2
    assert run("docx", *paths, "-o", tmp_path / "没有这个文件夹") == 2
    assert run("docx", *paths, "-o", tmp_path / "一个.docx") == 2
    assert "请用 -o 给出一个文件夹" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
    assert run("docx", paths[0], "-o", tmp_path / "一个.docx") == 0
    assert read_docx_file(tmp_path / "一个.docx").own


def test_two_forms_with_the_same_file_name_get_numbered(tmp_path):
    a, b = demo_forms("图书馆", posts=1)[1], demo_forms("图书馆", posts=1)[1]
    b.id = "another"
    paths = word.word_paths([a, b], tmp_path)
    assert paths[0].name == file_stem(a) + ".docx" and paths[1].name == file_stem(a) + "（2）.docx"


# -- placing and discarding ---------------------------------------------------------------------


def test_placing_discarding_and_taking_back():
    wf = word.read_word_file(DOCX / "post-ticks.docx", year=2026)
    count = len(wf.unplaced)
    item = wf.unplaced[1]  # “很高” in the 审定 column of a 工作流程风险 row
    assert word.default_target(wf.form, item) == ("new_risk", "process", "point")
    with pytest.raises(word.CannotPlace):
        wf.place_item(1, ("risks", 0, "approved_level"))  # 很高 is not a level
    assert len(wf.unplaced) == count and not wf.can_undo
    remarks = wf.form.remarks
    wf.place_item(5, ("remarks",))  # 附：本表一式两份。
    assert wf.form.remarks == remarks + "\n附：本表一式两份。"
    wf.discard_item(0)
    assert [d.text for d in wf.discarded] == ["一级、三级"] and len(wf.unplaced) == count - 2
    wf.undo()
    assert wf.discarded == [] and len(wf.unplaced) == count - 1
    wf.undo()
    assert wf.form.remarks == remarks and len(wf.unplaced) == count
    assert wf.discard_rest() == count and wf.unplaced == [] and len(wf.discarded) == count


def test_the_targets_a_piece_of_text_may_have():
    wf = word.read_word_file(DOCX / "post-ticks.docx", year=2026)
    labels = [s.label for s in word.field_spots(wf.form)]
    assert "备注" in labels and "岗位职责" in labels and "单位审核意见" in labels
    assert "主要负责人" not in labels  # a unit form's field, not a post form's
    risks = word.risk_spots(wf.form)
    assert len(risks) == len(wf.form.risks) and risks[0].label.startswith("思想道德风险 1. ")
    signature = next(u for u in wf.unplaced if u.text == "李四")
    assert word.default_target(wf.form, signature) == ("review_opinion",)
    outside = next(u for u in wf.unplaced if u.near == ())
    assert word.default_target(wf.form, outside) == ("remarks",)
    assert word.target_words(wf.form, ("new_risk", "process", "measures")) == "新的风险点（工作流程风险）·防控措施"


def test_nothing_is_saved_while_a_piece_is_left(tmp_path):
    store = FormStore.open(tmp_path / "unit.db")
    files = word.read_word_files([DOCX / "post-ticks.docx", DOCX / "post-split.docx"], year=2026)
    (batch,) = word.batches(store, files)
    batch.plan(store)
    before = store.content_hash()
    with pytest.raises(word.WordRefused, match="post-ticks.docx：6 处"):
        batch.save(store)
    assert store.content_hash() == before
    files[0].discard_rest()
    assert batch.save(store).new == 2
    store.close()


def test_a_user_choice_gives_the_place_to_another_file(tmp_path):
    store = FormStore.open(tmp_path / "unit.db")
    files = word.read_word_files([DOCX / "2025-blank-unit.docx", DOCX / "unit-filled.docx"], year=2026)
    plans = word.plan_forms(store, 2026, None, files)
    assert [p.action for p in plans] == [word.SKIP, word.NEW]  # the fuller one
    plans = word.plan_forms(store, 2026, None, files, {1: word.SKIP})
    assert [p.action for p in plans] == [word.NEW, word.SKIP]
    store.close()


# -- the committee: 代录入 -----------------------------------------------------------------------


@pytest.fixture
def committee(tmp_path):
    committee_key_in(tmp_path / "committee.db")
    store = FormStore.open(tmp_path / "committee.db")
    yield store
    store.close()


def test_word_files_entered_for_a_unit_count_as_received_in_word(tmp_path, committee, capsys):
    db = tmp_path / "committee.db"
    committee.close()
    files = (DOCX / "post-ticks.docx", DOCX / "post-split.docx")
    assert run("import", "--db", db, "--year", 2025, "--unit", "基建处", "--accept-unplaced", *files) == 1
    assert "这是为“基建处”代录入" in capsys.readouterr().err  # post-split.docx names another unit: asked
    assert run("import", "--db", db, "--year", 2025, "--unit", "基建处", "--accept-unplaced", "--yes", *files) == 0
    err = capsys.readouterr().err
    assert "已为 基建处 代录入 2025 年度的 Word 文件" in err and "已报送（Word）" in err
    store = FormStore.open(db)
    (row,) = reporting_status(store, 2025)
    assert (row.unit, row.status, row.source, row.forms) == ("基建处", "updated", WORD, 2)  # two entries
    assert {f.unit for f in store.forms(year=2025)} == {"基建处"}
    rows, line = desk.report(store, 2025)
    assert rows[0].in_word and "1 个单位报送的是 Word 文件" in line
    form_id = store.forms(year=2025)[0].id
    assert sorted(name for name, _ in word_files(store, form_id)) == ["post-split.docx", "post-ticks.docx"]
    with pytest.raises(Exception, match="不需要回执"):
        desk.write_receipt(store, "基建处", 2025, tmp_path)
    store.close()


def test_hostile_files_entered_for_a_unit_record_nothing(tmp_path, committee, capsys):
    db = tmp_path / "committee.db"
    committee.close()
    folder = tmp_path / "收到的"
    folder.mkdir()
    for name, data, _match in hostile_files():
        (folder / name).write_bytes(data)
    before = stored(db)[1]
    assert run("import", "--db", db, "--year", 2025, "--unit", "基建处", "--yes", folder) == 1
    err = capsys.readouterr().err
    assert all(f"{name}：未导入：" in err for name, _, _ in hostile_files())
    store = FormStore.open(db)
    assert reporting_status(store, 2025) == [] and store.content_hash() == before
    store.close()


def test_a_second_entry_is_an_update_and_can_be_undone(tmp_path, committee):
    files = word.read_word_files([DOCX / "post-split.docx"], year=2025)
    (batch,) = word.batches(committee, files, unit="信息中心")
    assert batch.committee
    batch.plan(committee)
    assert batch.save(committee).recorded
    again = word.read_word_files([DOCX / "post-split.docx"], year=2025)
    (batch,) = word.batches(committee, again, unit="信息中心")
    batch.plan(committee)
    assert batch.replacements()  # the same post form: replaced, not doubled
    result = batch.save(committee)
    assert not result.recorded and "报送情况不变" in result.message  # nothing new: not counted again
    more = word.read_word_files([DOCX / "post-ticks.docx"], year=2025)
    more[0].discard_rest()
    (batch,) = word.batches(committee, more, unit="信息中心")
    batch.plan(committee)
    assert batch.save(committee).recorded
    (row,) = reporting_status(committee, 2025)
    assert (row.status, row.packages, row.forms) == ("updated", 2, 2)
    undo = desk.plan_undo(committee, "信息中心", 2025)
    assert "Word 文件代录入" in desk.undo_question(undo)
    desk.undo_last_supersede(committee, "信息中心", 2025)
    assert [f.person for f in committee.forms(year=2025)] == ["张𠮷"]


def test_no_word_entry_over_a_units_data_package(tmp_path, committee):
    from trust import trust

    from lianzheng_desktop.operations import sending

    key = committee_key_in(tmp_path / "committee.db")
    unit = FormStore.open(tmp_path / "unit.db")
    unit.save_all(demo_forms("图书馆", year=2026, posts=1))
    trust(unit, key)
    check = sending.check_export(unit, 2026)
    exported = sending.export_package(unit, check, tmp_path)
    unit.close()
    assert desk.apply_package(committee, desk.plan_package(committee, exported.path)).ok
    files = word.read_word_files([DOCX / "post-split.docx"], year=2026)
    (batch,) = word.batches(committee, files, unit="图书馆")
    batch.plan(committee)
    before = committee.content_hash()
    with pytest.raises(word.WordRefused, match="已经报送了数据包"):
        batch.save(committee)
    assert committee.content_hash() == before


def test_a_data_package_later_supersedes_the_word_entry(tmp_path, committee):
    from trust import trust

    from lianzheng_desktop.operations import sending

    files = word.read_word_files([DOCX / "post-split.docx"], year=2026)
    (batch,) = word.batches(committee, files, unit="图书馆")
    batch.plan(committee)
    batch.save(committee)
    key = committee_key_in(tmp_path / "committee.db")
    unit = FormStore.open(tmp_path / "unit.db")
    unit.save_all(demo_forms("图书馆", year=2026, posts=1))
    trust(unit, key)
    exported = sending.export_package(unit, sending.check_export(unit, 2026), tmp_path)
    unit.close()
    planned = desk.plan_package(committee, exported.path)
    assert planned.needs_confirmation and "Word 文件代录入" in planned.head
    assert desk.apply_package(committee, planned).ok
    (row,) = reporting_status(committee, 2026)
    assert row.source is None and row.verified and row.packages == 2
    assert len(committee.forms(year=2026)) == 2  # the package's forms; the Word one withdrawn


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_named_docx_is_refused_without_waiting(tmp_path):
    """A file named on the command line (or picked) may be anything; a FIFO's open would wait
    for a writer for ever. (In a folder, only regular files are looked at.)"""
    from lianzheng_desktop.operations.word import read_word_files

    os.mkfifo(tmp_path / "管道.docx")
    assert read_word_files([tmp_path]) == []
    (read,) = read_word_files([tmp_path / "管道.docx"])
    assert read.refusal and "管道.docx" in read.refusal and read.reading is None
