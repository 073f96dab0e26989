"""A real copy of the desktop program that types into a form and then waits to be killed.

Used by test_gui_kill.py: python gui_child.py DB FORM_ID TEXT MARKER
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

db, form_id, text, marker = sys.argv[1:5]
app = create_app()
session = open_session(db)
window = MainWindow(session)
window.show()
editor = window.open_form(form_id)
event = QInputMethodEvent()
event.setCommitString(text)
QApplication.sendEvent(editor._fields["integrity_duties"], event)
Path(marker).write_text("typed", encoding="utf-8")
app.exec()
