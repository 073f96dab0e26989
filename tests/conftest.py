import json
import os
from pathlib import Path

import pytest

# Qt runs without a screen in tests; set before any Qt import.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

DATA = Path(__file__).parent / "data"
EXAMPLES = sorted((DATA / "examples").glob("*.json"))


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path, monkeypatch):
    """Tests never touch the real user's database or settings."""
    monkeypatch.setenv("LIANZHENG_DB", str(tmp_path / "default.db"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("LIANZHENG_CONFIG", str(tmp_path / "settings.ini"))


@pytest.fixture
def examples():
    return [json.loads(p.read_text(encoding="utf-8")) for p in EXAMPLES]


@pytest.fixture
def example_paths():
    return list(EXAMPLES)


def pytest_collection_modifyitems(config, items):
    """Tests marked slow (the full kill, concurrency and resource counts) run only when
    asked for: ``python -m pytest -m slow``."""
    if "slow" in (config.getoption("markexpr") or ""):
        return
    skip = pytest.mark.skip(reason="slow: run with -m slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def dialogs_answered(monkeypatch):
    """A message box or list dialog that a test did not expect must not block the run
    waiting for a click: each is recorded here and answered as a cautious user would
    (OK; No to a question). A test that expects a dialog patches it itself."""
    from PySide6.QtWidgets import QMessageBox

    from lianzheng_desktop.ui import ask

    shown = []

    def record(kind, answer):
        def answer_with(*args, **kwargs):
            shown.append((kind, args[1:3] if len(args) > 2 else args))
            return answer
        return answer_with

    for kind in ("information", "warning", "critical"):
        monkeypatch.setattr(QMessageBox, kind, record(kind, QMessageBox.StandardButton.Ok))
    monkeypatch.setattr(QMessageBox, "question", record("question", QMessageBox.StandardButton.No))
    monkeypatch.setattr(ask, "inform_list", record("inform_list", None))
    monkeypatch.setattr(ask, "confirm_list", record("confirm_list", False))
    return shown
