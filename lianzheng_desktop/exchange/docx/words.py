"""The words a Word form is read by: labels, category names, level spellings, ticks and dates.

Every word comes from forms/ (fields.toml, tables.toml, categories.toml, levels.toml and
the Word-only docx.toml); this module only normalises text and compares.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from typing import Any

from lianzheng_desktop.domain.definitions import definitions, plain
from lianzheng_desktop.paths import forms_dir

_SPACE = re.compile(r"[\s\u3000\u00a0\u200b\ufeff]+")
_COLON = "：:"
# One numbering prefix at the start of a risk point: 1. 1、 1) （1） (一) 一、 ① …
_NUMBERING = re.compile(
    r"^[\s\u3000]*(?:"
    r"[0-9０-９]{1,3}[.．](?![0-9０-９])|[0-9０-９]{1,3}[、,，)）]"
    r"|[（(][0-9０-９一二三四五六七八九十]{1,3}[)）]"
    r"|[一二三四五六七八九十]{1,3}[、.．]"
    r"|[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳]"
    r")[\s\u3000]*")
OWN_NUMBER = re.compile(r"^[0-9]+\.")  # what the writer puts before a point: "1."
_DOTTED = re.compile(r"^[\s\u3000]*[0-9０-９]{1,3}[.．]")
_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")
_DATE_ARABIC = re.compile(
    r"^(\d{1,4})\s*(?:[年./\-－—]\s*)(\d{1,2})\s*(?:[月./\-－—]\s*)(\d{1,2})\s*日?$")
_DATE_BLANK = re.compile(r"^(\d{1,4})?年(\d{1,2})?月(\d{1,2})?日?$")


@cache
def docx_words() -> dict[str, Any]:
    with open(forms_dir() / "docx.toml", "rb") as f:
        return tomllib.load(f)


def message(section: str, key: str, /, **values: Any) -> str:
    return docx_words()[section][key].format(**values)


def squash(text: str) -> str:
    """Text without any whitespace: how labels are compared (Word users pad with spaces)."""
    return _SPACE.sub("", text)


def label_key(text: str) -> str:
    """A cell's text as a label: no whitespace, no trailing colon."""
    return squash(text).rstrip(_COLON)


def tidy(text: str) -> str:
    """Cell text from a foreign file: line endings kept, blank edges and trailing spaces gone."""
    lines = [line.rstrip(" \u3000\t") for line in text.split("\n")]
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines).strip(" \u3000\t")


def strip_numbering(text: str, own: bool, row: int | None = None) -> str:
    """Remove exactly one numbering prefix. A point this program wrote starts with "1.",
    and nothing else is touched, so a point that itself begins with "2、" survives.

    "1.5倍…" keeps its "1." unless 1 is the row's own number (``row``): the template
    prints "1." in each point cell, so in the first row "1.50万元…" is 1 + "50万元…"."""
    if own and OWN_NUMBER.match(text):
        return OWN_NUMBER.sub("", text, count=1)
    stripped = _NUMBERING.sub("", text, count=1)
    if stripped == text:
        m = _DOTTED.match(text)
        rest = text[m.end():] if m else ""
        number = int(squash(m.group(0))[:-1].translate(_FULLWIDTH)) if m else None
        if m and (number == row or _NUMBERING.match(rest)):  # "1.50万元" in row 1; "1.2、…"
            stripped = rest
    return tidy(stripped) if not own else stripped


def is_only_number(text: str) -> bool:
    """A 序号 cell: 1, 1., 一, （一） … or nothing."""
    s = squash(text)
    return not s or bool(_NUMBERING.fullmatch(s)) or bool(re.fullmatch(r"[0-9０-９一二三四五六七八九十]{1,4}", s))


@dataclass(frozen=True)
class Labels:
    """Field labels (squashed) → field key, for one kind or both."""

    fields: dict[str, str]
    group: set[str]  # group labels such as 一岗双责: no value of their own
    closing: set[str]  # keys of the rows after the risks (opinions, remarks)


@cache
def labels() -> Labels:
    d = definitions()
    aliases = docx_words()["label_aliases"]
    table_fields = {"head", "person", "post", "unit_duties", "post_duties", "integrity_duties",
                    "review_opinion", "leader_opinion", "remarks"}
    out: dict[str, str] = {}
    for f in d.fields:
        if f.key in table_fields:
            out[label_key(f.label)] = f.key
    for key, names in aliases.items():
        for name in names:
            out.setdefault(label_key(name), key)
    groups = set()
    closing = set()
    for kind in ("unit", "post"):
        for row in d.kind(kind).rows:
            if row["type"] == "duty_group":
                groups.add(label_key(plain(row["label"])))
            if row["type"] in ("sign", "remarks"):
                closing.add(row["field"])
    return Labels(out, groups, closing)


def field_for_label(text: str) -> str | None:
    return labels().fields.get(label_key(text))


def sign_lines(kind: str, key: str) -> list[str]:
    """The signature, seal and date lines printed in an opinion cell (tables.toml)."""
    for row in definitions().kind(kind).rows:
        if row["type"] == "sign" and row["field"] == key:
            return list(row["lines"])
    return []


# -- risk table header -------------------------------------------------------------

CATEGORY, NUMBER, POINT, LEVELS, MEASURES = "category", "number", "point", "levels", "measures"
SELF, APPROVED = "self_level", "approved_level"


@cache
def header_words() -> dict[str, str]:
    """Squashed header cell text → the column it names."""
    d = definitions()
    common = d.tables["common"]
    words = {common["risk_header"]: CATEGORY, common["number_header"]: NUMBER,
             common["point_header"]: POINT, common["level_header"]: LEVELS,
             common["measures_header"]: MEASURES}
    for key in (SELF, APPROVED):
        f = d.risk_field(key)
        words[f.short_label] = key
        words[f.label] = key
    return {label_key(k): v for k, v in words.items()}


# -- categories --------------------------------------------------------------------


def _continued_marks() -> list[str]:
    marks = [definitions().tables["common"]["continued_suffix"], *docx_words()["categories"]["continued_marks"]]
    return sorted({squash(m) for m in marks}, key=len, reverse=True)


def category_of(text: str) -> tuple[str | None, str, str]:
    """(category key or None, the name as written, what is left over) for a category cell.

    The form's names (思想道德风险) and Attachment 1's (思想意识风险) are both accepted, with
    or without line breaks, numbering or a “（续）” mark."""
    written = strip_numbering(squash(text), own=False)
    for mark in _continued_marks():
        if written.endswith(mark) and len(written) > len(mark):
            written = written[: -len(mark)]
            break
    for category in definitions().categories:
        for name in (category.name, category.reference_name):
            if written == name:
                return category.key, name, ""
            if written.startswith(name):
                return category.key, name, written[len(name):]
    return None, written, ""


# -- levels and ticks --------------------------------------------------------------


@cache
def _level_words() -> dict[str, int]:
    words: dict[str, int] = {}
    for lv in definitions().levels:
        for name in (lv.name, lv.full_name):
            words[squash(name)] = lv.value
    for value, spellings in docx_words()["level_spellings"].items():
        for s in spellings:
            words[s] = int(value)
    return words


def _level_token(text: str) -> int | None:
    t = squash(text)
    words = _level_words()
    if t in words:
        return words[t]
    for suffix in ("风险", "级"):
        t = t.removesuffix(suffix)
    return words.get(t) if t else None


def tick_marks() -> tuple[set[str], set[str]]:
    w = docx_words()
    return set(w["ticks"]["ticked"]), set(w["ticks"]["unticked"])


def is_tick(text: str) -> bool:
    t = squash(text)
    return bool(t) and all(ch in tick_marks()[0] for ch in t)


def parse_level(text: str) -> tuple[int | None, str | None]:
    """(level, None) when the cell names one level or is empty; (None, reason) otherwise.

    Accepts 一级 / 一级风险 / 1 / Ⅰ, a level with a tick (二级√), and a choice list where
    one box is ticked (☑一级 □二级 □三级, or 一级☑ 二级□ 三级□)."""
    t = squash(text)
    if not t:
        return None, None
    value = _level_token(t)
    if value is not None:
        return value, None
    ticks, boxes = tick_marks()
    words = _level_words()
    tokens = sorted(ticks | boxes, key=len, reverse=True) + sorted(words, key=len, reverse=True)
    pieces = re.findall("|".join(map(re.escape, tokens)) + "|.", t)
    not_level = None, message("reason", "not_level", choices=_choices())
    if any(p not in words and p not in ticks | boxes for p in pieces):
        return not_level
    if not any(p in words for p in pieces):
        return not_level
    marks_first = pieces[0] not in words
    chosen = set()
    for i, p in enumerate(pieces):
        if p in words:
            j = i - 1 if marks_first else i + 1
            if 0 <= j < len(pieces) and pieces[j] in ticks:
                chosen.add(words[p])
    if len(chosen) == 1:
        return chosen.pop(), None
    if len(chosen) > 1:
        return None, message("reason", "several_ticks")
    if any(p in boxes for p in pieces) and not any(p in ticks for p in pieces):
        return None, None  # a choice list with no box ticked: no level yet
    return not_level


def _choices() -> str:
    names = [lv.name for lv in definitions().levels]
    return "、".join(names[:-1]) + "或" + names[-1]


# -- dates ---------------------------------------------------------------------------


def _arabic(text: str) -> str:
    """Chinese numerals (二〇二五年十一月三日) and full-width digits as ASCII digits."""
    w = docx_words()["dates"]
    text = text.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    for zero in w["chinese_zero_variants"]:
        text = re.sub(f"(?<=[〇一二三四五六七八九]){re.escape(zero)}|{re.escape(zero)}(?=[〇一二三四五六七八九])",
                      "〇", text)
    digits = w["chinese_digits"]

    def number(match: re.Match) -> str:
        s = match.group(0)
        if "十" not in s:
            return "".join(str(digits.index(ch)) for ch in s)
        tens, _, ones = s.partition("十")
        return str((digits.index(tens) if tens else 1) * 10 + (digits.index(ones) if ones else 0))

    return re.sub(f"[{digits}十]+", number, text)


def parse_date(text: str) -> tuple[dt.date | None, str | None]:
    """(date, None), (None, None) for a date left blank (　年　月　日), or (None, note name)."""
    t = _arabic(squash(text))
    blank = _DATE_BLANK.fullmatch(t)
    if not t or (blank and not any(blank.groups())):
        return None, None
    m = _DATE_ARABIC.fullmatch(t)
    if m is None:
        blank = _DATE_BLANK.fullmatch(t)
        return None, "date_partial" if blank else "date_invalid"
    try:
        return dt.date(*(int(g) for g in m.groups())), None
    except ValueError:
        return None, "date_invalid"


def split_prefixed(text: str, prefix: str) -> str | None:
    """The text after a label such as 单位： (spaces inside the label and either colon
    allowed), or None when the text does not start with it."""
    label = squash(prefix).rstrip(_COLON)
    pattern = r"^[\s\u3000]*" + r"[\s\u3000]*".join(map(re.escape, label)) + r"[\s\u3000]*[：:]"
    m = re.match(pattern, text)
    return text[m.end():] if m else None
