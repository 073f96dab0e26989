"""Year against year (issue 14 item 4): the committee's comparison of every unit, the
unit's own form beside last year's ("对照去年"), and the warning for a form copied from
last year and never changed. The comparing itself is domain/year_compare.py."""

from __future__ import annotations

from dataclasses import dataclass, field

from lianzheng_desktop.domain.definitions import definitions
from lianzheng_desktop.domain.model import Form, RiskPoint
from lianzheng_desktop.domain.naming import MESSAGE, form_name
from lianzheng_desktop.domain.problems import Problem, warning
from lianzheng_desktop.domain.year_compare import UnitComparison, compare_unit, match_forms, match_points
from lianzheng_desktop.operations.progress import Progress, step
from lianzheng_desktop.store import FormStore
from lianzheng_desktop.store import year_compare as year_compare_sql


def compare_years(store: FormStore, year: int, previous: int, units: list[str] | None = None,
                  progress: Progress | None = None) -> list[UnitComparison]:
    """Each unit of either year (or those named) compared, in the order of their names:
    domain/year_compare.py's rules computed in SQL (store/year_compare.py), so a thousand
    units take a fraction of a second and no form is read whole."""
    step(progress, 0, 1, "正在对照")
    result = year_compare_sql.compare_all(store, year, previous, units)
    step(progress, 1, 1, "正在对照")
    return result


@dataclass
class LastYear:
    """What the editor shows beside a form with "对照去年" on."""

    year: int
    form: Form | None  # last year's form this one continues, or None
    points: dict[str, RiskPoint] = field(default_factory=dict)  # this form's point id → last year's point
    dropped: list[RiskPoint] = field(default_factory=list)  # last year's form's points gone from this one

    def value(self, key: str) -> str | None:
        """Last year's text of a field (None: no form last year)."""
        return None if self.form is None else getattr(self.form, key)

    def note(self) -> str:
        if self.form is None:
            return f"{self.year} 年度没有与这张表格对应的表格，无从对照"
        text = f"对照 {self.year} 年度的{form_name(self.form, MESSAGE)}"
        if self.dropped:
            text += f"；去年有、今年没有的风险点 {len(self.dropped)} 个"
        return text


def _previous_forms(store: FormStore, year: int, unit: str) -> list[Form]:
    """The unit's forms of a year; on a unit's database, where one unit had that year, its
    forms whatever the unit was called then (a renamed unit is still the unit)."""
    forms = store.forms(year=year, unit=unit)
    if not forms and len(units := store.units(year)) == 1:
        forms = store.forms(year=year, unit=units[0])
    return forms


def last_year(store: FormStore, form: Form) -> LastYear:
    """The form as it is on screen (perhaps not yet saved) beside last year's: the form it
    continues and, for each of its points, the point it was last year."""
    previous_year = form.year - 1
    before = _previous_forms(store, previous_year, form.unit)
    current = [form if f.id == form.id else f for f in store.forms(year=form.year, unit=form.unit)]
    if not any(f.id == form.id for f in current):
        current.append(form)
    match = next(m for m in match_forms(current, before) if m.current is form)
    points = match_points(form.risks, [r for f in before for r in f.risks])
    kept = {id(r) for r in points.values()}
    dropped = [] if match.previous is None else \
        [r for r in match.previous.risks if not r.is_blank and id(r) not in kept]
    return LastYear(previous_year, match.previous, points, dropped)


def copy_warning(store: FormStore, form: Form) -> list[Problem]:
    """A warning when the form is last year's, copied and never changed."""
    found = last_year(store, form).form
    if found is None:
        return []
    comparison = compare_unit(form.unit, form.year, found.year, [form], [found])
    if not comparison.unchanged_forms:
        return []
    text = definitions().messages["compare"]["unchanged_form"].format(form=form_name(form, MESSAGE),
                                                                       previous=found.year)
    first = next((f.key for f in definitions().fields_for(form.kind) if f.type == "multiline"), None)
    return [warning(text, (first,) if first else (), form.id)]


def copy_warnings(store: FormStore, forms: list[Form]) -> list[Problem]:
    """The warnings of copy_warning for the forms of one year (one unit's database)."""
    if not forms:
        return []
    year = forms[0].year
    words = definitions().messages["compare"]["unchanged_form"]
    out = []
    for unit in sorted({f.unit for f in forms}):
        mine = [f for f in forms if f.unit == unit]
        comparison = compare_unit(unit, year, year - 1, mine, _previous_forms(store, year - 1, unit))
        for form in comparison.unchanged_forms:
            first = next((f.key for f in definitions().fields_for(form.kind) if f.type == "multiline"), None)
            out.append(warning(words.format(form=form_name(form, MESSAGE), previous=year - 1),
                               (first,) if first else (), form.id))
    return out


class UnknownUnit(ValueError):
    """A unit asked for that neither year has."""


def compare_units(store: FormStore, year: int, previous: int, units: list[str] | None = None,
                  progress: Progress | None = None) -> list[UnitComparison]:
    """compare_years for the units named (None: all); a name neither year has is refused."""
    if units:
        known = set(store.units(year)) | set(store.units(previous))
        unknown = [u for u in units if u not in known]
        if unknown:
            raise UnknownUnit(f"{year} 年度和 {previous} 年度都没有单位“{'”“'.join(unknown)}”"
                              + (f"（有：{'、'.join(sorted(known))}）" if known else "（两个年度都还没有表格）"))
    return compare_years(store, year, previous, units, progress)


def report_lines(comparisons: list[UnitComparison], year: int, previous: int) -> list[str]:
    """The comparison as text: the year's overview, then each unit's changes and its counts
    per category and 自评 level (this year / last year)."""
    from lianzheng_desktop.domain.year_compare import CHANGE_KINDS, level_counts

    d = definitions()
    compared = [c for c in comparisons if c.has_previous and c.has_current]
    totals = {k: sum(len(c.of(k)) for c in compared) for k in CHANGE_KINDS}
    lines = [f"{year} 年度与 {previous} 年度对照：{len(comparisons)} 个单位，其中 {len(compared)} 个两年都有表格",
             f"风险点：新增 {totals['added']} 个、删去 {totals['dropped']} 个、调整等级 {totals['relevelled']} 个、"
             f"改写 {totals['rewritten']} 个"]
    unchanged = [c.unit for c in comparisons if c.unchanged_copy]
    lines.append("照抄去年、没有任何改动的单位：" + ("、".join(unchanged) if unchanged else "没有"))
    level_names = [lv.name for lv in d.levels] + [d.unrated_name]
    for c in comparisons:
        lines += ["", c.line()]
        lines += [f"  {change.describe()}" for change in c.changes]
        if c.has_previous and c.has_current:
            lines.append(f"  按类别和自评等级（本年/上年）：{'、'.join(level_names)}")
            for category, pairs in level_counts(c):
                cells = "  ".join(f"{now}/{before}" for before, now in pairs)
                lines.append(f"    {d.category(category).name}  {cells}")
    return lines
