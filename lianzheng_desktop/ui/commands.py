"""Undoable edits of a form. Each command changes the domain object through its editor
and remembers the old value, so Ctrl+Z / Ctrl+Y cover every change the user makes."""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand

from lianzheng_desktop.domain.definitions import definitions

_FIELD_ID = 1001


class SetField(QUndoCommand):
    """A header field, duty text, opinion or the date; typing in one field merges."""

    def __init__(self, editor, key: str, old, new):
        label = definitions().field(key).label
        super().__init__(f"修改“{label}”")
        self.editor, self.key, self.old, self.new = editor, key, old, new

    def id(self) -> int:
        return _FIELD_ID

    def mergeWith(self, other) -> bool:
        if other.key != self.key or self.key == "filled_on":
            return False
        self.new = other.new
        return True

    def redo(self):
        self.editor.apply_field(self.key, self.new)

    def undo(self):
        self.editor.apply_field(self.key, self.old)


class SetRiskValue(QUndoCommand):
    """One cell of a risk point: its text, 自评 or 审定."""

    def __init__(self, model, row: int, key: str, old, new, text: str = ""):
        label = definitions().risk_field(key).label
        super().__init__(text or f"修改{label}")
        self.model, self.row, self.key, self.old, self.new = model, row, key, old, new

    def redo(self):
        self.model.apply_value(self.row, self.key, self.new)

    def undo(self):
        self.model.apply_value(self.row, self.key, self.old)


class InsertRisks(QUndoCommand):
    def __init__(self, model, row: int, risks, text: str = "插入风险点"):
        super().__init__(text)
        self.model, self.row, self.risks = model, row, risks

    def redo(self):
        self.model.apply_insert(self.row, self.risks)

    def undo(self):
        self.model.apply_remove(self.row, len(self.risks))


class RemoveRisks(QUndoCommand):
    def __init__(self, model, row: int, count: int):
        super().__init__("删除风险点")
        self.model, self.row, self.count = model, row, count
        self.removed = []

    def redo(self):
        self.removed = self.model.apply_remove(self.row, self.count)

    def undo(self):
        self.model.apply_insert(self.row, self.removed)


class MoveRisk(QUndoCommand):
    def __init__(self, model, row: int, to_row: int):
        super().__init__("移动风险点")
        self.model, self.row, self.to_row = model, row, to_row

    def redo(self):
        self.model.apply_move(self.row, self.to_row)

    def undo(self):
        self.model.apply_move(self.to_row, self.row)
