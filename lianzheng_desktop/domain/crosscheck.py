"""Checks across all forms of one unit and year, run before a data package is exported."""

from __future__ import annotations

from collections import defaultdict

from lianzheng_desktop.domain.definitions import definitions
from lianzheng_desktop.domain.model import Form
from lianzheng_desktop.domain.naming import MESSAGE, form_name
from lianzheng_desktop.domain.problems import Problem, error, warning
from lianzheng_desktop.domain.texts import shorten
from lianzheng_desktop.domain.validation import validate

COPIED_POSTS = 3  # the same risk text in this many forms of one kind looks copied, not found


def form_label(form: Form) -> str:
    return form_name(form, MESSAGE)


def check_forms(forms: list[Form]) -> list[Problem]:
    """Every form's own problems (prefixed with which form) plus problems between forms."""
    d = definitions()
    problems: list[Problem] = []
    units = {f.unit for f in forms}
    years = {f.year for f in forms}
    if len(units) > 1 or len(years) > 1:
        problems.append(error("一个数据包只能包含一个单位、一个年度的表格；现在有："
                              + "、".join(sorted(units)) + "，" + "、".join(map(str, sorted(years)))))
    for kind in d.kinds:
        count = sum(f.kind == kind.key for f in forms)
        if not count:
            problems.append(warning(f"还没有{kind.title}"))
        elif kind.singleton and count > 1:
            problems.append(error(f"有 {count} 张{kind.title}，只能有一张"))
    for form in forms:
        problems += [p.prefixed(form_label(form)) for p in validate(form)]
        if not d.kind(form.kind).singleton and not form.risks:
            problems.append(warning(f"{form_label(form)}：一个风险点也没有"))
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
