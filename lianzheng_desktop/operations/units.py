"""The unit a database belongs to, and renaming it.

A unit's database holds that one unit's forms: the 单位 printed on every form of a year
is the unit's name, not a free text per form. Renaming the unit renames every form of
the year at once (one transaction), so the package, the file names and the paper agree.

The committee's database is the exception: it holds the packages of many units, each
form keeping the name its unit sent.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from lianzheng_desktop.domain.definitions import definitions
from lianzheng_desktop.store import FormStore, StoreError
from lianzheng_desktop.store.packages import reporting_status


@dataclass(frozen=True)
class Owner:
    """Whose forms a year holds."""

    year: int
    units: dict[str, int]  # unit name → its number of forms, most first
    committee: bool  # the committee's database: packages of many units
    owner_name: str | None = None  # the name on the unit form (the kind there is one of)

    @property
    def unit(self) -> str | None:
        """The unit's name: the unit form's, else the one name all forms carry."""
        if self.owner_name:
            return self.owner_name
        return next(iter(self.units)) if len(self.units) == 1 else None

    @property
    def mixed(self) -> bool:
        """A unit's year whose forms carry different names (from an older version)."""
        return not self.committee and len(self.units) > 1

    def describe(self) -> str:
        return "、".join(f"{name}（{count} 张）" for name, count in self.units.items())


def is_committee(store: FormStore, year: int) -> bool:
    """The committee's database: it has a list of expected units or imported packages."""
    return any(row.expected or row.packages for row in reporting_status(store, year))


def owner(store: FormStore, year: int) -> Owner:
    summaries = store.summaries(year=year)
    counts = Counter(s.unit for s in summaries)
    singleton = {k.key for k in definitions().kinds if k.singleton}
    named = next((s.unit for s in summaries if s.kind in singleton), None)
    ordered = dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))
    return Owner(year, ordered, is_committee(store, year), named)


def unit_of(store: FormStore, year: int) -> str | None:
    """The unit the year belongs to; the name from another year when the year is empty."""
    found = owner(store, year).unit
    if found:
        return found
    for other in reversed(store.years()):
        name = owner(store, other).unit
        if name:
            return name
    return None


@dataclass
class UnitRenamed:
    year: int
    new: str
    previous: dict[str, str] = field(default_factory=dict)  # form id → the name it had

    @property
    def count(self) -> int:
        return len(self.previous)

    @property
    def message(self) -> str:
        label = definitions().field("unit").label
        if not self.previous:
            return f"{label}已是“{self.new}”"
        return f"{self.year} 年度的 {self.count} 张表格的{label}已改为“{self.new}”"


def clean_name(text: str) -> str:
    """A unit name as stored: one line, no surrounding spaces."""
    return " ".join(text.split())


def rename_unit(store: FormStore, year: int, new: str) -> UnitRenamed:
    """Every form of the year gets the unit's new name, all together or none."""
    name = clean_name(new)
    label = definitions().field("unit").label
    if not name:
        raise StoreError(f"{label}不能为空")
    forms = [f for f in store.forms(year=year) if f.unit != name]
    previous = {f.id: f.unit for f in forms}
    for form in forms:
        form.unit = name
    if forms:
        store.save_all(forms, note=f"{label}改为“{name}”")
    return UnitRenamed(year, name, previous)


def undo_rename(store: FormStore, renamed: UnitRenamed) -> None:
    """Each renamed form back to the name it had before."""
    forms = []
    for form_id, name in renamed.previous.items():
        form = store.get(form_id)
        if form is not None and form.unit != name:
            form.unit = name
            forms.append(form)
    if forms:
        store.save_all(forms, note=f"撤销：{definitions().field('unit').label}改回")
