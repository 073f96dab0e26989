"""Driving the desktop editor's real widgets in tests (offscreen)."""

from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from lianzheng_desktop.ui.risk_table import CellEditor


def type_text(widget, text):
    """Type as a Chinese input method does: the composed text is committed to the widget."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def open_editor(view, kind=CellEditor):
    """The in-place editor the view has open."""
    editors = [w for w in view.findChildren(kind) if w.isVisible()]
    assert len(editors) == 1, editors
    return editors[0]


def key(widget, which, modifier=Qt.KeyboardModifier.NoModifier):
    QTest.keyClick(widget, which, modifier)


def cell_texts(model, column):
    return [model.index(r, column).data(Qt.ItemDataRole.EditRole) for r in range(model.rowCount())]


def select_cell(view, row, column):
    """Click a cell: current and the only one selected (QTest's Ctrl may still be held)."""
    view.go_to(row, column)
