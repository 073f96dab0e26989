"""Starting a registration year."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from lianzheng_desktop.domain.definitions import definitions
from lianzheng_desktop.store import FormStore

# What a copied form does not keep: the date and what the reviewers write and decide.
CLEARED_FIELDS = ("filled_on", "review_opinion", "leader_opinion")


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


def copy_year(store: FormStore, source: int, target: int) -> int:
    """The forms of one year as drafts of another: new ids, dates and review cleared."""
    fields = {f.key: f for f in definitions().fields}
    drafts = []
    for form in store.forms(year=source):
        draft = form.copy()
        draft.id, draft.year = str(uuid.uuid4()), target
        for key in CLEARED_FIELDS:
            setattr(draft, key, fields[key].default)
        for risk in draft.risks:
            risk.approved_level = None
        drafts.append(draft)
    store.save_all(drafts, note=f"由 {source} 年度复制")
    return len(drafts)


def start_year(store: FormStore, year: int, copy_from: int | None) -> YearStarted:
    copied = copy_year(store, copy_from, year) if copy_from is not None else 0
    return YearStarted(year, copied, copy_from)
