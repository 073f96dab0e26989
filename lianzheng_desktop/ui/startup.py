"""Opening the database when the program starts, with every known problem explained:
another copy using it, a newer program's file, a damaged file (restore a backup)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from lianzheng_desktop.store import FormStore, StoreError
from lianzheng_desktop.store.backup import make_backup, newest_good_backup, restore_backup
from lianzheng_desktop.store.database import DatabaseDamaged, DatabaseTooNew
from lianzheng_desktop.store.lock import DatabaseInUse, WriterLock

log = logging.getLogger(__name__)
TITLE = "打开数据库"


@dataclass
class Opened:
    store: FormStore
    lock: WriterLock | None  # None when read-only
    read_only: bool
    notice: str = ""


def _ask(text: str, yes: str, no: str = "退出") -> bool:
    box = QMessageBox(QMessageBox.Icon.Warning, TITLE, text)
    accept = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    box.addButton(no, QMessageBox.ButtonRole.RejectRole)
    box.exec()
    return box.clickedButton() is accept


def open_store(db_path: Path) -> Opened | None:
    """The store to work on, or None when the user chose to quit."""
    lock = WriterLock(db_path)
    read_only, notice = False, ""
    try:
        lock.acquire()
    except DatabaseInUse as exc:
        if not _ask(str(exc), "只读打开"):
            return None
        read_only, lock, notice = True, None, "只读：数据库正被别人使用"
    try:
        store = FormStore.open(db_path, read_only=read_only)
    except DatabaseTooNew as exc:
        QMessageBox.information(None, TITLE, str(exc))
        store, read_only, notice = FormStore.open(db_path, read_only=True), True, "只读：数据库来自更新版本的程序"
    except DatabaseDamaged as exc:
        store = _recover(db_path, exc) if not read_only else None
        if store is None:
            if lock:
                lock.release()
            return None
        notice = "已从备份恢复"
    except StoreError as exc:
        QMessageBox.critical(None, TITLE, str(exc))
        if lock:
            lock.release()
        return None
    if read_only and lock:
        lock.release()
        lock = None
    if not read_only:
        backup_now(store, db_path)
    return Opened(store, lock, read_only, notice)


def _recover(db_path: Path, problem: DatabaseDamaged) -> FormStore | None:
    backup = newest_good_backup(db_path)
    if backup is None:
        QMessageBox.critical(None, TITLE, f"{problem}\n\n没有可用的备份。请把这个文件交给技术人员处理；"
                                          "也可以换一个数据库文件（--db）重新开始。")
        return None
    when = backup.taken_at.strftime("%Y-%m-%d %H:%M")
    if not _ask(f"{problem}\n\n最新的完好备份是 {when}（{backup.forms} 张表格）。\n"
                "恢复时，损坏的文件会改名保留，不会删除。", "从备份恢复"):
        return None
    try:
        aside = restore_backup(db_path, backup.path)
        store = FormStore.open(db_path)
    except StoreError as exc:
        QMessageBox.critical(None, TITLE, f"恢复失败：{exc}")
        return None
    QMessageBox.information(None, TITLE, f"已从 {when} 的备份恢复。损坏的文件保留为：\n{aside}")
    return store


def backup_now(store: FormStore, db_path: Path) -> Path | None:
    """A backup if the database holds anything; failures are logged, never fatal."""
    try:
        if not store.db.execute("SELECT 1 FROM forms LIMIT 1").fetchone():
            return None
        return make_backup(store.db.conn, db_path)
    except Exception as exc:  # noqa: BLE001 — a failed backup must never stop the work
        log.warning("backup failed: %s", exc)
        return None

