"""Opening a database to work on: the one place that decides how.

A window or a command that changes data opens a ``Session``: it takes the writer lock
(one writer per database, with the holder named), inspects the file before writing
anything (damaged, from a newer program, not ours), opens and migrates it, and backs it
up. What needs a person's decision is raised as a StoreError subclass that carries what
the person needs — who holds the lock, which backup to offer — and the caller asks, then
opens again with the answer (read-only, or from the backup).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from pathlib import Path

from lianzheng_desktop.store.backup import (
    BackupInfo,
    backup_dir,
    last_backup_time,
    list_backups,
    make_backup,
    newest_good_backup,
    restore_backup,
)
from lianzheng_desktop.store.database import open_database
from lianzheng_desktop.store.errors import DatabaseDamaged, ReadOnlyStore, StoreError, translated
from lianzheng_desktop.store.forms import FormStore
from lianzheng_desktop.store.lock import WriterLock

log = logging.getLogger(__name__)
BACKUP_INTERVAL = dt.timedelta(hours=1)
ALWAYS, IF_DUE, NEVER = "always", "if_due", "never"


@dataclass
class Session:
    """An open database: its store, and the writer lock while it is open for writing."""

    store: FormStore
    path: Path
    lock: WriterLock | None
    notice: str = ""  # something the user should be told once (e.g. the start-up backup failed)
    edited_since_backup: bool = field(default=False)

    @property
    def read_only(self) -> bool:
        return self.store.read_only

    def close(self) -> None:
        self.store.close()
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    # -- backups ---------------------------------------------------------------

    def backups(self) -> list[BackupInfo]:
        return list_backups(self.path)

    def backup(self) -> Path:
        """A backup now; a failure is raised (with its reason), never silent."""
        if self.read_only:
            raise ReadOnlyStore("数据库以只读方式打开，备份由正在使用它的程序负责")
        with translated(backup_dir(self.path)):
            return make_backup(self.store.db.conn, self.path)

    def backup_if_due(self) -> Path | None:
        """An hourly backup while the data changes; failures are logged (the next try is soon)."""
        last = last_backup_time(self.path)
        if self.read_only or not self.store.has_forms() or (
                last is not None and dt.datetime.now() - last < BACKUP_INTERVAL):
            return None
        try:
            return self.backup()
        except StoreError as exc:
            log.warning("backup failed: %s", exc)
            return None

    def restore(self, backup: Path) -> Path:
        """Put a backup in place of the database and reopen it; returns where the current
        file was kept (it is never overwritten)."""
        if self.read_only:
            raise ReadOnlyStore("数据库以只读方式打开，不能恢复备份")
        self.store.db.close()
        try:
            aside = restore_backup(self.path, backup)
        finally:
            self.store.db = open_database(self.path)  # the restored file, or the untouched one
        return aside


def open_session(path: Path | str, *, read_only: bool = False, backup: str = IF_DUE,
                 wait: float = 0.0) -> Session:
    """Open the database for work; ``wait``: seconds to wait for another writer to finish.

    Raises DatabaseInUse (``.holder`` says who), DatabaseTooNew (open read-only instead),
    DatabaseDamaged (``.backup`` is the newest good backup, or None) or another StoreError.
    """
    path = Path(path)
    if read_only:
        return Session(FormStore.open(path, read_only=True), path, None)
    lock = WriterLock(path)
    lock.acquire(wait)
    try:
        store = FormStore.open(path)
    except DatabaseDamaged as exc:
        lock.release()
        exc.backup = newest_good_backup(path)
        raise
    except BaseException:
        lock.release()
        raise
    session = Session(store, path, lock)
    if backup == ALWAYS and store.has_forms():
        try:
            session.backup()
        except StoreError as exc:
            log.warning("start-up backup failed: %s", exc)
            session.notice = f"启动时的自动备份失败：{exc}"
    elif backup == IF_DUE:
        session.backup_if_due()
    return session


def backups_of(path: Path | str) -> list[BackupInfo]:
    """The backups of a database that could not be opened, newest first."""
    return list_backups(Path(path))


def restore_and_open(path: Path | str, backup: Path) -> tuple[Session, Path]:
    """A damaged database replaced by a backup (the damaged file kept aside), then opened."""
    path = Path(path)
    lock = WriterLock(path)
    lock.acquire()
    try:
        aside = restore_backup(path, backup)
        store = FormStore.open(path)
    except BaseException:
        lock.release()
        raise
    return Session(store, path, lock, notice="已从备份恢复"), aside
