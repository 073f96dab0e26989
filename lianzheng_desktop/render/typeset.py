"""Setting one line of Chinese text: widths, punctuation compression, justification.

The rules are those of the W3C “Requirements for Chinese Text Layout” (clreq) and
JIS X 4051, as far as a form needs them:

* Where two full-width punctuation marks meet (“）。”, “，“”, “《〈”), the half em of
  blank between their inks is given up: the first mark loses its blank right half, or
  else the second its blank left half. Which half is blank is read from the glyph itself,
  so the rule follows the font (GB fonts set ， and ） in the left half of the em).
* A line that does not end its paragraph is justified (两端对齐): the space left over is
  shared equally between the characters, never inside a Latin word or a number, nor
  inside —— and ……; a paragraph's last line stays flush left.
"""

from __future__ import annotations

from lianzheng_desktop.render.fonts import _printed_as, char_metrics, font_name
from lianzheng_desktop.render.layout import Style, layout

PUNCTUATION = frozenset("，。、；：？！（）「」『』【】《》〈〉“”‘’〔〕〖〗〘〙｛｝［］｟｠")
INSEPARABLE = frozenset("—…‥⋯")
ASCENT = 0.86  # of the em, for the CJK faces used; places the baseline in its line box


def advances(text: str, role: str, size: float, letter_spacing: float = 0.0) -> list[float]:
    """The advance of each character as drawn (compression included)."""
    out = []
    last = len(text) - 1
    for i, ch in enumerate(text):
        advance, _, blank_right = char_metrics(ch, role)
        advance = advance * size + letter_spacing
        if (i < last and ch in PUNCTUATION and text[i + 1] in PUNCTUATION
                and (blank_right or char_metrics(text[i + 1], role)[1])):
            advance -= size / 2
        out.append(advance)
    return out


def text_width(text: str, role: str, size: float, letter_spacing: float = 0.0) -> float:
    if len(text) == 1:
        return char_metrics(text, role)[0] * size + letter_spacing
    return sum(advances(text, role, size, letter_spacing))


def width_of(style: Style):
    return lambda s: text_width(s, style.font, style.size, style.letter_spacing)


def first_baseline(top: float, style: Style) -> float:
    return top - (style.leading - style.size) / 2 - style.size * ASCENT


def _narrow(ch: str, role: str) -> bool:
    return not ch.isspace() and char_metrics(ch, role)[0] < 0.75


def _stretchable(a: str, b: str, role: str) -> bool:
    """May space be added between these two characters when justifying?"""
    if _narrow(a, role) and _narrow(b, role):
        return False  # inside a Latin word or a number
    return not (a == b and a in INSEPARABLE)


def justification(text: str, role: str, size: float, natural: float, width: float) -> list[float]:
    """Extra space after each character that makes the line ``width`` wide (all zero when
    the line is not to be stretched: no gaps, or more stretch than looks like text)."""
    extra = [0.0] * len(text)
    slack = width - natural
    if slack <= 0.01 or len(text) < 2:
        return extra
    gaps = [i for i in range(len(text) - 1) if _stretchable(text[i], text[i + 1], role)]
    limit = layout().raw["typesetting"]["max_stretch_em"] * size
    if not gaps or slack > limit * len(gaps):
        return extra
    share = slack / len(gaps)
    for i in gaps:
        extra[i] = share
    return extra


def draw_line(canv, x: float, baseline: float, text: str, style: Style, justify: float | None = None) -> None:
    """One line in the style's font, switching to fallback fonts character by character;
    ``justify``: the width to stretch the line to."""
    if not text:
        return
    role, size = style.font, style.size
    widths = advances(text, role, size, style.letter_spacing)
    extra = justification(text, role, size, sum(widths), justify) if justify else None
    printed = [_printed_as(role, ch) for ch in text]
    # Tc is added after every glyph: the glyph's own advance is the font's, the rest
    # (letter spacing, compression, justification) goes after its last glyph.
    spaces = [round(w - char_metrics(ch, role)[0] * size + (extra[i] if extra else 0.0), 4)
              for i, (ch, w) in enumerate(zip(text, widths))]
    if not style.stroke_em and not any(spaces) and len({f for f, _ in printed}) == 1:
        _draw_plain(canv, x, baseline, "".join(shown for _, shown in printed), style,
                    font_name(printed[0][0]))
        return
    t = canv.beginText(x, baseline)
    # Always set it: PDF character spacing (Tc) outlives BT/ET, so one line's spacing
    # would otherwise widen every later line on the page beyond what was measured.
    t.setCharSpace(0)
    if style.stroke_em:
        t.setTextRenderMode(2)  # heavy Song: the outline stroked as well as filled
    current_font, current_space, pending = None, 0.0, ""
    for (chosen, shown), space in zip(printed, spaces):
        name = font_name(chosen)
        pieces = [(shown[:-1], 0.0), (shown[-1], space)] if len(shown) > 1 else [(shown, space)]
        for piece, piece_space in pieces:
            if not piece:
                continue
            if name != current_font or piece_space != current_space:
                if pending:
                    t._textOut(pending)
                    pending = ""
                if name != current_font:
                    t.setFont(name, size, style.leading)
                    current_font = name
                if piece_space != current_space:
                    t.setCharSpace(piece_space)
                    current_space = piece_space
            pending += piece
    if pending:
        t._textOut(pending)
    if current_space:
        t.setCharSpace(0)
    if style.stroke_em:
        # as Word emboldens 宋体, which has no bold face; q/Q also restore Tr
        canv.saveState()
        canv.setLineWidth(style.stroke_em * size)
        canv.setLineJoin(1)
        canv.drawText(t)
        canv.restoreState()
    else:
        canv.drawText(t)


def _draw_plain(canv, x: float, baseline: float, text: str, style: Style, name: str) -> None:
    """The common line: one font, nothing to stretch or compress."""
    t = canv.beginText(x, baseline)
    t.setCharSpace(0)
    t.setFont(name, style.size, style.leading)
    t._textOut(text)
    canv.drawText(t)
