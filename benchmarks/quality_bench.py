"""The quality rules at the committee's scale (issue 16).

    python benchmarks/quality_bench.py [--db committee-1000.db ...] [--texts 11000 110000]

For each committee database (as committee_bench.py builds them): reading the year's points,
every rule on every unit with copies across units (operations.quality.scan_year), the
whole quality workbook (export_quality) and the 考核 scores (operations.assessment.assess_year),
with the peak memory. Then the near-duplicate join
alone (domain.quality.TextIndex) over N distinct synthetic texts — random sentences drawn
from 3,500 characters by a Zipf law, with 1 % near copies — to show how it grows with N (the
demo generator's texts repeat a small pool, which makes them an easy case for the join).
"""

from __future__ import annotations

import argparse
import random
import resource
import tempfile
import time
from pathlib import Path

YEAR = 2026


def synthetic(count: int, seed: int = 1) -> list[str]:
    rng = random.Random(seed)
    # 3,500 characters (the common set of Chinese text) drawn by a Zipf law, as in real text
    pool = [chr(c) for c in range(0x4E00, 0x4E00 + 3500)]
    weights = [1 / (rank + 1) for rank in range(len(pool))]
    texts: list[str] = []
    for _ in range(count):
        if texts and rng.random() < 0.01:  # a near copy: one character changed, a 。 added
            base = list(rng.choice(texts))
            base[rng.randrange(len(base))] = rng.choice(pool)
            texts.append("".join(base) + "。")
        else:
            texts.append("".join(rng.choices(pool, weights, k=rng.randint(12, 40))))
    return texts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, nargs="*", default=[])
    parser.add_argument("--texts", type=int, nargs="*", default=[11_000, 110_000])
    args = parser.parse_args()

    from lianzheng_desktop.domain.quality import TextIndex
    from lianzheng_desktop.operations import assessment, quality
    from lianzheng_desktop.store.session import NEVER, open_session

    for db in args.db:
        with open_session(db, backup=NEVER, read_only=True) as session:
            store = session.store
            start = time.perf_counter()
            units = quality.year_units(store, YEAR)
            read = time.perf_counter() - start
            start = time.perf_counter()
            scan = quality.scan_year(store, YEAR, units=units)
            scanned = time.perf_counter() - start
            points = sum(scan.points.values())
            findings = sum(len(f) for f in scan.flags.values())
            del units, scan
            with tempfile.TemporaryDirectory() as tmp:
                start = time.perf_counter()
                written = quality.export_quality(store, Path(tmp) / "q.xlsx", YEAR)
                whole = time.perf_counter() - start
            start = time.perf_counter()
            assessment.assess_year(store, YEAR)  # 考核: read + every rule + the scores
            scored = time.perf_counter() - start
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{db.name}: {written.units} units, {points} points with text, {findings} findings — "
              f"read {read:.2f} s, rules {scanned:.2f} s, workbook (read + rules + write) {whole:.2f} s, "
              f"考核 scored (assess_year) {scored:.2f} s, "
              f"peak memory {rss:.0f} MB", flush=True)
    for count in args.texts:
        texts = synthetic(count)
        start = time.perf_counter()
        index = TextIndex(texts)
        elapsed = time.perf_counter() - start
        pairs = sum(len(n) for n in index.near) // 2
        print(f"join of {count} synthetic texts: {elapsed:.2f} s, {pairs} near pairs found", flush=True)


if __name__ == "__main__":
    main()
