"""The two official forms as plain Python objects.

One ``Form`` class serves both 附件2 (kind ``unit``) and 附件3 (kind ``post``): they
share most fields, and which keys belong to which kind is declared in forms/fields.toml.
"""

from __future__ import annotations

import copy
import datetime as dt
import uuid
from dataclasses import dataclass, field

UNIT = "unit"
POST = "post"
KINDS = (UNIT, POST)
SCHEMA_VERSION = 1


@dataclass
class RiskPoint:
    """One numbered row of a category: 具体风险点, 自评, 审定, 防控措施."""

    category: str
    point: str = ""
    self_level: int | None = None
    approved_level: int | None = None
    measures: str = ""

    @property
    def levels_differ(self) -> bool:
        """审定 set and different from 自评: a reviewer changed the level."""
        return self.approved_level is not None and self.approved_level != self.self_level


@dataclass
class Form:
    kind: str
    year: int
    unit: str
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    schema: int = SCHEMA_VERSION
    filled_on: dt.date | None = None
    head: str = ""
    person: str = ""
    post: str = ""
    unit_duties: str = ""
    post_duties: str = ""
    integrity_duties: str = ""
    risks: list[RiskPoint] = field(default_factory=list)
    review_opinion: str = ""
    leader_opinion: str = ""
    remarks: str = ""

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

    @property
    def title(self) -> str:
        """How the form is named in lists: the unit, or person — post."""
        if self.kind == POST:
            return f"{self.person} — {self.post}" if self.post else self.person
        return self.unit

    def copy(self) -> Form:
        return copy.deepcopy(self)
