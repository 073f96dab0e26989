"""A filled 附件2 / 附件3 in a .docx read into a Form, with everything that did not fit.

The container is checked first (container.py), the XML becomes paragraphs and tables
(wordml.py), table rows become fields and risks (rows.py); this module finds the kind
from the title, the 单位 / 填表日期 line, the year and the form's identity, and collects
paragraphs outside the table that are not the form's own words as unplaced text.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from lianzheng_desktop.domain.codec import form_to_json
from lianzheng_desktop.domain.definitions import definitions
from lianzheng_desktop.domain.model import Form
from lianzheng_desktop.exchange.docx import words as W
from lianzheng_desktop.exchange.docx.container import MAX_FILE_BYTES, DocxRefused, open_docx, refuse
from lianzheng_desktop.exchange.docx.properties import read_properties
from lianzheng_desktop.exchange.docx.rows import RowReader, Unplaced, is_attachment_text, title_kind
from lianzheng_desktop.exchange.docx.wordml import Body, Table, read_body

# uuid5 namespace for Word files from elsewhere: the same content always gets the same id,
# so importing a file twice does not make two forms (as codec does for hand-written JSON).
DOCX_NAMESPACE = uuid.UUID("0f4f3c1e-6a3b-5d1a-9e0b-3c2d7a9b51e4")
_YEAR = re.compile(r"(?<!\d)(\d{4})\s*年")


@dataclass
class DocxReading:
    """What one Word file gave: the form, the text that found no place, and notes."""

    form: Form
    unplaced: list[Unplaced] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    own: bool = False  # written by this program (its identity came from the file)
    name: str = ""
    written_year: int | None = None  # the year the file itself names (None: none found)


def read_docx(data: bytes, *, name: str, year: int | None = None,
              today: dt.date | None = None) -> DocxReading:
    """Read a filled form; raises DocxRefused (a Chinese message) for anything that is not one.

    ``year``: the registration year chosen by the user; without it, the year comes from the
    file (this program's properties, the title, the 填表日期, the file name) or, failing all,
    from ``today`` (with a note)."""
    parts = open_docx(data, name)
    body = read_body(parts.document, parts.w, parts.styles)
    props = read_properties(parts.custom)
    kind, titles, kind_note = _kind(body, props)
    reader = RowReader(kind=kind, own=props.valid)
    if kind_note:
        reader.note(W.message("note", kind_note, kind_name=definitions().kind(kind).short_name))
    _walk(body, reader)
    unit, filled_on = _header(reader, props.valid)

    year_value, written_year = _year(reader, year, props, titles, filled_on, name, today or dt.date.today())
    form = Form(kind=kind, year=year_value, unit=unit, filled_on=filled_on, risks=reader.risks)
    for key, value in reader.fields.items():
        setattr(form, key, value)
    form.id = _identity(form, props, reader)
    _point_ids(form, props, reader)
    notes = reader.notes + _body_notes(body, parts.comment_count)
    return DocxReading(form, reader.unplaced, notes, props.valid, name, written_year)


def read_docx_file(path: Path, *, year: int | None = None) -> DocxReading:
    """read_docx for a file on disk: its size is checked before it is read."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            refuse("too_large", size=f"{path.stat().st_size / 1024 / 1024:.1f} MB")
        data = path.read_bytes()
    except OSError as exc:
        raise DocxRefused(W.message("refuse", "unreadable", reason=exc.strerror or exc)) from None
    return read_docx(data, name=path.name, year=year)


def _kind(body: Body, props) -> tuple[str, list[str], str | None]:
    """The kind from the title (a second form in the same file is refused), else from the
    labels in the table, else from this program's properties; and the note to give."""
    found: list[tuple[str, str, int]] = []  # (kind, title text, tables seen before it)
    tables = 0
    for block in body.blocks:
        if isinstance(block, Table):
            tables += 1
            for row in block.rows[:3]:  # a title typed into a table row of its own
                texts = [c.text for c in row.cells if not c.continues and W.squash(c.text)]
                if len(texts) == 1 and (kind := title_kind(texts[0], strict=True)):
                    found.append((kind, texts[0], tables - 1))
        elif kind := title_kind(block.text):
            found.append((kind, block.text, tables))
    if not any(isinstance(b, Table) for b in body.blocks):
        refuse("not_a_form")
    forms = [f for i, f in enumerate(found) if i == 0 or f[2] != found[i - 1][2]]
    if len(forms) > 1:
        refuse("several_forms", count=len(forms), titles="、".join(W.squash(t) for _, t, _ in forms))
    if found:
        return found[0][0], [t for _, t, _ in found], None
    d = definitions()
    labels = {W.field_for_label(cell.text) for b in body.blocks if isinstance(b, Table)
              for row in b.rows for cell in row.cells}
    for kind in d.kind_keys:  # a label only this kind has says which kind it is
        others = {f.key for k in d.kind_keys if k != kind for f in d.fields_for(k)}
        own_keys = {f.key for f in d.fields_for(kind)} - others
        if labels & own_keys:
            return kind, [], "kind_from_table"
    if props.valid:
        return props.kind, [], "kind_from_property"
    refuse("not_a_form")
    raise AssertionError  # unreachable: refuse raises


def _walk(body: Body, reader: RowReader) -> None:
    """Rows to the row reader; paragraphs outside tables to the header or unplaced."""
    below_texts = {W.squash(k.below_table) for k in definitions().kinds if k.below_table}
    tables = index = 0
    saw_form_table = False
    for block in body.blocks:
        if isinstance(block, Table):
            tables += 1
            index = 0
            for row in block.rows:
                reader.row(block, row)
            saw_form_table = True
            continue
        text = block.text
        if not W.squash(text):
            continue
        index += 1
        where = (W.message("where", "after_table", table=tables, index=index) if saw_form_table
                 else W.message("where", "before_table", index=index))
        if title_kind(text) or is_attachment_text(text):
            continue
        common = definitions().tables["common"]
        if (W.split_prefixed(text, common["unit_prefix"]) is not None
                or common["filled_on_prefix"].rstrip("：:") in W.squash(text)):
            reader.header.append((text, where))
            continue
        rest = next((r for below in below_texts if (r := W.split_prefixed(text, below)) is not None), None)
        if rest is not None:
            reader.lose(rest, where, W.message("reason", "signature"))
            continue
        reader.lose(text, where, W.message("reason", "outside"))


def _header(reader: RowReader, own: bool) -> tuple[str, dt.date | None]:
    """单位 and 填表日期 from the line above the table (one paragraph, or cells)."""
    common = definitions().tables["common"]
    unit: str | None = None
    filled_on = None
    date_prefix = common["filled_on_prefix"]
    for text, where in reader.header:
        rest = W.split_prefixed(text, common["unit_prefix"])
        if own and rest is not None:  # this program writes 单位 and 填表日期 in two cells
            unit = rest if unit is None else unit
            continue
        date_text = None
        m = re.search(r"[\s\u3000]*".join(map(re.escape, date_prefix.rstrip("：:"))) + r"[\s\u3000]*[：:]?", text)
        before = text
        if m:
            before, date_text = text[:m.start()], text[m.end():]
        rest = W.split_prefixed(before, common["unit_prefix"])
        if rest is not None:
            value = rest if own and m is None else W.tidy(rest)
            if unit is None:
                unit = value
            else:
                reader.lose(value, where, W.message("reason", "duplicate"), ("unit",))
        elif W.squash(before):
            reader.lose(before, where, W.message("reason", "outside"))
        if date_text is not None:
            date, problem = W.parse_date(date_text)
            if problem is not None:
                reader.note(W.message("note", problem, text=W.tidy(date_text)))
                reader.lose(date_text, where, W.message("reason", "bad_date"), ("filled_on",))
            elif date is not None and filled_on is None:
                filled_on = date
                written = W.tidy(date_text)
                own_spelling = f"{date.year}年{date.month}月{date.day}日"
                if W.squash(written) != own_spelling:
                    reader.note(W.message("note", "date_read", text=written, date=date.isoformat()))
    if unit is None:
        reader.note(W.message("note", "no_unit"))
    return unit or "", filled_on


def _year(reader: RowReader, chosen: int | None, props, titles: list[str], filled_on: dt.date | None,
          name: str, today: dt.date) -> tuple[int, int | None]:
    """The form's year, and the year the file names (None when it names none)."""
    d = definitions()
    found: list[tuple[int, str]] = []
    if props.valid and props.year is not None:
        found.append((props.year, "source_property"))
    for title in titles:
        m = _YEAR.search(W.squash(title))
        if m:
            found.append((int(m.group(1)), "source_title"))
    if filled_on is not None:
        found.append((filled_on.year, "source_filled_on"))
    m = re.search(r"(?<!\d)(20\d\d)(?!\d)", name)
    if m:
        found.append((int(m.group(1)), "source_filename"))
    found = [(y, s) for y, s in found if d.year_min <= y <= d.year_max]
    written = found[0][0] if found else None
    if chosen is not None:
        if written is not None and written != chosen:
            reader.note(W.message("note", "year_overridden", found=written, year=chosen))
        return chosen, written
    if found:
        year, source = found[0]
        if source != "source_property":
            reader.note(W.message("note", "year_from", source=W.docx_words()["note"][source], year=year))
        return year, written
    reader.note(W.message("note", "year_default", year=today.year))
    return today.year, None


def _who(form: Form) -> str:
    return form.person if form.kind == "post" else form.unit


def _identity(form: Form, props, reader: RowReader) -> str:
    """The id this program wrote into the file, unless the file is now another form;
    otherwise an id derived from the content (the same file always gets the same id)."""
    if props.valid:
        if props.kind != form.kind:
            reader.note(W.message("note", "kind_mismatch",
                                  kind_name=definitions().kind(form.kind).short_name))
        elif props.who is not None and props.who != _who(form):
            reader.note(W.message("note", "identity_changed", recorded=props.who, actual=_who(form)))
        else:
            reader.note(W.message("note", "own_file"))
            return props.form_id
    content = {k: v for k, v in form_to_json(form).items() if k != "id"}
    content["risks"] = [{k: v for k, v in r.items() if k not in ("id", "ref")} for r in content["risks"]]
    text = json.dumps(content, ensure_ascii=False, sort_keys=True)
    return str(uuid.uuid5(DOCX_NAMESPACE, text))


def _point_ids(form: Form, props, reader: RowReader) -> None:
    """The ids this program recorded, category by category where the file still has as
    many points as it wrote; other points get ids derived from the form's id and their
    position (the same file read twice gives the same ids), never one already taken."""
    d = definitions()
    recorded = props.points if props.valid and props.form_id == form.id else ()
    restored: set[int] = set()
    used: set[str] = set()
    for category in d.category_keys:
        was = [(pid, ref) for c, pid, ref in recorded if c == category]
        read = form.risks_in(category)
        if was and len(was) == len(read) and not used & {pid for pid, _ in was}:
            for risk, (pid, ref) in zip(read, was):
                risk.id, risk.ref = pid, ref
                restored.add(id(risk))
                used.add(pid)
        elif was:
            reader.note(W.message("note", "points_renumbered", category=d.category(category).name,
                                  was=len(was), now=len(read)))
    for position, risk in enumerate(form.risks):
        if id(risk) in restored:
            continue
        n = 0
        while (candidate := str(uuid.uuid5(DOCX_NAMESPACE, f"{form.id}/point/{position}/{n}"))) in used:
            n += 1
        risk.id, risk.ref = candidate, ""
        used.add(candidate)


def _body_notes(body: Body, comments: int) -> list[str]:
    notes = []
    if body.tracked_changes:
        notes.append(W.message("note", "tracked_changes"))
    if comments:
        notes.append(W.message("note", "comments", count=comments))
    if body.alt_chunk:
        notes.append(W.message("note", "alt_chunk"))
    for font, code in dict.fromkeys(body.unknown_symbols):
        notes.append(W.message("note", "unknown_symbol", font=font, code=code, placeholder="\ufffd"))
    return notes


__all__ = ["DocxReading", "DocxRefused", "Unplaced", "read_docx", "read_docx_file"]
