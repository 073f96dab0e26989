"""The main window: navigator, tabbed form editors, pick-list and check panes, menus.

What the window does to data goes through ``lianzheng_desktop.operations``; the window
asks, shows and keeps its widgets in step.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QByteArray, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QUndoGroup, QUndoStack
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QStyle,
    QTabWidget,
    QToolButton,
)

from lianzheng_desktop import __version__
from lianzheng_desktop.domain.crosscheck import check_forms
from lianzheng_desktop.domain.definitions import definitions
from lianzheng_desktop.domain.model import Form
from lianzheng_desktop.domain.naming import MESSAGE, TAB, form_name
from lianzheng_desktop.operations import comparing
from lianzheng_desktop.operations import forms as form_ops
from lianzheng_desktop.operations.review import FormNote, review_form_problems, review_notes, review_problems
from lianzheng_desktop.operations.sending import export_state
from lianzheng_desktop.store import Session, StoreError
from lianzheng_desktop.ui import ask
from lianzheng_desktop.ui import settings as keys
from lianzheng_desktop.ui.check_panel import CheckPanel
from lianzheng_desktop.ui.dialogs import (
    BackupDialog,
    DeletedFormsDialog,
    HelpDialog,
    LevelWizard,
    NewFormDialog,
    RevisionsDialog,
    about_html,
)
from lianzheng_desktop.ui.form_editor import FormEditor
from lianzheng_desktop.ui.navigator import NavigatorWidget
from lianzheng_desktop.ui.print_actions import PrintActions
from lianzheng_desktop.ui.reference_panel import ReferencePanel
from lianzheng_desktop.ui.send_actions import SendActions
from lianzheng_desktop.ui.welcome import WelcomePage
from lianzheng_desktop.ui.year_actions import YearActions

SP = QStyle.StandardPixmap


class MainWindow(QMainWindow):
    def __init__(self, session: Session, parent=None):
        super().__init__(parent)
        self.session = session
        self.store = session.store
        self.db_path = session.path
        self.read_only = session.read_only
        self.editors: dict[str, FormEditor] = {}
        self.review_notes: dict[str, FormNote] = {}  # the committee's latest review, per form
        self._review_notice = False
        self.undo_group = QUndoGroup(self)
        # year-wide steps (renaming the unit from the menu) when no form is open
        self.year_undo = QUndoStack(self)
        self.undo_group.addStack(self.year_undo)
        self.undo_group.setActiveStack(self.year_undo)
        self._save_warning_shown = False
        self.year = dt.date.today().year
        self.sending = SendActions(self)
        self.printing = PrintActions(self)
        self.years = YearActions(self)
        self._build_actions()
        self._build_menus()
        self._build_body()
        self._build_status()
        self._check_timer = QTimer(self, singleShot=True, interval=250, timeout=self._refresh_check)
        # the navigator's "exported / changed since" line follows saves, a little later
        self._export_state_timer = QTimer(self, singleShot=True, interval=1500, timeout=self.show_export_state)
        QApplication.instance().applicationStateChanged.connect(self._app_state)
        # a backup at most once an hour while editing (one was made at start-up)
        self._backup_timer = QTimer(self, interval=10 * 60 * 1000, timeout=self._backup_if_due)
        self._backup_timer.start()
        self._restore_settings()

    # -- construction ----------------------------------------------------------

    def _action(self, text, slot, shortcut=None, tip=None, icon=None) -> QAction:
        action = QAction(text, self)
        action.triggered.connect(lambda _checked=False: slot())  # slots take no “checked” flag
        if shortcut is not None:
            action.setShortcuts(shortcut if isinstance(shortcut, list) else [QKeySequence(shortcut)])
        if tip:
            action.setStatusTip(tip)
        if icon is not None:
            action.setIcon(self.style().standardIcon(icon))
        return action

    def _build_actions(self):
        d = definitions()
        send, printing = self.sending, self.printing
        # one “new” action per kind of form; the first kind there are many of gets Ctrl+N
        main_kind = next(k.key for k in d.kinds if not k.singleton)
        self.act_new: dict[str, QAction] = {}
        for kind in d.kinds:
            main = kind.key == main_kind
            action = self._action(f"新建{kind.title}" + ("" if kind.singleton else "…"),
                                  lambda k=kind.key: self.new_form(k),
                                  QKeySequence.StandardKey.New if main else None, icon=SP.SP_FileIcon if main else None)
            action.setIconText(f"新建{kind.short_name.removesuffix('登记表')}表")
            self.act_new[kind.key] = action
        self.act_new_main = self.act_new[main_kind]
        self.act_duplicate = self._action("复制表格", self.duplicate_form,
                                          tip="以当前表格（或左边列表中选中的表格）为底稿新建一张")
        self.act_delete = self._action("删除表格…", self.delete_form)
        self.act_rename = self._action("修改姓名/岗位…", self.rename_form)
        self.act_rename_unit = self._action(f"修改{definitions().field('unit').label}名称…", self.years.ask_rename,
                                            tip="本年度全部表格的单位名称一起改")
        self.act_new_year = self._action("开始新年度…", self.new_year)
        self.act_save = self._action("保存", self.save_all, QKeySequence.StandardKey.Save,
                                     tip="立即保存（平时每次修改都在一秒内自动保存）")
        self.act_history = self._action("历史版本…", self.show_history)
        self.act_deleted = self._action("已删除的表格…", self.show_deleted)
        self.act_import = self._action("导入数据文件…", send.import_files)
        self.act_export_json = self._action("导出本年度数据文件…", send.export_json)
        self.act_export_package = self._action("导出数据包（报送校纪委）…", send.export_package, "Ctrl+Shift+E")
        self.act_open_receipt = self._action("打开校纪委回执…", send.open_receipt)
        self.act_open_review = self._action("应用校纪委审核意见…", send.open_review,
                                            tip="打开校纪委发回的审核意见文件（.lzsh）：审定填入表格，退回的表格和意见列入检查")
        self.act_import_settings = self._action("导入校纪委报送设置…", send.import_settings)
        self.act_keys = self._action("报送密钥与设置…", send.show_keys)
        self.act_workbench = self._action("校纪委汇总工作台…", send.open_workbench)
        self.act_import_word = self._action("导入Word文件…", lambda: self.import_word(folder=False),
                                            tip="把 Word 登记表（.docx，可多选）读入本年度：先预览，"
                                                "没能放入表格的文字逐条处理")
        self.act_import_word_folder = self._action("导入Word文件夹…", lambda: self.import_word(folder=True),
                                                   tip="把一个文件夹（含子文件夹）中的 Word 登记表全部读入本年度")
        self.act_export_word = self._action("导出Word…", self.export_word,
                                            tip="把当前表格导出为可编辑的 Word 文件（与打印的表格相同）")
        self.act_export_word_year = self._action("导出本年度全部表格为Word…", self.export_word_year,
                                                 tip="每张表格一个 Word 文件，放在选定的文件夹中")
        self.act_preview = self._action("预览", printing.preview, "Ctrl+Shift+P", icon=SP.SP_FileDialogContentsView)
        self.act_print = self._action("打印…", printing.print_current, QKeySequence.StandardKey.Print)
        self.act_print_all = self._action("打印本年度全部表格…", printing.print_all)
        self.act_export_pdf = self._action("导出PDF…", printing.export_pdf, "Ctrl+E", icon=SP.SP_DialogSaveButton)
        self.act_blank = {kind.key: self._action(f"空白{kind.title}…", lambda k=kind.key: printing.print_blank(k))
                          for kind in d.kinds}
        self.act_close_tab = self._action("关闭表格", self.close_current_tab, QKeySequence.StandardKey.Close)
        self.act_quit = self._action("退出", self.close, QKeySequence.StandardKey.Quit)
        self.act_undo = self.undo_group.createUndoAction(self, "撤销")
        self.act_undo.setShortcuts([QKeySequence(QKeySequence.StandardKey.Undo)])
        self.act_redo = self.undo_group.createRedoAction(self, "重做")
        self.act_redo.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
        self.act_undo.setIcon(self.style().standardIcon(SP.SP_ArrowBack))
        self.act_redo.setIcon(self.style().standardIcon(SP.SP_ArrowForward))
        self.act_insert_row = self._action("插入风险点", lambda: self._row("insert"),
                                           [QKeySequence("Ctrl+Shift+="), QKeySequence("Ctrl+Ins")],
                                           icon=SP.SP_FileDialogNewFolder)
        self.act_delete_row = self._action("删除风险点", lambda: self._row("remove"), "Ctrl+-", icon=SP.SP_TrashIcon)
        self.act_row_up = self._action("上移", lambda: self._row("up"), "Alt+Up", icon=SP.SP_ArrowUp)
        self.act_row_down = self._action("下移", lambda: self._row("down"), "Alt+Down", icon=SP.SP_ArrowDown)
        self.act_paste_rows = self._action("从 Excel/WPS 粘贴行", lambda: self._row("paste"))
        self.act_wizard = self._action("评估向导…", self.level_wizard, "Ctrl+L")
        self.act_about = self._action("关于", self.about)
        self.act_help = self._action("使用说明", self.show_help, QKeySequence.StandardKey.HelpContents)
        self.act_backups = self._action("备份与恢复…", self.show_backups)
        # need an open form (复制/删除 also work on the form selected in the list)
        self.form_actions = [self.act_rename, self.act_history,
                             self.act_preview, self.act_print, self.act_export_pdf, self.act_close_tab,
                             self.act_insert_row, self.act_delete_row, self.act_row_up, self.act_row_down,
                             self.act_paste_rows, self.act_wizard, self.act_export_word]
        self.selection_actions = [self.act_duplicate, self.act_delete]

    def _build_menus(self):
        bar = self.menuBar()
        menu = bar.addMenu("文件(&F)")
        for a in (*self.act_new.values(), self.act_save, None, self.act_export_package, self.act_open_receipt,
                  self.act_open_review,
                  self.act_import_settings, self.act_keys, None,
                  self.act_import, self.act_export_json, self.act_workbench, None,
                  self.act_preview, self.act_print, self.act_print_all, self.act_export_pdf):
            menu.addSeparator() if a is None else menu.addAction(a)
        blank = menu.addMenu("打印空白表")
        blank.addActions(list(self.act_blank.values()))
        menu.addSeparator()
        words = menu.addMenu("Word")
        words.addActions([self.act_import_word, self.act_import_word_folder])
        words.addSeparator()
        words.addActions([self.act_export_word, self.act_export_word_year])
        menu.addSeparator()
        menu.addActions([self.act_close_tab, self.act_quit])
        menu = bar.addMenu("编辑(&E)")
        for a in (self.act_undo, self.act_redo, None, self.act_insert_row, self.act_delete_row,
                  self.act_row_up, self.act_row_down, self.act_paste_rows, None, self.act_wizard):
            menu.addSeparator() if a is None else menu.addAction(a)
        menu = bar.addMenu("表格(&T)")
        for a in (self.act_duplicate, self.act_rename, self.act_delete, None, self.act_rename_unit, None,
                  self.act_history, self.act_deleted, self.act_backups, None, self.act_new_year):
            menu.addSeparator() if a is None else menu.addAction(a)
        self.view_menu = bar.addMenu("视图(&V)")
        menu = bar.addMenu("帮助(&H)")
        menu.addActions([self.act_help, self.act_about])
        toolbar = self.addToolBar("常用")
        toolbar.setObjectName("toolbar")
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for a in (self.act_new_main, None, self.act_undo, self.act_redo, None, self.act_insert_row,
                  self.act_delete_row, self.act_row_up, self.act_row_down, None, self.act_preview,
                  self.act_export_pdf):
            toolbar.addSeparator() if a is None else toolbar.addAction(a)
        self.view_menu.addAction(toolbar.toggleViewAction())

    def _build_body(self):
        self.navigator = NavigatorWidget()
        self.navigator.open_form.connect(self.open_form)
        self.navigator.year_changed.connect(self.load_year)
        self.act_new_year.setIconText("新年度…")  # the short name on the navigator's button
        self.navigator.new_year_button.setDefaultAction(self.act_new_year)
        self.navigator.list.selectionModel().currentChanged.connect(lambda *_: self._update_center())
        for action in (self.act_new_main, self.act_duplicate, self.act_delete):
            button = QToolButton()
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            self.navigator.buttons.addWidget(button)
        self.tabs = QTabWidget()
        self.tabs.setTabsClosable(True)
        self.tabs.setMovable(True)
        self.tabs.setDocumentMode(True)
        self.tabs.tabCloseRequested.connect(self.close_tab)
        self.tabs.currentChanged.connect(self._tab_changed)
        kinds = definitions().kind_keys
        self.welcome = WelcomePage({"unit": self.act_new[kinds[0]], "post": self.act_new_main,
                                    "print": self.act_print_all, "send": self.act_export_package,
                                    "word": [self.act_import_word, self.act_import_word_folder]})
        self.center = QStackedWidget()
        self.center.addWidget(self.welcome)
        self.center.addWidget(self.tabs)
        self.splitter = QSplitter()
        self.splitter.addWidget(self.navigator)
        self.splitter.addWidget(self.center)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([260, 900])
        self.setCentralWidget(self.splitter)

        self.reference = ReferencePanel()
        self.reference.point_chosen.connect(self.insert_reference)
        self.reference.measure_chosen.connect(
            lambda text: self.current_editor() and self.current_editor().add_measure(text))
        self.check = CheckPanel()
        self.check.jump.connect(self.jump_to)
        for title, name, widget in (("参考点", "reference", self.reference), ("检查", "check", self.check)):
            dock = QDockWidget(title, self)
            dock.setObjectName(name)
            dock.setWidget(widget)
            self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
            self.view_menu.addAction(dock.toggleViewAction())
            setattr(self, f"{name}_dock", dock)

    def _build_status(self):
        self.save_label = QLabel("")
        self.statusBar().addPermanentWidget(self.save_label)

    # -- settings --------------------------------------------------------------

    def _restore_settings(self):
        s = keys.settings()
        geometry = s.value(keys.GEOMETRY)
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(1366, 768)  # ui/screen.py fits it into the screen's free area when shown
        state = s.value(keys.STATE)
        if isinstance(state, QByteArray):
            self.restoreState(state)
        splitter = s.value(keys.SPLITTER)
        if isinstance(splitter, QByteArray):
            self.splitter.restoreState(splitter)
        years_found = self.store.years()
        default = years_found[-1] if years_found else dt.date.today().year
        try:
            year = int(s.value(keys.LAST_YEAR, default))
        except (TypeError, ValueError):
            year = default
        self.load_year(year)

    def _save_settings(self):
        s = keys.settings()
        s.setValue(keys.GEOMETRY, self.saveGeometry())
        s.setValue(keys.STATE, self.saveState())
        s.setValue(keys.SPLITTER, self.splitter.saveState())
        s.setValue(keys.LAST_YEAR, self.year)
        s.sync()

    # -- the year and its forms ------------------------------------------------

    def load_year(self, year: int) -> None:
        """Show a year. The open forms of another year are saved and closed: two tabs
        reading "王强" of two years are too easily mixed up."""
        for index in reversed(range(self.tabs.count())):
            editor = self.tabs.widget(index)
            if isinstance(editor, FormEditor) and editor.form.year != year:
                self.close_tab(index)
        self.year = year
        self.years.load(year)
        self.navigator.set_years(self.store.years(), year)
        self.reload_navigator()
        self.update_title()
        self._update_center()
        self.show_export_state()
        self._refresh_check()

    def update_title(self) -> None:
        """单位 · 年度 — file (Qt adds the program's name after it, so it is not repeated)."""
        unit = self.years.unit() if self.years.unit_follows else None
        who = f"{unit} · " if unit else ""
        self.setWindowTitle(f"{who}{self.year} 年度 — {self.db_path.name}" + ("（只读）" if self.read_only else ""))

    def reload_navigator(self) -> None:
        self.review_notes = review_notes(self.store, self.year)
        self.navigator.model.load(self.store.forms(year=self.year), self.review_notes)
        returned = [n for n in self.review_notes.values() if n.returned]
        if returned:
            fixed = sum(n.changed for n in returned)
            number = returned[0].number
            self.navigator.show_notice(f"校纪委第 {number} 轮审核：退回修改 {len(returned)} 张表格"
                                       + (f"（已修改 {fixed} 张）" if fixed else "")
                                       + (f"：{returned[0].reason}" if len(returned) == 1 else "")
                                       + "。见列表中标着“退回修改”的表格，改好后请重新报送。")
        elif self._review_notice:
            self.navigator.show_notice("")
        self._review_notice = bool(returned)
        self.update_title()

    def show_export_state(self) -> None:
        if not self.store.closed:
            self.navigator.export_state.setText(export_state(self.store, self.year))
            self.navigator.fit_labels()

    def _update_center(self):
        has_forms = bool(self.navigator.model.entries)
        self.center.setCurrentWidget(self.tabs if self.tabs.count() else self.welcome)
        if not self.tabs.count():
            self.welcome.show_year(*self._year_summary(has_forms))
        enabled = self.current_editor() is not None
        for action in self.form_actions:
            action.setEnabled(enabled)
        for action in self.selection_actions:
            action.setEnabled(self.selected_form_id() is not None)
        if self.read_only:
            for action in self.writing_actions():
                action.setEnabled(False)

    def _year_summary(self, has_forms: bool) -> tuple[str, str | None]:
        if not has_forms:
            return "廉政风险防控登记", None
        d = definitions()
        entries = self.navigator.model.entries
        counts = "、".join(f"{sum(e.kind == k.key for e in entries)} 张{k.short_name}" for k in d.kinds)
        unit = self.years.unit() if self.years.unit_follows else None
        return f"{unit + ' ' if unit else ''}{self.year} 年度", f"本年度共 {len(entries)} 张表格（{counts}）。"

    def writing_actions(self) -> list[QAction]:
        """What a read-only window can't do."""
        return [*self.act_new.values(), self.act_duplicate, self.act_delete, self.act_rename, self.act_rename_unit,
                self.act_new_year, self.act_save, self.act_import, self.act_import_word, self.act_import_word_folder,
                self.act_insert_row, self.act_delete_row,
                self.act_row_up, self.act_row_down, self.act_paste_rows, self.act_wizard, self.act_export_package,
                self.act_open_receipt, self.act_open_review, self.act_import_settings, self.act_backups]

    def unit_name(self) -> str | None:
        """The unit this database belongs to, asked once when it is empty."""
        from PySide6.QtWidgets import QInputDialog

        found = self.years.unit()
        if found:
            return found
        label = definitions().field("unit").label
        name, ok = QInputDialog.getText(self, f"填写{label}", f"本单位的名称（{label}）：")
        return " ".join(name.split()) if ok and name.strip() else None

    def _run(self, title: str, work):
        """An operation; a StoreError (disk full, read-only…) is told, not raised."""
        try:
            return work()
        except StoreError as exc:
            QMessageBox.warning(self, title, str(exc))
            return None

    def _created(self, form: Form | None) -> None:
        if form is not None:
            self.reload_navigator()
            self.open_form(form.id)

    def new_form(self, kind: str, **values) -> str | None:
        """A new form of the kind; one of which there is one per unit is opened if it exists."""
        k = definitions().kind(kind)
        if k.singleton:
            existing = form_ops.singleton_form(self.store, kind, self.year)
            if existing is not None:
                self.open_form(existing.id)
                return existing.id
        elif not values:
            dialog = NewFormDialog(self, kind)
            if not dialog.exec():
                return None
            values = dialog.values()
        unit = self.unit_name()
        if not unit:
            return None
        form = self._run(f"新建{k.title}", lambda: form_ops.new_form(self.store, kind, self.year, unit, **values))
        self._created(form)
        return form.id if form else None

    def selected_form_id(self) -> str | None:
        """The form 复制/删除 act on: the open one, else the one selected in the list."""
        editor = self.current_editor()
        if editor is not None:
            return editor.form.id
        return self.navigator.selected_id()

    def duplicate_form(self) -> None:
        form_id = self.selected_form_id()
        if form_id is None or self.read_only:
            return
        if form_id in self.editors:
            self.editors[form_id].save_now()
        self._created(self._run("复制表格", lambda: form_ops.duplicate_form(self.store, form_id)))

    def delete_form(self) -> None:
        form_id = self.selected_form_id()
        form = self.editors[form_id].form if form_id in self.editors else (self.store.get(form_id) if form_id else None)
        if form is None or self.read_only:
            return
        title = form_name(form, MESSAGE)
        if not ask.confirm(self, "删除表格", f"删除“{title}”？\n删除后可以在“表格 → 已删除的表格”中恢复。"):
            return
        editor = self.editors.get(form_id)
        if editor is not None:
            editor.save_now()
        if self._run("删除表格", lambda: form_ops.delete_form(self.store, form_id)) is None:
            return
        if editor is not None:
            self.close_tab(self.tabs.indexOf(editor), save=False)
        self.reload_navigator()
        self.years.load(self.year)
        self._update_center()
        self._refresh_check()
        self.statusBar().showMessage(f"已删除“{title}”，可在“表格 → 已删除的表格”中恢复", 8000)

    def rename_form(self) -> None:
        editor = self.current_editor()
        if editor is None:
            return
        dialog = NewFormDialog(self, editor.form.kind, editor.form, "修改姓名/岗位")
        if not dialog.fields:  # nothing to ask (the unit form): the 单位 field is on the form
            editor.focus_path(("unit",))
            return
        if dialog.exec():
            editor.undo_stack.beginMacro("修改姓名/岗位")
            for key, value in dialog.values().items():
                editor.edit_field(key, value)
            editor.undo_stack.endMacro()

    def new_year(self) -> None:
        self.years.new_year()

    # -- Word ------------------------------------------------------------------

    def import_word(self, *, folder: bool, paths=None):
        """Word forms (files or a folder) into this year, after the preview (ui/word_import.py)."""
        from lianzheng_desktop.ui import word_import

        if self.read_only:
            return None
        paths = paths or word_import.choose_paths(self, "导入Word" + ("文件夹" if folder else "文件"), folder=folder)
        return word_import.import_for_unit(self, paths) if paths else None

    def export_word(self):
        from lianzheng_desktop.ui import word_export

        editor = self.current_editor()
        if editor is not None:
            editor.finish_editing()
            return word_export.export_form(self, editor.form)
        return None

    def export_word_year(self):
        from lianzheng_desktop.ui import word_export

        return word_export.export_year(self)

    # -- tabs ------------------------------------------------------------------

    def current_editor(self) -> FormEditor | None:
        widget = self.tabs.currentWidget()
        return widget if isinstance(widget, FormEditor) else None

    def open_form(self, form_id: str) -> FormEditor | None:
        if form_id in self.editors:
            self.tabs.setCurrentWidget(self.editors[form_id])
            return self.editors[form_id]
        form = self.store.get(form_id)
        if form is None:
            return None
        editor = FormEditor(self.store, form, read_only=self.read_only, unit_follows=self.years.unit_follows,
                            review_note=self.review_notes.get(form_id), parent=self)
        editor.saved.connect(self._saved)
        editor.unit_edited.connect(lambda text, e=editor: self.years.typed(e, text))
        editor.rename_unit_requested.connect(self.years.ask_rename)
        editor.save_failed.connect(self._save_failed)
        editor.content_changed.connect(lambda e=editor: self._content_changed(e))
        editor.category_focused.connect(self.reference.show_category)
        editor.print_requested.connect(self.printing.print_current)
        editor.export_requested.connect(self.printing.export_pdf)
        editor.status_hint.connect(lambda text: self.statusBar().showMessage(text, 0 if "编辑" in text else 6000))
        self.undo_group.addStack(editor.undo_stack)
        self.editors[form_id] = editor
        self.tabs.addTab(editor, form_name(form, TAB))
        self.tabs.setCurrentWidget(editor)
        self._update_center()
        return editor

    def close_tab(self, index: int, save: bool = True) -> None:
        editor = self.tabs.widget(index)
        if not isinstance(editor, FormEditor):
            return
        if save:
            editor.finish_editing()
            if not editor.save_now() and not ask.confirm(
                    self, "未能保存", "这张表格的修改没能保存到数据库（原因见状态栏）。关闭后这些修改会丢失。\n"
                    "仍要关闭吗？建议选“否”，等问题解决后程序会自动保存。"):
                return
        self.undo_group.removeStack(editor.undo_stack)
        del self.editors[editor.form.id]
        self.tabs.removeTab(index)
        editor.deleteLater()
        self._update_center()

    def close_current_tab(self) -> None:
        if self.tabs.currentIndex() >= 0:
            self.close_tab(self.tabs.currentIndex())

    def _tab_changed(self, _index):
        editor = self.current_editor()
        if editor is not None:
            self.undo_group.setActiveStack(editor.undo_stack)
            self.reference.show_category(editor.current_category)
            self.navigator.select(editor.form.id)
        else:
            self.undo_group.setActiveStack(self.year_undo)
        self._update_center()
        self._refresh_check()

    def jump_to(self, form_id: str, path: tuple) -> None:
        """Open the form (if not open) at the place a problem names."""
        editor = self.open_form(form_id) if form_id else self.current_editor()
        if editor is not None:
            editor.focus_path(tuple(path))

    # -- backups ---------------------------------------------------------------

    def _backup_if_due(self) -> None:
        if self.session.edited_since_backup and not self.read_only:
            self.flush()
            if self.session.backup_if_due():
                self.session.edited_since_backup = False

    def show_backups(self) -> None:
        self.flush()
        BackupDialog(self).exec()

    def restore_from(self, backup):
        """Close everything, put the backup in place (current file kept aside), reopen."""
        self.flush()
        for index in reversed(range(self.tabs.count())):
            self.close_tab(index, save=False)
        try:
            return self.session.restore(backup)
        finally:
            self.load_year(self.year)

    # -- saving ------------------------------------------------------------------

    def _content_changed(self, editor: FormEditor):
        self.session.edited_since_backup = True
        self.tabs.setTabText(self.tabs.indexOf(editor), form_name(editor.form, TAB))
        self.navigator.model.update(editor.form)
        self._check_timer.start()

    def _refresh_check(self):
        """The open form's problems; with none open, the year's (as export would check)."""
        if self.store.closed:
            return
        editor = self.current_editor()
        if editor is not None:
            note = self.review_notes.get(editor.form.id)
            self.check.show_problems(review_form_problems(editor.form, note) + editor.problems()
                                     + comparing.copy_warning(self.store, editor.form), editor.form.id)
            return
        forms = self.store.forms(year=self.year)
        self.check.show_year(self.year, review_problems(self.store, self.year) + check_forms(forms)
                             + comparing.copy_warnings(self.store, forms) if forms else None)

    def _saved(self, when: str):
        self.save_label.setText(f"已保存 {when}")
        self.save_label.setStyleSheet("")
        self._save_warning_shown = False
        self._export_state_timer.start()

    def save_all(self) -> bool:
        """Ctrl+S: everything open written now, and said so."""
        ok = self.flush()
        now = dt.datetime.now().strftime("%H:%M:%S")
        if ok:
            self.save_label.setText(f"已保存 {now}")
            self.save_label.setStyleSheet("")
            count = len(self.editors)
            self.statusBar().showMessage(f"已保存（{now}）：打开的 {count} 张表格都已存入数据库。"
                                         "平时每次修改都会在一秒内自动保存。", 6000)
        return ok

    def _save_failed(self, message: str):
        """Loud, but the work goes on: the edits stay in the window and saving is retried."""
        self.save_label.setText("未保存！")
        self.save_label.setStyleSheet("color: white; background: #b3261e; padding: 0 6px;")
        self.statusBar().showMessage(message, 10000)
        if not self._save_warning_shown:
            self._save_warning_shown = True
            box = QMessageBox(QMessageBox.Icon.Warning, "无法保存", message + "\n\n可能的原因：磁盘已满、"
                              "文件夹只读、文件被杀毒软件或其他程序占用。解决后会自动保存，不必重新输入。", parent=self)
            box.setWindowModality(Qt.WindowModality.NonModal)
            box.show()
            self.save_warning = box

    def flush(self) -> bool:
        """Write every open form now (all of them, even after one fails)."""
        for editor in self.editors.values():
            editor.finish_editing()
        results = [editor.save_now() for editor in self.editors.values()]
        return all(results)

    def _app_state(self, state):
        if state != Qt.ApplicationState.ApplicationActive:
            self.flush()

    def closeEvent(self, event):
        if not self.flush() and not ask.confirm(self, "未能保存", "有表格没能保存到数据库。仍要退出吗？"):
            event.ignore()
            return
        for editor in self.editors.values():
            editor.stop_autosave()
        self._export_state_timer.stop()
        self._check_timer.stop()
        self._save_settings()
        super().closeEvent(event)

    # -- rows, levels, reference points ----------------------------------------

    def _row(self, action: str):
        editor = self.current_editor()
        if editor is not None:
            editor.row_action(editor.current_category, action)

    def insert_reference(self, code: str) -> None:
        editor = self.current_editor()
        if editor is not None:
            editor.insert_reference(code)

    def level_wizard(self) -> None:
        editor = self.current_editor()
        if editor is None or editor.current_view().current_row() < 0:
            self.statusBar().showMessage("请先在表格中选中一个风险点", 5000)
            return
        dialog = LevelWizard(self)
        if dialog.exec() and dialog.target:
            editor.set_level(dialog.target, dialog.level())

    # -- history ---------------------------------------------------------------

    def show_history(self) -> None:
        editor = self.current_editor()
        if editor is None:
            return
        editor.save_now()
        dialog = RevisionsDialog(self, self.store, editor.form.id)
        dialog.exec()
        if dialog.restored:
            self.reopen(editor.form.id)

    def reopen(self, form_id: str) -> None:
        if form_id in self.editors:
            self.close_tab(self.tabs.indexOf(self.editors[form_id]), save=False)
        self.reload_navigator()
        self.open_form(form_id)

    def show_deleted(self) -> None:
        dialog = DeletedFormsDialog(self, self.store, self.year)
        dialog.exec()
        if dialog.restored:
            self.reload_navigator()
            self._update_center()

    def show_help(self) -> None:
        self.help_dialog = HelpDialog(self)
        self.help_dialog.show()

    def about(self) -> None:
        QMessageBox.about(self, "关于", about_html(__version__, self.db_path))
