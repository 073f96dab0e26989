"""Rendering speed: one post form as a whole ``lianzheng render`` process, a typical unit
form and 100 post forms in one PDF in-process, and huge cells.

Run on demand (not part of the test suite):

    python benchmarks/render_bench.py [--repeat 15]

Prints medians of repeated runs. The whole-process figure is what a user waits for when a
PDF is made from the command line: interpreter start, imports, fonts, layout, writing.
The processes run with bytecode caching on (as an installed program does), after one
warm-up run. Targets on a 2-core machine: ≤ 0.2 s for the process, ≤ 30 ms per typical
form in-process, ≤ 2 s for the batch.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from lianzheng_desktop.domain.codec import dumps_forms
from lianzheng_desktop.domain.definitions import definitions
from lianzheng_desktop.domain.model import Form, RiskPoint
from lianzheng_desktop.render import render_form, render_forms

POINT = "在设备采购需求论证中，个别人员倾向指定品牌和型号，参数设置带有排他性。"
MEASURE = "采购需求由不少于3人的专家组论证，参数须对应至少3个品牌；需求文件在校内公示。"


def typical_unit_form() -> Form:
    keys = definitions().category_keys
    risks = [RiskPoint(keys[i % 5], POINT, 1 + i % 3, 1 + (i + 1) % 3, MEASURE) for i in range(15)]
    return Form(kind="unit", year=2026, unit="计算机与软件工程学院", head="欧阳文",
                unit_duties="负责本学院教学、科研、学科建设和学生管理工作。" * 3,
                integrity_duties="落实党风廉政建设主体责任。" * 3, risks=risks)


def post_form(i: int) -> Form:
    keys = definitions().category_keys
    risks = [RiskPoint(keys[j % 5], POINT, 1 + j % 3, None, MEASURE) for j in range(5)]
    return Form(kind="post", year=2026, unit="计算机与软件工程学院", person=f"教师{i}", post="实验室主任",
                id=str(uuid.UUID(int=i)), post_duties="负责实验室设备采购与管理。", risks=risks)


def huge_cell_form(chars: int) -> Form:
    text = ("采购、验收、付款环节须由不同人员负责，相互制约。" * (chars // 24 + 1))[:chars]
    return Form(kind="unit", year=2026, unit="图书馆", risks=[RiskPoint("duty", POINT, 2, 2, text)])


def median_seconds(work, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def whole_process(repeat: int) -> tuple[float, float]:
    """Median seconds and peak memory (MiB) of ``python -m lianzheng_desktop render`` for
    one post form."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    with tempfile.TemporaryDirectory() as tmp:
        source, out = Path(tmp) / "post.json", Path(tmp) / "post.pdf"
        source.write_text(dumps_forms([post_form(1)]), encoding="utf-8")
        command = [sys.executable, "-m", "lianzheng_desktop", "render", str(source), "-o", str(out)]

        def run():
            subprocess.run(command, check=True, env=env, capture_output=True)

        run()  # warm-up: writes the bytecode caches, fills the page cache
        seconds = median_seconds(run, repeat)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return seconds, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    process, peak = whole_process(args.repeat)
    unit = typical_unit_form()
    posts = [post_form(i) for i in range(100)]
    start = time.perf_counter()
    render_form(unit)  # warm-up: opens the fonts
    warm = time.perf_counter() - start
    one = median_seconds(lambda: render_form(unit), args.repeat)
    batch = median_seconds(lambda: render_forms(posts), max(3, args.repeat // 5))
    huge = {n: median_seconds(lambda n=n: render_form(huge_cell_form(n)), 1) for n in (20_000, 100_000)}
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"{platform.python_implementation()} {platform.python_version()}, {platform.system()}")
    print(f"one post form, whole process:    {process * 1000:.0f} ms  (peak {peak:.0f} MiB; target ≤ 200 ms)")
    print(f"first render incl. font loading: {warm * 1000:.0f} ms")
    print(f"typical unit form (15 points):   {one * 1000:.1f} ms  (target ≤ 30 ms)")
    print(f"100 post forms in one PDF:       {batch:.2f} s   (target ≤ 2 s)")
    for n, seconds in huge.items():
        print(f"one cell of {n:,} characters:   {seconds:.2f} s")


if __name__ == "__main__":
    main()
