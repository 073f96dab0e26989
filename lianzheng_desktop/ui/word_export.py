"""Forms out as editable Word files: the current form (导出Word…), or every form of a year
into a folder, one .docx each, named as the PDFs are (operations/word.py writes them)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox

from lianzheng_desktop.domain.model import Form
from lianzheng_desktop.domain.naming import file_stem
from lianzheng_desktop.operations import word
from lianzheng_desktop.ui import ask, progress
from lianzheng_desktop.ui import settings as keys

SHOW_PROGRESS = 5  # forms: fewer are written before a dialog could even be seen


def export_form(parent, form: Form) -> Path | None:
    """One form to a .docx the user names."""
    s = keys.settings()
    start = Path(str(s.value(keys.LAST_DIR, str(Path.home())))) / (file_stem(form) + word.DOCX)
    name, _ = QFileDialog.getSaveFileName(parent, "导出Word", str(start), "Word 文档 (*.docx)")
    if not name:
        return None
    path = Path(name) if name.lower().endswith(word.DOCX) else Path(name + word.DOCX)
    try:
        word.write_word(form, path)
    except OSError as exc:
        QMessageBox.critical(parent, "导出Word", f"无法写入 {path}：{exc.strerror or exc}")
        return None
    s.setValue(keys.LAST_DIR, str(path.parent))
    _say(parent, f"已导出 {path}（可以用 Word 或 WPS 打开、修改；改过的文件可以再用“导入Word”读回）")
    return path


def export_forms(parent, forms: list[Form], title: str) -> list[Path] | None:
    """Every form to a folder the user picks; files already there are asked about first;
    many forms under a progress dialog with 取消 (the files written so far stay, each whole)."""
    if not forms:
        QMessageBox.information(parent, title, "没有表格可以导出。")
        return None
    s = keys.settings()
    start = str(s.value(keys.LAST_DIR, str(Path.home())))
    folder = QFileDialog.getExistingDirectory(parent, f"{title}：选择文件夹", start)
    if not folder:
        return None
    paths = word.word_paths(forms, Path(folder))
    there = [p.name for p in paths if p.exists()]
    head = f"文件夹中已有这 {len(there)} 个同名文件："
    if there and not ask.confirm_list(parent, title, head, there, "覆盖它们吗？"):
        return None
    s.setValue(keys.LAST_DIR, folder)
    try:
        if len(forms) >= SHOW_PROGRESS:
            written = progress.run(parent, title, lambda report: word.export_word(forms, paths, report))
        else:
            written = word.export_word(forms, paths)
    except OSError as exc:
        QMessageBox.critical(parent, title, f"无法写入：{exc.strerror or exc}")
        return None
    if written is None:
        _say(parent, f"已取消：其余的表格没有写入（{folder} 中已写入的文件都是完整的）")
        return None
    _say(parent, f"已把 {len(written)} 张表格导出为 Word 文件，放在 {folder}")
    return written


def export_year(window) -> list[Path] | None:
    """导出本年度全部表格为Word: the window's year."""
    window.flush()
    return export_forms(window, window.store.forms(year=window.year), f"导出 {window.year} 年度全部表格为Word")


def _say(parent, text: str) -> None:
    bar = getattr(parent, "statusBar", None)
    if bar is not None:
        bar().showMessage(text, 10000)
    else:
        QMessageBox.information(parent, "导出Word", text)
