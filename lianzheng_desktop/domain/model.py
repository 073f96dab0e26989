"""The official forms as plain Python objects.

One ``Form`` class serves every kind (附件2 ``unit``, 附件3 ``post``, and any kind declared
in forms/tables.toml). The attributes every form has are ordinary attributes; all other
fields (names, duties, opinions…) are declared in forms/fields.toml and kept in
``values``, so a field added there needs no change here: ``form.person`` reads it, with
the field's empty value when it was never set.
"""

from __future__ import annotations

import copy
import uuid
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from lianzheng_desktop.domain.definitions import Field, definitions

UNIT = "unit"
POST = "post"
# The attributes of every form; the codec and the store rely on them.
CORE = ("kind", "year", "unit", "id", "schema", "filled_on", "risks")


def new_point_id() -> str:
    return str(uuid.uuid4())


@dataclass
class RiskPoint:
    """One numbered row of a category: 具体风险点, 自评, 审定, 防控措施.

    ``id`` stays the point's through moves, edits, undo and the copy into the next year
    (the committee's review refers to it); a new row, a pasted one or a duplicated form's
    gets a new one. ``ref`` is the Attachment 1 reference code it was taken from, or ""."""

    category: str
    point: str = ""
    self_level: int | None = None
    approved_level: int | None = None
    measures: str = ""
    id: str = field(default_factory=new_point_id)
    ref: str = ""

    def renewed(self) -> RiskPoint:
        """The same content as a new point (a copy in another form of the same year)."""
        return RiskPoint(self.category, self.point, self.self_level, self.approved_level, self.measures,
                         ref=self.ref)

    @property
    def levels_differ(self) -> bool:
        """审定 set and different from 自评: a reviewer changed the level."""
        return self.approved_level is not None and self.approved_level != self.self_level

    @property
    def is_blank(self) -> bool:
        return not (self.point.strip() or self.measures.strip()) and self.self_level is None \
            and self.approved_level is None


@cache
def declared_fields() -> dict[str, Field]:
    """The fields kept in ``Form.values``: every declared key that is not a core attribute."""
    return {f.key: f for f in definitions().fields if f.key not in CORE}


class Form:
    kind: str
    year: int
    unit: str
    id: str
    schema: int
    filled_on: Any  # datetime.date | None
    risks: list[RiskPoint]
    values: dict[str, Any]

    def __init__(self, kind: str, year: int, unit: str, id: str | None = None, schema: int | None = None,
                 filled_on=None, risks: list[RiskPoint] | None = None, **values: Any):
        object.__setattr__(self, "values", {})
        self.kind, self.year, self.unit = kind, year, unit
        self.id = id or str(uuid.uuid4())
        self.schema = definitions().schema_version if schema is None else schema
        self.filled_on = filled_on
        self.risks = [] if risks is None else risks
        for key, value in values.items():
            setattr(self, key, value)

    def __getattr__(self, key: str) -> Any:
        # only called for names that are not ordinary attributes: the declared fields
        field = declared_fields().get(key)
        if field is None or key.startswith("_"):
            raise AttributeError(f"表格没有字段 {key!r}")
        return self.__dict__["values"].get(key, field.default)

    def __setattr__(self, key: str, value: Any) -> None:
        if key in CORE:
            object.__setattr__(self, key, value)
        elif key in declared_fields():
            self.values[key] = value
        else:
            raise AttributeError(f"表格没有字段 {key!r}（字段在 forms/fields.toml 中声明）")

    def _state(self) -> tuple:
        fields = declared_fields()
        values = {k: v for k, v in self.values.items() if v != fields[k].default}
        return (self.kind, self.year, self.unit, self.id, self.schema, self.filled_on, self.risks, values)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Form) and self._state() == other._state()

    __hash__ = None  # type: ignore[assignment]  # mutable

    def __repr__(self) -> str:
        return f"Form(kind={self.kind!r}, year={self.year!r}, unit={self.unit!r}, id={self.id!r})"

    def risk_by_id(self, point_id: str) -> RiskPoint | None:
        return next((r for r in self.risks if r.id == point_id), None)

    def risks_in(self, category: str) -> list[RiskPoint]:
        """This category's points in printed order."""
        return [r for r in self.risks if r.category == category]

    # Editing by position within a category (as the editor's tables show them). The flat
    # ``risks`` list may interleave categories (files allow it); these keep that order.

    def global_index(self, category: str, row: int, category_order: tuple[str, ...]) -> int:
        """Where in ``risks`` the row-th point of the category is, or would be inserted."""
        positions = [i for i, r in enumerate(self.risks) if r.category == category]
        if row < len(positions):
            return positions[row]
        if positions:
            return positions[-1] + 1
        earlier = set(category_order[: category_order.index(category)])
        before = [i for i, r in enumerate(self.risks) if r.category in earlier]
        return before[-1] + 1 if before else 0

    def insert_risks(self, category: str, row: int, risks: list[RiskPoint],
                     category_order: tuple[str, ...]) -> None:
        at = self.global_index(category, row, category_order)
        self.risks[at:at] = risks

    def remove_risks(self, category: str, row: int, count: int) -> list[RiskPoint]:
        doomed = self.risks_in(category)[row:row + count]
        ids = {id(r) for r in doomed}
        self.risks = [r for r in self.risks if id(r) not in ids]
        return doomed

    def move_risk(self, category: str, row: int, to_row: int, category_order: tuple[str, ...]) -> None:
        """Move the row-th point of the category so that it becomes the to_row-th."""
        (risk,) = self.remove_risks(category, row, 1)
        self.insert_risks(category, to_row, [risk], category_order)

    def set_risk_value(self, category: str, row: int, key: str, value: Any) -> None:
        setattr(self.risks_in(category)[row], key, value)

    def copy(self) -> Form:
        return copy.deepcopy(self)
