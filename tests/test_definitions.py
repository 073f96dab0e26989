"""forms/ is complete, consistent, and the published schema is generated from it."""

import ast
import json
from pathlib import Path

from lianzheng_desktop.domain.definitions import definitions
from lianzheng_desktop.domain.schema_gen import schema_text
from lianzheng_desktop.paths import forms_dir


def test_five_categories_with_both_names_in_official_order():
    d = definitions()
    assert d.category_keys == ("thought", "duty", "process", "system", "external")
    assert [c.name for c in d.categories] == [
        "思想道德风险", "岗位职责风险", "工作流程风险", "制度机制风险", "外部环境风险"]
    assert [c.reference_name for c in d.categories] == [
        "思想意识风险", "职责履行风险", "工作流程风险", "制度机制风险", "外部环境风险"]
    assert all(c.description.startswith("主要") for c in d.categories)


def test_reference_points_match_attachment_1():
    d = definitions()
    counts = [len(c.points) for c in d.categories]
    assert counts == [9, 8, 8, 8, 8]
    codes = [p.code for c in d.categories for p in c.points]
    assert len(codes) == len(set(codes))
    for c in d.categories:
        assert all(p.code.startswith(c.key + "-") for p in c.points)
        assert c.points[-1].text == "其它" and c.points[-1].other
    assert d.reference_point("thought-01").text == "是否树牢“四个意识”，坚定“四个自信”，坚决做到“两个维护”"
    assert d.reference_point("external-04").text == "受不良风气影响，搞“潜规则”"
    assert "仅供参考" in d.reference["note"]


def test_levels_and_measures_from_sections_5_and_6():
    d = definitions()
    assert [lv.name for lv in d.levels] == ["一级", "二级", "三级"]
    assert "甚至可能犯罪" in d.level(1).definition
    assert [m.name for m in d.measures] == ["加强思想教育", "界定工作职权", "规范权力运行", "加强监督检查"]
    assert all(len(m.items) == 2 for m in d.measures)
    assert d.measure_texts["stages"] == ["前期预防", "中期监控", "后期处置"]


def test_field_labels_keep_the_printed_line_breaks():
    d = definitions()
    assert d.field("person").label == "责任人姓名"
    assert d.field("person").label_lines == ("责任人", "姓名")
    assert d.field("review_opinion").label_lines == ("单位审", "核意见")
    assert [f.key for f in d.fields_for("post") if f.key in {"head", "leader_opinion"}] == []


def test_published_schema_is_generated_from_fields_toml():
    committed = (forms_dir() / "schema" / "form.schema.json").read_text(encoding="utf-8")
    assert committed == schema_text(), "运行 python -m lianzheng_desktop.domain.schema_gen"
    json.loads((forms_dir() / "schema" / "package-manifest.schema.json").read_text(encoding="utf-8"))


def _string_literals(source: str) -> list[str]:
    """String constants of a module, docstrings and comments left out."""
    tree = ast.parse(source)
    docstrings = {id(n.value) for n in ast.walk(tree)
                  if isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant)}
    return [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant)
            and isinstance(n.value, str) and id(n) not in docstrings]


def test_no_official_label_is_typed_in_python():
    """Labels live in forms/; the Python code must not repeat them in its strings."""
    import lianzheng_desktop

    d = definitions()
    labels = {c.name for c in d.categories} | {c.reference_name for c in d.categories}
    labels |= {p.text for c in d.categories for p in c.points if not p.other}
    labels |= {f.label for f in d.fields if len(f.label) > 3}  # not plain words like 风险点
    labels |= {d.tables["common"]["remarks_default"], d.tables["unit"]["title"], d.tables["post"]["title"]}
    root = Path(lianzheng_desktop.__file__).parent
    for source in root.rglob("*.py"):
        strings = _string_literals(source.read_text(encoding="utf-8"))
        found = {label for label in labels for s in strings if label in s}
        assert not found, f"{source.name} repeats labels from forms/: {found}"
