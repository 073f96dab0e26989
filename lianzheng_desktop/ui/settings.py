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

CONFIG_ENV = "LIANZHENG_CONFIG"


def settings_path() -> Path:
    env = os.environ.get(CONFIG_ENV)
    if env:
        return Path(env)
    from platformdirs import user_config_dir

    return Path(user_config_dir("lianzheng", appauthor=False)) / "lianzheng.ini"


def settings() -> QSettings:
    return QSettings(str(settings_path()), QSettings.Format.IniFormat)
