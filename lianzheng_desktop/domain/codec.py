"""Conversion between ``Form`` and the JSON contract (shared/spec/data-format.md).

``form_from_json`` checks every key and type, collects every problem at once and never
raises for bad data; ``form_to_json`` writes exactly the keys of the form's kind, in the
order of forms/fields.toml.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import uuid
from dataclasses import replace
from typing import Any

from lianzheng_desktop.domain.definitions import Field, definitions
from lianzheng_desktop.domain.model import Form, RiskPoint
from lianzheng_desktop.domain.problems import Problem, error

# uuid5 namespace for forms written by hand without an id: the same file always gets
# the same id, so importing it twice does not make two forms.
HAND_WRITTEN_NAMESPACE = uuid.UUID("5b0f8a52-55a7-4b8e-9c43-7d7c1e0f3a61")
# uuid5 namespace for the points of a form read from a file without point ids (format 1):
# derived from the form's id and the point's position, so the same file read twice, on
# the unit's PC and the committee's, gives every point the same id (store/migrations.py
# derives them the same way for forms stored before format 2).
POINT_NAMESPACE = uuid.UUID("3d6e1b0c-7f4a-4c2e-8a51-0b9d6c2f4e17")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_REF = re.compile(r"^[a-z]{1,20}-\d{1,4}$")


def derived_point_id(form_id: str, position: int) -> str:
    return str(uuid.uuid5(POINT_NAMESPACE, f"{form_id}/{position}"))


def type_name(value: Any) -> str:
    d = definitions()
    names = d.messages["type_name"]
    if value is None:
        return names["null"]
    if isinstance(value, bool):
        return names["boolean"]
    if isinstance(value, int):
        return names["integer"]
    if isinstance(value, float):
        return names["number"]
    if isinstance(value, str):
        return names["string"]
    if isinstance(value, list):
        return names["array"]
    return names["object"]


def shown(value: Any) -> str:
    """A value quoted in a message: strings as they are, the rest as JSON, shortened."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:39] + "…"


def is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def form_from_json(obj: Any) -> tuple[Form | None, list[Problem]]:
    """Build a Form from a parsed JSON value.

    Returns the form (even when some values are wrong, so that validation can report
    them too) or None when its kind is unusable, and the structural problems found.
    """
    d = definitions()
    problems: list[Problem] = []

    def err(name: str, path: tuple = (), **values: Any) -> None:
        problems.append(error(d.message("error", name, **values), path))

    if not isinstance(obj, dict):
        err("not_object", actual=type_name(obj))
        return None, problems

    kinds = d.kind_keys
    kind = obj.get("kind")
    kind_field = d.field("kind")
    if "kind" not in obj:
        err("missing", ("kind",), label=kind_field.label)
    elif kind not in kinds:
        err("kind_invalid", ("kind",), label=kind_field.label, value=shown(kind), choices=kind_choices())
    if kind in kinds:
        known = {f.key: f for f in d.fields_for(kind)}
    else:  # accept any key of any kind; require only what every kind requires
        known = {f.key: f for f in d.fields}
        known = {k: f if set(f.kinds) == set(kinds) else replace(f, required=False)
                 for k, f in known.items()}
    for key in obj:
        if key not in known:
            err("unknown_key", (key,), key=shown(key))

    values: dict[str, Any] = {}
    for key, f in known.items():
        if key not in obj:
            if f.required:
                err("missing", (key,), label=f.label)
            continue
        values[key] = _field_value(f, obj[key], err)

    if kind not in kinds:
        return None, problems
    if "id" not in obj or values.get("id") is None:
        values["id"] = _derived_id(obj)
    _point_ids(values.get("risks", []), values["id"], err)
    values = {k: v for k, v in values.items() if v is not None or k == "filled_on"}
    values.setdefault("year", 0)
    values.setdefault("unit", "")
    return Form(**values), problems


def _field_value(f: Field, value: Any, err) -> Any:
    d = definitions()
    path = (f.key,)
    if f.type == "schema":
        if not is_int(value):
            err("schema_type", path, label=f.label, actual=type_name(value))
        elif value > d.schema_version:
            err("schema_newer", path, label=f.label, value=value, supported=d.schema_version)
        elif value < 1:
            err("schema_unknown", path, label=f.label, value=value, supported=d.schema_version)
        else:
            return value
        return None
    if f.type == "uuid":
        try:
            if not isinstance(value, str):
                raise ValueError
            return str(uuid.UUID(value))
        except ValueError:
            err("uuid_invalid", path, label=f.label, value=shown(value))
            return None
    if f.type == "kind":
        return value if value in d.kind_keys else None
    if f.type == "year":
        if not is_int(value):
            err("year_type", path, label=f.label, actual=f"{type_name(value)}“{shown(value)}”")
            return None
        return value  # the range is checked by validation
    if f.type == "date":
        if value is None:
            return None
        parsed = _parse_date(value)
        if parsed is None:
            err("date_invalid", path, label=f.label, value=shown(value))
        return parsed
    if f.type == "risks":
        if not isinstance(value, list):
            err("list_type", path, label=f.label, actual=type_name(value))
            return []
        return [r for i, item in enumerate(value) if (r := _risk(i, item, err)) is not None]
    # text and multiline
    if not isinstance(value, str):
        err("not_text", path, label=f.label, actual=type_name(value))
        return ""
    return value.strip() if f.trim else value


def _point_ids(risks: list[RiskPoint], form_id: str, err) -> None:
    """Ids for the points a file gave none (format 1), and no id twice in one form: the
    committee's review names points by id."""
    seen: set[str] = set()
    label = definitions().risk_field("id").label
    for i, risk in enumerate(risks):
        if not risk.id:
            risk.id = derived_point_id(form_id, i)
        elif risk.id in seen:
            err("risk_id_duplicate", ("risks", i, "id"), index=i + 1, label=label, value=risk.id)
        seen.add(risk.id)


def _parse_date(value: Any) -> dt.date | None:
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def _risk(i: int, item: Any, err) -> RiskPoint | None:
    d = definitions()
    index = i + 1
    path = ("risks", i)
    if not isinstance(item, dict):
        err("risk_not_object", path, index=index, actual=type_name(item))
        return None
    fields = {f.key: f for f in d.risk_fields}
    for key in item:
        if key not in fields:
            err("risk_unknown_key", path + (key,), index=index, key=shown(key))
    category = item.get("category")
    cat_field = fields["category"]
    if "category" not in item:
        err("risk_category_missing", path + ("category",), index=index, label=cat_field.label)
        category = ""
    elif category not in d.category_keys:
        choices = "、".join(f"{c.key}（{c.name}）" for c in d.categories)
        err("risk_category_invalid", path + ("category",), index=index,
            label=cat_field.label, value=shown(category), choices=choices)
        category = ""
    cat_name = d.category(category).name if category else cat_field.label
    risk = RiskPoint(category=category, id="")  # no id: one is derived once the form's is known
    for key, f in fields.items():
        if key == "category" or key not in item:
            continue
        value = item[key]
        if f.type == "uuid":
            try:
                if not isinstance(value, str):
                    raise ValueError
                risk.id = str(uuid.UUID(value))
            except ValueError:
                err("risk_uuid_invalid", path + (key,), index=index, category=cat_name, label=f.label,
                    value=shown(value))
        elif f.type == "ref":
            if isinstance(value, str) and (value == "" or _REF.match(value)):
                risk.ref = value
            else:
                err("risk_ref_invalid", path + (key,), index=index, category=cat_name, label=f.label,
                    value=shown(value))
        elif f.type == "level":
            if value is None or (is_int(value) and value in {lv.value for lv in d.levels}):
                setattr(risk, key, value)
            else:
                err("risk_level_invalid", path + (key,), index=index, category=cat_name,
                    label=f.label, value=shown(value), choices=level_choices())
        elif isinstance(value, str):
            setattr(risk, key, value)
        else:
            err("risk_text_type", path + (key,), index=index, category=cat_name,
                label=f.label, actual=type_name(value))
    return risk


def kind_choices() -> str:
    return "、".join(f"{k.key}（{k.short_name}）" for k in definitions().kinds)


def level_choices() -> str:
    names = [lv.name for lv in definitions().levels]
    return "、".join(names[:-1]) + "或" + names[-1]


def _derived_id(obj: dict) -> str:
    content = {k: v for k, v in obj.items() if k != "id"}
    text = json.dumps(content, ensure_ascii=False, sort_keys=True, default=str)
    return str(uuid.uuid5(HAND_WRITTEN_NAMESPACE, text))


def form_to_json(form: Form) -> dict[str, Any]:
    """The contract's JSON object for a form: its kind's keys in forms/ order, in the
    current format version (a form read from an older file is written as current)."""
    d = definitions()
    out: dict[str, Any] = {}
    for f in d.fields_for(form.kind):
        value = getattr(form, f.key)
        if f.type == "schema":
            value = d.schema_version
        elif f.type == "date":
            value = value.isoformat() if value else None
        elif f.type == "risks":
            value = [_risk_to_json(r) for r in value]
        elif f.trim and isinstance(value, str):
            value = value.strip()
        out[f.key] = value
    return out


def _risk_to_json(risk: RiskPoint) -> dict[str, Any]:
    return {f.key: getattr(risk, f.key) for f in definitions().risk_fields}


def canonical_json(form: Form) -> bytes:
    """The form's content in one fixed byte form: the base of digests and 校验码."""
    return json.dumps(
        form_to_json(form), ensure_ascii=False, sort_keys=True, separators=(",", ":")
    ).encode("utf-8")


def form_digest(form: Form) -> str:
    return hashlib.sha256(canonical_json(form)).hexdigest()


def dumps_forms(forms: list[Form]) -> str:
    """A JSON array of forms as written to files: readable, UTF-8, no escapes."""
    return json.dumps([form_to_json(f) for f in forms], ensure_ascii=False, indent=2) + "\n"
