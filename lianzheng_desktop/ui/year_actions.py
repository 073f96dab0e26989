"""The main window's year actions: the unit the year belongs to (renaming it, undoably,
for every form at once), and starting a new year. The work is in operations.units and
operations.years; this asks, shows, and keeps the open editors in step."""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog, QMessageBox

from lianzheng_desktop.domain.definitions import definitions
from lianzheng_desktop.operations import units, years
from lianzheng_desktop.store import StoreError
from lianzheng_desktop.ui import ask, commands
from lianzheng_desktop.ui.dialogs import NewYearDialog


class YearActions:
    def __init__(self, window):
        self.window = window
        self.owner: units.Owner | None = None

    # -- whose year it is -------------------------------------------------------

    def load(self, year: int) -> units.Owner:
        self.owner = units.owner(self.window.store, year)
        self._show_notice()
        return self.owner

    @property
    def unit_follows(self) -> bool:
        """Forms of this database follow one unit (not the committee's many)."""
        return self.owner is None or not self.owner.committee

    def unit(self) -> str | None:
        return units.unit_of(self.window.store, self.window.year)

    def _show_notice(self) -> None:
        nav, owner, label = self.window.navigator, self.owner, definitions().field("unit").label
        if owner is None or (not owner.committee and not owner.mixed):
            nav.show_notice("")
        elif owner.committee:
            nav.show_notice(f"这是校纪委的汇总数据库：本年度有 {len(owner.units)} 个单位的表格，"
                            f"每张表格的{label}来自各单位报送的数据包。汇总请用“校纪委汇总工作台”。")
        else:
            target = owner.unit or next(iter(owner.units))
            nav.show_notice(f"本年度表格的{label}不一致：{owner.describe()}。一个单位的表格应当同名，"
                            "否则导出的数据包会被拒绝。", f"统一为“{target}”",
                            None if self.window.read_only else lambda: self.rename(target))

    # -- renaming the unit ------------------------------------------------------------

    def ask_rename(self) -> None:
        """表格 → 修改单位名称…: every form of the year gets the new name."""
        w = self.window
        if w.read_only:
            return
        label = definitions().field("unit").label
        current = self.unit() or ""
        name, ok = QInputDialog.getText(w, f"修改{label}名称", f"本单位的新名称（{w.year} 年度全部表格一起改）：",
                                        text=current)
        if ok and units.clean_name(name) and units.clean_name(name) != current:
            self.rename(name)

    def typed(self, editor, text: str) -> None:
        """单位 typed on the unit form: the year follows, as one undo step per field visit."""
        self.rename(text, editor)

    def rename(self, name: str, editor=None) -> units.UnitRenamed | None:
        w = self.window
        w.flush()
        try:
            renamed = units.rename_unit(w.store, w.year, name)
        except StoreError as exc:
            QMessageBox.warning(w, "修改单位名称", str(exc))
            if editor is not None:
                editor.show_field("unit")
            return None
        if not renamed.previous:
            return renamed
        self._show_renamed(renamed)
        stack = editor.undo_stack if editor is not None else w.undo_group.activeStack() or w.year_undo
        stack.push(commands.RenameUnit(self, renamed, editor.merge_session if editor is not None else None))
        w.statusBar().showMessage(renamed.message + "（可撤销）", 8000)
        return renamed

    def redo_rename(self, renamed: units.UnitRenamed) -> None:
        w = self.window
        w.flush()
        try:
            units.rename_unit(w.store, renamed.year, renamed.new)
        except StoreError as exc:
            QMessageBox.warning(w, "重做", str(exc))
            return
        self._show_renamed(renamed)

    def undo_rename(self, renamed: units.UnitRenamed) -> None:
        w = self.window
        w.flush()
        try:
            units.undo_rename(w.store, renamed)
        except StoreError as exc:
            QMessageBox.warning(w, "撤销", str(exc))
            return
        self._show_renamed(renamed, undone=True)

    def _show_renamed(self, renamed: units.UnitRenamed, *, undone: bool = False) -> None:
        """The open editors of the year show the names now stored (nothing to save)."""
        w = self.window
        for editor in w.editors.values():
            if editor.form.year == renamed.year and editor.form.id in renamed.previous:
                editor.form.unit = renamed.previous[editor.form.id] if undone else renamed.new
                editor.show_field("unit")
        if w.year == renamed.year:
            self.load(w.year)
            w.reload_navigator()
            w.update_title()
            w.show_export_state()

    # -- a new year ---------------------------------------------------------------

    def new_year(self) -> None:
        """Only into a year that has no forms yet (else: open it); a year far from today is
        asked about."""
        w = self.window
        if w.read_only:
            return
        found = w.store.years()
        previous = max(found) if found else None
        dialog = NewYearDialog(w, years.suggested_year(found), previous)
        if not dialog.exec():
            return
        year = dialog.year.value()
        source = dialog.source()
        existing = len(w.store.summaries(year=year))
        if existing:
            if ask.choose(w, "开始新年度", f"{year} 年度已有 {existing} 张表格，不能再开始一次"
                          f"（那样每张表格都会有两份）。要打开 {year} 年度吗？",
                          f"打开 {year} 年度", "取消", QMessageBox.Icon.Information):
                w.load_year(year)
            return
        question = years.unusual_year(year)
        if question and not ask.confirm(w, "开始新年度", question):
            return
        try:
            started = years.start_year(w.store, year, source)
        except StoreError as exc:
            QMessageBox.warning(w, "开始新年度", str(exc))
            return
        w.load_year(started.year)
        w.statusBar().showMessage(started.message, 8000)
