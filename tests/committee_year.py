"""A committee's year for the deadline, 催报 and 考核 tests: four units on the list —
图书馆 on time, 财务处 late, 人事处 on time but incomplete, 教务处 not reported."""

import datetime as dt

from lianzheng_desktop.domain.demo import demo_forms
from lianzheng_desktop.exchange.package import build_package, default_name
from lianzheng_desktop.operations import committee
from lianzheng_desktop.operations.reporting import set_deadline
from lianzheng_desktop.store.packages import set_expected_units

YEAR = 2026
DAY = dt.date(2026, 12, 5)
DEADLINE = "2026-11-30"


def import_unit(store, tmp_path, unit, *, at=None, forms=None, when=None):
    """Import one package of the unit; ``at``: the committee's import time to record."""
    path = tmp_path / f"{unit}-{len(list(tmp_path.iterdir()))}-{default_name(unit, YEAR)}"
    kwargs = {"now": when} if when else {}
    path.write_bytes(build_package(forms or demo_forms(unit, posts=2), **kwargs))
    [done] = committee.import_packages(store, [path], lambda planned: True)
    assert done.ok, done.message
    if at:  # the tests set the committee's clock; the program takes it when importing
        with store.writing():
            store.db.execute("UPDATE packages SET imported_at = ? WHERE unit = ? AND imported_at = "
                             "(SELECT max(imported_at) FROM packages WHERE unit = ?)", [at, unit, unit])


def make_year(store, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    set_expected_units(store, YEAR, ["图书馆", "财务处", "人事处", "教务处"])
    import_unit(store, inbox, "图书馆", at="2026-11-28T10:00:00+08:00")
    import_unit(store, inbox, "财务处", at="2026-12-02T09:00:00+08:00")
    forms = demo_forms("人事处", posts=2)
    forms[1].risks.clear()  # a post form without points: incomplete
    import_unit(store, inbox, "人事处", at="2026-11-30T23:30:00+08:00", forms=forms)
    set_deadline(store, YEAR, DEADLINE)
    return store
