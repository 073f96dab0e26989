"""Placing or discarding the text a Word file left unplaced, one item at a time.

Each call returns a new ``DocxReading`` (the old one is unchanged, so an editor can undo):
the item's text is appended to the chosen field or risk point (on a new line when the
target already has text), or parsed when the target is a date or a level, or dropped
when the user discards it explicitly.
"""

from __future__ import annotations

from dataclasses import replace

from lianzheng_desktop.domain.definitions import definitions
from lianzheng_desktop.domain.model import RiskPoint
from lianzheng_desktop.exchange.docx import words as W
from lianzheng_desktop.exchange.docx.reader import DocxReading


class CannotPlace(ValueError):
    """The text can't go there; the message says why, in Chinese."""


def _append(old: str, text: str) -> str:
    return f"{old}\n{text}" if old else text


def place(reading: DocxReading, index: int, target: tuple) -> DocxReading:
    """Put unplaced item ``index`` into ``target``:

    - ``("unit",)``, ``("head",)``, ``("review_opinion",)`` … any text field of the form's kind;
    - ``("filled_on",)``: the text must be a date (2025年11月3日, 2025.11.3 …);
    - ``("risks", i, "point" | "measures")``: appended to the i-th risk point;
    - ``("risks", i, "self_level" | "approved_level")``: the text must name a level;
    - ``("new_risk", category_key, "point" | "measures")``: a new risk point at the end of
      that category.
    """
    d = definitions()
    item = reading.unplaced[index]
    form = reading.form.copy()
    text = item.text
    if target[0] == "new_risk":
        _, category, key = target
        if category not in d.category_keys or key not in ("point", "measures"):
            raise CannotPlace(f"无法放入“{target}”")
        risk = RiskPoint(category)
        setattr(risk, key, text)
        form.insert_risks(category, len(form.risks_in(category)), [risk], d.category_keys)
    elif target[0] == "risks":
        _, i, key = target
        if not 0 <= i < len(form.risks) or key not in ("point", "measures", "self_level", "approved_level"):
            raise CannotPlace(f"无法放入“{target}”")
        risk = form.risks[i]
        if key in ("self_level", "approved_level"):
            value, reason = W.parse_level(text)
            if value is None:
                raise CannotPlace(f"“{text}”{reason or W.message('reason', 'not_level', choices='')}")
            setattr(risk, key, value)
        else:
            setattr(risk, key, _append(getattr(risk, key), text))
    else:
        (key,) = target
        fields = {f.key: f for f in d.fields_for(form.kind)}
        f = fields.get(key)
        if f is None or f.type not in ("text", "multiline", "date"):
            raise CannotPlace(f"{d.kind(form.kind).short_name}没有“{key}”这一栏")
        if f.type == "date":
            date, _problem = W.parse_date(text)
            if date is None:
                raise CannotPlace(f"“{text}”{W.message('reason', 'bad_date')}")
            form.filled_on = date
        else:
            setattr(form, key, _append(getattr(form, key), text))
    return replace(reading, form=form, unplaced=reading.unplaced[:index] + reading.unplaced[index + 1:])


def discard(reading: DocxReading, index: int) -> DocxReading:
    """Drop unplaced item ``index`` (the user said so)."""
    return replace(reading, unplaced=reading.unplaced[:index] + reading.unplaced[index + 1:])
