"""Ordered schema migrations: MIGRATIONS[n] takes a database from version n to n+1.

Never edit a released migration; add a new one. ``PRAGMA user_version`` holds the number.
A migration uses only what it carries itself (private copies below), never the program's
live code: the live code will have moved on by the time an old database is opened.
"""

from __future__ import annotations

import hashlib
import json
import uuid

import sqlite_utils


def _v1_forms_and_revisions(db: sqlite_utils.Database) -> None:
    db.table("forms").create(
        {"id": str, "seq": int, "kind": str, "year": int, "unit": str, "person": str,
         "post": str, "data": str, "digest": str, "created_at": str, "updated_at": str},
        pk="id",
        not_null={"seq", "kind", "year", "unit", "person", "post", "data", "digest",
                  "created_at", "updated_at"},
    )
    db.table("forms").create_index(["year", "unit", "kind"])
    db.table("revisions").create(
        {"id": int, "form_id": str, "saved_at": str, "data": str, "digest": str, "note": str},
        pk="id",
        not_null={"form_id", "saved_at", "data", "digest", "note"},
        foreign_keys=[("form_id", "forms", "id")],
    )
    db.table("revisions").create_index(["form_id", "id"])


def _v2_deletion_and_search(db: sqlite_utils.Database) -> None:
    db.table("forms").add_column("deleted_at", str)
    db.table("risk_points").create(
        {"id": int, "form_id": str, "position": int, "category": str, "point": str,
         "measures": str, "self_level": int, "approved_level": int},
        pk="id",
        not_null={"form_id", "position", "category", "point", "measures"},
        foreign_keys=[("form_id", "forms", "id")],
    )
    db.table("risk_points").create_index(["form_id", "position"])
    # Trigram tokens find any substring of three or more characters: Chinese has no
    # spaces between words, so word tokenizers would see each sentence as one token.
    db.table("risk_points").enable_fts(["point", "measures"], fts_version="FTS5",
                                 tokenize="trigram", create_triggers=True)
    for form_id, data in db.execute("SELECT id, data FROM forms").fetchall():
        db.table("risk_points").insert_all(
            {"form_id": form_id, "position": i, "category": r["category"], "point": r["point"],
             "measures": r["measures"], "self_level": r["self_level"], "approved_level": r["approved_level"]}
            for i, r in enumerate(json.loads(data).get("risks", [])))


def _v1_code(data: str) -> str:
    """The 校验码 of a stored version-1 form: SHA-256 of its JSON object in canonical form."""
    text = json.dumps(json.loads(data), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:8].upper()
    return f"{digest[:4]}-{digest[4:]}"


def _v3_packages_and_codes(db: sqlite_utils.Database) -> None:
    """Data packages: what the committee imported, what a unit exported, who is expected."""
    db.table("forms").add_column("code", str)
    for form_id, data in db.execute("SELECT id, data FROM forms").fetchall():
        db.execute("UPDATE forms SET code = ? WHERE id = ?", [_v1_code(data), form_id])
    db.table("forms").create_index(["code"])
    # committee side: every package imported, newest superseding older ones of a unit/year
    db.table("packages").create(
        {"digest": str, "unit": str, "year": int, "exported_at": str, "imported_at": str,
         "app_version": str, "form_count": int, "manifest": str, "superseded_at": str},
        pk="digest", not_null={"unit", "year", "exported_at", "imported_at", "form_count", "manifest"},
    )
    db.table("packages").create_index(["year", "unit"])
    db.table("expected_units").create({"year": int, "unit": str, "position": int}, pk=("year", "unit"),
                                not_null={"position"})
    # unit side: every package written, and the committee's receipt once it arrives
    db.table("exports").create(
        {"digest": str, "unit": str, "year": int, "exported_at": str, "path": str, "form_count": int,
         "received_at": str, "receipt": str},
        pk="digest", not_null={"unit", "year", "exported_at", "form_count"},
    )


def _v4_sequence_index(db: sqlite_utils.Database) -> None:
    """Each new form takes MAX(seq) + 1: an index keeps that instant for thousands of forms."""
    db.table("forms").create_index(["seq"])


def _v5_revision_codes(db: sqlite_utils.Database) -> None:
    """Each revision keeps the 校验码 it had when saved: a paper signed before a later change
    is found by its code without recomputing old data with today's program."""
    db.table("revisions").add_column("code", str)
    for rev_id, data in db.execute("SELECT id, data FROM revisions").fetchall():
        db.execute("UPDATE revisions SET code = ? WHERE id = ?", [_v1_code(data), rev_id])
    db.table("revisions").create_index(["code"])


def _v6_summary_columns(db: sqlite_utils.Database) -> None:
    """Each risk point carries what the committee's summary shows and filters by — year, unit,
    kind, person, post, 校验码, the form's sequence and its number within its category — so
    counts and pages of rows come from this one table; a deleted form's points leave it."""
    for column, kind in (("year", int), ("unit", str), ("kind", str), ("person", str), ("post", str),
                         ("code", str), ("seq", int), ("number", int)):
        db.table("risk_points").add_column(column, kind)
    # the search index's update trigger would re-index every point though no text changes:
    # set it aside while the new columns are filled, then put back exactly as it was
    trigger = db.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'risk_points_au'").fetchone()
    if trigger:
        db.execute("DROP TRIGGER risk_points_au")
    db.execute("DELETE FROM risk_points WHERE form_id IN (SELECT id FROM forms WHERE deleted_at IS NOT NULL)")
    db.execute("UPDATE risk_points SET year = f.year, unit = f.unit, kind = f.kind, person = f.person, "
               "post = f.post, code = f.code, seq = f.seq FROM forms f WHERE f.id = risk_points.form_id")
    db.execute("UPDATE risk_points SET number = n.number FROM (SELECT id, ROW_NUMBER() OVER "
               "(PARTITION BY form_id, category ORDER BY position) AS number FROM risk_points) n "
               "WHERE n.id = risk_points.id")
    if trigger:
        db.execute(trigger[0])
    # counts by unit × category × level read this index alone; the unit filter starts from it
    db.table("risk_points").create_index(["year", "unit", "category", "self_level"])
    # the summary's natural order (unit; kinds and categories in their declared order; the
    # form's sequence; number) read from an index instead of sorted per query. The order is
    # the one declared when this was written: if forms/ declares other kinds or categories,
    # store/summary.py orders by a different expression and SQLite sorts (slower, still right)
    kinds = " ".join(f"WHEN '{k}' THEN {i}" for i, k in enumerate(("unit", "post")))
    categories = " ".join(f"WHEN '{k}' THEN {i}" for i, k in enumerate(
        ("thought", "duty", "process", "system", "external")))
    db.execute(f"CREATE INDEX idx_risk_points_order ON risk_points (year, unit, CASE kind {kinds} ELSE 99 END, "
               f"seq, CASE category {categories} ELSE 99 END, number)")


APPLICATION_ID = 0x4C5A444B  # "LZDK" in the SQLite header: this program's database, from version 7 on


def _v7_application_id(db: sqlite_utils.Database) -> None:
    """Mark the file as this program's in its header, so that another program's SQLite
    file (which may well have a user_version of its own) is told apart before anything
    is written to it."""
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")


def _v8_keys_and_lineage(db: sqlite_utils.Database) -> None:
    """Trust between unit and committee (issue 13): keys live with the database they belong
    to (backups and a moved file keep them); packages are ordered by lineage, their
    contents kept (a supersede can be undone, attached PDFs viewed); the 报送设置 per year."""
    # this database's own key pairs: a unit's signing key, the committee's key(s); one current
    db.table("own_keys").create(
        {"fingerprint": str, "role": str, "suite": str, "public_key": bytes, "private_key": bytes,
         "created_at": str, "current": int},
        pk="fingerprint", not_null={"role", "suite", "public_key", "private_key", "created_at", "current"})
    # the unit's side: the committee's public key, as imported from its 报送设置 file
    db.table("committee_keys").create(
        {"fingerprint": str, "suite": str, "public_key": bytes, "imported_at": str, "current": int},
        pk="fingerprint", not_null={"suite", "public_key", "imported_at", "current"})
    # the committee's side: each unit's key, pinned on its first signed package
    db.table("unit_keys").create(
        {"unit": str, "fingerprint": str, "suite": str, "public_key": bytes, "pinned_at": str,
         "pinned_by": str, "replaced_at": str, "replaced_by": str},
        pk=("unit", "fingerprint"), not_null={"suite", "public_key", "pinned_at"})
    # both sides: the year's 报送设置 (the committee's own, or as a unit imported it)
    db.table("reporting_settings").create(
        {"year": int, "deadline": str, "units": str, "committee_fingerprint": str, "issued_at": str,
         "imported_at": str},
        pk="year", not_null={"units"})
    for table in ("packages", "exports"):
        for column, kind in (("content_digest", str), ("sequence", int), ("supersedes", str)):
            db.table(table).add_column(column, kind)
    for column, kind in (("signer", str), ("verified", int), ("sealed", int), ("superseded_by", str),
                         ("withdrawn_at", str)):
        db.table("packages").add_column(column, kind)
    db.table("exports").add_column("receipt_verified", int)
    for digest, manifest in db.execute("SELECT digest, manifest FROM packages").fetchall():
        canonical = json.dumps(json.loads(manifest), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        db.execute("UPDATE packages SET content_digest = ?, verified = 0, sealed = 0 WHERE digest = ?",
                   [hashlib.sha256(canonical.encode("utf-8")).hexdigest(), digest])
    db.table("packages").create_index(["content_digest"])
    db.table("exports").create_index(["content_digest"])
    # what an imported package held: forms.json and the PDFs the unit attached
    db.table("package_members").create(
        {"content_digest": str, "name": str, "data": bytes}, pk=("content_digest", "name"), not_null={"data"})


_POINT_NAMESPACE = uuid.UUID("3d6e1b0c-7f4a-4c2e-8a51-0b9d6c2f4e17")  # as domain/codec.py derives them


def _v9_point_ids(db: sqlite_utils.Database) -> None:
    """Data format 2: every risk point has an id (and the reference code it came from).
    Stored forms of format 1 are rewritten as format 2, each point given the id a format-1
    file of the same form gets when read (derived from the form id and the point's
    position), so the unit's PC, the committee's and the packages between them agree; the
    校验码 is unchanged (ids are no part of it), the digest is that of the new content.
    Revisions stay as they were saved. The summary's table gains each point's id."""
    def derived(form_id: str, position: int) -> str:
        return str(uuid.uuid5(_POINT_NAMESPACE, f"{form_id}/{position}"))

    for form_id, text in db.execute("SELECT id, data FROM forms").fetchall():
        data = json.loads(text)
        if data.get("schema", 1) >= 2:
            continue
        data["schema"] = 2
        for i, risk in enumerate(data.get("risks", [])):
            risk.setdefault("id", derived(form_id, i))
            risk.setdefault("ref", "")
        canonical = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        db.execute("UPDATE forms SET data = ?, digest = ? WHERE id = ?",
                   [json.dumps(data, ensure_ascii=False), hashlib.sha256(canonical.encode("utf-8")).hexdigest(),
                    form_id])
    db.table("risk_points").add_column("point_id", str)
    db.table("risk_points").add_column("ref", str)
    trigger = db.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'risk_points_au'").fetchone()
    if trigger:  # no text changes: the search index need not hear of it (as in migration 6)
        db.execute("DROP TRIGGER risk_points_au")
    for row_id, form_id, position in db.execute("SELECT id, form_id, position FROM risk_points").fetchall():
        db.execute("UPDATE risk_points SET point_id = ?, ref = '' WHERE id = ?", [derived(form_id, position), row_id])
    if trigger:
        db.execute(trigger[0])
    db.table("risk_points").create_index(["point_id"])


def _v10_reviews(db: sqlite_utils.Database) -> None:
    """The committee's review (issue 14). Committee side: a round per unit, year and package
    reviewed (the reviewed forms kept as they were), every review action appended with its
    time and reviewer (the current state is the last action per point and field; an undo
    appends the value before), the review file once sent. Unit side: each review file
    applied, as received."""
    db.table("review_rounds").create(
        {"id": str, "unit": str, "year": int, "number": int, "package_digest": str, "package_sequence": int,
         "forms": str, "opened_at": str, "opened_by": str, "sent_at": str, "sent_by": str, "file": bytes,
         "file_digest": str, "closed_at": str, "closed_by": str},
        pk="id", not_null={"unit", "year", "number", "package_digest", "forms", "opened_at"})
    db.table("review_rounds").create_index(["unit", "year", "number"], unique=True)
    db.table("review_actions").create(
        {"id": int, "round_id": str, "form_id": str, "point_id": str, "field": str, "value": str, "at": str,
         "reviewer": str},
        pk="id", not_null={"round_id", "form_id", "point_id", "field", "value", "at", "reviewer"},
        foreign_keys=[("round_id", "review_rounds", "id")])
    db.table("review_actions").create_index(["round_id"])
    db.table("reviews_received").create(
        {"round_id": str, "unit": str, "year": int, "number": int, "file_digest": str, "committee": str,
         "issued_at": str, "applied_at": str, "older": int, "review": str},
        pk="round_id", not_null={"unit", "year", "number", "file_digest", "issued_at", "applied_at", "review"})


def _v11_approved_counts_index(db: sqlite_utils.Database) -> None:
    """Counts by 审定, and by where 审定 differs from 自评 (issue 14), read from an index
    alone as the counts by 自评 are (migration 6)."""
    db.table("risk_points").create_index(["year", "unit", "category", "approved_level", "self_level"])


def _v12_package_source(db: sqlite_utils.Database) -> None:
    """What the committee received from a unit, by how it came: NULL a data package, 'word'
    Word files the clerk entered for the unit (代录入). Both count in 报送情况; a Word entry
    keeps the files as received and the forms it left, so a later one can be undone."""
    db.table("packages").add_column("source", str)


def _v13_committee_levels(db: sqlite_utils.Database) -> None:
    """The committee's own 审定 counted at once (issue 14): ``committee_levels`` is, per unit
    and year, the last 审定 the committee set on each point (by point id) in the unit's
    latest review round — until the committee closes that round having seen the package
    the unit sent after it (which carries the levels the unit applied, or the changes it
    declared); a round closed without a newer package still counts. 不审定 (cleared) is no
    row: the unit's own 审定 counts. The index finds the last action per point at once."""
    db.table("review_actions").create_index(["round_id", "field", "point_id", "id"])
    db.execute("""
        CREATE VIEW committee_levels AS
        SELECT r.unit AS unit, r.year AS year, r.number AS round_number, a.point_id AS point_id,
               CAST(a.value AS INTEGER) AS level
        FROM review_rounds r
        JOIN review_actions a ON a.round_id = r.id AND a.field = 'approved_level' AND a.point_id <> ''
        WHERE r.number = (SELECT max(l.number) FROM review_rounds l WHERE l.unit = r.unit AND l.year = r.year)
          AND (r.closed_at IS NULL OR r.package_digest IN (
                SELECT p.content_digest FROM packages p WHERE p.unit = r.unit AND p.year = r.year
                AND p.superseded_at IS NULL AND p.withdrawn_at IS NULL))
          AND a.id = (SELECT max(b.id) FROM review_actions b WHERE b.round_id = a.round_id
                      AND b.field = 'approved_level' AND b.point_id = a.point_id)
          AND a.value <> 'null'""")


def _v14_reminders(db: sqlite_utils.Database) -> None:
    """The committee's log of reminders (催报) sent: when, how (copied, saved as text or
    Excel), the deadline then, the text, and each unit reminded with what it lacked."""
    db.table("reminders").create(
        {"id": int, "year": int, "sent_at": str, "how": str, "deadline": str, "target": str, "text": str},
        pk="id", not_null={"year", "sent_at", "how", "text"})
    db.table("reminders").create_index(["year", "sent_at"])
    db.table("reminder_units").create(
        {"reminder_id": int, "unit": str, "situation": str}, pk=("reminder_id", "unit"),
        not_null={"situation"}, foreign_keys=[("reminder_id", "reminders", "id")])
    db.table("reminder_units").create_index(["unit"])


def _v15_content_digest(category: str, point: str, measures: str, self_level, approved_level) -> str | None:
    """domain/year_compare.content_digest as it was when migration 15 was written."""
    if not (point.strip() or measures.strip()) and self_level is None and approved_level is None:
        return None
    words = [" ".join(point.split()), " ".join(measures.split())]
    text = json.dumps([category, *words, self_level], ensure_ascii=False)
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def _v15_year_comparison(db: sqlite_utils.Database) -> None:
    """The committee's year comparison (store/year_compare.py) read from indexes: each point
    carries a digest of what it says as the comparison compares points (None: blank), so
    a point and its partner of the other year — by unit and point id — are compared, and
    the forms sharing point ids counted, from one index; the forms of each kind per unit
    counted without reading the forms (deleted_at is the last column, after the stored
    form); the blank points counted from a small index of their own."""
    db.table("risk_points").add_column("content", str)
    trigger = db.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'risk_points_au'").fetchone()
    if trigger:  # no text changes: the search index need not hear of it (as in migration 6)
        db.execute("DROP TRIGGER risk_points_au")
    rows = db.execute("SELECT id, category, point, measures, self_level, approved_level FROM risk_points").fetchall()
    db.conn.executemany("UPDATE risk_points SET content = ? WHERE id = ?",
                        ((_v15_content_digest(*row[1:]), row[0]) for row in rows))
    if trigger:
        db.execute(trigger[0])
    db.execute("CREATE INDEX idx_risk_points_year_unit_point_id_form_id_content ON risk_points "
               "(year, unit, point_id, form_id, content)")
    db.execute("CREATE INDEX idx_forms_year_unit_kind_deleted_at ON forms (year, unit, kind, deleted_at)")
    db.execute("CREATE INDEX idx_risk_points_blank ON risk_points (year, unit, category) WHERE content IS NULL")


def _v16_package_checks(db: sqlite_utils.Database) -> None:
    """报送情况's figures per package (forms, points, the content rules it breaks), kept so
    the workbench opens without decoding every form (store/checks.py)."""
    # if_not_exists: a test may wind the version back past an earlier migration and run on
    db.table("package_checks").create(
        {"digest": str, "version": str, "forms": int, "points": int, "problems": str}, pk="digest",
        not_null={"version", "forms", "points", "problems"}, if_not_exists=True)


def _v17_unit_contacts(db: sqlite_utils.Database) -> None:
    """Whom to reach at each unit of a year's list (the list's columns after the unit's:
    联系人、电话…), shown with the 催报 list."""
    db.table("unit_contacts").create({"year": int, "unit": str, "contact": str}, pk=("year", "unit"),
                                     not_null={"contact"}, if_not_exists=True)


MIGRATIONS = [_v1_forms_and_revisions, _v2_deletion_and_search, _v3_packages_and_codes, _v4_sequence_index,
              _v5_revision_codes, _v6_summary_columns, _v7_application_id, _v8_keys_and_lineage,
              _v9_point_ids, _v10_reviews, _v11_approved_counts_index, _v12_package_source,
              _v13_committee_levels, _v14_reminders, _v15_year_comparison, _v16_package_checks,
              _v17_unit_contacts]
mark_as_ours = _v7_application_id  # store/database.py reads its position: from there on the header is marked
