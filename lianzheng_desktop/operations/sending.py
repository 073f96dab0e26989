"""The unit's side of reporting: the data package for the committee, and its receipt."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from lianzheng_desktop.domain.crosscheck import check_forms
from lianzheng_desktop.domain.model import Form
from lianzheng_desktop.domain.naming import MESSAGE, form_name, name_from
from lianzheng_desktop.domain.problems import Problem
from lianzheng_desktop.domain.texts import short_time
from lianzheng_desktop.exchange.formfile import write_bytes_atomic
from lianzheng_desktop.exchange.package import SUFFIX, default_name, make_package
from lianzheng_desktop.exchange.receipt import read_receipt_file
from lianzheng_desktop.operations.progress import Progress, step
from lianzheng_desktop.store import FormStore
from lianzheng_desktop.store.packages import apply_receipt, exports, record_export

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

    @property
    def message(self) -> str:
        return f"已导出数据包 {self.path}（{self.forms} 张表格" + ("，含 PDF" if self.with_pdf else "") + "）"


def check_export(store: FormStore, year: int | None, unit: str | None = None) -> ExportCheck:
    """The forms of one unit and year, checked together (errors block the export).

    A unit's database sends all forms of the year (``unit`` None): a form whose 单位 differs
    is an error to fix, never a form silently left out of the package."""
    forms = store.forms(year=year, unit=unit)
    return ExportCheck(forms, check_forms(forms) if forms else [])


def package_path(check: ExportCheck, target: Path) -> Path:
    """A folder gets the default name; a file name gets the package's extension."""
    if target.is_dir():
        return target / check.default_name()
    return target if target.suffix.lower() == SUFFIX else target.with_name(target.name + SUFFIX)


def export_package(store: FormStore, check: ExportCheck, target: Path, *, with_pdf: bool = False,
                   progress: Progress | None = None) -> Exported:
    """Write the package (whole or not at all) and record the export. Rendering the PDFs
    reports to ``progress`` and may be cancelled (Cancelled: nothing written)."""
    if not check.allowed:
        raise ValueError("检查没有通过的表格不能导出")
    path = package_path(check, target)
    forms = check.forms

    def rendering(done: int, total: int) -> None:
        step(progress, done, total, f"正在排版 {form_name(forms[done], MESSAGE)} 的 PDF")

    package = make_package(forms, with_pdf=with_pdf, progress=rendering if progress else None)
    step(progress, len(forms), len(forms), "正在写入数据包")
    write_bytes_atomic(path, package.data)
    record_export(store, package, str(path))
    return Exported(path, len(check.forms), with_pdf)


@dataclass
class ReceiptConfirmed:
    unit: str
    year: int
    received_at: str
    exported_at: str
    form_count: int

    @property
    def message(self) -> str:
        return (f"校纪委已于 {short_time(self.received_at)} 收到 {self.unit} {self.year} 年度的数据包"
                f"（导出于 {short_time(self.exported_at)}，{self.form_count} 张表格），与本机导出的完全一致")


def confirm_receipt(store: FormStore, path: Path) -> ReceiptConfirmed:
    """Raises ReceiptRejected or StoreError with the reason."""
    row = apply_receipt(store, read_receipt_file(path))
    return ReceiptConfirmed(row["unit"], row["year"], row["received_at"], row["exported_at"], row["form_count"])


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
    text = f"数据包已导出 {short_time(latest['exported_at'])}"
    changed = changed_since(store, year, latest["exported_at"])
    if changed:
        return text + f"；导出后有修改（{len(changed)} 张表格），请重新导出并报送"
    if latest["received_at"]:
        return text + f"，校纪委已接收 {short_time(latest['received_at'])}"
    return text + "，尚未收到回执"
