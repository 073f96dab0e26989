"""The committee's record of Word files it entered for a unit (代录入).

A department that sends Word files instead of a data package has still reported: the
clerk enters the files, and the entry is a row of the ``packages`` table with
``source = 'word'`` (migration 12), so 报送情况 counts it like a package, a later entry
supersedes it (and can be undone the same way), and a data package the unit sends later
supersedes it in turn. The row keeps what a package row keeps — the forms as they stood
after the entry (``forms.json``) — and the Word files exactly as received (``word/…``).
There is no signature, sequence or sender's clock: ``exported_at`` is the entry's time.
"""

from __future__ import annotations

import hashlib
import json

from lianzheng_desktop import __version__
from lianzheng_desktop.domain.codec import dumps_forms
from lianzheng_desktop.domain.model import Form
from lianzheng_desktop.store.forms import FormStore, now
from lianzheng_desktop.store.packages import WORD, current_row

MEMBER_PREFIX = "word/"


def forms_digest(forms: list[Form]) -> str:
    """What the unit's year holds after an entry (the same forms give the same digest)."""
    return hashlib.sha256(dumps_forms(forms).encode("utf-8")).hexdigest()


def _current_forms_digest(current: dict | None) -> str | None:
    if current is None or current.get("source") != WORD:
        return None
    return json.loads(current["manifest"]).get("forms_sha256")


def record_word_entry(store: FormStore, unit: str, year: int, files: list[tuple[str, bytes]],
                      forms: list[Form]) -> dict | None:
    """Record an entry whose forms are already saved (call inside ``store.writing()``, in
    the same transaction). ``forms``: all the unit's forms of the year after the entry.
    Returns the new row, or None when the year holds exactly what the current entry left
    (nothing new to count)."""
    held = forms_digest(forms)
    current = current_row(store, unit, year)
    if _current_forms_digest(current) == held:
        return None
    stamp = now()
    manifest = {"source": WORD, "unit": unit, "year": year, "entered_at": stamp, "form_count": len(forms),
                "forms_sha256": held,
                "files": [{"name": name, "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
                          for name, data in files]}
    # unique per entry (the entry's time is in it): an entry that brings the year back to
    # what an earlier one left is still a row of its own, as undoing a supersede expects
    text = json.dumps(manifest, ensure_ascii=False, sort_keys=True).encode("utf-8")
    digest = hashlib.sha256(b"word\n" + text).hexdigest()
    with store.writing():
        if current is not None:
            store.db.table("packages").update(current["digest"], {"superseded_at": stamp, "superseded_by": digest})
        row = {"digest": digest, "unit": unit, "year": year, "exported_at": stamp, "imported_at": stamp,
               "app_version": __version__, "form_count": len(forms),
               "manifest": json.dumps(manifest, ensure_ascii=False), "superseded_at": None,
               "content_digest": digest, "sequence": None, "supersedes": None, "signer": None, "verified": 0,
               "sealed": 0, "superseded_by": None, "withdrawn_at": None, "source": WORD}
        store.db.table("packages").insert(row)
        members = [("forms.json", dumps_forms(forms).encode("utf-8"))]
        members += [(MEMBER_PREFIX + name, data) for name, data in files]
        store.db.table("package_members").insert_all(
            ({"content_digest": digest, "name": name, "data": data} for name, data in members), replace=True)
    return row


def word_files(store: FormStore, form_id: str) -> list[tuple[str, bytes]]:
    """The Word files of the entry the form's unit and year currently come from."""
    row = store.db.execute("SELECT unit, year FROM forms WHERE id = ?", [form_id]).fetchone()
    current = current_row(store, row[0], row[1]) if row else None
    if current is None or current.get("source") != WORD:
        return []
    rows = store.db.execute("SELECT name, data FROM package_members WHERE content_digest = ? AND name LIKE ? "
                            "ORDER BY name", [current["content_digest"], MEMBER_PREFIX + "%"]).fetchall()
    return [(name.removeprefix(MEMBER_PREFIX), bytes(data)) for name, data in rows]
