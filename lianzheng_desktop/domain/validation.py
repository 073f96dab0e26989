"""What is wrong or missing in a form, as Chinese messages naming the field.

Errors mean the form can't be accepted (out-of-range year, blank unit, a level that
does not exist); warnings mean a draft is not finished yet.
"""

from __future__ import annotations

from lianzheng_desktop.domain.codec import form_from_json, level_choices, shown
from lianzheng_desktop.domain.definitions import TEXT_TYPES, definitions
from lianzheng_desktop.domain.model import Form
from lianzheng_desktop.domain.problems import ERROR, Problem, error, warning


def validate(form: Form) -> list[Problem]:
    """Every problem of the form at once, errors first."""
    d = definitions()
    problems: list[Problem] = []
    fields = {f.key: f for f in d.fields_for(form.kind)}

    year = fields["year"]
    if not d.year_min <= form.year <= d.year_max:
        problems.append(error(d.message("error", "year_range", label=year.label, value=form.year,
                                        min=d.year_min, max=d.year_max), ("year",)))
    for f in fields.values():
        if f.required and f.type == "text" and not getattr(form, f.key).strip():
            problems.append(error(d.message("error", "blank", label=f.label), (f.key,)))
        if f.type in TEXT_TYPES and len(getattr(form, f.key)) > d.text_max:
            problems.append(error(d.message("error", "too_long", label=f.label, length=len(getattr(form, f.key)),
                                            max=d.text_max), (f.key,)))

    if form.filled_on is None:
        problems.append(warning(d.message("warning", "filled_on_missing",
                                          label=fields["filled_on"].label), ("filled_on",)))
    elif form.filled_on.year != form.year:
        problems.append(warning(d.message("warning", "filled_on_outside_year", label=fields["filled_on"].label,
                                          date=form.filled_on.isoformat(), year=form.year), ("filled_on",)))
    for f in fields.values():  # what a finished form has filled in (opinions are written by hand)
        if f.expected and not f.required and not getattr(form, f.key).strip():
            problems.append(warning(d.message("warning", "empty_field", label=f.label), (f.key,)))

    problems += _risk_problems(form)
    return sorted(problems, key=lambda p: p.severity != ERROR)


def risk_numbers(form: Form) -> list[int]:
    """Each point's number as the table shows and prints it: 1., 2. … within its category."""
    seen: dict[str, int] = {}
    numbers = []
    for risk in form.risks:
        seen[risk.category] = seen.get(risk.category, 0) + 1
        numbers.append(seen[risk.category])
    return numbers


def _risk_problems(form: Form) -> list[Problem]:
    d = definitions()
    problems: list[Problem] = []
    levels = {lv.value for lv in d.levels}
    rf = {f.key: f for f in d.risk_fields}
    numbers = risk_numbers(form)
    for i, risk in enumerate(form.risks):
        index, number, path = i + 1, numbers[i], ("risks", i)
        if risk.category not in d.category_keys:
            choices = "、".join(f"{c.key}（{c.name}）" for c in d.categories)
            problems.append(error(d.message("error", "risk_category_invalid", index=index,
                                            label=rf["category"].label, value=shown(risk.category),
                                            choices=choices), path + ("category",)))
            continue
        category = d.category(risk.category).name
        for key in ("self_level", "approved_level"):
            value = getattr(risk, key)
            if value is not None and value not in levels:
                problems.append(error(d.message("error", "risk_level_invalid", index=index,
                                                category=category, label=rf[key].label,
                                                value=shown(value), choices=level_choices()),
                                      path + (key,)))
        for key, name in (("point", "risk_point_empty"), ("measures", "risk_measures_empty")):
            if len(getattr(risk, key)) > d.text_max:
                problems.append(error(d.message("error", "risk_too_long", index=index, category=category,
                                                label=rf[key].label, length=len(getattr(risk, key)),
                                                max=d.text_max), path + (key,)))
            if not getattr(risk, key).strip():
                problems.append(warning(d.message("warning", name, number=number, category=category,
                                                  label=rf[key].label), path + (key,)))
        if risk.self_level is None:
            problems.append(warning(d.message("warning", "risk_self_missing", number=number,
                                              category=category, label=rf["self_level"].label),
                                    path + ("self_level",)))
    present = {r.category for r in form.risks}
    for c in d.categories:
        if c.key not in present:
            problems.append(warning(d.message("warning", "no_risks_in_category", category=c.name),
                                    ("category", c.key)))
    return problems


def check_form_json(obj: object) -> tuple[Form | None, list[Problem]]:
    """Parse and validate one form object; a field reported as malformed is not reported twice."""

    form, problems = form_from_json(obj)
    if form is None:
        return None, problems
    bad = [p.path for p in problems]
    later = [p for p in validate(form) if not any(p.path[: len(b)] == b for b in bad if b)]
    return form, problems + later
