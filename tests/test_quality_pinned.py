"""The quality rules' findings and the 考核 scores pinned on a generated year of 30 units
(the demo generator's forms with forced copies: a post form copied whole, texts copied
across units with punctuation changed, Attachment 1's points, a level without its point).
The fixture tests/data/quality_pinned.json.gz (1.4 MB of JSON) was written by the code before the committee's
scan was made fast (issue 16): every flag — rule, form, point, message, the forms named —
in the 检查 pane, the quality view and workbook, and every 考核 score must stay the same.

Rewrite the fixture (only when a rule or message is changed on purpose):
    .venv/bin/python tests/test_quality_pinned.py --write
"""

from __future__ import annotations

import datetime as dt
import gc
import gzip
import json
import sys
import uuid
from pathlib import Path

import pytest

from lianzheng_desktop.domain import quality
from lianzheng_desktop.domain.bulk import collector_paused
from lianzheng_desktop.domain.definitions import definitions
from lianzheng_desktop.domain.demo import demo_forms
from lianzheng_desktop.domain.model import Form, RiskPoint
from lianzheng_desktop.exchange.package import build_package, default_name
from lianzheng_desktop.exchange.quality_report import _findings
from lianzheng_desktop.operations import assessment, committee
from lianzheng_desktop.operations import quality as quality_ops
from lianzheng_desktop.operations.reporting import set_deadline
from lianzheng_desktop.store import FormStore
from lianzheng_desktop.store.packages import set_expected_units

FIXTURE = Path(__file__).parent / "data" / "quality_pinned.json.gz"
YEAR = 2026
UNITS = [f"测试单位{i:02d}" for i in range(30)]
NAMESPACE = uuid.UUID("1d4f3f8e-6a0b-4c55-9d7e-0c2b7f1e9a31")


def _copy(form: Form, tag: str, **values) -> Form:
    """The form again under another id (and person), its points copied."""
    data = {"person": form.values.get("person", ""), "post": form.values.get("post", "")} | values
    copy = Form(kind=form.kind, year=form.year, unit=form.unit, id=str(uuid.uuid5(NAMESPACE, tag)),
                filled_on=form.filled_on, **data)
    copy.risks = [RiskPoint(r.category, r.point, r.self_level, r.approved_level, r.measures) for r in form.risks]
    return copy


def year_forms() -> dict[str, list[Form]]:
    references = [p.text for c in definitions().categories for p in c.points if not p.other]
    first = demo_forms(UNITS[0], YEAR, posts=5)
    out = {}
    for i, unit in enumerate(UNITS):
        forms = demo_forms(unit, YEAR, posts=3 + i % 5, seed=i % 3 + 1)
        posts = [f for f in forms if f.kind == "post"]
        if i % 4 == 0 and posts:  # a post form copied whole (another person)
            forms.append(_copy(posts[0], f"{unit}-copy", person=f"复制{i}"))
        if i % 3 == 1:  # the first unit's texts, punctuation changed, one character off
            for j, source in enumerate(p for f in first[1:3] for p in f.risks):
                text = source.point.replace("。", "").replace("，", ",")
                if j % 2:
                    text = text[:-2] + "等" + text[-1:]
                posts[0].risks.append(RiskPoint(source.category, text, 2, None, source.measures))
        if i % 5 == 2:  # Attachment 1's reference points, as given and with a 。
            posts[-1].risks.append(RiskPoint("thought", references[i % len(references)], 3, None, "加强教育"))
            posts[-1].risks.append(RiskPoint("duty", references[(i * 7) % len(references)] + "。", 1, 1, ""))
        if i % 6 == 3:  # a level and measures without the point
            forms[0].risks.append(RiskPoint("system", "", 2, None, "每月检查"))
        out[unit] = forms
    return out


def _flag(f: quality.Flag) -> list:
    return [f.rule, f.form.id, f.form.short, f.form.label, None if f.point is None else f.point.position,
            None if f.point is None else f.point.where, f.message, [a.id for a in f.also]]


def _problem(p) -> list:
    return [p.severity, p.message, list(p.path), p.form_id]


def domain_results(forms: dict[str, list[Form]]) -> dict:
    """What the domain rules find, read from the forms (the 检查 pane's path)."""
    units = [quality.UnitForms.of(fs) for fs in forms.values()]
    scan = quality.committee_scan(units)
    pane = {}
    for unit, fs in list(forms.items())[:6]:
        pane[unit] = {"year": [_problem(p) for p in quality.year_problems(fs)],
                      "forms": {f.id: [_problem(p) for p in quality.form_problems(f, fs)] for f in fs}}
    return {"scan": {u: [_flag(f) for f in scan.flags[u]] for u in scan.units},
            "points": scan.points, "pane": pane}


def store_results(forms: dict[str, list[Form]], folder: Path) -> dict:
    """What the committee sees after importing the units' packages: the scan, the quality
    view's lines and findings, the workbook's rows, the 考核 scores."""
    store = FormStore.open(folder / "committee.db")
    try:
        set_expected_units(store, YEAR, [*UNITS, "未报送单位"])
        inbox = folder / "inbox"
        inbox.mkdir()
        for unit, fs in forms.items():
            path = inbox / default_name(unit, YEAR)
            path.write_bytes(build_package(fs, now=dt.datetime(YEAR, 11, 20, 12, 0, tzinfo=dt.UTC)))
            [done] = committee.import_packages(store, [path], lambda planned: True)
            assert done.ok, done.message
            at = "2026-11-28T10:00:00+08:00" if UNITS.index(unit) % 7 else "2026-12-02T09:00:00+08:00"
            with store.writing():  # the committee's clock at import, fixed (a few units late)
                store.db.execute("UPDATE packages SET imported_at = ? WHERE unit = ?", [at, unit])
        set_deadline(store, YEAR, "2026-11-30")
        scan = quality_ops.scan_year(store, YEAR)
        names = {r.key: r.name for r in quality.quality_rules().rules.values()}
        scored = assessment.assess_year(store, YEAR, dt.date(2026, 12, 5))
        return {
            "scan": {u: [_flag(f) for f in scan.flags[u]] for u in scan.units},
            "points": scan.points,
            "lines": [[line.unit, line.points, list(line.counts)] for line in quality_ops.unit_lines(scan)],
            "findings": {u: quality_ops.unit_findings(scan, u) for u in scan.units},
            "workbook": [list(row) for row in _findings(scan, names)],
            "assessment": [[a.unit, a.total, a.counted, [[r.item.key, r.score, r.fact] for r in a.results],
                            a.findings] for a in scored.units],
        }
    finally:
        store.close()


def results(folder: Path) -> dict:
    forms = year_forms()
    return json.loads(json.dumps({"domain": domain_results(forms), "store": store_results(forms, folder)},
                                 ensure_ascii=False))


def test_the_findings_and_scores_are_those_pinned_before_the_scan_was_made_fast(tmp_path):
    got = results(tmp_path)
    pinned = json.loads(gzip.decompress(FIXTURE.read_bytes()))
    # the dataset must exercise every rule, or the comparison proves little
    rules = {f[0] for flags in pinned["store"]["scan"].values() for f in flags}
    assert rules == set(quality.quality_rules().rules)
    for part in ("domain", "store"):
        for key in pinned[part]:
            if isinstance(pinned[part][key], dict):
                for unit in pinned[part][key]:
                    assert got[part][key].get(unit) == pinned[part][key][unit], (part, key, unit)
            assert got[part][key] == pinned[part][key], (part, key)


def test_a_finding_says_the_same_whenever_it_is_read_and_the_collector_is_left_as_found():
    """Messages are written when first read, the garbage collector paused while the scan runs
    (domain/bulk.py): reading a message twice gives one text, and a scan — also one that
    fails — leaves the collector on if it was on, off if it was off."""
    units = [quality.UnitForms.of(fs) for fs in list(year_forms().values())[:4]]
    was = gc.isenabled()
    try:
        for state in (True, False):
            (gc.enable if state else gc.disable)()
            scan = quality.committee_scan(units)
            assert gc.isenabled() is state
            flag = scan.flags[units[0].unit][0]
            assert flag.message == flag.message and flag.message.strip()
        gc.enable()
        with pytest.raises(ZeroDivisionError), collector_paused():
            assert not gc.isenabled()
            raise ZeroDivisionError
        assert gc.isenabled()
    finally:
        (gc.enable if was else gc.disable)()


if __name__ == "__main__" and sys.argv[1:] == ["--write"]:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        text = json.dumps(results(Path(folder)), ensure_ascii=False, indent=0) + "\n"
        FIXTURE.write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))
    print(f"wrote {FIXTURE} ({FIXTURE.stat().st_size:,} bytes)")
