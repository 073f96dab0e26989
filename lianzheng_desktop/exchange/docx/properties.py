"""The form's identity as custom document properties (Word: 文件 → 属性 → 自定义).

A form written by this program carries its id, kind, year and whose form it is
(the unit, or the post holder) so that reading the file back — after editing in Word or
WPS, or a round trip through LibreOffice — updates the same form instead of adding one.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from xml.etree.ElementTree import Element
from xml.sax.saxutils import escape, quoteattr

from lianzheng_desktop.domain.definitions import definitions
from lianzheng_desktop.domain.model import Form
from lianzheng_desktop.exchange.docx.words import docx_words

CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"  # the one format id of user-defined properties
FORMAT = 1


@dataclass(frozen=True)
class FormProperties:
    form_id: str | None = None
    kind: str | None = None
    year: int | None = None
    who: str | None = None
    format: int | None = None

    @property
    def valid(self) -> bool:
        """Written by this program: a format we know, a real UUID and a kind."""
        return self.format == FORMAT and self.form_id is not None and self.kind in definitions().kind_keys


def _prefix() -> str:
    return docx_words()["write"]["property_prefix"]


def read_properties(custom: Element | None) -> FormProperties:
    if custom is None:
        return FormProperties()
    values: dict[str, str] = {}
    for prop in custom.iter(f"{{{CUSTOM_NS}}}property"):
        name = prop.get("name", "")
        if name.startswith(_prefix()) and len(prop):
            values[name[len(_prefix()):]] = prop[0].text or ""
    try:
        form_id = str(uuid.UUID(values["form_id"])) if "form_id" in values else None
    except ValueError:
        form_id = None
    return FormProperties(form_id=form_id, kind=values.get("kind"), year=_int(values.get("year")),
                          who=values.get("who"), format=_int(values.get("format")))


def _int(text: str | None) -> int | None:
    """An integer property; other programs may re-save it as a real number ("1.0")."""
    if text is None or len(text) > 12:
        return None
    try:
        value = float(text.strip())
    except ValueError:
        return None
    return int(value) if value.is_integer() else None


def custom_xml(form: Form, clean) -> str:
    """docProps/custom.xml for the form; ``clean`` makes text storable in XML."""
    who = form.person if form.kind == "post" else form.unit
    items = [("format", "i4", str(FORMAT)), ("form_id", "lpwstr", form.id), ("kind", "lpwstr", form.kind),
             ("year", "i4", str(form.year)), ("who", "lpwstr", clean(who))]
    props = "".join(
        f'<property fmtid="{FMTID}" pid="{pid}" name={quoteattr(_prefix() + name)}>'
        f"<vt:{vtype}>{escape(value)}</vt:{vtype}></property>"
        for pid, (name, vtype, value) in enumerate(items, start=2))
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Properties xmlns="{CUSTOM_NS}" xmlns:vt="{VT_NS}">{props}</Properties>')
