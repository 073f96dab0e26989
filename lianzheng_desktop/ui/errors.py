"""Unexpected errors: written to a log file and shown with copyable details, never a
silent exit (a windowed program on Windows has no console to print to)."""

from __future__ import annotations

import logging
import os
import sys
import traceback
from pathlib import Path

from PySide6.QtCore import QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QMessageBox

log = logging.getLogger("lianzheng")


def log_path() -> Path:
    env = os.environ.get("LIANZHENG_LOG")
    if env:
        return Path(env)
    from platformdirs import user_log_dir

    return Path(user_log_dir("lianzheng", appauthor=False)) / "lianzheng.log"


def setup_logging() -> Path | None:
    path = log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(path, encoding="utf-8")
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return path


def _qt_message(kind, context, message):
    level = {QtMsgType.QtDebugMsg: logging.DEBUG, QtMsgType.QtInfoMsg: logging.INFO,
             QtMsgType.QtWarningMsg: logging.WARNING}.get(kind, logging.ERROR)
    logging.getLogger("qt").log(level, message)


def install(app: QApplication) -> None:
    """Route Qt's messages and uncaught exceptions to the log, and tell the user."""
    path = setup_logging()
    qInstallMessageHandler(_qt_message)

    def hook(kind, value, tb):
        details = "".join(traceback.format_exception(kind, value, tb))
        log.error("uncaught exception:\n%s", details)
        box = QMessageBox(QMessageBox.Icon.Critical, "程序出错",
                          "程序遇到了一个意外的错误。已输入的内容都已保存在数据库中（或仍在窗口中，"
                          "会自动重试保存）。\n\n请把下面的详细信息"
                          + (f"或日志文件 {path} " if path else "") + "发给技术人员。")
        box.setDetailedText(details)
        box.exec()

    sys.excepthook = hook
