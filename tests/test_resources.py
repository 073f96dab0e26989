"""Issue 13, observation 8 at full size: the inputs the adversarial trial used, each run in
its own process so its time and peak memory can be told (the fast versions are in
test_hostile_input.py). Run with ``python -m pytest tests/test_resources.py -m slow -s``;
the figures are in docs/reliability.md.

On the program before issue 13: a ZIP lying about its entry count was parsed to 3.6 M
entries (19.5 s, 2.3 GB); a 46 MB cell imported in 80 s using 2.9 GB; a 4.7 MB unit list
ran past 2 minutes; a 4.9 MB xlsx inflating to 4.8 GB took 4.9 GB of memory.
"""

import json
import struct
import subprocess
import sys
import textwrap
import zlib

import pytest

pytestmark = pytest.mark.slow


def measure(code: str) -> tuple[float, float, str]:
    """Run ``code`` in a fresh interpreter; (seconds for the code, peak MB of the process, what it printed)."""
    script = textwrap.dedent('''
        import re, sys, time
        started = time.monotonic()
        try:
    ''') + textwrap.indent(textwrap.dedent(code), "    ") + textwrap.dedent('''
        except Exception as exc:
            print(type(exc).__name__, str(exc)[:200])
        seconds = time.monotonic() - started
        # VmHWM: this process's peak (ru_maxrss would count the parent's from before exec)
        peak = int(re.search(r"VmHWM:\\s+(\\d+)", open("/proc/self/status").read()).group(1))
        print(f"@@ {seconds:.3f} {peak / 1024:.0f}")
    ''')
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=600).stdout
    head, _, tail = out.rpartition("@@ ")
    seconds, megabytes = map(float, tail.split())
    return seconds, megabytes, head.strip()


def report(name: str, figures: tuple[float, float, str]) -> None:
    seconds, megabytes, said = figures
    print(f"\n{name}: {seconds:.2f} s, peak {megabytes:.0f} MB — {said[:150]}")


def test_a_zip_listing_millions_of_entries_while_its_end_record_says_three(tmp_path):
    entry = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0) + b"x"
    count = 3_600_000
    index = entry * count
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 3, 3, len(index), 0, 0)
    path = tmp_path / "lying.lzfk"
    path.write_bytes(index + end)
    figures = measure(f"""
        from pathlib import Path
        from lianzheng_desktop.exchange.package import read_package_file
        read_package_file(Path({str(path)!r}))
    """)
    report(f"ZIP of {len(index) // 2**20} MB listing {count:,} entries", figures)
    assert "PackageRejected" in figures[2] and figures[0] < 5


def test_a_cell_of_46_megabytes(tmp_path):
    form = json.loads((__import__("pathlib").Path(__file__).parent / "data" / "examples" / "unit-library.json")
                      .read_text(encoding="utf-8"))
    form["unit_duties"] = "职" * (46 * 2**20 // 3)
    path = tmp_path / "big.json"
    path.write_text(json.dumps(form, ensure_ascii=False), encoding="utf-8")
    db = tmp_path / "c.db"
    figures = measure(f"""
        from lianzheng_desktop.cli import main
        print("exit", main(["import", "--db", {str(db)!r}, {str(path)!r}]))
    """)
    report(f"form file of {path.stat().st_size // 2**20} MB with one 46 MB cell, imported", figures)
    assert "exit 1" in figures[2] and figures[0] < 20 and figures[1] < 1500


def test_a_unit_list_just_under_five_megabytes(tmp_path):
    path = tmp_path / "units.csv"
    lines = [f"单位{i:07d},联系人" for i in range(200_000)]
    path.write_text("\n".join(lines), encoding="utf-8")
    figures = measure(f"""
        from pathlib import Path
        from lianzheng_desktop.exchange.unitlist import read_unit_list
        read_unit_list(Path({str(path)!r}))
    """)
    report(f"unit list of {path.stat().st_size / 2**20:.1f} MB, {len(lines):,} distinct names", figures)
    assert "超过 1000" in figures[2] and figures[0] < 5
    repeated = tmp_path / "repeated.csv"
    repeated.write_text("\n".join(["图书馆", "财务处", "人事处"] * 160_000), encoding="utf-8")
    figures = measure(f"""
        from pathlib import Path
        from lianzheng_desktop.exchange.unitlist import read_unit_list
        print(len(read_unit_list(Path({str(repeated)!r}))), "units")
    """)
    report(f"unit list of {repeated.stat().st_size / 2**20:.1f} MB, 3 names repeated", figures)
    assert "3 units" in figures[2] and figures[0] < 5


def _deflate_bomb(name: bytes, size: int) -> bytes:
    chunk = bytes(1 << 24)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    data = block * (size // len(chunk)) + compressor.flush()
    crc = 0
    for _ in range(size // len(chunk)):
        crc = zlib.crc32(chunk, crc)
    size32 = size & 0xFFFFFFFF
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(data), size32, len(name), 0)
    central = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, crc, len(data), size32,
                          len(name), 0, 0, 0, 0, 0, 0)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(central) + len(name),
                      len(local) + len(name) + len(data), 0)
    return local + name + data + central + name + end


def test_an_xlsx_inflating_to_four_gigabytes(tmp_path):
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(_deflate_bomb(b"xl/worksheets/sheet1.xml", 4_000_000_000))
    figures = measure(f"""
        from pathlib import Path
        from lianzheng_desktop.exchange.unitlist import read_unit_list
        read_unit_list(Path({str(path)!r}))
    """)
    report(f"xlsx of {path.stat().st_size / 2**20:.1f} MB inflating to 4 GB", figures)
    assert "UnitListRejected" in figures[2] and figures[0] < 5 and figures[1] < 300


def test_devices_and_fifos(tmp_path):
    import os

    fifo = tmp_path / "pipe.lzfk"
    os.mkfifo(fifo)
    figures = measure(f"""
        from pathlib import Path
        from lianzheng_desktop.exchange.package import PackageRejected, read_package_file
        for name in ("/dev/zero", {str(fifo)!r}):
            try:
                read_package_file(Path(name))
            except PackageRejected as exc:
                print(exc)
    """)
    report("/dev/zero and a FIFO as packages", figures)
    assert figures[2].count("不是普通文件") == 2 and figures[0] < 1
