"""Power-loss safety: a writer killed with SIGKILL at random moments never loses a save
that returned and never leaves a damaged database or half a revision.

Fast in CI (LZ_KILLS, default 20); the full count: LZ_KILLS=200 pytest tests/test_durability.py
"""

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from lianzheng_desktop.domain.codec import form_from_json
from lianzheng_desktop.domain.demo import demo_forms
from lianzheng_desktop.store import FormStore

KILLS = int(os.environ.get("LZ_KILLS", 20))
CHILD = Path(__file__).parent / "writer_child.py"


def test_random_sigkills_lose_nothing_that_was_saved(tmp_path):
    db = tmp_path / "kill.db"
    form_id = demo_forms("图书馆", posts=0)[0].id
    rng = random.Random(6)
    revisions_before = 0
    for run in range(KILLS):
        child = subprocess.Popen([sys.executable, str(CHILD), str(db), str(run)], stdout=subprocess.PIPE,
                                 stderr=subprocess.DEVNULL, text=True)
        first = child.stdout.readline()  # wait until it is saving
        assert first.strip() == "0", "the writer did not start"
        time.sleep(rng.uniform(0.0, 0.3))
        child.send_signal(signal.SIGKILL)
        rest = child.stdout.read()
        child.wait()
        # complete lines only: a number cut off by the kill was not acknowledged
        returned = [int(line) for line in (first + rest).split("\n")[:-1]]
        last = returned[-1]
        conn = sqlite3.connect(db)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        finally:
            conn.close()
        store = FormStore.open(db)
        try:
            head = store.get(form_id).head
            run_no, saved = map(int, head.split("-"))
            assert run_no == run and saved >= last  # the last save that returned is there
            revisions = store.revisions(form_id)
            assert len(revisions) >= revisions_before + last + 1
            for revision in revisions[: last + 2]:  # every revision whole and valid
                data = store.db.execute("SELECT data FROM revisions WHERE id = ?", [revision.id]).fetchone()[0]
                form, problems = form_from_json(json.loads(data))
                assert form is not None and not [p for p in problems if p.is_error]
            revisions_before = len(revisions)
        finally:
            store.close()


def _form():
    return demo_forms("图书馆", posts=0)[0]


def test_backup_while_open_list_prune_and_restore(tmp_path):
    import datetime as dt

    from lianzheng_desktop.store.backup import backup_dir, list_backups, make_backup, newest_good_backup, restore_backup

    db = tmp_path / "a.db"
    store = FormStore.open(db)
    form = _form()
    store.save(form)
    first = make_backup(store.db.conn, db, now=dt.datetime(2026, 1, 5, 9))
    form.head = "改过"
    store.save(form)
    # twelve more copies over three months: the newest ten and one per month are kept
    for day in range(12):
        make_backup(store.db.conn, db, now=dt.datetime(2026, 3, 1 + day, 9))
    kept = list_backups(db)
    assert len(kept) == 11 and kept[-1].path == first and kept[0].forms == 1
    store.close()
    before = db.read_bytes()
    aside = restore_backup(db, first)
    assert aside.read_bytes() == before  # the current file kept aside, unchanged
    store = FormStore.open(db)
    assert store.get(form.id).head != "改过"
    store.close()
    assert newest_good_backup(db).path.parent == backup_dir(db)


def test_damaged_files_are_never_written_and_a_backup_can_be_restored(tmp_path):
    import datetime as dt

    import pytest

    from lianzheng_desktop.store.backup import make_backup, newest_good_backup, restore_backup
    from lianzheng_desktop.store.database import DatabaseDamaged

    db = tmp_path / "a.db"
    store = FormStore.open(db)
    store.save(_form())
    make_backup(store.db.conn, db, now=dt.datetime(2026, 11, 1, 8))
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    whole = db.read_bytes()
    cases = {
        "truncated": whole[: len(whole) // 3],
        "random bytes": random.Random(1).randbytes(50_000),
        "a text file renamed .db": "这是一份会议记录，不是数据库。\n".encode() * 200,
        "header only": whole[:100],
    }
    for name, content in cases.items():
        db.write_bytes(content)
        for suffix in ("-wal", "-shm"):
            Path(str(db) + suffix).unlink(missing_ok=True)
        with pytest.raises(DatabaseDamaged) as caught:
            FormStore.open(db)
        assert "程序没有改动它" in str(caught.value) or "损坏" in str(caught.value), name
        assert db.read_bytes() == content, name  # not written to
        assert not Path(str(db) + "-wal").exists(), name
    restore_backup(db, newest_good_backup(db).path)
    store = FormStore.open(db)
    assert len(store.forms()) == 1
    store.close()


def test_database_from_a_newer_program_opens_read_only(tmp_path):
    import pytest

    from lianzheng_desktop.store import StoreError
    from lianzheng_desktop.store.database import DatabaseTooNew

    db = tmp_path / "new.db"
    store = FormStore.open(db)
    store.save(_form())
    store.db.execute("PRAGMA user_version = 99")
    store.close()
    before = db.read_bytes()
    with pytest.raises(DatabaseTooNew, match="只读"):
        FormStore.open(db)
    store = FormStore.open(db, read_only=True)
    assert store.get(_form().id).unit == "图书馆"
    with pytest.raises(StoreError, match="只读"):
        store.save(_form())
    store.close()
    assert db.read_bytes() == before


def test_a_second_writer_is_told_who_has_the_database(tmp_path):
    import pytest

    from lianzheng_desktop.store.lock import DatabaseInUse, WriterLock

    db = tmp_path / "shared.db"
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time\n"
        "from lianzheng_desktop.store.lock import WriterLock\n"
        f"lock = WriterLock({str(db)!r}); lock.acquire(); print('held', flush=True); time.sleep(60)\n")],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(DatabaseInUse, match="正被 .* 使用") as caught:
            WriterLock(db).acquire()
        assert caught.value.holder["pid"] == holder.pid
    finally:
        holder.kill()
        holder.wait()
    lock = WriterLock(db)  # a crashed holder leaves no stale lock
    lock.acquire()
    lock.release()
