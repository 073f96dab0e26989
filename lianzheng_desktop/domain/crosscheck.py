"""Checks across all forms of one unit and year, run before a data package is exported."""

from __future__ import annotations

from collections import defaultdict

from lianzheng_desktop.domain.definitions import definitions
from lianzheng_desktop.domain.model import Form
from lianzheng_desktop.domain.naming import MESSAGE, form_name
from lianzheng_desktop.domain.problems import Problem, error, warning
from lianzheng_desktop.domain.submission import is_empty, package_problems
from lianzheng_desktop.domain.texts import shorten
from lianzheng_desktop.domain.validation import validate

COPIED_POSTS = 3  # the same risk text in this many forms of one kind looks copied, not found


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
    by_text: dict[tuple[str, str], list[Form]] = defaultdict(list)
    for form in forms:
        if not d.kind(form.kind).singleton:
            for text in {r.point.strip() for r in form.risks if r.point.strip()}:
                by_text[(form.kind, text)].append(form)
    for (kind_key, text), holders in sorted(by_text.items()):
        if len(holders) >= COPIED_POSTS:
            where = f"{len(holders)} 张{d.kind(kind_key).short_name}"
            problems.append(warning(f"同一风险点“{shorten(text)}”出现在 {where}中，请确认是否结合了各岗位的实际"))
    return sorted(problems, key=lambda p: not p.is_error)
