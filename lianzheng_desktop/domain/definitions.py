"""Typed, read-only view of the data files in ``forms/``.

Everything the user reads about the official forms (kinds, labels, categories, levels,
reference points, measure families, columns, messages) comes from here, loaded once.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from lianzheng_desktop.paths import forms_dir

BREAK = "|"  # marks where a narrow printed label may wrap, e.g. "责任人|姓名"
TEXT_TYPES = ("text", "multiline")


def plain(label: str) -> str:
    """A label as shown on screen (without the print line-break marks)."""
    return label.replace(BREAK, "")


@dataclass(frozen=True)
class Field:
    key: str
    label: str  # plain
    label_lines: tuple[str, ...]  # as printed in a narrow cell
    type: str
    kinds: tuple[str, ...] = ()
    required: bool = False
    expected: bool = False  # a finished form has it filled in (a warning while empty)
    short_label: str = ""
    lines: int = 1  # editor height of a multi-line field
    since: int = 1  # the format version that added the key
    in_code: bool = True  # part of the 校验码 (identities such as ids are not)
    trim: bool = False  # leading and trailing blanks are no part of the value (unit names)

    @property
    def default(self) -> Any:
        return "" if self.type in TEXT_TYPES else None


@dataclass(frozen=True)
class Kind:
    """One kind of form (附件2 单位登记表, 附件3 岗位登记表…): identity and table rows."""

    key: str
    attachment: str
    title: str
    short_name: str
    singleton: bool  # one per unit and year
    names: dict[str, tuple[str, ...]]  # screen / tab / message / file → name patterns
    rows: tuple[dict[str, Any], ...]
    below_table: str = ""
    min_points: int = 0  # risk points a submitted form of this kind must have
    approved_by: str = "unit"  # who sets 审定: "committee" or "unit"
    committee_overrides: bool = False  # the committee's review may change the unit's 审定

    @property
    def committee_sets_level(self) -> bool:
        """The committee's review may set 审定 on this kind's points."""
        return self.approved_by == "committee" or self.committee_overrides


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
    number_name: str = ""  # in a point's display number (风险点编号)


@dataclass(frozen=True)
class Level:
    value: int
    name: str
    full_name: str
    probability: str
    consequence: str
    colour: str

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
class Column:
    """A column of a table shown or written somewhere (forms/columns.toml)."""

    key: str
    header: str
    short_header: str  # for narrow columns on screen
    width: float  # in widths of the digit 0, as Excel counts
    align: str = "left"
    wrap: bool = False
    stretch: bool = False
    ui: bool = True
    excel: bool = True


@dataclass(frozen=True)
class Definitions:
    schema_version: int
    code_base: int
    year_min: int
    year_max: int
    text_max: int  # characters in any one text value
    kinds: tuple[Kind, ...]
    fields: tuple[Field, ...]
    risk_fields: tuple[Field, ...]
    categories: tuple[Category, ...]
    reference: dict[str, Any]
    levels: tuple[Level, ...]
    level_texts: dict[str, Any]
    measures: tuple[MeasureFamily, ...]
    measure_texts: dict[str, Any]
    tables: dict[str, Any]
    columns: dict[str, tuple[Column, ...]]
    column_texts: dict[str, Any]
    messages: dict[str, dict[str, str]]
    review: dict[str, Any]  # forms/review.toml: the committee's review (decisions, labels)

    @property
    def kind_keys(self) -> tuple[str, ...]:
        return tuple(k.key for k in self.kinds)

    def kind(self, key: str) -> Kind:
        return next(k for k in self.kinds if k.key == key)

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

    @property
    def unrated_name(self) -> str:
        return self.level_texts["unrated_name"]

    def level_colour(self, value: int | None) -> str:
        return self.level_texts["unrated_colour"] if value is None else self.level(value).colour

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


def _field(raw: dict[str, Any], all_kinds: tuple[str, ...]) -> Field:
    return Field(
        key=raw["key"],
        label=plain(raw["label"]),
        label_lines=tuple(raw["label"].split(BREAK)),
        type=raw["type"],
        kinds=tuple(raw.get("kinds", all_kinds)),
        required=raw.get("required", False),
        expected=raw.get("expected", False),
        short_label=raw.get("short_label", ""),
        lines=raw.get("lines", 1),
        since=raw.get("since", 1),
        in_code=raw.get("code", True),
        trim=raw.get("trim", False),
    )


_NAME_STYLES = ("screen_name", "tab_name", "message_name", "file_name", "book_name", "point_number_name")


def _kind(key: str, raw: dict[str, Any]) -> Kind:
    return Kind(key=key, attachment=raw["attachment"], title=raw["title"], short_name=raw["short_name"],
                singleton=raw.get("singleton", False),
                names={style.removesuffix("_name"): tuple(raw.get(style, ["{title}"])) for style in _NAME_STYLES},
                rows=tuple(raw["rows"]), below_table=raw.get("below_table", ""),
                min_points=raw.get("min_points", 0), approved_by=raw.get("approved_by", "unit"),
                committee_overrides=raw.get("committee_overrides", False))


def _columns(raw: dict[str, Any], fields: tuple[Field, ...], risk_fields: tuple[Field, ...]
             ) -> dict[str, tuple[Column, ...]]:
    derived = raw["derived"]
    by_key = {f.key: f for f in (*risk_fields, *fields)}

    def column(spec: dict[str, Any]) -> Column:
        key = spec["key"]
        f = None if key in derived else by_key.get(key)
        header = spec.get("header") or (f.label if f else derived[key])
        short = spec.get("header") or (f.short_label or f.label if f else derived[key])
        return Column(key=key, header=header, short_header=short, width=spec.get("width", 10),
                      align=spec.get("align", "left"), wrap=spec.get("wrap", False),
                      stretch=spec.get("stretch", False), ui=spec.get("ui", True), excel=spec.get("excel", True))

    return {name: tuple(column(c) for c in value) for name, value in raw.items()
            if isinstance(value, list)}


@cache
def definitions() -> Definitions:
    """Load forms/ once per process."""
    fields = _load("fields.toml")
    tables = _load("tables.toml")
    cats = _load("categories.toml")
    levels = _load("levels.toml")
    measures = _load("measures.toml")
    columns = _load("columns.toml")
    kind_keys = tuple(tables["kinds"])
    form_fields = tuple(_field(f, kind_keys) for f in fields["field"])
    risk_fields = tuple(_field(f, kind_keys) for f in fields["risk_field"])
    return Definitions(
        schema_version=fields["schema_version"],
        code_base=fields["code_base"],
        year_min=fields["year_min"],
        year_max=fields["year_max"],
        text_max=fields["text_max"],
        kinds=tuple(_kind(key, tables[key]) for key in kind_keys),
        fields=form_fields,
        risk_fields=risk_fields,
        categories=tuple(
            Category(
                key=c["key"],
                name=c["name"],
                reference_name=c["reference_name"],
                description=c["description"],
                points=tuple(ReferencePoint(**p) for p in c["point"]),
                number_name=c.get("number_name", c["name"]),
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
        tables=tables,
        columns=_columns(columns, form_fields, risk_fields),
        column_texts={k: v for k, v in columns.items() if not isinstance(v, list)},
        messages=_load("messages.toml"),
        review=_load("review.toml"),
    )
