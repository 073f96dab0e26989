"""The SQLite store: revisions, restore, deletion, search, migrations."""

import json
import sqlite3

import pytest
from strategies import as_current

from lianzheng_desktop.domain.codec import form_from_json, form_to_json
from lianzheng_desktop.domain.model import RiskPoint
from lianzheng_desktop.store import FormStore, StoreError
from lianzheng_desktop.store.database import DatabaseTooNew, schema_version, user_version


@pytest.fixture
def store(tmp_path):
    s = FormStore.open(tmp_path / "s.db")
    yield s
    s.close()


@pytest.fixture
def unit_form(examples):
    return form_from_json(examples[1])[0]


def test_settings_wal_foreign_keys_version(store):
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert user_version(store.db) == schema_version()


def test_every_save_appends_a_revision_and_all_can_be_read_back(store, unit_form):
    texts = []
    for i in range(4):
        unit_form.head = f"负责人{i}"
        texts.append(unit_form.head)
        assert store.save(unit_form).changed
    assert not store.save(unit_form).changed  # same content: no new revision
    revisions = store.revisions(unit_form.id)
    assert len(revisions) == 4
    assert [store.revision_form(r.id).head for r in reversed(revisions)] == texts
    assert store.get(unit_form.id).id == unit_form.id


def test_restoring_an_old_revision_is_a_new_revision(store, unit_form):
    store.save(unit_form)
    first = store.revisions(unit_form.id)[0]
    unit_form.risks.append(RiskPoint("thought", "新风险点", 1, None, "措施"))
    store.save(unit_form)
    result = store.restore(unit_form.id, first.id)
    assert result.changed
    revisions = store.revisions(unit_form.id)
    assert len(revisions) == 3 and revisions[0].note.startswith("恢复到版本")
    assert len(store.get(unit_form.id).risks) == 5
    # the undone state is still there
    assert len(store.revision_form(revisions[1].id).risks) == 6


def test_delete_is_recoverable(store, unit_form):
    store.save(unit_form)
    store.delete(unit_form.id)
    assert store.get(unit_form.id) is None
    assert store.forms() == []
    assert store.summaries(include_deleted=True)[0].deleted
    store.undelete(unit_form.id)
    assert form_to_json(store.get(unit_form.id)) == form_to_json(unit_form)


def test_queries_by_year_unit_kind_and_post_list(store, examples):
    unit, post = form_from_json(examples[1])[0], form_from_json(examples[0])[0]
    store.save_all([post, unit])
    assert [f.kind for f in store.forms(year=2026)] == ["unit", "post"]
    assert store.forms(year=2025) == []
    assert [s.person for s in store.summaries(year=2026, unit="图书馆", kind="post")] == ["林晓"]
    assert store.forms(year=2026, unit="图书馆", kind="unit")[0].head == "周文渊"
    assert store.years() == [2026] and store.units() == ["图书馆"]


def test_full_text_search_over_points_and_measures(store, examples):
    store.save_all([form_from_json(o)[0] for o in examples])
    hits = store.search("供应商")  # in a point of the post form and a measure of the unit form
    assert {h.form_id[-2:] for h in hits} == {"01", "02"}
    assert [h.category for h in store.search("双人复核")] == ["process"]
    assert store.search("验收")  # two characters: below the trigram size, still found
    assert store.search("不存在的内容") == []
    assert store.search('"引号') == []


def test_save_all_is_all_or_nothing(store, examples):
    good = form_from_json(examples[0])[0]
    bad = form_from_json(examples[1])[0]
    bad.year = None  # violates NOT NULL
    with pytest.raises(sqlite3.IntegrityError):
        store.save_all([good, bad])
    assert store.forms() == []


def _make_v1_database(path, form_obj):
    """A database as version 1 of the program left it, built by hand."""
    conn = sqlite3.connect(path)
    conn.executescript("""
        CREATE TABLE forms (id TEXT PRIMARY KEY, seq INTEGER NOT NULL, kind TEXT NOT NULL,
            year INTEGER NOT NULL, unit TEXT NOT NULL, person TEXT NOT NULL, post TEXT NOT NULL,
            data TEXT NOT NULL, digest TEXT NOT NULL, created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL);
        CREATE TABLE revisions (id INTEGER PRIMARY KEY, form_id TEXT NOT NULL REFERENCES forms(id),
            saved_at TEXT NOT NULL, data TEXT NOT NULL, digest TEXT NOT NULL, note TEXT NOT NULL);
        PRAGMA user_version = 1;
    """)
    data = json.dumps(form_obj, ensure_ascii=False)
    conn.execute("INSERT INTO forms VALUES (?, 1, ?, ?, ?, '', '', ?, 'old', 't', 't')",
                 [form_obj["id"], form_obj["kind"], form_obj["year"], form_obj["unit"], data])
    conn.execute("INSERT INTO revisions (form_id, saved_at, data, digest, note) VALUES (?, 't', ?, 'old', '')",
                 [form_obj["id"], data])
    conn.commit()
    conn.close()


def test_version_1_database_is_migrated_in_place(tmp_path, examples):
    path = tmp_path / "old.db"
    _make_v1_database(path, examples[1])
    store = FormStore.open(path)
    assert user_version(store.db) == schema_version() >= 6  # 6: the header marks the file as ours
    assert form_to_json(store.get(examples[1]["id"])) == as_current(examples[1])  # points have ids
    assert store.search("剔旧处置")  # the search index was built from the old rows
    assert len(store.revisions(examples[1]["id"])) == 1
    store.close()


def test_database_from_a_newer_program_is_refused(tmp_path):
    path = tmp_path / "new.db"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.execute("PRAGMA application_id = 1280984139")  # the mark every database of ours carries
    conn.execute("CREATE TABLE forms (id)")
    conn.execute("CREATE TABLE revisions (id)")
    conn.close()
    with pytest.raises(DatabaseTooNew, match="更新版本的程序"):
        FormStore.open(path)


def test_a_file_that_is_not_a_database_is_refused_untouched(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("这是一个文本文件\n" * 100, encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(StoreError, match="不是本程序的数据库"):
        FormStore.open(path)
    assert path.read_bytes() == before
