"""The quality rules (forms/quality.toml, domain/quality.py) where people use them: the
unit's 检查 pane for the open form, and the committee's check of every unit of a year
(in the workbench and as an Excel workbook)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from operator import attrgetter
from pathlib import Path

from lianzheng_desktop.domain.bulk import collector_paused
from lianzheng_desktop.domain.model import Form
from lianzheng_desktop.domain.problems import Problem
from lianzheng_desktop.domain.quality import (
    FormRef,
    PointRef,
    QualityScan,
    UnitForms,
    committee_scan,
    form_problems,
    quality_rules,
)
from lianzheng_desktop.domain.validation import validate
from lianzheng_desktop.exchange.quality_report import write_quality_report
from lianzheng_desktop.operations.progress import Progress, step
from lianzheng_desktop.store import FormStore, summary


def form_check(store: FormStore, form: Form) -> list[Problem]:
    """The open form's problems for the 检查 pane: its own (validation) and what the
    quality rules find in it, read with the other forms of its year (copies between
    them); a warning at a place that also has an error is left out. Errors first."""
    problems = validate(form) + form_problems(form, store.forms(year=form.year))
    errors = {p.path for p in problems if p.is_error}
    kept = [p for p in problems if p.is_error or p.path not in errors]
    return sorted(kept, key=lambda p: not p.is_error)


def unit_forms(rows: Iterable[tuple]) -> list[UnitForms]:
    """The year's points as the rules read them, one UnitForms per unit, from tuples of
    store.summary.RULE_COLUMNS (ordered by unit and form, as summary.rule_rows gives them)."""
    units: dict[str, UnitForms] = {}
    forms: dict[str, list[PointRef]] = {}
    for unit_name, form_id, kind, person, post, position, category, number, point, measures, level, approved in rows:
        held = forms.get(form_id)
        if held is None:
            unit = units.get(unit_name)
            if unit is None:
                unit = units[unit_name] = UnitForms(unit_name)
            ref = FormRef(form_id, unit_name, kind, person, post)
            unit.forms.append(ref)
            held = forms[form_id] = unit.points[form_id] = []
        else:
            ref = held[0].form
        held.append(PointRef(ref, position, category, number, point, measures, level, approved))
    by_position = attrgetter("position")
    for held in forms.values():  # each form's points in their order in the form
        held.sort(key=by_position)
    return list(units.values())


def year_units(store: FormStore, year: int) -> list[UnitForms]:
    with collector_paused():  # 110,000 points, all kept (domain/bulk.py)
        return unit_forms(summary.rule_rows(store, year))


def scan_year(store: FormStore, year: int, progress: Progress | None = None,
              units: list[UnitForms] | None = None) -> QualityScan:
    """Every rule on every unit of the year, copies across units included."""
    step(progress, 0, 3, "正在读取各单位的风险点")
    units = year_units(store, year) if units is None else units
    step(progress, 1, 3, "正在比较各单位的文字")

    def each(done: int, total: int) -> None:
        step(progress, 1, 3, f"正在检查第 {done + 1}/{total} 个单位")

    scan = committee_scan(units, each if progress else None)
    step(progress, 3, 3)
    return scan


@dataclass(frozen=True)
class QualityWritten:
    path: Path
    units: int
    findings: int

    @property
    def message(self) -> str:
        return f"已生成内容质量检查 {self.path}（{self.units} 个单位，{self.findings} 条提醒）"


def export_quality(store: FormStore, path: Path, year: int, progress: Progress | None = None,
                   scan: QualityScan | None = None) -> QualityWritten:
    """The committee's quality check of every unit of a year, written as an Excel workbook
    (per unit: how many findings of each rule; every finding with what to do); ``scan``:
    one already made (the workbench's view), else the year is checked now."""
    scan = scan_year(store, year, progress) if scan is None else scan
    findings = write_quality_report(scan, Path(path), year)
    return QualityWritten(Path(path), len(scan.units), findings)


@dataclass(frozen=True)
class UnitQuality:
    """One unit's line in the committee's view: its points and its findings by rule."""

    unit: str
    points: int
    counts: tuple[int, ...]  # in the order of rule_names()

    @property
    def total(self) -> int:
        return sum(self.counts)


def rule_names() -> list[str]:
    return [r.name for r in quality_rules().rules.values()]


def unit_lines(scan: QualityScan) -> list[UnitQuality]:
    """Every unit's line, those with the most findings first."""
    keys = list(quality_rules().rules)
    lines = [UnitQuality(u, scan.points.get(u, 0), tuple(scan.count(u, k) for k in keys)) for u in scan.units]
    return sorted(lines, key=lambda line: (-line.total, line.unit))


def unit_findings(scan: QualityScan, unit: str) -> list[str]:
    """A unit's findings as the view lists them: the form, the rule, what to do."""
    names = {r.key: r.name for r in quality_rules().rules.values()}
    return [f"【{names[f.rule]}】{f.form.short}：{f.message}" for f in scan.flags.get(unit, [])]
