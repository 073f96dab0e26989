"""Where the program finds its data folders (forms/, resources/) and the user's database.

One function decides for every layout: a source checkout or editable install (folders
beside the package), an installed wheel (copied into the package as ``_forms`` /
``_resources``), and a PyInstaller bundle (under ``sys._MEIPASS``).
"""

from __future__ import annotations

import os
import sys
from functools import cache
from pathlib import Path

APP_NAME = "lianzheng"
DB_ENV = "LIANZHENG_DB"
FORMS_ENV = "LIANZHENG_FORMS"  # another copy of forms/ (tests of data-only changes use it)


@cache
def data_dir(name: str) -> Path:
    """The folder ``forms``, ``resources`` or ``docs``, wherever this install keeps it."""
    package = Path(__file__).resolve().parent
    candidates = []
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        candidates.append(Path(bundle) / name)
    candidates += [package.parent / name, package / f"_{name}"]
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"找不到程序数据文件夹 {name}（安装不完整？）")


def forms_dir() -> Path:
    env = os.environ.get(FORMS_ENV)
    return Path(env) if env else data_dir("forms")


def resources_dir() -> Path:
    return data_dir("resources")


def docs_dir() -> Path:
    """The user guide (使用说明.md) and its screenshots."""
    return data_dir("docs")


def default_db_path() -> Path:
    """The database used when neither ``--db`` nor ``LIANZHENG_DB`` says otherwise."""
    env = os.environ.get(DB_ENV)
    if env:
        return Path(env)
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False)) / "lianzheng.db"


def committee_db_path() -> Path:
    """The committee's own database of imported packages, beside the default one."""
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False)) / "committee.db"
