"""Opening the database when the program starts. The store decides and reports (see
store/session.py); this module only asks the user where a decision is needed: another
copy using the file, a newer program's file, a damaged file with a backup to restore."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from lianzheng_desktop.store import Session, StoreError, open_session
from lianzheng_desktop.store.errors import DatabaseDamaged, DatabaseInUse, DatabaseTooNew, ReadOnlyLocation
from lianzheng_desktop.store.session import ALWAYS, backups_of, restore_and_open
from lianzheng_desktop.ui import ask

TITLE = "打开数据库"


def open_store(db_path: Path) -> Session | None:
    """The session to work in, or None when the user chose to quit."""
    try:
        return open_session(db_path, backup=ALWAYS)
    except DatabaseInUse as exc:
        if not ask.choose(None, TITLE, f"{exc}为免两人同时修改同一份数据，现在只能以只读方式打开。",
                          "只读打开", "退出"):
            return None
        return _read_only(db_path, "只读：数据库正被别人使用")
    except DatabaseTooNew as exc:
        QMessageBox.information(None, TITLE, str(exc))
        return _read_only(db_path, "只读：数据库来自更新版本的程序")
    except DatabaseDamaged as exc:
        return _recover(db_path, exc)
    except ReadOnlyLocation as exc:  # a write-protected stick, a read-only share, no permission
        if not db_path.exists():
            QMessageBox.critical(None, TITLE, str(exc))
            return None
        if not ask.choose(None, TITLE, f"{exc}\n\n可以只读方式打开：能查看、打印和导出，不能修改。",
                          "只读打开", "退出"):
            return None
        return _read_only(db_path, "只读：数据库所在的文件夹不能写入")
    except StoreError as exc:
        QMessageBox.critical(None, TITLE, str(exc))
        return None


def _read_only(db_path: Path, notice: str) -> Session | None:
    try:
        session = open_session(db_path, read_only=True)
    except DatabaseDamaged as exc:
        return _recover(db_path, exc)
    except StoreError as exc:
        QMessageBox.critical(None, TITLE, str(exc))
        return None
    session.notice = notice
    return session


def _recover(db_path: Path, problem: DatabaseDamaged) -> Session | None:
    backups = backups_of(db_path)
    backup = problem.backup or next((b for b in backups if b.forms is not None), None)
    if backup is None:
        none = ("没有可用的备份。" if not backups else
                f"备份文件夹里有 {len(backups)} 份备份，但都无法读取。")
        QMessageBox.critical(None, TITLE, f"{problem}\n\n{none}请把这个文件交给技术人员处理；"
                                          "也可以换一个数据库文件（--db）重新开始。")
        return None
    when = backup.taken_at.strftime("%Y-%m-%d %H:%M")
    if not ask.choose(None, TITLE, f"{problem}\n\n最新的完好备份是 {when}（{backup.forms} 张表格）。\n"
                                   "恢复时，损坏的文件会改名保留，不会删除。", "从备份恢复", "退出"):
        return None
    try:
        session, aside = restore_and_open(db_path, backup.path)
    except StoreError as exc:
        QMessageBox.critical(None, TITLE, f"恢复失败：{exc}")
        return None
    QMessageBox.information(None, TITLE, f"已从 {when} 的备份恢复。损坏的文件保留为：\n{aside}")
    return session
