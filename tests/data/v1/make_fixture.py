"""Made once with the release before data format 2 (main at 17fd25c) and committed: what a
unit of that release has on its PC and sends. Kept to prove that the program still reads
it — never run again with a later program (that would make a version-2 fixture).

    python tests/data/v1/make_fixture.py

Writes, beside this file:
  unit.db                          the unit's database (migration 8, forms of format 1)
  财务处-2025.lzfk                  its package, signed and sealed to the committee key
  committee-key.json               that committee key (private half, hex) — test data only
  expected.json                    form ids, kinds, 校验码 and each form's points in order
"""

import datetime as dt
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from trust import trust  # noqa: E402  (tests/trust.py)

from lianzheng_desktop.domain.demo import demo_forms  # noqa: E402
from lianzheng_desktop.domain.verification import verification_code  # noqa: E402
from lianzheng_desktop.exchange.crypto import new_committee_key  # noqa: E402
from lianzheng_desktop.operations.sending import check_export, export_package  # noqa: E402
from lianzheng_desktop.store import FormStore  # noqa: E402

UNIT, YEAR = "财务处", 2025


def main() -> None:
    for name in ("unit.db", f"{UNIT}-{YEAR}.lzfk", "committee-key.json", "expected.json"):
        (HERE / name).unlink(missing_ok=True)
    committee = new_committee_key()
    store = FormStore.open(HERE / "unit.db")
    forms = demo_forms(UNIT, YEAR, posts=3)
    forms[1].risks[0].approved_level = 1  # one point the unit's reviewer already levelled
    for form in forms:
        form.filled_on = dt.date(YEAR, 11, 20)
    store.save_all(forms, note="示例数据")
    trust(store, committee)
    check = check_export(store, YEAR)
    assert check.allowed, check.problems
    export_package(store, check, HERE / f"{UNIT}-{YEAR}.lzfk")
    expected = [{"id": f.id, "kind": f.kind, "code": verification_code(f),
                 "points": [[r.category, r.point] for r in f.risks]} for f in store.forms(year=YEAR)]
    store.close()
    (HERE / "committee-key.json").write_text(json.dumps(
        {"role": committee.role, "private": committee.private.hex(), "fingerprint": committee.fingerprint},
        indent=2) + "\n", encoding="utf-8")
    (HERE / "expected.json").write_text(json.dumps({"unit": UNIT, "year": YEAR, "forms": expected},
                                                   ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
