"""Chinese line breaking for table cells.

Rules (the usual ones of Chinese typesetting, 禁则): no line starts with closing
punctuation, no line ends with opening punctuation, and a run of Latin letters or
digits (a word, a number, a date like 2026-11-20) is never split unless it alone is
wider than the line — except after the hyphen of a hyphenated word (anti-|corruption),
where a break is as good as between two words. Breaks are allowed between any two CJK
characters.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Line:
    """One printed line; ``end``: the last line of its paragraph (set flush, not justified)."""

    text: str
    end: bool = True

CANNOT_START = set(
    "，。、；：？！）」』】》〉”’〕〗〙〛｝］｠…‥—–·・～ー々〻ゝゞヽヾ"
    "ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ"
    ",.;:?!)]}%‰℃°′″"
)
CANNOT_END = set("（「『【《〈“‘〔〖〘〚｛［｟([{￥$£€")

# A "word": letters, digits and the joiners that keep numbers, dates, e-mail addresses
# and file names whole.
_LETTER = r"A-Za-z\u00C0-\u024F\u0370-\u03FF\u0400-\u04FF"
_WORD = re.compile(rf"[0-9{_LETTER}]+(?:[-\u2010./:@_'’+#&][0-9{_LETTER}]+)*")
# Where a word may break: after a hyphen with at least two letters on either side (so
# “e-mail”, dates and part numbers stay whole).
_HYPHEN_BREAK = re.compile(rf"(?<=[{_LETTER}]{{2}}[-\u2010])(?=[{_LETTER}]{{2}})")


def _units(paragraph: str) -> list[str]:
    """Smallest pieces between which a break may fall (before the 禁则 are applied)."""
    units: list[str] = []
    i = 0
    while i < len(paragraph):
        m = _WORD.match(paragraph, i)
        if m:
            word = m.group()
            units += _HYPHEN_BREAK.split(word) if "-" in word or "\u2010" in word else [word]
            i = m.end()
        else:
            units.append(paragraph[i])
            i += 1
    return units


def _atoms(paragraph: str) -> list[str]:
    """Units glued by the 禁则: closing marks stick to what precedes them, opening to what follows."""
    atoms: list[str] = []
    glue_next = False
    for unit in _units(paragraph):
        if atoms and (glue_next or (unit[0] in CANNOT_START and not atoms[-1].isspace())):
            atoms[-1] += unit
        else:
            atoms.append(unit)
        glue_next = unit[-1] in CANNOT_END
    return atoms


def break_lines(text: str, max_width: float, width: Callable[[str], float]) -> list[str]:
    """Lines of ``text`` that fit ``max_width`` as measured by ``width``.

    Line breaks in the text are kept; spaces at the end of a wrapped line are dropped.
    """
    return [line.text for line in wrap(text, max_width, width)]


def wrap(text: str, max_width: float, width: Callable[[str], float]) -> list[Line]:
    """``break_lines``, each line knowing whether it ends its paragraph."""
    lines: list[Line] = []
    for paragraph in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        broken = _break_paragraph(paragraph, max_width, width)
        lines += [Line(t, False) for t in broken[:-1]]
        lines.append(Line(broken[-1], True))
    return lines


def _break_paragraph(paragraph: str, max_width: float, width) -> list[str]:
    lines: list[str] = []
    line, line_w = "", 0.0  # line_w: the line's width including trailing spaces
    for atom in _atoms(paragraph):
        atom_w = width(atom)
        if not line.strip():
            if atom.isspace() and lines:
                continue  # no spaces at the start of a wrapped line
        elif not atom.isspace() and line_w + width(atom.rstrip()) > max_width:
            lines.append(line.rstrip())
            line, line_w = "", 0.0
        line += atom
        line_w += atom_w
        if not atom.isspace() and line_w > max_width and width(line.rstrip()) > max_width:
            # A single atom wider than the line: split it by characters as a last resort.
            pieces = _force_split(line, max_width, width)
            lines += pieces[:-1]
            line = pieces[-1]
            line_w = width(line)
    lines.append(line.rstrip() if lines else line)
    return lines


def _force_split(text: str, max_width: float, width) -> list[str]:
    """Break an over-long run by characters, still keeping closing marks off line starts."""
    pieces, current, current_w = [], "", 0.0
    for ch in text:
        ch_w = width(ch)
        if current and current_w + ch_w > max_width:
            if ch in CANNOT_START and len(current) > 1:
                pieces.append(current[:-1])
                current = current[-1]
            else:
                pieces.append(current)
                current = ""
            current_w = width(current)
        current += ch
        current_w += ch_w
    pieces.append(current)
    return pieces
