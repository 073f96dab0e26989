"""A real copy of the desktop program that types into a form and then waits to be killed.

Used by test_gui_kill.py: python gui_child.py DB FORM_ID TEXT MARKER [WHERE]
WHERE: a field key (integrity_duties, head, review_opinion…) or "cell" — the first
具体风险点 of the first category with points, opened for editing and left open (no Enter).
"""

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication

from lianzheng_desktop.store import open_session
from lianzheng_desktop.ui.app import create_app
from lianzheng_desktop.ui.mainwindow import MainWindow
from lianzheng_desktop.ui.risk_model import POINT
from lianzheng_desktop.ui.risk_table import CellEditor

db, form_id, text, marker = sys.argv[1:5]
where = sys.argv[5] if len(sys.argv) > 5 else "integrity_duties"
app = create_app()
session = open_session(db)
window = MainWindow(session)
window.show()
editor = window.open_form(form_id)
if where == "cell":
    category = next(key for key, model in editor.models.items() if model.rowCount())
    view = editor.views[category]
    view.edit_cell(0, POINT)
    target = next(w for w in view.findChildren(CellEditor) if w.isVisible())
    target.moveCursor(target.textCursor().MoveOperation.End)
else:
    target = editor._fields[where]
    target.setFocus()
event = QInputMethodEvent()
event.setCommitString(text)
QApplication.sendEvent(target, event)
Path(marker).write_text("typed", encoding="utf-8")
app.exec()
