"""A unit's year read against the last (issue 14 item 4), by risk point id.

A point keeps its id when the year is started from the last (operations/years.py), so a
point of this year is last year's point when the ids agree; a point typed anew with the
same category and text as one of last year's (a form filled in again instead of copied)
is taken for that point too. Of the points so matched, those whose 自评 differs are
re-levelled and those whose text or measures differ are rewritten; the rest of this year's
are added, the rest of last year's dropped.

A form is an unchanged copy when its content is last year's form's as copied: the same
fields (but those a copy clears — the date and what reviewers write — and the unit's name,
which a renamed unit changes) and the same points
with the same text, measures and 自评. Words in forms/messages.toml [compare].
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from lianzheng_desktop.domain.definitions import definitions
from lianzheng_desktop.domain.model import Form, RiskPoint
from lianzheng_desktop.domain.naming import MESSAGE, form_name

# What a form copied into the next year does not keep (operations/years.py clears them),
# so what an unchanged copy may differ in.
CLEARED_FIELDS = ("filled_on", "review_opinion", "leader_opinion")
ADDED, DROPPED, RELEVELLED, REWRITTEN = "added", "dropped", "relevelled", "rewritten"
CHANGE_KINDS = (ADDED, DROPPED, RELEVELLED, REWRITTEN)


def words(text: str) -> str:
    """The text with its white space taken as single spaces (how texts are compared)."""
    return " ".join(text.split())


_words = words


def content_digest(category: str, point: str, measures: str, self_level: int | None,
                   approved_level: int | None) -> str | None:
    """What a point says as this module compares points, for the committee's comparison in
    SQL (kept with each stored point, store/forms.py): None for a blank point
    (RiskPoint.is_blank), else a digest of its category, its text and measures word by word
    and its 自评 — two points with the same digest are the same point to compare_unit."""
    if not (point.strip() or measures.strip()) and self_level is None and approved_level is None:
        return None
    text = json.dumps([category, words(point), words(measures), self_level], ensure_ascii=False)
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


@dataclass(frozen=True)
class PointChange:
    """One point that is new, gone, re-levelled or rewritten since last year."""

    change: str  # one of CHANGE_KINDS
    form: str  # the form's name in messages (this year's; last year's for a dropped point)
    category: str
    point: str  # the point's text (this year's; last year's for a dropped point)
    point_id: str
    old_point: str = ""  # last year's text (re-levelled, rewritten)
    old_level: int | None = None
    new_level: int | None = None
    fields: tuple[str, ...] = ()  # rewritten: the labels of what changed
    form_id: str = ""  # the form it is in (last year's for a dropped point)

    def describe(self) -> str:
        """One line in Chinese, as the CLI and the workbench show it."""
        d = definitions()
        words = d.messages["compare"]
        head = f"{words[self.change]}（{d.category(self.category).name}，{self.form}）“{self.point}”"
        if self.change == RELEVELLED:
            old = d.level_name(self.old_level) or d.unrated_name
            new = d.level_name(self.new_level) or d.unrated_name
            return head + "：自评 " + words["level_change"].format(old=old, new=new)
        if self.change == REWRITTEN:
            was = f"，原为“{self.old_point}”" if self.old_point != self.point else ""
            return head + "：改了" + "、".join(self.fields) + was
        return head


@dataclass
class FormMatch:
    """A form of this year and the one of last year it continues (either may be None)."""

    current: Form | None
    previous: Form | None

    @property
    def unchanged(self) -> bool:
        return self.current is not None and self.previous is not None and \
            same_content(self.current, self.previous)


@dataclass
class UnitComparison:
    unit: str
    year: int
    previous_year: int
    forms: list[FormMatch] = field(default_factory=list)  # empty in a light() copy
    changes: list[PointChange] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)  # (category, 自评, year) → points
    matched: dict[str, RiskPoint] = field(default_factory=dict)  # this year's point id → last year's point
    has_current: bool = False
    has_previous: bool = False
    unchanged_copy: bool = False  # every form of this year is last year's, unchanged, none gone
    unchanged_ids: list[str] = field(default_factory=list)  # this year's forms that are unchanged copies

    def of(self, change: str) -> list[PointChange]:
        return [c for c in self.changes if c.change == change]

    @property
    def unchanged_forms(self) -> list[Form]:
        """This year's forms that are last year's copied and never changed (not in a light() copy)."""
        return [m.current for m in self.forms if m.current is not None and m.current.id in self.unchanged_ids]

    def light(self) -> UnitComparison:
        """The comparison without the forms it was made from (nor which of them are
        unchanged copies — unchanged_copy says it of the unit): what a whole university's
        comparison keeps in memory (the forms of two years would not fit), and what the
        committee's comparison in SQL gives (store/year_compare.py)."""
        return replace(self, forms=[], matched={}, unchanged_ids=[])

    def line(self) -> str:
        words = definitions().messages["compare"]
        if not self.has_previous:
            return words["no_previous"].format(unit=self.unit, previous=self.previous_year)
        if not self.has_current:
            return words["no_current"].format(unit=self.unit, year=self.year)
        if self.unchanged_copy:
            return words["unchanged_unit"].format(unit=self.unit, year=self.year, previous=self.previous_year)
        return words["unit_line"].format(unit=self.unit, **{k: len(self.of(k)) for k in CHANGE_KINDS})


def content_keys(kind: str) -> list[str]:
    """The fields an unchanged copy says the same in."""
    return [f.key for f in definitions().fields_for(kind)
            if f.type in ("text", "multiline") and f.key not in CLEARED_FIELDS and f.key != "unit"]


def _point_content(r: RiskPoint) -> tuple:
    return (r.category, r.point, r.measures, r.self_level)


def same_points(now: list[tuple], before: list[tuple]) -> bool:
    """Two forms' non-blank points, each (category, point, measures, 自评), are the same
    points in whatever order, their texts compared word by word (white space aside)."""
    if len(now) != len(before):
        return False
    if Counter(now) == Counter(before):  # texts as typed: the usual case, no need to normalise
        return True

    def words(points: list[tuple]) -> list[tuple]:
        return sorted(((c, _words(p), _words(m), lv) for c, p, m, lv in points), key=repr)

    return words(now) == words(before)


def same_fields(kind: str, now: Callable[[str], str], before: Callable[[str], str]) -> bool:
    """The form's own fields (what a copy clears and the unit's name aside) say the same."""
    return all((a := now(k)) == (b := before(k)) or _words(a) == _words(b) for k in content_keys(kind))


def same_content(current: Form, previous: Form) -> bool:
    """The form says what last year's said (what a copy clears aside)."""
    if current.kind != previous.kind:
        return False
    if not same_fields(current.kind, lambda k: getattr(current, k), lambda k: getattr(previous, k)):
        return False
    return same_points([_point_content(r) for r in current.risks if not r.is_blank],
                       [_point_content(r) for r in previous.risks if not r.is_blank])


def _shared_ids(form: Form, other: Form) -> int:
    return len({r.id for r in form.risks} & {r.id for r in other.risks})


def match_forms(current: list[Any], previous: list[Any], shared: Callable[[Any, Any], int] = _shared_ids,
                name: Callable[[Any], str] = lambda f: form_name(f, MESSAGE)) -> list[FormMatch]:
    """Each form of this year with the one of last year it continues: the kind there is one
    of with its own; others by the most point ids in common, then by the same name (责任人
    and 岗位); last year's forms continued by none come last, with current None.

    ``shared`` counts the point ids two forms have in common and ``name`` gives a form's
    name in messages: the committee's comparison (store/year_compare.py) matches light
    stand-ins for forms read from SQL by this same rule."""
    d = definitions()
    left = list(previous)
    matches: list[FormMatch] = []
    for form in current:
        same_kind = [p for p in left if p.kind == form.kind]
        best = None
        if d.kind(form.kind).singleton:
            best = same_kind[0] if same_kind else None
        else:
            common = [(shared(form, p), p) for p in same_kind]
            common = [(n, p) for n, p in common if n]
            if common:
                best = max(common, key=lambda item: item[0])[1]
            else:
                best = next((p for p in same_kind if name(p) == name(form)), None)
        if best is not None:
            left.remove(best)
        matches.append(FormMatch(form, best))
    matches += [FormMatch(None, p) for p in left]
    return matches


def match_points(current: Iterable[RiskPoint], previous: Iterable[RiskPoint]) -> dict[str, RiskPoint]:
    """This year's point id → last year's point it continues: by id, then by category and text."""
    now = [r for r in current if not r.is_blank]
    before = [r for r in previous if not r.is_blank]
    by_id = {r.id: r for r in before}
    matched: dict[str, RiskPoint] = {}
    for r in now:
        if r.id in by_id and r.id not in matched:
            matched[r.id] = by_id.pop(r.id)
    by_text: dict[tuple[str, str], list[RiskPoint]] = {}
    for r in by_id.values():
        if r.point.strip():
            by_text.setdefault((r.category, _words(r.point)), []).append(r)
    for r in now:
        if r.id not in matched and (found := by_text.get((r.category, _words(r.point)))):
            matched[r.id] = found.pop(0)
    return matched


def point_changes(r: Any, old: Any, form: str, form_id: str, labels: dict[str, str]) -> list[PointChange]:
    """What became of a point of this year (``r``) since last year: added when it continues
    none (``old`` is None), else re-levelled when its 自评 differs, rewritten when its
    category, text or measures do (both may hold). ``r`` and ``old`` need only category,
    point, measures, self_level and id (RiskPoint, or a row read from SQL)."""
    if old is None:
        return [PointChange(ADDED, form, r.category, r.point, r.id, new_level=r.self_level, form_id=form_id)]
    out = []
    if old.self_level != r.self_level:
        out.append(PointChange(RELEVELLED, form, r.category, r.point, r.id, old.point, old.self_level,
                               r.self_level, form_id=form_id))
    changed = tuple(labels[k] for k in ("point", "measures") if _words(getattr(old, k)) != _words(getattr(r, k)))
    if old.category != r.category:
        changed = (labels["category"], *changed)
    if changed:
        out.append(PointChange(REWRITTEN, form, r.category, r.point, r.id, old.point, old.self_level, r.self_level,
                               changed, form_id))
    return out


def dropped_change(r: Any, form: str, form_id: str) -> PointChange:
    """A point of last year that no point of this year continues."""
    return PointChange(DROPPED, form, r.category, r.point, r.id, old_point=r.point, old_level=r.self_level,
                       form_id=form_id)


def compare_unit(unit: str, year: int, previous_year: int, current: list[Form],
                 previous: list[Form]) -> UnitComparison:
    """What changed in a unit's forms from ``previous_year`` to ``year``."""
    d = definitions()
    labels = {f.key: f.label for f in d.risk_fields}
    result = UnitComparison(unit, year, previous_year, match_forms(current, previous))
    result.has_current, result.has_previous = bool(current), bool(previous)
    result.unchanged_ids = [m.current.id for m in result.forms if m.unchanged and m.current is not None]
    result.unchanged_copy = bool(current and previous) and all(m.unchanged for m in result.forms)
    now = [(f, r) for f in current for r in f.risks if not r.is_blank]
    before = [(f, r) for f in previous for r in f.risks if not r.is_blank]
    result.matched = match_points((r for _, r in now), (r for _, r in before))
    continued = {id(r) for r in result.matched.values()}
    names = {id(f): form_name(f, MESSAGE) for f in (*current, *previous)}
    for f, r in now:
        result.counts[r.category, r.self_level, year] += 1
        old = result.matched.get(r.id)
        result.changes += point_changes(r, old, names[id(f)], f.id, labels)
    for f, r in before:
        result.counts[r.category, r.self_level, previous_year] += 1
        if id(r) not in continued:
            result.changes.append(dropped_change(r, names[id(f)], f.id))
    if not (current and previous):  # nothing to compare with: a year's points are not all "new"
        result.changes = []
    result.changes.sort(key=lambda c: CHANGE_KINDS.index(c.change))  # stable: forms' order within a kind
    return result


def overview(c: UnitComparison) -> list:
    """The unit's line of the comparison table, in the order of [compare_columns]."""
    d = definitions()
    points = {y: sum(n for (_, _, year), n in c.counts.items() if year == y) for y in (c.previous_year, c.year)}
    values = {"unit": c.unit, "previous_points": points[c.previous_year] if c.has_previous else None,
              "points": points[c.year] if c.has_current else None,
              **{k: len(c.of(k)) if c.has_previous and c.has_current else None for k in CHANGE_KINDS},
              "unchanged": "是" if c.unchanged_copy else ""}
    return [values[k] for k in d.messages["compare_columns"]]


def detail(c: UnitComparison, change: PointChange) -> list:
    """One change as a line of the detail table, in the order of [compare_detail_columns]."""
    d = definitions()
    words = d.messages["compare"]
    levelled = change.change in (RELEVELLED, REWRITTEN)
    values = {"unit": c.unit, "change": words[change.change], "category": d.category(change.category).name,
              "form": change.form, "point": change.point,
              "old_point": change.old_point if change.change != DROPPED and change.old_point != change.point else "",
              "old_level": (d.level_name(change.old_level) or d.unrated_name) if levelled or change.change == DROPPED
              else "",
              "new_level": (d.level_name(change.new_level) or d.unrated_name) if change.change != DROPPED else "",
              "fields": "、".join(change.fields)}
    return [values[k] for k in d.messages["compare_detail_columns"]]


def level_counts(c: UnitComparison) -> list[tuple[str, list[tuple[int, int]]]]:
    """Per category: (last year, this year) points at each 自评 level and 未定级."""
    d = definitions()
    levels = [lv.value for lv in d.levels] + [None]
    return [(cat.key, [(c.counts[cat.key, v, c.previous_year], c.counts[cat.key, v, c.year]) for v in levels])
            for cat in d.categories]


def beside(current: RiskPoint, old: RiskPoint | None, previous_year: int) -> str:
    """What the editor shows beside a point with "对照去年" on: last year's 自评, and its text
    and measures where they differ from this year's."""
    d = definitions()
    if old is None:
        return f"{previous_year} 年度没有这个风险点（新增）"
    level = d.level_name(old.self_level) or d.unrated_name
    same_text = _words(old.point) == _words(current.point)
    same_measures = _words(old.measures) == _words(current.measures)
    lines = [f"去年自评：{level}" + ("" if old.self_level == current.self_level else "（今年改了）")]
    if same_text and same_measures:
        lines.append("风险点和防控措施与去年相同")
    if not same_text:
        lines.append(f"去年：{old.point}")
    if not same_measures:
        lines.append(f"去年措施：{old.measures}")
    return "\n".join(lines)
