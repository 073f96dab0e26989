"""Quality checks on what units write, as rules declared in forms/quality.toml: copies
within a unit and across units, points copied from Attachment 1, vague measures, measures
of only one phase, a level without its point. Pure Python: the same rules run in the
unit's 检查 pane, before export (domain/crosscheck.py) and across all units at the
committee (operations/quality.py).

Which texts count as copies — the similarity measure
----------------------------------------------------
Two texts are "the same or nearly the same" when the **Jaccard coefficient of their
character-bigram sets** reaches the threshold declared in forms/quality.toml (0.6), after the texts are
normalised: NFKC (full- and half-width alike), lower case, every punctuation mark and
blank removed, and the declared stock phrases (套话 such as 严格执行, 加强监督检查)
deleted. Why this measure:

* Chinese is written without spaces and most words have two characters, so the pairs
  of neighbouring characters are close to the words — no word segmenter, no dictionary.
* Punctuation and blanks carry no content: a copy that differs by "。" or a full-width
  comma is identical (similarity 1.0).
* The coefficient weighs what two texts share against everything either says, so a
  long stock phrase shared by two otherwise different texts counts only for its share,
  and declared stock phrases count for nothing; reordering two clauses changes a few
  pairs where an edit distance would count a rewrite.
* Sets can be joined without comparing every pair: the prefix filter of AllPairs
  (Bayardo, Ma and Srikant, 2007) finds exactly the pairs above the threshold from the
  rarest few bigrams of each text, which makes the committee's check of 110,000
  points across 1,000 units a matter of seconds in pure Python (docs/performance.md).

Texts left shorter than ``min_chars`` after stock phrases are removed are compared
only for equality (without punctuation): two short texts share too few pairs for a
coefficient to mean anything.
"""

from __future__ import annotations

import math
import re
import tomllib
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property, partial
from pathlib import Path
from typing import Any

from lianzheng_desktop.domain.bulk import collector_paused
from lianzheng_desktop.domain.definitions import definitions
from lianzheng_desktop.domain.model import Form, RiskPoint
from lianzheng_desktop.domain.naming import MESSAGE, SCREEN, name_from
from lianzheng_desktop.domain.problems import Problem, error, warning
from lianzheng_desktop.domain.submission import point_without_text
from lianzheng_desktop.domain.texts import shorten
from lianzheng_desktop.domain.validation import risk_numbers
from lianzheng_desktop.paths import forms_dir

UNIT_SCOPE, COMMITTEE_SCOPE = "unit", "committee"
# the rules by key (forms/quality.toml [[rule]] key)
COPIED_POINTS, COPIED_FORMS, REFERENCE_COPIED = "copied_points", "copied_forms", "reference_copied"
VAGUE_MEASURES, PHASES, LEVEL_WITHOUT_TEXT = "vague_measures", "phases", "level_without_text"
COPIED_ACROSS_UNITS = "copied_across_units"
NAMED_BY_PLACE = (REFERENCE_COPIED, VAGUE_MEASURES, PHASES)  # messages that name the point, not its form
QUOTE = 24  # characters of a text quoted in a message


# -- the declared rules -----------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    key: str
    name: str
    scope: str
    blocks: bool  # an error that stops the export; otherwise a warning that never does
    raw: dict[str, Any]  # the rule's own settings (thresholds, words, messages)

    def problem(self, message: str, path: tuple = (), form_id: str = "") -> Problem:
        return (error if self.blocks else warning)(message, path, form_id)


@dataclass(frozen=True)
class Dimension:
    key: str
    name: str
    advice: str
    pattern: re.Pattern


@dataclass(frozen=True)
class Phase:
    name: str
    example: str
    pattern: re.Pattern


@dataclass(frozen=True)
class QualityRules:
    threshold: float
    min_chars: int
    stock: re.Pattern | None
    rules: dict[str, Rule]
    dimensions: tuple[Dimension, ...]
    vague: re.Pattern | None
    phases: tuple[Phase, ...]

    def rule(self, key: str) -> Rule:
        return self.rules[key]

    def in_scope(self, scope: str) -> list[Rule]:
        return [r for r in self.rules.values() if r.scope == scope]


def _words(words: Sequence[str]) -> re.Pattern | None:
    """One pattern finding any of the words (longest first, so the longer one wins)."""
    ordered = sorted({w for w in words if w}, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, ordered))) if ordered else None


@cache
def quality_rules() -> QualityRules:
    with open(Path(forms_dir()) / "quality.toml", "rb") as f:
        raw = tomllib.load(f)
    similarity = raw["similarity"]
    rules = {r["key"]: Rule(r["key"], r["name"], r.get("scope", UNIT_SCOPE), r.get("blocks", False), r)
             for r in raw["rule"]}
    vague = rules[VAGUE_MEASURES].raw
    phases = rules[PHASES].raw
    stock = _words([_plain(p) for p in similarity.get("stock_phrases", [])])
    return QualityRules(
        threshold=float(similarity["threshold"]), min_chars=int(similarity["min_chars"]), stock=stock,
        rules=rules,
        dimensions=tuple(Dimension(d["key"], d["name"], d["advice"], _must(_words(d["words"])))
                         for d in vague.get("dimension", [])),
        vague=_words(vague.get("vague_phrases", [])),
        phases=tuple(Phase(p["name"], p.get("example", ""), _must(_words(p["words"])))
                     for p in phases.get("phase", [])),
    )


def _must(pattern: re.Pattern | None) -> re.Pattern:
    if pattern is None:
        raise ValueError("forms/quality.toml: a dimension or phase without words")
    return pattern


# -- similarity ---------------------------------------------------------------------------

_NOT_TEXT = re.compile(r"[\W_]+")  # punctuation, symbols, blanks (CJK characters are word characters)


def _plain(text: str) -> str:
    return _NOT_TEXT.sub("", unicodedata.normalize("NFKC", text)).lower()


def normalise(text: str) -> str:
    """The text as compared: full/half width alike, lower case, no punctuation or blanks."""
    return _plain(text)


def _core(plain: str) -> str:
    """A normalised text without the declared stock phrases."""
    stock = quality_rules().stock
    return stock.sub("", plain) if stock else plain


def bigrams(text: str) -> frozenset[str]:
    return frozenset(text[i:i + 2] for i in range(len(text) - 1)) if len(text) > 1 else frozenset([text])


def similarity(a: str, b: str) -> float:
    """How alike two texts are, 0 to 1 (see the module's docstring): 1.0 when they are
    equal but for punctuation and blanks."""
    pa, pb = _plain(a), _plain(b)
    if pa == pb:
        return 1.0
    ca, cb = _core(pa), _core(pb)
    if min(len(ca), len(cb)) < quality_rules().min_chars:
        return 0.0
    x, y = bigrams(ca), bigrams(cb)
    shared = len(x & y)
    return shared / (len(x) + len(y) - shared)


class TextIndex:
    """Distinct texts, each known by a number, with the pairs that are the same or nearly
    the same (similarity ≥ threshold) found by a prefix-filtered join, never all pairs."""

    def __init__(self, texts: Iterable[str]):
        self.key_of: dict[str, int] = {}  # raw text → key number (equal without punctuation: same key)
        plains: dict[str, int] = {}
        self.plain: list[str] = []
        for text in texts:
            if text in self.key_of:
                continue
            plain = _plain(text)
            key = plains.get(plain)
            if key is None:
                key = plains[plain] = len(self.plain)
                self.plain.append(plain)
            self.key_of[text] = key
        self.near: list[list[int]] = [[] for _ in self.plain]
        self._join()

    def key(self, text: str) -> int:
        return self.key_of[text]

    def _join(self) -> None:
        """AllPairs: records in order of size; each probes the index with the first
        ``p = |x| - ceil(t|x|) + 1`` of its bigrams in the order of rising frequency
        (two sets with Jaccard ≥ t share one of those), then indexes them."""
        rules = quality_rules()
        t = rules.threshold
        sets: dict[int, frozenset[str]] = {}
        for key, plain in enumerate(self.plain):
            core = _core(plain)
            if len(core) >= rules.min_chars:
                sets[key] = bigrams(core)
        frequency: dict[str, int] = defaultdict(int)
        for grams in sets.values():
            for g in grams:
                frequency[g] += 1
        # each bigram's place from the rarest up: a record's prefix is its rarest bigrams
        rank = {g: i for i, g in enumerate(sorted(frequency, key=lambda g: (frequency[g], g)))}
        index: dict[str, list[int]] = defaultdict(list)
        sizes = {key: len(grams) for key, grams in sets.items()}
        for key in sorted(sets, key=sizes.__getitem__):
            x = sets[key]
            size = sizes[key]
            prefix = sorted(x, key=rank.__getitem__)[:size - math.ceil(t * size - 1e-9) + 1]
            least = t * size - 1e-9  # a partner (never larger: sizes rise) has at least this many
            candidates: set[int] = set()
            for g in prefix:  # the union taken in C: a record is verified once however many it shares
                postings = index[g]
                candidates.update(postings)
                postings.append(key)
            for other in candidates:
                y = sets[other]
                if sizes[other] < least:
                    continue
                shared = len(x & y)
                if shared >= t * (size + sizes[other] - shared) - 1e-9:
                    self.near[key].append(other)
                    self.near[other].append(key)

    def groups(self, keys: Iterable[int]) -> dict[int, int]:
        """Each key → its group among ``keys`` only (connected through pairs of the same
        or nearly the same texts, both among ``keys``)."""
        wanted = set(keys)
        parent = {k: k for k in wanted}

        def root(k: int) -> int:
            while parent[k] != k:
                parent[k] = parent[parent[k]]
                k = parent[k]
            return k

        for k in wanted:
            for other in self.near[k]:
                if other in wanted:
                    a, b = root(k), root(other)
                    if a != b:
                        parent[max(a, b)] = min(a, b)
        return {k: root(k) for k in wanted}


# -- what the rules look at ------------------------------------------------------------------


@cache
def _category_names() -> dict[str, str]:
    return {c.key: c.name for c in definitions().categories}


def category_name(key: str) -> str:
    return _category_names().get(key, key)


@dataclass(frozen=True, eq=False)
class FormRef:
    """A form as the rules name it (a Form, or a stored summary row's form)."""

    id: str
    unit: str
    kind: str
    person: str = ""
    post: str = ""

    @cached_property
    def label(self) -> str:
        return name_from(self.kind, MESSAGE, self)

    @cached_property
    def short(self) -> str:
        return name_from(self.kind, SCREEN, self)


@dataclass(eq=False, slots=True)  # not frozen: 110,000 are made for the committee's scan, and fast
class PointRef:
    form: FormRef
    position: int  # index in the form's risks
    category: str
    number: int  # as printed, within its category
    point: str
    measures: str
    self_level: int | None
    approved_level: int | None

    @property
    def where(self) -> str:
        return f"{category_name(self.category)}第{self.number}个风险点"


@dataclass
class UnitForms:
    """One unit's forms of a year as the rules read them."""

    unit: str
    forms: list[FormRef] = field(default_factory=list)
    points: dict[str, list[PointRef]] = field(default_factory=dict)  # form id → its points
    # with_text's answers: every rule asks, and the forms are only read once built
    _texts: dict[str | None, list[PointRef]] = field(default_factory=dict, init=False, repr=False, compare=False)

    @classmethod
    def of(cls, forms: Sequence[Form]) -> UnitForms:
        unit = cls(forms[0].unit.strip() if forms else "")
        for form in forms:
            ref = FormRef(form.id, form.unit, form.kind, form.person, form.post)
            unit.forms.append(ref)
            numbers = risk_numbers(form)
            unit.points[form.id] = [PointRef(ref, i, r.category, numbers[i], r.point, r.measures, r.self_level,
                                             r.approved_level) for i, r in enumerate(form.risks)]
        return unit

    def with_text(self, form_id: str | None = None) -> list[PointRef]:
        """The points with text (of one form, or of all); not to be changed by the caller."""
        found = self._texts.get(form_id or None)
        if found is None:
            forms = [form_id] if form_id else list(self.points)
            found = self._texts[form_id or None] = [p for f in forms for p in self.points[f] if p.point.strip()]
        return found


class Flag:
    """One finding: the rule, the form, the point (None: the form as a whole), what it says.

    ``message`` may be given as a function that writes it: it is called the first time the
    message is read. The committee's scan finds 100,000 and more copies, which are mostly
    counted (the quality view, 考核) and seldom read, and it takes long to write them all."""

    __slots__ = ("_message", "also", "form", "group", "point", "rule")

    def __init__(self, rule: str, form: FormRef, point: PointRef | None, message: str | Callable[[], str],
                 group: int | None = None, also: tuple[FormRef, ...] = ()):
        self.rule = rule
        self.form = form
        self.point = point
        self._message = message
        self.group = group  # the findings of one copied text share it
        self.also = also  # other forms the finding is about (copies)

    @property
    def message(self) -> str:
        message = self._message
        if not isinstance(message, str):
            message = self._message = message()
        return message

    def __repr__(self) -> str:
        return f"Flag({self.rule!r}, {self.form.id!r}, {None if self.point is None else self.point.position}, " \
               f"{self.message!r})"

    @property
    def path(self) -> tuple:
        if self.point is None:
            return ()
        what = "measures" if self.rule in (VAGUE_MEASURES, PHASES) else "point"
        return ("risks", self.point.position, what)

    def problem(self) -> Problem:
        return quality_rules().rule(self.rule).problem(self.message, self.path, self.form.id)


# -- the rules ---------------------------------------------------------------------------------


def _reference_texts() -> list[str]:
    return [p.text for c in definitions().categories for p in c.points if not p.other]


def unit_index(units: Iterable[UnitForms]) -> TextIndex:
    """The index of every point text of these units and of Attachment 1's reference points."""
    return TextIndex([*_reference_texts(), *(p.point for u in units for p in u.with_text())])


def copies(unit: UnitForms, index: TextIndex) -> list[Flag]:
    """copied_points: a text (or nearly it) in ``min_forms`` forms of one kind; copied_forms:
    two forms of one kind whose points are nearly all the same."""
    d = definitions()
    rules = quality_rules()
    singleton = {k.key for k in d.kinds if k.singleton}
    points = [p for p in unit.with_text() if p.form.kind not in singleton]
    key_of = index.key_of
    keys = [key_of[p.point] for p in points]
    groups = index.groups(keys)
    point_groups = [groups[k] for k in keys]
    holders: dict[tuple[str, int], dict[str, list[PointRef]]] = {}
    for p, group in zip(points, point_groups):
        by_form = holders.get((p.form.kind, group))
        if by_form is None:
            by_form = holders[p.form.kind, group] = {}
        held = by_form.get(p.form.id)
        if held is None:
            by_form[p.form.id] = [p]
        else:
            held.append(p)
    flags: list[Flag] = []
    rule = rules.rule(COPIED_POINTS).raw
    template, least = rule["message"], rule["min_forms"]
    short_names = {k.key: k.short_name for k in d.kinds}
    for (kind, group), by_form in holders.items():
        if len(by_form) < least:
            continue
        forms = tuple(ps[0].form for ps in by_form.values())
        kind_name = short_names[kind]
        flags += [Flag(COPIED_POINTS, p.form, p, partial(_copied_point, template, p, forms, kind_name), group, forms)
                  for ps in by_form.values() for p in ps]
    flags += _copied_forms(unit, points, point_groups)
    return flags


def _copied_point(template: str, p: PointRef, forms: tuple[FormRef, ...], kind: str) -> str:
    names = "、".join(f.short for f in forms[:4]) + ("等" if len(forms) > 4 else "")
    return template.format(text=shorten(p.point.strip(), QUOTE), count=len(forms), kind=kind, forms=names)


def _copied_forms(unit: UnitForms, points: list[PointRef], point_groups: list[int]) -> list[Flag]:
    rule = quality_rules().rule(COPIED_FORMS).raw
    by_form: dict[str, list[int]] = defaultdict(list)  # form id → the groups of its points, in order
    for p, group in zip(points, point_groups):
        by_form[p.form.id].append(group)
    least, share, template = rule["min_points"], rule["share"], rule["message"]
    forms = [(f, by_form[f.id], set(by_form[f.id])) for f in unit.forms if len(by_form.get(f.id, ())) >= least]
    flags: list[Flag] = []
    for i, (a, groups_a, set_a) in enumerate(forms):
        for b, groups_b, set_b in forms[i + 1:]:
            if a.kind != b.kind:
                continue
            small, large = (groups_a, set_b) if len(groups_a) <= len(groups_b) else (groups_b, set_a)
            # pairs that share nothing are many: a set operation in C says so without counting
            same = 0 if set_a.isdisjoint(set_b) else sum(map(large.__contains__, small))
            if same >= share * len(small):
                flags.append(Flag(COPIED_FORMS, b, None, partial(_copied_form, template, b, a, same, len(small)),
                                  None, (a,)))
    return flags


def _copied_form(template: str, form: FormRef, other: FormRef, same: int, total: int) -> str:
    return template.format(form=form.label, other=other.short, same=same, total=total)


def reference_copies(unit: UnitForms, index: TextIndex) -> list[Flag]:
    """Points that are (nearly) one of Attachment 1's general reference points."""
    message = quality_rules().rule(REFERENCE_COPIED).raw["message"]
    references = {index.key(t) for t in _reference_texts()}
    key_of, near = index.key_of, index.near
    flags = []
    for p in unit.with_text():
        key = key_of[p.point]
        if key in references or not references.isdisjoint(near[key]):
            flags.append(Flag(REFERENCE_COPIED, p.form, p, partial(_reference_copied, message, p)))
    return flags


def _reference_copied(template: str, p: PointRef) -> str:
    return template.format(category=category_name(p.category), number=p.number, text=shorten(p.point.strip(), QUOTE))


class MeasureReader:
    """What a measures text says (who, when, how; which phases), each text read once."""

    def __init__(self):
        self.rules = quality_rules()
        self._dimensions: dict[str, tuple[frozenset[str], bool]] = {}
        self._phases: dict[str, tuple[str, ...]] = {}

    def dimensions(self, text: str) -> tuple[frozenset[str], bool]:
        """The dimensions named (keys of who/when/how), and whether a vague phrase is used."""
        found = self._dimensions.get(text)
        if found is None:
            named = frozenset(d.key for d in self.rules.dimensions if d.pattern.search(text))
            vague = bool(self.rules.vague and self.rules.vague.search(text))
            found = self._dimensions[text] = (named, vague)
        return found

    def phases(self, text: str) -> tuple[str, ...]:
        found = self._phases.get(text)
        if found is None:
            found = self._phases[text] = tuple(p.name for p in self.rules.phases if p.pattern.search(text))
        return found


def vague_measures(unit: UnitForms, reader: MeasureReader) -> list[Flag]:
    rule = reader.rules.rule(VAGUE_MEASURES).raw
    flags = []
    for p in unit.with_text():
        text = p.measures.strip()
        if not text:
            continue  # an empty measure is the validator's warning
        named, vague = reader.dimensions(text)
        if len(named) >= (rule["min_dimensions_if_vague"] if vague else rule["min_dimensions"]):
            continue
        flags.append(Flag(VAGUE_MEASURES, p.form, p, partial(_vague, rule["message"], reader.rules, p, text, named)))
    return flags


def _vague(template: str, rules: QualityRules, p: PointRef, text: str, named: frozenset[str]) -> str:
    missing = [d for d in rules.dimensions if d.key not in named]
    return template.format(category=category_name(p.category), number=p.number, text=shorten(text, QUOTE),
                           missing="、".join(d.name for d in missing), advice="、".join(d.advice for d in missing))


def phase_coverage(unit: UnitForms, reader: MeasureReader) -> list[Flag]:
    """A form whose measures together touch fewer than ``min_phases`` of the three phases;
    a point of a declared level whose own measures do."""
    rules = reader.rules
    rule = rules.rule(PHASES).raw
    need = rule["min_phases"]
    levels = set(rule.get("point_levels", []))
    flags = []
    for form in unit.forms:
        points = [p for p in unit.with_text(form.id) if p.measures.strip()]
        if not points:
            continue
        covered: set[str] = set()
        for p in points:
            own = reader.phases(p.measures)
            covered.update(own)
            if p.self_level in levels and len(set(own)) < need:
                flags.append(Flag(PHASES, form, p, partial(_phases_of_point, rule["message_point"], rules, p,
                                                           frozenset(own))))
        if len(covered) < need:
            flags.append(Flag(PHASES, form, None, partial(_phases_of_form, rule["message_form"], rules, form,
                                                          frozenset(covered))))
    return flags


def _phase_words(rules: QualityRules, covered: frozenset[str]) -> tuple[str, str, str]:
    """(the phases covered, those missing, examples of what the missing ones would say)"""
    examples = {ph.name: ph.example for ph in rules.phases}
    missing = [ph.name for ph in rules.phases if ph.name not in covered]
    said = "、".join(ph.name for ph in rules.phases if ph.name in covered) or "（没有一个阶段）"
    return said, "、".join(missing), "；".join(examples[m] for m in missing)


def _phases_of_point(template: str, rules: QualityRules, p: PointRef, own: frozenset[str]) -> str:
    said, missing, example = _phase_words(rules, own)
    return template.format(category=category_name(p.category), number=p.number,
                           level=definitions().level_name(p.self_level), covered=said, missing=missing,
                           examples=example)


def _phases_of_form(template: str, rules: QualityRules, form: FormRef, covered: frozenset[str]) -> str:
    said, missing, example = _phase_words(rules, covered)
    return template.format(form=form.label, covered=said, missing=missing, examples=example)


def levels_without_text(unit: UnitForms) -> list[Flag]:
    """The submission rule (domain/submission.py): a level or measures without the point."""
    flags = []
    for form in unit.forms:
        for p in unit.points[form.id]:
            if p.point.strip():
                continue
            message = point_without_text(RiskPoint(p.category, p.point, p.self_level, p.approved_level, p.measures),
                                         p.number)
            if message:
                flags.append(Flag(LEVEL_WITHOUT_TEXT, form, p, f"{form.label}：{message}"))
    return flags


def unit_flags(unit: UnitForms, index: TextIndex | None = None, reader: MeasureReader | None = None,
               skip: Iterable[str] = ()) -> list[Flag]:
    """Every finding of the unit-scope rules on one unit's forms."""
    index = index or unit_index([unit])
    reader = reader or MeasureReader()
    skip = set(skip)
    flags: list[Flag] = []
    for key, run in ((COPIED_POINTS, lambda: copies(unit, index)),
                     (REFERENCE_COPIED, lambda: reference_copies(unit, index)),
                     (VAGUE_MEASURES, lambda: vague_measures(unit, reader)),
                     (PHASES, lambda: phase_coverage(unit, reader)),
                     (LEVEL_WITHOUT_TEXT, lambda: levels_without_text(unit))):
        if key not in skip:
            flags += [f for f in run() if f.rule not in skip]
    return flags


# -- as problems: the 检查 pane and the export -----------------------------------------------


def year_problems(forms: Sequence[Form], skip: Iterable[str] = ()) -> list[Problem]:
    """The findings on a unit's forms of a year, one problem for each copied text (not
    one per copy), the others one each."""
    if not forms:
        return []
    problems: list[Problem] = []
    shown: set[tuple[str, int]] = set()
    for flag in unit_flags(UnitForms.of(forms), skip=skip):
        if flag.group is not None:
            if (flag.form.kind, flag.group) in shown:
                continue
            shown.add((flag.form.kind, flag.group))
        problem = flag.problem()
        if flag.rule in NAMED_BY_PLACE and flag.point is not None:
            problem = problem.prefixed(flag.form.label, flag.form.id)  # which form, with none open
        problems.append(problem)
    return problems


def form_problems(form: Form, others: Sequence[Form], skip: Iterable[str] = ()) -> list[Problem]:
    """The findings that concern one form, read with the other forms of its unit and year
    (copies are found between them)."""
    forms = [form, *(f for f in others if f.id != form.id)]
    flags = unit_flags(UnitForms.of(forms), skip=skip)
    # a copied text flags each form that holds it; a whole-form copy only one of the two
    return [f.problem() for f in flags
            if f.form.id == form.id or (f.group is None and any(a.id == form.id for a in f.also))]


# -- the committee: all units ----------------------------------------------------------------


@dataclass
class QualityScan:
    """What the rules found in every unit of a year."""

    units: list[str]  # the units with forms, in order
    flags: dict[str, list[Flag]]  # unit → its findings
    points: dict[str, int]  # unit → its points with text

    def count(self, unit: str, rule: str) -> int:
        return sum(f.rule == rule for f in self.flags.get(unit, []))

    def flagged_points(self, unit: str, rules: Iterable[str]) -> int:
        """How many of the unit's points at least one of these rules flags."""
        wanted = set(rules)
        return len({(f.form.id, f.point.position) for f in self.flags.get(unit, [])
                    if f.rule in wanted and f.point is not None})

    def flagged_forms(self, unit: str, rules: Iterable[str]) -> int:
        wanted = set(rules)
        return len({f.form.id for f in self.flags.get(unit, []) if f.rule in wanted})


def committee_scan(units: Sequence[UnitForms], progress=None) -> QualityScan:
    """The unit-scope rules for every unit, and copies across units (copied_across_units):
    one index of all texts, joined once."""
    with collector_paused():
        return _committee_scan(units, progress)


def _committee_scan(units: Sequence[UnitForms], progress=None) -> QualityScan:
    index = unit_index(units)
    reader = MeasureReader()
    rule = quality_rules().rule(COPIED_ACROSS_UNITS).raw
    keys_units: dict[int, set[str]] = defaultdict(set)
    for u in units:
        for p in u.with_text():
            keys_units[index.key(p.point)].add(u.unit)
    groups = index.groups(keys_units)
    group_units: dict[int, list[str]] = defaultdict(list)
    for key, root in groups.items():
        group_units[root] += keys_units[key]
    named = {root: sorted(set(names)) for root, names in group_units.items() if len(set(names)) >= rule["min_units"]}
    flags: dict[str, list[Flag]] = {}
    points: dict[str, int] = {}
    template, key_of = rule["message"], index.key_of
    for i, u in enumerate(units):
        if progress is not None and i % 50 == 0:
            progress(i, len(units))
        found = unit_flags(u, index, reader)
        with_text = u.with_text()
        points[u.unit] = len(with_text)
        for p in with_text:
            group = groups[key_of[p.point]]
            names = named.get(group)
            if names:
                found.append(Flag(COPIED_ACROSS_UNITS, p.form, p, partial(_across, template, p, names, u.unit), group))
        flags[u.unit] = found
    return QualityScan([u.unit for u in units], flags, points)


def _across(template: str, p: PointRef, names: list[str], unit: str) -> str:
    count = len(names) - 1  # the unit itself is one of them
    others = [n for n in names[:4] if n != unit][:3]
    examples = "、".join(others) + ("等" if count > 3 else "")
    return template.format(text=shorten(p.point.strip(), QUOTE), others=count, examples=examples)
