"""One form in a tab: its fields in the official order, the five risk tables, autosave.

There is no unsaved state to lose: every change is pushed on the form's undo stack and
written to the database within a second (and at once on tab close, focus loss, quit).
"""

from __future__ import annotations

import datetime as dt
import logging

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDateEdit,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from lianzheng_desktop.domain.definitions import definitions
from lianzheng_desktop.domain.model import Form, RiskPoint
from lianzheng_desktop.domain.review import label as review_label
from lianzheng_desktop.domain.rows import columns, display
from lianzheng_desktop.store import FormStore, StoreError
from lianzheng_desktop.ui import commands, table_paste
from lianzheng_desktop.ui.form_fields import FieldKeys, PlainText, form_layout, lay_out
from lianzheng_desktop.ui.risk_model import COLUMNS, COMMENT, POINT, RiskTableModel
from lianzheng_desktop.ui.risk_table import EDIT_HINT, RiskTableView

log = logging.getLogger(__name__)
AUTOSAVE_MS = 700
RETRY_MS = 5000


def date_in_year(year: int) -> dt.date:
    """What the date picker offers when 已填写 is ticked: today, or the nearest day of the
    form's year (a date outside the year is warned about)."""
    today = dt.date.today()
    if today.year == year:
        return today
    return dt.date(year, 1, 1) if year > today.year else dt.date(year, 12, 31)


class FormEditor(QWidget):
    """Editor of one unit (附件2) or post (附件3) form."""

    saved = Signal(str)  # the time of the save, 14:32:05
    save_failed = Signal(str)
    content_changed = Signal()
    category_focused = Signal(str)
    status_hint = Signal(str)
    print_requested = Signal()
    export_requested = Signal()
    unit_edited = Signal(str)  # the 单位 the whole year follows, typed on this form
    rename_unit_requested = Signal()  # "修改…" beside a 单位 that follows the unit form

    def __init__(self, store: FormStore, form: Form, *, read_only: bool = False, unit_follows: bool = False,
                 review_note=None, parent=None):
        super().__init__(parent)
        self.store = store
        self.form = form
        self.review_note = review_note  # the committee's latest review (operations.review.FormNote)
        self.read_only = read_only
        # a unit's database: 单位 is the unit's name, renamed for the whole year at once
        self.unit_follows = unit_follows
        self.undo_stack = QUndoStack(self)
        self.current_category = definitions().category_keys[0]
        self._fields: dict[str, QWidget] = {}
        self._updating = False
        self.merge_session = 0  # typing merges into one undo step until the field is left
        self._field_keys = FieldKeys(self)
        self._save_timer = QTimer(self, singleShot=True, interval=AUTOSAVE_MS, timeout=self.save_now)
        self._unit_timer = QTimer(self, singleShot=True, interval=AUTOSAVE_MS, timeout=self._unit_typed)
        self.models: dict[str, RiskTableModel] = {}
        self.views: dict[str, RiskTableView] = {}
        self.undo_stack.indexChanged.connect(self._changed)
        self._build()

    # -- layout ------------------------------------------------------------------

    def _build(self):
        d = definitions()
        self.pages = QTabWidget(self)
        self.pages.setDocumentMode(True)
        self.pages.setTabPosition(QTabWidget.TabPosition.South)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.pages)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        body = QWidget()
        scroll.setWidget(body)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(16, 12, 16, 16)
        kind = d.kind(self.form.kind)
        title = QLabel(f"{kind.attachment}　{kind.title}")
        title.setStyleSheet("font-size: 16pt; font-weight: bold;")
        self.year_label = QLabel(f"{self.form.year} 年度")
        self.year_label.setStyleSheet("font-size: 16pt; color: #1f5fa8;")
        self.year_label.setToolTip("这张表格所属的登记年度")
        heading = QHBoxLayout()
        heading.addWidget(title)
        heading.addStretch(1)
        self.last_year_button = QToolButton(text="对照去年", checkable=True)
        self.last_year_button.setToolTip(f"在每一栏旁边显示 {self.form.year - 1} 年度的内容和等级，看今年改了什么")
        self.last_year_button.toggled.connect(self.show_last_year)
        heading.addWidget(self.last_year_button)
        heading.addWidget(self.year_label)
        layout.addLayout(heading)
        self.review_banner = self._review_banner()
        if self.review_banner is not None:
            layout.addWidget(self.review_banner)
        self.last_year = None  # operations.comparing.LastYear while "对照去年" is on
        self.last_year_note = QLabel(wordWrap=True)
        self.last_year_note.setStyleSheet("background: #eef3fb; border: 1px solid #9db7dd; padding: 4px;")
        self.last_year_note.hide()
        layout.addWidget(self.last_year_note)
        self._last_year_labels: dict[str, QLabel] = {}
        placed: dict[str, QWidget] = {}

        header = form_layout(layout)  # above the table, as on paper: 单位 and 填表日期
        header.addRow(d.field("unit").label + "：", self._unit_row())
        header.addRow(d.field("filled_on").label + "：", self._date())

        def widget_for(key: str) -> QWidget | None:
            f = d.field(key)
            if key in placed:
                return placed[key]
            if key in self._fields:
                return self._fields[key]
            if f.type == "text":
                placed[key] = self._with_last_year(key, self._line(key))
            elif f.type == "multiline":
                widget = self._text(key, f.lines)
                if key == "remarks":
                    widget.setPlaceholderText(d.tables["common"]["remarks_default"])
                placed[key] = self._with_last_year(key, widget)
            return placed.get(key)

        lay_out(self.form.kind, layout, widget_for, lambda: [self._category_box(c) for c in d.categories], header)
        layout.addStretch(1)
        self.pages.addTab(scroll, "填写")
        self.preview = None
        self.pages.addTab(QWidget(), "预览")
        self.pages.currentChanged.connect(self._page_changed)
        if self.read_only:
            self._make_read_only()

    def _review_banner(self) -> QLabel | None:
        """What the committee's review said about this form, above it."""
        note = self.review_note
        if note is None or not (note.flag or note.opinion or note.comments):
            return None
        lines = [note.flag] if note.flag else []
        if note.changed and not note.returned:
            lines.append(review_label("older_version").format(code=note.code))
        if note.opinion:
            lines.append(f"审核意见：{note.opinion}")
        if note.comments:
            lines.append(f"对 {len(note.comments)} 个风险点有意见，见表中“校纪委意见”一栏。")
        if note.levels:
            lines.append(f"校纪委审定了 {len(note.levels)} 个风险点的等级（审定栏浅蓝色）；改动前程序会先问。")
        banner = QLabel("\n".join(lines), wordWrap=True)
        colour = "#fde7e9; border: 1px solid #b3261e" if note.returned else "#e8f0fe; border: 1px solid #1f5fa8"
        banner.setStyleSheet(f"background: {colour}; padding: 6px; border-radius: 3px;")
        banner.setObjectName("review_banner")
        return banner
    def _with_last_year(self, key: str, widget: QWidget) -> QWidget:
        """The field with, under it, last year's text (shown while "对照去年" is on)."""
        label = QLabel(wordWrap=True)
        label.setStyleSheet("color: #444444; background: #f3f4f6; padding: 2px 4px;")
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.hide()
        self._last_year_labels[key] = label
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        column.addWidget(label)
        return box

    def show_last_year(self, on: bool = True) -> None:
        """"对照去年": last year's text beside each field and last year's point, level and
        measures beside each risk point (operations.comparing.last_year finds them)."""
        from lianzheng_desktop.operations.comparing import last_year

        if self.last_year_button.isChecked() != on:
            self.last_year_button.setChecked(on)  # comes back here through toggled
            return
        found = last_year(self.store, self.form) if on else None
        self.last_year = found if found is not None and found.form is not None else None
        self.last_year_note.setVisible(on)
        if found is not None:
            self.last_year_note.setText(found.note() + (
                "：" + "；".join(f"“{r.point}”" for r in found.dropped) if found.dropped else ""))
        self._show_last_year_fields()
        for category, model in self.models.items():
            model.show_last_year(self.last_year)
            if self.last_year is not None:
                self.views[category].horizontalHeader().setSectionResizeMode(
                    model.last_year_column, QHeaderView.ResizeMode.Stretch)
            self.views[category].fit_height()

    def _show_last_year_fields(self) -> None:
        for key, label in self._last_year_labels.items():
            value = self.last_year.value(key) if self.last_year else None
            if value is None:
                label.hide()
                continue
            same = " ".join(value.split()) == " ".join(getattr(self.form, key).split())
            label.setText(f"{self.last_year.year} 年度：" + ("与今年相同" if same else value or "（未填写）"))
            label.show()

    def _unit_row(self) -> QWidget:
        """单位: on a unit's database it names the whole year's unit. The unit form (the kind
        there is one of) edits it for every form; the other forms show it and offer 修改…"""
        kind = definitions().kind(self.form.kind)
        label = definitions().field("unit").label
        if not self.unit_follows:  # the committee's database: each form keeps its own
            return self._line("unit")
        widget = QLineEdit(self.form.unit)
        widget.installEventFilter(self._field_keys)
        self._fields["unit"] = widget
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(widget, 1)
        if kind.singleton:
            widget.textEdited.connect(lambda _text: self._unit_timer.start())
            widget.returnPressed.connect(widget.focusNextChild)  # leaving the field renames at once
            hint = QLabel(f"（本年度全部表格的{label}一起改）")
        else:
            widget.setReadOnly(True)
            widget.setStyleSheet("QLineEdit { background: palette(window); }")  # shown, not typed in
            widget.setToolTip(f"{label}随单位登记表：在单位登记表中或用“表格 → 修改单位名称…”修改，"
                              "本年度全部表格一起改")
            change = QToolButton(text="修改…")
            change.setToolTip(widget.toolTip())
            change.clicked.connect(self.rename_unit_requested)
            change.setEnabled(not self.read_only)
            row.addWidget(change)
            hint = QLabel("（随单位登记表）")
        hint.setStyleSheet("color: #555555;")
        row.addWidget(hint)
        return box

    def _unit_typed(self, left: bool = False) -> None:
        """The unit's name typed on the unit form: the window renames the year (a blank
        name is not a name: the field goes back to the current one when it is left)."""
        self._unit_timer.stop()
        widget = self._fields["unit"]
        text = " ".join(widget.text().split())
        if text and text != self.form.unit and not self.read_only:
            self.unit_edited.emit(text)
        elif not text and left:
            self.show_field("unit")

    def field_left(self, widget) -> None:
        """Focus left a field: its undo step ends; the unit's name is taken as typed."""
        if self.unit_follows and widget is self._fields.get("unit") and not widget.isReadOnly():
            self._unit_typed(left=True)
        self.end_merge()

    def _line(self, key: str) -> QLineEdit:
        widget = QLineEdit(getattr(self.form, key))
        widget.textEdited.connect(lambda text, k=key: self.edit_field(k, text))
        widget.returnPressed.connect(widget.focusNextChild)  # Enter moves on to the next field
        widget.installEventFilter(self._field_keys)
        self._fields[key] = widget
        return widget

    def _text(self, key: str, lines: int) -> PlainText:
        widget = PlainText(lines)
        widget.setPlainText(getattr(self.form, key))
        widget.textChanged.connect(lambda k=key, w=widget: self.edit_field(k, w.toPlainText()))
        widget.installEventFilter(self._field_keys)
        self._fields[key] = widget
        return widget

    def _date(self) -> QWidget:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        self.date_set = QCheckBox("已填写")
        self.date_edit = QDateEdit(calendarPopup=True)
        self.date_edit.setDisplayFormat("yyyy年M月d日")
        value = self.form.filled_on
        self.date_set.setChecked(value is not None)
        self.date_edit.setEnabled(value is not None)
        start = value or date_in_year(self.form.year)
        self.date_edit.setDate(QDate(start.year, start.month, start.day))
        self.date_set.toggled.connect(self._date_edited)
        self.date_edit.dateChanged.connect(self._date_edited)
        row.addWidget(self.date_set)
        row.addWidget(self.date_edit)
        row.addWidget(QLabel("（不填则打印为空白的“年 月 日”，待手写）"))
        row.addStretch(1)
        self._fields["filled_on"] = self.date_edit
        return box

    def _category_box(self, category) -> QGroupBox:
        box = QGroupBox(category.name)
        box.setToolTip(category.description)
        model = RiskTableModel(self, category.key, self)
        model.read_only = self.read_only
        view = RiskTableView(model)
        if model.comments:  # the committee's comments, beside the rows
            view.horizontalHeader().setSectionResizeMode(COMMENT, QHeaderView.ResizeMode.Stretch)
        view.focused.connect(lambda key=category.key: self._focus_category(key))
        view.row_action.connect(lambda action, key=category.key: self.row_action(key, action))
        view.leave.connect(lambda forward, key=category.key: self._leave_table(key, forward))
        for delegate in (view.text_delegate, view.point_delegate):
            delegate.editing.connect(self._editing_hint)
            delegate.typing.connect(self._save_timer.start)  # an open cell is saved as it is typed
        model.reference_dropped.connect(lambda row, code, key=category.key: self.insert_reference(code, key, row))
        model.changed.connect(self.content_changed)
        self.models[category.key], self.views[category.key] = model, view
        inner = QVBoxLayout(box)
        inner.addWidget(view)
        if not self.read_only:
            add = QPushButton("＋ 添加风险点")
            add.setToolTip(f"在{category.name}中添加一行（也可从右侧参考点双击插入）")
            add.clicked.connect(lambda _=False, key=category.key: self.add_row(key))
            row = QHBoxLayout()
            row.addWidget(add)
            row.addStretch(1)
            inner.addLayout(row)
        return box

    def add_row(self, category: str) -> None:
        """A new empty point at the end of the category, ready for typing."""
        model = self.models[category]
        self.current_category = category
        self.category_focused.emit(category)
        model.insert(model.rowCount(), [RiskPoint(category)])
        self.views[category].edit_cell(model.rowCount() - 1)

    def _leave_table(self, category: str, forward: bool) -> None:
        """Tab past a table's last cell (or Shift+Tab before its first): the next category's
        table, or the field after (before) the tables."""
        keys = definitions().category_keys
        at = keys.index(category) + (1 if forward else -1)
        if 0 <= at < len(keys):
            view = self.views[keys[at]]
            view.setFocus(Qt.FocusReason.TabFocusReason)
            cells = view._editable_cells()
            if cells:
                view.go_to(*(cells[0] if forward else cells[-1]))
            self._focus_category(keys[at])
            self._scroll_to(view)
            return
        view = self.views[category]
        QWidget.focusNextPrevChild(view, forward)  # on along the focus chain, past the table

    def _make_read_only(self):
        for widget in self._fields.values():
            if hasattr(widget, "setReadOnly"):
                widget.setReadOnly(True)
        self.date_set.setEnabled(False)
        self.date_edit.setEnabled(False)
        for view in self.views.values():
            view.setEditTriggers(RiskTableView.EditTrigger.NoEditTriggers)
            view.setDragEnabled(False)
            view.setAcceptDrops(False)

    # -- edits -----------------------------------------------------------------

    def push(self, command) -> None:
        if not self.read_only:
            self.undo_stack.push(command)

    def end_merge(self) -> None:
        """The next edit is a new undo step (a field was left, a cell closed)."""
        self.merge_session += 1

    def edit_field(self, key: str, text: str) -> None:
        """A field's new text, as one undoable step (typing in one field merges)."""
        if self._updating:
            return
        old = getattr(self.form, key)
        if text != old:
            self.push(commands.SetField(self, key, old, text))

    def _date_edited(self, *_):
        if self._updating:
            return
        self.date_edit.setEnabled(self.date_set.isChecked())
        new = self.date_edit.date().toPython() if self.date_set.isChecked() else None
        if new != self.form.filled_on:
            self.push(commands.SetField(self, "filled_on", self.form.filled_on, new))

    def show_field(self, key: str) -> None:
        """Called by undo commands after they changed the form: show the field's value."""
        value = getattr(self.form, key)
        self._updating = True
        try:
            widget = self._fields.get(key)
            if key == "filled_on":
                self.date_set.setChecked(value is not None)
                self.date_edit.setEnabled(value is not None)
                if value is not None:
                    self.date_edit.setDate(QDate(value.year, value.month, value.day))
            elif isinstance(widget, QLineEdit) and widget.text() != value:
                widget.setText(value)
            elif isinstance(widget, QPlainTextEdit) and widget.toPlainText() != value:
                widget.setPlainText(value)
        finally:
            self._updating = False
        self.content_changed.emit()

    def _changed(self, *_):
        if not self.undo_stack.isClean():
            self._save_timer.start()
        if self.last_year is not None:
            self._show_last_year_fields()
        if self.preview is not None and self.pages.currentIndex() == 1:
            self.preview.refresh(self.form)

    # -- rows ------------------------------------------------------------------

    def _focus_category(self, key: str):
        self.current_category = key
        self.category_focused.emit(key)

    def _editing_hint(self, editing: bool):
        self.status_hint.emit(EDIT_HINT if editing else "")

    def current_view(self) -> RiskTableView:
        return self.views[self.current_category]

    def row_action(self, category: str, action: str) -> None:
        """insert / remove / up / down / paste / copy / clear / append at the category's
        current row."""
        if self.read_only and action != "copy":
            return
        self.current_category = category
        model, view = self.models[category], self.views[category]
        row = view.current_row()
        if action == "insert":
            at = row + 1 if row >= 0 else model.rowCount()
            model.insert(at, [RiskPoint(category)])
            view.edit_cell(at)
        elif action == "remove" and row >= 0:
            rows = sorted({i.row() for i in view.selectionModel().selectedIndexes()} or {row})
            model.remove(rows[0], rows[-1] - rows[0] + 1)
        elif action in ("up", "down") and row >= 0:
            to = row - 1 if action == "up" else row + 1
            if 0 <= to < model.rowCount():
                model.move(row, to)
                view.setCurrentIndex(model.index(to, view.currentIndex().column()))
        elif action == "paste":
            self.paste_rows(category)
        elif action == "copy":
            self.copy_rows(category)
        elif action == "clear":
            message = table_paste.clear(self, category)
            if message:
                self.status_hint.emit(message)
        elif action == "append":
            self.add_row(category)

    def paste_rows(self, category: str, text: str | None = None) -> str:
        """Clipboard text into the table as a spreadsheet pastes it (ui/table_paste.py)."""
        text = QApplication.clipboard().text() if text is None else text
        message = table_paste.paste(self, category, text)
        self.status_hint.emit(message)
        return message

    def copy_rows(self, category: str) -> None:
        view = self.views[category]
        rows = sorted({i.row() for i in view.selectionModel().selectedIndexes()})
        risks = self.models[category].risks()

        def cell(text: str) -> str:
            return '"' + text.replace('"', '""') + '"' if any(c in text for c in '\t\n"') else text

        keys = [c.key for c in columns("clipboard")]
        lines = ["\t".join(cell(display(key, getattr(risks[r], key))) for key in keys) for r in rows]
        QApplication.clipboard().setText("\r\n".join(lines) + "\r\n")

    def insert_reference(self, code: str, category: str | None = None, row: int | None = None) -> None:
        """A picked Attachment 1 point as a new row, its text selected for making it concrete."""
        d = definitions()
        point = d.reference_point(code)
        if point is None or self.read_only:
            return
        category = category or code.rsplit("-", 1)[0]
        model, view = self.models[category], self.views[category]
        if row is None:
            current = view.current_row() if category == self.current_category else -1
            row = current + 1 if current >= 0 else model.rowCount()
        model.insert(row, [RiskPoint(category, "" if point.other else point.text, ref=code)], "插入参考点")
        self.current_category = category
        view.edit_cell(row, POINT)

    def add_measure(self, text: str) -> None:
        """Append a measure family's suggestion to the current row's 防控措施."""
        view, model = self.current_view(), self.models[self.current_category]
        row = view.current_row()
        if row < 0 or self.read_only:
            return
        old = model.risk(row).measures
        new = f"{old}\n{text}" if old.strip() else text
        self.push(commands.SetRiskValue(model, row, "measures", old, new, "插入防控措施"))

    def set_level(self, key: str, value: int | None) -> None:
        view, model = self.current_view(), self.models[self.current_category]
        row = view.current_row()
        if row >= 0:
            model.setData(model.index(row, COLUMNS.index(key)), value)

    # -- navigation from the check panel ----------------------------------------

    def focus_path(self, path: tuple) -> None:
        self.pages.setCurrentIndex(0)
        if not path:
            return
        if path[0] == "risks" and len(path) >= 2:
            risk = self.form.risks[path[1]]
            row = self.form.risks_in(risk.category).index(risk)
            key = path[2] if len(path) > 2 and path[2] in COLUMNS else "point"
            column = COLUMNS.index(key)
            view = self.views[risk.category]
            view.setCurrentIndex(view.model().index(row, column))
            view.setFocus()
            self._focus_category(risk.category)
            self._scroll_to(view)
        elif path[0] == "category":
            view = self.views[path[1]]
            view.setFocus()
            self._focus_category(path[1])
            self._scroll_to(view)
        elif path[0] in self._fields:
            widget = self._fields[path[0]]
            if not widget.isEnabled():  # the date picker is off until “已填写” is ticked
                widget = self.date_set
            widget.setFocus()
            self._scroll_to(widget)

    def _scroll_to(self, widget):
        scroll = self.pages.widget(0)
        scroll.ensureWidgetVisible(widget, 50, 80)

    # -- saving ----------------------------------------------------------------

    @property
    def dirty(self) -> bool:
        """The form differs from what is saved (the undo stack is not at its clean state)."""
        return not self.undo_stack.isClean()

    def finish_editing(self) -> None:
        """Text typed into a cell without Enter yet is part of the form before it is saved
        (the cell stays open)."""
        for view in self.views.values():
            view.text_delegate.commit_open_editor()
            view.point_delegate.commit_open_editor()

    def save_now(self) -> bool:
        """Write the form to the database if it changed, with any cell still being typed
        in; on failure keep it and retry."""
        if self.read_only:
            return True
        self.finish_editing()
        if not self.dirty:
            return True
        try:
            self.store.save(self.form)
        except (StoreError, OSError) as exc:
            log.warning("save failed: %s", exc)
            self.save_failed.emit(f"保存失败：{exc}。内容仍在窗口中，程序会自动重试。")
            self._save_timer.start(RETRY_MS)
            return False
        self.undo_stack.setClean()
        self.saved.emit(dt.datetime.now().strftime("%H:%M:%S"))
        return True

    def stop_autosave(self) -> None:
        """The window is closing (everything was just saved): no later save may fire."""
        self._save_timer.stop()

    # -- preview ---------------------------------------------------------------

    def _page_changed(self, index: int):
        if index != 1:
            return
        if self.preview is None:
            from lianzheng_desktop.ui.preview import PreviewWidget

            self.preview = PreviewWidget(self)
            self.preview.print_button.clicked.connect(self.print_requested)
            self.preview.export_button.clicked.connect(self.export_requested)
            self.pages.blockSignals(True)
            self.pages.removeTab(1)
            self.pages.insertTab(1, self.preview, "预览")
            self.pages.setCurrentIndex(1)
            self.pages.blockSignals(False)
        self.preview.refresh(self.form)

    def show_preview(self):
        self.pages.setCurrentIndex(1)
