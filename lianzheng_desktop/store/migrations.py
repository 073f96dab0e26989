"""Ordered schema migrations: MIGRATIONS[n] takes a database from version n to n+1.

Never edit a released migration; add a new one. ``PRAGMA user_version`` holds the number.
"""

from __future__ import annotations

import json

import sqlite_utils


def _v1_forms_and_revisions(db: sqlite_utils.Database) -> None:
    db["forms"].create(
        {"id": str, "seq": int, "kind": str, "year": int, "unit": str, "person": str,
         "post": str, "data": str, "digest": str, "created_at": str, "updated_at": str},
        pk="id",
        not_null={"seq", "kind", "year", "unit", "person", "post", "data", "digest",
                  "created_at", "updated_at"},
    )
    db["forms"].create_index(["year", "unit", "kind"])
    db["revisions"].create(
        {"id": int, "form_id": str, "saved_at": str, "data": str, "digest": str, "note": str},
        pk="id",
        not_null={"form_id", "saved_at", "data", "digest", "note"},
        foreign_keys=[("form_id", "forms", "id")],
    )
    db["revisions"].create_index(["form_id", "id"])


def _v2_deletion_and_search(db: sqlite_utils.Database) -> None:
    db["forms"].add_column("deleted_at", str)
    db["risk_points"].create(
        {"id": int, "form_id": str, "position": int, "category": str, "point": str,
         "measures": str, "self_level": int, "approved_level": int},
        pk="id",
        not_null={"form_id", "position", "category", "point", "measures"},
        foreign_keys=[("form_id", "forms", "id")],
    )
    db["risk_points"].create_index(["form_id", "position"])
    # Trigram tokens find any substring of three or more characters: Chinese has no
    # spaces between words, so word tokenizers would see each sentence as one token.
    db["risk_points"].enable_fts(["point", "measures"], fts_version="FTS5",
                                 tokenize="trigram", create_triggers=True)
    for row in db.execute("SELECT id, data FROM forms").fetchall():
        index_risks(db, row[0], json.loads(row[1]).get("risks", []))


def index_risks(db: sqlite_utils.Database, form_id: str, risks: list[dict]) -> None:
    """Replace the search rows of one form (called inside the saving transaction)."""
    db.execute("DELETE FROM risk_points WHERE form_id = ?", [form_id])
    db["risk_points"].insert_all(
        ({"form_id": form_id, "position": i, "category": r["category"], "point": r["point"],
          "measures": r["measures"], "self_level": r["self_level"],
          "approved_level": r["approved_level"]} for i, r in enumerate(risks)),
    )


def _v3_packages_and_codes(db: sqlite_utils.Database) -> None:
    """Data packages: what the committee imported, what a unit exported, who is expected."""
    from lianzheng_desktop.domain.codec import form_from_json
    from lianzheng_desktop.domain.verification import verification_code

    db["forms"].add_column("code", str)
    for form_id, data in db.execute("SELECT id, data FROM forms").fetchall():
        form, _ = form_from_json(json.loads(data))
        db.execute("UPDATE forms SET code = ? WHERE id = ?", [verification_code(form), form_id])
    db["forms"].create_index(["code"])
    # committee side: every package imported, newest superseding older ones of a unit/year
    db["packages"].create(
        {"digest": str, "unit": str, "year": int, "exported_at": str, "imported_at": str,
         "app_version": str, "form_count": int, "manifest": str, "superseded_at": str},
        pk="digest", not_null={"unit", "year", "exported_at", "imported_at", "form_count", "manifest"},
    )
    db["packages"].create_index(["year", "unit"])
    db["expected_units"].create({"year": int, "unit": str, "position": int}, pk=("year", "unit"),
                                not_null={"position"})
    # unit side: every package written, and the committee's receipt once it arrives
    db["exports"].create(
        {"digest": str, "unit": str, "year": int, "exported_at": str, "path": str, "form_count": int,
         "received_at": str, "receipt": str},
        pk="digest", not_null={"unit", "year", "exported_at", "form_count"},
    )


def _v4_sequence_index(db: sqlite_utils.Database) -> None:
    """Each new form takes MAX(seq) + 1: an index keeps that instant for thousands of forms."""
    db["forms"].create_index(["seq"])


MIGRATIONS = [_v1_forms_and_revisions, _v2_deletion_and_search, _v3_packages_and_codes, _v4_sequence_index]
