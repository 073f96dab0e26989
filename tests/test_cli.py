"""The lianzheng command: check, import, export, as a user runs them."""

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from strategies import as_current, form_json

from lianzheng_desktop.cli import main
from lianzheng_desktop.store import FormStore


def run(*args):
    return main([str(a) for a in args])


def write(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def test_check_examples_passes(example_paths, capsys):
    assert run("check", *example_paths) == 0
    assert "通过" in capsys.readouterr().err


def test_import_then_export_gives_back_the_examples(tmp_path, example_paths, examples):
    db = tmp_path / "a.db"
    assert run("import", "--db", db, *example_paths) == 0
    out = tmp_path / "out.json"
    assert run("export", "--db", db, "-o", out) == 0
    exported = json.loads(out.read_text(encoding="utf-8"))
    by_id = {f["id"]: f for f in exported}
    assert len(exported) == len(examples)
    for obj in examples:
        assert by_id[obj["id"]] == as_current(obj)
    assert exported[0]["kind"] == "unit"  # unit form first


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(form_json())
def test_generated_forms_survive_import_and_export(obj):
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        src = tmp / "in.json"
        src.write_text(json.dumps(obj, ensure_ascii=False), encoding="utf-8")
        assert run("import", "--db", tmp / "x.db", src) == 0
        assert run("export", "--db", tmp / "x.db", "-o", tmp / "out.json") == 0
        assert json.loads((tmp / "out.json").read_text(encoding="utf-8")) == [
            as_current(obj) | {"unit": obj["unit"].strip()}]


def test_importing_the_same_file_twice_changes_nothing(tmp_path, example_paths):
    db = tmp_path / "a.db"
    run("import", "--db", db, *example_paths)
    store = FormStore.open(db)
    before = store.content_hash()
    store.close()
    assert run("import", "--db", db, *example_paths) == 0
    store = FormStore.open(db)
    assert store.content_hash() == before
    store.close()


def _bad_files(examples):
    good = examples[1]

    def variant(**changes):
        obj = json.loads(json.dumps(good))
        for key, value in changes.items():
            if value is ...:
                del obj[key]
            else:
                obj[key] = value
        return json.dumps(obj, ensure_ascii=False)

    level4 = json.loads(json.dumps(good))
    level4["risks"][0]["self_level"] = 4
    unknown_cat = json.loads(json.dumps(good))
    unknown_cat["risks"][0]["category"] = "money"
    text = json.dumps(good, ensure_ascii=False)
    return {
        "unknown key": (variant(colour="red"), "无法识别的字段“colour”"),
        "level 4": (json.dumps(level4, ensure_ascii=False), "自评等级“4”无效：只能是一级、二级或三级"),
        "unknown category": (json.dumps(unknown_cat, ensure_ascii=False), "风险类别“money”无效"),
        "year as text": (variant(year="二〇二六"), "年度应当是整数"),
        "missing unit": (variant(unit=...), "缺少必填项“单位”"),
        "unknown kind": (variant(kind="school"), "表格种类“school”无效"),
        "impossible date": (variant(filled_on="2026-13-45"), "填表日期“2026-13-45”无效"),
        "newer schema": (variant(schema=7), "格式版本是 7，本程序只支持到 2"),
        "truncated": (text[: len(text) // 2], "文件不完整"),
        "binary": (bytes(range(256)) * 4, "不是文本文件"),
        "gbk": (text.encode("gbk"), "必须是UTF-8".replace("必须是", "只接受 ").replace("UTF-8", "UTF-8 编码")),
        "deep": ("[" * 100_000 + "]" * 100_000, "嵌套层次过深"),
        "deep object": ('{"a":' * 100_000 + "1" + "}" * 100_000, "嵌套层次过深"),
        "empty": ("", "文件是空的"),
        "not a form": ("42", "应当是一个表格对象或表格数组"),
        "duplicate key": ('{"kind": "unit", "kind": "post"}', "出现了两次字段“kind”"),
    }


@pytest.fixture
def seeded_db(tmp_path, example_paths):
    db = tmp_path / "seed.db"
    assert run("import", "--db", db, example_paths[0]) == 0
    return db


def _hash(db):
    store = FormStore.open(db)
    try:
        return store.content_hash()
    finally:
        store.close()


@pytest.mark.parametrize("case", list(_bad_files([json.loads(p.read_text(encoding="utf-8")) for p in sorted((Path(__file__).parent / "data" / "examples").glob("*.json"))])))
def test_bad_file_is_refused_with_its_reason_and_nothing_written(case, tmp_path, examples, seeded_db, capsys):
    content, expected = _bad_files(examples)[case]
    bad = write(tmp_path, "bad.json", content)
    before = _hash(seeded_db)
    capsys.readouterr()
    assert run("check", bad) == 1
    err = capsys.readouterr().err
    assert expected in err and "bad.json" in err, err
    assert run("import", "--db", seeded_db, bad) == 1
    err = capsys.readouterr().err
    assert expected in err and "未导入" in err, err
    assert "Traceback" not in err
    assert _hash(seeded_db) == before


def test_a_refused_file_does_not_stop_the_others(tmp_path, example_paths, capsys):
    bad = write(tmp_path, "bad.json", "{")
    db = tmp_path / "a.db"
    assert run("import", "--db", db, bad, *example_paths) == 1
    store = FormStore.open(db)
    assert len(store.forms()) == 2
    store.close()


def test_an_array_file_is_imported_whole_or_not_at_all(tmp_path, examples):
    broken = json.loads(json.dumps(examples[0]))
    broken["risks"][0]["self_level"] = 9
    path = write(tmp_path, "arr.json", json.dumps([examples[1], broken], ensure_ascii=False))
    db = tmp_path / "a.db"
    assert run("import", "--db", db, path) == 1
    store = FormStore.open(db)
    assert store.forms() == []
    store.close()


def test_bom_is_accepted(tmp_path, examples):
    path = write(tmp_path, "bom.json", b"\xef\xbb\xbf" + json.dumps(examples[0], ensure_ascii=False).encode())
    assert run("check", path) == 0


def test_export_filters_by_year_and_unit(tmp_path, examples):
    other = json.loads(json.dumps(examples[1]))
    other |= {"id": "0b7d2f7e-1f1a-4e0e-9a57-5d3c2b1a0f99", "unit": "财务处", "year": 2025}
    path = write(tmp_path, "all.json", json.dumps([*examples, other], ensure_ascii=False))
    db = tmp_path / "a.db"
    assert run("import", "--db", db, path) == 0
    for args, count in ((["--year", 2026], 2), (["--unit", "财务处"], 1), ([], 3)):
        out = tmp_path / "o.json"
        assert run("export", "--db", db, *args, "-o", out) == 0
        assert len(json.loads(out.read_text(encoding="utf-8"))) == count


def test_db_from_environment(tmp_path, monkeypatch, example_paths):
    monkeypatch.setenv("LIANZHENG_DB", str(tmp_path / "env.db"))
    assert run("import", example_paths[0]) == 0
    assert (tmp_path / "env.db").exists()


def test_console_entry_point_and_chinese_help():
    result = subprocess.run([sys.executable, "-m", "lianzheng_desktop", "--help"],
                            capture_output=True, text=True, encoding="utf-8")
    assert result.returncode == 0
    assert "用法" in result.stdout and "检查登记表数据文件" in result.stdout
    assert "show this help" not in result.stdout
