"""What can go wrong with the database, as exceptions a window or the command line can show.

SQLite says what happened in its error code, not in its English message, so errors are
told apart by ``sqlite_errorcode`` (as qutebrowser's ``misc/sql.py`` does): a full disk,
a read-only folder and a damaged file each get their own class and their own sentence.
An error with no known meaning is a bug and is raised as it is.
"""

from __future__ import annotations

import contextlib
import errno
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any


class StoreError(Exception):
    """A known problem with the database, worded for the user (Chinese)."""


class DatabaseTooNew(StoreError):
    """Made by a newer version of the program: never migrate it down (open it read-only)."""


class DatabaseDamaged(StoreError):
    """Not a database of ours, or damaged: never written to; a backup can be restored.

    ``backup`` is the newest good backup the store found to offer, or None."""

    backup: Any = None  # store.backup.BackupInfo


class DatabaseBusy(StoreError):
    """Another program holds the database longer than we waited."""


class DatabaseInUse(StoreError):
    """The writer lock is held (by the desktop program on this or another computer)."""

    def __init__(self, message: str, holder: dict):
        super().__init__(message)
        self.holder = holder


class ReadOnlyLocation(StoreError):
    """The file or its folder can't be written (read-only medium, permissions)."""


class DiskFull(StoreError):
    """No room left on the disk."""


class ReadOnlyStore(StoreError):
    """The database was opened read-only on purpose (in use elsewhere, newer program)."""


def _primary(exc: sqlite3.Error) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    return None if code is None else code & 0xFF


def translate(exc: BaseException, path: Path | str) -> BaseException:
    """The StoreError that says what ``exc`` means for the user, or ``exc`` itself."""
    if isinstance(exc, StoreError):
        return exc
    if isinstance(exc, OSError):
        if exc.errno == errno.ENOSPC:
            return DiskFull(f"磁盘已满，无法写入 {path}。请清理磁盘空间后再试，已输入的内容没有丢失。")
        if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return ReadOnlyLocation(f"没有权限写入 {path}（文件或文件夹是只读的）：{exc.strerror or exc}")
        return StoreError(f"无法读写 {path}：{exc.strerror or exc}")
    if not isinstance(exc, sqlite3.Error):
        return exc
    code = _primary(exc)
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return DatabaseBusy(f"数据库 {path} 正被另一个程序使用，等待后仍未释放，请稍后再试")
    if code == sqlite3.SQLITE_READONLY:
        return ReadOnlyLocation(f"数据库 {path} 所在的文件夹或文件是只读的，无法保存")
    if code == sqlite3.SQLITE_PERM:
        return ReadOnlyLocation(f"没有权限写入数据库 {path}")
    if code == sqlite3.SQLITE_FULL:
        return DiskFull(f"磁盘已满，无法保存到 {path}。请清理磁盘空间，已输入的内容没有丢失。")
    if code == sqlite3.SQLITE_CANTOPEN:
        return ReadOnlyLocation(f"无法打开数据库文件 {path}（文件夹不存在或没有权限）")
    if code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
        return DatabaseDamaged(f"数据库文件 {path} 已损坏，或不是本程序的数据库（{exc}）。程序没有改动它。")
    if code == sqlite3.SQLITE_IOERR:
        return StoreError(f"读写数据库 {path} 时磁盘出错（{exc}）")
    return exc


@contextlib.contextmanager
def translated(path: Path | str) -> Iterator[None]:
    """Run a block, turning the errors SQLite and the OS report into StoreErrors."""
    try:
        yield
    except (sqlite3.Error, OSError) as exc:
        new = translate(exc, path)
        if new is exc:
            raise
        raise new from exc
