"""What can go wrong with the database, as exceptions a window or the command line can show.

SQLite says what happened in its error code, not in its English message, so errors are
told apart by ``sqlite_errorcode`` (as qutebrowser's ``misc/sql.py`` does): a full disk,
a read-only folder and a damaged file each get their own class and their own sentence.
An error with no known meaning is a bug and is raised as it is.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

LOW_SPACE = 1024 * 1024  # less free space than this when an I/O error comes: the disk is full


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


class PermissionDenied(ReadOnlyLocation):
    """The user may not write there (file or folder permissions, a locked file)."""


class DiskFull(StoreError):
    """No room left on the disk."""


class ReadOnlyStore(StoreError):
    """The database was opened read-only on purpose (in use elsewhere, newer program)."""


def _primary(exc: sqlite3.Error) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    return None if code is None else code & 0xFF


def _folder(path: Path | str) -> Path:
    path = Path(path)
    return path if path.is_dir() else path.parent


def free_bytes(folder: Path) -> int | None:
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return None


def full(path: Path | str) -> DiskFull:
    return DiskFull(f"磁盘已满，无法写入 {path}。请清理磁盘空间后再试，数据库没有损坏，已有的内容没有丢失。")


def read_only_medium(path: Path | str) -> ReadOnlyLocation:
    return ReadOnlyLocation(f"{_folder(path)} 在只读的磁盘上（如写保护的 U 盘、光盘或只读的网络共享），"
                            f"不能写入 {Path(path).name}")


def denied(path: Path | str, reason: object = "") -> PermissionDenied:
    return PermissionDenied(f"没有权限写入 {path}（文件或文件夹是只读的，或被其他程序占用）"
                            + (f"：{reason}" if reason else ""))


def diagnose(path: Path | str) -> StoreError | None:
    """What about the place of ``path`` makes writing fail, when SQLite only says "I/O
    error" or "cannot open": no space left, a read-only medium, no permission. Looks
    only; writes nothing."""
    folder = _folder(path)
    free = free_bytes(folder)
    if free is not None and free < LOW_SPACE:
        return full(path)
    try:
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            return read_only_medium(path)
    except (OSError, AttributeError):  # no statvfs on Windows
        pass
    if not os.access(folder, os.W_OK) or (Path(path).is_file() and not os.access(path, os.W_OK)):
        return denied(path)
    return None


def translate(exc: BaseException, path: Path | str) -> BaseException:
    """The StoreError that says what ``exc`` means for the user, or ``exc`` itself."""
    if isinstance(exc, StoreError):
        return exc
    if isinstance(exc, OSError):
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            return full(path)
        if exc.errno == errno.EROFS:
            return read_only_medium(path)
        if exc.errno in (errno.EACCES, errno.EPERM):
            return denied(path, exc.strerror or exc)
        return StoreError(f"无法读写 {path}：{exc.strerror or exc}")
    if not isinstance(exc, sqlite3.Error):
        return exc
    code = _primary(exc)
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return DatabaseBusy(f"数据库 {path} 正被另一个程序使用，等待后仍未释放，请稍后再试")
    if code == sqlite3.SQLITE_FULL:
        return full(path)
    if code in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM):
        return diagnose(path) or denied(path)
    if code == sqlite3.SQLITE_CANTOPEN:
        return diagnose(path) or ReadOnlyLocation(f"无法打开数据库文件 {path}（文件夹不存在或没有权限）")
    if code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
        return DatabaseDamaged(f"数据库文件 {path} 已损坏，或不是本程序的数据库（{exc}）。程序没有改动它。")
    if code == sqlite3.SQLITE_IOERR:
        # SQLite's I/O errors on a full disk (IOERR_WRITE, IOERR_SHMSIZE…) name no reason
        return diagnose(path) or StoreError(f"读写数据库 {path} 时磁盘出错（{exc}），数据库文件本身没有被判定为损坏。"
                                             "请检查磁盘或网络连接后再试")
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
