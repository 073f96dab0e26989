"""What a form must have before it is sent to the committee: content.

A draft may be anything; a submission may not be empty. These rules are errors at
export (the package is not written) and are applied again by the committee to what it
imported, so a package from an older program that let an empty form through is flagged.
How many points each kind needs is data (forms/tables.toml ``min_points``); the words
are in forms/messages.toml [submission].
"""

from __future__ import annotations

from lianzheng_desktop.domain.definitions import definitions
from lianzheng_desktop.domain.model import Form, RiskPoint
from lianzheng_desktop.domain.naming import MESSAGE, form_name, placeholders
from lianzheng_desktop.domain.problems import Problem, error
from lianzheng_desktop.domain.validation import risk_numbers


def _content_fields(kind: str) -> list[str]:
    """The text fields that are content: not 单位 and not the name asked for when a form
    is made (责任人姓名, 岗位职务)."""
    d = definitions()
    naming = {"unit"} | {key for pattern in d.kind(kind).names["screen"] for key in placeholders(pattern)}
    return [f.key for f in d.fields_for(kind) if f.type in ("text", "multiline") and f.key not in naming]


def is_empty(form: Form) -> bool:
    """Nothing filled in but what every new form has (kind, year, unit, the name asked for
    when it was made): no duty text, no opinion, no risk point with content."""
    return not any(getattr(form, key).strip() for key in _content_fields(form.kind)) and \
        all(r.is_blank for r in form.risks)


def form_problems(form: Form) -> list[Problem]:
    """The content rules for one form, as errors naming the form and where to go."""
    d = definitions()
    words = d.messages["submission"]
    name = form_name(form, MESSAGE)
    kind = d.kind(form.kind)
    if is_empty(form):
        first = next(iter(_content_fields(form.kind)), None)  # where filling in starts
        return [error(words["empty_form"].format(form=name), (first,) if first else (), form.id)]
    problems = []
    points = [r for r in form.risks if r.point.strip()]
    if len(points) < kind.min_points:
        first = d.category_keys[0]
        problems.append(error(words["too_few_points"].format(form=name, min=kind.min_points),
                              ("category", first), form.id))
    numbers = risk_numbers(form)
    rule = _level_without_text_rule()
    for i, risk in enumerate(form.risks):
        message = point_without_text(risk, numbers[i])
        if message:
            problems.append(rule.problem(f"{name}：{message}", ("risks", i, "point"), form.id))
    return problems


def _level_without_text_rule():
    """The quality rule that is this content rule: forms/quality.toml declares whether it
    blocks export (it does as shipped). Imported here, not at the top: quality imports us."""
    from lianzheng_desktop.domain import quality

    return quality.quality_rules().rule(quality.LEVEL_WITHOUT_TEXT)


def point_without_text(risk: RiskPoint, number: int) -> str | None:
    """What is wrong with a point that has a level or measures but no text (None: nothing);
    the quality rule level_without_text (domain/quality.py) is this rule."""
    d = definitions()
    if risk.point.strip() or risk.is_blank or risk.category not in d.category_keys:
        return None
    rf = {f.key: f for f in d.risk_fields}
    has = [rf[k].label for k in ("self_level", "approved_level") if getattr(risk, k) is not None]
    if risk.measures.strip():
        has.append(rf["measures"].label)
    return d.messages["submission"]["point_without_text"].format(
        category=d.category(risk.category).name, number=number, what="、".join(has), label=rf["point"].label)


def package_problems(forms: list[Form]) -> list[Problem]:
    """The content rules for a unit's forms of a year, taken together."""
    d = definitions()
    words = d.messages["submission"]
    problems = []
    for kind in d.kinds:
        if kind.singleton and not any(f.kind == kind.key for f in forms):
            problems.append(error(words["kind_missing"].format(title=kind.title)))
    for form in forms:
        problems += form_problems(form)
    return problems


def content_counts(forms: list[Form]) -> tuple[int, int]:
    """Forms and risk points with text: what a package really holds."""
    return len(forms), sum(1 for f in forms for r in f.risks if r.point.strip())
