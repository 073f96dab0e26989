"""What changed between two sets of forms (an earlier and a later data package)."""

from __future__ import annotations

from dataclasses import dataclass, field

from lianzheng_desktop.domain.codec import canonical_json
from lianzheng_desktop.domain.definitions import definitions
from lianzheng_desktop.domain.model import Form, RiskPoint
from lianzheng_desktop.domain.naming import MESSAGE, form_name


@dataclass
class FormsDiff:
    added: list[Form] = field(default_factory=list)
    removed: list[Form] = field(default_factory=list)
    changed: list[tuple[Form, Form]] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)  # the changes in words, for the user


def _name(form: Form) -> str:
    return form_name(form, MESSAGE)


def _risk_key(risk: RiskPoint) -> tuple[str, str]:
    return risk.category, risk.point.strip()


def _by_text(risks: list[RiskPoint]) -> dict[tuple[str, str], list[RiskPoint]]:
    """The points of a form by category and text, alike ones in their order."""
    out: dict[tuple[str, str], list[RiskPoint]] = {}
    for risk in risks:
        out.setdefault(_risk_key(risk), []).append(risk)
    return out


def diff_forms(old: list[Form], new: list[Form]) -> FormsDiff:
    d = definitions()
    result = FormsDiff()
    before = {f.id: f for f in old}
    after = {f.id: f for f in new}
    for form in new:
        if form.id not in before:
            result.added.append(form)
            result.lines.append(f"新增 {_name(form)}")
    for form in old:
        if form.id not in after:
            result.removed.append(form)
            result.lines.append(f"删除 {_name(form)}")
    for form in new:
        previous = before.get(form.id)
        if previous is None or canonical_json(previous) == canonical_json(form):
            continue
        result.changed.append((previous, form))
        name = _name(form)
        old_risks = _by_text(previous.risks)
        new_risks = _by_text(form.risks)
        for key, risks in new_risks.items():
            earlier = old_risks.get(key, [])
            # points with the same text are paired in order: an edit to the second of two
            # alike is an edit, not hidden behind the first
            for i, risk in enumerate(risks):
                category = d.category(risk.category).name
                if i >= len(earlier):
                    result.lines.append(f"{name}：新增风险点（{category}）“{risk.point}”")
                    continue
                was = earlier[i]
                for attr in ("self_level", "approved_level"):
                    if getattr(was, attr) != getattr(risk, attr):
                        label = d.risk_field(attr).label
                        result.lines.append(
                            f"{name}：“{risk.point}”的{label}由{d.level_name(getattr(was, attr)) or '空'}"
                            f"改为{d.level_name(getattr(risk, attr)) or '空'}")
                if was.measures != risk.measures:
                    result.lines.append(f"{name}：“{risk.point}”的{d.risk_field('measures').label}有修改")
        for key, risks in old_risks.items():
            for risk in risks[len(new_risks.get(key, [])):]:
                category = d.category(risk.category).name
                result.lines.append(f"{name}：删除风险点（{category}）“{risk.point}”")
        if canonical_json(_without_risks(previous)) != canonical_json(_without_risks(form)):
            result.lines.append(f"{name}：表头、职责或意见有修改")
    return result


def _without_risks(form: Form) -> Form:
    copy = form.copy()
    copy.risks = []
    return copy
