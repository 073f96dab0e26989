"""Word files into the program: each file's form shown in the editor's own layout beside
every piece of text it left unplaced, which the user puts somewhere (放入…) or discards
(舍弃); the forms go in only when nothing is left. The unit imports into its year
(导入Word…), the committee enters a department's files for it (代录入Word…).

What a reading becomes is decided by operations/word.py; this module asks and shows.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from lianzheng_desktop.domain.definitions import definitions
from lianzheng_desktop.domain.naming import MESSAGE, form_name
from lianzheng_desktop.operations import word
from lianzheng_desktop.operations.word import Batch, WordFile
from lianzheng_desktop.store import FormStore, StoreError
from lianzheng_desktop.ui import ask, progress
from lianzheng_desktop.ui import settings as keys
from lianzheng_desktop.ui.form_editor import FormEditor

DONE, OPEN, REFUSED = "#1e7b34", "#b35c00", "#b3261e"


# -- choosing files --------------------------------------------------------------------------


def choose_paths(parent, title: str, *, folder: bool) -> list[Path]:
    """Several Word files, or a folder (searched through for them)."""
    s = keys.settings()
    start = str(s.value(keys.LAST_DIR, str(Path.home())))
    if folder:
        name = QFileDialog.getExistingDirectory(parent, title, start)
        chosen = [Path(name)] if name else []
    else:
        names, _ = QFileDialog.getOpenFileNames(parent, title, start, word.WORD_FILTER)
        chosen = [Path(n) for n in names]
    if chosen:
        s.setValue(keys.LAST_DIR, str(chosen[0] if folder else chosen[0].parent))
    return chosen


def read_files(parent, paths: list[Path], year: int) -> list[WordFile] | None:
    """Read under a progress dialog (a folder may hold dozens); None when cancelled."""
    return progress.run(parent, "读取 Word 文件", lambda report: word.read_word_files(paths, year=year,
                                                                                    progress=report))


# -- placing one piece of text ---------------------------------------------------------------


class SpotCombo(QComboBox):
    """A list of places; the chosen one is read back by position (Qt does not compare
    tuples stored as item data)."""

    def __init__(self, spots: list[word.Spot]):
        super().__init__()
        self.spots = spots
        self.addItems([spot.label for spot in spots])


class PlaceDialog(QDialog):
    """Where one piece of text goes: a field of the form, an existing risk point (one of its
    columns), or a new risk point at the end of a category. Starts at the place the text
    was found beside."""

    def __init__(self, parent, wf: WordFile, index: int):
        super().__init__(parent)
        self.setWindowTitle("放入表格")
        self.wf, self.index = wf, index
        item = wf.unplaced[index]
        form = wf.form
        layout = QVBoxLayout(self)
        text = QPlainTextEdit(item.text)
        text.setReadOnly(True)
        text.setMaximumHeight(text.fontMetrics().lineSpacing() * 5 + 16)
        layout.addWidget(QLabel(f"{item.where}" + (f"（{item.reason}）" if item.reason else "")))
        layout.addWidget(text)

        grid = QGridLayout()
        self.kinds = QButtonGroup(self)
        self.as_field, self.fields = QRadioButton("放入表格中的栏目："), self._combo(word.field_spots(form))
        self.as_risk, self.risks = QRadioButton("放入已有的风险点："), self._combo(word.risk_spots(form))
        self.risk_column = self._combo(word.risk_columns())
        self.as_new = QRadioButton("作为新的风险点，放在：")
        self.categories = self._combo(word.category_spots())
        self.new_column = self._combo(word.risk_columns()[:2])  # a new point starts with its text or measures
        for row, (radio, widgets) in enumerate(((self.as_field, [self.fields]),
                                                (self.as_risk, [self.risks, QLabel("的"), self.risk_column]),
                                                (self.as_new, [self.categories, QLabel("的"), self.new_column]))):
            self.kinds.addButton(radio, row)
            grid.addWidget(radio, row, 0)
            line = QHBoxLayout()
            for widget in widgets:
                line.addWidget(widget, 1 if isinstance(widget, QComboBox) else 0)
            grid.addLayout(line, row, 1)
            for widget in widgets:
                if isinstance(widget, QComboBox):
                    widget.activated.connect(lambda _i, r=radio: r.setChecked(True))
        self.as_risk.setEnabled(bool(form.risks))
        self.risks.setEnabled(bool(form.risks))
        layout.addLayout(grid)
        self.problem = QLabel(wordWrap=True)
        self.problem.setStyleSheet(f"color: {REFUSED};")
        self.problem.hide()
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("放入")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.set_target(word.default_target(form, item))
        self.resize(640, self.sizeHint().height())

    @staticmethod
    def _combo(spots: list[word.Spot]) -> SpotCombo:
        return SpotCombo(spots)

    @staticmethod
    def _select(combo: SpotCombo, target: tuple) -> None:
        targets = [spot.target for spot in combo.spots]
        if target in targets:
            combo.setCurrentIndex(targets.index(target))

    @staticmethod
    def _chosen(combo: SpotCombo) -> tuple:
        return combo.spots[combo.currentIndex()].target

    def set_target(self, target: tuple) -> None:
        if not target:
            return
        if target[0] == "new_risk":
            self.as_new.setChecked(True)
            self._select(self.categories, (target[1],))
            self._select(self.new_column, (target[2],))
        elif target[0] == "risks":
            self.as_risk.setChecked(True)
            self._select(self.risks, target[:2])
            self._select(self.risk_column, (target[2],))
        else:
            self.as_field.setChecked(True)
            self._select(self.fields, target)

    def target(self) -> tuple:
        if self.as_new.isChecked():
            return ("new_risk", *self._chosen(self.categories), *self._chosen(self.new_column))
        if self.as_risk.isChecked():
            return (*self._chosen(self.risks), *self._chosen(self.risk_column))
        return self._chosen(self.fields)

    def accept(self) -> None:
        """Placed, or the reason it can't go there said and the dialog kept open."""
        try:
            self.wf.place_item(self.index, self.target())
        except word.CannotPlace as exc:
            self.problem.setText(str(exc))
            self.problem.show()
            return
        super().accept()


# -- the preview dialog -----------------------------------------------------------------------


class WordImportDialog(QDialog):
    """Every file of a batch: its form as the editor shows it, its unplaced text, its notes,
    and what importing it will do; 导入 is possible when no text is left unplaced."""

    def __init__(self, parent, store: FormStore, batch: Batch, refused: list[WordFile], *, title: str,
                 before_save: Callable[[Batch], None] | None = None):
        super().__init__(parent)
        self.store, self.batch, self.refused = store, batch, refused
        self.before_save = before_save
        self.chosen: dict[int, str] = {}
        self.result_saved: word.WordSaved | None = None
        self.preview: FormEditor | None = None
        self.setWindowTitle(title)
        where = f"为“{batch.unit}”代录入 {batch.year} 年度" if batch.committee else \
            f"导入 {batch.year} 年度（{batch.unit}）"
        head = QLabel(f"{where}：{len(batch.files)} 个 Word 文件" +
                      (f"，另有 {len(refused)} 个文件无法读取" if refused else "") +
                      "。请逐个查看读到的内容；没能放入表格的文字，逐条“放入…”或“舍弃”后才能导入。")
        head.setWordWrap(True)

        self.files = QListWidget()
        self.files.setWordWrap(True)
        self.files.currentRowChanged.connect(self.show_file)

        self.action = QComboBox()
        self.action.activated.connect(self._action_chosen)
        self.action_note = QLabel(wordWrap=True)
        self.action_note.setStyleSheet("color: #555555;")
        self.preview_box = QVBoxLayout()
        middle = QWidget()
        column = QVBoxLayout(middle)
        column.setContentsMargins(0, 0, 0, 0)
        line = QHBoxLayout()
        line.addWidget(QLabel("导入方式："))
        line.addWidget(self.action, 1)
        column.addLayout(line)
        column.addWidget(self.action_note)
        column.addLayout(self.preview_box, 1)

        self.unplaced_box = QGroupBox("没有放入表格的文字")
        self.unplaced = QListWidget()
        self.unplaced.setWordWrap(True)
        self.unplaced.setAlternatingRowColors(True)
        self.unplaced.itemDoubleClicked.connect(lambda _item: self.place())
        self.unplaced.currentRowChanged.connect(self._unplaced_chosen)
        self.place_button = QPushButton("放入…")
        self.place_button.setToolTip("把选中的文字放入表格中的某一栏、某个风险点，或作为新的风险点")
        self.place_button.clicked.connect(self.place)
        self.discard_button = QPushButton("舍弃")
        self.discard_button.setToolTip("不要这段文字（导入后在历史版本的说明中记下舍弃了几处）")
        self.discard_button.clicked.connect(self.discard)
        self.discard_all_button = QPushButton("全部舍弃…")
        self.discard_all_button.clicked.connect(self.discard_file)
        self.undo_button = QPushButton("撤销")
        self.undo_button.setToolTip("撤销这个文件上一次的放入或舍弃")
        self.undo_button.clicked.connect(self.undo)
        inner = QVBoxLayout(self.unplaced_box)
        inner.addWidget(self.unplaced, 1)
        row = QHBoxLayout()
        for button in (self.place_button, self.discard_button, self.discard_all_button, self.undo_button):
            row.addWidget(button)
        inner.addLayout(row)
        self.notes_box = QGroupBox("读取说明")
        self.notes = QListWidget()
        self.notes.setWordWrap(True)
        QVBoxLayout(self.notes_box).addWidget(self.notes)
        right = QWidget()
        side = QVBoxLayout(right)
        side.setContentsMargins(0, 0, 0, 0)
        side.addWidget(self.unplaced_box, 3)
        side.addWidget(self.notes_box, 2)

        splitter = QSplitter()
        splitter.addWidget(self.files)
        splitter.addWidget(middle)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([220, 700, 400])

        self.status = QLabel(wordWrap=True)
        self.buttons = QDialogButtonBox()
        self.discard_rest_button = self.buttons.addButton("舍弃其余全部文字…", QDialogButtonBox.ButtonRole.ActionRole)
        self.discard_rest_button.clicked.connect(self.discard_everything)
        self.import_button = self.buttons.addButton("导入", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(head)
        layout.addWidget(splitter, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.buttons)
        layout.addLayout(bottom)
        self.resize(1340, 720)  # ui/screen.py fits it into the screen's free area when shown
        self._fill_files()
        self.files.setCurrentRow(self._first_to_look_at())
        self.show_file(self.files.currentRow())

    # -- the file list ---------------------------------------------------------------

    def _fill_files(self) -> None:
        current = max(self.files.currentRow(), 0)
        self.files.blockSignals(True)
        self.files.clear()
        for wf, plan in zip(self.batch.files, self.batch.plans, strict=True):
            assert plan is not None
            if plan.action == word.SKIP:
                state, colour = "不导入", "#555555"
            elif wf.unplaced:
                state, colour = f"{len(wf.unplaced)} 处文字待处理", OPEN
            else:
                state, colour = "可以导入", DONE
            item = QListWidgetItem(f"{wf.name}\n{form_name(wf.form, MESSAGE)} · {state}")
            item.setForeground(QColor(colour))
            self.files.addItem(item)
        for wf in self.refused:
            item = QListWidgetItem(f"{wf.name}\n无法读取：{wf.refusal}")
            item.setForeground(QColor(REFUSED))
            item.setToolTip(wf.refusal)
            self.files.addItem(item)
        self.files.setCurrentRow(min(current, self.files.count() - 1))
        self.files.blockSignals(False)
        self._status()

    def _first_to_look_at(self) -> int:
        """The first file with text to place, else the first that will be imported."""
        going = [i for i, plan in enumerate(self.batch.plans) if plan is not None and plan.action != word.SKIP]
        pending = [i for i in going if self.batch.files[i].unplaced]
        return (pending or going or [0])[0]

    def current(self) -> tuple[WordFile | None, word.Destination | None]:
        row = self.files.currentRow()
        if 0 <= row < len(self.batch.files):
            return self.batch.files[row], self.batch.plans[row]
        return None, None

    def show_file(self, row: int) -> None:
        wf, plan = self.current()
        if self.preview is not None:
            self.preview.setParent(None)
            self.preview.deleteLater()
            self.preview = None
        self.action.clear()
        if wf is None:  # a file that could not be read
            refused = self.refused[row - len(self.batch.files)] if row >= len(self.batch.files) else None
            self.action_note.setText(f"无法读取，不会导入：{refused.refusal}" if refused else "")
            self.action.setEnabled(False)
            self.unplaced.clear()
            self.notes.clear()
            self._buttons()
            return
        assert plan is not None
        self.action.setEnabled(len(plan.choices) > 1)
        for choice in plan.choices:
            self.action.addItem(word.ACTIONS[choice], choice)
        self.action.setCurrentIndex(plan.choices.index(plan.action))
        note = plan.describe()
        self.action_note.setText("" if note == word.ACTIONS[plan.action] else note)
        self.action_note.setVisible(bool(self.action_note.text()))
        # the form as it will be stored: in this year, under this unit
        shown = word.form_to_save(wf, plan, self.batch.year, self.batch.unit or wf.form.unit,
                                  committee=self.batch.committee)
        self.preview = FormEditor(self.store, shown, read_only=True, parent=self)
        self.preview_box.addWidget(self.preview, 1)
        self._fill_unplaced(wf)
        self.notes.clear()
        if word.is_draft(wf, self.batch.year, committee=self.batch.committee):
            self.notes.addItem(word.draft_note(wf, self.batch.year))
        self.notes.addItems(wf.reading.notes if wf.reading else [])
        self._buttons()

    def _fill_unplaced(self, wf: WordFile) -> None:
        row = self.unplaced.currentRow()
        self.unplaced.clear()
        for item in wf.unplaced:
            entry = QListWidgetItem(f"“{item.text}”\n{item.where}" + (f"（{item.reason}）" if item.reason else ""))
            entry.setToolTip(word.unplaced_text(item))
            self.unplaced.addItem(entry)
        self.unplaced_box.setTitle(f"没有放入表格的文字（{len(wf.unplaced)} 处）" if wf.unplaced
                                   else "没有放入表格的文字：没有了")
        if wf.unplaced:
            self.unplaced.setCurrentRow(min(max(row, 0), len(wf.unplaced) - 1))

    def _unplaced_chosen(self, row: int) -> None:
        """The preview shows where the chosen piece of text was found (its field or
        category), so the user sees what it belongs to."""
        self._buttons()
        wf, _plan = self.current()
        if wf is None or self.preview is None or not 0 <= row < len(wf.unplaced):
            return
        near = wf.unplaced[row].near
        if near and not (near[0] == "risks" and not (len(near) > 1 and near[1] < len(self.preview.form.risks))):
            self._focus_preview(near)

    def _buttons(self) -> None:
        wf, plan = self.current()
        has = wf is not None and bool(wf.unplaced) and plan is not None and plan.action != word.SKIP
        chosen = has and self.unplaced.currentRow() >= 0
        self.place_button.setEnabled(chosen)
        self.discard_button.setEnabled(chosen)
        self.discard_all_button.setEnabled(has)
        self.undo_button.setEnabled(wf is not None and wf.can_undo)

    def _status(self) -> None:
        left = [(wf, len(wf.unplaced)) for wf, plan in zip(self.batch.files, self.batch.plans, strict=True)
                if plan is not None and plan.action != word.SKIP and wf.unplaced]
        going = sum(plan is not None and plan.action != word.SKIP for plan in self.batch.plans)
        if left:
            count = sum(n for _, n in left)
            self.status.setText(f"还有 {count} 处文字待处理（{len(left)} 个文件）：逐条放入或舍弃后才能导入。")
            self.status.setStyleSheet(f"color: {OPEN};")
        else:
            self.status.setText(f"可以导入 {going} 张表格。" if going else "没有要导入的表格。")
            self.status.setStyleSheet(f"color: {DONE};")
        self.import_button.setText(f"导入 {going} 张表格" if going else "导入")
        self.import_button.setEnabled(bool(going) and not left)
        self.discard_rest_button.setEnabled(bool(left))

    def _changed(self, focus: tuple | None = None) -> None:
        """After a step on the current file: its list entry, preview and text again."""
        self._fill_files()
        self.show_file(self.files.currentRow())
        if focus:
            self._focus_preview(focus)

    def _focus_preview(self, path: tuple) -> None:
        """The preview scrolled to ``path`` once it is laid out (a new preview has no
        geometry yet to scroll by); the keyboard stays in the list of text."""
        preview = self.preview

        def focus() -> None:
            if preview is not None and preview is self.preview:
                preview.focus_path(path)
                self.unplaced.setFocus()

        QTimer.singleShot(0, focus)

    # -- steps -----------------------------------------------------------------------

    def _action_chosen(self, index: int) -> None:
        row = self.files.currentRow()
        self.chosen[row] = self.action.itemData(index)
        self.batch.plan(self.store, self.chosen)
        self._changed()

    def place(self) -> bool:
        wf, _plan = self.current()
        index = self.unplaced.currentRow()
        if wf is None or index < 0 or not self.place_button.isEnabled():
            return False
        dialog = PlaceDialog(self, wf, index)
        if not dialog.exec():
            return False
        self._changed(_shown_at(wf, dialog.target()))
        return True

    def discard(self) -> None:
        wf, _plan = self.current()
        index = self.unplaced.currentRow()
        if wf is not None and index >= 0:
            wf.discard_item(index)
            self._changed()

    def discard_file(self) -> None:
        wf, _plan = self.current()
        if wf is None or not wf.unplaced:
            return
        if ask.confirm_list(self, "全部舍弃", f"{wf.name} 中没有放入表格的这 {len(wf.unplaced)} 处文字将被舍弃：",
                            [word.unplaced_text(u) for u in wf.unplaced], "全部舍弃吗？"):
            wf.discard_rest()
            self._changed()

    def discard_everything(self) -> None:
        pending = [(wf, item) for wf, plan in zip(self.batch.files, self.batch.plans, strict=True)
                   if plan is not None and plan.action != word.SKIP for item in wf.unplaced]
        if not pending:
            return
        if ask.confirm_list(self, "舍弃其余全部文字", f"这 {len(pending)} 处没有放入表格的文字将被舍弃，不导入：",
                            [f"{wf.name}：{word.unplaced_text(item)}" for wf, item in pending], "全部舍弃吗？"):
            for wf in {id(wf): wf for wf, _ in pending}.values():
                wf.discard_rest()
            self._changed()

    def undo(self) -> None:
        wf, _plan = self.current()
        if wf is not None and wf.can_undo:
            wf.undo()
            self._changed()

    def save(self) -> None:
        """Replacements asked about first; then all forms together, or none."""
        replaced = self.batch.replacements()
        head = f"{self.batch.year} 年度已有这些表格，导入将替换它们（原来的内容保留在历史版本中，可以恢复）："
        if replaced and not ask.confirm_list(self, "替换已有的表格", head, replaced, "替换吗？"):
            return
        if self.before_save is not None:
            self.before_save(self.batch)
        try:
            self.result_saved = self.batch.save(self.store)
        except StoreError as exc:  # WordRefused too: a piece left, a form not valid, a full disk
            QMessageBox.warning(self, self.windowTitle(), str(exc))
            return
        self.accept()


def _shown_at(wf: WordFile, target: tuple) -> tuple:
    """The editor path of the place a piece of text just went (to scroll the preview there)."""
    if target[0] == "new_risk":
        index = max(i for i, r in enumerate(wf.form.risks) if r.category == target[1])
        return ("risks", index, target[2])
    return target


# -- the two flows ----------------------------------------------------------------------------


def _other_units(parent, batch: Batch, title: str) -> bool:
    """Files naming another unit: ask once; False when nothing is left to import."""
    others = batch.other_unit_files()
    if others and not ask.choose(parent, title, batch.other_unit_question(), f"按“{batch.unit}”导入",
                                 "不导入这些文件", QMessageBox.Icon.Question):
        batch.drop(others, "单位名称不同")
    return bool(batch.files)


def _refusals_only(parent, title: str, files: list[WordFile]) -> None:
    refused = [wf for wf in files if not wf.ok]
    if not files:
        QMessageBox.information(parent, title, "没有找到 Word 文件（.docx）。")
    elif refused:
        ask.inform_list(parent, title, f"{len(refused)} 个文件无法导入：", [wf.described() for wf in refused])


def import_for_unit(window, paths: list[Path]) -> word.WordSaved | None:
    """导入Word: the files into the window's year, under the year's unit name."""
    title = "导入 Word 文件"
    w = window
    w.flush()
    files = read_files(w, paths, w.year)
    if files is None:
        return None
    found = word.batches(w.store, files, committee=False)
    if not found:
        _refusals_only(w, title, files)
        return None
    (batch,) = found  # read into the window's year: one batch
    if batch.unit is None:
        batch.unit = w.unit_name()
        if not batch.unit:
            return None
    if not _other_units(w, batch, title):
        return None
    batch.plan(w.store)
    dialog = WordImportDialog(w, w.store, batch, [wf for wf in files if not wf.ok], title=title,
                              before_save=lambda b: _close_replaced(w, b))
    w.word_dialog = dialog  # tests look at it
    if not dialog.exec() or dialog.result_saved is None:
        return None
    result = dialog.result_saved
    _also_not_imported(result, batch, files)
    w.load_year(w.year)
    if result.saved:
        w.open_form(result.saved[0])
    w.statusBar().showMessage(result.message, 10000)
    ask.inform_list(w, title, result.message + "：", result.lines)
    return result


def _also_not_imported(result: word.WordSaved, batch: Batch, files: list[WordFile]) -> None:
    """The files that never reached the preview's list of forms, in the result too."""
    result.lines += [wf.described() for wf in files if not wf.ok]
    result.lines += [f"{wf.name}：未导入（{why}）" for wf, why in batch.dropped]
    result.skipped += sum(not wf.ok for wf in files) + len(batch.dropped)


def _close_replaced(window, batch: Batch) -> None:
    """A form about to be replaced must not stay open: its editor would save the old
    content over the new a second later. It was saved (flush) and is closed."""
    for plan in batch.plans:
        if plan is not None and plan.action == word.REPLACE and plan.existing is not None:
            editor = window.editors.get(plan.existing.id)
            if editor is not None:
                window.close_tab(window.tabs.indexOf(editor))


def enter_for_committee(workbench, paths: list[Path], unit: str | None = None) -> word.WordEntered | None:
    """代录入Word: a department's Word files entered for it in the committee's year."""
    title = "代录入 Word 文件"
    wb = workbench
    files = read_files(wb, paths, wb.year)
    if files is None:
        return None
    if not any(wf.ok for wf in files):
        _refusals_only(wb, title, files)
        return None
    if unit is None:
        unit = ask_unit(wb, files)
        if not unit:
            return None
    refusal = word.entry_refusal(wb.store, unit, wb.year)
    if refusal:
        QMessageBox.warning(wb, title, refusal)
        return None
    (batch,) = word.batches(wb.store, files, unit=unit, committee=True)
    if not _other_units(wb, batch, title):
        return None
    batch.plan(wb.store)
    dialog = WordImportDialog(wb, wb.store, batch, [wf for wf in files if not wf.ok], title=f"{title}：{unit}")
    wb.word_dialog = dialog  # tests look at it
    if not dialog.exec() or dialog.result_saved is None:
        return None
    result = dialog.result_saved
    assert isinstance(result, word.WordEntered)
    _also_not_imported(result, batch, files)
    wb.reload()
    wb.show_banner(result.message)
    if len(result.lines) > 1:
        ask.inform_list(wb, title, result.message + "：", result.lines)
    return result


def ask_unit(workbench, files: list[WordFile]) -> str | None:
    """The unit the clerk enters the files for: the one selected in 报送情况, else the name
    the files carry; any unit of the list can be picked, or a name typed."""
    wb = workbench
    selected = wb.selected_report()
    names = [n for n, _ in word.unit_names(files).most_common()]
    listed = [r.unit for r in wb.report_model.rows]
    choices = list(dict.fromkeys(([selected.unit] if selected else []) + names + listed))
    label = definitions().field("unit").label
    unit, ok = QInputDialog.getItem(wb, "代录入 Word 文件", f"为哪个单位代录入这些 Word 文件？（{wb.year} 年度，"
                                    f"可从名单中选，也可输入{label}名称）", choices, 0, True)
    return " ".join(unit.split()) if ok and unit.strip() else None


__all__ = ["PlaceDialog", "WordImportDialog", "choose_paths", "enter_for_committee", "import_for_unit"]
