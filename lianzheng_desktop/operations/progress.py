"""Long work tells how far it is and can be stopped.

An operation that takes seconds (printing a year, a package with PDFs, importing many
packages) takes ``progress``: called as ``progress(done, total, what)`` before each step;
returning False stops the work, which raises Cancelled before anything is written. The
window shows it as a progress dialog with a 取消 button (ui/progress.py); the command
line passes nothing.
"""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[int, int, str], bool | None]


class Cancelled(Exception):
    """The user stopped the work; nothing was written."""


def step(progress: Progress | None, done: int, total: int, what: str = "") -> None:
    if progress is not None and progress(done, total, what) is False:
        raise Cancelled("已取消")
