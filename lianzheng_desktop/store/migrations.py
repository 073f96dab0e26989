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


MIGRATIONS = [_v1_forms_and_revisions, _v2_deletion_and_search]
