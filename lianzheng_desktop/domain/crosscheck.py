"""Checks across all forms of one unit and year, run before a data package is exported
and in the 检查 pane when no form is open: each form's own, the content a submission
must have, and the quality rules (domain/quality.py)."""

from __future__ import annotations

from lianzheng_desktop.domain.definitions import definitions
from lianzheng_desktop.domain.model import Form
from lianzheng_desktop.domain.naming import MESSAGE, form_name
from lianzheng_desktop.domain.problems import Problem, error, warning
from lianzheng_desktop.domain.quality import LEVEL_WITHOUT_TEXT, year_problems
from lianzheng_desktop.domain.submission import is_empty, package_problems
from lianzheng_desktop.domain.validation import validate


def form_label(form: Form) -> str:
    return form_name(form, MESSAGE)


def check_forms(forms: list[Form]) -> list[Problem]:
    """Every form's own problems (prefixed with which form) plus problems between forms,
    and the content a submission must have (domain/submission.py): all errors first."""
    d = definitions()
    problems: list[Problem] = []
    units = {f.unit for f in forms}
    years = {f.year for f in forms}
    if len(units) > 1:
        counts = "、".join(f"{u}（{sum(f.unit == u for f in forms)} 张）" for u in sorted(units))
        problems.append(error(d.messages["submission"]["several_units"].format(
            label=d.field("unit").label, units=counts)))
    if len(years) > 1:
        problems.append(error("一个数据包只能包含一个年度的表格；现在有：" + "、".join(map(str, sorted(years)))))
    for kind in d.kinds:
        count = sum(f.kind == kind.key for f in forms)
        if kind.singleton and count > 1:
            problems.append(error(f"有 {count} 张{kind.title}，只能有一张"))
        elif not count and not kind.singleton:
            problems.append(warning(f"还没有{kind.title}"))
    problems += package_problems(forms)
    # an error says it all: no warnings about the same place, none about an empty form
    errors = {(p.form_id, p.path) for p in problems if p.is_error}
    empty = {form.id for form in forms if is_empty(form)}
    for form in forms:
        problems += [p.prefixed(form_label(form), form.id) for p in validate(form)
                     if p.is_error or (form.id not in empty and (form.id, p.path) not in errors)]
    # the quality rules (forms/quality.toml); a level without its point is already an error above
    problems += year_problems(forms, skip=[LEVEL_WITHOUT_TEXT])
    return sorted(problems, key=lambda p: not p.is_error)
