"""Statistics by 自评, by 审定, or by where the two differ (issue 14 item 5).

A basis says which value of a risk point is counted: its 自评 level, its 审定 level (None:
未审定), or — for 差异 — how 审定 changed the 自评 (raised: more severe, lowered, rated:
自评 had none), points without a difference not counted. Names and colours in
forms/levels.toml ([basis]).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lianzheng_desktop.domain.definitions import definitions

SELF, APPROVED, DIFFERS = "self_level", "approved_level", "differs"
BASES = (SELF, APPROVED, DIFFERS)
RAISED, LOWERED, RATED = "raised", "lowered", "rated"
CHANGES = (RAISED, LOWERED, RATED)
NOT_COUNTED: Any = object()  # a point the basis leaves out (差异: 审定 not set or equal)


@dataclass(frozen=True)
class Value:
    """One column of a count: the value counted, its name and colour."""

    key: Any  # a level, None (未定级 / 未审定) or one of CHANGES
    name: str
    colour: str
    note: str = ""


def basis_name(basis: str) -> str:
    return definitions().level_texts["basis"][basis]


def values(basis: str) -> list[Value]:
    """The values a basis counts, in the order they are shown."""
    d = definitions()
    texts = d.level_texts["basis"]
    if basis == DIFFERS:
        return [Value(k, texts["differs_names"][k], texts["differs_colours"][k], texts["differs_notes"][k])
                for k in CHANGES]
    unrated = texts["unapproved_name"] if basis == APPROVED else d.unrated_name
    return [Value(lv.value, lv.name, lv.colour) for lv in d.levels] + [Value(None, unrated, d.level_colour(None))]


def value_of(basis: str, self_level: int | None, approved_level: int | None) -> Any:
    """What a point counts as under the basis (NOT_COUNTED: left out)."""
    if basis == SELF:
        return self_level
    if basis == APPROVED:
        return approved_level
    if approved_level is None or approved_level == self_level:
        return NOT_COUNTED
    if self_level is None:
        return RATED
    return RAISED if approved_level < self_level else LOWERED  # 一级 is the most severe


def sql(basis: str) -> tuple[str, str]:
    """(expression of the value, condition a counted point meets) over risk_points columns."""
    if basis == SELF:
        return "self_level", "1"
    if basis == APPROVED:
        return "approved_level", "1"
    if basis != DIFFERS:
        raise ValueError(f"no statistics basis {basis!r}")
    return (f"CASE WHEN self_level IS NULL THEN '{RATED}' WHEN approved_level < self_level THEN '{RAISED}' "
            f"ELSE '{LOWERED}' END",
            "approved_level IS NOT NULL AND approved_level IS NOT self_level")
