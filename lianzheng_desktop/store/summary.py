"""The committee's summary read from SQLite: which risk points a filter keeps (in order),
pages of them as rows, and counts by unit × category × level — aggregated in SQL, so the
workbench never holds every form of the year in memory.

Every query reads the risk_points table alone (migration 6 gave each point its form's
year, unit, kind, person, post, 校验码 and sequence, and its number within its category).
"""

from __future__ import annotations

import json
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from lianzheng_desktop.domain import level_basis
from lianzheng_desktop.domain.definitions import definitions
from lianzheng_desktop.domain.rows import RiskRow
from lianzheng_desktop.store.forms import FormStore


class _Any:
    def __repr__(self) -> str:
        return "ANY"


ANY: Any = _Any()  # a criterion that keeps everything (None is a value: 未定级)
CRITERIA = ("unit", "kind", "category", "self_level", "approved_level")
SORTABLE = ("unit", "kind", "person", "post", "category", "number", "point", "self_level", "approved_level",
            "measures", "code")
_ROW_COLUMNS = ("id, form_id, unit, kind, person, post, category, number, point, self_level, approved_level, "
                "measures, code, position")


@dataclass(frozen=True)
class SummaryQuery:
    """What the summary shows: one year, the criteria (ANY or a value), text, and order."""

    year: int
    criteria: dict[str, Any] = field(default_factory=dict)  # key in CRITERIA → value (missing: ANY)
    text: str = ""
    differs_only: bool = False  # only points whose 审定 differs from their 自评
    sort: str | None = None  # a key in SORTABLE; None: unit, form, category, number
    descending: bool = False

    def where(self) -> tuple[str, list[Any]]:
        clauses: list[str] = ["year = ?"]
        params: list[Any] = [self.year]
        for key in CRITERIA:
            value = self.criteria.get(key, ANY)
            if value is ANY:
                continue
            if value is None:
                clauses.append(f"{key} IS NULL")
            else:
                clauses.append(f"{key} = ?")
                params.append(value)
        if self.differs_only:
            clauses.append("approved_level IS NOT NULL AND approved_level IS NOT self_level")
        text = self.text.strip()
        if text:
            like = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            names = "person LIKE ? ESCAPE '\\' OR post LIKE ? ESCAPE '\\'"
            if len(text) >= 3:  # the trigram index finds any substring of three or more characters
                clauses.append(f"(id IN (SELECT rowid FROM risk_points_fts WHERE risk_points_fts MATCH ?) OR {names})")
                params += ['"' + text.replace('"', '""') + '"', like, like]
            else:
                clauses.append(f"(point LIKE ? ESCAPE '\\' OR measures LIKE ? ESCAPE '\\' OR {names})")
                params += [like, like, like, like]
        return " AND ".join(clauses), params

    def with_sort(self, key: str | None, descending: bool = False) -> SummaryQuery:
        if key is not None and key not in SORTABLE:
            raise ValueError(f"cannot sort the summary by {key!r}")
        return replace(self, sort=key, descending=descending)


def _rank(column: str, keys: Iterable[str]) -> str:
    """The declared order of kinds or categories as an SQL expression (keys come from forms/)."""
    cases = " ".join(f"WHEN '{k}' THEN {i}" for i, k in enumerate(keys))
    return f"CASE {column} {cases} ELSE 99 END"


def _order(query: SummaryQuery) -> str:
    d = definitions()
    natural = f"unit, {_rank('kind', d.kind_keys)}, seq, {_rank('category', d.category_keys)}, number"
    if query.sort is None:
        return natural
    column = {"kind": _rank("kind", d.kind_keys), "category": _rank("category", d.category_keys)}.get(
        query.sort, query.sort)
    direction = "DESC" if query.descending else "ASC"
    if query.sort in ("self_level", "approved_level"):  # 未定级 after the levels either way
        return f"{column} IS NULL, {column} {direction}, {natural}"
    return f"{column} {direction}, {natural}"


def row_ids(store: FormStore, query: SummaryQuery) -> array:
    """The ids of the points the query keeps, in its order (8 bytes a point)."""
    where, params = query.where()
    cursor = store.db.execute(f"SELECT id FROM risk_points WHERE {where} ORDER BY {_order(query)}", params)
    ids = array("q")
    while chunk := cursor.fetchmany(10_000):
        ids.extend(r[0] for r in chunk)
    return ids


def rows(store: FormStore, ids: Iterable[int]) -> list[RiskRow]:
    """The rows of these points, in the order given (a page of the summary)."""
    wanted = list(ids)
    if not wanted:
        return []
    found: dict[int, RiskRow] = {}
    for start in range(0, len(wanted), 500):  # below SQLite's limit of bound parameters
        part = wanted[start:start + 500]
        marks = ",".join("?" * len(part))
        for r in store.db.execute(f"SELECT {_ROW_COLUMNS} FROM risk_points WHERE id IN ({marks})", part):
            found[r[0]] = RiskRow(*r[1:])
    return [found[i] for i in wanted if i in found]


def all_rows(store: FormStore, year: int) -> Iterator[RiskRow]:
    """Every point of the year in the natural order, read as it is consumed."""
    cursor = store.db.execute(f"SELECT {_ROW_COLUMNS} FROM risk_points WHERE year = ? "
                              f"ORDER BY {_order(SummaryQuery(year))}", [year])
    while chunk := cursor.fetchmany(2_000):
        yield from (RiskRow(*r[1:]) for r in chunk)


def form_data(store: FormStore, year: int, kind: str) -> Iterator[tuple[str, dict]]:
    """(校验码, stored JSON object) of the year's forms of a kind, by unit and as created —
    the stored objects as they are, for reading cells (they were checked when saved)."""
    cursor = store.db.execute("SELECT code, data FROM forms WHERE year = ? AND kind = ? AND deleted_at IS NULL "
                              "ORDER BY unit, seq", [year, kind])
    while chunk := cursor.fetchmany(500):
        yield from ((code, json.loads(data)) for code, data in chunk)


@dataclass
class Selection:
    """What a query keeps: the ids in order, and the counts by unit × category × the value
    of the statistics basis (自评 level by default; domain/level_basis.py)."""

    ids: array
    counts: dict[tuple[str, str, Any], int]


def select(store: FormStore, query: SummaryQuery, basis: str = level_basis.SELF) -> Selection:
    """The ids and the counts of a query, each read the quickest way: from the two indexes
    without text; with text (the whole table is read anyway) in one pass, counted here."""
    if not query.text.strip():
        return Selection(row_ids(store, query), counts(store, query, basis))
    where, params = query.where()
    # "+year": no index for this one — reading the table in index order would look up
    # every row to test its text; the table read straight through and the few kept sorted
    # is quicker
    cursor = store.db.execute(f"SELECT id, unit, category, self_level, approved_level FROM risk_points "
                              f"WHERE +{where} ORDER BY {_order(query)}", params)
    ids = array("q")
    found: Counter = Counter()
    while chunk := cursor.fetchmany(10_000):
        ids.extend(r[0] for r in chunk)
        for _, unit, category, self_level, approved_level in chunk:
            value = level_basis.value_of(basis, self_level, approved_level)
            if value is not level_basis.NOT_COUNTED:
                found[unit, category, value] += 1
    return Selection(ids, dict(found))


def counts(store: FormStore, query: SummaryQuery, basis: str = level_basis.SELF) -> dict[tuple[str, str, Any], int]:
    """(unit, category, value) → number of the points the query keeps; the value is the 自评
    level (or None), the 审定 level (or None), or for 差异 how 审定 changed the 自评."""
    where, params = query.where()
    value, counted = level_basis.sql(basis)
    result = store.db.execute(f"SELECT unit, category, {value} AS v, count(*) FROM risk_points "
                              f"WHERE {where} AND {counted} GROUP BY unit, category, v", params)
    return {(unit, category, v): n for unit, category, v, n in result.fetchall()}


def level_pairs(store: FormStore, year: int) -> dict[tuple[int | None, int | None], int]:
    """(自评, 审定) → number of the year's points (None: 未定级 / 未审定)."""
    result = store.db.execute("SELECT self_level, approved_level, count(*) FROM risk_points WHERE year = ? "
                              "GROUP BY self_level, approved_level", [year])
    return {(s, a): n for s, a, n in result.fetchall()}
