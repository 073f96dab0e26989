"""Word files made like real filled templates read to the expected form, with every piece
of text that found no place listed, and the notes a user needs to check the reading."""

import io
import json
import zipfile
from pathlib import Path

import pytest

from lianzheng_desktop.domain.codec import form_from_json, form_to_json
from lianzheng_desktop.exchange.docx import (
    CannotPlace,
    DocxRefused,
    discard,
    place,
    read_docx,
    read_docx_file,
    write_docx,
)

DOCX = Path(__file__).parent / "data" / "docx"
FIXTURES = sorted(DOCX.glob("*.docx"))


def expected_of(path: Path) -> dict:
    return json.loads(path.with_name(path.name.replace(".docx", ".expected.json")).read_text(encoding="utf-8"))


def example(examples, kind: str):
    form, _ = form_from_json(next(e for e in examples if e["kind"] == kind))
    return form


def read(path: Path, **kw):
    return read_docx(path.read_bytes(), name=path.name, **kw)


def test_there_are_fixtures_of_every_shape():
    names = {p.name for p in FIXTURES}
    assert {"unit-filled.docx", "post-split.docx", "2025-blank-unit.docx", "post-ticks.docx",
            "unit-stretched.docx", "lo-roundtrip.docx"} <= names


def without_point_ids(risk: dict) -> dict:
    return {k: v for k, v in risk.items() if k not in ("id", "ref")}


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_fixture_reads_to_expected_form(path):
    expected = expected_of(path)
    reading = read(path)
    actual = form_to_json(reading.form)
    if "id" not in expected["form"]:
        actual.pop("id")
    actual.pop("schema")  # always the current format's (a form read is written as current)
    expected["form"].pop("schema", None)
    actual["risks"] = [without_point_ids(r) for r in actual["risks"]]  # none recorded: derived
    assert actual == expected["form"]
    assert [u.text for u in reading.unplaced] == expected["unplaced"]
    assert reading.notes == expected["notes"]


def test_unplaced_text_says_where_it_was():
    reading = read(DOCX / "post-ticks.docx")
    where = {u.text: (u.where, u.reason) for u in reading.unplaced}
    assert where["李四"][0] == "第 1 个表格第 22 行·“单位审核意见”栏的签字处"
    assert "不止一个等级" in where["一级、三级"][1]
    assert where["附：本表一式两份。"][0] == "第 1 个表格后第 2 段"


def test_same_file_twice_gets_the_same_id_and_different_files_differ():
    ids = {p.name: read(p).form.id for p in FIXTURES}
    assert ids == {p.name: read(p).form.id for p in FIXTURES}
    assert len(set(ids.values())) == len(ids)


def test_own_file_keeps_identity_through_libreoffice():
    expected = expected_of(DOCX / "lo-roundtrip.docx")["form"]
    reading = read(DOCX / "lo-roundtrip.docx")
    assert reading.own and reading.form.id == expected["id"]


def test_own_file_copied_for_another_person_becomes_another_form(examples):
    form = example(examples, "post")
    data = write_docx(form)
    other = form.copy()
    other.person = "另一位同事"
    copied = _swap_document(data, write_docx(other))  # the same properties, someone else's table
    reading = read_docx(copied, name="copy.docx")
    assert reading.form.id != form.id
    assert any("当作另一张表" in n for n in reading.notes)


def _swap_document(original: bytes, donor: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(donor)) as z:
        document = z.read("word/document.xml")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(original)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, document if info.filename == "word/document.xml" else src.read(info))
    return out.getvalue()


def test_year_chosen_by_the_user_wins_with_a_note():
    reading = read(DOCX / "unit-filled.docx", year=2026)
    assert reading.form.year == 2026
    assert "文件写的是 2025 年度，按所选年度 2026 导入" in reading.notes


def test_place_and_discard_unplaced_text():
    reading = read(DOCX / "post-ticks.docx")
    texts = [u.text for u in reading.unplaced]
    # 很高 goes into the measures of the 工作流程风险 point, the paper note into 备注
    risk = next(i for i, r in enumerate(reading.form.risks) if r.category == "process")
    placed = place(reading, texts.index("很高"), ("risks", risk, "measures"))
    assert placed.form.risks[risk].measures == "按节点审核支付。\n很高"
    assert reading.form.risks[risk].measures == "按节点审核支付。"  # the original is untouched
    note = [u.text for u in placed.unplaced].index("附：本表一式两份。")
    placed = place(placed, note, ("remarks",))
    assert placed.form.remarks == "另附工程项目清单一份。\n附：本表一式两份。"
    date = [u.text for u in placed.unplaced].index("2025年11月20日")
    assert place(placed, date, ("filled_on",)).form.filled_on.isoformat() == "2025-11-20"
    new = place(placed, 0, ("new_risk", "system", "point"))
    assert [r.point for r in new.form.risks_in("system")] == ["一级、三级"]
    rest = placed
    while rest.unplaced:
        rest = discard(rest, 0)
    assert rest.unplaced == [] and rest.form == placed.form


def test_place_refuses_what_does_not_fit():
    reading = read(DOCX / "post-ticks.docx")
    texts = [u.text for u in reading.unplaced]
    with pytest.raises(CannotPlace):
        place(reading, texts.index("很高"), ("risks", 0, "self_level"))
    with pytest.raises(CannotPlace):
        place(reading, texts.index("李四"), ("filled_on",))
    with pytest.raises(CannotPlace):
        place(reading, 0, ("leader_opinion",))  # a post form has no 分管校领导意见


def test_kind_from_labels_when_the_title_is_missing(examples):
    form = example(examples, "post")
    data = _edit_document(write_docx(form), lambda xml: xml.replace("岗位廉政风险防控登记表", "").replace("附件3", ""))
    reading = read_docx(data, name="x.docx")
    assert reading.form.kind == "post" and reading.form.person == form.person
    assert "文件里没有标题，按表格的栏目判断为岗位登记表" in reading.notes


def test_read_from_a_file(tmp_path):
    reading = read_docx_file(DOCX / "unit-filled.docx")
    assert reading.form.unit == "图书馆" and reading.name == "unit-filled.docx"
    with pytest.raises(DocxRefused, match="无法读取"):
        read_docx_file(tmp_path / "不存在.docx")


def test_two_forms_in_one_file_are_refused(examples):
    form, _ = form_from_json(examples[0])

    def twice(xml: str) -> str:
        start, end = xml.index("<w:body>") + len("<w:body>"), xml.index("<w:sectPr>")
        return xml[:end] + xml[start:end] + xml[end:]

    with pytest.raises(DocxRefused, match="2 张登记表"):
        read_docx(_edit_document(write_docx(form), twice), name="x.docx")


def test_a_letter_is_not_a_form(examples):
    form, _ = form_from_json(examples[0])
    data = _edit_document(write_docx(form), lambda xml: xml[:xml.index("<w:body>") + 8]
                          + "<w:p><w:r><w:t>关于报送登记表的通知</w:t></w:r></w:p>" + xml[xml.index("<w:sectPr>"):])
    with pytest.raises(DocxRefused, match="没有找到"):
        read_docx(data, name="letter.docx")


def _edit_document(data: bytes, edit) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            content = src.read(info)
            if info.filename == "word/document.xml":
                content = edit(content.decode("utf-8")).encode("utf-8")
            dst.writestr(info, content)
    return out.getvalue()


def test_duties_that_name_the_form_are_not_a_second_title(examples):
    form = example(examples, "post")
    form.post_duties = "岗位廉政风险防控登记表"
    form.integrity_duties = "按要求填写2025年度岗位廉政风险防控登记表"
    reading = read_docx(write_docx(form), name="x.docx")
    assert reading.form.post_duties == form.post_duties
    assert reading.form.integrity_duties == form.integrity_duties


def _without_properties(data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            if info.filename != "docProps/custom.xml":
                dst.writestr(info, src.read(info))
    return out.getvalue()


@pytest.mark.parametrize("name", ["examples/unit-library.json", "examples/post-library-acquisitions.json",
                                  "long-unit.json"])
def test_written_form_reads_back_as_a_foreign_file(name):
    """Without this program's properties the reader trusts nothing it wrote (styles,
    numbering, cells) and still gets the same data, and an id of its own."""
    obj = json.loads((DOCX.parent / name).read_text(encoding="utf-8"))
    obj["review_opinion"] = "同意。\n请细化措施。"
    form, _ = form_from_json(obj)
    reading = read_docx(_without_properties(write_docx(form)), name="x.docx")
    assert not reading.own and reading.unplaced == []
    back, original = form_to_json(reading.form), form_to_json(form)
    assert back.pop("id") != original.pop("id")
    assert not {r["id"] for r in back["risks"]} & {r["id"] for r in original["risks"]}  # new points
    back["risks"] = [without_point_ids(r) for r in back["risks"]]
    original["risks"] = [without_point_ids(r) for r in original["risks"]]
    order = [r["category"] for r in back["risks"]]
    assert back["risks"] == sorted(original["risks"], key=lambda r: order.index(r["category"]))
    assert {k: v for k, v in back.items() if k != "risks"} == {k: v for k, v in original.items() if k != "risks"}


def test_tracked_changes_are_read_accepted_and_symbols_are_not_lost(examples):
    form = example(examples, "unit")
    old = f'<w:r><w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr><w:t xml:space="preserve">{form.head}</w:t></w:r>'

    def edit(xml: str) -> str:
        assert old in xml
        return xml.replace(old, '<w:del w:id="1" w:author="a"><w:r><w:delText>删掉的名字</w:delText></w:r></w:del>'
                                '<w:ins w:id="2" w:author="a"><w:r><w:t>新名字</w:t></w:r></w:ins>'
                                '<w:r><w:sym w:font="Webdings" w:char="F021"/></w:r>')

    reading = read_docx(_edit_document(write_docx(form), edit), name="x.docx")
    assert reading.form.head == "新名字\ufffd"
    assert "文件里有修订痕迹，按“接受全部修订”读取" in reading.notes
    assert any("Webdings F021" in n for n in reading.notes)
