"""Every QSettings key of the program, and where the settings file lives.

Only window state and preferences live here; business data is in the database.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QSettings

GEOMETRY = "window/geometry"
STATE = "window/state"
SPLITTER = "window/splitter"
LAST_YEAR = "session/year"
LAST_DIR = "session/directory"
PRINT_BOOK = "print/book"
PRINT_DUPLEX = "print/duplex"

CONFIG_ENV = "LIANZHENG_CONFIG"


def settings_path() -> Path:
    env = os.environ.get(CONFIG_ENV)
    if env:
        return Path(env)
    from platformdirs import user_config_dir

    return Path(user_config_dir("lianzheng", appauthor=False)) / "lianzheng.ini"


def settings() -> QSettings:
    return QSettings(str(settings_path()), QSettings.Format.IniFormat)


def _flag(value, default: bool) -> bool:
    return default if value is None else str(value).lower() in ("true", "1")


def print_choice():
    """How the user last printed many forms (汇编, two-sided)."""
    from lianzheng_desktop.operations.printing import PrintChoice

    s = settings()
    return PrintChoice(book=_flag(s.value(PRINT_BOOK), True), duplex=_flag(s.value(PRINT_DUPLEX), False))


def set_print_choice(choice) -> None:
    s = settings()
    s.setValue(PRINT_BOOK, choice.book)
    s.setValue(PRINT_DUPLEX, choice.duplex)
