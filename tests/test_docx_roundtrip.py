"""A form written as .docx and read back is the same form (hypothesis)."""

import json

from hypothesis import HealthCheck, given, settings
from strategies import form_json

from lianzheng_desktop.domain.codec import form_from_json, form_to_json
from lianzheng_desktop.domain.definitions import definitions
from lianzheng_desktop.exchange.docx import read_docx, write_docx
from lianzheng_desktop.exchange.docx.xml import clean

TEXT_KEYS = ("unit", "head", "person", "post", "unit_duties", "post_duties", "integrity_duties",
             "review_opinion", "leader_opinion", "remarks")


def as_word_keeps_it(obj: dict) -> dict:
    """What Word can hold of a form: text without the characters XML 1.0 forbids and with
    "\\r\\n" as "\\n"; risks in printed order (grouped by category); a risk row with nothing
    in it is an empty row; 备注 that is exactly the official default sentence is empty."""
    d = definitions()
    out = dict(obj)
    for key in TEXT_KEYS:
        if key in out:
            out[key] = clean(out[key])
    out["unit"] = out["unit"].strip()  # the reader's codec trims the unit name, as every reader does
    if out["remarks"] == d.tables["common"]["remarks_default"]:
        out["remarks"] = ""
    order = {key: i for i, key in enumerate(d.category_keys)}
    risks = [dict(r, point=clean(r["point"]), measures=clean(r["measures"])) for r in out["risks"]]
    risks = [r for r in risks if r["point"] or r["measures"] or r["self_level"] or r["approved_level"]]
    out["risks"] = sorted(risks, key=lambda r: order[r["category"]])
    return out


def round_trip(obj: dict) -> tuple[dict, object]:
    form, problems = form_from_json(obj)
    assert form is not None, problems
    reading = read_docx(write_docx(form), name="表.docx")
    return form_to_json(reading.form), reading


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(form_json())
def test_any_form_survives_word(obj):
    back, reading = round_trip(obj)
    assert back == as_word_keeps_it(form_to_json(form_from_json(obj)[0]))
    assert reading.unplaced == []
    assert reading.own


def test_point_that_starts_with_numbering_keeps_it(examples):
    obj = examples[0]
    obj["risks"][0]["point"] = "2、已有编号的风险点"
    obj["risks"][1]["point"] = "（一）也有编号"
    back, _ = round_trip(obj)
    points = [r["point"] for r in back["risks"]]
    assert "2、已有编号的风险点" in points and "（一）也有编号" in points


def test_writing_is_deterministic(examples):
    form, _ = form_from_json(examples[0])
    assert write_docx(form) == write_docx(form)


def test_identity_survives_and_year_comes_from_the_file(examples):
    form, _ = form_from_json(examples[1])
    reading = read_docx(write_docx(form), name="x.docx")
    assert reading.form.id == form.id and reading.form.year == form.year
    assert json.dumps(form_to_json(reading.form), ensure_ascii=False)


def _without_properties(data: bytes) -> bytes:
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            if info.filename != "docProps/custom.xml":
                dst.writestr(info, src.read(info))
    return out.getvalue()


def _edges_trimmed(text: str) -> str:
    lines = [line.rstrip(" \u3000\t") for line in text.split("\n")]
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines).strip(" \u3000\t")


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(form_json())
def test_any_form_survives_word_as_a_file_from_elsewhere(obj):
    """Without this program's properties nothing it wrote is trusted: the cells are read as
    a user's, whose blank edges (invisible in Word) are trimmed; the data is the same."""
    form, _ = form_from_json(obj)
    reading = read_docx(_without_properties(write_docx(form)), name="x.docx", year=form.year)
    expected = as_word_keeps_it(form_to_json(form))
    for key in TEXT_KEYS:
        if key in expected:
            expected[key] = _edges_trimmed(expected[key])
    risks = [dict(r, point=_edges_trimmed(r["point"].lstrip()), measures=_edges_trimmed(r["measures"]))
             for r in expected["risks"]]
    expected["risks"] = [r for r in risks if r["point"].strip() or r["measures"].strip()
                         or r["self_level"] or r["approved_level"]]
    back = form_to_json(reading.form)
    assert back.pop("id") != expected.pop("id")
    # no ids recorded: its points are new points (ids derived from the new form id)
    assert not {r["id"] for r in back["risks"]} & {r["id"] for r in expected["risks"]}
    for risks in (back["risks"], expected["risks"]):
        risks[:] = [{k: v for k, v in r.items() if k not in ("id", "ref")} for r in risks]
    assert back == expected
    assert reading.unplaced == [] and not reading.own
