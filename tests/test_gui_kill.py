"""Killing the program two seconds after typing loses nothing (autosave within a second)."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from lianzheng_desktop.domain.codec import form_from_json
from lianzheng_desktop.store import FormStore


def test_sigkill_two_seconds_after_typing_keeps_the_text(tmp_path, examples):
    db = tmp_path / "kill.db"
    store = FormStore.open(db)
    form = form_from_json(examples[0])[0]
    store.save(form)
    store.close()
    marker = tmp_path / "typed"
    text = "（刚刚输入，还没有手动保存）"
    child = subprocess.Popen([sys.executable, str(Path(__file__).parent / "gui_child.py"), str(db), form.id,
                              text, str(marker)], env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert child.poll() is None, "the program ended before typing"
            assert time.monotonic() < deadline
            time.sleep(0.05)
        time.sleep(2)
        child.send_signal(signal.SIGKILL)
        child.wait(10)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == -signal.SIGKILL
    store = FormStore.open(db)  # as on restart
    try:
        assert text in store.get(form.id).integrity_duties
        assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        store.close()
