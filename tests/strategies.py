"""Hypothesis strategies for forms in the JSON contract."""

import uuid

from hypothesis import strategies as st

from lianzheng_desktop.domain.codec import derived_point_id
from lianzheng_desktop.domain.definitions import definitions

# Any Unicode text, with the characters the contract names made likely: markup
# characters, line breaks, quotes and names outside the BMP.
SPECIAL = ["<", "&", ">", '"', "'", "\n", "\r\n", "\t", "𠮷", "𪨶", "堃", "喆", "燊", "“", "”", "\\"]
text = st.lists(st.one_of(st.text(max_size=8), st.sampled_from(SPECIAL)), max_size=8).map("".join)
nonblank = st.tuples(st.text(min_size=0, max_size=5), st.sampled_from(["图书馆", "财务处", "𠮷林", "A&B<学院>"])).map("".join)
level = st.one_of(st.none(), st.sampled_from([1, 2, 3]))
reference_codes = [""] + [p.code for c in definitions().categories for p in c.points]


@st.composite
def risk(draw, with_id=False):
    out = {
        "category": draw(st.sampled_from(definitions().category_keys)),
        "point": draw(text),
        "self_level": draw(level),
        "approved_level": draw(level),
        "measures": draw(text),
    }
    if with_id:  # format 2: each point has its id and the reference code it came from
        out |= {"id": str(uuid.UUID(int=draw(st.integers(0, 2**128 - 1)), version=4)),
                "ref": draw(st.sampled_from(reference_codes))}
    return out


def as_current(obj: dict) -> dict:
    """A form object as this program writes it back: the current format version, and
    points without ids (format 1) given the ids derived from the form id and position."""
    out = dict(obj, schema=definitions().schema_version)
    out["risks"] = [{**r, "id": r.get("id") or derived_point_id(obj["id"], i), "ref": r.get("ref", "")}
                    for i, r in enumerate(obj["risks"])]
    return out


@st.composite
def form_json(draw, kind=None):
    kind = kind or draw(st.sampled_from(["unit", "post"]))
    version = draw(st.sampled_from([1, definitions().schema_version]))
    date = draw(st.one_of(st.none(), st.dates().filter(lambda d: d.year >= 1).map(lambda d: d.isoformat()).filter(lambda s: len(s) == 10)))
    obj = {
        "schema": version,
        "id": str(uuid.UUID(int=draw(st.integers(0, 2**128 - 1)), version=4)),
        "kind": kind,
        "year": draw(st.integers(2000, 2100)),
        "unit": draw(nonblank),
        "filled_on": date,
    }
    if kind == "unit":
        obj |= {"head": draw(text), "unit_duties": draw(text), "integrity_duties": draw(text)}
    else:
        obj |= {"person": draw(nonblank), "post": draw(text), "post_duties": draw(text),
                "integrity_duties": draw(text)}
    obj["risks"] = draw(st.lists(risk(with_id=version > 1), max_size=40,
                                 unique_by=lambda r: r.get("id") or object()))
    obj["review_opinion"] = draw(text)
    if kind == "unit":
        obj["leader_opinion"] = draw(text)
    obj["remarks"] = draw(text)
    return obj


# Texts as long as real ones: sentences, line breaks, Latin words, quotes — so that rows
# grow, are cut between pages and push the closing rows about.
SENTENCES = ["在设备采购需求论证中，个别人员倾向指定品牌和型号。", "参数设置带有排他性；", "\n",
             "验收把关不严（到货数量、质量与合同不符）。", "按ISO9001和anti-corruption要求执行。",
             "防止“围猎”、“潜规则”。", "（一）前期预防：建立台账；"]
long_text = st.lists(st.sampled_from(SENTENCES), max_size=14).map("".join)


@st.composite
def long_form_json(draw):
    obj = draw(form_json())
    for key in ("head", "unit_duties", "integrity_duties", "post_duties", "review_opinion",
                "leader_opinion", "remarks"):
        if key in obj:
            obj[key] = draw(long_text)
    for risk in obj["risks"]:
        risk["point"], risk["measures"] = draw(long_text), draw(long_text)
    return obj
