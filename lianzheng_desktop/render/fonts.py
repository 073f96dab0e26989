"""The bundled TrueType fonts, registered with reportlab, and per-character fallback.

Text is drawn in runs: each character goes to the first font of its style's fallback
chain that has a glyph for it, so a name like 𠮷 never prints as an empty box.
"""

from __future__ import annotations

import unicodedata
from functools import cache

from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont

from lianzheng_desktop.paths import resources_dir
from lianzheng_desktop.render.layout import layout

_PREFIX = "LZ-"  # reportlab names of our fonts; the PDF carries the real font names


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """reportlab's ToUnicode CMap, with characters outside the BMP written as UTF-16.

    reportlab 5.1 writes ``<%04X>`` of the code point, so 𠮷 (U+20BB7) becomes five hex
    digits that PDF readers cut to U+20BB: the glyph prints right but copies and
    searches as “₻”. The PDF reference wants UTF-16BE, i.e. a surrogate pair.
    """
    def utf16(code: int) -> str:
        return chr(code).encode("utf-16-be", "surrogatepass").hex().upper()

    text = _original_cmap(fontname, subset)
    head, _, tail = text.partition("beginbfchar\n")
    body, _, rest = tail.partition("\nendbfchar")
    lines = [f"<{i:02X}> <{utf16(v)}>" for i, v in enumerate(subset)]
    return head + "beginbfchar\n" + "\n".join(lines) + "\nendbfchar" + rest


_original_cmap = ttfonts.makeToUnicodeCMap
ttfonts.makeToUnicodeCMap = _to_unicode_cmap


def font_name(role: str) -> str:
    return _PREFIX + role


@cache
def _font(role: str) -> TTFont:
    spec = layout().raw["fonts"][role]
    font = TTFont(font_name(role), str(resources_dir() / "fonts" / spec["file"]),
                  subfontIndex=spec.get("subfont", 0))
    pdfmetrics.registerFont(font)
    return font


@cache
def _coverage(role: str) -> frozenset[int]:
    """Characters the font can draw: mapped to a glyph that has an outline (some fonts map
    characters to empty glyphs — WenQuanYi Zen Hei does for CJK compatibility ideographs —
    which would print as nothing at all). Spaces need no outline."""
    face = _font(role).face
    positions = face.glyphPos
    return frozenset(code for code, glyph in face.charToGlyph.items()
                     if positions[glyph + 1] > positions[glyph] or chr(code).isspace())


def register_fonts() -> None:
    for role in layout().raw["fonts"]:
        _font(role)


def _chain(role: str) -> tuple[str, ...]:
    return tuple(layout().raw["fallback"][role])


def printable(text: str) -> str:
    """The text as it is printed: tabs become spaces; control characters and invisible
    format characters (soft hyphens, direction marks, zero-width joiners) are dropped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(" " if ch == "\t" else ch for ch in text
                   if ch == "\n" or ch == "\t" or unicodedata.category(ch) not in ("Cc", "Cf"))


@cache
def _font_for(role: str, ch: str) -> str | None:
    code = ord(ch)
    for candidate in _chain(role):
        if code in _coverage(candidate):
            return candidate
    return None


def runs(text: str, role: str) -> list[tuple[str, str]]:
    """Split text into (reportlab font name, text) runs, falling back character by character."""
    out: list[tuple[str, str]] = []
    missing = layout().raw["fallback"]["missing_glyph"]
    for ch in text:
        chosen = _font_for(role, ch)
        if chosen is None:
            # A CJK compatibility ideograph no font has is drawn as its canonical
            # equivalent (the same character by Unicode's rules); anything else as its code.
            same = unicodedata.normalize("NFC", ch)
            if len(same) == 1 and same != ch and _font_for(role, same):
                chosen, ch = _font_for(role, same), same
            else:
                chosen, ch = role, missing.format(code=ord(ch))
        name = font_name(chosen)
        if out and out[-1][0] == name:
            out[-1] = (name, out[-1][1] + ch)
        else:
            out.append((name, ch))
    return out


@cache
def _char_width(ch: str, role: str, size: float) -> float:
    (name, text), *_ = runs(ch, role)
    return pdfmetrics.stringWidth(text, name, size)


def text_width(text: str, role: str, size: float, letter_spacing: float = 0.0) -> float:
    # reportlab applies no kerning to TrueType text, so a line is the sum of its characters.
    return sum(_char_width(ch, role, size) for ch in text) + letter_spacing * len(text)


def covered(ch: str, role: str = "body") -> bool:
    return _font_for(role, ch) is not None
