"""Opening the database file: inspection first, connection settings, schema migrations.

Durability settings (see docs/reliability.md): WAL journal with ``synchronous=FULL`` —
every committed save is on disk before the save returns, and a crash or power loss
leaves either the old or the new state, never half of one; a 5-second busy timeout lets
a reader and the writer wait for each other instead of failing.

A file is inspected read-only before it is opened for writing: a file that is not a
SQLite database, is damaged, or comes from a newer program is never written to.
"""

from __future__ import annotations

import atexit
import shutil
import sqlite3
import tempfile
from pathlib import Path

import sqlite_utils

from lianzheng_desktop.store.errors import DatabaseDamaged, DatabaseTooNew, StoreError, diagnose, translate
from lianzheng_desktop.store.migrations import APPLICATION_ID, MIGRATIONS, mark_as_ours

OUR_TABLES = {"forms", "revisions"}  # made by migration 1
FIRST_MARKED = MIGRATIONS.index(mark_as_ours) + 1  # the version from which the header carries APPLICATION_ID

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_S = 5.0
__all__ = ["DatabaseDamaged", "DatabaseTooNew", "StoreError", "inspect", "open_database"]


def schema_version() -> int:
    return len(MIGRATIONS)


def _read_only_connection(path: Path) -> sqlite3.Connection:
    """Read without writing anything, not even the -wal/-shm files beside the database:
    without a WAL to recover, the file is opened as immutable. With one, SQLite needs a
    -shm file beside it; in a folder that can't be written (a read-only share, a write-
    protected stick) the database and its WAL are read from a private copy instead."""
    path = Path(path)
    if not Path(str(path) + "-wal").exists():
        return _connect_read_only(path, immutable=True)
    if diagnose(path) is None:
        return _connect_read_only(path, immutable=False)
    return _connect_read_only(_private_copy(path), immutable=False)


def _connect_read_only(path: Path, *, immutable: bool) -> sqlite3.Connection:
    query = "?mode=ro&immutable=1" if immutable else "?mode=ro"
    return sqlite3.connect(path.resolve().as_uri() + query, uri=True, timeout=BUSY_TIMEOUT_S)


def _private_copy(path: Path) -> Path:
    """The database and its WAL copied into a temporary folder (removed at exit)."""
    folder = Path(tempfile.mkdtemp(prefix="lianzheng-readonly-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    copy = folder / path.name
    try:
        shutil.copyfile(path, copy)
        shutil.copyfile(str(path) + "-wal", str(copy) + "-wal")
    except OSError as exc:
        raise translate(exc, folder) from exc
    return copy


def _not_ours(path: Path) -> DatabaseDamaged:
    return DatabaseDamaged(f"文件 {path} 是别的程序的 SQLite 数据库，不是本程序的数据库。程序没有改动它。")


def inspect(path: Path) -> int:
    """Check an existing file without writing to it; returns its schema version.

    Raises DatabaseDamaged (damaged, or not this program's database), DatabaseTooNew, or
    the StoreError that names what else keeps it from being read (a full disk, a
    read-only folder): a healthy database is never called damaged.
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
            application = conn.execute("PRAGMA application_id").fetchone()[0]
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            conn.close()
    except sqlite3.Error as exc:
        known = translate(exc, path)
        if isinstance(known, StoreError):
            raise known from exc
        raise StoreError(f"无法读取数据库文件 {path}（{exc}）。程序没有改动它。") from exc
    if result != "ok":
        raise DatabaseDamaged(f"数据库文件 {path} 已损坏（检查结果：{result[:200]}）。程序没有改动它。")
    if application not in (0, APPLICATION_ID):
        raise _not_ours(path)
    if version == 0:
        if tables:
            raise _not_ours(path)
        return 0
    # every database of ours has the tables of migration 1, and from version 6 on its mark
    if not tables >= OUR_TABLES or (version >= FIRST_MARKED and application != APPLICATION_ID):
        raise _not_ours(path)
    if version > len(MIGRATIONS):
        raise DatabaseTooNew(
            f"这个数据库由更新版本的程序建立（数据库版本 {version}，本程序只认识到 "
            f"{len(MIGRATIONS)}）。为免损坏，只能以只读方式打开；请升级本程序后再修改。"
        )
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
        # the file passed inspection: whatever failed here, it is not called damaged
        raise StoreError(f"无法打开数据库文件 {path}（{exc}）。数据库没有被改动。") from exc
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
