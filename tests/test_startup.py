"""Start-up with a problem database: damaged (restore a backup), in use, from a newer program."""

import datetime as dt

import pytest

from lianzheng_desktop.domain.demo import demo_forms
from lianzheng_desktop.store import FormStore
from lianzheng_desktop.store.backup import make_backup
from lianzheng_desktop.store.lock import WriterLock
from lianzheng_desktop.ui import startup


@pytest.fixture
def quiet(monkeypatch):
    said = []
    monkeypatch.setattr(startup.QMessageBox, "information", lambda *a: said.append(a[2]))
    monkeypatch.setattr(startup.QMessageBox, "critical", lambda *a: said.append(a[2]))
    return said


def _database(path):
    store = FormStore.open(path)
    store.save_all(demo_forms("图书馆", posts=2))
    make_backup(store.db.conn, path, now=dt.datetime(2026, 11, 1, 9))
    store.close()


def test_damaged_database_offers_the_newest_backup(qtbot, tmp_path, quiet, monkeypatch):
    db = tmp_path / "a.db"
    _database(db)
    db.write_bytes(b"garbage" * 1000)
    asked = []
    monkeypatch.setattr(startup.ask, "choose", lambda parent, title, text, yes, no: asked.append(text) or True)
    opened = startup.open_store(db)
    assert "2026-11-01 09:00（3 张表格）" in asked[0]
    assert len(opened.store.forms()) == 3 and not opened.read_only
    assert any("损坏的文件保留为" in s for s in quiet)
    assert [p for p in tmp_path.iterdir() if ".before-restore-" in p.name][0].read_bytes() == b"garbage" * 1000
    opened.close()


def test_database_in_use_opens_read_only(qtbot, tmp_path, quiet, monkeypatch):
    pytest.importorskip("fcntl")  # flock conflicts between two opens even in one process
    db = tmp_path / "a.db"
    _database(db)
    holder = WriterLock(db)
    holder.acquire()
    asked = []
    monkeypatch.setattr(startup.ask, "choose", lambda parent, title, text, yes, no: asked.append(text) or True)
    opened = startup.open_store(db)
    assert "正被" in asked[0] and opened.read_only and opened.lock is None
    assert len(opened.store.forms()) == 3
    opened.close()
    holder.release()


def test_newer_database_opens_read_only_with_a_word(qtbot, tmp_path, quiet):
    db = tmp_path / "a.db"
    _database(db)
    store = FormStore.open(db)
    store.db.execute("PRAGMA user_version = 42")
    store.close()
    opened = startup.open_store(db)
    assert opened.read_only and "更新版本" in quiet[0]
    opened.close()
