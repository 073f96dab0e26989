"""The short verification code (校验码) printed on every page and recorded in packages.

It is the first 32 bits of the SHA-256 of the form's content in a fixed byte form. The
content is frozen by construction, so that a paper signed today still verifies after
the program learns new fields: every key of format version ``code_base`` (forms/
fields.toml) counts, always; a key added later counts only once it holds something,
and keys marked ``code = false`` (identities) never count. For a form of version 1 this
is exactly its whole JSON object, as codes have always been computed.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from lianzheng_desktop.domain.codec import form_to_json
from lianzheng_desktop.domain.definitions import Field, definitions
from lianzheng_desktop.domain.model import Form

_CODE = re.compile(r"^[0-9A-F]{4}-?[0-9A-F]{4}$")


def _counts(f: Field, value: Any, base: int) -> bool:
    if not f.in_code:
        return False
    if f.since <= base:
        return True
    return value not in (None, "", [])


def code_payload(form: Form) -> dict[str, Any]:
    """The part of the form's JSON that the 校验码 covers."""
    d = definitions()
    base = d.code_base
    fields = {f.key: f for f in d.fields}
    risk_fields = {f.key: f for f in d.risk_fields}
    out = {k: v for k, v in form_to_json(form).items() if _counts(fields[k], v, base)}
    out["schema"] = base  # the code's own version, not the file's
    if "risks" in out:
        out["risks"] = [{k: v for k, v in risk.items() if _counts(risk_fields[k], v, base)}
                        for risk in out["risks"]]
    return out


def verification_code(form: Form) -> str:
    text = json.dumps(code_payload(form), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:8].upper()
    return f"{digest[:4]}-{digest[4:]}"


def normalise_code(text: str) -> str | None:
    """A code as typed from paper (any case, with or without the dash, spaces ignored)."""
    compact = "".join(text.split()).upper().replace("－", "-").replace("—", "-")
    if not _CODE.match(compact):
        return None
    compact = compact.replace("-", "")
    return f"{compact[:4]}-{compact[4:]}"
