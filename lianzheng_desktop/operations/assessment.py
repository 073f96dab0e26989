"""考核 (notice 六(四)): every unit of a year scored on the items forms/assessment.toml
declares (domain/assessment.py), from what the committee's database holds — reporting
against the deadline, completeness, the points per category and level, and the quality
rules' findings (operations/quality.py) — printed as one sheet per unit and added to the
Excel summary."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lianzheng_desktop.domain.assessment import ReviewFacts, UnitAssessment, UnitFacts, assess, assessment_spec
from lianzheng_desktop.domain.bulk import collector_paused
from lianzheng_desktop.domain.definitions import definitions
from lianzheng_desktop.domain.quality import QualityScan, UnitForms
from lianzheng_desktop.domain.review import RETURN
from lianzheng_desktop.exchange.formfile import write_bytes_atomic
from lianzheng_desktop.operations.progress import Progress, step
from lianzheng_desktop.operations.quality import scan_year, year_units
from lianzheng_desktop.operations.reminding import standings
from lianzheng_desktop.store import FormStore, reviews

SHEET = "考核"


def review_facts(store: FormStore, year: int) -> dict[str, ReviewFacts]:
    """Unit → what the committee's review (issue 14) says about its year, from the review
    rounds whose opinions were sent: the points of the forms last reviewed, how many of
    them the committee set a 审定 different from the unit's 自评, and in how many rounds it
    returned a form (退回修改). A unit not yet reviewed has no entry: its two review items
    show “暂无数据” and are left out of the score."""
    sent: dict[str, list] = {}
    for r in reviews.rounds(store, year):
        if r.sent:
            sent.setdefault(r.unit, []).append(r)
    found = {}
    for unit, rounds in sent.items():
        returned = sum(any(fr.decision == RETURN for fr in reviews.review_state(store, r.id).values())
                       for r in rounds)
        last = rounds[-1]  # rounds come in order of their number
        self_levels = {p.id: p.self_level for f in reviews.reviewed_forms(store, last.id) for p in f.risks
                       if p.point.strip()}
        changed = sum(level != self_levels[point]
                      for fr in reviews.review_state(store, last.id).values()
                      for point, level in fr.levels.items() if point in self_levels)
        found[unit] = ReviewFacts(len(self_levels), changed, returned)
    return found


def _facts(unit: str, year: int, standing, forms: UnitForms | None, review: ReviewFacts | None) -> UnitFacts:
    d = definitions()
    r = standing.report
    facts = UnitFacts(unit=unit, year=year, expected=r.expected, timeliness=standing.timeliness,
                      received_at=standing.first_received, deadline=None, reported=r.packages > 0,
                      complete=r.packages > 0 and not r.incomplete,
                      problems=[p.message for p in r.problems if p.is_error], forms=r.forms, review=review)
    if forms is None:
        facts.pairs = r.forms * len(d.categories)
        return facts
    levels: Counter = Counter()
    covered = set()
    for point in (p for ps in forms.points.values() for p in ps if p.point.strip()):
        facts.points += 1
        facts.measures += bool(point.measures.strip())
        levels[point.category, point.self_level] += 1
        covered.add((point.form.id, point.category))
    facts.levels = dict(levels)
    facts.covered = len(covered)
    facts.pairs = r.forms * len(d.categories)
    return facts


@dataclass
class YearAssessment:
    year: int
    deadline: str | None
    today: dt.date
    units: list[UnitAssessment]

    def of(self, unit: str) -> UnitAssessment | None:
        return next((a for a in self.units if a.unit == unit), None)


def assess_year(store: FormStore, year: int, today: dt.date | None = None, progress: Progress | None = None,
                scan: QualityScan | None = None) -> YearAssessment:
    """Every unit on the year's list or that reported, scored."""
    with collector_paused():  # the year's points and their findings: 300,000 objects, all kept (domain/bulk.py)
        return _assess_year(store, year, today, progress, scan)


def _assess_year(store: FormStore, year: int, today: dt.date | None, progress: Progress | None,
                 scan: QualityScan | None) -> YearAssessment:
    s = standings(store, year, today)
    step(progress, 0, 4, "正在读取各单位的风险点")
    units = year_units(store, year)
    by_unit = {u.unit: u for u in units}
    if scan is None:
        step(progress, 1, 4, "正在检查质量")
        scan = scan_year(store, year, units=units)
    step(progress, 3, 4, "正在计分")
    review = review_facts(store, year)
    out = []
    for standing in s.rows:
        facts = _facts(standing.unit, year, standing, by_unit.get(standing.unit), review.get(standing.unit))
        facts.deadline = s.deadline
        out.append(assess(facts, scan))
    step(progress, 4, 4)
    return YearAssessment(year, s.deadline, s.today, out)


def sheet_rows(year: YearAssessment) -> tuple[list[str], list[list[Any]]]:
    """The Excel summary's 考核 sheet: one row per unit, a column per item, the total."""
    spec = assessment_spec()
    d = definitions()
    levels = [(lv.name, lv.value) for lv in d.levels] + [(d.unrated_name, None)]
    headers = ["单位", "按时与否", "首次收到", "表格数", "风险点数", *(f"其中{name}" for name, _ in levels)]
    headers += [f"{i.name}（{i.weight:g}）" for i in spec.items] + ["得分", "计分满分", "质量提醒"]
    rows = []
    for a in year.units:
        f = a.facts
        per_level = [sum(n for (_, level), n in f.levels.items() if level == value) for _, value in levels]
        scores: list[Any] = [r.score if r.available else "暂无数据" for r in a.results]
        rows.append([a.unit, _timeliness_word(f), (f.received_at or "")[:10], f.forms, f.points, *per_level, *scores,
                     a.total, a.counted, "\n".join(a.findings)])
    return headers, rows


def _timeliness_word(f: UnitFacts) -> str:
    from lianzheng_desktop.domain.deadlines import word

    return word(f.timeliness)


def assessment_sheet(year: YearAssessment) -> tuple[str, list[str], list[tuple[float, bool, str]], list[list]]:
    """(title, headers, widths, rows) for exchange/summary's extra sheets."""
    headers, rows = sheet_rows(year)
    levels = len(definitions().levels) + 1
    widths = [(18.0, False, "left"), (10.0, False, "left"), (11.0, False, "left"), (7.0, False, "left"),
              (8.0, False, "left"), *[(7.0, False, "center")] * levels]
    widths += [(11.0, False, "center")] * len(assessment_spec().items)
    widths += [(7.0, False, "center"), (8.0, False, "center"), (60.0, True, "left")]
    return SHEET, headers, widths, rows


@dataclass
class SheetsPrinted:
    path: Path
    units: int

    @property
    def message(self) -> str:
        return f"已生成考核表 {self.path}（{self.units} 个单位，每个单位一页）"


def print_assessment(store: FormStore, year: int, path: Path, units: list[str] | None = None,
                     today: dt.date | None = None, progress: Progress | None = None,
                     scored: YearAssessment | None = None) -> SheetsPrinted:
    """The 考核表 of the named units (all when None) as one PDF, a page per unit; ``scored``:
    the year already scored (the workbench's 考核 tab), else scored here."""
    data, count = _sheets(store, year, units, today, progress, scored)
    write_bytes_atomic(Path(path), data)
    return SheetsPrinted(Path(path), count)


def assessment_pdf(store: FormStore, year: int, units: list[str] | None = None, today: dt.date | None = None,
                   scored: YearAssessment | None = None) -> bytes:
    return _sheets(store, year, units, today, None, scored)[0]


def _sheets(store: FormStore, year: int, units: list[str] | None, today: dt.date | None,
            progress: Progress | None, scored: YearAssessment | None) -> tuple[bytes, int]:
    from lianzheng_desktop.render.assessment import render_assessment

    result = scored if scored is not None and scored.year == year else assess_year(store, year, today, progress)
    chosen = [a for a in result.units if units is None or a.unit in units]
    if not chosen:
        raise ValueError("没有要打印的单位")
    def each(done: int, total: int, what: str) -> None:
        step(progress, done, total, what)

    return render_assessment(chosen, year, result.today, each if progress else None), len(chosen)
