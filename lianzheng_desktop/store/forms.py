"""Saving, listing, searching and restoring forms. Every save appends a revision."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from lianzheng_desktop.domain.codec import form_digest, form_from_json, form_to_json
from lianzheng_desktop.domain.definitions import definitions
from lianzheng_desktop.domain.model import Form
from lianzheng_desktop.domain.verification import verification_code
from lianzheng_desktop.domain.year_compare import content_digest
from lianzheng_desktop.store.database import open_database
from lianzheng_desktop.store.errors import ReadOnlyStore, StoreError, translated


def now() -> str:
    """When a save happened, to the millisecond: a save and an export in the same second
    must still be told apart (operations.sending.changed_since)."""
    return dt.datetime.now().astimezone().isoformat(timespec="milliseconds")


@dataclass(frozen=True)
class SaveResult:
    form_id: str
    changed: bool  # False: the stored form already had exactly this content
    created: bool
    revision_id: int | None


@dataclass(frozen=True)
class FormSummary:
    id: str
    kind: str
    year: int
    unit: str
    person: str
    post: str
    updated_at: str
    deleted: bool


@dataclass(frozen=True)
class Revision:
    id: int
    form_id: str
    saved_at: str
    note: str
    digest: str


@dataclass(frozen=True)
class SearchHit:
    form_id: str
    position: int
    category: str
    point: str
    measures: str


def _order(t: str = "") -> str:
    """Kinds in their declared order (the unit form first), then in the order created."""
    kinds = " ".join(f"WHEN '{k}' THEN {i}" for i, k in enumerate(definitions().kind_keys))
    return f"{t}year, {t}unit, CASE {t}kind {kinds} ELSE 99 END, {t}seq"


def index_risks(db: sqlite_utils.Database, form_id: str, risks: list[dict], form: dict | None) -> None:
    """Replace the rows of one form's risk points, which the search and the committee's
    summary read (store/summary.py); ``form`` holds the form's columns (year, unit, kind,
    person, post, code, seq), None for a deleted form, whose points leave the table."""
    db.execute("DELETE FROM risk_points WHERE form_id = ?", [form_id])
    if form is None:
        return
    numbers: dict[str, int] = {}
    rows = []
    for i, r in enumerate(risks):
        numbers[r["category"]] = numbers.get(r["category"], 0) + 1
        rows.append({"form_id": form_id, "position": i, "category": r["category"], "point": r["point"],
                     "measures": r["measures"], "self_level": r["self_level"],
                     "approved_level": r["approved_level"], "number": numbers[r["category"]],
                     "point_id": r["id"], "ref": r["ref"],
                     "content": content_digest(r["category"], r["point"], r["measures"], r["self_level"],
                                               r["approved_level"]), **form})
    db.table("risk_points").insert_all(rows)


def _summary(row) -> FormSummary:
    fid, kind, year, unit, person, post, updated_at, deleted = row
    return FormSummary(fid, kind, year, unit, person, post, updated_at, bool(deleted))


class FormStore:
    """The forms of one database file."""

    def __init__(self, db: sqlite_utils.Database, *, read_only: bool = False, path: Path | str = ""):
        self.db = db
        self.read_only = read_only
        self.closed = False
        self.path = Path(path) if path else Path(db.conn.execute("PRAGMA database_list").fetchone()[2] or "")

    @classmethod
    def open(cls, path: Path | str, *, read_only: bool = False) -> FormStore:
        return cls(open_database(path, read_only=read_only), read_only=read_only, path=path)

    def close(self) -> None:
        self.db.close()
        self.closed = True

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        """One transaction for a change: begun IMMEDIATE (it takes the write lock first, so a
        busy database is waited for instead of failing half-way), refused when read-only,
        SQLite and disk errors told as StoreErrors. Nested, it is a savepoint."""
        if self.read_only:
            raise ReadOnlyStore("数据库以只读方式打开，不能保存")
        if self.closed:
            raise StoreError("数据库已经关闭，不能保存")
        with translated(self.path):
            conn = self.db.conn
            if conn.in_transaction:
                with self.db.atomic():
                    yield
                return
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                conn.rollback()
                raise
            try:
                conn.execute("COMMIT")
            except BaseException:
                conn.rollback()
                raise

    # -- writing -------------------------------------------------------------

    def save(self, form: Form, note: str = "") -> SaveResult:
        """Store the form and append a revision, in one transaction; no-op if unchanged."""
        with self.writing():
            return self._save(form, note)

    def save_all(self, forms: list[Form], note: str = "") -> list[SaveResult]:
        """Store several forms all together or not at all."""
        with self.writing():
            return [self._save(f, note) for f in forms]

    def _save(self, form: Form, note: str, *, deleted_at: str | None = None) -> SaveResult:
        data = form_to_json(form)
        text = json.dumps(data, ensure_ascii=False)
        digest = form_digest(form)
        row = self.db.execute(
            "SELECT digest, deleted_at, seq FROM forms WHERE id = ?", [form.id]).fetchone()
        if row and row[0] == digest and row[1] == deleted_at:
            return SaveResult(form.id, changed=False, created=False, revision_id=None)
        stamp = now()
        code = verification_code(form)
        columns = {"kind": form.kind, "year": form.year, "unit": data["unit"],
                   "person": form.person, "post": form.post, "data": text, "digest": digest,
                   "code": code, "updated_at": stamp, "deleted_at": deleted_at}
        if row is None:
            seq = self.db.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM forms").fetchone()[0]
            self.db.table("forms").insert({"id": form.id, "seq": seq, "created_at": stamp, **columns})
        else:
            seq = row[2]
            self.db.table("forms").update(form.id, columns)
        revision_id = self.db.table("revisions").insert(
            {"form_id": form.id, "saved_at": stamp, "data": text, "digest": digest,
             "note": note, "code": code}).last_pk
        index_risks(self.db, form.id, data["risks"], None if deleted_at else {
            "year": form.year, "unit": form.unit, "kind": form.kind, "person": form.person, "post": form.post,
            "code": code, "seq": seq})
        return SaveResult(form.id, changed=True, created=row is None, revision_id=revision_id)

    def delete(self, form_id: str) -> SaveResult:
        """Mark a form deleted; it stays in the database with all its revisions."""
        with self.writing():
            return self._save(self._require(form_id, include_deleted=True), "删除",
                              deleted_at=now())

    def undelete(self, form_id: str) -> SaveResult:
        with self.writing():
            return self._save(self._require(form_id, include_deleted=True), "恢复")

    def restore(self, form_id: str, revision_id: int) -> SaveResult:
        """Make an earlier revision current again; the restore is itself a new revision."""
        old = self.revision_form(revision_id)
        if old.id != form_id:
            raise StoreError(f"版本 {revision_id} 不属于这张表格")
        with self.writing():
            return self._save(old, f"恢复到版本 {revision_id}")

    # -- reading -------------------------------------------------------------

    def get(self, form_id: str, *, include_deleted: bool = False) -> Form | None:
        sql = "SELECT data FROM forms WHERE id = ?"
        if not include_deleted:
            sql += " AND deleted_at IS NULL"
        row = self.db.execute(sql, [form_id]).fetchone()
        return _decode(row[0], f"表格 {form_id}") if row else None

    def _require(self, form_id: str, include_deleted: bool = False) -> Form:
        form = self.get(form_id, include_deleted=include_deleted)
        if form is None:
            raise StoreError(f"数据库里没有编号为 {form_id} 的表格")
        return form

    def _where(self, year, unit, kind, include_deleted) -> tuple[str, list]:
        clauses, params = [], []
        for column, value in (("year", year), ("unit", unit), ("kind", kind)):
            if value is not None:
                clauses.append(f"{column} = ?")
                params.append(value)
        if not include_deleted:
            clauses.append("deleted_at IS NULL")
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params

    def forms(self, *, year: int | None = None, unit: str | None = None,
              kind: str | None = None) -> list[Form]:
        """Full forms, unit form first, then post forms in the order they were created."""
        where, params = self._where(year, unit, kind, False)
        rows = self.db.execute(f"SELECT id, data FROM forms{where} ORDER BY {_order()}", params)
        return [_decode(data, f"表格 {fid}") for fid, data in rows.fetchall()]

    def summaries(self, *, year: int | None = None, unit: str | None = None,
                  kind: str | None = None, include_deleted: bool = False) -> list[FormSummary]:
        where, params = self._where(year, unit, kind, include_deleted)
        rows = self.db.execute(
            "SELECT id, kind, year, unit, person, post, updated_at, deleted_at IS NOT NULL "
            f"FROM forms{where} ORDER BY {_order()}", params).fetchall()
        return [_summary(r) for r in rows]

    def has_forms(self) -> bool:
        return self.db.execute("SELECT 1 FROM forms LIMIT 1").fetchone() is not None

    def years(self) -> list[int]:
        rows = self.db.execute(
            "SELECT DISTINCT year FROM forms WHERE deleted_at IS NULL ORDER BY year")
        return [r[0] for r in rows.fetchall()]

    def units(self, year: int | None = None) -> list[str]:
        where, params = self._where(year, None, None, False)
        rows = self.db.execute(f"SELECT DISTINCT unit FROM forms{where} ORDER BY unit", params)
        return [r[0] for r in rows.fetchall()]

    def revisions(self, form_id: str) -> list[Revision]:
        """Newest first."""
        rows = self.db.execute(
            "SELECT id, form_id, saved_at, note, digest FROM revisions "
            "WHERE form_id = ? ORDER BY id DESC", [form_id]).fetchall()
        return [Revision(*r) for r in rows]

    def revision_form(self, revision_id: int) -> Form:
        row = self.db.execute("SELECT data FROM revisions WHERE id = ?", [revision_id]).fetchone()
        if row is None:
            raise StoreError(f"没有编号为 {revision_id} 的历史版本")
        return _decode(row[0], f"历史版本 {revision_id}")

    def search(self, text: str, *, year: int | None = None) -> list[SearchHit]:
        """Risk points whose 具体风险点 or 防控措施 contains the text."""
        text = text.strip()
        if not text:
            return []
        where_year = " AND f.year = ?" if year is not None else ""
        extra = [year] if year is not None else []
        select = ("SELECT r.form_id, r.position, r.category, r.point, r.measures "
                  "FROM risk_points r JOIN forms f ON f.id = r.form_id ")
        if len(text) >= 3:  # trigram index
            phrase = '"' + text.replace('"', '""') + '"'
            sql = (select + "JOIN risk_points_fts ON risk_points_fts.rowid = r.id "
                   "WHERE risk_points_fts MATCH ? AND f.deleted_at IS NULL" + where_year)
            params = [phrase, *extra]
        else:
            like = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            sql = (select + "WHERE (r.point LIKE ? ESCAPE '\\' OR r.measures LIKE ? ESCAPE '\\') "
                   "AND f.deleted_at IS NULL" + where_year)
            params = [like, like, *extra]
        rows = self.db.execute(sql + f" ORDER BY {_order('f.')}, r.position", params)
        return [SearchHit(*r) for r in rows.fetchall()]

    def find_by_code(self, code: str) -> list[FormSummary]:
        """Forms whose current content has this 校验码 (deleted ones included, marked)."""
        rows = self.db.execute(
            "SELECT id, kind, year, unit, person, post, updated_at, deleted_at IS NOT NULL "
            f"FROM forms WHERE code = ? ORDER BY {_order()}", [code]).fetchall()
        return [_summary(r) for r in rows]

    def find_revision_by_code(self, code: str) -> list[tuple[str, int, str]]:
        """Earlier revisions with this code: (form id, revision id, saved at) — paper signed
        before the data changed. Each revision keeps the code it had when it was saved."""
        rows = self.db.execute("SELECT form_id, id, saved_at FROM revisions WHERE code = ? ORDER BY id",
                               [code]).fetchall()
        return [tuple(r) for r in rows]

    def content_hash(self) -> str:
        """A digest of everything stored: tests use it to prove nothing changed."""
        h = hashlib.sha256()
        tables = set(self.db.table_names())
        for table in [t for t in ("forms", "revisions", "packages", "expected_units", "exports", "own_keys",
                                  "committee_keys", "unit_keys", "reporting_settings", "package_members",
                                  "review_rounds", "review_actions", "reviews_received")
                      if t in tables]:
            for row in self.db.execute(f"SELECT * FROM {table} ORDER BY 1"):
                h.update(repr(row).encode())
        return h.hexdigest()


def _decode(text: str, what: str) -> Form:
    try:
        form, problems = form_from_json(json.loads(text))
    except (ValueError, RecursionError) as exc:
        raise StoreError(f"数据库中的{what}已损坏：{exc}") from exc
    if form is None or any(p.is_error for p in problems):
        raise StoreError(f"数据库中的{what}已损坏：" + "；".join(p.message for p in problems))
    return form
