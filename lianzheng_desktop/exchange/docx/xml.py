"""Writing WordprocessingML: a few builders that return escaped XML strings.

Text is made storable first: XML 1.0 can't hold most C0 control characters, U+FFFE/U+FFFF
or lone surrogates, so those are dropped (the printed PDF drops control characters too);
"\\r\\n" and a lone "\\r" become a line break, as they are everywhere in this program.
"""

from __future__ import annotations

import re
import unicodedata
from xml.sax.saxutils import escape, quoteattr

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_UNSTORABLE = re.compile("[\ufffe\uffff\ud800-\udfff]")
TWIPS_PER_MM = 1440 / 25.4


def clean(text: str) -> str:
    """The text as Word can store it (see the module docstring)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _UNSTORABLE.sub("", text)
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc")


def twips(mm: float) -> int:
    return round(mm * TWIPS_PER_MM)


def el(tag: str, attrs: dict[str, object] | None = None, *children: str) -> str:
    a = "".join(f" {k}={quoteattr(str(v))}" for k, v in (attrs or {}).items() if v is not None)
    inner = "".join(children)
    return f"<{tag}{a}>{inner}</{tag}>" if inner else f"<{tag}{a}/>"


def val(tag: str, value: object) -> str:
    return el(tag, {"w:val": value})


# Characters Unicode shares between Chinese and Western text (“” ‘’ — … ·) are drawn
# by Word in the Western font (narrow, Times New Roman) unless the run says it is East
# Asian text; Chinese Word marks its runs so, and the PDF sets them full width in 宋体.
EAST_ASIAN_RUN = '<w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr>'


def runs(line: str, rpr: str = EAST_ASIAN_RUN) -> str:
    """One line of text as runs; tabs become w:tab."""
    out = []
    for i, piece in enumerate(line.split("\t")):
        if i:
            out.append(el("w:r", None, rpr, "<w:tab/>"))
        if piece:
            out.append(el("w:r", None, rpr, f'<w:t xml:space="preserve">{escape(piece)}</w:t>'))
    return "".join(out)


def paragraphs(text: str, style: str, ppr: str = "", rpr: str = EAST_ASIAN_RUN) -> list[str]:
    """A paragraph per line (what pressing Enter in Word gives)."""
    head = el("w:pPr", None, val("w:pStyle", style), ppr)
    return [el("w:p", None, head, runs(line, rpr)) for line in clean(text).split("\n")]


def spacing(before: float = 0, after: float = 0) -> str:
    """Paragraph spacing in points."""
    return el("w:spacing", {"w:before": round(before * 20), "w:after": round(after * 20)})
