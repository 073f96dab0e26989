"""Data packages in the database: the committee's imports and reporting status, the unit's
exports and receipts. Every import is one transaction: whole or not at all.

Order by lineage, not by clock. A package is known by its content digest; a signed one
carries the unit's sequence number and the content digest of the package it supersedes,
and is signed with the unit's key, pinned on the unit's first signed package. A newer
package supersedes the current one (the caller asks first); an old one sent again, or
one not newer than the current, is refused; the sender's clock is only shown. A supersede
can be undone: the previous package becomes current again.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from lianzheng_desktop.domain.codec import form_from_json
from lianzheng_desktop.domain.definitions import definitions
from lianzheng_desktop.domain.diff import FormsDiff, diff_forms
from lianzheng_desktop.domain.model import Form
from lianzheng_desktop.domain.texts import short_time
from lianzheng_desktop.store.errors import StoreError
from lianzheng_desktop.store.forms import FormStore, now
from lianzheng_desktop.store.keys import pin_key, pinned_key, unpin_key

SAME, NEW, SUPERSEDES = "same", "new", "supersedes"
REPORTED, UPDATED, MISSING = "reported", "updated", "missing"  # words in forms/messages.toml [status]
KEY_FIRST, KEY_KNOWN, KEY_CHANGED = "first", "known", "changed"
WORD = "word"  # packages.source of Word files the committee entered for a unit (store/word_entries.py)
FUTURE = dt.timedelta(days=1)  # a sender's clock this far ahead of ours is worth a word
_CURRENT = "superseded_at IS NULL AND withdrawn_at IS NULL"


@dataclass
class ImportPlan:
    status: str  # SAME: already imported; NEW: first of its unit/year; SUPERSEDES: replaces
    diff: FormsDiff
    previous_exported_at: str | None = None
    package: Any = None
    current_digest: str | None = None  # content digest of the unit/year's current package when planned
    previous_sequence: int | None = None
    key: str | None = None  # KEY_FIRST / KEY_KNOWN / KEY_CHANGED for a signed package, None unsigned
    previous_signer: str | None = None  # the pinned key's fingerprint, when the package's differs
    notes: list[str] = field(default_factory=list)  # what the clerk should know, said with the result
    accept_new_key: bool = False  # the clerk's decision when the unit's key changed
    previous_source: str | None = None  # WORD: the current data was entered from Word files

    @property
    def needs_key_decision(self) -> bool:
        return self.key == KEY_CHANGED


@dataclass
class ReportRow:
    unit: str
    expected: bool
    status: str  # REPORTED / UPDATED / MISSING
    imported_at: str | None
    exported_at: str | None
    packages: int
    forms: int
    verified: bool | None = None  # the current package's signature verified (None: none received)
    sequence: int | None = None
    signer: str | None = None
    source: str | None = None  # WORD: the current data was entered from the unit's Word files


def _when(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def describe(row_or_package) -> str:
    """A package in words: its sequence number (signed) and the sender's clock."""
    if isinstance(row_or_package, dict):
        if row_or_package.get("source") == WORD:
            return f"Word 文件代录入（录入于 {short_time(row_or_package['imported_at'])}）"
        sequence, exported = row_or_package.get("sequence"), row_or_package["exported_at"]
    else:
        sequence, exported = row_or_package.sequence, row_or_package.exported_at
    clock = f"导出于 {short_time(exported)}（发送方电脑的时间）"
    return f"第 {sequence} 号数据包，{clock}" if sequence else f"未签名的数据包，{clock}"


def _row(store: FormStore, where: str, params: list) -> dict | None:
    rows = list(store.db.table("packages").rows_where(where, params, limit=1))
    return rows[0] if rows else None


def current_row(store: FormStore, unit: str, year: int) -> dict | None:
    return _row(store, f"unit = ? AND year = ? AND {_CURRENT}", [unit, year])


def plan_import(store: FormStore, package, *, accept_new_key: bool = False,
                clock: dt.datetime | None = None) -> ImportPlan:
    """What importing the package would do, without writing anything; a StoreError says
    why it can't be imported."""
    unit, year = package.unit, package.year
    current = current_row(store, unit, year)
    current_digest = current["content_digest"] if current else None
    plan = ImportPlan(NEW, FormsDiff(), current["exported_at"] if current else None, package, current_digest,
                      current["sequence"] if current else None, accept_new_key=accept_new_key,
                      previous_source=current.get("source") if current else None)
    known = _row(store, "content_digest = ?", [package.content_digest])
    if known is not None:
        if known["content_digest"] == current_digest:
            plan.status = SAME
            return plan
        if known["withdrawn_at"]:
            raise StoreError(f"这个数据包（{describe(known)}）以前导入过，后来撤销了它对前一个数据包的取代，"
                             "不再导入。如确要用它的内容，请单位重新导出")
        raise StoreError(f"这个数据包（{describe(known)}）以前已经导入过，后来被更新的数据包取代：重新发来的旧数据包"
                         "不会再成为当前数据，没有导入")
    _check_key(store, plan)
    _check_order(plan, current)
    _check_clock(plan, clock)
    _check_ids(store, package)
    plan.diff = diff_forms(store.forms(year=year, unit=unit), package.forms)
    plan.status = SUPERSEDES if current else NEW
    return plan


def _check_key(store: FormStore, plan: ImportPlan) -> None:
    package = plan.package
    pinned = pinned_key(store, package.unit)
    if not package.verified:
        if pinned is not None:
            raise StoreError(f"{package.unit} 已经使用签名的数据包报送（密钥指纹 {pinned.fingerprint}），这个数据包"
                             f"没有签名（旧格式），无法确认是 {package.unit} 发出的，没有导入")
        plan.notes.append("这是旧格式的数据包，没有签名：无法确认它确实来自这个单位、内容没有被改动（已标记为“未验证”）")
        return
    if pinned is None:
        plan.key = KEY_FIRST
        plan.notes.append(f"第一次收到 {package.unit} 签名的数据包，已记下它的签名密钥（指纹 {package.signer}）。"
                          "如有疑问，请打电话与单位核对这个指纹")
    elif pinned.fingerprint == package.signer:
        plan.key = KEY_KNOWN
    else:
        plan.key, plan.previous_signer = KEY_CHANGED, pinned.fingerprint
    if not package.sealed:
        plan.notes.append("这个数据包没有加密（是单位的存档副本）：内容和签名已核对，但传递途中可能被别人看到")


def _check_order(plan: ImportPlan, current: dict | None) -> None:
    package = plan.package
    if current is None:
        return
    if package.verified and current["verified"]:
        if plan.key == KEY_CHANGED:
            plan.notes.append(f"签名密钥换了，序号重新计算（新数据包是第 {package.sequence} 号，"
                              f"当前的是第 {current['sequence']} 号）")
            return
        if package.sequence <= current["sequence"]:
            raise StoreError(f"这个数据包是{package.unit}的第 {package.sequence} 号，"
                             f"不比已导入的第 {current['sequence']} 号新"
                             "（是更早导出的，或单位恢复了旧的备份后导出的），没有导入。"
                             "如果这份内容才是单位要报送的，请单位再导出一次（序号会继续增加）")
        if package.supersedes != current["content_digest"]:
            plan.notes.append(f"单位说这个数据包（第 {package.sequence} 号）取代的是一个校纪委没有收到的数据包："
                              f"当前的是第 {current['sequence']} 号，中间可能有数据包没有送到")
    elif not package.verified and _when(package.exported_at) < _when(current["exported_at"]):
        plan.notes.append("注意：新数据包上的导出时间早于当前数据包的（发送方电脑的时间，仅供参考），请核对变化后再决定")


def _check_clock(plan: ImportPlan, clock: dt.datetime | None) -> None:
    exported = _when(plan.package.exported_at)
    if exported > (clock or dt.datetime.now().astimezone()) + FUTURE:
        order = "顺序按序号判断，不受影响" if plan.package.verified else "未签名的数据包无法判断先后，请核对内容"
        plan.notes.append(f"数据包上的导出时间 {short_time(plan.package.exported_at)} 晚于本机的时间，发送方电脑的"
                          f"时钟可能不准（仅供参考，{order}）")


def _check_ids(store: FormStore, package) -> None:
    ids = [f.id for f in package.forms]
    if not ids:
        return
    marks = ",".join("?" * len(ids))
    # deleted ones too: a form id stays its unit's, or another unit could take it over and
    # block the owner's next package
    clash = store.db.execute(
        f"SELECT unit, year FROM forms WHERE id IN ({marks}) AND NOT (unit = ? AND year = ?)",
        [*ids, package.unit, package.year]).fetchone()
    if clash:
        label = definitions().field("id").label
        raise StoreError(f"数据包中的{label}与已导入的 {clash[0]} {clash[1]} 年度的表格重复，没有导入"
                         "（一个单位的数据不会覆盖另一个单位、另一年度的数据）。如果这个单位改了名称或年度，"
                         "请联系技术人员处理")


def import_package(store: FormStore, package, *, accept_new_key: bool = False) -> ImportPlan:
    """Plan and apply in one go (the committee's windows plan first, then ask, then apply)."""
    return apply_import(store, plan_import(store, package, accept_new_key=accept_new_key))


def apply_import(store: FormStore, plan: ImportPlan) -> ImportPlan:
    """Store the planned package's forms; a newer package supersedes the older (kept as
    revisions). Planned again inside the transaction if the database changed meanwhile."""
    package = plan.package
    with store.writing():
        current = current_row(store, package.unit, package.year)
        if (current["content_digest"] if current else None) != plan.current_digest:
            plan = plan_import(store, package, accept_new_key=plan.accept_new_key)
        if plan.status == SAME:
            return plan
        if plan.needs_key_decision and not plan.accept_new_key:
            raise StoreError(f"{package.unit} 的签名密钥与以前的不同（以前：{plan.previous_signer}，"
                             f"这个数据包：{package.signer}），需要先确认接受新密钥，没有导入")
        note = f"数据包 {describe(package)}"
        stamp = now()
        for form in package.forms:
            store._save(form, note)
        for form in plan.diff.removed:
            store._save(form, note + "：已不在数据包中", deleted_at=stamp)
        store.db.execute(f"UPDATE packages SET superseded_at = ?, superseded_by = ? WHERE unit = ? AND year = ? "
                         f"AND {_CURRENT}", [stamp, package.content_digest, package.unit, package.year])
        store.db.table("packages").insert({
            "digest": package.digest, "unit": package.unit, "year": package.year,
            "exported_at": package.exported_at, "imported_at": stamp,
            "app_version": package.manifest["app_version"], "form_count": len(package.forms),
            "manifest": json.dumps(package.manifest, ensure_ascii=False), "superseded_at": None,
            "content_digest": package.content_digest, "sequence": package.sequence,
            "supersedes": package.supersedes, "signer": package.signer, "verified": int(package.verified),
            "sealed": int(package.sealed), "superseded_by": None, "withdrawn_at": None,
        })
        store.db.table("package_members").insert_all(
            ({"content_digest": package.content_digest, "name": name, "data": data}
             for name, data in [("forms.json", package.forms_json), *package.pdfs.items()]), replace=True)
        if plan.key in (KEY_FIRST, KEY_CHANGED):
            pin_key(store, package.unit, package.signer, package.manifest["suite"], package.sender_key,
                    package.content_digest)
    return plan


# -- undoing a supersede ------------------------------------------------------------------


@dataclass
class SupersedeUndone:
    unit: str
    year: int
    withdrawn: dict  # the package row that is no longer current
    restored: dict  # the package row that is current again
    diff: FormsDiff


def package_forms(store: FormStore, content_digest: str) -> list[Form] | None:
    """The forms an imported package held (None: imported by a program that kept no copy)."""
    row = store.db.execute("SELECT data FROM package_members WHERE content_digest = ? AND name = 'forms.json'",
                           [content_digest]).fetchone()
    if row is None:
        return None
    forms = []
    for obj in json.loads(bytes(row[0]).decode("utf-8")):
        form, problems = form_from_json(obj)
        if form is None or any(p.is_error for p in problems):
            raise StoreError("数据库中保存的数据包内容已损坏，无法恢复")
        forms.append(form)
    return forms


def plan_undo_supersede(store: FormStore, unit: str, year: int) -> SupersedeUndone:
    """What undoing the unit/year's last supersede would do (nothing written)."""
    current = current_row(store, unit, year)
    if current is None:
        raise StoreError(f"还没有导入 {unit} {year} 年度的数据包")
    previous = _row(store, "superseded_by = ? AND withdrawn_at IS NULL", [current["content_digest"]])
    if previous is None:
        raise StoreError(f"{unit} {year} 年度的当前数据包是收到的第一个，没有被它取代的数据包可以恢复")
    forms = package_forms(store, previous["content_digest"])
    if forms is None:
        raise StoreError(f"被取代的数据包（{describe(previous)}）是由旧版本的程序导入的，没有保存它的原始内容，"
                         "无法撤销；可以在每张表格的历史版本中逐张恢复")
    return SupersedeUndone(unit, year, current, previous, diff_forms(store.forms(year=year, unit=unit), forms))


def undo_supersede(store: FormStore, unit: str, year: int) -> SupersedeUndone:
    """Make the package the current one superseded current again: its forms restored (as
    new revisions), the forms only the withdrawn package had marked deleted, a key the
    withdrawn package pinned unpinned. The withdrawn package, if sent again, is refused."""
    undo = plan_undo_supersede(store, unit, year)
    forms = package_forms(store, undo.restored["content_digest"]) or []
    with store.writing():
        stamp = now()
        note = f"撤销取代：恢复{describe(undo.restored)}"
        for form in forms:
            store._save(form, note)
        for form in undo.diff.removed:
            store._save(form, note + "（撤销的数据包才有这张表格）", deleted_at=stamp)
        store.db.execute("UPDATE packages SET withdrawn_at = ?, superseded_at = ? WHERE content_digest = ?",
                         [stamp, stamp, undo.withdrawn["content_digest"]])
        store.db.execute("UPDATE packages SET superseded_at = NULL, superseded_by = NULL WHERE content_digest = ?",
                         [undo.restored["content_digest"]])
        unpin_key(store, unit, undo.withdrawn["content_digest"])
    return undo


def package_row(store: FormStore, digest: str) -> dict | None:
    """A package row by file digest or content digest."""
    return _row(store, "digest = ? OR content_digest = ?", [digest, digest])


def current_package(store: FormStore, unit: str, year: int) -> dict | None:
    """The package a unit's data of a year currently comes from."""
    return current_row(store, unit, year)


def package_pdfs(store: FormStore, form_id: str) -> list[tuple[str, bytes]]:
    """The PDFs the unit attached to the current package for this form: (name, bytes)."""
    row = store.db.execute("SELECT unit, year FROM forms WHERE id = ?", [form_id]).fetchone()
    current = current_row(store, row[0], row[1]) if row else None
    if current is None:
        return []
    rows = store.db.execute("SELECT name, data FROM package_members WHERE content_digest = ? AND name LIKE 'pdf/%' "
                            "ORDER BY name", [current["content_digest"]]).fetchall()
    return [(name, bytes(data)) for name, data in rows if name.endswith(f"_{form_id[:8]}.pdf")]


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
    received: dict[str, int] = {}
    current: dict[str, dict] = {}
    for row in store.db.table("packages").rows_where("year = ? AND withdrawn_at IS NULL", [year]):
        received[row["unit"]] = received.get(row["unit"], 0) + 1
        if row["superseded_at"] is None:
            current[row["unit"]] = row
    rows = []
    for unit in expected + sorted(set(received) - set(expected)):
        count, latest = received.get(unit, 0), current.get(unit)
        status = MISSING if not count else UPDATED if count > 1 else REPORTED
        rows.append(ReportRow(unit, unit in expected, status,
                              latest["imported_at"] if latest else None,
                              latest["exported_at"] if latest else None,
                              count, latest["form_count"] if latest else 0,
                              bool(latest["verified"]) if latest else None,
                              latest["sequence"] if latest else None,
                              latest["signer"] if latest else None,
                              latest.get("source") if latest else None))
    return rows


# -- the unit's side: exports and receipts ----------------------------------------------


def next_lineage(store: FormStore, unit: str, year: int) -> tuple[int, str | None]:
    """The sequence number of the unit's next package of the year, and the content digest
    of the package it supersedes (the last one exported)."""
    row = store.db.execute("SELECT sequence, content_digest FROM exports WHERE unit = ? AND year = ? "
                           "AND sequence IS NOT NULL ORDER BY sequence DESC LIMIT 1", [unit, year]).fetchone()
    return (row[0] + 1, row[1]) if row else (1, None)


def record_export(store: FormStore, package, path: str) -> None:
    with store.writing():
        store.db.table("exports").upsert({
            "digest": package.digest, "unit": package.unit, "year": package.year,
            "exported_at": package.exported_at, "path": path,
            "form_count": len(package.forms), "received_at": None, "receipt": None,
            "content_digest": package.content_digest or None, "sequence": package.sequence,
            "supersedes": package.supersedes, "receipt_verified": None,
        }, pk="digest")


def exports(store: FormStore, year: int | None = None) -> list[dict]:
    where, params = ("year = ?", [year]) if year is not None else (None, [])
    return list(store.db.table("exports").rows_where(where, params, order_by="exported_at desc"))


def apply_receipt(store: FormStore, receipt: dict, *, verified: bool = False) -> dict:
    """Mark the export the receipt confirms as received; the receipt must match it exactly.
    ``verified``: the committee's signature on the receipt was checked by the caller."""
    # by content (a signed receipt) or by the file's digest (an export made before the
    # exports table knew content digests)
    rows = list(store.db.table("exports").rows_where(
        "content_digest = ? OR digest = ?", [receipt.get("content_digest") or "", receipt["package_digest"]]))
    if not rows:
        raise StoreError("这份回执对应的数据包不是从本数据库导出的（或已不在记录中）："
                         f"{receipt['unit']} {receipt['year']} 年度，导出于 {receipt['exported_at']}")
    row = rows[0]
    if row["unit"] != receipt["unit"] or row["year"] != receipt["year"] or row["form_count"] != receipt["form_count"]:
        raise StoreError("回执与导出记录不一致（单位、年度或表格数量不同），请与校纪委核对")
    if row["sequence"] is not None and not verified:  # a signed export needs a signed receipt
        raise StoreError("这份回执没有校纪委的签名（旧格式），而本机导出的是签名、加密的数据包：它不能证明校纪委"
                         "收到了这个数据包，请向校纪委索取新格式的回执")
    with store.writing():
        store.db.table("exports").update(row["digest"], {
            "received_at": receipt["imported_at"], "receipt": json.dumps(receipt, ensure_ascii=False),
            "receipt_verified": int(verified)})
    return dict(row, received_at=receipt["imported_at"], receipt_verified=int(verified))
