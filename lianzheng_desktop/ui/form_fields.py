"""The fields of a form on screen, laid out as the paper has them.

The rows come from the kind's declaration (forms/tables.toml): a ``field`` row is a label
and its text, a ``pair`` two of them side by side, a ``duty_group`` (一岗双责) a framed
group, ``risks`` the five category tables, ``sign`` and ``remarks`` the closing rows.
Above the table, as on paper: 单位 and 填表日期. A field declared for the kind that no row
places is shown after the rest, so nothing declared is ever left off the screen.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLayout,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from lianzheng_desktop.domain.definitions import definitions, plain


class FieldKeys(QObject):
    """On every field: Ctrl+Z / Ctrl+Y reach the form's undo stack instead of the text box's
    own, and leaving a field ends its undo step."""

    def __init__(self, editor):
        super().__init__(editor)
        self.editor = editor

    def eventFilter(self, obj, event):
        kind = event.type()
        if kind == QEvent.Type.ShortcutOverride and (
                event.matches(QKeySequence.StandardKey.Undo) or event.matches(QKeySequence.StandardKey.Redo)
                or (event.key() == Qt.Key.Key_Y and event.modifiers() == Qt.KeyboardModifier.ControlModifier)):
            event.ignore()
            return True
        if kind == QEvent.Type.FocusOut:
            self.editor.field_left(obj)
        return False


class PlainText(QPlainTextEdit):
    """A multi-line field that grows a little with its text and reports focus loss."""

    def __init__(self, lines: int = 3, parent=None):
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setUndoRedoEnabled(False)
        self.setMinimumHeight(self.fontMetrics().lineSpacing() * lines + 12)
        self.setSizeAdjustPolicy(QPlainTextEdit.SizeAdjustPolicy.AdjustToContents)


def label_for(key: str) -> str:
    return definitions().field(key).label + "："


def lay_out(kind_key: str, body: QVBoxLayout, widget_for: Callable[[str], QWidget | None],
            risk_tables: Callable[[], list[QWidget]], form: QFormLayout | None = None) -> list[str]:
    """Put the kind's rows into ``body`` (the first ones into ``form``, where the header
    already is, so that the labels line up); returns the keys placed."""
    d = definitions()
    kind = d.kind(kind_key)
    placed: list[str] = []
    form = form or form_layout(body)

    def add(key: str, layout: QFormLayout) -> None:
        widget = widget_for(key)
        if widget is not None:
            layout.addRow(label_for(key), widget)
            placed.append(key)

    for row in kind.rows:
        kind_of_row = row["type"]
        if kind_of_row in ("field", "sign", "remarks"):
            add(row["field"], form)
        elif kind_of_row == "pair":
            keys = [k for k in row["fields"] if widget_for(k) is not None]
            if keys:
                line = QHBoxLayout()
                for i, key in enumerate(keys):
                    if i:
                        line.addSpacing(12)
                        line.addWidget(QLabel(label_for(key)))
                    line.addWidget(widget_for(key), 1)
                    placed.append(key)
                form.addRow(label_for(keys[0]), line)
        elif kind_of_row == "duty_group":
            box = QGroupBox(plain(row["label"]))
            box.setToolTip(f"{plain(row['label'])}：" + "、".join(d.field(k).label for k in row["fields"]))
            inner = QFormLayout(box)
            inner.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
            for key in row["fields"]:
                add(key, inner)
            form.addRow(box)
        elif kind_of_row == "risks":
            for table in risk_tables():
                body.addWidget(table)
            form = form_layout(body)
    for f in d.fields_for(kind_key):  # declared but placed by no row: still shown
        if f.key not in placed and f.type in ("text", "multiline") and f.key != "unit":
            add(f.key, form)
    return placed


def form_layout(body: QVBoxLayout) -> QFormLayout:
    form = QFormLayout()
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
    form.setSizeConstraint(QLayout.SizeConstraint.SetDefaultConstraint)
    body.addLayout(form)
    return form
