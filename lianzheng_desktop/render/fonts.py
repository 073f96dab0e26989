"""The bundled TrueType fonts, opened when first needed, and per-character fallback.

Text is drawn in runs: each character goes to the first font of its style's fallback
chain that has a glyph for it, so a name like 𠮷 never prints as an empty box. A font is
opened only when a character is measured or drawn in it (a fallback font only when the
fonts before it in the chain lack a character); which fonts cover a character is
decided once per character and remembered for the process.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from weakref import WeakKeyDictionary

from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTEncoding, TTFont

from lianzheng_desktop.paths import resources_dir
from lianzheng_desktop.render.fontfile import LazyFace
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
    _body, _, rest = tail.partition("\nendbfchar")  # the body is rewritten below
    lines = [f"<{i:02X}> <{utf16(v)}>" for i, v in enumerate(subset)]
    return head + "beginbfchar\n" + "\n".join(lines) + "\nendbfchar" + rest


_original_cmap = ttfonts.makeToUnicodeCMap
ttfonts.makeToUnicodeCMap = _to_unicode_cmap


class _LazyTTFont(TTFont):
    """reportlab's TTFont over a ``LazyFace`` (TTFont.__init__ would parse the whole file)."""

    def __init__(self, name: str, path: str, subfont: int):
        self.fontName = name
        self.face = LazyFace(path, subfontIndex=subfont)
        self.encoding = TTEncoding()
        self.state: WeakKeyDictionary[object, TTFont.State] = WeakKeyDictionary()  # per PDF document
        self._asciiReadable = rl_config.ttfAsciiReadable
        self.shapable = False


def font_name(role: str) -> str:
    return _PREFIX + role


@cache
def _font(role: str) -> TTFont:
    spec = layout().raw["fonts"][role]
    font = _LazyTTFont(font_name(role), str(resources_dir() / "fonts" / spec["file"]), spec.get("subfont", 0))
    pdfmetrics.registerFont(font)
    return font


def face(role: str) -> LazyFace:
    return _font(role).face


def register_fonts() -> None:
    """Open the fonts every form draws with (the styles' own fonts; fallbacks wait)."""
    for role in sorted({s.font for s in layout().styles.values()}):
        _font(role)


@cache
def covers(role: str, code: int) -> bool:
    """The font can draw the character: mapped to a glyph that has an outline (some fonts
    map characters to empty glyphs — WenQuanYi Zen Hei does for CJK compatibility
    ideographs — which would print as nothing at all). Spaces need no outline."""
    font_face = face(role)
    glyph = font_face.charToGlyph.get(code)
    if glyph is None or glyph >= font_face.numGlyphs:
        return False
    return chr(code).isspace() or font_face.has_outline(glyph)


def _chain(role: str) -> tuple[str, ...]:
    return tuple(layout().raw["fallback"][role])


# Characters that end a line where they stand; printed as line breaks. (U+2028/U+2029 are
# Unicode's own line and paragraph separators; \v is Word's manual line break when its
# text is pasted; \f and NEL come from old files.)
LINE_BREAKS = str.maketrans({"\u2028": "\n", "\u2029": "\n", "\x0b": "\n", "\x0c": "\n", "\x85": "\n"})


def printable(text: str) -> str:
    """The text as it is printed: tabs become spaces; Unicode line and paragraph
    separators become line breaks; more than two blank lines in a row print as two;
    control characters and invisible format characters (soft hyphens, direction marks,
    zero-width joiners) are dropped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(LINE_BREAKS)
    text = "".join(" " if ch == "\t" else ch for ch in text
                   if ch == "\n" or ch == "\t" or unicodedata.category(ch) not in ("Cc", "Cf"))
    return _collapse_blank_lines(text, layout().raw["typesetting"]["max_blank_lines"])


def _collapse_blank_lines(text: str, keep: int) -> str:
    if "\n" not in text:
        return text
    out, blank = [], 0
    for line in text.split("\n"):
        blank = blank + 1 if not line.strip() else 0
        if blank <= keep:
            out.append(line)
    return "\n".join(out)


@cache
def _font_for(role: str, ch: str) -> str | None:
    code = ord(ch)
    for candidate in _chain(role):
        if covers(candidate, code):
            return candidate
    return None


@cache
def _printed_as(role: str, ch: str) -> tuple[str, str]:
    """(font role, text) that stands for the character on paper."""
    chosen = _font_for(role, ch)
    if chosen is not None:
        return chosen, ch
    # A CJK compatibility ideograph no font has is drawn as its canonical equivalent
    # (the same character by Unicode's rules); anything else as its code.
    same = unicodedata.normalize("NFC", ch)
    if len(same) == 1 and same != ch:
        equivalent = _font_for(role, same)
        if equivalent is not None:
            return equivalent, same
    return role, layout().raw["fallback"]["missing_glyph"].format(code=ord(ch))


def runs(text: str, role: str) -> list[tuple[str, str]]:
    """Split text into (reportlab font name, text) runs, falling back character by character."""
    out: list[tuple[str, str]] = []
    for ch in text:
        chosen, shown = _printed_as(role, ch)
        name = font_name(chosen)
        if out and out[-1][0] == name:
            out[-1] = (name, out[-1][1] + shown)
        else:
            out.append((name, shown))
    return out


@cache
def char_metrics(ch: str, role: str) -> tuple[float, bool, bool]:
    """(advance in em, blank left half, blank right half) of the character as printed.

    The halves tell where a full-width punctuation mark has its ink (GB fonts put “ and （
    in the right half of the em, ， and ） in the left), which decides whether two marks
    that meet can give up half an em between them."""
    chosen, shown = _printed_as(role, ch)
    font_face = face(chosen)
    advance = 0.0
    for c in shown:
        glyph = font_face.charToGlyph.get(ord(c), 0)
        advance += font_face.glyph_width(glyph) / 1000
    if len(shown) != 1 or advance < 0.99:
        return advance, False, False
    extent = font_face.ink_extent(font_face.charToGlyph[ord(shown)])
    if extent is None:
        return advance, False, False
    left, right = extent
    return advance, left >= 500, right <= 500


def char_width(ch: str, role: str, size: float) -> float:
    return char_metrics(ch, role)[0] * size


def covered(ch: str, role: str = "body") -> bool:
    return _font_for(role, ch) is not None
