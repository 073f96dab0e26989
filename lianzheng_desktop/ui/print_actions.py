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
        """Every form of the year, as a bound volume (汇编) or form after form: laid out,
        then printed page by page or saved as one PDF, under a progress dialog with 取消."""
        from lianzheng_desktop.operations.printing import render_volume, year_forms

        w = self.window
        w.flush()
        forms = year_forms(w.store, w.year)
        if not forms:
            QMessageBox.information(w, "打印全部表格", f"{w.year} 年度还没有表格。")
            return False
        title = f"{w.year} 年度全部登记表（{len(forms)} 张）"
        return print_volume(w, title, lambda choice, report, one_file: render_volume(forms, choice, report, one_file),
                            f"{w.year}_{forms[0].unit}_廉政风险防控登记表汇编.pdf")

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


def print_volume(window, title: str, make, file_name: str) -> bool:
    """Ask how (汇编 or not, one- or two-sided, printer or PDF), lay out under progress, then
    print or save. ``make(choice, progress, one_file)`` returns the PDFs in order (one
    when ``one_file``: saving)."""
    from lianzheng_desktop.ui import progress
    from lianzheng_desktop.ui import settings as keys
    from lianzheng_desktop.ui.printing import print_pdfs, save_pdf
    from lianzheng_desktop.ui.volume_dialog import SAVE, VolumeDialog

    dialog = VolumeDialog(window, f"打印 — {title}", title, keys.print_choice())
    if not dialog.exec():
        return False
    choice = dialog.choice()
    keys.set_print_choice(choice)
    to_file = dialog.action == SAVE
    pdfs = progress.run(window, f"准备打印 {title}", lambda report: make(choice, report, to_file))
    if pdfs is None:
        window.statusBar().showMessage("已取消", 6000)
        return False
    if to_file:
        path = save_pdf(window, pdfs[0], file_name)
        if path:
            window.statusBar().showMessage(f"已保存 {path}", 8000)
        return path is not None
    return print_pdfs(window, pdfs, title, duplex=choice.duplex)
