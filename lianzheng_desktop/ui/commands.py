"""Undoable edits of a form (the pattern of orange-canvas-core's document commands).

Each command makes its change through the domain ``Form`` and remembers the old value;
the editor's widgets and the risk tables' models are only told to show the change.
Ctrl+Z / Ctrl+Y cover every change the user makes, and the undo stack's clean state says
whether the form differs from what is saved.

Typing merges into one step while the user stays in one field or one open cell: each
command carries the editor's ``merge_session``, which moves on when a field loses focus
or a cell editor closes. QUndoStack also never merges into the command at its clean
index, so an autosave (about every second while typing) ends a step too: a long burst of
typing undoes in pieces of about a second. That is accepted: nothing typed is ever lost.
"""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand

from lianzheng_desktop.domain.definitions import definitions

_FIELD_ID = 1001
_RISK_ID = 1002
_UNIT_ID = 1003


class SetField(QUndoCommand):
    """A header field, duty text, opinion or the date; typing in one field merges."""

    def __init__(self, editor, key: str, old, new):
        super().__init__(f"修改“{definitions().field(key).label}”")
        self.editor, self.key, self.old, self.new = editor, key, old, new
        self.session = getattr(editor, "merge_session", 0)

    def id(self) -> int:
        return _FIELD_ID

    def mergeWith(self, other) -> bool:
        if other.key != self.key or self.key == "filled_on" or other.session != self.session:
            return False
        self.new = other.new
        return True

    def _set(self, value) -> None:
        setattr(self.editor.form, self.key, value)
        self.editor.show_field(self.key)

    def redo(self):
        self._set(self.new)

    def undo(self):
        self._set(self.old)


class SetRiskValue(QUndoCommand):
    """One cell of a risk point: its text, 自评 or 审定."""

    def __init__(self, model, row: int, key: str, old, new, text: str = "", session: int | None = None):
        super().__init__(text or f"修改{definitions().risk_field(key).label}")
        self.model, self.row, self.key, self.old, self.new = model, row, key, old, new
        self.session = session  # typing in one open cell editor merges (None: never)

    def id(self) -> int:
        return _RISK_ID

    def mergeWith(self, other) -> bool:
        if self.session is None or other.session != self.session or (other.model, other.row, other.key) != (
                self.model, self.row, self.key):
            return False
        self.new = other.new
        return True

    def _set(self, value) -> None:
        self.model.form.set_risk_value(self.model.category, self.row, self.key, value)
        self.model.row_changed(self.row)

    def redo(self):
        self._set(self.new)

    def undo(self):
        self._set(self.old)


class InsertRisks(QUndoCommand):
    def __init__(self, model, row: int, risks, text: str = "插入风险点"):
        super().__init__(text)
        self.model, self.row, self.risks = model, row, risks

    def redo(self):
        m = self.model
        with m.inserting(self.row, len(self.risks)):
            m.form.insert_risks(m.category, self.row, self.risks, definitions().category_keys)

    def undo(self):
        m = self.model
        with m.removing(self.row, len(self.risks)):
            m.form.remove_risks(m.category, self.row, len(self.risks))


class RemoveRisks(QUndoCommand):
    def __init__(self, model, row: int, count: int):
        super().__init__("删除风险点")
        self.model, self.row, self.count = model, row, count
        self.removed = []

    def redo(self):
        m = self.model
        with m.removing(self.row, self.count):
            self.removed = m.form.remove_risks(m.category, self.row, self.count)

    def undo(self):
        m = self.model
        with m.inserting(self.row, len(self.removed)):
            m.form.insert_risks(m.category, self.row, self.removed, definitions().category_keys)


class MoveRisk(QUndoCommand):
    def __init__(self, model, row: int, to_row: int):
        super().__init__("移动风险点")
        self.model, self.row, self.to_row = model, row, to_row

    def _move(self, row: int, to_row: int) -> None:
        m = self.model
        with m.moving(row, to_row):
            m.form.move_risk(m.category, row, to_row, definitions().category_keys)

    def redo(self):
        self._move(self.row, self.to_row)

    def undo(self):
        self._move(self.to_row, self.row)


class RenameUnit(QUndoCommand):
    """The unit's new name on every form of the year (operations.units). The operation has
    already run when the command is pushed; undo and redo call it again."""

    def __init__(self, window, renamed, session: int | None = None):
        super().__init__(f"修改{definitions().field('unit').label}为“{renamed.new}”")
        self.window, self.renamed, self.session = window, renamed, session
        self._done = True  # pushed after the operation succeeded

    def id(self) -> int:
        return _UNIT_ID

    def mergeWith(self, other) -> bool:
        if self.session is None or other.session != self.session or other.renamed.year != self.renamed.year:
            return False
        # one step back to the names before the first rename of this burst of typing
        self.renamed.previous = {**other.renamed.previous, **self.renamed.previous}
        self.renamed.new = other.renamed.new
        self.setText(other.text())
        return True

    def redo(self):
        if self._done:
            self._done = False
            return
        self.window.redo_rename(self.renamed)

    def undo(self):
        self.window.undo_rename(self.renamed)
