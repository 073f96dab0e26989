"""Starting a registration year.

A year is started only where there is nothing yet: copying into a year that has forms
would give it two unit forms and two of every post form. A year far from today is
more likely a slip of the finger than a plan, so the faces ask first (``unusual_year``).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from lianzheng_desktop.domain.definitions import definitions
from lianzheng_desktop.domain.model import Form
from lianzheng_desktop.domain.year_compare import CLEARED_FIELDS  # the date and what reviewers write
from lianzheng_desktop.store import FormStore, StoreError

USUAL_DISTANCE = 1  # this year, the last and the next start without a question


class YearNotEmpty(StoreError):
    """The year already has forms: open it instead of starting it again."""

    def __init__(self, year: int, count: int):
        super().__init__(f"{year} 年度已有 {count} 张表格，不能再开始一次（那样每张表格都会有两份）")
        self.year, self.count = year, count


def unusual_year(year: int, today: dt.date | None = None) -> str | None:
    """A question when the year is not this year, the last or the next; else None."""
    this = (today or dt.date.today()).year
    if abs(year - this) <= USUAL_DISTANCE:
        return None
    return f"{year} 年度离今年（{this} 年）较远。确定要开始 {year} 年度吗？"


def suggested_year(found: list[int], today: dt.date | None = None) -> int:
    """This year while it has no forms, else the year after the latest."""
    this = (today or dt.date.today()).year
    return this if this not in found else max(found) + 1


@dataclass
class YearStarted:
    year: int
    copied: int
    source: int | None

    @property
    def message(self) -> str:
        if self.copied:
            return f"已开始 {self.year} 年度：由 {self.source} 年度复制了 {self.copied} 张表格作为草稿"
        return f"已开始 {self.year} 年度"


def clear_for_draft(form: Form) -> Form:
    """What another year's form does not bring into this one (the date, the reviewers'
    opinions, the approved levels), cleared in place; also used for last year's forms
    read from Word (operations/word.py)."""
    fields = {f.key: f for f in definitions().fields_for(form.kind)}  # a post form has no 分管校领导意见
    for key in CLEARED_FIELDS:
        if key in fields:
            setattr(form, key, fields[key].default)
    for risk in form.risks:
        risk.approved_level = None
    return form


def cleared_words() -> str:
    """填表日期、单位审核意见、分管校领导意见和审定等级"""
    d = definitions()
    names = [d.field(key).label for key in CLEARED_FIELDS] + [d.risk_field("approved_level").label]
    return "、".join(names[:-1]) + "和" + names[-1]


def copy_year(store: FormStore, source: int, target: int) -> int:
    """The forms of one year as drafts of another, which must be empty: new ids, dates
    and review cleared."""
    if count := len(store.summaries(year=target)):
        raise YearNotEmpty(target, count)
    drafts = []
    for form in store.forms(year=source):
        draft = clear_for_draft(form.copy())
        draft.id, draft.year = str(uuid.uuid4()), target
        drafts.append(draft)
    store.save_all(drafts, note=f"由 {source} 年度复制")
    return len(drafts)


def start_year(store: FormStore, year: int, copy_from: int | None) -> YearStarted:
    """Raises YearNotEmpty when the year has forms (the source year itself included)."""
    count = len(store.summaries(year=year))
    if count:
        raise YearNotEmpty(year, count)
    copied = copy_year(store, copy_from, year) if copy_from is not None else 0
    return YearStarted(year, copied, copy_from)
