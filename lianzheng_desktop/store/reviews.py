"""Reviews in the database (migration 10).

Committee side: a round per unit, year and package reviewed (``review_rounds``, the forms
reviewed kept as they were), and every review action appended with its time and reviewer
(``review_actions``): the state is the last value per form, point and field, and undoing
an action appends the value before it, so the record stays whole. A round is open until
its review file is sent; then it is frozen; the committee closes it once it has seen what
the unit changed. Unit side: each review file applied (``reviews_received``).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

from lianzheng_desktop.domain.codec import form_from_json, form_to_json
from lianzheng_desktop.domain.model import Form
from lianzheng_desktop.domain.review import FormReview, state
from lianzheng_desktop.store.errors import StoreError
from lianzheng_desktop.store.forms import FormStore, now


@dataclass
class Round:
    id: str
    unit: str
    year: int
    number: int
    package_digest: str
    package_sequence: int | None
    opened_at: str
    opened_by: str
    sent_at: str | None
    sent_by: str | None
    file_digest: str | None
    closed_at: str | None
    closed_by: str | None

    @property
    def sent(self) -> bool:
        return self.sent_at is not None

    @property
    def closed(self) -> bool:
        return self.closed_at is not None


_ROUND_COLUMNS = ("id, unit, year, number, package_digest, package_sequence, opened_at, opened_by, sent_at, "
                  "sent_by, file_digest, closed_at, closed_by")


def _round(row) -> Round:
    return Round(*row)


def latest_round(store: FormStore, unit: str, year: int) -> Round | None:
    row = store.db.execute(f"SELECT {_ROUND_COLUMNS} FROM review_rounds WHERE unit = ? AND year = ? "
                           "ORDER BY number DESC LIMIT 1", [unit, year]).fetchone()
    return _round(row) if row else None


def rounds(store: FormStore, year: int | None = None) -> list[Round]:
    where, params = ("WHERE year = ?", [year]) if year is not None else ("", [])
    rows = store.db.execute(f"SELECT {_ROUND_COLUMNS} FROM review_rounds {where} ORDER BY unit, number", params)
    return [_round(r) for r in rows.fetchall()]


def open_round(store: FormStore, unit: str, year: int, package: dict, forms: list[Form], reviewer: str) -> Round:
    """A new round reviewing ``package`` (its row) whose forms are ``forms``."""
    last = latest_round(store, unit, year)
    if last is not None and not last.closed:
        raise StoreError(f"{unit} {year} 年度第 {last.number} 轮审核还没有结束")
    with store.writing():
        store.db.table("review_rounds").insert({
            "id": str(uuid.uuid4()), "unit": unit, "year": year, "number": (last.number if last else 0) + 1,
            "package_digest": package["content_digest"], "package_sequence": package.get("sequence"),
            "forms": json.dumps([form_to_json(f) for f in forms], ensure_ascii=False),
            "opened_at": now(), "opened_by": reviewer})
    opened = latest_round(store, unit, year)
    assert opened is not None
    return opened


def reviewed_forms(store: FormStore, round_id: str) -> list[Form]:
    row = store.db.execute("SELECT forms FROM review_rounds WHERE id = ?", [round_id]).fetchone()
    if row is None:
        raise StoreError("没有这一轮审核")
    forms = []
    for obj in json.loads(row[0]):
        form, problems = form_from_json(obj)
        if form is None or any(p.is_error for p in problems):
            raise StoreError("数据库中保存的审核版本已损坏")
        forms.append(form)
    return forms


def actions(store: FormStore, round_id: str) -> list[tuple[str, str, str, Any]]:
    rows = store.db.execute("SELECT form_id, point_id, field, value FROM review_actions WHERE round_id = ? "
                            "ORDER BY id", [round_id]).fetchall()
    return [(f, p, k, json.loads(v)) for f, p, k, v in rows]


def action_log(store: FormStore, round_id: str) -> list[dict]:
    """Every action with its time and reviewer, oldest first."""
    return list(store.db.query("SELECT form_id, point_id, field, value, at, reviewer FROM review_actions "
                               "WHERE round_id = ? ORDER BY id", [round_id]))


def review_state(store: FormStore, round_id: str) -> dict[str, FormReview]:
    return state(actions(store, round_id))


def add_action(store: FormStore, round_id: str, form_id: str, point_id: str, key: str, value: Any,
               reviewer: str) -> None:
    with store.writing():
        row = store.db.execute("SELECT sent_at FROM review_rounds WHERE id = ?", [round_id]).fetchone()
        if row is None:
            raise StoreError("没有这一轮审核")
        if row[0] is not None:
            raise StoreError("这一轮的审核意见已经发给单位，不能再修改")
        store.db.table("review_actions").insert({
            "round_id": round_id, "form_id": form_id, "point_id": point_id, "field": key,
            "value": json.dumps(value, ensure_ascii=False), "at": now(), "reviewer": reviewer})


def mark_sent(store: FormStore, round_id: str, file: bytes, file_digest: str, sent_at: str, by: str) -> None:
    with store.writing():
        store.db.execute("UPDATE review_rounds SET sent_at = ?, sent_by = ?, file = ?, file_digest = ? "
                         "WHERE id = ? AND sent_at IS NULL", [sent_at, by, file, file_digest, round_id])


def sent_file(store: FormStore, round_id: str) -> bytes | None:
    row = store.db.execute("SELECT file FROM review_rounds WHERE id = ?", [round_id]).fetchone()
    return bytes(row[0]) if row and row[0] is not None else None


def close_round(store: FormStore, round_id: str, by: str) -> None:
    with store.writing():
        store.db.execute("UPDATE review_rounds SET closed_at = ?, closed_by = ? WHERE id = ? AND closed_at IS NULL",
                         [now(), by, round_id])


# -- the unit's side -------------------------------------------------------------------


def received(store: FormStore, unit: str | None = None, year: int | None = None) -> list[dict]:
    """The review files applied, newest round first."""
    clauses, params = [], []
    for column, value in (("unit", unit), ("year", year)):
        if value is not None:
            clauses.append(f"{column} = ?")
            params.append(value)
    where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    return list(store.db.query(f"SELECT * FROM reviews_received{where} ORDER BY year DESC, number DESC", params))


def record_received(store: FormStore, row: dict) -> None:
    store.db.table("reviews_received").insert(row)
