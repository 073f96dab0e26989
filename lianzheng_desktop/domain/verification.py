"""The short verification code (校验码) printed on every page and recorded in packages.

It is the first 32 bits of the SHA-256 of the form's canonical JSON: any change to the
form gives another code, so a signed paper can be matched to the data it came from.
"""

from __future__ import annotations

import re

from lianzheng_desktop.domain.codec import form_digest
from lianzheng_desktop.domain.model import Form

_CODE = re.compile(r"^[0-9A-F]{4}-?[0-9A-F]{4}$")


def verification_code(form: Form) -> str:
    digest = form_digest(form)[:8].upper()
    return f"{digest[:4]}-{digest[4:]}"


def normalise_code(text: str) -> str | None:
    """A code as typed from paper (any case, with or without the dash, spaces ignored)."""
    compact = "".join(text.split()).upper().replace("－", "-").replace("—", "-")
    if not _CODE.match(compact):
        return None
    compact = compact.replace("-", "")
    return f"{compact[:4]}-{compact[4:]}"
