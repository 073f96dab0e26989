"""The committee's workbench as the program runs it, used the way a clerk does, then closed.

Used by test_qt_defects.py: python workbench_child.py DB CHANGES
Opens the database, changes the summary's filters CHANGES times, closes the window from
the event loop, quits, closes the session and lets the interpreter exit.
"""

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QTimer

from lianzheng_desktop.store import open_session
from lianzheng_desktop.ui.app import create_app
from lianzheng_desktop.ui.workbench import WorkbenchWindow

db, changes = sys.argv[1], int(sys.argv[2])
app = create_app()
session = open_session(db)
window = WorkbenchWindow(session)
window.show()
window.tabs.setCurrentIndex(1)
app.processEvents()
box = window.filters["self_level"]
for i in range(changes):
    box.setCurrentIndex(i % box.count())
    window.search.setText("" if i % 3 else "审批流程")
    app.processEvents()
window.reload()
print("used", flush=True)
QTimer.singleShot(0, window.close)
QTimer.singleShot(0, app.quit)
app.exec()
session.close()
