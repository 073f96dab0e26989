"""One set of operations under both faces: the command line and the windows share them,
neither writes SQL, and the store's one way of opening decides about locks and errors."""

import re
import sqlite3
from pathlib import Path

import pytest

import lianzheng_desktop
from lianzheng_desktop.cli import main
from lianzheng_desktop.domain.demo import demo_forms
from lianzheng_desktop.operations import committee, sending, verifying
from lianzheng_desktop.operations import forms as form_ops
from lianzheng_desktop.store import FormStore, StoreError, open_session
from lianzheng_desktop.store.errors import DatabaseBusy, DatabaseDamaged, DiskFull, ReadOnlyLocation, translate
from lianzheng_desktop.store.lock import WriterLock

PACKAGE = Path(lianzheng_desktop.__file__).parent
SQL = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE FROM|CREATE TABLE|PRAGMA)\b")


def faces():
    return [PACKAGE / "cli.py", *sorted((PACKAGE / "ui").glob("*.py"))]


@pytest.mark.parametrize("path", faces(), ids=lambda p: p.name)
def test_the_faces_write_no_sql_and_never_touch_the_connection(path):
    text = path.read_text(encoding="utf-8")
    assert not SQL.search(text), SQL.search(text).group()
    assert "store.db" not in text and "sqlite3" not in text


@pytest.fixture
def unit_db(tmp_path):
    path = tmp_path / "unit.db"
    store = FormStore.open(path)
    store.save_all(demo_forms("图书馆", posts=3))
    store.close()
    return path


@pytest.mark.parametrize("command", [
    ["import", "{json}"], ["demo"], ["export", "--year", "2026", "-o", "{folder}"], ["confirm", "{receipt}"]])
def test_write_commands_refuse_while_the_desktop_program_holds_the_database(command, unit_db, tmp_path, capsys,
                                                                            examples, example_paths):
    pytest.importorskip("fcntl")  # flock conflicts between two opens even in one process
    receipt = tmp_path / "r.lzhz"
    receipt.write_text("{}", encoding="utf-8")
    args = [a.format(json=example_paths[0], folder=tmp_path, receipt=receipt) for a in command]
    before = FormStore.open(unit_db).content_hash()
    holder = WriterLock(unit_db)  # what the desktop program takes when it opens the database
    holder.acquire()
    try:
        assert main([args[0], "--db", str(unit_db), "--wait", "0.3", *args[1:]]) == 2
    finally:
        holder.release()
    err = capsys.readouterr().err
    assert "正被" in err and "计算机" in err and "请先关闭" in err, err  # who holds it, and what to do
    assert "等待 0.3 秒后仍未释放" in err
    assert FormStore.open(unit_db).content_hash() == before
    assert not list(tmp_path.glob("*.lzfk"))


def test_reading_commands_work_beside_the_desktop_program(unit_db, tmp_path, capsys):
    pytest.importorskip("fcntl")
    holder = WriterLock(unit_db)
    holder.acquire()
    try:
        assert main(["summary", "--db", str(unit_db), "-o", str(tmp_path / "s.xlsx")]) == 0
        assert main(["export", "--db", str(unit_db), "-o", str(tmp_path / "all.json")]) == 0
    finally:
        holder.release()
    assert (tmp_path / "s.xlsx").exists() and (tmp_path / "all.json").exists()


def sqlite_error(code: int, text: str) -> sqlite3.Error:
    exc = sqlite3.OperationalError(text)
    exc.sqlite_errorcode = code
    return exc


def test_sqlite_errors_are_told_by_their_code_not_their_words():
    assert isinstance(translate(sqlite_error(sqlite3.SQLITE_FULL, "database or disk is full"), "a.db"), DiskFull)
    assert isinstance(translate(sqlite_error(sqlite3.SQLITE_READONLY_DIRECTORY, "x"), "a.db"), ReadOnlyLocation)
    assert isinstance(translate(sqlite_error(sqlite3.SQLITE_BUSY_SNAPSHOT, "x"), "a.db"), DatabaseBusy)
    assert isinstance(translate(sqlite_error(sqlite3.SQLITE_NOTADB, "x"), "a.db"), DatabaseDamaged)
    bug = sqlite_error(sqlite3.SQLITE_MISUSE, "bad parameter or other API misuse")
    assert translate(bug, "a.db") is bug  # an error with no known meaning is a bug: raised as it is
    assert "磁盘已满" in str(translate(OSError(28, "No space left on device"), "a.db"))


def test_a_store_error_inside_a_save_leaves_nothing_half_written(unit_db, monkeypatch):
    store = FormStore.open(unit_db)
    before = store.content_hash()
    forms = store.forms()
    for form in forms:
        form.remarks = "改过"
    calls = []
    real = store._save

    def failing(form, note="", **kw):
        calls.append(form.id)
        if len(calls) == 3:
            raise sqlite_error(sqlite3.SQLITE_FULL, "database or disk is full")
        return real(form, note, **kw)

    monkeypatch.setattr(store, "_save", failing)
    with pytest.raises(DiskFull):
        store.save_all(forms)
    assert store.content_hash() == before
    store.close()


def test_session_takes_the_lock_and_a_second_session_is_told_who_has_it(unit_db):
    pytest.importorskip("fcntl")
    with open_session(unit_db) as first:
        assert first.lock is not None and not first.read_only
        with pytest.raises(StoreError, match="正被"):
            open_session(unit_db)
        with open_session(unit_db, read_only=True) as looking:
            assert len(looking.store.forms()) == 4
    with open_session(unit_db):  # released on close
        pass


def test_a_foreign_sqlite_file_is_never_changed(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (text)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(DatabaseDamaged, match="别的程序"):
        open_session(path)
    assert path.read_bytes() == before and not Path(str(path) + "-wal").exists()


def test_export_then_import_then_verify_through_the_operations(unit_db, tmp_path):
    from trust import committee_key_in, unit_trusting

    with open_session(unit_db) as unit:
        assert "报送设置" in sending.check_export(unit.store, 2026).problems[0].message  # nothing to seal to yet
    unit_trusting(unit_db, committee_key_in(tmp_path / "committee.db"))
    with open_session(unit_db) as unit:
        check = sending.check_export(unit.store, 2026)
        assert check.allowed
        exported = sending.export_package(unit.store, check, tmp_path)
        assert exported.path.name == "2026_图书馆_廉政风险防控.lzfk"
        assert "尚未收到回执" in sending.export_state(unit.store, 2026)
        code = verifying.verify_code(unit.store, "").message
        assert "不是校验码" in code
    with open_session(tmp_path / "committee.db") as desk:
        planned = committee.plan_package(desk.store, exported.path)
        assert not planned.needs_confirmation
        done = committee.apply_package(desk.store, planned)
        assert done.ok and "已导入 图书馆 2026 年度的 4 张表格" in done.message and "签名已核对" in done.message
        again = committee.apply_package(desk.store, committee.plan_package(desk.store, exported.path))
        assert "已经导入过" in again.message
        rows, line = committee.report(desk.store, 2026)
        assert "已报送 1" in line
        form = desk.store.forms(year=2026)[1]
        from lianzheng_desktop.domain.verification import verification_code

        verdict = verifying.verify_code(desk.store, verification_code(form).lower().replace("-", ""))
        assert verdict.ok and "图书馆" in verdict.message


def test_duplicating_the_unit_form_starts_a_post_form_from_it(unit_db):
    store = FormStore.open(unit_db)
    unit_form = store.forms(kind="unit")[0]
    copy = form_ops.duplicate_form(store, unit_form.id)
    assert copy.kind == "post" and copy.person == "（请填写）"
    assert copy.integrity_duties == unit_form.integrity_duties
    # the same points as new points: the committee's review of the original is not the copy's
    assert [(r.point, r.self_level, r.measures, r.ref) for r in copy.risks] == [
        (r.point, r.self_level, r.measures, r.ref) for r in unit_form.risks]
    assert not {r.id for r in copy.risks} & {r.id for r in unit_form.risks}
    post = store.forms(kind="post")[0]
    again = form_ops.duplicate_form(store, post.id)
    assert again.person == post.person + "（副本）" and again.id != post.id
    store.close()
