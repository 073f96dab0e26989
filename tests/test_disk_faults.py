"""Issue 13, observation 7: disk faults told as they are.

A full disk, a read-only folder, a permission problem and a damaged file are different
messages; a healthy database is never called damaged; a foreign SQLite file is inspected
without being changed; backups fail loudly. Real faults are made on a small tmpfs where the
machine allows mounting one (root in a container usually may); each has an injected twin
that runs everywhere.
"""

import contextlib
import datetime as dt
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from lianzheng_desktop.cli import main
from lianzheng_desktop.domain.demo import demo_forms
from lianzheng_desktop.exchange.package import build_package
from lianzheng_desktop.operations import committee
from lianzheng_desktop.store import FormStore, StoreError, open_session
from lianzheng_desktop.store import errors as store_errors
from lianzheng_desktop.store.backup import make_backup
from lianzheng_desktop.store.errors import DatabaseDamaged, DiskFull, ReadOnlyLocation


@contextlib.contextmanager
def small_disk(where: Path, size: str = "4m"):
    where.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                          capture_output=True)
    if done.returncode != 0:
        pytest.skip("no permission to mount a small file system here")
    try:
        yield where
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(where)], capture_output=True)
        subprocess.run(["umount", "-l", str(where)], capture_output=True)


def fill(folder: Path) -> Path:
    """Fill the disk of ``folder`` to the last byte; returns the filler to delete."""
    filler = folder / "filler"
    with contextlib.suppress(OSError), open(filler, "wb") as f:
        while True:
            f.write(bytes(4096))
            f.flush()
    return filler


def remount(folder: Path, mode: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{mode}", str(folder)], check=True)


def unit_database(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    store = FormStore.open(path)
    store.save_all(demo_forms("图书馆", posts=3))
    make_backup(store.db.conn, path, now=dt.datetime(2026, 11, 1, 9))
    store.close()
    return path


# -- a full disk ---------------------------------------------------------------------


def test_a_full_disk_is_called_full_and_the_database_healthy(tmp_path):
    with small_disk(tmp_path / "disk") as disk:
        db = unit_database(disk / "lz" / "unit.db")
        fill(disk)
        for _ in range(2):  # the second time the first attempt's -wal/-shm files are there
            with pytest.raises(StoreError) as caught:
                open_session(db)
            assert isinstance(caught.value, DiskFull), caught.value
            assert "磁盘已满" in str(caught.value) and "已损坏" not in str(caught.value)
        (disk / "filler").unlink()
        with open_session(db) as session:  # space is back: the same file opens, all there
            assert len(session.store.forms()) == 4


def test_an_io_error_on_a_full_disk_is_diagnosed_not_called_damage(tmp_path, monkeypatch):
    """The injected twin: SQLite reports a shared-memory I/O error (as it does on a full
    disk); the folder has no room left."""
    db = unit_database(tmp_path / "unit.db")
    error = sqlite3.OperationalError("disk I/O error")
    error.sqlite_errorcode = 4874  # SQLITE_IOERR_SHMSIZE
    error.sqlite_errorname = "SQLITE_IOERR_SHMSIZE"
    monkeypatch.setattr(store_errors, "free_bytes", lambda folder: 0)
    assert isinstance(store_errors.translate(error, db), DiskFull)
    corrupt = sqlite3.DatabaseError("database disk image is malformed")
    corrupt.sqlite_errorcode = sqlite3.SQLITE_CORRUPT
    assert isinstance(store_errors.translate(corrupt, db), DatabaseDamaged)


def test_a_disk_filling_during_an_import_is_told_in_chinese_and_the_database_is_intact(tmp_path):
    package = tmp_path / "p.lzfk"
    forms = demo_forms("财务处", posts=60)
    package.write_bytes(build_package(forms))
    with open_session(tmp_path / "committee.db") as session:
        store = session.store
        store.save_all(demo_forms("图书馆", posts=1))
        before = store.content_hash()
        pages = store.db.execute("PRAGMA page_count").fetchone()[0]
        store.db.execute(f"PRAGMA max_page_count = {pages + 5}")  # the disk fills up
        done = committee.apply_package(store, committee.plan_package(store, package))
        assert not done.ok and "磁盘已满" in done.message, done.message
        assert store.content_hash() == before
        assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_disk_filling_during_a_cli_import_gives_no_traceback(tmp_path, capsys):
    package = tmp_path / "p.lzfk"
    package.write_bytes(build_package(demo_forms("财务处", posts=80)))
    with small_disk(tmp_path / "disk", "2m") as disk:
        db = disk / "committee.db"
        store = FormStore.open(db)
        store.save_all(demo_forms("图书馆", posts=1))
        before = store.content_hash()
        store.close()
        filler = disk / "filler"
        free = shutil.disk_usage(disk).free
        filler.write_bytes(bytes(max(0, free - 60 * 1024)))
        assert main(["import", "--db", str(db), str(package)]) == 1
        err = capsys.readouterr().err
        assert "磁盘已满" in err and "Traceback" not in err, err
        filler.unlink()
        assert FormStore.open(db, read_only=True).content_hash() == before


# -- a read-only folder ------------------------------------------------------------


def test_a_read_only_folder_is_called_read_only_and_can_be_opened_read_only(tmp_path):
    with small_disk(tmp_path / "disk") as disk:
        db = unit_database(disk / "lz" / "unit.db")
        # leave a -wal behind, as a program killed mid-work does
        conn = sqlite3.connect(db)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA wal_autocheckpoint=0")
        conn.execute("INSERT INTO expected_units VALUES (2026, '在日志里的单位', 0)")
        conn.commit()
        shutil.copy(db, tmp_path / "copy.db")
        shutil.copy(str(db) + "-wal", tmp_path / "copy.db-wal")
        conn.close()
        shutil.copy(tmp_path / "copy.db", db)
        shutil.copy(tmp_path / "copy.db-wal", str(db) + "-wal")
        remount(disk, "ro")
        with pytest.raises(ReadOnlyLocation, match="只读"):
            open_session(db)
        with open_session(db, read_only=True) as session:  # not "damaged": every save is there
            assert session.read_only and len(session.store.forms()) == 4
            from lianzheng_desktop.store.packages import expected_units

            assert expected_units(session.store, 2026) == ["在日志里的单位"]


def test_startup_offers_read_only_mode_in_a_read_only_folder(qtbot, tmp_path, monkeypatch):
    from lianzheng_desktop.ui import startup

    db = unit_database(tmp_path / "unit.db")
    refused = ReadOnlyLocation(f"没有权限写入 {tmp_path}（文件或文件夹是只读的）")
    real = startup.open_session

    def open_session_in_a_read_only_folder(path, **kwargs):
        if not kwargs.get("read_only"):
            raise refused
        return real(path, **kwargs)

    monkeypatch.setattr(startup, "open_session", open_session_in_a_read_only_folder)
    said = []
    monkeypatch.setattr(startup.QMessageBox, "critical", lambda *a: said.append(a[2]))
    asked = []
    monkeypatch.setattr(startup.ask, "choose", lambda parent, title, text, yes, no: asked.append((text, yes)) or True)
    session = startup.open_store(db)
    assert session is not None and session.read_only and "只读" in session.notice
    assert "只读" in asked[0][0] and asked[0][1] == "只读打开"
    session.close()


# -- damaged, and the backups offered -----------------------------------------------


def test_no_backup_is_said_only_when_there_is_none(qtbot, tmp_path, monkeypatch):
    from lianzheng_desktop.ui import startup

    db = unit_database(tmp_path / "unit.db")
    db.write_bytes(b"garbage" * 1000)
    said, asked = [], []
    monkeypatch.setattr(startup.QMessageBox, "critical", lambda *a: said.append(a[2]))
    monkeypatch.setattr(startup.QMessageBox, "information", lambda *a: said.append(a[2]))
    monkeypatch.setattr(startup.ask, "choose", lambda parent, title, text, yes, no: asked.append(text) or False)
    # a damaged database found on the way in (here: while opening read-only) carries no backup
    startup._recover(db, DatabaseDamaged("数据库文件已损坏"))
    assert not any("没有可用的备份" in s for s in said) and "2026-11-01 09:00" in asked[0]
    for backup in (tmp_path / "backups").iterdir():
        backup.unlink()
    startup._recover(db, DatabaseDamaged("数据库文件已损坏"))
    assert any("没有可用的备份" in s for s in said)


# -- a foreign SQLite file ----------------------------------------------------------


@pytest.mark.parametrize("journal", ["delete", "wal"])
@pytest.mark.parametrize("version", [0, 3, 99])
def test_a_foreign_sqlite_file_is_refused_unchanged(tmp_path, journal, version, capsys):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA journal_mode={journal}")
    conn.execute("CREATE TABLE notes (text)")
    conn.execute("INSERT INTO notes VALUES ('别人的数据')")
    conn.execute(f"PRAGMA user_version = {version}")
    conn.commit()
    conn.close()
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    with pytest.raises(StoreError, match="不是本程序的数据库|更新版本"):
        open_session(path)
    with pytest.raises(StoreError):
        open_session(path, read_only=True)
    assert main(["demo", "--db", str(path)]) == 2
    assert main(["summary", "--db", str(path), "-o", str(tmp_path / "s.xlsx")]) == 2
    after = {p.name: p.read_bytes() for p in tmp_path.iterdir() if not p.name.startswith("other.db.lock")}
    assert after == before  # not a byte changed, no -wal/-shm, WAL not switched on
    assert "Traceback" not in capsys.readouterr().err


# -- backups fail loudly ------------------------------------------------------------


def test_backup_now_fails_loudly_and_leaves_nothing(qtbot, tmp_path, monkeypatch):
    from lianzheng_desktop.ui import dialogs
    from lianzheng_desktop.ui.mainwindow import MainWindow

    with small_disk(tmp_path / "disk", "2m") as disk:
        db = unit_database(disk / "unit.db")
        session = open_session(db, backup="never")
        window = MainWindow(session)
        qtbot.addWidget(window)
        dialog = dialogs.BackupDialog(window)
        qtbot.addWidget(dialog)
        kept = sorted(p.name for p in (disk / "backups").iterdir())
        fill(disk)
        warned = []
        monkeypatch.setattr(dialogs.QMessageBox, "warning", lambda *a: warned.append(a[2]))
        monkeypatch.setattr(dialogs.QMessageBox, "information", lambda *a: warned.append("OK " + a[2]))
        dialog.backup_now()
        assert warned and warned[0].startswith("备份失败") and "磁盘已满" in warned[0], warned
        assert sorted(p.name for p in (disk / "backups").iterdir()) == kept  # no .db.tmp left
        window.close()
        session.close()


def test_listing_backups_leaves_no_files_beside_them(tmp_path):
    from lianzheng_desktop.store.backup import list_backups

    db = unit_database(tmp_path / "unit.db")
    folder = tmp_path / "backups"
    names = sorted(p.name for p in folder.iterdir())
    assert [b.forms for b in list_backups(db)] == [4]
    assert sorted(p.name for p in folder.iterdir()) == names
    os.chmod(folder, 0o755)
