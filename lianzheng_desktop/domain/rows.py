"""Risk points flattened into rows, and what each declared column shows of a row or form.

The columns themselves are data (forms/columns.toml); this module knows how to fill
one: a field of the form or of the risk point, or one of the derived values.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lianzheng_desktop.domain.definitions import Column, definitions
from lianzheng_desktop.domain.model import Form
from lianzheng_desktop.domain.verification import verification_code


@dataclass(frozen=True)
class RiskRow:
    """One risk point with the form it belongs to, as the committee's summary lists it."""

    form_id: str
    unit: str
    kind: str
    person: str
    post: str
    category: str
    number: int  # as printed: 1., 2. … within its category
    point: str
    self_level: int | None
    approved_level: int | None
    measures: str
    code: str
    position: int = 0  # index in the form's risks (as the store's search index counts)
    approved_round: int | None = None  # 审定 set by the committee in this review round, not yet in the unit's data


def risk_rows(forms: list[Form]) -> list[RiskRow]:
    """Every risk point with text (a level without its point is no risk: it is not counted,
    and the package it came in is flagged as incomplete — domain/submission.py)."""
    rows = []
    keys = definitions().category_keys
    for form in forms:
        code = verification_code(form)
        position = {id(r): i for i, r in enumerate(form.risks)}
        for category in keys:
            for number, risk in enumerate(form.risks_in(category), 1):
                if not risk.point.strip():
                    continue
                rows.append(RiskRow(form.id, form.unit, form.kind, form.person, form.post, category,
                                    number, risk.point, risk.self_level, risk.approved_level,
                                    risk.measures, code, position[id(risk)]))
    return rows


def level_counts(form: Form, key: str = "self_level") -> Counter:
    return Counter(getattr(r, key) for r in form.risks if r.point.strip())


def shown_as(key: str) -> Callable[[Any], Any]:
    """How the values of a key are shown to a person: level and category names, the kind's
    name, dates as written; found once per column, not per cell (summaries have 100,000)."""
    d = definitions()
    if key in ("self_level", "approved_level"):
        names = {lv.value: lv.name for lv in d.levels}
        return lambda value: names.get(value, "")
    if key == "category":
        categories = {c.key: c.name for c in d.categories}
        return lambda value: categories.get(value, "")
    if key == "kind":
        kinds = {k.key: k.short_name for k in d.kinds}
        return lambda value: kinds.get(value, value)
    if key == "filled_on":
        return lambda value: value.isoformat() if value else ""
    return lambda value: "" if value is None else value


def display(key: str, value: Any) -> Any:
    """A stored value as a person reads it."""
    return shown_as(key)(value)


def row_getter(column: Column) -> Callable[[Any], Any]:
    """What a column shows for a RiskRow or a RiskPoint (key "number" needs a RiskRow)."""
    key, show = column.key, shown_as(column.key)
    return lambda row: show(getattr(row, key))


def row_value(column: Column, row: Any) -> Any:
    return row_getter(column)(row)


def form_value(column_key: str, form: Form, code: str) -> Any:
    """What a column of the per-kind sheet shows for a form."""
    if column_key == "risk_count":
        return sum(1 for r in form.risks if r.point.strip())
    if column_key == "code":
        return code
    return display(column_key, getattr(form, column_key))


def columns(name: str, *, ui: bool | None = None) -> tuple[Column, ...]:
    """A declared set of columns; ``ui=True`` only those shown on screen, ``False`` in Excel."""
    found = definitions().columns[name]
    if ui is True:
        return tuple(c for c in found if c.ui)
    if ui is False:
        return tuple(c for c in found if c.excel)
    return found
