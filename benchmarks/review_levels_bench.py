"""The committee's own 审定 in the statistics (issue 14): the summary queries of the workbench
and the Excel summary timed on a committee database, first as imported (no review: the
queries read risk_points' indexes exactly as before), then with review rounds open on
some units, three points of each given a 审定 by the committee (store/summary.py adds the
committee's levels: counts corrected from the few points it set, filters and sorting by
审定 through a lookup, rows patched).

    python benchmarks/review_levels_bench.py [--db COMMITTEE.db | --units 1000] [--reviewed 100]

--db: a committee database (copied, never changed; migrated on the copy); otherwise the
database benchmarks/committee_bench.py builds for --units (built once into its cache).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

YEAR = 2026
REVIEWER = "bench"


def cases(store):
    from lianzheng_desktop.domain import level_basis as basis
    from lianzheng_desktop.store import summary
    from lianzheng_desktop.store.summary import SummaryQuery

    whole = SummaryQuery(YEAR)
    unit = store.units(YEAR)[len(store.units(YEAR)) // 2]
    return {
        "counts by 自评 (whole year)": lambda: summary.counts(store, whole, basis.SELF),
        "counts by 审定": lambda: summary.counts(store, whole, basis.APPROVED),
        "counts by 差异": lambda: summary.counts(store, whole, basis.DIFFERS),
        "汇总 by 审定: ids + counts": lambda: summary.select(store, whole, basis.APPROVED),
        "filter 审定 = 一级": lambda: summary.select(store, SummaryQuery(YEAR, {"approved_level": 1}), basis.APPROVED),
        "filter 审定≠自评 (差异)": lambda: summary.select(store, SummaryQuery(YEAR, differs_only=True), basis.DIFFERS),
        "filter one unit": lambda: summary.select(store, SummaryQuery(YEAR, {"unit": unit}), basis.APPROVED),
        "filter text (4 chars)": lambda: summary.select(store, SummaryQuery(YEAR, text="利益输送"), basis.APPROVED),
        "sort by 审定": lambda: summary.row_ids(store, whole.with_sort("approved_level")),
        "a page of 200 rows": lambda: summary.rows(store, summary.row_ids(store, whole)[50_000:50_200]),
        "自评 × 审定 (Excel)": lambda: summary.level_pairs(store, YEAR),
        "every row (Excel 风险点)": lambda: sum(1 for _ in summary.all_rows(store, YEAR)),
    }


def timed(store, repeat: int) -> dict[str, float]:
    out = {}
    for name, run in cases(store).items():
        times = []
        for _ in range(2 if name.startswith("every") else repeat):
            start = time.perf_counter()
            run()
            times.append(time.perf_counter() - start)
        out[name] = statistics.median(times)
    return out


def review(store, units: list[str]) -> float:
    from lianzheng_desktop.operations import review as ops

    start = time.perf_counter()
    for unit in units:
        form = next(f for f in store.forms(year=YEAR, unit=unit) if f.kind == "unit")
        for risk in [r for r in form.risks if r.point.strip()][:3]:
            level = 1 if risk.self_level != 1 else 2
            ops.set_review(store, unit, YEAR, form.id, risk.id, "approved_level", level, REVIEWER)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--units", type=int, default=1000)
    parser.add_argument("--reviewed", type=int, default=100, help="units with three points set by the committee")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "lianzheng-committee-bench")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from lianzheng_desktop.store.session import NEVER, open_session

    if args.db is None:
        import committee_bench

        args.db = committee_bench.database(args.cache, args.units, False)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"SQLite {sqlite3.sqlite_version}")
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "committee.db"
        shutil.copyfile(args.db, copy)
        with open_session(copy, backup=NEVER) as session:
            store = session.store
            points = store.db.execute("SELECT count(*) FROM risk_points WHERE year = ?", [YEAR]).fetchone()[0]
            units = store.units(YEAR)
            print(f"{len(units)} units, {points} risk points in {YEAR}")
            before = timed(store, args.repeat)
            took = review(store, units[:args.reviewed])
            set_levels = store.db.execute("SELECT count(*) FROM committee_levels").fetchone()[0]
            print(f"the committee set 审定 on {set_levels} points of {args.reviewed} units ({took:.1f} s)")
            after = timed(store, args.repeat)
    print(f"\n{'query (median)':32s} {'no review':>10s} {'with levels':>12s}")
    for name in before:
        print(f"{name:32s} {before[name] * 1000:8.1f} ms {after[name] * 1000:10.1f} ms")


if __name__ == "__main__":
    main()
