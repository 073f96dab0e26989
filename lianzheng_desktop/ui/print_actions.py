"""The main window's preview and print actions: one form, the whole year, blank forms.

reportlab and QtPdf load on first use."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from lianzheng_desktop.domain.definitions import definitions
from lianzheng_desktop.domain.naming import MESSAGE, file_stem, form_name


class PrintActions:
    def __init__(self, window):
        self.window = window

    def preview(self) -> None:
        editor = self.window.current_editor()
        if editor is not None:
            editor.show_preview()

    def print_current(self) -> None:
        from lianzheng_desktop.render import render_form
        from lianzheng_desktop.ui.printing import print_pdf

        editor = self.window.current_editor()
        if editor is not None:
            print_pdf(self.window, render_form(editor.form), form_name(editor.form, MESSAGE))

    def print_all(self) -> bool:
        """Every form of the year: laid out form by form, then printed page by page, each
        under a progress dialog with 取消."""
        from lianzheng_desktop.operations.printing import render_each, year_forms
        from lianzheng_desktop.ui import progress
        from lianzheng_desktop.ui.printing import print_pdfs

        w = self.window
        w.flush()
        forms = year_forms(w.store, w.year)
        if not forms:
            QMessageBox.information(w, "打印全部表格", f"{w.year} 年度还没有表格。")
            return False
        title = f"{w.year} 年度全部登记表（{len(forms)} 张）"
        pdfs = progress.run(w, f"准备打印 {title}", lambda report: render_each(forms, report))
        if pdfs is None:
            w.statusBar().showMessage("已取消打印", 6000)
            return False
        return print_pdfs(w, pdfs, title)

    def export_pdf(self) -> None:
        from lianzheng_desktop.render import render_form
        from lianzheng_desktop.ui.printing import save_pdf

        editor = self.window.current_editor()
        if editor is not None:
            path = save_pdf(self.window, render_form(editor.form), file_stem(editor.form) + ".pdf")
            if path:
                self.window.statusBar().showMessage(f"已导出 {path}", 8000)

    def print_blank(self, kind: str) -> None:
        from lianzheng_desktop.render import render_blank
        from lianzheng_desktop.ui.printing import print_pdf

        print_pdf(self.window, render_blank(kind), definitions().kind(kind).title)
