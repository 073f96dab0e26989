"""Checks across all forms of one unit and year, run before a data package is exported."""

from __future__ import annotations

from collections import defaultdict

from lianzheng_desktop.domain.definitions import definitions
from lianzheng_desktop.domain.model import POST, UNIT, Form
from lianzheng_desktop.domain.problems import Problem, error, warning
from lianzheng_desktop.domain.validation import validate

COPIED_POSTS = 3  # the same risk text in this many post forms looks copied, not found


def form_label(form: Form) -> str:
    kind = definitions().messages["kind_name"][form.kind]
    return kind if form.kind == UNIT else f"{kind}（{form.title}）"


def check_forms(forms: list[Form]) -> list[Problem]:
    """Every form's own problems (prefixed with which form) plus problems between forms."""
    problems: list[Problem] = []
    units = {f.unit for f in forms}
    years = {f.year for f in forms}
    if len(units) > 1 or len(years) > 1:
        problems.append(error("一个数据包只能包含一个单位、一个年度的表格；现在有："
                              + "、".join(sorted(units)) + "，" + "、".join(map(str, sorted(years)))))
    unit_forms = [f for f in forms if f.kind == UNIT]
    if not unit_forms:
        problems.append(warning(f"还没有{definitions().tables['unit']['title']}"))
    elif len(unit_forms) > 1:
        problems.append(error(f"有 {len(unit_forms)} 张{definitions().tables['unit']['title']}，只能有一张"))
    if not [f for f in forms if f.kind == POST]:
        problems.append(warning(f"还没有{definitions().tables['post']['title']}"))
    for form in forms:
        problems += [p.prefixed(form_label(form)) for p in validate(form)]
        if form.kind == POST and not form.risks:
            problems.append(warning(f"{form_label(form)}：一个风险点也没有"))
    by_text: dict[str, list[Form]] = defaultdict(list)
    for form in forms:
        if form.kind == POST:
            for text in {r.point.strip() for r in form.risks if r.point.strip()}:
                by_text[text].append(form)
    for text, holders in sorted(by_text.items()):
        if len(holders) >= COPIED_POSTS:
            shown = text if len(text) <= 30 else text[:29] + "…"
            problems.append(warning(f"同一风险点“{shown}”出现在 {len(holders)} 张岗位登记表中，"
                                    "请确认是否结合了各岗位的实际"))
    return sorted(problems, key=lambda p: not p.is_error)
