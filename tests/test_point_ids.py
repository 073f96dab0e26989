"""Data format 2: every risk point keeps its id through moves, edits, saving, the copy
into the next year; a duplicated form's points are new; version-1 data gets ids and its
校验码 still verifies."""

import json
import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lianzheng_desktop.domain.codec import form_from_json, form_to_json
from lianzheng_desktop.domain.definitions import definitions
from lianzheng_desktop.domain.demo import demo_forms
from lianzheng_desktop.domain.model import RiskPoint
from lianzheng_desktop.domain.naming import point_number, point_numbers
from lianzheng_desktop.domain.verification import verification_code
from lianzheng_desktop.exchange.crypto import key_from_private
from lianzheng_desktop.operations import committee, years
from lianzheng_desktop.operations import forms as form_ops
from lianzheng_desktop.operations.verifying import CURRENT, verify_code
from lianzheng_desktop.store import FormStore
from lianzheng_desktop.store.keys import COMMITTEE, add_own_key

V1 = Path(__file__).parent / "data" / "v1"
ORDER = definitions().category_keys

# one editing step: (action, category, row, to_row, text)
steps = st.lists(st.tuples(st.sampled_from(["move", "edit", "insert", "remove", "level"]),
                           st.sampled_from(ORDER), st.integers(0, 6), st.integers(0, 6), st.text(max_size=6)),
                 max_size=25)


def _apply(form, step) -> None:
    action, category, row, to_row, text = step
    rows = len(form.risks_in(category))
    if action == "insert":
        form.insert_risks(category, min(row, rows), [RiskPoint(category, text)], ORDER)
    elif rows == 0:
        return
    elif action == "move":
        form.move_risk(category, row % rows, to_row % rows, ORDER)
    elif action == "edit":
        form.set_risk_value(category, row % rows, "point", text)
    elif action == "level":
        form.set_risk_value(category, row % rows, "self_level", 1 + to_row % 3)
    else:
        form.remove_risks(category, row % rows, 1)


def _content(risk) -> tuple:
    return (risk.category, risk.point, risk.self_level, risk.measures)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=steps, posts=st.integers(0, 2))
def test_moving_editing_saving_and_copying_keep_every_points_id(tmp_path_factory, steps, posts):
    """The point a user moved, edited or re-levelled is the same point (same id) after
    saving, reopening and starting the next year from it; only a new row has a new id."""
    path = tmp_path_factory.mktemp("ids") / "unit.db"
    forms = demo_forms("财务处", 2025, posts=posts)
    form = forms[0]
    before = {r.id: r for r in form.risks}
    for step in steps:
        _apply(form, step)
    after = {r.id: r for r in form.risks}
    assert len(after) == len(form.risks)  # no id twice
    for point_id, risk in after.items():  # an old id is on the very point object it was on
        if point_id in before:
            assert before[point_id] is risk
    store = FormStore.open(path)
    try:
        store.save_all(forms)
        stored = store.get(form.id)
        assert [(r.id, _content(r)) for r in stored.risks] == [(r.id, _content(r)) for r in form.risks]
        years.copy_year(store, 2025, 2026)
        copied = next(f for f in store.forms(year=2026) if f.kind == form.kind)
        assert [(r.id, _content(r)) for r in copied.risks] == [(r.id, _content(r)) for r in form.risks]
        assert copied.id != form.id  # a new form of another year, its points the same points
    finally:
        store.close()


def test_a_duplicated_form_has_new_points_and_a_pasted_row_is_a_new_point(tmp_path):
    store = FormStore.open(tmp_path / "unit.db")
    try:
        store.save_all(demo_forms("财务处", 2026, posts=1))
        post = store.forms(kind="post")[0]
        copy = form_ops.duplicate_form(store, post.id)
        assert [r.point for r in copy.risks] == [r.point for r in post.risks]
        assert not {r.id for r in copy.risks} & {r.id for r in post.risks}
    finally:
        store.close()


def test_each_point_has_a_display_number_from_the_declared_pattern():
    unit_form, post = demo_forms("财务处", 2026, posts=1)
    duty = [RiskPoint("duty", "甲"), RiskPoint("duty", "乙")]
    unit_form.risks = [r for r in unit_form.risks if r.category != "duty"] + duty
    assert point_number(unit_form, duty[1]) == "财务处-2026-岗位职责-02"
    numbers = point_numbers(post)
    first = post.risks_in(post.risks[0].category)[0]
    name = definitions().category(first.category).number_name
    assert numbers[first.id] == f"财务处-2026-{post.person}-{name}-01"
    assert len(set(numbers.values())) == len(post.risks)


def test_a_point_taken_from_attachment_1_keeps_its_reference_code():
    form = demo_forms("财务处", 2026, posts=0)[0]
    form.risks.append(RiskPoint("duty", "制定政策时不深入调研", ref="duty-03"))
    back, problems = form_from_json(json.loads(json.dumps(form_to_json(form))))
    assert not problems and back.risks[-1].ref == "duty-03" and back.risks[-1].id == form.risks[-1].id


def _committee_db(path: Path) -> FormStore:
    key = json.loads((V1 / "committee-key.json").read_text(encoding="utf-8"))
    pair = key_from_private("committee", bytes.fromhex(key["private"]))
    store = FormStore.open(path)
    add_own_key(store, COMMITTEE, pair.fingerprint, pair.suite, pair.public, pair.private)
    return store


def test_the_version_1_package_of_the_earlier_release_imports_and_its_codes_verify(tmp_path):
    expected = json.loads((V1 / "expected.json").read_text(encoding="utf-8"))
    package = next(V1.glob("*.lzfk"))
    store = _committee_db(tmp_path / "committee.db")
    try:
        done = committee.apply_package(store, committee.plan_package(store, package))
        assert done.ok, done.message
        forms = {f.id: f for f in store.forms(year=expected["year"])}
        assert set(forms) == {f["id"] for f in expected["forms"]}
        for entry in expected["forms"]:
            form = forms[entry["id"]]
            assert [[r.category, r.point] for r in form.risks] == entry["points"]
            assert all(r.id for r in form.risks) and len({r.id for r in form.risks}) == len(form.risks)
            assert verification_code(form) == entry["code"]  # the paper signed then still verifies
            assert verify_code(store, entry["code"]).outcome == CURRENT
        imported_ids = {f.id: [r.id for r in f.risks] for f in forms.values()}
    finally:
        store.close()
    # the unit's own database of that release, opened by this one: the same points get the
    # same ids, so a review the committee sends back finds them
    unit_db = tmp_path / "unit.db"
    shutil.copy(V1 / "unit.db", unit_db)
    unit = FormStore.open(unit_db)
    try:
        for entry in expected["forms"]:
            form = unit.get(entry["id"])
            assert form.schema == definitions().schema_version
            assert [r.id for r in form.risks] == imported_ids[entry["id"]]
            assert verification_code(form) == entry["code"]
            assert verify_code(unit, entry["code"]).outcome == CURRENT
    finally:
        unit.close()
