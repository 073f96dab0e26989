"""The committee's workbench at scale: N unit packages imported, then the workbench opened,
filtered, reloaded and closed, and the Excel summary written — in a separate process.

    python benchmarks/committee_bench.py --units 100 1000 10000 [--cache DIR] [--fresh]

Each unit sends one package: the demo generator's unit form and 20 post forms
(lianzheng_desktop.domain.demo), ~5 risk points a form. Packages are built once into the
cache folder (in parallel, one process per core) and reused by every run and every N;
each N's committee database is built once by importing its packages through the
operations the workbench uses (the import time is printed when it is built) and kept,
named by the schema version, until --fresh.

The measurements run in a child process started for each N (``--child``), offscreen, as
the desktop program runs: Qt's application object with the program's fonts, the
database opened as a session, ``WorkbenchWindow(session)``. The child prints its figures
as one JSON line; the parent adds how the child ended (exit code, the last lines of
stderr). Targets with 1,000 units: open ≤ 1 s, any filter ≤ 0.2 s, Excel summary ≤ 4 s,
memory ≤ 400 MB, clean exit.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

YEAR = 2026
POSTS = 20
FILTER_TARGET_S = 0.2


def unit_name(i: int) -> str:
    return f"单位{i:05d}"


# -- data (parent) -----------------------------------------------------------------------


def _build_one(args: tuple[int, str]) -> None:
    import datetime as dt

    from lianzheng_desktop.domain.demo import demo_forms
    from lianzheng_desktop.exchange.package import build_package

    i, target = args
    data = build_package(demo_forms(unit_name(i), YEAR, posts=POSTS),
                         now=dt.datetime(YEAR, 11, 30, 12, 0, tzinfo=dt.UTC))
    part = Path(target + ".part")
    part.write_bytes(data)
    part.replace(target)


def packages(cache: Path, count: int) -> list[Path]:
    """Packages 0..count-1, built where missing."""
    folder = cache / "packages"
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"{i:05d}.lzfk" for i in range(count)]
    missing = [(i, str(p)) for i, p in enumerate(paths) if not p.exists()]
    if missing:
        start = time.perf_counter()
        with ProcessPoolExecutor() as pool:
            list(pool.map(_build_one, missing, chunksize=50))
        print(f"  built {len(missing)} packages in {time.perf_counter() - start:.1f} s", flush=True)
    return paths


def database(cache: Path, count: int, fresh: bool) -> Path:
    """The committee database with ``count`` units imported (built once per schema version)."""
    from lianzheng_desktop.operations import committee as ops
    from lianzheng_desktop.store.database import schema_version
    from lianzheng_desktop.store.session import NEVER, open_session

    path = cache / f"committee-{count}-v{schema_version()}.db"
    if path.exists() and not fresh:
        return path
    for old in cache.glob(path.name + "*"):
        old.unlink()
    files = packages(cache, count)
    start = time.perf_counter()
    with open_session(path, backup=NEVER) as session:
        for file in files:
            done = ops.apply_package(session.store, ops.plan_package(session.store, file))
            if not done.ok:
                raise SystemExit(done.message)
        session.store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    print(f"  imported {count} packages in {time.perf_counter() - start:.1f} s", flush=True)
    return path


# -- measuring (child) -------------------------------------------------------------------


def child(db: Path) -> None:
    import resource

    from PySide6.QtCore import QEvent, QEventLoop, QObject, Qt, QTimer
    from PySide6.QtWidgets import QWidget

    from lianzheng_desktop.ui.app import create_app

    app = create_app()

    class Figures(dict):
        """Each figure printed as soon as it is measured: a crash keeps those before it."""

        def __setitem__(self, key, value):
            super().__setitem__(key, value)
            print(json.dumps({key: value}, ensure_ascii=False), flush=True)

    figures = Figures()
    times = Figures()

    class PaintWatch(QObject):
        """Tells when a widget of the watched window (or the watched widget) has painted."""

        def __init__(self):
            super().__init__()
            self.target: QWidget | None = None
            self.painted = False

        def eventFilter(self, obj, event):
            if event.type() == QEvent.Type.Paint and not self.painted and isinstance(obj, QWidget) \
                    and self.target is not None and (obj is self.target or obj.window() is self.target):
                self.painted = True
            return False

        def wait(self, target: QWidget, action) -> float:
            """Seconds from the action's start until the target has painted."""
            self.target, self.painted = target, False
            app.installEventFilter(self)
            start = time.perf_counter()
            action()
            target.update()  # a change that shows nothing new still ends in one paint
            deadline = start + 120
            while not self.painted and time.perf_counter() < deadline:
                app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
            elapsed = time.perf_counter() - start
            app.removeEventFilter(self)
            self.target = None
            return elapsed

    watch = PaintWatch()
    holder: dict[str, object] = {}

    def open_window():
        from lianzheng_desktop.store.session import NEVER, open_session
        from lianzheng_desktop.ui.workbench import WorkbenchWindow

        holder["session"] = open_session(db, backup=NEVER)
        window = WorkbenchWindow(holder["session"])
        holder["window"] = window
        window.show()

    start = time.perf_counter()
    open_window()
    window = holder["window"]
    session = holder["session"]
    watch.wait(window, lambda: None)  # until the first paint; timed from before the database opened
    figures["open"] = time.perf_counter() - start
    figures["rss_after_open_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    figures["summary_tab"] = watch.wait(window, lambda: window.tabs.setCurrentIndex(1))
    view = window.summary_view.viewport()

    units = [window.filters["unit"].itemData(i) for i in range(1, window.filters["unit"].count())]
    middle_unit = units[len(units) // 2] if units else None

    def combo(key, value):
        box = window.filters[key]
        return lambda: box.setCurrentIndex(box.findData(value))

    def reset():
        for box in window.filters.values():
            box.setCurrentIndex(0)
        window.search.clear()
        window.differs.setChecked(False)
        app.processEvents()

    filters = [
        ("unit", combo("unit", middle_unit)),
        ("kind", combo("kind", "post")),
        ("category", combo("category", "duty")),
        ("自评", combo("self_level", 1)),
        ("审定", combo("approved_level", 1)),
        ("text (FTS, 4 chars)", lambda: window.search.setText("利益输送")),
        ("text (2 chars)", lambda: window.search.setText("围猎")),
        ("text (name)", lambda: window.search.setText("王晓")),
        ("审定≠自评", lambda: window.differs.setChecked(True)),
    ]
    for name, action in filters:
        times[name] = watch.wait(view, action)
        times[name + " → all"] = watch.wait(view, reset)
    times["unit + 自评 + text"] = watch.wait(view, lambda: (combo("unit", middle_unit)(), combo("self_level", 2)(),
                                                          window.search.setText("审批流程")))
    reset()
    header = window.summary_view.horizontalHeader()
    times["sort by 自评"] = watch.wait(view, lambda: header.setSortIndicator(7, Qt.SortOrder.DescendingOrder))
    times["scroll to last row"] = watch.wait(view, window.summary_view.scrollToBottom)
    times["scroll to top"] = watch.wait(view, window.summary_view.scrollToTop)
    figures["reload"] = watch.wait(window, window.reload)
    figures["rss_before_excel_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    from lianzheng_desktop.operations import committee as ops

    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "summary.xlsx"
        start = time.perf_counter()
        ops.export_summary(session.store, target, YEAR)
        figures["excel"] = time.perf_counter() - start
        figures["excel_kb"] = target.stat().st_size // 1024
    figures["rss_peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    # leave as the program does: the window closed from the event loop, app.exec() returns,
    # the session is closed, the interpreter exits
    QTimer.singleShot(0, window.close)
    QTimer.singleShot(0, app.quit)
    app.exec()
    session.close()


# -- report (parent) ---------------------------------------------------------------------


def measure(db: Path) -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run([sys.executable, __file__, "--child", str(db)], capture_output=True, text=True,
                          env=env, timeout=3600)
    figures: dict = {"filters": {}}
    filters = ("unit", "kind", "category", "自评", "审定", "text", "审定≠自评", "sort", "scroll")
    for line in proc.stdout.splitlines():
        if line.startswith("{"):
            for key, value in json.loads(line).items():
                (figures["filters"] if key.startswith(filters) else figures)[key] = value
    figures["exit_code"] = proc.returncode
    figures["stderr"] = [line for line in proc.stderr.splitlines()
                         if line.strip() and "propagateSizeHints" not in line][-6:]
    return figures


def mark(value: float, target: float | None) -> str:
    return "" if target is None else ("  ✓" if value <= target else f"  ✗ (target ≤ {target:g})")


def show(count: int, figures: dict, forms: int, points: int) -> None:
    big = count >= 1000
    print(f"\n{count} units ({forms} forms, {points} risk points)")

    def figure(key, text, target=None, digits=2):
        if key in figures:
            print(f"  {text}: {figures[key]:.{digits}f} s" + mark(figures[key], target))

    figure("open", "open (session + window, first paint)", 1.0 if big else None)
    figure("summary_tab", "汇总 tab shown", digits=3)
    for name, value in figures["filters"].items():
        target = FILTER_TARGET_S if big and "sort" not in name and "scroll" not in name else None
        print(f"  {name}: {value:.3f} s" + mark(value, target))
    figure("reload", "reload", 1.0 if big else None)
    if "excel" in figures:
        print(f"  Excel summary ({figures['excel_kb']} KB): {figures['excel']:.2f} s"
              + mark(figures["excel"], 4.0 if big else None))
    if "rss_after_open_mb" in figures:
        rss = [f"{label} {figures[key]:.0f} MB" for key, label in (
            ("rss_after_open_mb", "after open"), ("rss_before_excel_mb", "before Excel"),
            ("rss_peak_mb", "with Excel")) if key in figures]
        worst = max(figures[k] for k in ("rss_after_open_mb", "rss_before_excel_mb", "rss_peak_mb") if k in figures)
        print("  peak memory (maxrss): " + ", ".join(rss) + mark(worst, 400 if big else None))
    clean = figures["exit_code"] == 0 and not any("Fatal" in line for line in figures["stderr"])
    print(f"  exit: code {figures['exit_code']}" + ("  ✓ clean" if clean else "  ✗"))
    for line in figures["stderr"]:
        print(f"    stderr: {line}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--units", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "lianzheng-committee-bench")
    parser.add_argument("--fresh", action="store_true", help="import the packages again")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    import sqlite3

    import PySide6

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"PySide6 {PySide6.__version__}, SQLite {sqlite3.sqlite_version}")
    for count in args.units:
        print(f"\n{count} units: preparing", flush=True)
        db = database(args.cache, count, args.fresh)
        conn = sqlite3.connect(db)
        forms = conn.execute("SELECT count(*) FROM forms WHERE deleted_at IS NULL").fetchone()[0]
        points = conn.execute("SELECT count(*) FROM risk_points").fetchone()[0]
        conn.close()
        show(count, measure(db), forms, points)


if __name__ == "__main__":
    main()
