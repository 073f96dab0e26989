"""Starting the desktop program: application object, translations, fonts, main window."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTimer, QTranslator
from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication, QMainWindow

from lianzheng_desktop import __version__
from lianzheng_desktop.paths import resources_dir

log = logging.getLogger(__name__)
UI_FONT_FILE = "wqy-zenhei.ttf"  # the bundled Hei face: the window looks the same on every PC


def app_icon() -> QIcon:
    return QIcon(str(resources_dir() / "icons" / "lianzheng.svg"))


def install_translations(app: QApplication) -> None:
    """Qt's own Chinese, so standard dialogs and buttons read 确定/取消/打开…"""
    path = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name in ("qtbase_zh_CN",):
        translator = QTranslator(app)
        if translator.load(name, path):
            app.installTranslator(translator)
        else:
            log.warning("Qt translation %s not found in %s", name, path)
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))


def install_fonts(app: QApplication) -> None:
    font_id = QFontDatabase.addApplicationFont(str(resources_dir() / "fonts" / UI_FONT_FILE))
    families = QFontDatabase.applicationFontFamilies(font_id)
    if families:
        font = QFont(families[0], 10)
        app.setFont(font)


def create_app(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.setApplicationName("lianzheng")
    app.setApplicationDisplayName("廉政风险防控登记")
    app.setApplicationVersion(__version__)
    app.setWindowIcon(app_icon())
    install_translations(app)
    install_fonts(app)
    if not hasattr(app, "screen_fit"):
        from lianzheng_desktop.ui import screen

        app.screen_fit = screen.install(app)  # every window and dialog inside the free screen area
    return app


def run(db_path: Path, *, committee: bool = False) -> int:
    """Open the database and show the main window (or the committee's workbench)."""
    from lianzheng_desktop.ui import errors
    from lianzheng_desktop.ui.startup import open_store

    app = create_app()
    errors.install(app)
    session = open_store(Path(db_path))
    if session is None:
        return 2
    if committee:
        from lianzheng_desktop.ui.workbench import WorkbenchWindow

        window: QMainWindow = WorkbenchWindow(session)
    else:
        from lianzheng_desktop.ui.mainwindow import MainWindow

        window = MainWindow(session)
    if session.notice:
        window.statusBar().showMessage(session.notice)
    window.show()
    if os.environ.get("LIANZHENG_QUIT_WHEN_SHOWN"):
        # for benchmarks/startup_bench.py: say when the first window is up, then leave
        def report():
            print("shown", flush=True)
            window.close()

        QTimer.singleShot(0, report)
    code = app.exec()
    session.close()
    return code
