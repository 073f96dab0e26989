"""The committee's year comparison of every unit, read from SQL (issue 14 item 4, issue 16's
scale): the same results as domain/year_compare.compare_unit, which stays the definition
(and what a unit's own database uses for one form), without reading every form of two
years into Python.

SQLite does the bulk: counts per unit, category and 自评; points joined to last year's by
point id (only pairs that differ come back); points without a partner by id paired by
category and text in the order of the forms (the k-th such point of this year with the
k-th of last year, as match_points pops them). Python builds the few changes found and,
for the units whose form and point counts allow it, checks the unchanged copy by the
domain's own match_forms/same_content rules on light stand-ins for the forms.

A unit two of whose points share an id within one year (never made by this program: ids
are unique within a form and new ones are drawn for a duplicated form) is compared by
domain/year_compare.py itself, whose first-come rules for duplicates SQL does not mirror.

tests/test_compare_sql.py checks over generated two-year data that both give the same.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from lianzheng_desktop.domain import year_compare as rules
from lianzheng_desktop.domain.definitions import definitions
from lianzheng_desktop.domain.naming import MESSAGE, name_from, placeholders
from lianzheng_desktop.domain.year_compare import CHANGE_KINDS, UnitComparison
from lianzheng_desktop.store.forms import FormStore

# migration 15: a point's partner by id in the other year, and what each says (its digest)
_BY_ID = "idx_risk_points_year_unit_point_id_form_id_content"
_COLUMNS = ("unit", "person", "post", "year", "kind")  # a form's columns risk_points carries


def _words(text: str | None) -> str | None:
    return None if text is None else rules.words(text)


def _rank(column: str, keys: Iterable[str]) -> str:
    cases = " ".join(f"WHEN '{k}' THEN {i}" for i, k in enumerate(keys))
    return f"CASE {column} {cases} ELSE 99 END"


@dataclass
class _Point:
    """A point read from SQL, as point_changes reads a RiskPoint (``id``: its point id)."""

    rid: int
    unit: str
    form_id: str
    year: int
    kind: str
    person: str
    post: str
    order: tuple[int, int, int]  # the form's kind and sequence, the point's position: store.forms' order
    category: str
    point: str
    measures: str
    self_level: int | None
    id: str


class _Form:
    """What match_forms and same_content read of a form, from SQL. Compared by identity
    (match_forms removes the one it picked from a list)."""

    def __init__(self, id: str, kind: str, columns: dict[str, Any], order: tuple[int, int], keys: list[str],
                 raw: str):
        self.id, self.kind, self.columns, self.order, self.keys = id, kind, columns, order, keys
        self.raw = raw  # the fields' values as a JSON array, in the order of keys
        self._values: dict[str, str] | None = None
        self._name: str | None = None

    @property
    def values(self) -> dict[str, str]:
        if self._values is None:
            self._values = {k: "" if v is None else str(v) for k, v in zip(self.keys, json.loads(self.raw))}
        return self._values

    def value(self, key: str) -> str:
        return self.values.get(key, "")

    @property
    def name(self) -> str:  # only asked for when no point ids are shared: made when asked
        if self._name is None:
            self._name = name_from(self.kind, MESSAGE, _Named({**self.columns, **self.values}))
        return self._name


class _Named:
    """A form's attributes for its name in messages."""

    def __init__(self, values: dict[str, Any]):
        self.__dict__.update(values)


def compare_all(store: FormStore, year: int, previous: int, units: list[str] | None = None) -> list[UnitComparison]:
    """Each unit of either year (or those named), in the order of their names, compared as
    domain/year_compare.compare_unit compares it, light() (without the forms)."""
    db = store.db
    db.conn.create_function("lz_words", 1, _words, deterministic=True)
    d = definitions()
    krank = _rank("r.kind", d.kind_keys)
    params: dict[str, Any] = {"year": year, "prev": previous,
                              "units": json.dumps(units or [], ensure_ascii=False)}
    only = " AND r.unit IN (SELECT value FROM json_each(:units))" if units is not None else ""

    def rows(sql: str) -> list[tuple]:
        return db.execute(sql, params).fetchall()

    present: dict[int, set[str]] = {year: set(), previous: set()}
    forms_per_kind: dict[tuple[str, int, str], int] = {}
    for unit, y, kind, n in rows(f"SELECT unit, year, kind, count(*) FROM forms r WHERE deleted_at IS NULL "
                                 f"AND year IN (:year, :prev){only} GROUP BY unit, year, kind"):
        present[y].add(unit)
        forms_per_kind[unit, y, kind] = n
    names = units if units is not None else sorted(present[year] | present[previous])
    result = {u: UnitComparison(u, year, previous) for u in names}
    for c in result.values():
        c.has_current, c.has_previous = c.unit in present[year], c.unit in present[previous]

    # units with a point id twice in a year (blank points counted too): the definition itself
    doubled = {u for (u,) in rows(f"SELECT DISTINCT unit FROM (SELECT r.unit FROM risk_points r WHERE r.year IN "
                                  f"(:year, :prev){only} GROUP BY r.year, r.unit, r.point_id HAVING count(*) > 1)")}
    for unit in doubled & set(result):
        result[unit] = rules.compare_unit(unit, year, previous, store.forms(year=year, unit=unit),
                                          store.forms(year=previous, unit=unit)).light()

    # every point counted from an index alone, less the blank ones (migration 15's index of them)
    for unit, y, category, level, n in rows(f"SELECT r.unit, r.year, r.category, r.self_level, count(*) "
                                            f"FROM risk_points r WHERE r.year IN (:year, :prev){only} "
                                            f"GROUP BY r.unit, r.year, r.category, r.self_level"):
        if unit in result and unit not in doubled:
            result[unit].counts[category, level, y] = n
    for unit, y, category, n in rows(f"SELECT r.unit, r.year, r.category, count(*) FROM risk_points r WHERE "
                                     f"r.year IN (:year, :prev) AND r.content IS NULL{only} "
                                     f"GROUP BY r.unit, r.year, r.category"):
        if unit in result and unit not in doubled:
            counts = result[unit].counts
            counts[category, None, y] -= n
            if not counts[category, None, y]:
                del counts[category, None, y]

    compared = {u for u, c in result.items() if c.has_current and c.has_previous and u not in doubled}
    _changes(store, result, compared, params, only, krank)
    _unchanged_copies(store, result, compared, forms_per_kind, params, krank)
    return [result[u] for u in names]


def _changes(store: FormStore, result: dict[str, UnitComparison], compared: set[str], params: dict, only: str,
             krank: str) -> None:
    """Each compared unit's added, dropped, re-levelled and rewritten points."""
    db = store.db
    # this year's points against last year's of the same unit and id, from one index (the
    # digests say whether two points are the same, and a blank point has none): the pairs
    # that differ, and the points without a partner — this year's, and last year's with no
    # point of that id this year or a blank one. Those left over are paired by unit,
    # category and text, the k-th of this year with the k-th of last year in the order of
    # the forms (as match_points pops them); an empty text pairs with nothing
    x_rank = _rank("x.kind", definitions().kind_keys)
    found = db.execute(
        f"WITH now AS MATERIALIZED (SELECT r.id, r.content IS NOT NULL AS kept, p.id AS partner, "
        f"p.content IS NOT NULL AS partner_kept FROM risk_points r INDEXED BY {_BY_ID} "
        f"LEFT JOIN risk_points p INDEXED BY {_BY_ID} ON p.year = :prev AND p.unit = r.unit "
        f"AND p.point_id = r.point_id WHERE r.year = :year{only} AND r.content IS NOT p.content), "
        f"loose_ids AS (SELECT id, :year AS year FROM now WHERE kept AND NOT partner_kept "
        f"UNION ALL SELECT partner, :prev FROM now WHERE NOT kept AND partner_kept "
        f"UNION ALL SELECT r.id, :prev FROM risk_points r INDEXED BY {_BY_ID} WHERE r.year = :prev{only} "
        f"AND r.content IS NOT NULL AND NOT EXISTS (SELECT 1 FROM risk_points o INDEXED BY {_BY_ID} "
        f"WHERE o.year = :year AND o.unit = r.unit AND o.point_id = r.point_id)), "
        f"loose AS (SELECT x.id, l.year, x.unit, x.category, lz_words(x.point) AS w, {x_rank} AS k, x.seq, "
        f"x.position FROM loose_ids l JOIN risk_points x ON x.id = l.id), "
        f"ranked AS (SELECT *, ROW_NUMBER() OVER (PARTITION BY year, unit, category, w ORDER BY k, seq, position) "
        f"AS n FROM loose) "
        f"SELECT id, partner, 1 FROM now WHERE kept AND partner_kept UNION ALL "
        f"SELECT max(CASE WHEN year = :year THEN id END), max(CASE WHEN year = :prev THEN id END), 0 FROM ranked "
        f"GROUP BY unit, category, w, n, CASE WHEN w = '' THEN id END", params).fetchall()
    added = [rid for rid, partner, _ in found if rid is not None and partner is None]
    dropped = [partner for rid, partner, _ in found if rid is None]
    pairs = [(rid, partner) for rid, partner, _ in found if rid is not None and partner is not None]
    wanted = {*added, *dropped, *(i for pair in pairs for i in pair)}
    points = _points(store, wanted, krank)
    labels = {f.key: f.label for f in definitions().risk_fields}
    names: dict[str, str] = _form_names(store, {p.form_id: p for p in points.values()}.values())
    changes_of: dict[str, list[tuple[tuple, rules.PointChange]]] = defaultdict(list)
    for rid, old in [(rid, None) for rid in added] + pairs:
        r = points[rid]
        if r.unit in compared:
            for change in rules.point_changes(r, points[old] if old is not None else None, names[r.form_id],
                                              r.form_id, labels):
                changes_of[r.unit].append(((CHANGE_KINDS.index(change.change), r.order), change))
    for rid in dropped:
        r = points[rid]
        if r.unit in compared:
            changes_of[r.unit].append(((CHANGE_KINDS.index(rules.DROPPED), r.order),
                                       rules.dropped_change(r, names[r.form_id], r.form_id)))
    for unit, changes in changes_of.items():
        result[unit].changes = [change for _, change in sorted(changes, key=lambda item: item[0])]



def _points(store: FormStore, ids: set[int], krank: str) -> dict[int, _Point]:
    out: dict[int, _Point] = {}
    wanted = sorted(ids)
    for start in range(0, len(wanted), 50_000):
        part = json.dumps(wanted[start:start + 50_000])
        for row in store.db.execute(
                f"SELECT r.id, r.unit, r.form_id, r.year, r.kind, r.person, r.post, {krank}, r.seq, r.position, "
                f"r.category, r.point, r.measures, r.self_level, r.point_id FROM risk_points r "
                f"WHERE r.id IN (SELECT value FROM json_each(?))", [part]):
            rid, unit, form_id, y, kind, person, post, k, seq, position, category, point, measures, level, pid = row
            out[rid] = _Point(rid, unit, form_id, y, kind, person or "", post or "", (k, seq, position), category,
                              point, measures, level, pid)
    return out


def _message_fields() -> set[str]:
    d = definitions()
    return {n for k in d.kinds for pattern in k.names[MESSAGE] for n in placeholders(pattern)} - \
        {"short_name", "title", "attachment"}


def _form_names(store: FormStore, points: Iterable[_Point]) -> dict[str, str]:
    """Form id → the form's name in messages, from the columns the points carry (or the
    stored form when a pattern names a field they do not)."""
    points = list(points)
    if _message_fields() <= set(_COLUMNS):
        return {p.form_id: name_from(p.kind, MESSAGE, p) for p in points}
    ids = json.dumps([p.form_id for p in points])
    return {fid: name_from(kind, MESSAGE, _Named(json.loads(data)))
            for fid, kind, data in store.db.execute("SELECT id, kind, data FROM forms WHERE id IN "
                                                    "(SELECT value FROM json_each(?))", [ids])}


def _unchanged_copies(store: FormStore, result: dict[str, UnitComparison], compared: set[str],
                      forms_per_kind: dict[tuple[str, int, str], int], params: dict, krank: str) -> None:
    """unchanged_copy of the units that may be last year's copied unchanged:
    the same forms of each kind and the same points per category and 自评 in both years
    (needed for a copy; the rest are not). For them, the domain's rules on light forms."""
    d = definitions()
    year, previous = params["year"], params["prev"]
    candidates = []
    for unit in sorted(compared):
        c = result[unit]
        same_forms = all(forms_per_kind.get((unit, year, k), 0) == forms_per_kind.get((unit, previous, k), 0)
                         for k in d.kind_keys)
        same_points = {(cat, lv): n for (cat, lv, y), n in c.counts.items() if y == year} == \
            {(cat, lv): n for (cat, lv, y), n in c.counts.items() if y == previous}
        if same_forms and same_points:
            candidates.append(unit)
    if not candidates:
        return
    keys = sorted({k for kind in d.kind_keys for k in rules.content_keys(kind)} | (_message_fields() - set(_COLUMNS)))
    # two paths or more give one JSON array, the stored form parsed once (a single key is asked twice)
    paths = ", ".join(f"'$.{k}'" for k in (keys if len(keys) > 1 else keys * 2))
    extracted = f"json_extract(r.data, {paths})" if keys else "'[]'"
    chosen = {**params, "units": json.dumps(candidates, ensure_ascii=False)}
    among = "r.unit IN (SELECT value FROM json_each(:units))"
    forms: dict[str, _Form] = {}
    by_unit: dict[tuple[str, int], list[_Form]] = defaultdict(list)
    for fid, unit, y, kind, person, post, k, seq, values in store.db.execute(
            f"SELECT r.id, r.unit, r.year, r.kind, r.person, r.post, {krank}, r.seq, {extracted} FROM forms r "
            f"WHERE r.deleted_at IS NULL AND r.year IN (:year, :prev) AND {among}", chosen):
        form = _Form(fid, kind, {"unit": unit, "year": y, "person": person, "post": post}, (k, seq), keys, values)
        forms[fid] = form
        by_unit[unit, y].append(form)
    # per pair of forms the point ids they share (blank points too, as match_forms counts
    # them) and how many of those are the same non-blank point (the same digest): one index
    shared: dict[tuple[str, str], int] = {}
    same: dict[tuple[str, str], int] = {}
    for now_id, before_id, n, equal in store.db.execute(
            f"SELECT r.form_id, p.form_id, count(*), sum(r.content = p.content) FROM risk_points r "
            f"INDEXED BY {_BY_ID} JOIN risk_points p INDEXED BY {_BY_ID} ON p.year = :prev AND p.unit = r.unit "
            f"AND p.point_id = r.point_id WHERE r.year = :year AND {among} GROUP BY r.form_id, p.form_id", chosen):
        shared[now_id, before_id], same[now_id, before_id] = n, equal or 0
    pairs: dict[str, list[tuple[Any, Any]]] = {}
    doubtful: list[str] = []
    for unit in candidates:
        now = sorted(by_unit[unit, year], key=lambda f: f.order)
        before = sorted(by_unit[unit, previous], key=lambda f: f.order)
        matches = rules.match_forms(now, before, shared=lambda a, b: shared.get((a.id, b.id), 0),
                                    name=lambda f: f.name)
        if any(m.current is None or m.previous is None for m in matches):
            continue  # a form without its last year's, or last year's without this year's: not a copy
        found: list[tuple[Any, Any]] = [(m.current, m.previous) for m in matches]
        if not all(a.kind == b.kind and (a.raw == b.raw or rules.same_fields(a.kind, a.value, b.value))
                   for a, b in found):  # the fields as stored alike, or alike word by word
            continue
        pairs[unit] = found
        # as many points the same by id within the pairs as the unit has (this year and last,
        # as many — a candidate): every pair's points are the same. Fewer (typed anew, another
        # point of the same content): read and compare them
        points = sum(n for (_, _, y), n in result[unit].counts.items() if y == year)
        if sum(same.get((a.id, b.id), 0) for a, b in found) != points:
            doubtful.append(unit)
    content: dict[str, list[tuple]] = defaultdict(list)
    if doubtful:
        ids = json.dumps([f.id for unit in doubtful for pair in pairs[unit] for f in pair])
        for fid, *point in store.db.execute(
                "SELECT r.form_id, r.category, r.point, r.measures, r.self_level FROM risk_points r WHERE r.form_id "
                "IN (SELECT value FROM json_each(:ids)) AND r.content IS NOT NULL", {**params, "ids": ids}):
            content[fid].append(tuple(point))
    for unit, both in pairs.items():
        result[unit].unchanged_copy = unit not in doubtful or \
            all(rules.same_points(content[a.id], content[b.id]) for a, b in both)
