"""The committee's summary from SQLite (store/summary.py) shows exactly what the forms hold:
the same rows in the same order as the forms read whole, filters and counts that agree with
them, deleted forms left out, and databases of version 5 brought up to date."""

import json
from collections import Counter

import pytest
import sqlite_utils

from lianzheng_desktop.domain.codec import form_to_json
from lianzheng_desktop.domain.demo import demo_forms
from lianzheng_desktop.domain.rows import risk_rows
from lianzheng_desktop.domain.verification import verification_code
from lianzheng_desktop.store import FormStore
from lianzheng_desktop.store.migrations import MIGRATIONS
from lianzheng_desktop.store.summary import ANY, SummaryQuery, counts, row_ids, rows

UNITS = ("图书馆", "财务处", "人事处")


@pytest.fixture
def store(tmp_path):
    s = FormStore.open(tmp_path / "c.db")
    for unit in UNITS:
        s.save_all(demo_forms(unit, posts=5))
    yield s
    s.close()


def shown(store, query):
    return rows(store, row_ids(store, query))


def expected(store, keep=lambda r: True):
    # the forms read whole, in the store's order (unit, unit form first, then posts as created)
    forms = sorted(store.forms(year=2026), key=lambda f: f.unit)
    return [r for r in risk_rows(forms) if keep(r)]


def test_all_rows_in_the_order_of_the_forms(store):
    assert shown(store, SummaryQuery(2026)) == expected(store)
    assert shown(store, SummaryQuery(2025)) == []


@pytest.mark.parametrize("key, value", [("unit", "财务处"), ("kind", "post"), ("category", "duty"),
                                        ("self_level", 1), ("approved_level", None), ("approved_level", 2)])
def test_each_criterion_keeps_what_the_forms_say(store, key, value):
    got = shown(store, SummaryQuery(2026, {key: value}))
    assert got and got == expected(store, lambda r: getattr(r, key) == value)


def test_criteria_together_text_and_differs(store):
    query = SummaryQuery(2026, {"unit": "图书馆", "self_level": ANY, "kind": "post"}, differs_only=True)
    assert shown(store, query) == expected(
        store, lambda r: r.unit == "图书馆" and r.kind == "post" and r.approved_level not in (None, r.self_level))
    for text in ("利益输送", "围猎", "“围猎”"):  # FTS (3+ characters) and LIKE (fewer)
        got = shown(store, SummaryQuery(2026, text=text))
        assert got and got == expected(store, lambda r, t=text: t in r.point + r.measures)
    person = store.forms(year=2026, unit="人事处", kind="post")[0].person
    assert {r.person for r in shown(store, SummaryQuery(2026, text=person))} >= {person}
    assert shown(store, SummaryQuery(2026, text='"引号%_')) == []


def test_sorting_by_a_column_keeps_the_natural_order_within_equal_values(store):
    got = shown(store, SummaryQuery(2026).with_sort("self_level", descending=True))
    levels = [r.self_level for r in got]
    assert levels == sorted(levels, key=lambda v: (v is None, -(v or 0)))
    assert [r for r in got if r.self_level == 2] == expected(store, lambda r: r.self_level == 2)
    with pytest.raises(ValueError):
        SummaryQuery(2026).with_sort("data; DROP TABLE forms")


def test_counts_agree_with_the_rows(store):
    query = SummaryQuery(2026, {"kind": "post"}, text="措施")
    assert counts(store, query) == Counter((r.unit, r.category, r.self_level) for r in shown(store, query))


def test_deleted_forms_leave_and_come_back_with_their_points(store):
    form = store.forms(year=2026, unit="财务处", kind="post")[0]
    before = shown(store, SummaryQuery(2026))
    store.delete(form.id)
    assert shown(store, SummaryQuery(2026)) == [r for r in before if r.form_id != form.id]
    store.undelete(form.id)
    assert shown(store, SummaryQuery(2026)) == before


def test_a_version_5_database_gains_the_summary_columns(tmp_path):
    path = tmp_path / "v5.db"
    db = sqlite_utils.Database(path)
    for migrate in MIGRATIONS[:5]:
        migrate(db)
    db.execute("PRAGMA user_version = 5")
    forms = demo_forms("图书馆", posts=3) + demo_forms("财务处", posts=2)
    for seq, form in enumerate(forms, 1):  # as version 5 of the program saved them
        data = form_to_json(form)
        db.table("forms").insert({"id": form.id, "seq": seq, "kind": form.kind, "year": form.year,
                                  "unit": form.unit, "person": form.person, "post": form.post,
                                  "data": json.dumps(data, ensure_ascii=False), "digest": "d",
                                  "created_at": "t", "updated_at": "t", "code": verification_code(form),
                                  "deleted_at": "t" if seq == 2 else None})
        db.table("risk_points").insert_all(
            {"form_id": form.id, "position": i, "category": r["category"], "point": r["point"],
             "measures": r["measures"], "self_level": r["self_level"], "approved_level": r["approved_level"]}
            for i, r in enumerate(data["risks"]))
    db.conn.commit()
    db.close()
    store = FormStore.open(path)
    live = [f for seq, f in enumerate(forms, 1) if seq != 2]
    assert shown(store, SummaryQuery(2026)) == risk_rows(live)
    assert store.search("利益输送")  # the search index still answers, for the new rows too
    store.save(forms[2])
    assert shown(store, SummaryQuery(2026)) == risk_rows(live)
    store.close()


def test_the_natural_order_is_read_from_the_index_with_the_declared_kinds_and_categories(store):
    from lianzheng_desktop.store.summary import _order

    query = SummaryQuery(2026)
    where, params = query.where()
    plan = " ".join(r[3] for r in store.db.execute(
        f"EXPLAIN QUERY PLAN SELECT id FROM risk_points WHERE {where} ORDER BY {_order(query)}", params))
    assert "idx_risk_points_order" in plan and "TEMP B-TREE" not in plan, plan


@pytest.mark.parametrize("text", ["", "围猎", "利益输送"])
def test_a_selection_has_the_rows_and_counts_of_its_query(store, text):
    from lianzheng_desktop.store.summary import select

    query = SummaryQuery(2026, {"kind": "post"}, text=text).with_sort("point")
    selection = select(store, query)
    assert list(selection.ids) == list(row_ids(store, query))
    assert selection.counts == counts(store, query)


@pytest.mark.parametrize("streamed", [False, True])
def test_the_excel_summary_from_the_store_equals_the_one_from_the_forms(store, tmp_path, monkeypatch, streamed):
    from openpyxl import load_workbook

    from lianzheng_desktop.exchange import summary as excel
    from lianzheng_desktop.exchange.summary import write_summary
    from lianzheng_desktop.operations.committee import export_summary

    if streamed:  # as for more than STREAM_ABOVE points
        monkeypatch.setattr(excel, "STREAM_ABOVE", 0)
    store.delete(store.forms(year=2026, unit="人事处", kind="post")[1].id)
    forms = store.forms(year=2026)
    write_summary(forms, tmp_path / "forms.xlsx", 2026)
    assert export_summary(store, tmp_path / "store.xlsx", 2026).forms == len(forms)
    one, two = load_workbook(tmp_path / "forms.xlsx"), load_workbook(tmp_path / "store.xlsx")
    assert two.sheetnames == [*one.sheetnames, "考核"]  # the store's summary adds the 考核 sheet
    for sheet in one.sheetnames:
        assert [[c.value for c in row] for row in one[sheet].rows] == [[c.value for c in row] for row in two[sheet].rows]
    assert two["风险点"].max_row == 1 + sum(len(f.risks) for f in forms)


def test_points_beyond_one_sheet_go_on_to_the_next(store, tmp_path, monkeypatch):
    from openpyxl import load_workbook

    from lianzheng_desktop.exchange import summary as excel
    from lianzheng_desktop.operations.committee import export_summary

    monkeypatch.setattr(excel, "SHEET_ROWS", 21)  # 20 points a sheet
    export_summary(store, tmp_path / "s.xlsx", 2026)
    book = load_workbook(tmp_path / "s.xlsx")
    parts = [name for name in book.sheetnames if name.startswith("风险点")]
    assert parts[:2] == ["风险点", "风险点（2）"]
    found = [row for name in parts for row in book[name].iter_rows(min_row=2, values_only=True)]
    assert len(found) == len(shown(store, SummaryQuery(2026)))
