"""The unit's side of reporting: the data package for the committee, and its receipt."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

from lianzheng_desktop.domain.crosscheck import check_forms
from lianzheng_desktop.domain.model import Form
from lianzheng_desktop.domain.naming import MESSAGE, form_name, name_from
from lianzheng_desktop.domain.problems import Problem, error, warning
from lianzheng_desktop.domain.texts import short_time
from lianzheng_desktop.exchange.formfile import write_bytes_atomic
from lianzheng_desktop.exchange.package import SUFFIX, Lineage, default_name, make_package
from lianzheng_desktop.exchange.receipt import ReceiptRejected, check_signature, read_receipt_file
from lianzheng_desktop.exchange.sealed import seal_package
from lianzheng_desktop.operations.comparing import copy_warnings
from lianzheng_desktop.operations.keys import KeyCreated, unit_key
from lianzheng_desktop.operations.progress import Progress, step
from lianzheng_desktop.store import FormStore
from lianzheng_desktop.store.keys import reporting_settings, trusted_committee
from lianzheng_desktop.store.packages import apply_receipt, exports, next_lineage, record_export

NO_SETTINGS = ("还没有导入校纪委的报送设置（.lzsz 文件）：数据包要加密给校纪委，只有导入了校纪委的报送设置才能导出。"
               "请向校纪委索取报送设置文件，用“文件 → 导入校纪委报送设置”导入")
ARCHIVE_SUFFIX = "_存档副本（未加密）"

DELETED_NOTE = "删除"  # the note the store gives the revision a deletion leaves (store/forms.py)


@dataclass
class ExportCheck:
    """What would be sent, and what the check before sending found."""

    forms: list[Form]
    problems: list[Problem]

    @property
    def allowed(self) -> bool:
        return bool(self.forms) and not any(p.is_error for p in self.problems)

    @property
    def unit(self) -> str:
        return self.forms[0].unit

    @property
    def year(self) -> int:
        return self.forms[0].year

    def default_name(self) -> str:
        return default_name(self.unit, self.year)


@dataclass
class Exported:
    path: Path
    forms: int
    with_pdf: bool
    sequence: int = 0
    committee: str = ""  # fingerprint of the committee key the package is sealed to
    archive: Path | None = None  # the unencrypted archive copy, when one was asked for
    key_created: KeyCreated | None = None

    @property
    def message(self) -> str:
        text = (f"已导出数据包 {self.path}（第 {self.sequence} 号，{self.forms} 张表格"
                + ("，含 PDF" if self.with_pdf else "") + f"；已签名，并加密给校纪委密钥 {self.committee}）")
        if self.archive:
            text += f"。未加密的存档副本：{self.archive}（仅供本单位留存，不要发送）"
        if self.key_created:
            text += "。" + self.key_created.message
        return text


def check_export(store: FormStore, year: int | None, unit: str | None = None) -> ExportCheck:
    """The forms of one unit and year, checked together (errors block the export), and
    whether the committee's key is there to seal the package to.

    A unit's database sends all forms of the year (``unit`` None): a form whose 单位 differs
    is an error to fix, never a form silently left out of the package."""
    forms = store.forms(year=year, unit=unit)
    problems = check_forms(forms) + copy_warnings(store, forms) if forms else []
    if forms and trusted_committee(store) is None:
        problems.insert(0, error(NO_SETTINGS))
    settings = reporting_settings(store, forms[0].year) if forms else None
    if settings and settings.units and forms[0].unit.strip() not in settings.units:
        problems.append(warning(f"单位名称“{forms[0].unit.strip()}”不在校纪委 {settings.year} 年度的名单中，"
                                "校纪委可能认不出来：请核对名称（名单见报送设置）"))
    return ExportCheck(forms, problems)


def package_path(check: ExportCheck, target: Path) -> Path:
    """A folder gets the default name; a file name gets the package's extension."""
    if target.is_dir():
        return target / check.default_name()
    return target if target.suffix.lower() == SUFFIX else target.with_name(target.name + SUFFIX)


def archive_path(path: Path) -> Path:
    return path.with_name(path.stem + ARCHIVE_SUFFIX + path.suffix)


def export_package(store: FormStore, check: ExportCheck, target: Path, *, with_pdf: bool = False,
                   archive_copy: bool = False, progress: Progress | None = None) -> Exported:
    """Sign the package with this installation's key (made on the first export), seal it to
    the committee's key, write it (whole or not at all) and record the export. With
    ``archive_copy``, the same package unsealed is written beside it for the unit's files.
    Rendering the PDFs reports to ``progress`` and may be cancelled (Cancelled: nothing
    written)."""
    if not check.allowed:
        raise ValueError("检查没有通过的表格不能导出")
    committee = trusted_committee(store)
    if committee is None:
        raise ValueError(NO_SETTINGS)
    path = package_path(check, target)
    forms = check.forms

    def rendering(done: int, total: int) -> None:
        step(progress, done, total, f"正在排版 {form_name(forms[done], MESSAGE)} 的 PDF")

    signer, created = unit_key(store)
    sequence, supersedes = next_lineage(store, check.unit.strip(), check.year)
    package = make_package(forms, with_pdf=with_pdf, signer=signer,
                           lineage=Lineage(sequence, supersedes, committee.fingerprint),
                           progress=rendering if progress else None)
    step(progress, len(forms), len(forms), "正在写入数据包")
    sealed = seal_package(package.data, committee.public, committee.fingerprint, committee.suite)
    write_bytes_atomic(path, sealed)
    archive = None
    if archive_copy:
        archive = archive_path(path)
        write_bytes_atomic(archive, package.zip_data)
    package.digest, package.sealed = hashlib.sha256(sealed).hexdigest(), True
    record_export(store, package, str(path))
    return Exported(path, len(check.forms), with_pdf, sequence, committee.fingerprint, archive, created)


@dataclass
class ReceiptConfirmed:
    unit: str
    year: int
    received_at: str
    exported_at: str
    form_count: int
    verified: bool = False  # the committee's signature on the receipt checked
    sequence: int | None = None

    @property
    def message(self) -> str:
        which = f"第 {self.sequence} 号数据包" if self.sequence else "数据包"
        text = (f"校纪委已于 {short_time(self.received_at)} 收到 {self.unit} {self.year} 年度的{which}"
                f"（导出于 {short_time(self.exported_at)}，{self.form_count} 张表格）")
        if self.verified:
            return text + "，与本机导出的完全一致（回执上校纪委的签名已核对）"
        return text + "（这是旧格式的回执，没有校纪委的签名，无法确认它确实由校纪委签发）"


def confirm_receipt(store: FormStore, path: Path) -> ReceiptConfirmed:
    """Check the receipt (and, for a signed one, the committee's signature against the key
    of the 报送设置), then mark the export received. Raises ReceiptRejected or StoreError."""
    receipt = read_receipt_file(path)
    verified = receipt["version"] >= 2
    if verified:
        committee = trusted_committee(store)
        if committee is None:
            raise ReceiptRejected("本机还没有导入校纪委的报送设置，无法核对回执上的签名")
        check_signature(receipt, committee.public, committee.fingerprint)
    row = apply_receipt(store, receipt, verified=verified)
    return ReceiptConfirmed(row["unit"], row["year"], row["received_at"], row["exported_at"], row["form_count"],
                            verified, row.get("sequence"))


def _when(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def changed_since(store: FormStore, year: int, exported_at: str) -> list[str]:
    """The forms whose content differs from what the export at ``exported_at`` sent:
    changed (digest of the revision current then ≠ now), added, deleted or restored since.
    Read from the revisions every save leaves, so nothing extra is stored at export."""
    exported = _when(exported_at)
    changed = []
    for summary in store.summaries(year=year, include_deleted=True):
        revisions = store.revisions(summary.id)  # newest first; the newest is the current content
        then = next((r for r in revisions if _when(r.saved_at) <= exported), None)
        sent = then is not None and then.note != DELETED_NOTE
        if summary.deleted:
            differs = sent and _when(summary.updated_at) > exported  # deleted after it was sent
        else:
            differs = then is None or not sent or then.digest != revisions[0].digest
        if differs:
            changed.append(name_from(summary.kind, MESSAGE, summary))
    return changed


def export_state(store: FormStore, year: int) -> str:
    """One line for the navigator: exported when, received by the committee or not, and
    whether the data changed since (then the package on its way is no longer the data)."""
    rows = exports(store, year)
    if not rows:
        return "本年度尚未导出数据包"
    latest = rows[0]
    number = f"第 {latest['sequence']} 号" if latest.get("sequence") else ""
    text = f"数据包{number}已导出 {short_time(latest['exported_at'])}"
    changed = changed_since(store, year, latest["exported_at"])
    if changed:
        return text + f"；导出后有修改（{len(changed)} 张表格），请重新导出并报送"
    if latest["received_at"]:
        unsigned = "" if latest.get("receipt_verified") else "（回执未签名，无法核对）"
        return text + f"，校纪委已接收 {short_time(latest['received_at'])}{unsigned}"
    return text + "，尚未收到回执"
