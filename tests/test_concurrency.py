"""Issue 13, observations 3 and 4: one writer, for real.

Two imports started at once both finish (the second command waits for the writer lock,
then SQLite's transactions begin IMMEDIATE so a busy database is waited for); a command
run beside the desktop program waits, then refuses naming who holds the database; a
process killed in the middle of an import leaves the package imported whole or not at all.

Fast counts in CI; the figures in docs/reliability.md come from the slow variants:
LZ_PAIRS=30 LZ_IMPORT_KILLS=200 python -m pytest tests/test_concurrency.py -m slow
"""

import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from lianzheng_desktop.domain.demo import UNITS, demo_forms
from lianzheng_desktop.exchange.package import build_package, read_package
from lianzheng_desktop.store import FormStore
from lianzheng_desktop.store.lock import WriterLock
from lianzheng_desktop.store.packages import import_package

PAIRS = int(os.environ.get("LZ_PAIRS", 3))
IMPORT_KILLS = int(os.environ.get("LZ_IMPORT_KILLS", 10))


def cli(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "lianzheng_desktop", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


@pytest.fixture
def inbox(tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    paths = []
    for unit in UNITS[:4]:
        path = folder / f"{unit}.lzfk"
        path.write_bytes(build_package(demo_forms(unit, posts=30)))
        paths.append(path)
    return paths


def _pairs(tmp_path, inbox, count):
    started = time.monotonic()
    for run in range(count):
        db = tmp_path / f"c{run}.db"
        first, second = cli("import", "--db", str(db), str(inbox[0]), str(inbox[1])), \
            cli("import", "--db", str(db), str(inbox[2]), str(inbox[3]))
        outcomes = [p.communicate(timeout=120) for p in (first, second)]
        for process, (_out, err) in zip((first, second), outcomes):
            assert process.returncode == 0, err
            assert "Traceback" not in err and "database is locked" not in err, err
        store = FormStore.open(db, read_only=True)
        try:
            assert sorted(store.units(2026)) == sorted(UNITS[:4])
            assert len(store.forms(year=2026)) == 4 * 31
        finally:
            store.close()
    return time.monotonic() - started


def test_two_imports_started_at_once_both_finish(tmp_path, inbox):
    seconds = _pairs(tmp_path, inbox, PAIRS)
    print(f"{PAIRS} pairs of simultaneous imports, all finished: {seconds:.1f} s")


@pytest.mark.slow
def test_two_imports_started_at_once_both_finish_many_times(tmp_path, inbox):
    count = int(os.environ.get("LZ_PAIRS", 30))
    seconds = _pairs(tmp_path, inbox, count)
    print(f"{count} pairs of simultaneous imports, all finished: {seconds:.1f} s")


def test_two_writers_without_the_lock_wait_for_each_other_in_sqlite(tmp_path):
    """Below the writer lock: two connections importing at the same moment. Each import
    is a transaction begun IMMEDIATE, so the second waits (busy timeout) instead of failing
    half-way with "database is locked" when it first reads and then tries to write."""
    db = tmp_path / "c.db"
    FormStore.open(db).close()
    packages = [read_package(build_package(demo_forms(unit, posts=20))) for unit in UNITS[:8]]
    errors = []
    barrier = threading.Barrier(2)

    def work(mine):
        store = FormStore.open(db)
        try:
            barrier.wait()
            for package in mine:
                import_package(store, package)
        except Exception as exc:  # any failure is the finding
            errors.append(repr(exc))
        finally:
            store.close()

    threads = [threading.Thread(target=work, args=(packages[i::2],)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert errors == []
    store = FormStore.open(db)
    assert sorted(store.units(2026)) == sorted(UNITS[:8])
    store.close()


def test_a_command_beside_the_desktop_program_waits_then_names_the_holder(tmp_path, inbox):
    pytest.importorskip("fcntl")
    db = tmp_path / "c.db"
    FormStore.open(db).close()
    holder = WriterLock(db)  # the desktop program (or the workbench) has it open
    holder.acquire()
    try:
        started = time.monotonic()
        process = cli("import", "--db", str(db), "--wait", "1", str(inbox[0]))
        _out, err = process.communicate(timeout=60)
        waited = time.monotonic() - started
    finally:
        holder.release()
    assert process.returncode == 2 and waited >= 1
    assert "正被" in err and "计算机" in err and "等待 1 秒后仍未释放" in err and "Traceback" not in err, err
    # once it is free, the same command goes through (waiting while the holder finishes)
    holder.acquire()
    later = cli("import", "--db", str(db), "--wait", "20", str(inbox[0]))
    time.sleep(0.5)
    holder.release()
    _out, err = later.communicate(timeout=60)
    assert later.returncode == 0, err


def _kill_imports(tmp_path, kills):
    """Each run imports a new version of one unit's package (first a new unit, later a
    supersede of 151 forms by 151 others) and is killed at a random moment."""
    rng = random.Random(13)
    db = tmp_path / "k.db"
    FormStore.open(db).close()
    current: dict[str, str | None] = {}
    outcomes = {"before": 0, "whole": 0}
    for run in range(kills):
        unit = UNITS[run % 4]
        path = tmp_path / f"{run}.lzfk"
        path.write_bytes(build_package(demo_forms(unit, posts=150, seed=run)))
        package = read_package(path.read_bytes())
        process = cli("import", "--db", str(db), "--yes", str(path))
        time.sleep(rng.uniform(0.1, 0.6))  # start-up ~0.2 s, then the import of 151 forms ~0.2–0.3 s
        process.send_signal(signal.SIGKILL)
        process.communicate()
        conn = sqlite3.connect(db)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            row = conn.execute("SELECT content_digest, form_count FROM packages WHERE unit = ? AND superseded_at "
                               "IS NULL", [unit]).fetchone()
            forms = conn.execute("SELECT count(*) FROM forms WHERE unit = ? AND deleted_at IS NULL",
                                 [unit]).fetchone()[0]
        finally:
            conn.close()
        digest = row[0] if row else None
        assert digest in (current.get(unit), package.content_digest), run  # the old package or the new one
        assert forms == (row[1] if row else 0), (run, forms, row)  # and exactly its forms
        outcomes["whole" if digest == package.content_digest else "before"] += 1
        current[unit] = digest
    return outcomes


def test_a_killed_import_leaves_the_package_whole_or_absent(tmp_path):
    outcomes = _kill_imports(tmp_path, IMPORT_KILLS)
    print(f"{IMPORT_KILLS} imports killed: {outcomes}")


@pytest.mark.slow
def test_a_killed_import_leaves_the_package_whole_or_absent_many_times(tmp_path):
    count = int(os.environ.get("LZ_IMPORT_KILLS", 200))
    started = time.monotonic()
    outcomes = _kill_imports(tmp_path, count)
    print(f"{count} imports killed: {outcomes}, {time.monotonic() - started:.0f} s")
    assert outcomes["before"] and outcomes["whole"]  # the kills fell on both sides


def test_the_lock_file_in_an_unwritable_place_is_a_store_error(tmp_path):
    """The writer lock's own file failing is told like any disk fault, never an OSError."""
    from lianzheng_desktop.store import StoreError

    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError):
        WriterLock(Path(blocker / "sub" / "c.db")).acquire()
