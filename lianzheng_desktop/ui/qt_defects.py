"""A defect of the Qt binding worked around before any window is made.

PySide6 6.12.0 with Python 3.10 or 3.11: a call of a wrapped C++ method that returns void
— QWidget.update(), QLabel.setText(), QPainter.fillRect(), QStandardItemModel.setItem(),
QComboBox.addItem()… — hands None back without the reference the caller then releases.
Each such call costs None one reference (PySide6 6.11.3 loses none). From Python 3.12 None
is immortal (PEP 683) and the count is never looked at; on 3.11 None starts with about
10,000 references in this program, and when they run out the interpreter aborts with
"Fatal Python error: none_dealloc: deallocating None" — in the middle of a session or,
while the program's own objects still hold enough of them, at exit.

The remedy does on 3.11 what 3.12 does by design: when a probe shows the loss, None is
given a reserve of references no session can use up (2**40 calls of a void method).
"""

from __future__ import annotations

import ctypes
import logging
import sys

log = logging.getLogger(__name__)
RESERVE = min(1 << 40, sys.maxsize >> 2)
PROBE_CALLS = 64


def lost_none_references(calls: int = PROBE_CALLS) -> int:
    """References to None lost by ``calls`` calls of a void PySide6 method (0 when sound)."""
    from PySide6.QtCore import QObject

    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(calls):
        probe.setObjectName("")
    return before - sys.getrefcount(None)


def none_is_counted() -> bool:
    """True where None's reference count matters: CPython before 3.12 (release builds, whose
    object header begins with the count)."""
    return sys.implementation.name == "cpython" and sys.version_info < (3, 12) and not hasattr(sys, "getobjects")


def protect_none() -> bool:
    """Give None its reserve when the binding loses references to it; True if it was given."""
    if not none_is_counted():
        return False
    lost = lost_none_references()
    if lost < PROBE_CALLS // 2:
        return False
    ctypes.c_ssize_t.from_address(id(None)).value += RESERVE
    import PySide6

    log.info("PySide6 %s loses a reference to None per void call (%d in %d); None given a reserve of %d",
             PySide6.__version__, lost, PROBE_CALLS, RESERVE)
    return True
