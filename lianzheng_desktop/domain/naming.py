"""How a form is called: in the list, on its tab, in messages, in a file name.

The patterns are data (forms/tables.toml, each kind's ``*_name``): the first pattern
whose fields are all filled in is used, so "林晓 — 采编部主任" becomes "林晓" while the
post is still empty.
"""

from __future__ import annotations

import re
import string
from typing import Any

from lianzheng_desktop.domain.definitions import definitions

SCREEN, TAB, MESSAGE, FILE, BOOK = "screen", "tab", "message", "file", "book"
POINT_NUMBER = "point_number"
_UNSAFE_FILENAME = re.compile(r"[\\/:*?\"<>|\x00-\x1f]")


def placeholders(pattern: str) -> list[str]:
    return [name for _, name, _, _ in string.Formatter().parse(pattern) if name]


def name_from(kind: str, style: str, value: Any) -> str:
    """The name of a form (or of anything with the form's attributes, e.g. a stored
    summary row) in one of the styles SCREEN, TAB, MESSAGE or FILE."""
    k = definitions().kind(kind)
    own = {"short_name": k.short_name, "title": k.title, "attachment": k.attachment}

    def get(name: str) -> str:
        if name in own:
            return own[name]
        text = getattr(value, name, "")
        return "" if text is None else str(text).strip()

    patterns = k.names[style]
    for pattern in patterns:
        names = placeholders(pattern)
        if all(get(n) for n in names):
            return pattern.format(**{n: get(n) for n in names})
    return patterns[-1].format(**{n: get(n) for n in placeholders(patterns[-1])})


def form_name(form: Any, style: str = SCREEN) -> str:
    return name_from(form.kind, style, form)


class _Numbered:
    """A form's attributes plus a point's category and number, for the number pattern."""

    def __init__(self, form: Any, category: str, number: int):
        d = definitions()
        self._form = form
        self.category = d.category(category).number_name
        self.number = str(number).zfill(d.tables["common"].get("point_number_digits", 1))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._form, name)


def point_number(form: Any, risk: Any) -> str:
    """The display number of one of the form's points (风险点编号, e.g.
    财务处-2026-岗位职责-02): its place in its category, so it follows the printed row; the
    point's ``id`` is what stays the same."""
    number = next(i for i, r in enumerate(form.risks_in(risk.category), start=1) if r is risk)
    return name_from(form.kind, POINT_NUMBER, _Numbered(form, risk.category, number))


def point_numbers(form: Any) -> dict[str, str]:
    """Point id → display number, for every point of the form."""
    out = {}
    for category in definitions().category_keys:
        for n, risk in enumerate(form.risks_in(category), start=1):
            out[risk.id] = name_from(form.kind, POINT_NUMBER, _Numbered(form, category, n))
    return out


def file_stem(form: Any) -> str:
    """A file name (without extension) safe on Windows and elsewhere."""
    return _UNSAFE_FILENAME.sub("_", form_name(form, FILE)).strip() or definitions().kind(form.kind).title


def safe_file_part(text: str, fallback: str) -> str:
    return _UNSAFE_FILENAME.sub("_", text).strip() or fallback
