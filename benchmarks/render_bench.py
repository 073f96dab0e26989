"""Rendering speed: a typical unit form (15 risk points) and 100 post forms in one PDF.

Run on demand (not part of the test suite):

    python benchmarks/render_bench.py [--repeat 15]

Prints the median of repeated in-process runs, after one warm-up render that loads
the fonts. Targets on a 2-core machine: ≤ 30 ms per typical form, ≤ 2 s for the batch.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time
import uuid

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


def median_seconds(work, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    unit = typical_unit_form()
    posts = [post_form(i) for i in range(100)]
    start = time.perf_counter()
    render_form(unit)  # warm-up: registers the fonts
    warm = time.perf_counter() - start
    one = median_seconds(lambda: render_form(unit), args.repeat)
    batch = median_seconds(lambda: render_forms(posts), max(3, args.repeat // 5))
    print(f"machine: {platform.processor() or platform.machine()}, {platform.python_implementation()} "
          f"{platform.python_version()}, {platform.system()}")
    print(f"first render incl. font loading: {warm * 1000:.0f} ms")
    print(f"typical unit form (15 points):   {one * 1000:.1f} ms  (target ≤ 30 ms)")
    print(f"100 post forms in one PDF:       {batch:.2f} s   (target ≤ 2 s)")


if __name__ == "__main__":
    main()
