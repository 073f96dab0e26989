"""The committee's summary read from SQLite: which risk points a filter keeps (in order),
pages of them as rows, and counts by unit × category × level — aggregated in SQL, so the
workbench never holds every form of the year in memory.

Every query reads the risk_points table (migration 6 gave each point its form's year,
unit, kind, person, post, 校验码 and sequence, and its number within its category) — with
one exception: 审定 is the one in effect at the committee. Where the committee has set a
point's 审定 in its review and the unit's data does not carry it yet (the view
committee_levels, migration 13), that level counts, filters, sorts and shows, and the row
says which round set it. A year without such levels reads risk_points alone, from its
indexes, as before.
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
                "measures, code, position, approved_round")
_POINT_COLUMNS = ("id", "form_id", "year", "unit", "kind", "person", "post", "category", "number", "point",
                  "self_level", "measures", "code", "position", "seq")


# the committee's levels of the year (committee_levels, migration 13), each found once by
# its point id and unit and named by its row in risk_points: the lookups below are by rowid
_WITH = ("WITH committee AS MATERIALIZED (SELECT p.id AS rid, c.level AS level, c.round_number AS round_number "
         "FROM committee_levels c CROSS JOIN risk_points p INDEXED BY idx_risk_points_point_id "
         "ON p.point_id = c.point_id AND p.unit = c.unit AND p.year = c.year WHERE c.year = ?) ")
_COLUMNS = ", ".join(f"p.{c} AS {c}" for c in _POINT_COLUMNS)
# the year's points with the 审定 in effect
_EFFECTIVE = (f"(SELECT {_COLUMNS}, coalesce(c.level, p.approved_level) AS approved_level, "
              "c.round_number AS approved_round FROM risk_points p LEFT JOIN committee c ON c.rid = p.id "
              "WHERE p.year = ?) risk_points")
# only the points the committee has set a level on: with the unit's 审定, and with the committee's
_OVERLAID = "committee c CROSS JOIN risk_points p ON p.id = c.rid"
_UNITS = f"(SELECT {_COLUMNS}, p.approved_level AS approved_level, NULL AS approved_round FROM {_OVERLAID}) risk_points"
_COMMITTEES = (f"(SELECT {_COLUMNS}, c.level AS approved_level, c.round_number AS approved_round "
               f"FROM {_OVERLAID}) risk_points")


def _over(rest: str, table: str) -> str:
    """A query's text (``rest`` says FROM {table}) over the table or derived table given."""
    return rest.replace("{table}", table)


def committee_set(store: FormStore, year: int) -> bool:
    """Whether the committee has set 审定 on any point of the year that the unit's data
    does not carry yet (committee_levels, migration 13)."""
    return bool(store.db.execute("SELECT EXISTS (SELECT 1 FROM committee_levels WHERE year = ?)",
                                 [year]).fetchone()[0])


def committee_points(store: FormStore, year: int) -> int:
    """How many of the year's points count with a 审定 the committee set in its review and
    the unit's data does not carry yet."""
    if not committee_set(store, year):
        return 0
    return store.db.execute(_WITH + "SELECT count(*) FROM committee", [year]).fetchone()[0]


def _execute(store: FormStore, year: int, rest: str, params: Iterable[Any]):
    """``SELECT <rest>`` where ``rest`` reads FROM {table}: risk_points itself when the
    committee has set no level (its indexes serve every query), else the points with the
    审定 in effect."""
    if not committee_set(store, year):
        return store.db.execute("SELECT " + _over(rest, "risk_points"), list(params))
    return store.db.execute(_WITH + "SELECT " + _over(rest, _EFFECTIVE), [year, year, *params])


def _grouped(store: FormStore, year: int, rest: str, params: list[Any]) -> dict[tuple, int]:
    """A GROUP BY count (``rest`` ends in count(*)'s query) with the 审定 in effect, kept as
    quick as the count over risk_points' indexes: that count, less what the points the
    committee set a level on count for with the unit's 审定, plus what they count for
    with the committee's."""
    found = {tuple(key): n for *key, n in store.db.execute("SELECT " + _over(rest, "risk_points"), params)}
    if committee_set(store, year):
        both = f"SELECT -1, {_over(rest, _UNITS)} UNION ALL SELECT 1, {_over(rest, _COMMITTEES)}"
        corrections = store.db.execute(_WITH + both, [year, *params, *params])
        for sign, *key, n in corrections:
            k = tuple(key)
            found[k] = found.get(k, 0) + sign * n
            if not found[k]:
                del found[k]
    return found


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

    @property
    def depends_on_approved(self) -> bool:
        """Whether the points kept, or their order, depend on 审定."""
        return (self.criteria.get("approved_level", ANY) is not ANY or self.differs_only
                or self.sort == "approved_level")

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
    rest = f"id FROM {{table}} WHERE {where} ORDER BY {_order(query)}"
    if query.depends_on_approved:
        cursor = _execute(store, query.year, rest, params)
    else:  # the same ids whatever the 审定: read from risk_points' indexes
        cursor = store.db.execute("SELECT " + _over(rest, "risk_points"), params)
    ids = array("q")
    while chunk := cursor.fetchmany(10_000):
        ids.extend(r[0] for r in chunk)
    return ids


def rows(store: FormStore, ids: Iterable[int]) -> list[RiskRow]:
    """The rows of these points, in the order given (a page of the summary), with the
    审定 in effect at the committee."""
    wanted = list(ids)
    if not wanted:
        return []
    found: dict[int, RiskRow] = {}
    plain = _ROW_COLUMNS.replace("approved_round", "NULL AS approved_round")
    years: set[int] = set()
    for start in range(0, len(wanted), 500):  # below SQLite's limit of bound parameters
        part = wanted[start:start + 500]
        marks = ",".join("?" * len(part))
        for r in store.db.execute(f"SELECT {plain}, year FROM risk_points WHERE id IN ({marks})", part):
            found[r[0]] = RiskRow(*r[1:-1])
            years.add(r[-1])
    for year in years:
        if committee_set(store, year):
            for point, level, number in store.db.execute(_WITH + "SELECT rid, level, round_number FROM committee",
                                                         [year]):
                if point in found:
                    found[point] = replace(found[point], approved_level=level, approved_round=number)
    return [found[i] for i in wanted if i in found]


def all_rows(store: FormStore, year: int) -> Iterator[RiskRow]:
    """Every point of the year in the natural order, read as it is consumed, with the 审定
    in effect at the committee."""
    plain = _ROW_COLUMNS.replace("approved_round", "NULL AS approved_round")
    cursor = store.db.execute(f"SELECT {plain} FROM risk_points WHERE year = ? "
                              f"ORDER BY {_order(SummaryQuery(year))}", [year])
    committee = {} if not committee_set(store, year) else {
        point: (level, number) for point, level, number in store.db.execute(
            _WITH + "SELECT rid, level, round_number FROM committee", [year])}
    while chunk := cursor.fetchmany(2_000):
        for r in chunk:
            row = RiskRow(*r[1:])
            if r[0] in committee:
                level, number = committee[r[0]]
                row = replace(row, approved_level=level, approved_round=number)
            yield row


RULE_COLUMNS = ("unit", "form_id", "kind", "person", "post", "position", "category", "number", "point", "measures",
                "self_level", "approved_level")


def rule_rows(store: FormStore, year: int) -> Iterator[tuple]:
    """Every point of the year as the quality rules read it: plain tuples of RULE_COLUMNS
    in all_rows' order, with the 审定 in effect at the committee (no RiskRow objects: the
    committee's scan reads 110,000 of them)."""
    cursor = store.db.execute(f"SELECT id, {', '.join(RULE_COLUMNS)} FROM risk_points WHERE year = ? "
                              f"ORDER BY {_order(SummaryQuery(year))}", [year])
    committee = {} if not committee_set(store, year) else {
        point: level for point, level, _ in store.db.execute(
            _WITH + "SELECT rid, level, round_number FROM committee", [year])}
    while chunk := cursor.fetchmany(5_000):
        if committee:
            yield from ((*r[1:-1], committee[r[0]]) if r[0] in committee else r[1:] for r in chunk)
        else:
            yield from (r[1:] for r in chunk)


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
    cursor = _execute(store, query.year, f"id, unit, category, self_level, approved_level FROM {{table}} "
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
    rest = (f"unit, category, {value} AS v, count(*) FROM {{table}} WHERE {where} AND {counted} "
            "GROUP BY unit, category, v")
    if basis == level_basis.SELF and not query.depends_on_approved:  # the same whatever the 审定
        return {(unit, category, v): n for unit, category, v, n in
                store.db.execute("SELECT " + _over(rest, "risk_points"), params)}
    return _grouped(store, query.year, rest, params)


def level_pairs(store: FormStore, year: int) -> dict[tuple[int | None, int | None], int]:
    """(自评, 审定) → number of the year's points (None: 未定级 / 未审定)."""
    return _grouped(store, year, "self_level, approved_level, count(*) FROM {table} WHERE year = ? "
                    "GROUP BY self_level, approved_level", [year])


# -- rows for a spreadsheet file, as SQLite gives them (exchange/sheetxml.py) -----------------
#
# The Excel summary of 1,000 units has 1.2 million cells; each value is made ready here, in
# SQLite's C code, not per cell in Python: the names shown for kinds, categories and levels,
# text longer than a spreadsheet cell holds cut with a note, & < > escaped for XML, an empty
# text as NULL (no cell). Each row ends with one more value: None, or when a text was cut a
# JSON object: column number → length of that column's text.


@dataclass(frozen=True)
class CellLimit:
    characters: int  # the most a cell holds
    note: str  # what replaces the end of a longer text


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _xml(expression: str) -> str:
    """& < > escaped; replace() only where instr() finds one (a third of the time)."""
    found = f"instr({expression}, '&') OR instr({expression}, '<') OR instr({expression}, '>')"
    escaped = f"replace(replace(replace({expression}, '&', '&amp;'), '<', '&lt;'), '>', '&gt;')"
    return f"CASE WHEN {found} THEN {escaped} ELSE {expression} END"


def _names(column: str, names: dict[Any, str], default: str = "NULL") -> str:
    cases = " ".join(f"WHEN {k if isinstance(k, int) else _quote(k)} THEN {_quote(v)}" for k, v in names.items())
    return f"CASE {column} {cases} ELSE {default} END"


def _text(expression: str, limit: CellLimit) -> str:
    """Text cut to the limit, escaped; the column named only where needed (each mention
    of an expression is evaluated again)."""
    keep = limit.characters - len(limit.note)
    return (f"CASE WHEN length({expression}) > {limit.characters} "
            f"THEN {_xml(f'substr({expression}, 1, {keep})')} || {_quote(_escaped(limit.note))} "
            f"ELSE NULLIF({_xml(expression)}, '') END")


def _escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _cut_marker(texts: list[tuple[int, str]], limit: CellLimit) -> str:
    if not texts:
        return "NULL"
    lengths = [f"coalesce(length({t}), 0)" for _, t in texts]
    longest = lengths[0] if len(lengths) == 1 else f"max({', '.join(lengths)})"
    pairs = ", ".join(f"'{i}', {length}" for (i, _), length in zip(texts, lengths, strict=True))
    return f"CASE WHEN {longest} > {limit.characters} THEN json_object({pairs}) END"


def point_sheet_rows(store: FormStore, year: int, keys: list[str], limit: CellLimit) -> Iterator[tuple]:
    """The year's points in the natural order, one tuple of cell values per point (``keys``:
    risk_points columns, as forms/columns.toml lists them for the summary)."""
    d = definitions()
    levels = {lv.value: lv.name for lv in d.levels}
    special = {"kind": _names("kind", {k.key: k.short_name for k in d.kinds}, "kind"),
               "category": _names("category", {c.key: c.name for c in d.categories}),
               "self_level": _names("self_level", levels), "approved_level": _names("approved_level", levels),
               "number": "number", "year": "year", "position": "position"}
    committee = committee_set(store, year)
    if committee:  # the 审定 in effect: the committee's where it set one (as all_rows gives it)
        special["approved_level"] = _names("coalesce(c.level, approved_level)", levels)
    texts = [(i, k) for i, k in enumerate(keys) if k not in special]
    columns = [special.get(k) or _text(k, limit) for k in keys]
    joined = "risk_points LEFT JOIN committee c ON c.rid = risk_points.id" if committee else "risk_points"
    sql = (f"SELECT {', '.join(columns)}, {_cut_marker(texts, limit)} FROM {joined} WHERE year = ? "
           f"ORDER BY {_order(SummaryQuery(year))}")
    cursor = store.db.execute(_WITH + sql, [year, year]) if committee else store.db.execute(sql, [year])
    while chunk := cursor.fetchmany(5_000):
        yield from chunk


def form_sheet_rows(store: FormStore, year: int, kind: str, keys: list[str], limit: CellLimit,
                    numbers: Iterable[str] = ("year",), dates: Iterable[str] = ()) -> Iterator[tuple]:
    """The year's forms of a kind, by unit and as created, one tuple per form: a key of the
    form's data, or "code", "risk_count" (all its rows), "level:N" (its rows of 自评 level N)."""
    numbers, dates = set(numbers), set(dates)
    counted = sorted({int(k[6:]) for k in keys if k.startswith("level:")})
    extracted = [f"json_extract(f.data, {_quote('$.' + key)}) AS v{i}" for i, key in enumerate(keys)
                 if key not in ("code", "risk_count") and not key.startswith("level:")]
    columns, texts = [], []
    for i, key in enumerate(keys):
        if key == "code":
            columns.append(_xml("NULLIF(code, '')"))
        elif key == "risk_count":
            columns.append("coalesce(n, 0)")
        elif key.startswith("level:"):
            columns.append(f"coalesce(l{int(key[6:])}, 0)")
        elif key in numbers:
            columns.append(f"v{i}")
        elif key in dates:
            columns.append(f"NULLIF(v{i}, '')")
        else:
            columns.append(_text(f"v{i}", limit))
            texts.append((i, f"v{i}"))
    level_sums = "".join(f", sum(self_level IS {v}) AS l{v}" for v in counted)
    levels = "".join(f", c.l{v}" for v in counted)
    # each value taken from the JSON once (MATERIALIZED: SQLite would otherwise put the
    # json_extract back into every place the column is used, and parse the form each time)
    sql = (f"WITH c AS MATERIALIZED (SELECT form_id, count(*) AS n{level_sums} FROM risk_points "
           f"WHERE year = ? AND kind = ? GROUP BY form_id), "
           f"v AS MATERIALIZED (SELECT f.unit AS sort_unit, f.seq AS sort_seq, f.code AS code, c.n AS n{levels}, "
           f"{', '.join(extracted)} FROM forms f LEFT JOIN c ON c.form_id = f.id "
           f"WHERE f.year = ? AND f.kind = ? AND f.deleted_at IS NULL) "
           f"SELECT {', '.join(columns)}, {_cut_marker(texts, limit)} FROM v ORDER BY sort_unit, sort_seq")
    cursor = store.db.execute(sql, [year, kind, year, kind])
    while chunk := cursor.fetchmany(2_000):
        yield from chunk


def form_count(store: FormStore, year: int, kind: str) -> int:
    return store.db.execute("SELECT count(*) FROM forms WHERE year = ? AND kind = ? AND deleted_at IS NULL",
                            [year, kind]).fetchone()[0]


def point_count(store: FormStore, year: int) -> int:
    return store.db.execute("SELECT count(*) FROM risk_points WHERE year = ?", [year]).fetchone()[0]
