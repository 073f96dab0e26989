"""The main window's preview and print actions: one form, the whole year, blank forms.

reportlab and QtPdf load on first use."""

from __future__ import annotations

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

    def print_all(self) -> None:
        from lianzheng_desktop.render import render_forms
        from lianzheng_desktop.ui.printing import print_pdf

        w = self.window
        w.flush()
        forms = w.store.forms(year=w.year)
        if not forms:
            w.statusBar().showMessage("本年度还没有表格", 5000)
            return
        print_pdf(w, render_forms(forms), f"{w.year} 年度全部登记表（{len(forms)} 张）")

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
