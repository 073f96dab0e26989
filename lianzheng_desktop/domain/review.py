"""The committee's review of a unit's forms, as pure data: what the committee may set, the
state its actions add up to, what must be right before the review is sent, and which
points changed between the version reviewed and the one sent after it.

Points are named by their id (data format 2), never by position: the unit may move rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lianzheng_desktop.domain.definitions import definitions
from lianzheng_desktop.domain.model import Form, RiskPoint
from lianzheng_desktop.domain.naming import MESSAGE, form_name, point_numbers
from lianzheng_desktop.domain.problems import Problem, error

PASS, RETURN = "pass", "return"
POINT_FIELDS = ("approved_level", "comment")
FORM_FIELDS = ("opinion", "decision", "reason")
TEXT_MAX = 5000  # characters in one comment, opinion or reason
ADDED, REMOVED, CHANGED = "added", "removed", "changed"
COMPARED = ("category", "point", "self_level", "approved_level", "measures")


def label(key: str) -> str:
    return definitions().review["labels"][key]


def decision_name(decision: str | None) -> str:
    return definitions().review["decision"].get(decision or "", label("undecided"))


@dataclass
class FormReview:
    """What the committee decided about one form."""

    form_id: str
    opinion: str = ""
    decision: str | None = None
    reason: str = ""
    levels: dict[str, int | None] = field(default_factory=dict)  # point id → 审定 set by the committee
    comments: dict[str, str] = field(default_factory=dict)  # point id → comment

    @property
    def empty(self) -> bool:
        return not (self.opinion or self.decision or self.reason or self.levels or self.comments)

    def get(self, point_id: str, key: str) -> Any:
        """The current value of a field: a form's (point_id "") or a point's."""
        if not point_id:
            return getattr(self, key)
        if key == "approved_level":
            return self.levels.get(point_id)
        return self.comments.get(point_id, "")


def state(actions: list[tuple[str, str, str, Any]]) -> dict[str, FormReview]:
    """Form id → its review, from the actions (form id, point id, field, value) in order:
    the last value of each field counts; an empty value unsets it."""
    out: dict[str, FormReview] = {}
    for form_id, point_id, key, value in actions:
        review = out.setdefault(form_id, FormReview(form_id))
        if not point_id:
            setattr(review, key, (value or None) if key == "decision" else (value or ""))
        elif key == "approved_level":
            if value is None:
                review.levels.pop(point_id, None)
            else:
                review.levels[point_id] = value
        elif value:
            review.comments[point_id] = value
        else:
            review.comments.pop(point_id, None)
    return {k: v for k, v in out.items() if not v.empty}


def check_action(form: Form, point_id: str, key: str, value: Any) -> str | None:
    """Why this review action can't be taken, in Chinese; None when it can."""
    d = definitions()
    if point_id:
        if key not in POINT_FIELDS:
            return f"风险点没有“{key}”这一项"
        if form.risk_by_id(point_id) is None:
            return "这张表格里没有这个风险点（单位可能已删除它）"
        if key == "approved_level":
            if not d.kind(form.kind).committee_sets_level:
                return f"{d.kind(form.kind).short_name}的审定由单位负责，校纪委不审定（见 forms/tables.toml）"
            if value is not None and value not in {lv.value for lv in d.levels}:
                return f"审定等级只能是 {'、'.join(lv.name for lv in d.levels)} 或不审定"
            return None
    elif key not in FORM_FIELDS:
        return f"表格的审核没有“{key}”这一项"
    elif key == "decision":
        return None if value in (None, PASS, RETURN) else "审核结论只能是“通过”或“退回修改”"
    if not isinstance(value, str):
        return "意见应当是文字"
    if len(value) > TEXT_MAX:
        return f"意见有 {len(value)} 个字，超过 {TEXT_MAX} 个字的上限"
    return None


def problems_before_sending(forms: list[Form], reviews: dict[str, FormReview]) -> list[Problem]:
    """What must be right before the review goes to the unit."""
    out = []
    if not any(not r.empty for r in reviews.values()):
        out.append(error("还没有任何审核意见：审定、意见或审核结论至少要有一项"))
    for form in forms:
        review = reviews.get(form.id)
        if review and review.decision == RETURN and not review.reason.strip():
            out.append(error(f"{form_name(form, MESSAGE)}退回修改，但没有写退回原因", form_id=form.id))
    return out


@dataclass
class PointChange:
    """A point that differs between the version reviewed and the current one."""

    form_id: str
    form: str  # the form's name
    point_id: str
    number: str  # 风险点编号 (current, or as reviewed for a removed point)
    change: str  # ADDED / REMOVED / CHANGED
    fields: tuple[str, ...] = ()  # labels of what changed
    before: RiskPoint | None = None
    after: RiskPoint | None = None

    @property
    def line(self) -> str:
        d = definitions()
        what = d.review["change"][self.change]
        if self.change != CHANGED or self.before is None or self.after is None:
            text = (self.after or self.before or RiskPoint("")).point
            return f"{self.form} {self.number}：{what}　{_short(text)}"
        keys = {f.label: f.key for f in d.risk_fields}
        details = []
        for name in self.fields:
            key = keys[name]
            old, new = getattr(self.before, key), getattr(self.after, key)
            if key in ("self_level", "approved_level"):
                old, new = d.level_name(old), d.level_name(new)
            elif key == "category":
                old, new = d.category(old).name, d.category(new).name
            details.append(f"{name}：“{_short(old)}”→“{_short(new)}”")
        return f"{self.form} {self.number}：{what}（{'、'.join(self.fields)}）　" + "；".join(details)


def _short(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def changes_since(reviewed: list[Form], current: list[Form],
                  reviews: dict[str, FormReview] | None = None) -> list[PointChange]:
    """Every point added, removed or changed since the review, by point id, in the current
    forms' printed order (removed points last of their form). A 审定 that is now what the
    committee set (``reviews``) is the unit applying the review, not a change."""
    set_levels = {pid: lv for r in (reviews or {}).values() for pid, lv in r.levels.items()}
    d = definitions()
    labels = {f.key: f.label for f in d.risk_fields}
    before_forms = {f.id: f for f in reviewed}
    out = []
    for form in current + [f for f in reviewed if f.id not in {c.id for c in current}]:
        is_current = any(form is c for c in current)
        old = before_forms.get(form.id) if is_current else form
        new = form if is_current else None
        numbers_new = point_numbers(new) if new else {}
        numbers_old = point_numbers(old) if old else {}
        old_points = {r.id: r for r in old.risks} if old else {}
        name = form_name(form, MESSAGE)
        for category in d.category_keys:
            for risk in (new.risks_in(category) if new else []):
                was = old_points.get(risk.id)
                if was is None:
                    out.append(PointChange(form.id, name, risk.id, numbers_new[risk.id], ADDED, after=risk))
                    continue
                fields = tuple(labels[k] for k in COMPARED if getattr(was, k) != getattr(risk, k)
                               and not (k == "approved_level" and set_levels.get(risk.id, -1) == risk.approved_level))
                if fields:
                    out.append(PointChange(form.id, name, risk.id, numbers_new[risk.id], CHANGED, fields, was, risk))
        kept = {r.id for r in new.risks} if new else set()
        for risk in (old.risks if old else []):
            if risk.id not in kept:
                out.append(PointChange(form.id, name, risk.id, numbers_old[risk.id], REMOVED, before=risk))
    return out
