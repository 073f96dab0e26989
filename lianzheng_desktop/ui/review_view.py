"""The committee's review of one unit's year: the official table of each form, per point
审定 (where forms/tables.toml lets the committee set it) and a comment, per form an
opinion and 通过 / 退回修改 with a reason. Every change goes through operations/review.py
(stored with time and reviewer) and onto a QUndoStack, undoable until the review file is
sent. After the unit sends again, the points changed since the review are listed and
marked, and the round can be closed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QSplitter,
    QStyledItemDelegate,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from lianzheng_desktop.domain.definitions import definitions
from lianzheng_desktop.domain.naming import MESSAGE, form_name, point_numbers
from lianzheng_desktop.domain.review import PASS, RETURN, decision_name, label
from lianzheng_desktop.operations import review as ops
from lianzheng_desktop.store import FormStore, StoreError

COLUMNS = ("number", "category", "point", "self_level", "approved_level", "measures", "comment")
APPROVED, COMMENT = COLUMNS.index("approved_level"), COLUMNS.index("comment")
COMMITTEE_BRUSH = QBrush(QColor("#dbeafe"))  # the committee's own 审定 and comments
CHANGED_BRUSH = QBrush(QColor("#ffe2b8"))  # changed by the unit since the review
FORM_ID = Qt.ItemDataRole.UserRole


class ReviewTableModel(QAbstractTableModel):
    """The points of one form as reviewed, with the committee's 审定 and comments."""

    edited = Signal(str, str, object)  # point id, field, new value

    def __init__(self, parent=None):
        super().__init__(parent)
        self.form = None
        self.rows: list = []
        self.numbers: dict[str, str] = {}
        self.review = None
        self.editable = False
        self.levels_allowed = False
        self.changed: set[str] = set()

    def load(self, form, review, *, editable: bool, changed: set[str]) -> None:
        d = definitions()
        self.beginResetModel()
        self.form, self.review, self.changed = form, review, changed
        self.rows = [r for c in d.category_keys for r in form.risks_in(c)] if form else []
        self.numbers = point_numbers(form) if form else {}
        self.editable = editable
        self.levels_allowed = bool(form) and d.kind(form.kind).committee_sets_level
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return label(COLUMNS[section])
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        d = definitions()
        risk, key = self.rows[index.row()], COLUMNS[index.column()]
        committee_level = self.review.levels.get(risk.id)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if key == "number":
                return self.numbers[risk.id]
            if key == "category":
                return d.category(risk.category).name
            if key == "approved_level":
                level = committee_level if risk.id in self.review.levels else risk.approved_level
                return level if role == Qt.ItemDataRole.EditRole else d.level_name(level)
            if key == "self_level":
                return d.level_name(risk.self_level)
            if key == "comment":
                return self.review.comments.get(risk.id, "")
            return getattr(risk, key)
        if role == Qt.ItemDataRole.BackgroundRole:
            if risk.id in self.changed:
                return CHANGED_BRUSH
            if (key == "approved_level" and risk.id in self.review.levels) or (
                    key == "comment" and risk.id in self.review.comments):
                return COMMITTEE_BRUSH
        if role == Qt.ItemDataRole.ToolTipRole:
            if key == "approved_level":
                if risk.id in self.review.levels:
                    return f"{label('committee_set')}；单位填的是 {d.level_name(risk.approved_level)}"
                return "双击审定" if self.editable and self.levels_allowed else "这种表格的审定由单位负责"
            if key in ("point", "measures", "comment"):
                return self.data(index) or None
            if key == "number" and risk.ref:
                return f"来自附件1参考点 {risk.ref}"
        if role == Qt.ItemDataRole.TextAlignmentRole and key in ("self_level", "approved_level"):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def flags(self, index):
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.editable and (index.column() == COMMENT or (index.column() == APPROVED and self.levels_allowed)):
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole):
        if role != Qt.ItemDataRole.EditRole or not (self.flags(index) & Qt.ItemFlag.ItemIsEditable):
            return False
        risk, key = self.rows[index.row()], COLUMNS[index.column()]
        self.edited.emit(risk.id, key, (value or None) if key == "approved_level" else (value or "").strip())
        return True


class LevelDelegate(QStyledItemDelegate):
    """审定 chosen from the declared levels, or none."""

    def createEditor(self, parent, option, index):
        box = QComboBox(parent)
        box.addItem("（不审定）", None)
        for level in definitions().levels:
            box.addItem(level.name, level.value)
        return box

    def setEditorData(self, editor, index):
        editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole))))

    def setModelData(self, editor, model, index):
        model.setData(index, editor.currentData())


class ReviewCommand(QUndoCommand):
    """One review action; its first redo has been done (the action was stored before it was
    pushed), undo stores the value before, redo the value again."""

    def __init__(self, dialog: ReviewDialog, form_id: str, point_id: str, key: str, old: Any, new: Any):
        super().__init__(f"审核：{label(key if key != 'approved_level' else 'approved_level')}")
        self.dialog, self.form_id, self.point_id, self.key, self.old, self.new = (
            dialog, form_id, point_id, key, old, new)
        self.first = True

    def redo(self):
        if self.first:
            self.first = False
            return
        self.dialog.store_action(self.form_id, self.point_id, self.key, self.new)

    def undo(self):
        self.dialog.store_action(self.form_id, self.point_id, self.key, self.old)


class ReviewDialog(QDialog):
    reviewed = Signal()  # an action stored or undone, or the round closed: the 审定 in effect may change

    def __init__(self, store: FormStore, unit: str, year: int, *, form_id: str | None = None,
                 reviewer: str | None = None, read_only: bool = False, parent=None):
        super().__init__(parent)
        self.store, self.unit, self.year = store, unit, year
        self.reviewer = reviewer or ops.default_reviewer()
        self.read_only = read_only
        self.setWindowTitle(f"{unit} {year} 年度 — 校纪委审核（审核人：{self.reviewer}）")
        self.resize(1280, 760)
        self.undo_stack = QUndoStack(self)
        self.status = QLabel(wordWrap=True)
        self.status.setStyleSheet("font-weight: bold; padding: 4px;")
        self.forms = QListWidget()
        self.forms.currentRowChanged.connect(lambda _row: self.show_form())
        self.title = QLabel()
        self.title.setStyleSheet("font-size: 13pt; font-weight: bold;")
        self.model = ReviewTableModel(self)
        self.model.edited.connect(lambda pid, key, value: self.act(pid, key, value))
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setItemDelegateForColumn(APPROVED, LevelDelegate(self.table))
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        for column, width in enumerate((190, 90, 0, 50, 70, 0, 220)):
            if width:
                header.resizeSection(column, width)
            else:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.decision = QComboBox()
        self.decision.addItem(label("undecided"), None)
        for key in (PASS, RETURN):
            self.decision.addItem(decision_name(key), key)
        self.decision.activated.connect(lambda _i: self.act("", "decision", self.decision.currentData()))
        self.reason = QLineEdit(placeholderText="退回修改时必填：请写明需要修改什么")
        self.reason.editingFinished.connect(lambda: self.act("", "reason", self.reason.text()))
        self.opinion = QLineEdit(placeholderText="对这张表格的审核意见（可不填）")
        self.opinion.editingFinished.connect(lambda: self.act("", "opinion", self.opinion.text()))
        form_box = QFormLayout()
        form_box.addRow(label("decision") + "：", self.decision)
        form_box.addRow(label("reason") + "：", self.reason)
        form_box.addRow(label("opinion") + "：", self.opinion)
        self.changes = QListWidget()
        self.changes.setWordWrap(True)
        self.changes_label = QLabel("单位重新报送后，与审核时的版本相比有变化的风险点（按风险点标识对应）：")
        right = QWidget()
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.title)
        column.addWidget(self.table, 3)
        column.addLayout(form_box)
        column.addWidget(self.changes_label)
        column.addWidget(self.changes, 1)
        splitter = QSplitter()
        splitter.addWidget(self.forms)
        splitter.addWidget(right)
        splitter.setSizes([320, 960])
        header.sectionResized.connect(lambda *_: self.table.resizeRowsToContents())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        self.undo_button = buttons.addButton("撤销", QDialogButtonBox.ButtonRole.ActionRole)
        self.redo_button = buttons.addButton("重做", QDialogButtonBox.ButtonRole.ActionRole)
        self.undo_button.clicked.connect(self.undo_stack.undo)
        self.redo_button.clicked.connect(self.undo_stack.redo)
        self.undo_button.setShortcut(QKeySequence(QKeySequence.StandardKey.Undo))
        self.redo_button.setShortcut(QKeySequence("Ctrl+Y"))
        self.undo_stack.canUndoChanged.connect(self.undo_button.setEnabled)
        self.undo_stack.canRedoChanged.connect(self.redo_button.setEnabled)
        self.export_button = buttons.addButton("导出审核意见…", QDialogButtonBox.ButtonRole.ActionRole)
        self.export_button.clicked.connect(lambda: self.export_review())
        self.close_button = buttons.addButton("结束本轮审核", QDialogButtonBox.ButtonRole.ActionRole)
        self.close_button.clicked.connect(lambda: self.close_round())
        self.view_button = buttons.addButton("查看原表…", QDialogButtonBox.ButtonRole.ActionRole)
        self.view_button.clicked.connect(self.view_form)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)
        self.undo_button.setEnabled(False)
        self.redo_button.setEnabled(False)
        self.reload(form_id)

    # -- showing ------------------------------------------------------------------

    def showEvent(self, event):
        super().showEvent(event)
        self.table.resizeRowsToContents()  # the columns have their widths now

    def reload(self, form_id: str | None = None) -> None:
        current = form_id or self.current_form_id()
        self.view = ops.review_view(self.store, self.unit, self.year)
        self.status.setText(self.view.status)
        changed_forms = {c.form_id for c in self.view.changes}
        self.forms.blockSignals(True)
        self.forms.clear()
        for form in self.view.forms:
            review = self.view.review(form.id)
            mark = f"〔{decision_name(review.decision)}〕" if review.decision else ""
            changed = "（有变化）" if form.id in changed_forms else ""
            item = QListWidgetItem(f"{form_name(form, MESSAGE)}{mark}{changed}")
            item.setData(FORM_ID, form.id)
            if review.decision == RETURN:
                item.setForeground(QBrush(QColor("#b3261e")))
            self.forms.addItem(item)
        ids = [f.id for f in self.view.forms]
        self.forms.setCurrentRow(ids.index(current) if current in ids else 0)
        self.forms.blockSignals(False)
        editable = self.view.editable and not self.read_only
        self.export_button.setEnabled(not self.read_only and self.view.round is not None
                                      and not self.view.round.closed)
        self.close_button.setEnabled(not self.read_only and self.view.round is not None and self.view.round.sent
                                     and not self.view.round.closed)
        for widget in (self.decision, self.reason, self.opinion):
            widget.setEnabled(editable)
        self.changes.clear()
        for change in self.view.changes:
            self.changes.addItem(change.line)
        self.changes_label.setVisible(bool(self.view.changes))
        self.changes.setVisible(bool(self.view.changes))
        self.show_form()

    def current_form_id(self) -> str | None:
        item = self.forms.currentItem()
        return item.data(FORM_ID) if item else None

    def show_form(self) -> None:
        form_id = self.current_form_id()
        form = next((f for f in self.view.forms if f.id == form_id), None) if form_id else None
        review = self.view.review(form_id or "")
        changed = {c.point_id for c in self.view.changes if c.form_id == form_id}
        self.model.load(form, review, editable=self.view.editable and not self.read_only, changed=changed)
        self.table.resizeRowsToContents()
        if form is None:
            self.title.setText("")
            return
        kind = definitions().kind(form.kind)
        who = "校纪委审定" if kind.approved_by == "committee" else (
            "单位审定，校纪委可以改定" if kind.committee_sets_level else "单位审定")
        self.title.setText(f"{kind.attachment}　{kind.title}　{form_name(form, MESSAGE)}　（{who}）")
        self.decision.setCurrentIndex(max(0, self.decision.findData(review.decision)))
        self.reason.setText(review.reason)
        self.opinion.setText(review.opinion)

    # -- acting -------------------------------------------------------------------

    def store_action(self, form_id: str, point_id: str, key: str, value: Any) -> Any:
        old = ops.set_review(self.store, self.unit, self.year, form_id, point_id, key, value, self.reviewer)
        self.reload(form_id)
        self.reviewed.emit()
        return old

    def act(self, point_id: str, key: str, value: Any) -> bool:
        """A review action from the view: stored, then put on the undo stack."""
        form_id = self.current_form_id()
        if not form_id or self.read_only:
            return False
        current = self.view.review(form_id).get(point_id, key)
        if isinstance(value, str):
            value = value.strip()
        if value == current or (not value and not current):
            return False
        try:
            old = self.store_action(form_id, point_id, key, value)
        except StoreError as exc:
            QMessageBox.warning(self, "审核", str(exc))
            self.reload(form_id)
            return False
        self.undo_stack.push(ReviewCommand(self, form_id, point_id, key, old, value))
        return True

    def export_review(self, path: Path | None = None) -> str | None:
        if path is None:
            number = self.view.round.number if self.view.round else 1
            suggested = ops.review_file_name(self.unit, self.year, number)
            name, _ = QFileDialog.getSaveFileName(self, "导出审核意见", suggested, "审核意见 (*.lzsh)")
            if not name:
                return None
            path = Path(name)
        try:
            sent = ops.export_review(self.store, self.unit, self.year, path, self.reviewer)
        except (StoreError, OSError) as exc:
            QMessageBox.warning(self, "导出审核意见", str(getattr(exc, "strerror", None) or exc))
            return None
        self.undo_stack.clear()  # sent: no longer undoable
        self.reload()
        QMessageBox.information(self, "导出审核意见", sent.message)
        return sent.message

    def close_round(self) -> str | None:
        try:
            message = ops.close_review(self.store, self.unit, self.year, self.reviewer)
        except StoreError as exc:
            QMessageBox.warning(self, "结束本轮审核", str(exc))
            return None
        self.reload()
        self.reviewed.emit()  # closed on the unit's newer package: the unit's 审定 counts from now on
        QMessageBox.information(self, "结束本轮审核", message)
        return message

    def view_form(self):
        """The form as the unit sent it, read-only, with preview and print."""
        from lianzheng_desktop.ui.workbench import FormViewer

        form_id = self.current_form_id()
        form = self.store.get(form_id) if form_id else None
        if form is None:
            return None
        viewer = FormViewer(self.store, form, self)
        viewer.show()
        return viewer
