"""Typed, read-only view of the data files in ``forms/``.

Everything the user reads about the official forms (labels, categories, levels,
reference points, measure families, messages) comes from here, loaded once.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from lianzheng_desktop.paths import forms_dir

BREAK = "|"  # marks where a narrow printed label may wrap, e.g. "责任人|姓名"


def plain(label: str) -> str:
    """A label as shown on screen (without the print line-break marks)."""
    return label.replace(BREAK, "")


@dataclass(frozen=True)
class Field:
    key: str
    label: str  # plain
    label_lines: tuple[str, ...]  # as printed in a narrow cell
    type: str
    kinds: tuple[str, ...] = ("unit", "post")
    required: bool = False
    short_label: str = ""


@dataclass(frozen=True)
class ReferencePoint:
    code: str
    text: str
    other: bool = False


@dataclass(frozen=True)
class Category:
    key: str
    name: str
    reference_name: str
    description: str
    points: tuple[ReferencePoint, ...]


@dataclass(frozen=True)
class Level:
    value: int
    name: str
    full_name: str
    probability: str
    consequence: str

    @property
    def definition(self) -> str:
        return f"{self.full_name}：①{self.probability}；②{self.consequence}。"


@dataclass(frozen=True)
class MeasureItem:
    name: str
    text: str


@dataclass(frozen=True)
class MeasureFamily:
    key: str
    name: str
    summary: str
    items: tuple[MeasureItem, ...]


@dataclass(frozen=True)
class Definitions:
    schema_version: int
    year_min: int
    year_max: int
    kinds: dict[str, str]
    fields: tuple[Field, ...]
    risk_fields: tuple[Field, ...]
    categories: tuple[Category, ...]
    reference: dict[str, Any]
    levels: tuple[Level, ...]
    level_texts: dict[str, Any]
    measures: tuple[MeasureFamily, ...]
    measure_texts: dict[str, Any]
    tables: dict[str, Any]
    messages: dict[str, dict[str, str]]

    def fields_for(self, kind: str) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if kind in f.kinds)

    def field(self, key: str) -> Field:
        return next(f for f in self.fields if f.key == key)

    def risk_field(self, key: str) -> Field:
        return next(f for f in self.risk_fields if f.key == key)

    def category(self, key: str) -> Category:
        return next(c for c in self.categories if c.key == key)

    @property
    def category_keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.categories)

    def level(self, value: int) -> Level:
        return next(lv for lv in self.levels if lv.value == value)

    def level_name(self, value: int | None) -> str:
        return "" if value is None else self.level(value).name

    def reference_point(self, code: str) -> ReferencePoint | None:
        for category in self.categories:
            for point in category.points:
                if point.code == code:
                    return point
        return None

    def message(self, section: str, name: str, **values: Any) -> str:
        return self.messages[section][name].format(**values)


def _load(name: str) -> dict[str, Any]:
    with open(Path(forms_dir()) / name, "rb") as f:
        return tomllib.load(f)


def _field(raw: dict[str, Any]) -> Field:
    return Field(
        key=raw["key"],
        label=plain(raw["label"]),
        label_lines=tuple(raw["label"].split(BREAK)),
        type=raw["type"],
        kinds=tuple(raw.get("kinds", ("unit", "post"))),
        required=raw.get("required", False),
        short_label=raw.get("short_label", ""),
    )


@cache
def definitions() -> Definitions:
    """Load forms/ once per process."""
    fields = _load("fields.toml")
    cats = _load("categories.toml")
    levels = _load("levels.toml")
    measures = _load("measures.toml")
    return Definitions(
        schema_version=fields["schema_version"],
        year_min=fields["year_min"],
        year_max=fields["year_max"],
        kinds=fields["kinds"],
        fields=tuple(_field(f) for f in fields["field"]),
        risk_fields=tuple(_field(f) for f in fields["risk_field"]),
        categories=tuple(
            Category(
                key=c["key"],
                name=c["name"],
                reference_name=c["reference_name"],
                description=c["description"],
                points=tuple(ReferencePoint(**p) for p in c["point"]),
            )
            for c in cats["category"]
        ),
        reference={k: v for k, v in cats.items() if k != "category"},
        levels=tuple(Level(**lv) for lv in levels["level"]),
        level_texts={k: v for k, v in levels.items() if k != "level"},
        measures=tuple(
            MeasureFamily(
                key=m["key"],
                name=m["name"],
                summary=m["summary"],
                items=tuple(MeasureItem(**i) for i in m["item"]),
            )
            for m in measures["family"]
        ),
        measure_texts={k: v for k, v in measures.items() if k != "family"},
        tables=_load("tables.toml"),
        messages=_load("messages.toml"),
    )
