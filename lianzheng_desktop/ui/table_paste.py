"""Ctrl+V and Delete in a risk table, as in a spreadsheet.

- One cell on the clipboard fills the selected cell — or every selected cell. Text with
  line breaks but no tabs (a paragraph from Word) is one cell too, except in a level
  column, where each line is a cell below the other.
- A block of a few cells (no header, no 风险类别 or 序号 column, narrower than a row) fills
  the cells from the current one, rows added at the end as needed.
- Whole rows (from a sheet or a filled-in form: exchange/clipboard.py reads them) are
  inserted as risk points, each in the category it names.

Each paste or clear is one undo step.
"""

from __future__ import annotations

from PySide6.QtCore import Qt

from lianzheng_desktop.domain.definitions import definitions
from lianzheng_desktop.domain.model import RiskPoint
from lianzheng_desktop.exchange.clipboard import (
    PasteRefused,
    cell_block,
    is_table_of_rows,
    level_value,
    rows_to_risks,
    single_value,
    strip_numbering,
)
from lianzheng_desktop.ui.risk_model import COLUMNS, LEVEL_COLUMNS, NUMBER, POINT


def _selected(view) -> list:
    """The selected editable cells, in reading order (the current one when none)."""
    model = view.model()
    indexes = view.selectionModel().selectedIndexes() or ([view.currentIndex()] if view.currentIndex().isValid()
                                                          else [])
    cells = [i for i in indexes if model.flags(i) & Qt.ItemFlag.ItemIsEditable]
    return sorted(cells, key=lambda i: (i.row(), i.column()))


def _value_for(column: int, text: str, notes: list[str]):
    """What a cell of this column gets from pasted text (a level column reads 一级/1/Ⅰ)."""
    if column in LEVEL_COLUMNS:
        value = level_value(text)
        if isinstance(value, str):
            notes.append(f"“{value}”不是一级、二级或三级，没有粘贴到等级格")
            return False  # leave the cell as it is
        return value
    return strip_numbering(text) if column == POINT else text


def paste(editor, category: str, text: str) -> str:
    """Paste clipboard text into the category's table; returns what happened, in words."""
    view, model = editor.views[category], editor.models[category]
    try:
        value = single_value(text)
        cells = _selected(view)
        current = view.currentIndex()
        if value is not None and "\n" in value and current.column() in LEVEL_COLUMNS:
            value = None  # lines into a level cell: a column of levels, filled downwards
        if value is not None and cells:
            return _fill(editor, model, cells, value)
        if value is None and current.isValid() and current.column() != NUMBER and not is_table_of_rows(text):
            return _fill_block(editor, model, current.row(), current.column(), cell_block(text))
        return _insert_rows(editor, category, text)
    except PasteRefused as exc:
        return str(exc)


def _fill(editor, model, cells, value: str) -> str:
    notes: list[str] = []
    editor.undo_stack.beginMacro("粘贴")
    try:
        for index in cells:
            new = _value_for(index.column(), value, notes)
            if new is not False:
                model.setData(index, new)
    finally:
        editor.undo_stack.endMacro()
    return f"已粘贴到 {len(cells)} 个单元格" + ("；" + "；".join(dict.fromkeys(notes)) if notes else "")


def _fill_block(editor, model, row: int, column: int, block: list[list[str]]) -> str:
    notes: list[str] = []
    category = model.category
    editor.undo_stack.beginMacro("粘贴")
    try:
        missing = row + len(block) - model.rowCount()
        if missing > 0:
            model.insert(model.rowCount(), [RiskPoint(category) for _ in range(missing)])
        filled = 0
        for r, cells in enumerate(block):
            for c, text in enumerate(cells):
                if column + c >= len(COLUMNS):  # past the declared columns ("对照去年" is shown only)
                    notes.append("超出表格右边的列没有粘贴")
                    continue
                new = _value_for(column + c, text, notes)
                if new is not False:
                    model.setData(model.index(row + r, column + c), new)
                    filled += 1
    finally:
        editor.undo_stack.endMacro()
    return f"已粘贴到 {filled} 个单元格" + ("；" + "；".join(dict.fromkeys(notes)) if notes else "")


def _insert_rows(editor, category: str, text: str) -> str:
    """Rows below the current row of this category; rows naming another category at its end."""
    d = definitions()
    result = rows_to_risks(text, category)
    view = editor.views[category]
    editor.undo_stack.beginMacro(f"粘贴 {len(result.risks)} 行")
    try:
        for key, count in result.counts().items():
            risks = [r for r in result.risks if r.category == key]
            model = editor.models[key]
            if key == category:
                row = view.currentIndex().row() if view.currentIndex().isValid() else -1
                at = row + 1 if row >= 0 else model.rowCount()
            else:
                at = model.rowCount()
            model.insert(at, risks, f"粘贴 {count} 行")
            if key == category:
                view.setCurrentIndex(model.index(at, POINT))
    finally:
        editor.undo_stack.endMacro()
    counts = result.counts()
    where = "，".join(f"{d.category(k).name} {n} 行" for k, n in counts.items())
    message = f"已粘贴 {len(result.risks)} 行" + (f"（{where}）" if len(counts) > 1 or category not in counts else "")
    if result.header_rows:
        message += f"；跳过了 {result.header_rows} 行表头"
    return message + ("；" + "；".join(result.notes) if result.notes else "")


def clear(editor, category: str) -> str:
    """Delete: the selected cells emptied (text and levels), as one undo step."""
    view, model = editor.views[category], editor.models[category]
    cells = [i for i in _selected(view) if i.data(Qt.ItemDataRole.EditRole) not in ("", None)]
    if not cells:
        return ""
    editor.undo_stack.beginMacro("清除内容")
    try:
        for index in cells:
            model.setData(index, None if index.column() in LEVEL_COLUMNS else "")
    finally:
        editor.undo_stack.endMacro()
    return f"已清除 {len(cells)} 个单元格（Ctrl+Z 撤销）"
