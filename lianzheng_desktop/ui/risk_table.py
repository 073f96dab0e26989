"""The risk-point table of one category: in-place multi-line editing, level pickers,
keyboard row operations, paste from Excel/WPS, drag to reorder."""

from __future__ import annotations

from PySide6.QtCore import QStringListModel, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QHeaderView,
    QPlainTextEdit,
    QStyledItemDelegate,
    QTableView,
)

from lianzheng_desktop.domain.definitions import definitions
from lianzheng_desktop.domain.rows import columns
from lianzheng_desktop.ui.risk_model import APPROVED, MEASURES, POINT, SELF

EDIT_HINT = "正在编辑：Enter 确认，Alt+Enter 换行，Esc 取消"


class CellEditor(QPlainTextEdit):
    """Multi-line cell editor: Enter commits, Alt+Enter inserts a line break (as in Excel/WPS)."""

    commit = Signal()

    def __init__(self, parent, suggestions: list[str] | None = None):
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setUndoRedoEnabled(False)  # the form's undo stack covers the committed text
        self.completer = None
        if suggestions:
            self.completer = QCompleter(QStringListModel(suggestions, self), self)
            self.completer.setWidget(self)
            self.completer.setFilterMode(Qt.MatchFlag.MatchContains)
            self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            self.completer.activated.connect(self._complete)
            self.textChanged.connect(self._suggest)

    def _suggest(self):
        text = self.toPlainText()
        if not text.strip() or "\n" in text:
            self.completer.popup().hide()
            return
        self.completer.setCompletionPrefix(text)
        if self.completer.completionCount():
            rect = self.cursorRect()
            rect.setWidth(max(self.width(), 320))
            self.completer.complete(rect)
        else:
            self.completer.popup().hide()

    def _complete(self, text: str):
        self.setPlainText(text)
        self.moveCursor(QTextCursor.MoveOperation.End)

    def keyPressEvent(self, event):
        if self.completer and self.completer.popup().isVisible() and event.key() in (
                Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Escape, Qt.Key.Key_Up, Qt.Key.Key_Down):
            event.ignore()  # the completer's popup handles these
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if event.modifiers() & Qt.KeyboardModifier.AltModifier:
                self.insertPlainText("\n")
            else:
                self.commit.emit()
            return
        super().keyPressEvent(event)


class TextDelegate(QStyledItemDelegate):
    editing = Signal(bool)

    def __init__(self, parent, suggestions=None):
        super().__init__(parent)
        self.suggestions = suggestions
        self.open_editor: CellEditor | None = None

    def commit_open_editor(self) -> None:
        """Hand the text of a cell still being edited to the model (before a save)."""
        if self.open_editor is not None:
            self.commitData.emit(self.open_editor)

    def createEditor(self, parent, option, index):
        editor = CellEditor(parent, self.suggestions() if self.suggestions else None)
        self.open_editor = editor
        editor.destroyed.connect(lambda *_: setattr(self, "open_editor", None))
        editor.commit.connect(lambda: self._finish(editor))
        view = self.parent()
        # the row grows with the text being typed (Alt+Enter lines included)
        editor.textChanged.connect(lambda: view.grow_row(index.row(), editor))
        self.editing.emit(True)
        editor.destroyed.connect(lambda *_: self.editing.emit(False))
        return editor

    def _finish(self, editor):
        self.commitData.emit(editor)
        self.closeEditor.emit(editor, QStyledItemDelegate.EndEditHint.NoHint)

    def setEditorData(self, editor, index):
        if editor.toPlainText() != (index.data(Qt.ItemDataRole.EditRole) or ""):
            editor.blockSignals(True)  # no suggestions for the text already there
            editor.setPlainText(index.data(Qt.ItemDataRole.EditRole) or "")
            editor.blockSignals(False)
        editor.selectAll()
        self.parent().grow_row(index.row(), editor)

    def setModelData(self, editor, model, index):
        model.setData(index, editor.toPlainText())



class LevelDelegate(QStyledItemDelegate):
    """一级/二级/三级 or empty, with the section 五 definitions as tooltips."""

    def createEditor(self, parent, option, index):
        combo = QComboBox(parent)
        combo.addItem("", None)
        for level in definitions().levels:
            combo.addItem(level.name, level.value)
            combo.setItemData(combo.count() - 1, level.definition, Qt.ItemDataRole.ToolTipRole)
        # Each choice is saved at once (arrow keys step through levels, as in a sheet);
        # Enter, Tab or a click elsewhere closes the picker.
        combo.activated.connect(lambda *_: self.commitData.emit(combo))
        return combo

    def setEditorData(self, editor, index):
        editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole))))

    def setModelData(self, editor, model, index):
        model.setData(index, editor.currentData())


class RiskTableView(QTableView):
    """A table that is as tall as its rows: the form scrolls, not each table."""

    row_action = Signal(str)  # "paste" or "copy"
    focused = Signal()

    def __init__(self, model, parent=None):
        super().__init__(parent)
        self.setModel(model)
        self.setWordWrap(True)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                             | QAbstractItemView.EditTrigger.EditKeyPressed
                             | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.verticalHeader().hide()
        header = self.horizontalHeader()
        digit = self.fontMetrics().horizontalAdvance("0")
        for column, spec in enumerate(columns("risk_editor")):
            if spec.stretch:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
            else:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
                self.setColumnWidth(column, round(spec.width * digit))
        self.text_delegate = TextDelegate(self)
        self.point_delegate = TextDelegate(self, self._reference_texts)
        self.setItemDelegateForColumn(POINT, self.point_delegate)
        self.setItemDelegateForColumn(MEASURES, self.text_delegate)
        self._grown: dict[int, int] = {}
        for delegate in (self.text_delegate, self.point_delegate):
            # once editing ends, rows shrink back to their text
            delegate.closeEditor.connect(self._editing_ended)
        level = LevelDelegate(self)
        self.setItemDelegateForColumn(SELF, level)
        self.setItemDelegateForColumn(APPROVED, level)
        for signal in (model.rowsInserted, model.rowsRemoved, model.rowsMoved, model.dataChanged,
                       model.modelReset):
            signal.connect(self.fit_height)
        self.fit_height()

    def _reference_texts(self) -> list[str]:
        category = definitions().category(self.model().category)
        return [p.text for p in category.points if not p.other]

    def fit_height(self, *_):
        self.resizeRowsToContents()
        for row, height in self._grown.items():  # the row being edited keeps its room
            if row < self.model().rowCount():
                self.setRowHeight(row, max(height, self.rowHeight(row)))
        self._fit_table()

    def grow_row(self, row: int, editor: QPlainTextEdit) -> None:
        """Make the row being edited tall enough for the editor's text, at least two lines."""
        lines = max(2, editor.document().lineCount() + 1)
        needed = editor.fontMetrics().lineSpacing() * lines + 10
        if self.rowHeight(row) < needed:
            self._grown[row] = needed
            self.setRowHeight(row, needed)
            self._fit_table()
            self.updateEditorGeometries()

    def _editing_ended(self, *_):
        self._grown.clear()
        QTimer.singleShot(0, self.fit_height)

    def _fit_table(self):
        height = self.horizontalHeader().height() + 2 * self.frameWidth()
        height += sum(self.rowHeight(r) for r in range(self.model().rowCount()))
        self.setFixedHeight(max(height, self.horizontalHeader().height() + 2 * self.frameWidth() + 24))

    def resizeEvent(self, event):
        super().resizeEvent(event)
        self.fit_height()

    def focusInEvent(self, event):
        super().focusInEvent(event)
        self.focused.emit()

    def current_row(self) -> int:
        index = self.currentIndex()
        return index.row() if index.isValid() else -1

    def edit_cell(self, row: int, column: int = POINT) -> None:
        index = self.model().index(row, column)
        self.setCurrentIndex(index)
        self.setFocus()
        self.edit(index)

    def keyPressEvent(self, event):
        # Row insert/delete/move are the window's actions (Edit menu); the table itself
        # handles what depends on the focus: paste and copy rows, Enter to edit.
        if self.state() != QAbstractItemView.State.EditingState:
            if event.matches(QKeySequence.StandardKey.Paste):
                self.row_action.emit("paste")
                return
            if event.matches(QKeySequence.StandardKey.Copy):
                self.row_action.emit("copy")
                return
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
                self.edit(self.currentIndex())
                return
        super().keyPressEvent(event)
