"""Making, copying, deleting and restoring forms."""

from __future__ import annotations

import uuid
from typing import Any

from lianzheng_desktop.domain.definitions import definitions
from lianzheng_desktop.domain.model import Form
from lianzheng_desktop.domain.naming import MESSAGE, form_name
from lianzheng_desktop.operations import units
from lianzheng_desktop.store import FormStore, StoreError


def singleton_form(store: FormStore, kind: str, year: int) -> Form | None:
    """The year's form of a kind there is one of per unit (the unit form), if it exists."""
    found = store.forms(year=year, kind=kind)
    return found[0] if found else None


def new_form(store: FormStore, kind: str, year: int, unit: str, **values: Any) -> Form:
    """A new empty form of a kind (its first values, e.g. 责任人姓名, given), saved."""
    form = Form(kind=kind, year=year, unit=unit, **values)
    store.save(form, note="新建")
    return form


def duplicate_form(store: FormStore, form_id: str) -> Form:
    """A copy to start another form from. A form there is one of per unit (the unit form)
    becomes a form of the first other kind, keeping what that kind has in common."""
    d = definitions()
    original = store.get(form_id)
    if original is None:
        raise StoreError("这张表格已不在数据库中")
    kind = d.kind(original.kind)
    target = original.kind
    if kind.singleton:
        target = next(k.key for k in d.kinds if not k.singleton)
    keys = {f.key for f in d.fields_for(target)}
    values = {k: v for k, v in original.values.items() if k in keys}
    copy = Form(kind=target, year=original.year, unit=original.unit, filled_on=original.filled_on,
                risks=[r.renewed() for r in original.risks], **values)  # new points
    # the field that names the form (责任人姓名) says it is a copy, or asks to be filled in
    first = next((f for f in d.fields_for(target) if f.required and f.type == "text" and f.key != "unit"), None)
    if first is not None:
        was = getattr(copy, first.key)
        setattr(copy, first.key, was + "（副本）" if target == original.kind else "（请填写）")
    store.save(copy, note=f"由“{form_name(original, MESSAGE)}”复制")
    return copy


def delete_form(store: FormStore, form_id: str) -> str:
    """Mark deleted (kept with its history, restorable); returns the form's name."""
    form = store.get(form_id)
    if form is None:
        raise StoreError("这张表格已不在数据库中")
    store.delete(form_id)
    return form_name(form, MESSAGE)


def restore_deleted(store: FormStore, form_id: str) -> None:
    """Back in the list; on a unit's database it takes the unit's current name (it may
    have been renamed while the form was deleted)."""
    store.undelete(form_id)
    form = store.get(form_id)
    if form is None:
        return
    owner = units.owner(store, form.year)
    if not owner.committee and owner.unit and form.unit != owner.unit:
        form.unit = owner.unit
        store.save(form, note=f"{definitions().field('unit').label}随本单位改为“{owner.unit}”")


def restore_revision(store: FormStore, form_id: str, revision_id: int) -> None:
    """An earlier version made current again (the current one stays in the history)."""
    store.restore(form_id, revision_id)


def new_form_id() -> str:
    return str(uuid.uuid4())
