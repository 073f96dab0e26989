"""Killing the program a second after typing loses nothing (autosave within a second):
in a header field, in an opinion, and in a table cell still open for typing (issue 11,
situation 2: the cell's text used to wait for Enter)."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lianzheng_desktop.domain.codec import form_from_json
from lianzheng_desktop.store import FormStore

KILL_AFTER_S = 1.2  # "every keystroke durable within a second", with a little room


def stored_text(form, where: str) -> str:
    if where == "cell":
        return next(r.point for r in form.risks)
    return getattr(form, where)


@pytest.mark.parametrize("where", ["head", "review_opinion", "integrity_duties", "cell"])
def test_sigkill_a_second_after_typing_keeps_the_text(tmp_path, examples, where):
    db = tmp_path / "kill.db"
    store = FormStore.open(db)
    form = form_from_json(examples[1])[0]  # the unit form
    store.save(form)
    store.close()
    marker = tmp_path / "typed"
    text = "（刚刚输入，还没有按回车，也没有手动保存）"
    child = subprocess.Popen([sys.executable, str(Path(__file__).parent / "gui_child.py"), str(db), form.id,
                              text, str(marker), where], env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert child.poll() is None, "the program ended before typing"
            assert time.monotonic() < deadline
            time.sleep(0.02)
        time.sleep(KILL_AFTER_S)
        child.send_signal(signal.SIGKILL)
        child.wait(10)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == -signal.SIGKILL
    store = FormStore.open(db)  # as on restart
    try:
        assert text in stored_text(store.get(form.id), where)
        assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        store.close()
