"""The Word door's speed: how fast hostile files are refused, fixtures read, forms written.

    python benchmarks/docx_bench.py [--repeat 5]

Each figure is the median of ``--repeat`` runs in one process (imports warm). The hostile
files are those of tests/hostile_docx.py; a refusal should take well under a second.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from hostile_docx import hostile_files  # noqa: E402

from lianzheng_desktop.domain.demo import demo_forms  # noqa: E402
from lianzheng_desktop.exchange.docx import DocxRefused, read_docx, write_docx  # noqa: E402


def median_ms(work, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def refuse(name: str, data: bytes) -> None:
    try:
        read_docx(data, name=name)
    except DocxRefused:
        return
    raise SystemExit(f"{name} was not refused")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    repeat = parser.parse_args().repeat
    print(f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} CPUs, "
          f"{platform.machine()}")
    print("| file | size | refused in |\n|---|---|---|")
    for name, data, _ in hostile_files():
        ms = median_ms(lambda n=name, d=data: refuse(n, d), repeat)
        print(f"| {name} | {len(data) / 1024:.0f} KB | {ms:.1f} ms |")
    print("\n| reading or writing | time |\n|---|---|")
    for path in sorted((ROOT / "tests" / "data" / "docx").glob("*.docx")):
        data = path.read_bytes()
        print(f"| read {path.name} | {median_ms(lambda d=data, n=path.name: read_docx(d, name=n), repeat):.1f} ms |")
    forms = demo_forms("图书馆", year=2026, posts=99)
    print(f"| write the demo unit form | {median_ms(lambda: write_docx(forms[0]), repeat):.1f} ms |")
    print(f"| write 100 forms | {median_ms(lambda: [write_docx(f) for f in forms], max(1, repeat // 2)):.0f} ms |")


if __name__ == "__main__":
    main()
