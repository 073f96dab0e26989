"""Form data files (.json): import into the database, export from it."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

from lianzheng_desktop.domain.codec import dumps_forms
from lianzheng_desktop.exchange.formfile import FileRejected, read_forms_file, write_bytes_atomic
from lianzheng_desktop.store import FormStore, StoreError


@dataclass
class FileImported:
    path: Path
    ok: bool
    message: str  # one line: what happened to this file
    problems: list = field(default_factory=list)  # the file's problems (errors and warnings)
    new: int = 0
    changed: int = 0
    same: int = 0


def import_form_file(store: FormStore, path: Path, *, busy_ids: Collection[str] = ()) -> FileImported:
    """One file, whole or not at all. ``busy_ids``: forms open in an editor, not overwritten."""
    name = path.name
    try:
        result = read_forms_file(path)
    except FileRejected as exc:
        return FileImported(path, False, f"{name}：未导入：{exc}", [])
    if not result.ok:
        errors = "；".join(p.message for p in result.problems if p.is_error)
        return FileImported(path, False, f"{name}：未导入：{errors}", result.problems)
    if any(f.id in busy_ids for f in result.forms):
        return FileImported(path, False, f"{name}：未导入：其中的表格正在编辑，请先关闭它", result.problems)
    try:
        saved = store.save_all(result.forms, note=f"导入 {name}")
    except StoreError as exc:
        return FileImported(path, False, f"{name}：未导入：{exc}", result.problems)
    new = sum(r.created for r in saved)
    changed = sum(r.changed and not r.created for r in saved)
    same = len(saved) - new - changed
    return FileImported(path, True, f"{name}：已导入 {len(saved)} 张表格（新增 {new}，更新 {changed}，未变 {same}）",
                        result.problems, new, changed, same)


def export_forms_file(store: FormStore, path: Path, *, year: int | None = None, unit: str | None = None) -> int:
    """The forms as a JSON array file (written whole or not at all); returns how many."""
    forms = store.forms(year=year, unit=unit)
    write_bytes_atomic(path, dumps_forms(forms).encode("utf-8"))
    return len(forms)
