"""Data packages in the database: the committee's imports and reporting status, the unit's
exports and receipts. Every import is one transaction: whole or not at all."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from lianzheng_desktop.domain.definitions import definitions
from lianzheng_desktop.domain.diff import FormsDiff, diff_forms
from lianzheng_desktop.store.errors import StoreError
from lianzheng_desktop.store.forms import FormStore, now

SAME, NEW, SUPERSEDES = "same", "new", "supersedes"
REPORTED, UPDATED, MISSING = "reported", "updated", "missing"  # words in forms/messages.toml [status]


@dataclass
class ImportPlan:
    status: str  # SAME: already imported; NEW: first of its unit/year; SUPERSEDES: replaces
    diff: FormsDiff
    previous_exported_at: str | None = None
    package: Any = None
    current_digest: str | None = None  # the unit/year's current package when planned


@dataclass
class ReportRow:
    unit: str
    expected: bool
    status: str  # REPORTED / UPDATED / MISSING
    imported_at: str | None
    exported_at: str | None
    packages: int
    forms: int


def _when(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def plan_import(store: FormStore, package) -> ImportPlan:
    """What importing the package would do, without writing anything."""
    row = store.db.execute("SELECT 1 FROM packages WHERE digest = ?", [package.digest]).fetchone()
    current = store.db.execute(
        "SELECT exported_at, digest FROM packages WHERE unit = ? AND year = ? AND superseded_at IS NULL",
        [package.unit, package.year]).fetchone()
    if row is not None:
        return ImportPlan(SAME, FormsDiff(), current[0] if current else None, package,
                          current[1] if current else None)
    diff = diff_forms(store.forms(year=package.year, unit=package.unit), package.forms)
    if current is not None and _when(current[0]) >= _when(package.manifest["exported_at"]):
        raise StoreError(f"这个数据包（导出于 {package.manifest['exported_at']}）比已导入的"
                         f"{package.unit} {package.year} 年度数据包（导出于 {current[0]}）旧，没有导入")
    ids = [f.id for f in package.forms]
    marks = ",".join("?" * len(ids))
    # deleted ones too: a form id stays its unit's, or another unit could take it over and
    # block the owner's next package
    clash = store.db.execute(
        f"SELECT unit, year FROM forms WHERE id IN ({marks}) AND NOT (unit = ? AND year = ?)",
        [*ids, package.unit, package.year]).fetchone() if ids else None
    if clash:
        label = definitions().field("id").label
        raise StoreError(f"数据包中的{label}与已导入的 {clash[0]} {clash[1]} 年度的表格重复，没有导入"
                         "（一个单位的数据不会覆盖另一个单位、另一年度的数据）。如果这个单位改了名称或年度，"
                         "请联系技术人员处理")
    return ImportPlan(SUPERSEDES if current else NEW, diff, current[0] if current else None, package,
                      current[1] if current else None)


def import_package(store: FormStore, package) -> ImportPlan:
    """Plan and apply in one go (the committee's windows plan first, then ask, then apply)."""
    return apply_import(store, plan_import(store, package))


def apply_import(store: FormStore, plan: ImportPlan) -> ImportPlan:
    """Store the planned package's forms; a newer package supersedes the older (kept as
    revisions). Planned again inside the transaction if the database changed meanwhile."""
    package = plan.package
    with store.writing():
        current = store.db.execute(
            "SELECT digest FROM packages WHERE unit = ? AND year = ? AND superseded_at IS NULL",
            [package.unit, package.year]).fetchone()
        if (current[0] if current else None) != plan.current_digest:
            plan = plan_import(store, package)
        if plan.status == SAME:
            return plan
        note = f"数据包 {package.manifest['exported_at']}"
        stamp = now()
        for form in package.forms:
            store._save(form, note)
        for form in plan.diff.removed:
            store._save(form, note + "：已不在数据包中", deleted_at=stamp)
        store.db.execute("UPDATE packages SET superseded_at = ? WHERE unit = ? AND year = ? "
                         "AND superseded_at IS NULL", [stamp, package.unit, package.year])
        store.db.table("packages").insert({
            "digest": package.digest, "unit": package.unit, "year": package.year,
            "exported_at": package.manifest["exported_at"], "imported_at": stamp,
            "app_version": package.manifest["app_version"], "form_count": len(package.forms),
            "manifest": json.dumps(package.manifest, ensure_ascii=False), "superseded_at": None,
        })
    return plan


def package_row(store: FormStore, digest: str) -> dict | None:
    rows = list(store.db.table("packages").rows_where("digest = ?", [digest]))
    return rows[0] if rows else None


def current_package(store: FormStore, unit: str, year: int) -> dict | None:
    """The package a unit's data of a year currently comes from."""
    rows = list(store.db.table("packages").rows_where("unit = ? AND year = ? AND superseded_at IS NULL", [unit, year]))
    return rows[0] if rows else None


# -- expected units and reporting status ----------------------------------------------


def expected_units(store: FormStore, year: int) -> list[str]:
    rows = store.db.execute("SELECT unit FROM expected_units WHERE year = ? ORDER BY position, unit", [year])
    return [r[0] for r in rows.fetchall()]


def set_expected_units(store: FormStore, year: int, units: list[str]) -> None:
    clean = list(dict.fromkeys(u.strip() for u in units if u.strip()))
    with store.writing():
        store.db.execute("DELETE FROM expected_units WHERE year = ?", [year])
        store.db.table("expected_units").insert_all(
            {"year": year, "unit": unit, "position": i} for i, unit in enumerate(clean))


def reporting_status(store: FormStore, year: int) -> list[ReportRow]:
    expected = expected_units(store, year)
    packages: dict[str, list[dict]] = {}
    for row in store.db.table("packages").rows_where("year = ?", [year], order_by="imported_at"):
        packages.setdefault(row["unit"], []).append(row)
    rows = []
    for unit in expected + sorted(set(packages) - set(expected)):
        received = packages.get(unit, [])
        latest = received[-1] if received else None
        status = MISSING if not received else UPDATED if len(received) > 1 else REPORTED
        rows.append(ReportRow(unit, unit in expected, status,
                              latest["imported_at"] if latest else None,
                              latest["exported_at"] if latest else None,
                              len(received), latest["form_count"] if latest else 0))
    return rows


# -- the unit's side: exports and receipts ----------------------------------------------


def record_export(store: FormStore, package, path: str) -> None:
    with store.writing():
        store.db.table("exports").upsert({
            "digest": package.digest, "unit": package.unit, "year": package.year,
            "exported_at": package.manifest["exported_at"], "path": path,
            "form_count": len(package.forms), "received_at": None, "receipt": None,
        }, pk="digest")


def exports(store: FormStore, year: int | None = None) -> list[dict]:
    where, params = ("year = ?", [year]) if year is not None else (None, [])
    return list(store.db.table("exports").rows_where(where, params, order_by="exported_at desc"))


def apply_receipt(store: FormStore, receipt: dict) -> dict:
    """Mark the export the receipt confirms as received; the receipt must match it exactly."""
    rows = list(store.db.table("exports").rows_where("digest = ?", [receipt["package_digest"]]))
    if not rows:
        raise StoreError("这份回执对应的数据包不是从本数据库导出的（或已不在记录中）："
                         f"{receipt['unit']} {receipt['year']} 年度，导出于 {receipt['exported_at']}")
    row = rows[0]
    if row["unit"] != receipt["unit"] or row["year"] != receipt["year"] or row["form_count"] != receipt["form_count"]:
        raise StoreError("回执与导出记录不一致（单位、年度或表格数量不同），请与校纪委核对")
    with store.writing():
        store.db.table("exports").update(row["digest"], {"received_at": receipt["imported_at"],
                                                    "receipt": json.dumps(receipt, ensure_ascii=False)})
    return dict(row, received_at=receipt["imported_at"])
