"""forms/ is the single source of truth: a new kind of form and a new field are data-only
changes that every layer picks up, and the 校验码 of forms already on paper stays the same.

A copy of forms/ is changed the way docs/forms-data.md says, and a separate process
(forms_data_child.py) is run against it with LIANZHENG_FORMS.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from lianzheng_desktop.domain.codec import form_from_json, form_to_json
from lianzheng_desktop.domain.definitions import definitions
from lianzheng_desktop.domain.model import CORE, Form
from lianzheng_desktop.domain.verification import verification_code
from lianzheng_desktop.paths import forms_dir

CHILD = Path(__file__).parent / "forms_data_child.py"

NEW_FIELDS = '''
[[field]]
key = "contact"
label = "联系|电话"
kinds = ["post"]
type = "text"
expected = true
since = 2

[[field]]
key = "section"
label = "科室|名称"
kinds = ["dept"]
type = "text"
required = true
since = 2
'''

DEPT_KIND = '''
[dept]
attachment = "附件4"
title = "科室廉政风险防控登记表"
short_name = "科室登记表"
singleton = false
screen_name = ["{section}", "（未填科室）"]
tab_name = ["{section}", "{short_name}"]
message_name = ["{short_name}（{section}）", "{short_name}"]
file_name = ["{year}_{unit}_{section}_{title}"]
rows = [
  { type = "field", field = "section" },
  { type = "field", field = "head" },
  { type = "field", field = "integrity_duties" },
  { type = "risks" },
  { type = "sign", field = "review_opinion", lines = ["科室负责人签字：", "年|月|日"] },
  { type = "remarks", field = "remarks" },
]
'''


def modified_forms(tmp_path: Path) -> Path:
    """forms/ with a third kind (附件4 科室登记表, from the row types the two forms use) and a
    new post field 联系电话 — format version 2."""
    copy = tmp_path / "forms"
    shutil.copytree(forms_dir(), copy)
    fields = (copy / "fields.toml").read_text(encoding="utf-8")
    fields = fields.replace("schema_version = 1", "schema_version = 2")
    fields = fields.replace('kinds = ["unit", "post"]', 'kinds = ["unit", "post", "dept"]')
    fields = fields.replace('key = "head"\nlabel = "主要负责人"\nkinds = ["unit"]',
                            'key = "head"\nlabel = "主要负责人"\nkinds = ["unit", "dept"]')
    fields = fields.replace("# 每个风险点（risks 数组的元素）的键。", NEW_FIELDS + "\n# 每个风险点（risks 数组的元素）的键。")
    (copy / "fields.toml").write_text(fields, encoding="utf-8")
    tables = (copy / "tables.toml").read_text(encoding="utf-8")
    tables = tables.replace('kinds = ["unit", "post"]', 'kinds = ["unit", "post", "dept"]')
    tables = tables.replace('  { type = "pair", fields = ["person", "post"] },',
                            '  { type = "pair", fields = ["person", "post"] },\n  { type = "field", field = "contact" },')
    (copy / "tables.toml").write_text(tables + DEPT_KIND, encoding="utf-8")
    return copy


def run_child(forms: Path, objects: list, tmp_path: Path, *options: str) -> dict:
    data = tmp_path / "forms.json"
    data.write_text(json.dumps(objects, ensure_ascii=False), encoding="utf-8")
    env = {**os.environ, "LIANZHENG_FORMS": str(forms), "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run([sys.executable, str(CHILD), str(data), *options], capture_output=True, text=True, env=env,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture
def examples_v1(examples):
    unit = next(o for o in examples if o["kind"] == "unit")
    post = next(o for o in examples if o["kind"] == "post")
    return unit, post


def test_a_third_kind_and_a_new_post_field_need_no_python_change(tmp_path, examples_v1):
    unit, post = examples_v1
    post_v2 = {**post, "schema": 2, "id": "0b7d2f7e-1f1a-4e0e-9a57-5d3c2b1a0f09", "contact": "025-5212 3456"}
    dept = {"schema": 2, "kind": "dept", "year": 2026, "unit": "图书馆", "section": "采编部", "head": "林晓",
            "integrity_duties": "科室的廉政职责", "id": "0b7d2f7e-1f1a-4e0e-9a57-5d3c2b1a0f0a",
            "risks": [{"category": "duty", "point": "验收把关不严", "self_level": 2, "approved_level": None,
                       "measures": "双人验收"}], "review_opinion": "", "remarks": "", "filled_on": None}
    seen = run_child(modified_forms(tmp_path), [unit, post_v2, dept], tmp_path)
    assert seen["kinds"] == ["unit", "post", "dept"]
    assert not seen["read_errors"] and not seen["validation_errors"]
    # the reader and writer: the new keys are kept, the format version is the new one
    assert seen["json"][1]["contact"] == "025-5212 3456" and seen["json"][1]["schema"] == 2
    assert seen["json"][2]["section"] == "采编部" and "person" not in seen["json"][2]
    # the PDF prints the new kind's title and rows, and the new post row
    assert "科室廉政风险防控登记表" in seen["pdf"][2] and "科室名称" in seen["pdf"][2] and "采编部" in seen["pdf"][2]
    assert "附件4" in seen["pdf"][2] and "科室负责人签字" in seen["pdf"][2]
    assert "联系电话" in seen["pdf"][1] and "025-5212 3456" in seen["pdf"][1]
    # the data package carries and counts the new kind
    assert seen["package_same"] and seen["package_counts"] == {"unit": 1, "post": 1, "dept": 1}
    # the Excel summary has a sheet for the new kind and the new post column
    assert "科室廉政风险防控登记表" in seen["sheets"]
    assert "采编部" in seen["sheets"]["科室廉政风险防控登记表"][1]
    post_sheet = seen["sheets"]["岗位廉政风险防控登记表"]
    assert "联系电话" in post_sheet[0] and "025-5212 3456" in post_sheet[1]
    # the desktop program: a "new" action, a list entry and an editor with a widget for each field
    assert seen["new_actions"]["dept"] == "新建科室廉政风险防控登记表…"
    assert "采编部" in seen["navigator"]
    assert {"section", "head", "integrity_duties"} <= set(seen["editor_fields"]["dept"])
    assert "contact" in seen["editor_fields"]["post"]


def test_codes_on_paper_still_verify_after_a_field_is_added(tmp_path, examples_v1):
    """Forms printed and signed before the program learnt a new field keep their 校验码."""
    unit, post = examples_v1
    before = [verification_code(form_from_json(o)[0]) for o in (unit, post)]
    # the same post form as a version-2 program writes it: new version, new key still empty
    post_v2_empty = {**post, "schema": 2, "contact": ""}
    post_v2_filled = {**post, "schema": 2, "contact": "8888"}
    seen = run_child(modified_forms(tmp_path), [unit, post, post_v2_empty, post_v2_filled], tmp_path, "--codes")
    assert seen["codes"][:3] == [before[0], before[1], before[1]]
    assert seen["codes"][3] != before[1]  # a filled-in new field is content: the code changes


def test_form_attributes_are_exactly_the_declared_keys():
    d = definitions()
    for kind in d.kind_keys:
        written = form_to_json(Form(kind=kind, year=2026, unit="图书馆"))
        assert list(written) == [f.key for f in d.fields_for(kind)]
    assert set(CORE) <= {f.key for f in d.fields}
    with pytest.raises(AttributeError):
        Form(kind="post", year=2026, unit="图书馆", persn="拼错的字段")
