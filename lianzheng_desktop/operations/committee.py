"""The committee's side: importing the units' data packages, the list of units expected
to report, receipts for the units, and the Excel summary."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lianzheng_desktop.domain.definitions import definitions
from lianzheng_desktop.domain.texts import short_time
from lianzheng_desktop.exchange.formfile import write_bytes_atomic
from lianzheng_desktop.exchange.package import SUFFIX, PackageRejected, read_package_file
from lianzheng_desktop.exchange.receipt import dumps_receipt, make_receipt, receipt_name
from lianzheng_desktop.exchange.summary import write_summary
from lianzheng_desktop.exchange.unitlist import read_unit_list
from lianzheng_desktop.store import FormStore, StoreError
from lianzheng_desktop.store.packages import (
    NEW,
    SAME,
    SUPERSEDES,
    ImportPlan,
    ReportRow,
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

    def question(self, limit: int = 40) -> str:
        plan = self.plan
        assert plan is not None
        package = plan.package
        lines = plan.diff.lines[:limit] or ["（表格内容没有变化）"]
        more = len(plan.diff.lines) - limit
        return (f"{package.unit} {package.year} 年度已有导出于 {short_time(plan.previous_exported_at)} 的数据包。"
                f"新数据包导出于 {short_time(package.manifest['exported_at'])}，变化如下：\n\n"
                + "\n".join(lines) + (f"\n……另有 {more} 处变化" if more > 0 else "")
                + "\n\n用新数据包取代旧的吗？（旧数据保留为历史版本）")


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


def report(store: FormStore, year: int) -> tuple[list[ReportRow], str]:
    """Who has reported, and the one-line summary above the table."""
    rows = reporting_status(store, year)
    words = definitions().messages["status"]
    counts = {key: sum(r.status == key for r in rows) for key in words}
    line = (f"{year} 年度：名单内 {sum(r.expected for r in rows)} 个单位，"
            + "，".join(f"{words[key]} {counts[key]}" for key in words))
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


@dataclass
class SummaryWritten:
    path: Path
    forms: int
    cut: int  # cells cut at Excel's limit

    @property
    def message(self) -> str:
        text = f"已生成汇总 {self.path}（{self.forms} 张表格）"
        if self.cut:
            text += (f"。注意：有 {self.cut} 个单元格超过 Excel 每格 32767 字的上限，已截断并在单元格末尾注明，"
                     "清单见“说明”工作表")
        return text


def export_summary(store: FormStore, path: Path, year: int | None = None) -> SummaryWritten:
    """The Excel summary of a year (the latest when none is given)."""
    years = [year] if year else store.years()
    forms = [f for y in years for f in store.forms(year=y)]
    cut = write_summary(forms, path, year or (years[-1] if years else 0))
    return SummaryWritten(Path(path), len(forms), cut)
