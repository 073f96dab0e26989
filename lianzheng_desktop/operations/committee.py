"""The committee's side: importing the units' data packages, the list of units expected
to report, receipts for the units, and the Excel summary."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from lianzheng_desktop.domain.definitions import definitions
from lianzheng_desktop.domain.problems import Problem
from lianzheng_desktop.domain.submission import content_counts, package_problems
from lianzheng_desktop.domain.texts import short_time
from lianzheng_desktop.exchange.formfile import write_bytes_atomic
from lianzheng_desktop.exchange.package import SUFFIX, PackageRejected, read_package_file
from lianzheng_desktop.exchange.receipt import dumps_receipt, make_receipt, receipt_name
from lianzheng_desktop.exchange.summary import write_store_summary
from lianzheng_desktop.exchange.unitlist import read_unit_list
from lianzheng_desktop.operations.progress import Progress, step
from lianzheng_desktop.store import FormStore, StoreError
from lianzheng_desktop.store.packages import (
    NEW,
    SAME,
    SUPERSEDES,
    ImportPlan,
    apply_import,
    current_package,
    plan_import,
    reporting_status,
    set_expected_units,
)


def package_files(paths: list[Path]) -> list[Path]:
    """The packages named, and those inside named folders (searched through)."""
    files: list[Path] = []
    for path in paths:
        files += sorted(path.rglob(f"*{SUFFIX}")) if path.is_dir() else [path]
    return files


@dataclass
class PlannedImport:
    """A package read and checked, and what importing it would do (nothing written yet)."""

    path: Path
    plan: ImportPlan | None
    refusal: str = ""  # why it can't be imported

    @property
    def needs_confirmation(self) -> bool:
        """A newer package from the unit replaces the data imported before: ask first."""
        return self.plan is not None and self.plan.status == SUPERSEDES

    ASK = "用新数据包取代旧的吗？（旧数据保留为历史版本）"

    @property
    def head(self) -> str:
        plan = self.plan
        assert plan is not None
        package = plan.package
        return (f"{package.unit} {package.year} 年度已有导出于 {short_time(plan.previous_exported_at)} 的数据包。"
                f"新数据包导出于 {short_time(package.manifest['exported_at'])}，变化如下：")

    @property
    def changes(self) -> list[str]:
        assert self.plan is not None
        return self.plan.diff.lines or ["（表格内容没有变化）"]

    def question(self, limit: int = 40) -> str:
        """The whole question as one text (the command line); the window lists the changes
        in a scrolling list instead."""
        lines = self.changes[:limit]
        more = len(self.changes) - limit
        return (self.head + "\n\n" + "\n".join(lines) + (f"\n……另有 {more} 处变化" if more > 0 else "")
                + "\n\n" + self.ASK)


@dataclass
class ImportDone:
    path: Path
    ok: bool
    status: str | None  # SAME / NEW / SUPERSEDES when imported
    message: str
    year: int | None = None
    diff_lines: list[str] | None = None


def plan_package(store: FormStore, path: Path) -> PlannedImport:
    try:
        return PlannedImport(path, plan_import(store, read_package_file(path)))
    except (PackageRejected, StoreError) as exc:
        return PlannedImport(path, None, str(exc))


def apply_package(store: FormStore, planned: PlannedImport) -> ImportDone:
    name = planned.path.name
    if planned.plan is None:
        return ImportDone(planned.path, False, None, f"{name}：未导入：{planned.refusal}")
    try:
        plan = apply_import(store, planned.plan)
    except StoreError as exc:
        return ImportDone(planned.path, False, None, f"{name}：未导入：{exc}")
    package = plan.package
    if plan.status == SAME:
        message = f"{name}：这个数据包已经导入过，没有变化"
    elif plan.status == NEW:
        message = f"{name}：已导入 {package.unit} {package.year} 年度的 {len(package.forms)} 张表格"
    else:
        message = (f"{name}：已导入 {package.unit} {package.year} 年度的新数据包，取代导出于 "
                   f"{short_time(plan.previous_exported_at)} 的数据包（旧数据保留为历史版本）")
    return ImportDone(planned.path, True, plan.status, message, package.year, plan.diff.lines)


def declined(planned: PlannedImport) -> ImportDone:
    return ImportDone(planned.path, False, None, f"{planned.path.name}：未导入（保留原来的数据包）")


def import_packages(store: FormStore, paths: list[Path], confirm: Callable[[PlannedImport], bool],
                    progress: Progress | None = None) -> list[ImportDone]:
    """Packages (folders searched through) one after another, each whole or not at all.
    ``confirm`` is asked before a newer package replaces the one imported before; when
    ``progress`` cancels, the packages already imported stay and the rest are not read."""
    files = package_files(paths)
    done = []
    for i, path in enumerate(files):
        step(progress, i, len(files), f"正在导入 {path.name}")
        planned = plan_package(store, path)
        if planned.needs_confirmation and not confirm(planned):
            done.append(declined(planned))
            continue
        done.append(apply_package(store, planned))
    step(progress, len(files), len(files))
    return done


@dataclass
class UnitReport:
    """A unit's line in 报送情况: its packages, and what the current one holds."""

    unit: str
    expected: bool
    status: str
    imported_at: str | None
    exported_at: str | None
    packages: int
    forms: int
    points: int = 0  # risk points with text
    problems: list[Problem] = field(default_factory=list)  # the content rules it breaks

    @property
    def incomplete(self) -> bool:
        """Imported, but empty forms, post forms without points or points without text:
        the same rules that stop a unit's export (domain/submission.py)."""
        return self.packages > 0 and any(p.is_error for p in self.problems)


def report(store: FormStore, year: int) -> tuple[list[UnitReport], str]:
    """Who has reported, with forms and points per unit and whether each package is
    complete, and the one-line summary above the table."""
    rows = []
    for row in reporting_status(store, year):
        forms = store.forms(year=year, unit=row.unit) if row.packages else []
        count, points = content_counts(forms)
        rows.append(UnitReport(row.unit, row.expected, row.status, row.imported_at, row.exported_at,
                               row.packages, count, points, package_problems(forms) if forms else []))
    d = definitions()
    words = d.messages["status"]
    counts = {key: sum(r.status == key for r in rows) for key in words}
    line = (f"{year} 年度：名单内 {sum(r.expected for r in rows)} 个单位，"
            + "，".join(f"{words[key]} {counts[key]}" for key in words))
    incomplete = sum(r.incomplete for r in rows)
    if incomplete:
        line += f"；其中 {incomplete} 个单位的数据包{d.messages['status_note']['incomplete']}"
    return rows, line


def load_unit_list(store: FormStore, year: int, path: Path) -> list[str]:
    """Raises UnitListRejected with the reason."""
    units = read_unit_list(path)
    set_expected_units(store, year, units)
    return units


def write_receipt(store: FormStore, unit: str, year: int, target: Path) -> Path:
    """The receipt for the unit's current package; ``target`` may be a folder."""
    row = current_package(store, unit, year)
    if row is None:
        raise StoreError(f"还没有导入 {unit} {year} 年度的数据包")
    receipt = make_receipt(row)
    path = target / receipt_name(receipt) if target.is_dir() else target
    write_bytes_atomic(path, dumps_receipt(receipt))
    return path


def receipt_file_name(store: FormStore, unit: str, year: int) -> str | None:
    row = current_package(store, unit, year)
    return receipt_name(make_receipt(row)) if row else None


def export_summary(store: FormStore, path: Path, year: int | None = None) -> int:
    """The Excel summary of a year (the latest when none is given); returns the form count."""
    years = store.years()
    return write_store_summary(store, path, year or (years[-1] if years else dt.date.today().year))
