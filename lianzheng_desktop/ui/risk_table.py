"""The risk-point table of one category: in-place multi-line editing, level pickers,
keyboard row operations, paste from Excel/WPS, drag to reorder.

The keys work as in WPS/Excel and Word tables: typing replaces a cell, F2 or a double
click edits it, Enter confirms and moves down, Alt+Enter is a line break, Ctrl+Z inside an
open cell undoes typing, Tab moves to the next cell — in the last cell it adds a row (as
Word does), from an empty last row it walks on to the next category — Delete clears the
selected cells, and 1/2/3 typed in a level cell set 一级/二级/三级. Text being typed is
handed to the model on every autosave tick without closing the cell."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QItemSelectionModel, QPersistentModelIndex, QStringListModel, Qt, QTimer, Signal
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

EDIT_HINT = "正在编辑：Enter 确认，Alt+Enter 换行，Tab 下一格，Esc 取消"
LEVEL_KEYS = {Qt.Key.Key_1: 1, Qt.Key.Key_2: 2, Qt.Key.Key_3: 3}


class CellEditor(QPlainTextEdit):
    """Multi-line cell editor: Enter commits, Alt+Enter inserts a line break (as in Excel/WPS)."""

    commit = Signal()
    tabbed = Signal(bool)  # Tab (True) / Shift+Tab: confirm, then the table moves on

    def __init__(self, parent, suggestions: list[str] | None = None):
        super().__init__(parent)
        self.setTabChangesFocus(False)  # Tab comes to keyPressEvent, which hands it to the table
        # Ctrl+Z while the cell is open undoes typing in it (as in Excel); once the cell is
        # confirmed, the form's undo stack takes it back as one step.
        self.setUndoRedoEnabled(True)
        self.populated = False  # set by the delegate once the cell's text is in
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
        if event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) and not (
                event.modifiers() & Qt.KeyboardModifier.ControlModifier):
            shift = event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            self.tabbed.emit(event.key() == Qt.Key.Key_Tab and not shift)
            return
        super().keyPressEvent(event)


class TextDelegate(QStyledItemDelegate):
    editing = Signal(bool)
    typing = Signal()  # text typed in an open cell: the autosave timer starts

    def __init__(self, parent, suggestions=None):
        super().__init__(parent)
        self.suggestions = suggestions
        self.open_editor: CellEditor | None = None
        self.session = 0  # one number per opened cell: its commits merge into one undo step

    def commit_open_editor(self) -> None:
        """Hand the text of a cell still being edited to the model (before a save); the
        cell stays open and the caret where it is."""
        editor = self.open_editor
        if editor is not None and editor.populated and editor.index.isValid() and \
                editor.toPlainText() != (editor.index.data(Qt.ItemDataRole.EditRole) or ""):
            self.commitData.emit(editor)

    def createEditor(self, parent, option, index):
        editor = CellEditor(parent, self.suggestions() if self.suggestions else None)
        editor.index = QPersistentModelIndex(index)
        self.open_editor = editor
        self.session += 1
        editor.destroyed.connect(lambda *_: setattr(self, "open_editor", None))
        editor.commit.connect(lambda: self._finish(editor))
        editor.tabbed.connect(lambda forward: self._tabbed(editor, forward))
        view = self.parent()
        # the row grows with the text being typed (Alt+Enter lines included)
        editor.textChanged.connect(lambda: view.grow_row(index.row(), editor))
        editor.textChanged.connect(lambda: editor.populated and self.typing.emit())
        self.editing.emit(True)
        editor.destroyed.connect(lambda *_: self.editing.emit(False))
        return editor

    def _finish(self, editor):
        self.commitData.emit(editor)
        self.closeEditor.emit(editor, QStyledItemDelegate.EndEditHint.NoHint)
        self.parent().step_down()  # Enter moves on, as in a spreadsheet

    def _tabbed(self, editor, forward: bool):
        self.commitData.emit(editor)
        self.closeEditor.emit(editor, QStyledItemDelegate.EndEditHint.NoHint)
        self.parent().tab(forward)

    def setEditorData(self, editor, index):
        text = index.data(Qt.ItemDataRole.EditRole) or ""
        if editor.populated:
            # The model changed while the cell is open: an autosave commit of this very text
            # (keep typing undisturbed) or an undo from elsewhere (show it).
            if editor.toPlainText() != text:
                editor.setPlainText(text)
            return
        editor.blockSignals(True)  # no suggestions for the text already there
        editor.setPlainText(text)
        editor.blockSignals(False)
        editor.selectAll()
        editor.populated = True
        self.parent().grow_row(index.row(), editor)

    def setModelData(self, editor, model, index):
        model.set_text(index, editor.toPlainText(), self.session)



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

    def eventFilter(self, editor, event):
        # 1, 2, 3 typed in an open picker choose 一级, 二级, 三级 and close it
        if event.type() == QEvent.Type.KeyPress and event.key() in LEVEL_KEYS and isinstance(editor, QComboBox):
            editor.setCurrentIndex(editor.findData(LEVEL_KEYS[event.key()]))
            self.commitData.emit(editor)
            self.closeEditor.emit(editor, QStyledItemDelegate.EndEditHint.NoHint)
            return True
        return super().eventFilter(editor, event)

    def setEditorData(self, editor, index):
        editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole))))

    def setModelData(self, editor, model, index):
        model.setData(index, editor.currentData())


class RiskTableView(QTableView):
    """A table that is as tall as its rows: the form scrolls, not each table."""

    row_action = Signal(str)  # "paste", "copy", "clear" (Delete) or "append" (Tab in the last cell)
    focused = Signal()
    leave = Signal(bool)  # Tab (True) / Shift+Tab (False) walks out of the table

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

    def go_to(self, row: int, column: int) -> None:
        """Make a cell current and the only one selected (whatever keys are held: Shift+Tab
        must not extend the selection)."""
        index = self.model().index(row, column)
        self.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.scrollTo(index)

    def step_down(self) -> None:
        """Enter: the same column of the next row (the last row stays)."""
        index = self.currentIndex()
        if index.isValid() and index.row() + 1 < self.model().rowCount():
            self.go_to(index.row() + 1, index.column())

    def _editable_cells(self) -> list[tuple[int, int]]:
        model = self.model()
        return [(r, c) for r in range(model.rowCount()) for c in range(model.columnCount())
                if model.flags(model.index(r, c)) & Qt.ItemFlag.ItemIsEditable]

    def tab(self, forward: bool) -> None:
        """The next (previous) editable cell; past the last one a new row, unless the last
        row is still empty — then on to the next category (as past the first, back)."""
        cells = self._editable_cells()
        index = self.currentIndex()
        here = (index.row(), index.column()) if index.isValid() else None
        if here in cells:
            at = cells.index(here) + (1 if forward else -1)
        else:
            at = 0 if forward else len(cells) - 1
        if 0 <= at < len(cells):
            self.go_to(*cells[at])
            return
        model = self.model()
        if forward and cells and not model.risk(model.rowCount() - 1).is_blank:
            self.row_action.emit("append")
            return
        self.leave.emit(forward)

    def closeEditor(self, editor, hint):
        # Tab in an open cell: confirm it and move as Tab does outside (new row or next category)
        if hint in (QStyledItemDelegate.EndEditHint.EditNextItem, QStyledItemDelegate.EndEditHint.EditPreviousItem):
            super().closeEditor(editor, QStyledItemDelegate.EndEditHint.NoHint)
            self.tab(hint == QStyledItemDelegate.EndEditHint.EditNextItem)
            return
        super().closeEditor(editor, hint)

    def keyPressEvent(self, event):
        # Row insert/delete/move are the window's actions (Edit menu); the table itself
        # handles what depends on the focus: paste, copy, clear, Enter, Tab, level digits.
        if self.state() != QAbstractItemView.State.EditingState:
            index = self.currentIndex()
            if event.matches(QKeySequence.StandardKey.Paste):
                self.row_action.emit("paste")
                return
            if event.matches(QKeySequence.StandardKey.Copy):
                self.row_action.emit("copy")
                return
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and index.isValid():
                self.step_down()
                return
            if event.key() == Qt.Key.Key_Delete and index.isValid():
                self.row_action.emit("clear")
                return
            if event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) and not (
                    event.modifiers() & Qt.KeyboardModifier.ControlModifier):
                self.tab(event.key() == Qt.Key.Key_Tab)
                return
            if event.key() in LEVEL_KEYS and index.isValid() and index.column() in (SELF, APPROVED) \
                    and self.model().flags(index) & Qt.ItemFlag.ItemIsEditable:
                self.model().setData(index, LEVEL_KEYS[event.key()])
                return
        super().keyPressEvent(event)

    def focusNextPrevChild(self, forward: bool) -> bool:
        # Tab is the table's own (see keyPressEvent); while a cell is open it commits first
        if self.state() == QAbstractItemView.State.EditingState:
            return super().focusNextPrevChild(forward)
        self.tab(forward)
        return True
