"""Page geometry, fonts and text styles from forms/layout.toml, converted to points."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from typing import Any

from reportlab.lib.units import mm

from lianzheng_desktop.paths import forms_dir


@dataclass(frozen=True)
class Style:
    font: str  # a role in [fonts]: body, hei, extb
    size: float
    leading: float
    letter_spacing: float = 0.0
    stroke_em: float = 0.0  # outline stroke as well as fill: heavy Song


@dataclass(frozen=True)
class Layout:
    raw: dict[str, Any]
    page_width: float
    page_height: float
    margin_top: float
    margin_bottom: float
    margin_left: float
    margin_right: float
    columns: tuple[float, ...]
    styles: dict[str, Style]

    @property
    def frame_width(self) -> float:
        return self.page_width - self.margin_left - self.margin_right

    @property
    def frame_height(self) -> float:
        return self.page_height - self.margin_top - self.margin_bottom

    def mm(self, *keys: str) -> float:
        """A length from the file: layout.mm("table", "padding_x_mm") in points."""
        value: Any = self.raw
        for key in keys:
            value = value[key]
        return value * mm

    def min_row(self, kind: str) -> float:
        return self.raw["table"]["min_row_mm"][kind] * mm

    def section(self, name: str) -> dict[str, Any]:
        return self.raw[name]

    def cost(self, table: str, kind: str) -> float:
        """A break cost from [fit.break_before] or [fit.split]; "never" is infinite."""
        value = self.raw["fit"][table].get(kind, 0)
        return float("inf") if value == "never" else float(value)


@cache
def layout() -> Layout:
    with open(forms_dir() / "layout.toml", "rb") as f:
        raw = tomllib.load(f)
    page = raw["page"]
    width, height = page["size_mm"]
    return Layout(
        raw=raw,
        page_width=width * mm,
        page_height=height * mm,
        margin_top=page["margin_top_mm"] * mm,
        margin_bottom=page["margin_bottom_mm"] * mm,
        margin_left=page["margin_left_mm"] * mm,
        margin_right=page["margin_right_mm"] * mm,
        columns=tuple(c * mm for c in raw["table"]["columns_mm"]),
        styles={name: Style(**s) for name, s in raw["styles"].items()},
    )
