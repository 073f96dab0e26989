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

A unit whose non-blank points share an id within one year (never made by this program:
ids are unique within a form and new ones are drawn for a copied form) is compared by
domain/year_compare.py itself, whose first-come rules for duplicates SQL does not mirror.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from lianzheng_desktop.domain import year_compare as rules
from lianzheng_desktop.domain.definitions import definitions
from lianzheng_desktop.domain.naming import MESSAGE, name_from, placeholders
from lianzheng_desktop.domain.year_compare import CHANGE_KINDS, UnitComparison
from lianzheng_desktop.store.forms import FormStore

# What str.split() and str.strip() take for white space: trim(text, WHITE_SPACE) is empty
# exactly when text.strip() is (tests/test_compare_sql.py checks the list against Python)
WHITE_SPACE = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
               "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
_BY_ID = "idx_risk_points_year_unit_point_id_form_id"  # migration 12: a point's partner by id in the other year
# migration 6: a year's points unit by unit, form by form, about as they lie in the table
_IN_ORDER = "idx_risk_points_order"
_COLUMNS = ("unit", "person", "post", "year", "kind")  # a form's columns risk_points carries


def _words(text: str | None) -> str | None:
    return None if text is None else rules.words(text)


def _not_blank(t: str) -> str:
    """SQL for RiskPoint.is_blank's opposite (texts tested as str.strip() would)."""
    return (f"({t}.self_level IS NOT NULL OR {t}.approved_level IS NOT NULL OR trim({t}.point, :ws) != '' "
            f"OR trim({t}.measures, :ws) != '')")


def _rank(column: str, keys: Iterable[str]) -> str:
    cases = " ".join(f"WHEN '{k}' THEN {i}" for i, k in enumerate(keys))
    return f"CASE {column} {cases} ELSE 99 END"


@dataclass(eq=False)  # compared by identity, as match_forms removes the one it picked
class _Point:
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
            self._values = {k: "" if v is None else str(v)
                            for k, v in zip(self.keys, json.loads(self.raw), strict=True)}
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
    params: dict[str, Any] = {"year": year, "prev": previous, "ws": WHITE_SPACE,
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

    # units whose ids repeat within a year: the domain's own rules (see the module's note)
    # (blank points counted too: a unit found so is compared by the definition itself, which is always right)
    doubled = {u for (u,) in rows(f"SELECT DISTINCT unit FROM (SELECT r.unit FROM risk_points r WHERE r.year IN "
                                  f"(:year, :prev){only} GROUP BY r.year, r.unit, r.point_id HAVING count(*) > 1)")}
    for unit in doubled & set(result):
        result[unit] = rules.compare_unit(unit, year, previous, store.forms(year=year, unit=unit),
                                          store.forms(year=previous, unit=unit)).light()

    # every point counted from an index alone, less the blank ones (unrated: migration 12's partial index)
    for unit, y, category, level, n in rows(f"SELECT r.unit, r.year, r.category, r.self_level, count(*) "
                                            f"FROM risk_points r WHERE r.year IN (:year, :prev){only} "
                                            f"GROUP BY r.unit, r.year, r.category, r.self_level"):
        if unit in result and unit not in doubled:
            result[unit].counts[category, level, y] = n
    for unit, y, category, n in rows(f"SELECT r.unit, r.year, r.category, count(*) FROM risk_points r WHERE "
                                     f"r.year IN (:year, :prev) AND r.self_level IS NULL AND r.approved_level IS NULL "
                                     f"AND trim(r.point, :ws) = '' AND trim(r.measures, :ws) = ''{only} "
                                     f"GROUP BY r.unit, r.year, r.category"):
        if unit in result and unit not in doubled:
            counts = result[unit].counts
            counts[category, None, y] -= n
            if not counts[category, None, y]:
                del counts[category, None, y]

    compared = {u for u, c in result.items() if c.has_current and c.has_previous and u not in doubled}
    differing = _changes(store, result, compared, params, only, krank)
    _unchanged_copies(store, result, compared, forms_per_kind, differing, params, krank)
    return [result[u] for u in names]


def _changes(store: FormStore, result: dict[str, UnitComparison], compared: set[str], params: dict, only: str,
             krank: str) -> Counter:
    """Each compared unit's added, dropped, re-levelled and rewritten points."""
    db = store.db
    # pairs by id that differ in 自评, category, text or measures (texts as typed first: words only when unequal)
    differ = ("(r.self_level IS NOT p.self_level OR r.category != p.category "
              "OR (r.point != p.point AND lz_words(r.point) != lz_words(p.point)) "
              "OR (r.measures != p.measures AND lz_words(r.measures) != lz_words(p.measures)))")
    # one pass over this year's points, each with its partner by id (a LEFT JOIN on the index
    # of migration 12): those without a partner, and pairs that differ, are what may change;
    # then last year's points without a partner by id; those of the two years left over are
    # paired by unit, category and text, the k-th of this year with the k-th of last year in
    # the order of the forms (as match_points pops them)
    found = db.execute(
        f"WITH now AS MATERIALIZED (SELECT r.id, r.unit, r.category, r.point, {krank} AS k, r.seq, r.position, "
        f"{_not_blank('r')} AS kept, p.id AS partner, {_not_blank('p')} AS partner_kept FROM risk_points r "
        f"INDEXED BY {_IN_ORDER} "
        f"LEFT JOIN risk_points p INDEXED BY {_BY_ID} ON p.year = :prev AND p.unit = r.unit "
        f"AND p.point_id = r.point_id WHERE r.year = :year{only} AND (({_not_blank('r')} AND (p.id IS NULL "
        f"OR NOT {_not_blank('p')} OR {differ})) OR (NOT {_not_blank('r')} AND p.id IS NOT NULL AND "
        f"{_not_blank('p')}))), "
        # this year's without a partner; last year's without a point of that id this year (an
        # index alone says so), or whose point of that id is blank this year
        f"loose AS (SELECT id, :year AS year, unit, category, lz_words(point) AS w, k, seq, position FROM now "
        f"WHERE kept AND (partner IS NULL OR NOT partner_kept) UNION ALL "
        f"SELECT r.id, :prev, r.unit, r.category, lz_words(r.point), {krank}, r.seq, r.position FROM risk_points r "
        f"INDEXED BY {_IN_ORDER} WHERE r.year = :prev{only} AND NOT EXISTS (SELECT 1 FROM risk_points o INDEXED BY {_BY_ID} "
        f"WHERE o.year = :year AND o.unit = r.unit AND o.point_id = r.point_id) AND {_not_blank('r')} UNION ALL "
        f"SELECT r.id, :prev, r.unit, r.category, lz_words(r.point), {krank}, r.seq, r.position FROM now "
        f"JOIN risk_points r ON r.id = now.partner WHERE NOT now.kept AND now.partner_kept), "
        f"ranked AS (SELECT *, ROW_NUMBER() OVER (PARTITION BY year, unit, category, w ORDER BY k, seq, position) "
        f"AS n FROM loose) "
        f"SELECT id, partner, 1 FROM now WHERE kept AND partner_kept UNION ALL "
        # the k-th of each year in a group make a pair (an empty text pairs with nothing)
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
    # the pairs by id that differ, by the forms they are in (for _unchanged_copies)
    return Counter((points[a].form_id, points[b].form_id) for a, b, by_id in found if by_id)


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
                      forms_per_kind: dict[tuple[str, int, str], int], differing: Counter, params: dict,
                      krank: str) -> None:
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
    # several paths: one JSON array, the stored form parsed once
    extracted = "json_extract(r.data, " + ", ".join(f"'$.{k}'" for k in [*keys, *keys][:max(2, len(keys))]) + ")"
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
    # them: from the index alone) and how many of those are the same non-blank point —
    # all but those with a blank side and those that differ (found by _changes)
    shared: dict[tuple[str, str], int] = {}
    for now_id, before_id, n in store.db.execute(
            f"SELECT r.form_id, p.form_id, count(*) FROM risk_points r INDEXED BY {_BY_ID} JOIN risk_points p "
            f"INDEXED BY {_BY_ID} ON p.year = :prev AND p.unit = r.unit AND p.point_id = r.point_id "
            f"WHERE r.year = :year AND {among} GROUP BY r.form_id, p.form_id", chosen):
        shared[now_id, before_id] = n
    blank = {(now_id, before_id, pid) for now_id, before_id, pid in store.db.execute(
        f"SELECT CASE r.year WHEN :year THEN r.form_id ELSE p.form_id END, CASE r.year WHEN :year THEN p.form_id "
        f"ELSE r.form_id END, r.point_id FROM risk_points r JOIN risk_points p INDEXED BY {_BY_ID} "
        f"ON p.year = :year + :prev - r.year AND p.unit = r.unit AND p.point_id = r.point_id "
        f"WHERE r.year IN (:year, :prev) AND {among} AND r.self_level IS NULL AND r.approved_level IS NULL "
        f"AND trim(r.point, :ws) = '' AND trim(r.measures, :ws) = ''", chosen)}
    same = Counter(shared)
    same.subtract(Counter((a, b) for a, b, _ in blank))
    same.subtract(differing)
    pairs: dict[str, list[tuple[_Form, _Form]]] = {}
    doubtful: list[str] = []
    for unit in candidates:
        now = sorted(by_unit[unit, year], key=lambda f: f.order)
        before = sorted(by_unit[unit, previous], key=lambda f: f.order)
        matches = rules.match_forms(now, before, shared=lambda a, b: shared.get((a.id, b.id), 0),
                                    name=lambda f: f.name)
        if any(m.current is None or m.previous is None for m in matches):
            continue  # a form without its last year's, or last year's without this year's: not a copy
        found = [(m.current, m.previous) for m in matches if m.current is not None and m.previous is not None]
        if not all(a.kind == b.kind and (a.raw == b.raw or rules.same_fields(a.kind, a.value, b.value))
                   for a, b in found):  # the fields as stored alike, or alike word by word
            continue
        pairs[unit] = found
        # as many points the same by id within the pairs as the unit has (this year and last,
        # as many — a candidate): every pair's points are the same. Fewer: read and compare them
        points = sum(n for (_, _, y), n in result[unit].counts.items() if y == year)
        if sum(same.get((a.id, b.id), 0) for a, b in found) != points:
            doubtful.append(unit)
    content: dict[str, list[tuple]] = defaultdict(list)
    if doubtful:
        ids = json.dumps([f.id for unit in doubtful for pair in pairs[unit] for f in pair])
        for fid, *point in store.db.execute(
                f"SELECT r.form_id, r.category, r.point, r.measures, r.self_level FROM risk_points r WHERE r.form_id "
                f"IN (SELECT value FROM json_each(:ids)) AND {_not_blank('r')}", {**params, "ids": ids}):
            content[fid].append(tuple(point))
    for unit, found in pairs.items():
        result[unit].unchanged_copy = unit not in doubtful or \
            all(rules.same_points(content[a.id], content[b.id]) for a, b in found)
