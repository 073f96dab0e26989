"""The risk points of one category as a Qt table model over the domain Form.

Reads go straight to the Form; writes from views become undo commands (ui/commands.py),
which change the Form and use ``inserting``/``removing``/``moving``/``row_changed`` here
to tell the views. The columns are declared in forms/columns.toml (risk_editor).
"""

from __future__ import annotations

import contextlib
import json

from PySide6.QtCore import QAbstractTableModel, QByteArray, QMimeData, QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from lianzheng_desktop.domain.definitions import definitions
from lianzheng_desktop.domain.model import RiskPoint
from lianzheng_desktop.domain.naming import point_number
from lianzheng_desktop.domain.review import label as review_label
from lianzheng_desktop.domain.rows import columns
from lianzheng_desktop.domain.year_compare import beside
from lianzheng_desktop.operations.review import committee_level_question
from lianzheng_desktop.ui import ask, commands

COLUMNS = tuple(c.key for c in columns("risk_editor"))
NUMBER, POINT, SELF, APPROVED, MEASURES = (COLUMNS.index(k) for k in
                                           ("number", "point", "self_level", "approved_level", "measures"))
LEVEL_COLUMNS = (SELF, APPROVED)
ROW_MIME = "application/x-lianzheng-risk-row"
REFERENCE_MIME = "application/x-lianzheng-reference"
DIFFERS_BRUSH = QBrush(QColor("#ffe2b8"))
COMMITTEE_BRUSH = QBrush(QColor("#dbeafe"))  # what the committee's review set or wrote
# after the declared columns, when there is something to show: the committee's comments
# (COMMENT), then last year's point ("对照去年", RiskTableModel.last_year_column)
COMMENT = len(COLUMNS)
LAST_YEAR_BRUSH = QBrush(QColor("#f3f4f6"))
LAST_YEAR_NEW = QBrush(QColor("#e6f4ea"))


class RiskTableModel(QAbstractTableModel):
    changed = Signal()  # any change of this category's points
    reference_dropped = Signal(int, str)  # row, reference code (dragged from the pick-list)

    def __init__(self, editor, category: str, parent=None):
        super().__init__(parent)
        self.editor = editor
        self.category = category
        self.read_only = False
        # "对照去年": last year's (operations.comparing.LastYear) in a read-only column after the others
        self.last_year = None

    # -- reading ---------------------------------------------------------------

    @property
    def form(self):
        return self.editor.form

    def risks(self) -> list[RiskPoint]:
        return self.form.risks_in(self.category)

    def risk(self, row: int) -> RiskPoint:
        return self.risks()[row]

    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self.risks())

    def columnCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(COLUMNS) + bool(self.comments) + (self.last_year is not None)

    @property
    def note(self):
        """The committee's latest review of this form (operations.review.FormNote) or None."""
        return getattr(self.editor, "review_note", None)

    @property
    def comments(self) -> dict[str, str]:
        return self.note.comments if self.note else {}

    @property
    def last_year_column(self) -> int:
        """Where "对照去年" shows last year's point: after the comments, if any."""
        return len(COLUMNS) + bool(self.comments)

    def _extra(self, column: int) -> str | None:
        """Which added column ``column`` is: "comment", "last_year" or None (a declared one)."""
        if column < len(COLUMNS):
            return None
        if self.comments and column == COMMENT:
            return "comment"
        return "last_year" if self.last_year is not None and column == self.last_year_column else None

    def show_last_year(self, last_year) -> None:
        """Show last year's beside each point (None: hide the column)."""
        at = self.last_year_column
        if (self.last_year is None) == (last_year is None):
            self.last_year = last_year
            if self.rowCount():
                self.dataChanged.emit(self.index(0, at), self.index(self.rowCount() - 1, at))
            return
        if last_year is None:
            self.beginRemoveColumns(QModelIndex(), at, at)
            self.last_year = None
            self.endRemoveColumns()
        else:
            self.beginInsertColumns(QModelIndex(), at, at)
            self.last_year = last_year
            self.endInsertColumns()

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        extra = self._extra(section)
        if extra == "comment":
            return review_label("comment")
        if extra == "last_year":
            return f"{self.last_year.year} 年度（对照去年）"
        return columns("risk_editor")[section].short_header

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        risk, column = self.risk(index.row()), index.column()
        d = definitions()
        extra = self._extra(column)
        if extra == "last_year":
            return self._last_year_data(risk, role)
        if extra == "comment":
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                return self.comments.get(risk.id) or None
            if role == Qt.ItemDataRole.BackgroundRole and risk.id in self.comments:
                return COMMITTEE_BRUSH
            return None
        committee_level = self.note.levels.get(risk.id) if self.note else None
        if column == APPROVED and committee_level is not None:
            if role == Qt.ItemDataRole.ToolTipRole:
                if risk.approved_level == committee_level:
                    return f"{review_label('committee_set')}（第 {self.note.number} 轮审核）"
                return review_label("unit_changed").format(level=d.level_name(committee_level))
            if role == Qt.ItemDataRole.BackgroundRole:
                return COMMITTEE_BRUSH if risk.approved_level == committee_level else DIFFERS_BRUSH
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if column == NUMBER:
                return f"{index.row() + 1}."
            value = getattr(risk, COLUMNS[column])
            if column in LEVEL_COLUMNS:
                return value if role == Qt.ItemDataRole.EditRole else d.level_name(value)
            return value
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == NUMBER:  # the number the committee's review and phone calls use
                source = f"\n来自附件1参考点 {risk.ref}" if risk.ref else ""
                return f"{review_label('number')}：{point_number(self.form, risk)}{source}"
            if column in LEVEL_COLUMNS:
                value = getattr(risk, COLUMNS[column])
                tip = d.level(value).definition if value else "尚未定级"
                if column == APPROVED and risk.levels_differ:
                    tip += "\n审定等级与自评不同"
                return tip
            if column in (POINT, MEASURES):
                return getattr(risk, COLUMNS[column]) or None
        if role == Qt.ItemDataRole.BackgroundRole and column in LEVEL_COLUMNS and risk.levels_differ:
            return DIFFERS_BRUSH
        if role == Qt.ItemDataRole.TextAlignmentRole and columns("risk_editor")[column].align == "center":
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def _last_year_data(self, risk: RiskPoint, role):
        if self.last_year is None:
            return None
        old = self.last_year.points.get(risk.id)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return beside(risk, old, self.last_year.year)
        if role == Qt.ItemDataRole.ForegroundRole:
            return QColor("#555555")
        if role == Qt.ItemDataRole.BackgroundRole:
            return LAST_YEAR_NEW if old is None else LAST_YEAR_BRUSH
        return None

    def flags(self, index):
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if not index.isValid():
            return base | Qt.ItemFlag.ItemIsDropEnabled
        if self._extra(index.column()) == "last_year":
            return base  # shown, never edited
        if self.read_only:
            return base
        base |= Qt.ItemFlag.ItemIsDragEnabled | Qt.ItemFlag.ItemIsDropEnabled
        if index.column() != NUMBER and not self._extra(index.column()):
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    # -- writing through the undo stack ---------------------------------------

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole):
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or index.column() == NUMBER \
                or self._extra(index.column()):
            return False
        key = COLUMNS[index.column()]
        if key in ("self_level", "approved_level"):
            value = value or None
        old = getattr(self.risk(index.row()), key)
        if key == "approved_level" and value != old:
            question = committee_level_question(self.note, self.risk(index.row()).id, value)
            if question and not ask.confirm(self.editor, "改动校纪委审定的等级", question):
                return False
        if value != old:
            self.editor.push(commands.SetRiskValue(self, index.row(), key, old, value))
        return True

    def set_text(self, index, text: str, session: int) -> None:
        """Text from an open cell editor: its commits while typing merge into one step."""
        key = COLUMNS[index.column()]
        old = getattr(self.risk(index.row()), key)
        if text != old:
            self.editor.push(commands.SetRiskValue(self, index.row(), key, old, text, session=session))

    def insert(self, row: int, risks: list[RiskPoint], text: str = "插入风险点") -> None:
        self.editor.push(commands.InsertRisks(self, row, risks, text))

    def remove(self, row: int, count: int) -> None:
        if count > 0:
            self.editor.push(commands.RemoveRisks(self, row, count))

    def move(self, row: int, to_row: int) -> None:
        if 0 <= to_row < self.rowCount() and to_row != row:
            self.editor.push(commands.MoveRisk(self, row, to_row))

    # -- called by the commands: tell the views around a change of the Form ---

    def row_changed(self, row: int) -> None:
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))
        self.changed.emit()

    @contextlib.contextmanager
    def inserting(self, row: int, count: int):
        self.beginInsertRows(QModelIndex(), row, row + count - 1)
        yield
        self.endInsertRows()
        self._renumber()

    @contextlib.contextmanager
    def removing(self, row: int, count: int):
        self.beginRemoveRows(QModelIndex(), row, row + count - 1)
        yield
        self.endRemoveRows()
        self._renumber()

    @contextlib.contextmanager
    def moving(self, row: int, to_row: int):
        self.beginMoveRows(QModelIndex(), row, row, QModelIndex(), to_row + 1 if to_row > row else to_row)
        yield
        self.endMoveRows()
        self._renumber()

    def _renumber(self) -> None:
        if self.rowCount():
            self.dataChanged.emit(self.index(0, NUMBER), self.index(self.rowCount() - 1, NUMBER))
        self.changed.emit()

    # -- drag and drop: reorder rows, or drop a reference point ---------------

    def supportedDropActions(self):
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def supportedDragActions(self):
        return Qt.DropAction.MoveAction

    def mimeTypes(self):
        return [ROW_MIME, REFERENCE_MIME]

    def mimeData(self, indexes):
        rows = sorted({i.row() for i in indexes})
        mime = QMimeData()
        payload = {"form": self.form.id, "category": self.category, "row": rows[0]}
        mime.setData(ROW_MIME, QByteArray(json.dumps(payload).encode()))
        return mime

    def canDropMimeData(self, data, action, row, column, parent):
        return not self.read_only and (data.hasFormat(ROW_MIME) or data.hasFormat(REFERENCE_MIME))

    def dropMimeData(self, data, action, row, column, parent):
        if self.read_only:
            return False
        target = row if row >= 0 else (parent.row() if parent.isValid() else self.rowCount())
        if data.hasFormat(REFERENCE_MIME):
            self.reference_dropped.emit(target, bytes(data.data(REFERENCE_MIME)).decode())
            return False
        if data.hasFormat(ROW_MIME):
            payload = json.loads(bytes(data.data(ROW_MIME)).decode())
            if payload["form"] != self.form.id or payload["category"] != self.category:
                return False  # rows move only within their own category table
            source = payload["row"]
            to_row = target - 1 if target > source else target
            self.move(source, min(to_row, self.rowCount() - 1))
        # False: the view must not remove the source row itself; the move did it.
        return False
