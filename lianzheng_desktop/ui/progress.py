"""Feedback on work that takes a while: a progress dialog with 取消, a busy cursor.

The work itself is an operation that takes a ``progress`` callback (operations/progress.py);
``run`` gives it one that moves the dialog, keeps the window painting and says whether
取消 was pressed. The work runs in the window's thread: Qt's widgets and the store's
connection stay in one thread, and the dialog stays responsive because the callback
lets the event loop run between steps.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import TypeVar

from PySide6.QtCore import QCoreApplication, QEventLoop, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QProgressDialog

from lianzheng_desktop.operations.progress import Cancelled, Progress

T = TypeVar("T")
SHOW_AFTER_MS = 300  # work shorter than this shows no dialog


def run(parent, title: str, work: Callable[[Progress], T]) -> T | None:
    """``work(progress)`` with a progress dialog; None when the user pressed 取消."""
    dialog = QProgressDialog(title, "取消", 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(SHOW_AFTER_MS)
    dialog.setAutoReset(False)
    dialog.setAutoClose(False)
    dialog.setMinimumWidth(420)
    parent.last_progress = dialog  # tests look at it

    def progress(done: int, total: int, what: str) -> bool:
        if dialog.maximum() != total:
            dialog.setMaximum(total)
        if what:
            dialog.setLabelText(what)
        dialog.setValue(done)
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        return not dialog.wasCanceled()

    try:
        return work(progress)
    except Cancelled:
        return None
    finally:
        dialog.close()
        dialog.deleteLater()


@contextlib.contextmanager
def busy() -> Iterator[None]:
    """The busy cursor while the window can't answer (a preview being laid out). Set at
    once: the work blocks the event loop, so a timer could not set it later; a short
    render shows it for too short a time to be seen."""
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        QGuiApplication.restoreOverrideCursor()
