"""The form's identity as custom document properties (Word: 文件 → 属性 → 自定义).

A form written by this program carries its id, kind, year and whose form it is
(the unit, or the post holder) so that reading the file back — after editing in Word or
WPS, or a round trip through LibreOffice — updates the same form instead of adding one.
It also carries the id and reference code of every risk point in printed order (a few
to a property: Word shows at most 255 characters of one), so that points keep their ids
when the rows still correspond (data format 2).
"""

from __future__ import annotations

import re
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
POINTS = "points."  # points.1, points.2 …: "category/id/ref" entries separated by spaces
POINTS_PER_PROPERTY = 4  # 4 × (category, 36-character id, code) stays under Word's 255
MAX_POINTS = 5000
_REF = re.compile(r"^([a-z]{1,20}-\d{1,4})?$")


@dataclass(frozen=True)
class FormProperties:
    form_id: str | None = None
    kind: str | None = None
    year: int | None = None
    who: str | None = None
    format: int | None = None
    points: tuple[tuple[str, str, str], ...] = ()  # (category, point id, ref) in printed order

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
                          who=values.get("who"), format=_int(values.get("format")), points=_points(values))


def _points(values: dict[str, str]) -> tuple[tuple[str, str, str], ...]:
    """The recorded points, or none at all when any entry is not one this program writes."""
    parts = sorted((int(k[len(POINTS):]), v) for k, v in values.items()
                   if k.startswith(POINTS) and k[len(POINTS):].isdigit() and len(k) < 20)
    if [n for n, _ in parts] != list(range(1, len(parts) + 1)):
        return ()
    entries = [e for _, text in parts for e in text.split()]
    categories = set(definitions().category_keys)
    out = []
    for entry in entries[:MAX_POINTS + 1]:
        pieces = entry.split("/")
        if len(pieces) != 3 or pieces[0] not in categories or not _REF.match(pieces[2]):
            return ()
        try:
            point_id = str(uuid.UUID(pieces[1]))
        except ValueError:
            return ()
        out.append((pieces[0], point_id, pieces[2]))
    return tuple(out) if len(out) <= MAX_POINTS else ()


def point_entries(form: Form, clean) -> list[str]:
    """"category/id/ref" of every point a reader will find in the file, in printed order
    (a row with nothing in it once cleaned is an empty row, as the reader sees it)."""
    entries = []
    for category in definitions().category_keys:
        for r in form.risks_in(category):
            if clean(r.point) or clean(r.measures) or r.self_level is not None or r.approved_level is not None:
                entries.append(f"{category}/{r.id}/{r.ref}")
    return entries


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
    entries = point_entries(form, clean)
    for n, start in enumerate(range(0, len(entries), POINTS_PER_PROPERTY), start=1):
        items.append((f"{POINTS}{n}", "lpwstr", " ".join(entries[start:start + POINTS_PER_PROPERTY])))
    props = "".join(
        f'<property fmtid="{FMTID}" pid="{pid}" name={quoteattr(_prefix() + name)}>'
        f"<vt:{vtype}>{escape(value)}</vt:{vtype}></property>"
        for pid, (name, vtype, value) in enumerate(items, start=2))
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Properties xmlns="{CUSTOM_NS}" xmlns:vt="{VT_NS}">{props}</Properties>')
