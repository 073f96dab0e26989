"""The main window's preview and print actions: one form, the whole year, blank forms.

Mixed into MainWindow (ui/mainwindow.py). reportlab and QtPdf load on first use.
"""

from __future__ import annotations

from lianzheng_desktop.domain.definitions import definitions
from lianzheng_desktop.domain.model import UNIT, Form


class PrintActions:
    # -- preview and print -----------------------------------------------------

    def _pdf_name(self, form: Form) -> str:
        who = form.unit if form.kind == UNIT else f"{form.unit}_{form.person}"
        return f"{form.year}_{who}_{definitions().tables[form.kind]['title']}.pdf"

    def preview(self) -> None:
        editor = self.current_editor()
        if editor is not None:
            editor.show_preview()

    def print_current(self) -> None:
        from lianzheng_desktop.render import render_form
        from lianzheng_desktop.ui.printing import print_pdf

        editor = self.current_editor()
        if editor is not None:
            print_pdf(self, render_form(editor.form), editor.form.title)

    def print_all(self) -> None:
        from lianzheng_desktop.render import render_forms
        from lianzheng_desktop.ui.printing import print_pdf

        self.flush()
        forms = self.store.forms(year=self.year)
        if not forms:
            self.statusBar().showMessage("本年度还没有表格", 5000)
            return
        print_pdf(self, render_forms(forms), f"{self.year} 年度全部登记表（{len(forms)} 张）")

    def export_pdf(self) -> None:
        from lianzheng_desktop.render import render_form
        from lianzheng_desktop.ui.printing import save_pdf

        editor = self.current_editor()
        if editor is not None:
            path = save_pdf(self, render_form(editor.form), self._pdf_name(editor.form))
            if path:
                self.statusBar().showMessage(f"已导出 {path}", 8000)

    def print_blank(self, kind: str) -> None:
        from lianzheng_desktop.render import render_blank
        from lianzheng_desktop.ui.printing import print_pdf

        print_pdf(self, render_blank(kind), definitions().tables[kind]["title"])
