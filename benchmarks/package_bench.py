"""The committee's load: import 100 unit packages (2,000 post forms in all) into an empty
database, then write the Excel summary.

    python benchmarks/package_bench.py

Packages are built first (not timed). Targets on a 2-core machine: import ≤ 5 s,
Excel summary ≤ 2 s.
"""

from __future__ import annotations

import os
import platform
import tempfile
import time
from pathlib import Path

from lianzheng_desktop.domain.demo import demo_forms
from lianzheng_desktop.exchange.package import build_package, read_package_file
from lianzheng_desktop.exchange.summary import write_summary
from lianzheng_desktop.store import FormStore
from lianzheng_desktop.store.packages import import_package


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        paths = []
        for i in range(100):
            path = tmp / f"{i:03d}.lzfk"
            path.write_bytes(build_package(demo_forms(f"单位{i:03d}", posts=20)))
            paths.append(path)
        store = FormStore.open(tmp / "committee.db")
        start = time.perf_counter()
        for path in paths:
            import_package(store, read_package_file(path))
        imported = time.perf_counter() - start
        forms = store.forms(year=2026)
        start = time.perf_counter()
        write_summary(forms, tmp / "summary.xlsx", 2026)
        excel = time.perf_counter() - start
        points = sum(len(f.risks) for f in forms)
        size = (tmp / "summary.xlsx").stat().st_size
        store.close()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"import 100 packages ({len(forms)} forms, {points} risk points): {imported:.2f} s (target ≤ 5 s)")
    print(f"Excel summary ({size // 1024} KB): {excel:.2f} s (target ≤ 2 s)")


if __name__ == "__main__":
    main()
