"""Two databases for the review loop: a committee with its key, a unit that trusts it and
has sent its first package, which the committee has imported."""

from dataclasses import dataclass
from pathlib import Path

from trust import committee_key_in, trust

from lianzheng_desktop.domain.demo import demo_forms
from lianzheng_desktop.operations import committee as desk
from lianzheng_desktop.operations.sending import check_export, export_package
from lianzheng_desktop.store import FormStore

UNIT, YEAR = "财务处", 2026


@dataclass
class Loop:
    committee_db: Path
    unit_db: Path
    post: Path  # what travels between them
    key: object

    def unit(self) -> FormStore:
        return FormStore.open(self.unit_db)

    def committee(self) -> FormStore:
        return FormStore.open(self.committee_db)

    def send(self, name: str = "package.lzfk") -> Path:
        """The unit exports; the committee imports (a newer package replaces the old)."""
        target = self.post / name
        store = self.unit()
        try:
            check = check_export(store, YEAR)
            assert check.allowed, [p.message for p in check.problems]
            export_package(store, check, target)
        finally:
            store.close()
        store = self.committee()
        try:
            done = desk.import_packages(store, [target], confirm=lambda planned: True)
            assert done[0].ok, done[0].message
        finally:
            store.close()
        return target


def make_loop(tmp_path: Path, posts: int = 2) -> Loop:
    post = tmp_path / "post"
    post.mkdir()
    committee_db, unit_db = tmp_path / "committee.db", tmp_path / "unit.db"
    key = committee_key_in(committee_db)
    store = FormStore.open(unit_db)
    try:
        forms = demo_forms(UNIT, YEAR, posts=posts)
        for form in forms:
            for risk in form.risks:
                risk.approved_level = None  # nothing 审定 yet: the committee's levels are plain to see
        store.save_all(forms)
        trust(store, key)
    finally:
        store.close()
    loop = Loop(committee_db, unit_db, post, key)
    loop.send()
    return loop
