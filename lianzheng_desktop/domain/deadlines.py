"""On time, late or not yet: a unit's reporting against the year's deadline, and the words
for it (forms/reporting.toml).

The time that counts is when the committee received — imported — the unit's first
package of the year, on the committee's clock; a package received on the deadline day
is on time. The sender's clock (a package's export time) may be wrong and is never used.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

from lianzheng_desktop.paths import forms_dir

ON_TIME, LATE, NOT_YET, OVERDUE, NO_DEADLINE = "on_time", "late", "not_yet", "overdue", "no_deadline"


@cache
def reporting_texts() -> dict[str, Any]:
    """forms/reporting.toml: the words of 报送情况's deadline and of the 催报 list."""
    with open(Path(forms_dir()) / "reporting.toml", "rb") as f:
        return tomllib.load(f)


def received_day(received_at: str) -> dt.date:
    """The committee's local date of a stored import time (ISO, with the committee's offset)."""
    return dt.datetime.fromisoformat(received_at).date()


def timeliness(received_at: str | None, deadline: str | None, today: dt.date) -> str:
    """ON_TIME / LATE (received after the deadline day) / NOT_YET / OVERDUE (not received,
    the deadline past) / NO_DEADLINE (received, no deadline set)."""
    due = dt.date.fromisoformat(deadline) if deadline else None
    if received_at is None:
        return OVERDUE if due is not None and today > due else NOT_YET
    if due is None:
        return NO_DEADLINE
    return ON_TIME if received_day(received_at) <= due else LATE


def word(state: str) -> str:
    return reporting_texts()["timeliness"][state]


def days_late(received_at: str | None, deadline: str | None, today: dt.date) -> int:
    """Days after the deadline the first package came (or, not yet received, today is)."""
    if not deadline:
        return 0
    day = received_day(received_at) if received_at else today
    return max(0, (day - dt.date.fromisoformat(deadline)).days)


def deadline_line(deadline: str | None, today: dt.date, counts: dict[str, int]) -> str:
    """One line above 报送情况: the deadline, how far away it is, and on time / late / not yet."""
    texts = reporting_texts()["line"]
    if not deadline:
        return texts["no_deadline"]
    left = (dt.date.fromisoformat(deadline) - today).days
    when = (texts["days_left"].format(days=left) if left > 0 else texts["today"] if left == 0
            else texts["days_past"].format(days=-left))
    shown = texts["counts"].format(on_time=counts.get(ON_TIME, 0), late=counts.get(LATE, 0),
                                   not_yet=counts.get(NOT_YET, 0) + counts.get(OVERDUE, 0))
    return texts["deadline"].format(deadline=deadline, when=when) + "；" + shown
