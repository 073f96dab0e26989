"""The committee's year comparison computed in SQL (store/year_compare.py) says exactly what
domain/year_compare.py — the definition, which a unit's database uses form by form — says
of the same two years: the same points added, dropped, re-levelled and rewritten, in the
same order with the same words, the same counts per category and 自评, the same units
found to be last year's unchanged copies. Checked over generated two-year data: copies
with points re-levelled, rewritten (also in white space only), moved between forms, typed
anew with last year's text, blanked, dropped and added, forms deleted, added and renamed,
units present in one year only, forms deleted in the database."""

from __future__ import annotations

import random
import tempfile
import uuid
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lianzheng_desktop.domain.definitions import definitions
from lianzheng_desktop.domain.model import Form, RiskPoint
from lianzheng_desktop.domain.year_compare import compare_unit
from lianzheng_desktop.store import FormStore
from lianzheng_desktop.store.year_compare import compare_all

TEXTS = ["收受礼金", "收受 礼金", "收受\u3000礼金 ", "违规审批项目", "虚报冒领经费", "泄露考试信息", "", "  ", "\u3000"]
MEASURES = ["定期检查", "定期 检查", "集体决策、公开公示", "", "\n"]
PEOPLE = [("林晓", "科长"), ("王芳", "主任"), ("林晓", "副科长"), ("", "")]
YEAR, PREVIOUS = 2026, 2025


def _id(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _point(rng: random.Random) -> RiskPoint:
    d = definitions()
    levels = [lv.value for lv in d.levels] + [None]
    return RiskPoint(rng.choice(d.category_keys), rng.choice(TEXTS), rng.choice(levels),
                     rng.choice([None, *levels[:1]]), rng.choice(MEASURES), id=_id(rng))


def _form(rng: random.Random, kind: str, unit: str, year: int) -> Form:
    person, post = rng.choice(PEOPLE)
    values = {"person": person, "post": post} if kind == "post" else {"head": rng.choice(["张三", "张 三"])}
    duties = "post_duties" if kind == "post" else "unit_duties"
    values[duties] = rng.choice(["负责财务审核", "负责财务 审核", ""])
    return Form(kind=kind, year=year, unit=unit, id=_id(rng), risks=[_point(rng) for _ in range(rng.randint(0, 5))],
                **values)


def _next_year(rng: random.Random, forms: list[Form]) -> list[Form]:
    """Last year's forms copied (ids kept) and changed at random, or typed anew."""
    d = definitions()
    anew = rng.random() < 0.15
    out = []
    for f in forms:
        if rng.random() < 0.1:
            continue  # the form was deleted
        copy = f.copy()
        copy.id, copy.year, copy.filled_on = _id(rng), YEAR, None
        for r in copy.risks:
            r.approved_level = None
            if anew:
                r.id = _id(rng)
        out.append(copy)
    if rng.random() < 0.3:
        out.append(_form(rng, "post", forms[0].unit if forms else "单位", YEAR))
    if rng.random() < 0.3:
        return out  # an unchanged copy (or as near as the deletions allow)
    levels = [lv.value for lv in d.levels] + [None]
    for _ in range(rng.randint(1, 6)):
        if not out:
            break
        form = rng.choice(out)
        action = rng.randrange(10)
        if action == 0 and form.risks:
            rng.choice(form.risks).self_level = rng.choice(levels)
        elif action == 1 and form.risks:
            rng.choice(form.risks).point = rng.choice(TEXTS)
        elif action == 2 and form.risks:
            rng.choice(form.risks).measures = rng.choice(MEASURES)
        elif action == 3 and form.risks:
            rng.choice(form.risks).category = rng.choice(d.category_keys)
        elif action == 4 and form.risks:
            form.risks.remove(rng.choice(form.risks))
        elif action == 5:
            form.risks.append(_point(rng))
        elif action == 6 and form.risks:  # moved into another form
            point = rng.choice(form.risks)
            form.risks.remove(point)
            rng.choice(out).risks.append(point)
        elif action == 7 and form.risks:  # typed anew: a new id, perhaps last year's text
            rng.choice(form.risks).id = _id(rng)
        elif action == 8 and form.risks:  # blanked
            r = rng.choice(form.risks)
            r.point, r.measures, r.self_level, r.approved_level = "", "", None, None
        elif action == 9:
            key = "post_duties" if form.kind == "post" else "unit_duties"
            setattr(form, key, rng.choice(["负责财务审核", "负责 财务审核", "新职责"]))
            if form.kind == "post" and rng.random() < 0.5:
                form.person, form.post = rng.choice(PEOPLE)
    return out


def _two_years(rng: random.Random, path: Path, doubled: bool) -> FormStore:
    store = FormStore.open(path)
    for i in range(rng.randint(1, 5)):
        unit = f"单位{i}"
        before = [_form(rng, "unit", unit, PREVIOUS)] + \
            [_form(rng, "post", unit, PREVIOUS) for _ in range(rng.randint(0, 3))]
        now = _next_year(rng, before)
        if rng.random() < 0.1:
            before = []  # a unit new this year
        elif rng.random() < 0.1:
            now = []  # a unit that has not yet reported
        if doubled and len([f for f in now if f.risks]) >= 2:  # one id in two forms of a year
            first, second = [f for f in now if f.risks][:2]
            second.risks[0].id = first.risks[0].id
        store.save_all(before + now)
        if before + now and rng.random() < 0.2:  # a form deleted after it was saved (it can be restored)
            store.delete(rng.choice(before + now).id)
    return store


def _by_python(store: FormStore) -> list:
    units = sorted(set(store.units(YEAR)) | set(store.units(PREVIOUS)))
    return [compare_unit(u, YEAR, PREVIOUS, store.forms(year=YEAR, unit=u), store.forms(year=PREVIOUS, unit=u)).light()
            for u in units]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), doubled=st.booleans())
def test_sql_and_the_definition_agree_on_every_unit(seed, doubled):
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as tmp:
        store = _two_years(rng, Path(tmp) / "c.db", doubled and rng.random() < 0.3)
        try:
            expected = _by_python(store)
            found = compare_all(store, YEAR, PREVIOUS)
            assert [c.unit for c in found] == [c.unit for c in expected]
            for got, want in zip(found, expected, strict=True):
                assert got.changes == want.changes, got.unit
                assert got.counts == want.counts, got.unit
                assert got == want
                assert got.line() == want.line()
            named = [c.unit for c in expected][:2]
            assert compare_all(store, YEAR, PREVIOUS, named) == [c for c in expected if c.unit in named]
        finally:
            store.close()


def test_the_generated_data_holds_every_kind_of_result():
    """The generator above is not idle: over its first examples it makes each kind of
    change, unchanged copies and changed units, and the fallback match by text."""
    seen: set = set()
    for seed in range(40):
        rng = random.Random(seed)
        with tempfile.TemporaryDirectory() as tmp:
            store = _two_years(rng, Path(tmp) / "c.db", False)
            for c in compare_all(store, YEAR, PREVIOUS):
                seen |= {change.change for change in c.changes}
                seen.add(("unchanged", c.unchanged_copy))
                seen.add(("rewritten in white space only", any(
                    change.point != change.old_point and " ".join(change.point.split()) ==
                    " ".join(change.old_point.split()) for change in c.changes)))
            store.close()
    assert {"added", "dropped", "relevelled", "rewritten", ("unchanged", True), ("unchanged", False)} <= seen


def test_a_form_renamed_or_rewritten_in_white_space_only_is_still_a_copy(tmp_path):
    """Texts compare word by word: a copy whose text differs only in spaces is unchanged,
    in SQL as in the definition."""
    store = FormStore.open(tmp_path / "c.db")
    rng = random.Random(7)
    before = [_form(rng, "unit", "财务处", PREVIOUS), _form(rng, "post", "财务处", PREVIOUS)]
    before[1].risks = [RiskPoint("duty", "收受 礼金", 2, None, "定期检查", id=_id(rng))]
    now = [f.copy() for f in before]
    for f in now:
        f.id, f.year = _id(rng), YEAR
    now[1].risks[0].point = "收受\u3000礼金 "
    store.save_all(before + now)
    (c,) = compare_all(store, YEAR, PREVIOUS)
    assert c.unchanged_copy and c.changes == []
    now[1].risks[0].measures = "定期检查并公示"
    store.save(now[1])
    (c,) = compare_all(store, YEAR, PREVIOUS)
    assert not c.unchanged_copy and [(x.change, x.fields) for x in c.changes] == [("rewritten", ("防控措施",))]
    store.close()


def test_a_database_from_before_the_digests_gains_them_and_compares_alike(tmp_path):
    """Migration 15 gives the points of an older database the digest the program now stores
    with each point (its own copy of the rule gives the same digests), and the comparison
    of the migrated database is the definition's."""
    import sqlite3

    from lianzheng_desktop.domain.year_compare import content_digest
    from lianzheng_desktop.store.migrations import MIGRATIONS, _v15_year_comparison

    path = tmp_path / "old.db"
    rng = random.Random(11)
    store = _two_years(rng, path, False)
    expected = _by_python(store)
    digests = dict(store.db.execute("SELECT id, content FROM risk_points").fetchall())
    store.close()
    db = sqlite3.connect(path)  # back to the schema before migration 15
    for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND sql LIKE '%content%' "
                              "OR name = 'idx_forms_year_unit_kind_deleted_at'").fetchall():
        db.execute(f"DROP INDEX {name}")
    db.execute("ALTER TABLE risk_points DROP COLUMN content")
    db.execute(f"PRAGMA user_version = {MIGRATIONS.index(_v15_year_comparison)}")
    db.commit()
    db.close()
    store = FormStore.open(path)
    try:
        migrated = dict(store.db.execute("SELECT id, content FROM risk_points").fetchall())
        assert migrated == digests and any(v is None for v in migrated.values())
        for rid, category, point, measures, level, approved in store.db.execute(
                "SELECT id, category, point, measures, self_level, approved_level FROM risk_points"):
            assert migrated[rid] == content_digest(category, point, measures, level, approved)
        assert compare_all(store, YEAR, PREVIOUS) == expected
    finally:
        store.close()
