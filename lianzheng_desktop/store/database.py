"""Opening the database file: inspection first, connection settings, schema migrations.

Durability settings (see docs/reliability.md): WAL journal with ``synchronous=FULL`` —
every committed save is on disk before the save returns, and a crash or power loss
leaves either the old or the new state, never half of one; a 5-second busy timeout lets
a reader and the writer wait for each other instead of failing.

A file is inspected read-only before it is opened for writing: a file that is not a
SQLite database, is damaged, or comes from a newer program is never written to.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils

from lianzheng_desktop.store.errors import DatabaseBusy, DatabaseDamaged, DatabaseTooNew, StoreError, translate
from lianzheng_desktop.store.migrations import MIGRATIONS

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_S = 5.0
__all__ = ["DatabaseDamaged", "DatabaseTooNew", "StoreError", "inspect", "open_database"]


def schema_version() -> int:
    return len(MIGRATIONS)


def _read_only_connection(path: Path) -> sqlite3.Connection:
    """Read without writing anything, not even the -wal/-shm files beside the database:
    without a WAL to recover, the file is opened as immutable."""
    wal = Path(str(path) + "-wal").exists()
    query = "?mode=ro" if wal else "?mode=ro&immutable=1"
    return sqlite3.connect(path.resolve().as_uri() + query, uri=True, timeout=BUSY_TIMEOUT_S)


def inspect(path: Path) -> int:
    """Check an existing file without writing to it; returns its schema version.

    Raises DatabaseDamaged or DatabaseTooNew with a sentence for the user.
    """
    try:
        with open(path, "rb") as f:
            header = f.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise StoreError(f"无法读取数据库文件 {path}：{exc.strerror or exc}") from exc
    if header != SQLITE_HEADER:
        raise DatabaseDamaged(f"文件 {path} 不是本程序的数据库（可能是改了扩展名的其他文件，或已严重损坏）。"
                              "程序没有改动它。")
    try:
        conn = _read_only_connection(path)
        try:
            result = conn.execute("PRAGMA quick_check").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error as exc:
        known = translate(exc, path)
        if isinstance(known, DatabaseBusy):
            raise known from exc
        raise DatabaseDamaged(f"数据库文件 {path} 已损坏，无法读取（{exc}）。程序没有改动它。") from exc
    if result != "ok":
        raise DatabaseDamaged(f"数据库文件 {path} 已损坏（检查结果：{result[:200]}）。程序没有改动它。")
    if version > len(MIGRATIONS):
        raise DatabaseTooNew(
            f"这个数据库由更新版本的程序建立（数据库版本 {version}，本程序只认识到 "
            f"{len(MIGRATIONS)}）。为免损坏，只能以只读方式打开；请升级本程序后再修改。"
        )
    if version == 0 and tables:
        raise DatabaseDamaged(f"文件 {path} 是别的程序的 SQLite 数据库，不是本程序的数据库。程序没有改动它。")
    return version


def open_database(path: Path | str, *, read_only: bool = False) -> sqlite_utils.Database:
    """Open (or create) the database at ``path``; bring its schema up to date unless read-only."""
    path = Path(path)
    exists = path.exists() and path.stat().st_size > 0
    if exists:
        try:
            inspect(path)
        except DatabaseTooNew:
            if not read_only:
                raise
    elif read_only:
        raise StoreError(f"数据库文件 {path} 不存在")
    try:
        if read_only:
            conn = _read_only_connection(path)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S)
    except (OSError, sqlite3.Error) as exc:
        known = translate(exc, path)
        raise (known if isinstance(known, StoreError) else StoreError(f"无法打开数据库文件 {path}：{exc}")) from exc
    db = sqlite_utils.Database(conn)
    try:
        if not read_only:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")
            db.execute("PRAGMA foreign_keys=ON")
            _migrate(db)
    except sqlite3.Error as exc:
        conn.close()
        known = translate(exc, path)
        if isinstance(known, StoreError):
            raise known from exc
        raise DatabaseDamaged(f"文件 {path} 不是本程序的数据库，或者已经损坏（{exc}）") from exc
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
