"""Year against year and statistics by 审定 at scale (issue 14 items 4 and 5).

    python benchmarks/compare_bench.py --units 100 1000 [--posts 20]

A committee database with two years for N units (the demo generator's unit form and
``--posts`` post forms each, ~5 points a form): 2025 as sent, 2026 started from it (the
points keep their ids) with a few points changed in three units of four, the fourth an
unchanged copy. Measured: the comparison of every unit (operations.comparing.compare_years,
as the workbench's 年度对照 and the Excel summary read it), counts by 自评 / 审定 / 差异
(store.summary.counts, as the workbench's 统计口径), the Excel summary with its
comparison sheets, and the peak memory of the process.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def build(path: Path, units: int, posts: int) -> None:
    from lianzheng_desktop.domain.demo import demo_forms
    from lianzheng_desktop.domain.model import RiskPoint
    from lianzheng_desktop.store import FormStore

    store = FormStore.open(path)
    for i in range(units):
        unit = f"单位{i:05d}"
        last = demo_forms(unit, 2025, posts=posts)
        forms = [f.copy() for f in last]
        for f in forms:
            f.id, f.year, f.filled_on = RiskPoint("duty").id, 2026, None
            for r in f.risks:
                r.approved_level = None
        if i % 4 != 3:
            forms[0].risks[0].self_level = 1 if forms[0].risks[0].self_level != 1 else 2
            forms[1].risks.append(RiskPoint("external", "供应商借节日赠送礼品", 2, None, "登记上交"))
            next(f for f in forms[2:] if f.risks).risks.pop(0)
        store.save_all(last + forms)
    store.close()


def measure(path: Path) -> dict:
    from lianzheng_desktop.domain import level_basis
    from lianzheng_desktop.operations.committee import export_summary
    from lianzheng_desktop.operations.comparing import compare_years
    from lianzheng_desktop.store import FormStore
    from lianzheng_desktop.store.summary import SummaryQuery, counts

    store = FormStore.open(path)
    out: dict = {}
    start, cpu = time.perf_counter(), time.process_time()
    result = compare_years(store, 2026, 2025)
    out["compare_s"] = time.perf_counter() - start
    out["compare_cpu_s"] = time.process_time() - cpu
    out["unchanged_units"] = sum(c.unchanged_copy for c in result)
    out["changes"] = sum(len(c.changes) for c in result)
    for basis in level_basis.BASES:
        start = time.perf_counter()
        counts(store, SummaryQuery(2026), basis)
        out[f"counts_{basis}_s"] = time.perf_counter() - start
    # the comparison's part of the Excel summary: the comparing and the writing of its two sheets, timed inside
    import lianzheng_desktop.exchange.summary as excel
    import lianzheng_desktop.operations.committee as committee

    spent = {"s": 0.0, "cpu": 0.0}

    def timed(function):
        def run(*args, **kwargs):
            start, cpu = time.perf_counter(), time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                spent["s"] += time.perf_counter() - start
                spent["cpu"] += time.process_time() - cpu
        return run

    original = committee.compare_years, excel._compare_sheets
    committee.compare_years, excel._compare_sheets = timed(original[0]), timed(original[1])
    try:
        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            export_summary(store, Path(tmp) / "s.xlsx", 2026)
            out["excel_s"] = time.perf_counter() - start
    finally:
        committee.compare_years, excel._compare_sheets = original
    out["excel_compare_part_s"], out["excel_compare_part_cpu_s"] = spent["s"], spent["cpu"]
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    store.close()
    return out


def measure_tab(path: Path) -> tuple[float, float]:
    """Seconds from choosing the workbench's 年度对照 tab until it has painted (offscreen, in a
    child process: Qt's application object is one per process)."""
    code = f"""
import sys, time
sys.path.insert(0, {str(Path(__file__).resolve().parent.parent)!r})
from PySide6.QtCore import QEvent, QEventLoop, QObject
from lianzheng_desktop.ui.app import create_app
from lianzheng_desktop.store.session import NEVER, open_session
from lianzheng_desktop.ui.workbench import WorkbenchWindow
app = create_app()
session = open_session({str(path)!r}, backup=NEVER)
window = WorkbenchWindow(session)
window.show()
for _ in range(50):
    app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
class Watch(QObject):
    painted = False
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and obj.window() is window and not isinstance(obj, type(None)):
            if window.compare_view.isAncestorOf(obj):
                Watch.painted = True
        return False
watch = Watch()
app.installEventFilter(watch)
start, cpu = time.perf_counter(), time.process_time()
window.tabs.setCurrentIndex(window.compare_tab)
while not Watch.painted and time.perf_counter() < start + 120:
    app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
print(time.perf_counter() - start, time.process_time() - cpu)
app.removeEventFilter(watch)
window.close()
session.close()
"""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    wall, cpu = done.stdout.strip().splitlines()[-1].split()
    return float(wall), float(cpu)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, nargs="+", default=[100])
    parser.add_argument("--posts", type=int, default=20)
    parser.add_argument("--keep", type=Path, help="a folder to keep the built databases in and reuse them from")
    args = parser.parse_args()
    print(f"# {platform.processor() or platform.machine()}, Python {platform.python_version()}")
    for n in args.units:
        with tempfile.TemporaryDirectory() as tmp:
            path = (args.keep or Path(tmp)) / f"compare-{n}-{args.posts}.db"
            start = time.perf_counter()
            if not path.exists():
                build(path, n, args.posts)
            built = time.perf_counter() - start
            figures = measure(path)
            figures["tab_s"], figures["tab_cpu_s"] = measure_tab(path)
            print(f"{n} units ({n * (args.posts + 1) * 2} forms, built in {built:.0f} s): "
                  + ", ".join(f"{k} {v:.2f}" if isinstance(v, float) else f"{k} {v}" for k, v in figures.items()),
                  flush=True)


if __name__ == "__main__":
    main()
