"""Automatic backups beside the database, listed and restored from the 备份与恢复 dialog.

Copies are made with SQLite's backup API (a consistent snapshot even while the program
writes), into ``backups/`` next to the database. Kept: the newest 10 and the newest of
every month. Restoring never overwrites anything: the current file (and its WAL) is moved
aside first.
"""

from __future__ import annotations

import datetime as dt
import glob
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from lianzheng_desktop.store.database import inspect
from lianzheng_desktop.store.errors import DatabaseDamaged, StoreError

KEEP_NEWEST = 10
_STAMP = "%Y%m%d-%H%M%S"


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken_at: dt.datetime
    forms: int | None  # None: the copy can't be read (damaged)


def _pattern(db_path: Path) -> str:
    """Backups of this database; its name may hold glob characters like [2026]."""
    return glob.escape(Path(db_path).stem) + "-*.db"


def backup_dir(db_path: Path) -> Path:
    return Path(db_path).parent / "backups"


def _taken_at(path: Path, db_path: Path) -> dt.datetime | None:
    stem = path.stem.removeprefix(Path(db_path).stem + "-")
    try:
        return dt.datetime.strptime(stem, _STAMP)
    except ValueError:
        return None


def make_backup(conn: sqlite3.Connection, db_path: Path, *, now: dt.datetime | None = None) -> Path:
    """A consistent copy of the open database; old copies pruned."""
    folder = backup_dir(db_path)
    folder.mkdir(parents=True, exist_ok=True)
    when = now or dt.datetime.now()
    target = folder / f"{Path(db_path).stem}-{when.strftime(_STAMP)}.db"
    temporary = target.with_suffix(".db.tmp")
    try:
        copy = sqlite3.connect(temporary)
        try:
            conn.backup(copy)
        finally:
            copy.close()
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)  # a failed backup leaves nothing behind
        raise
    prune(db_path)
    return target


def list_backups(db_path: Path) -> list[BackupInfo]:
    """Newest first, with the number of forms each holds."""
    found = []
    for path in backup_dir(db_path).glob(_pattern(db_path)):
        when = _taken_at(path, db_path)
        if when is None:
            continue
        try:
            inspect(path)
            # immutable: reading a backup must not leave -wal/-shm files beside it
            conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro&immutable=1", uri=True)
            try:
                forms = conn.execute("SELECT COUNT(*) FROM forms WHERE deleted_at IS NULL").fetchone()[0]
            finally:
                conn.close()
        except (StoreError, sqlite3.Error):
            forms = None
        found.append(BackupInfo(path, when, forms))
    return sorted(found, key=lambda b: b.taken_at, reverse=True)


def prune(db_path: Path) -> list[Path]:
    """Keep the newest KEEP_NEWEST copies and the newest copy of each month."""
    backups = sorted(((b, _taken_at(b, db_path)) for b in backup_dir(db_path).glob(_pattern(db_path))),
                     key=lambda item: item[1] or dt.datetime.min, reverse=True)
    keep, months = set(), set()
    for i, (path, when) in enumerate(backups):
        if when is None:
            continue
        if i < KEEP_NEWEST or (when.year, when.month) not in months:
            keep.add(path)
        months.add((when.year, when.month))
    removed = []
    for path, when in backups:
        if when is not None and path not in keep:
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def last_backup_time(db_path: Path) -> dt.datetime | None:
    times = [t for p in backup_dir(db_path).glob(_pattern(db_path)) if (t := _taken_at(p, db_path))]
    return max(times) if times else None


def newest_good_backup(db_path: Path) -> BackupInfo | None:
    return next((b for b in list_backups(db_path) if b.forms is not None), None)


def restore_backup(db_path: Path, backup: Path) -> Path:
    """Put a backup in place of the database (which must be closed). The current files are
    moved aside, never overwritten or deleted; returns where the current file went."""
    db_path, backup = Path(db_path), Path(backup)
    try:
        inspect(backup)
    except DatabaseDamaged as exc:
        raise StoreError(f"这个备份不能用：{exc}") from exc
    # Copy first: if that fails, nothing has been moved yet.
    temporary = db_path.with_name(db_path.name + ".restore.tmp")
    source = sqlite3.connect(backup.resolve().as_uri() + "?mode=ro", uri=True)
    target = sqlite3.connect(temporary)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()
    aside = db_path.with_name(f"{db_path.name}.before-restore-{dt.datetime.now().strftime(_STAMP)}")
    for suffix in ("", "-wal", "-shm"):
        current = Path(str(db_path) + suffix)
        if current.exists():
            os.replace(current, Path(str(aside) + suffix))
    os.replace(temporary, db_path)
    return aside
