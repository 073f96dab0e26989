"""Opening the database file: connection settings and schema migrations."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils

from lianzheng_desktop.store.migrations import MIGRATIONS


class StoreError(Exception):
    """A known problem with the database, worded for the user (Chinese)."""


class DatabaseTooNew(StoreError):
    """Made by a newer version of the program: never migrate it down."""


def schema_version() -> int:
    return len(MIGRATIONS)


def open_database(path: Path | str, *, migrate: bool = True) -> sqlite_utils.Database:
    """Open (or create) the database at ``path`` and bring its schema up to date."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(path), timeout=5.0)
    except (OSError, sqlite3.Error) as exc:
        raise StoreError(f"无法打开数据库文件 {path}：{exc}") from exc
    db = sqlite_utils.Database(conn)
    try:
        # WAL keeps readers and the writer apart and survives power loss with
        # synchronous=FULL; foreign keys keep revisions tied to their form.
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=FULL")
        db.execute("PRAGMA foreign_keys=ON")
        if migrate:
            _migrate(db)
    except sqlite3.DatabaseError as exc:
        conn.close()
        if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
            raise StoreError(f"数据库 {path} 正被另一个程序使用，请稍后再试") from exc
        raise StoreError(f"文件 {path} 不是本程序的数据库，或者已经损坏（{exc}）") from exc
    except StoreError:
        conn.close()
        raise
    return db


def user_version(db: sqlite_utils.Database) -> int:
    return db.execute("PRAGMA user_version").fetchone()[0]


def _migrate(db: sqlite_utils.Database) -> None:
    current = user_version(db)
    if current > len(MIGRATIONS):
        raise DatabaseTooNew(
            f"这个数据库由更新版本的程序建立（数据库版本 {current}，本程序只认识到 "
            f"{len(MIGRATIONS)}），请升级本程序后再打开"
        )
    for version in range(current, len(MIGRATIONS)):
        with db.atomic():
            MIGRATIONS[version](db)
            db.execute(f"PRAGMA user_version = {version + 1}")
