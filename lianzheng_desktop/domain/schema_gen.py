"""Generate the published JSON Schema of the form file from forms/fields.toml.

The schema in forms/schema/ is derived, not hand-kept: the reader in this program and
the schema come from one declaration, and a test checks the committed file is current.
Run ``python -m lianzheng_desktop.domain.schema_gen`` after changing fields.toml.
"""

from __future__ import annotations

import json
from typing import Any

from lianzheng_desktop.domain.definitions import Field, definitions
from lianzheng_desktop.paths import forms_dir

SCHEMA_ID = "https://lianzheng.invalid/schema/form.schema.json"


def _type_schema(f: Field) -> dict[str, Any]:
    d = definitions()
    levels = [lv.value for lv in d.levels]
    types: dict[str, dict[str, Any]] = {
        "schema": {"type": "integer", "minimum": 1, "maximum": d.schema_version},
        "uuid": {"type": "string", "format": "uuid"},
        "kind": {"enum": list(d.kind_keys)},
        "year": {"type": "integer", "minimum": d.year_min, "maximum": d.year_max},
        "text": {"type": "string", "maxLength": d.text_max},
        "multiline": {"type": "string", "maxLength": d.text_max},
        "date": {"type": ["string", "null"],
                 "pattern": r"^\d{4}-\d{2}-\d{2}$", "format": "date"},
        "risks": {"type": "array", "items": {"$ref": "#/$defs/risk"}},
        "category": {"enum": list(d.category_keys)},
        "level": {"enum": [*levels, None]},
        "ref": {"type": "string", "pattern": r"^([a-z]{1,20}-\d{1,4})?$"},
    }
    out = types[f.type] | {"title": f.label}
    if f.since > 1:
        out["description"] = f"第 {f.since} 版数据格式起有此键" + ("；不计入校验码" if not f.in_code else "")
    return out


def form_schema() -> dict[str, Any]:
    d = definitions()
    defs: dict[str, Any] = {}
    for kind in d.kind_keys:
        fields = d.fields_for(kind)
        props = {f.key: _type_schema(f) for f in fields}
        props["kind"] = {"const": kind, "title": d.field("kind").label}
        required = [f.key for f in fields if f.required]
        for f in fields:
            if f.required and f.type == "text":
                props[f.key] |= {"pattern": r"\S"}
        defs[kind] = {"title": d.kind(kind).title, "type": "object", "properties": props,
                      "required": required, "additionalProperties": False}
    defs["risk"] = {
        "type": "object",
        "properties": {f.key: _type_schema(f) for f in d.risk_fields},
        "required": [f.key for f in d.risk_fields if f.required],
        "additionalProperties": False,
    }
    defs["form"] = {"oneOf": [{"$ref": f"#/$defs/{k}"} for k in d.kind_keys]}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "廉政风险防控登记表数据文件",
        "description": "一个表格对象，或表格对象的数组。由 forms/fields.toml 生成，请勿手改。",
        "oneOf": [{"$ref": "#/$defs/form"},
                  {"type": "array", "items": {"$ref": "#/$defs/form"}}],
        "$defs": defs,
    }


def schema_text() -> str:
    return json.dumps(form_schema(), ensure_ascii=False, indent=2) + "\n"


def main() -> None:
    path = forms_dir() / "schema" / "form.schema.json"
    path.write_text(schema_text(), encoding="utf-8", newline="\n")
    print(f"已写入 {path}")


if __name__ == "__main__":
    main()
