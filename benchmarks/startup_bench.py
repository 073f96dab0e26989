"""Start-up time of the desktop program: process start to first window shown.

    python benchmarks/startup_bench.py [--runs 9] [--platform offscreen|xcb]

Each run starts ``python -m lianzheng_desktop`` on a fresh database with a dozen forms,
and the program prints "shown" from its event loop once the main window is up
(LIANZHENG_QUIT_WHEN_SHOWN), then quits. Target: under 1 s on a 2-core machine.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def seed(db: Path) -> None:
    subprocess.run([sys.executable, "-m", "lianzheng_desktop", "import", "--db", str(db),
                    str(ROOT / "tests" / "data" / "long-unit.json"),
                    *map(str, (ROOT / "tests" / "data" / "examples").glob("*.json"))],
                   check=True, capture_output=True)


def one_run(db: Path, qpa: str, config: Path) -> float:
    env = dict(os.environ, LIANZHENG_QUIT_WHEN_SHOWN="1", QT_QPA_PLATFORM=qpa, LIANZHENG_CONFIG=str(config))
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "lianzheng_desktop", "--db", str(db)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    for line in proc.stdout:
        if line.strip() == "shown":
            elapsed = time.perf_counter() - start
            break
    else:
        raise RuntimeError("the program never showed its window")
    proc.wait(30)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--platform", default="offscreen")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        seed(db)
        one_run(db, args.platform, Path(tmp) / "s.ini")  # warm the OS file cache
        times = [one_run(db, args.platform, Path(tmp) / "s.ini") for _ in range(args.runs)]
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"QPA {args.platform}")
    print(f"process start → main window shown: median {statistics.median(times) * 1000:.0f} ms, "
          f"min {min(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms over {args.runs} runs (target < 1000 ms)")


if __name__ == "__main__":
    main()
