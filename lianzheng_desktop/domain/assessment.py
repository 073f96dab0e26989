"""The 考核 sheet (notice 六(四)): items and weights declared in forms/assessment.toml, each
scored by one function from the facts the program has about a unit's year.

An item whose data does not exist yet says so (``NOT_AVAILABLE``) and is left out of the
score: the two items about the committee's review (审定 changes, returned forms) read
``UnitFacts.review``, None until the committee has sent the unit its review
(operations/assessment.review_facts reads the review rounds of issue 14).
"""

from __future__ import annotations

import tomllib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from operator import attrgetter
from pathlib import Path
from typing import Any

from lianzheng_desktop.domain.deadlines import LATE, NO_DEADLINE, ON_TIME, word
from lianzheng_desktop.domain.quality import QualityScan, quality_rules
from lianzheng_desktop.domain.texts import shorten
from lianzheng_desktop.paths import forms_dir

REVIEW = "review"  # an item's ``needs``: the committee's review data (shown as such on the sheet)


@dataclass(frozen=True)
class Item:
    key: str
    name: str
    weight: float
    measure: str
    rule: str
    needs: str | None
    raw: dict[str, Any]


@dataclass(frozen=True)
class AssessmentSpec:
    title: str
    note: str
    received_rule: str
    items: tuple[Item, ...]
    raw_print: dict[str, Any] = field(default_factory=dict)  # [print]: the printed sheet's columns

    @property
    def full(self) -> float:
        return sum(i.weight for i in self.items)


@cache
def assessment_spec() -> AssessmentSpec:
    with open(Path(forms_dir()) / "assessment.toml", "rb") as f:
        raw = tomllib.load(f)
    items = tuple(Item(i["key"], i["name"], float(i["weight"]), i["measure"], i.get("rule", ""), i.get("needs"), i)
                  for i in raw["item"])
    unknown = [i.measure for i in items if i.measure not in MEASURES]
    if unknown:
        raise ValueError(f"forms/assessment.toml: unknown measure {unknown}")
    return AssessmentSpec(raw["title"], raw.get("note", ""), raw.get("received_rule", ""), items, raw["print"])


@dataclass(frozen=True)
class ReviewFacts:
    """What the committee's review says about a unit's year (issue 14)."""

    reviewed: int  # points (with text) of the forms last reviewed
    changed: int  # of them, the committee set a 审定 different from the unit's 自评
    returns: int  # review rounds in which a form was returned (退回修改)


@dataclass
class UnitFacts:
    """What the program knows about one unit's year."""

    unit: str
    year: int
    expected: bool
    timeliness: str  # domain/deadlines: ON_TIME, LATE, NOT_YET, OVERDUE, NO_DEADLINE
    received_at: str | None
    deadline: str | None
    reported: bool
    complete: bool
    problems: list[str] = field(default_factory=list)  # what makes the package incomplete
    forms: int = 0
    points: int = 0  # with text
    measures: int = 0  # points with text and measures
    covered: int = 0  # (form, category) pairs with at least one point
    pairs: int = 0  # forms × categories
    levels: dict[tuple[str, int | None], int] = field(default_factory=dict)  # (category, 自评) → points
    review: ReviewFacts | None = None  # None: no review data yet


class _NotAvailable:
    def __repr__(self) -> str:
        return "NOT_AVAILABLE"


NOT_AVAILABLE: Any = _NotAvailable()


@dataclass(frozen=True)
class ItemResult:
    item: Item
    share: float | None  # of the weight, 0..1; None: not available
    fact: str  # what was found, in words

    @property
    def available(self) -> bool:
        return self.share is not None

    @property
    def score(self) -> float | None:
        return None if self.share is None else round(self.item.weight * self.share, 1)


@dataclass
class UnitAssessment:
    facts: UnitFacts
    results: list[ItemResult]
    findings: list[str]  # the quality findings, for the sheet

    @property
    def unit(self) -> str:
        return self.facts.unit

    @property
    def total(self) -> float:
        return round(sum(r.score or 0.0 for r in self.results), 1)

    @property
    def counted(self) -> float:
        """The full score of the items that could be scored."""
        return sum(r.item.weight for r in self.results if r.available)

    @property
    def missing_weight(self) -> float:
        return sum(r.item.weight for r in self.results if not r.available)


Measure = Callable[[Item, UnitFacts, QualityScan | None], tuple[Any, str]]


def _share(part: int, whole: int) -> float:
    return 1.0 if whole <= 0 else max(0.0, min(1.0, part / whole))


def _on_time(item: Item, f: UnitFacts, scan: QualityScan | None) -> tuple[Any, str]:
    if f.timeliness == NO_DEADLINE or not f.deadline:
        return NOT_AVAILABLE, "没有设截止日期"
    received = f"，{f.received_at[:10]} 收到" if f.received_at else ""
    share = {ON_TIME: 1.0, LATE: float(item.raw.get("late_share", 0.5))}.get(f.timeliness, 0.0)
    return share, f"{word(f.timeliness)}（截止 {f.deadline}{received}）"


def _complete(item: Item, f: UnitFacts, scan: QualityScan | None) -> tuple[Any, str]:
    if not f.reported:
        return 0.0, "未报送"
    if f.complete:
        return 1.0, f"完整（{f.forms} 张表格，{f.points} 个风险点）"
    more = f"等 {len(f.problems)} 处" if len(f.problems) > 1 else ""
    return 0.0, f"不完整：{f.problems[0] if f.problems else ''}{more}"


def _coverage(item: Item, f: UnitFacts, scan: QualityScan | None) -> tuple[Any, str]:
    if not f.reported:
        return 0.0, "未报送"
    return _share(f.covered, f.pairs), f"{f.forms} 张表格 × 5 类中，{f.covered}/{f.pairs} 处有风险点"


def _flagged(item: Item, f: UnitFacts, scan: QualityScan | None, what: str) -> tuple[Any, str]:
    if not f.reported:
        return 0.0, "未报送"
    if scan is None or f.unit not in scan.flags:
        return NOT_AVAILABLE, "没有质量检查结果"
    rules = item.raw.get("rules", [])
    if what == "forms":
        flagged, whole, (measure, noun) = scan.flagged_forms(f.unit, rules), f.forms, ("张", "表格")
    else:
        flagged = scan.flagged_points(f.unit, rules)
        whole = f.measures if what == "measures" else f.points
        measure, noun = ("条", "措施") if what == "measures" else ("个", "风险点")
    return _share(whole - flagged, whole), f"{whole} {measure}{noun}中 {flagged} {measure}被提醒"


def _original(item: Item, f: UnitFacts, scan: QualityScan | None) -> tuple[Any, str]:
    return _flagged(item, f, scan, "points")


def _specific(item: Item, f: UnitFacts, scan: QualityScan | None) -> tuple[Any, str]:
    return _flagged(item, f, scan, "measures")


def _phases(item: Item, f: UnitFacts, scan: QualityScan | None) -> tuple[Any, str]:
    return _flagged(item, f, scan, "forms")


def _review_changes(item: Item, f: UnitFacts, scan: QualityScan | None) -> tuple[Any, str]:
    if f.review is None:
        return NOT_AVAILABLE, "暂无数据（尚未发出审核意见）"
    r = f.review
    if r.reviewed == 0:
        return NOT_AVAILABLE, "还没有审定"
    return _share(r.reviewed - r.changed, r.reviewed), f"审核 {r.reviewed} 个风险点，校纪委调整等级 {r.changed} 个"


def _returns(item: Item, f: UnitFacts, scan: QualityScan | None) -> tuple[Any, str]:
    if f.review is None:
        return NOT_AVAILABLE, "暂无数据（尚未发出审核意见）"
    returns = f.review.returns
    share = max(0.0, 1.0 - float(item.raw.get("per_return", 0.5)) * returns)
    return share, "没有退回" if returns == 0 else f"退回 {returns} 次"


MEASURES: dict[str, Measure] = {
    "on_time": _on_time, "complete": _complete, "coverage": _coverage, "original": _original,
    "specific": _specific, "phases": _phases, "review_changes": _review_changes, "returns": _returns,
}


def assess(facts: UnitFacts, scan: QualityScan | None) -> UnitAssessment:
    """Every declared item scored for one unit, and the quality findings summed up by rule
    (how many, and the first as an example) for the sheet."""
    results = []
    for item in assessment_spec().items:
        share, fact = MEASURES[item.measure](item, facts, scan)
        results.append(ItemResult(item, None if share is NOT_AVAILABLE else float(share), fact))
    return UnitAssessment(facts, results, findings_by_rule(scan.flags.get(facts.unit, []) if scan else []))


def findings_by_rule(flags: list) -> list[str]:
    """One line per rule that found something: its name, how many, the first as an example."""
    counts = Counter(map(attrgetter("rule"), flags))  # counted in C: a unit can have thousands
    firsts: dict[str, Any] = {}
    for flag in flags:
        firsts.setdefault(flag.rule, flag)
        if len(firsts) == len(counts):
            break
    lines = []
    rules = quality_rules().rules
    for key in [k for k in rules if k in counts] + [k for k in counts if k not in rules]:
        first = firsts[key]
        example = f"{first.form.short}：{first.message}" if first.point is not None else first.message
        name = rules[key].name if key in rules else key
        lines.append(f"{name} {counts[key]} 处，如{shorten(example, EXAMPLE)}")
    return lines


EXAMPLE = 48  # characters of the example quoted for a rule
