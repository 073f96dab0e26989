"""Every window and dialog fits a 1366×768 screen with a 40-pixel taskbar (issue 11,
situation 6): the status bar and every dialog's buttons stay in sight, long lists scroll
inside their dialog. The windows are opened in a separate process on an offscreen screen
of 1366×728 — what QScreen.availableGeometry() gives on such a PC."""

import json
import os
import subprocess
import sys
from pathlib import Path

CHILD = Path(__file__).parent / "screen_child.py"


def test_every_window_and_dialog_opens_inside_the_free_screen_area(tmp_path):
    config = tmp_path / "screen.json"
    config.write_text(json.dumps({"windowFrameMargins": True, "screens": [
        {"name": "office", "x": 0, "y": 0, "width": 1366, "height": 728, "logicalDpi": 96, "logicalBaseDpi": 96,
         "dpr": 1}]}), encoding="utf-8")
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={config}"}
    result = subprocess.run([sys.executable, str(CHILD)], capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    names = [s["name"] for s in seen]
    assert len(seen) == 16, names
    assert any(n.startswith("更新的数据包") for n in names)
    too_big = [s for s in seen if not (s["fits"] and s["parts_fit"])]
    assert not too_big, too_big
    main = next(s for s in seen if s["name"].startswith("主窗口（41"))
    assert main["frame"][3] <= 728 and main["parts"] == 1  # the status bar, in sight
