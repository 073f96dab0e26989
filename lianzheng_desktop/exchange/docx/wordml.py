"""WordprocessingML as plain blocks: paragraphs and tables of cells on a column grid.

Works on the XML directly so that nothing a user can see in Word is skipped: text inside
content controls (w:sdt), custom XML, smart tags, tracked insertions, hyperlinks, fields
and text boxes is read; deleted text, field codes, ruby annotations and the fallback copy
of a text box (mc:Fallback) are not. Each cell knows its grid column (after w:gridBefore
and w:gridSpan) and, when it continues a vertical merge (w:vMerge), the cell it continues.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

from lianzheng_desktop.exchange.docx.words import docx_words

MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_WRAPPERS = {"sdt", "sdtContent", "customXml", "smartTag", "ins", "moveTo", "dir", "bdo"}
_SKIP = {"pPr", "rPr", "tcPr", "trPr", "tblPr", "tblGrid", "sdtPr", "sdtEndPr", "delText", "instrText",
         "del", "moveFrom", "rt", "fldChar", "commentReference", "footnoteReference",
         "endnoteReference", "annotationRef", "lastRenderedPageBreak", "proofErr", "customXmlPr",
         "smartTagPr", "bookmarkStart", "bookmarkEnd", "commentRangeStart", "commentRangeEnd",
         "permStart", "permEnd", "footnotePr", "endnotePr"}


@dataclass
class Para:
    text: str
    style: str = ""  # the paragraph style's name (or id when it has none)


@dataclass
class Cell:
    col: int  # first grid column
    span: int
    paras: list[Para]
    continues: bool = False  # a w:vMerge continuation: its content is the origin's
    origin: Cell | None = None

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.paras)


@dataclass
class Row:
    number: int  # 1-based within its table
    cells: list[Cell]


@dataclass
class Table:
    number: int  # 1-based within the document
    rows: list[Row]


@dataclass
class Body:
    blocks: list[Para | Table]
    tracked_changes: bool = False
    alt_chunk: bool = False
    unknown_symbols: list[tuple[str, str]] = field(default_factory=list)  # (font, code)


class _Reader:
    def __init__(self, w: str, styles: dict[str, str]):
        self.w = w
        self.styles = styles
        self.body = Body([])
        self.symbol_fonts: dict[str, dict[str, str]] = docx_words()["symbol_fonts"]
        self.tables = 0

    def local(self, e: Element) -> str | None:
        return e.tag[len(self.w):] if e.tag.startswith(self.w) else None

    def attr(self, e: Element | None, name: str) -> str | None:
        return None if e is None else e.get(self.w + name)

    def child(self, e: Element, name: str) -> Element | None:
        return e.find(self.w + name)

    # -- structure ---------------------------------------------------------------

    def flat(self, parent: Element, wanted: set[str]):
        """Children with a tag in ``wanted``, looking through content controls and the like."""
        for e in parent:
            name = self.local(e)
            if name in wanted:
                yield e
            elif name in _WRAPPERS:
                if name in ("ins", "moveTo"):
                    self.body.tracked_changes = True
                yield from self.flat(e, wanted)
            elif name in ("del", "moveFrom"):
                self.body.tracked_changes = True
            elif name == "altChunk":
                self.body.alt_chunk = True

    def blocks(self, parent: Element) -> list[Para | Table]:
        out: list[Para | Table] = []
        for e in self.flat(parent, {"p", "tbl"}):
            out.append(self.paragraph(e) if self.local(e) == "p" else self.table(e))
        return out

    def paragraph(self, p: Element) -> Para:
        ppr = self.child(p, "pPr")
        style_id = self.attr(ppr.find(self.w + "pStyle") if ppr is not None else None, "val") or ""
        out: list[str] = []
        for e in p:
            if self.local(e) != "pPr":
                self.text(e, None, out)
        return Para("".join(out), self.styles.get(style_id, style_id))

    def table(self, tbl: Element) -> Table:
        self.tables += 1
        table = Table(self.tables, [])
        above: dict[int, Cell] = {}
        for number, tr in enumerate(self.flat(tbl, {"tr"}), 1):
            trpr = self.child(tr, "trPr")
            if self._find(trpr, "del") is not None:  # a row deleted with tracked changes
                self.body.tracked_changes = True
                continue
            col = int(self._int(self.attr(trpr.find(self.w + "gridBefore") if trpr is not None else None, "val"), 0))
            cells: list[Cell] = []
            for tc in self.flat(tr, {"tc"}):
                tcpr = self.child(tc, "tcPr")
                span = max(1, self._int(self.attr(self._find(tcpr, "gridSpan"), "val"), 1))
                hmerge = self._find(tcpr, "hMerge")
                if hmerge is not None and self.attr(hmerge, "val") != "restart" and cells:
                    cells[-1].span += span  # legacy horizontal merge: part of the cell before
                    cells[-1].paras += self.cell_paras(tc)
                    col += span
                    continue
                vmerge = self._find(tcpr, "vMerge")
                cell = Cell(col, span, self.cell_paras(tc))
                if vmerge is not None and self.attr(vmerge, "val") != "restart":
                    origin = above.get(col)
                    if origin is not None:
                        cell.continues = True
                        cell.origin = origin.origin or origin
                cells.append(cell)
                col += span
            above = {c.col: c for c in cells}
            table.rows.append(Row(number, cells))
        return table

    def cell_paras(self, tc: Element) -> list[Para]:
        paras: list[Para] = []
        for block in self.blocks(tc):
            if isinstance(block, Para):
                paras.append(block)
            else:  # a table inside the cell: one line per row, cells separated by tabs
                for row in block.rows:
                    paras.append(Para("\t".join(c.text.replace("\n", " ") for c in row.cells)))
        return paras or [Para("")]

    def _find(self, e: Element | None, name: str) -> Element | None:
        return None if e is None else e.find(self.w + name)

    @staticmethod
    def _int(value: str | None, default: int) -> int:
        try:
            return min(int(value), 64) if value is not None else default
        except ValueError:
            return default

    # -- text --------------------------------------------------------------------

    def text(self, e: Element, font: str | None, out: list[str]) -> None:
        """Append what Word shows of ``e`` (inside a paragraph) to ``out``."""
        if e.tag == MC + "AlternateContent":
            choice = e.find(MC + "Choice")
            if choice is not None:
                for c in choice:
                    self.text(c, font, out)
            return
        name = self.local(e)
        if name in _SKIP:
            if name in ("del", "moveFrom"):
                self.body.tracked_changes = True
            return
        if name == "t":
            out.append(self.symbols(e.text or "", font))
        elif name == "tab" or name == "ptab":
            out.append("\t")
        elif name in ("br", "cr"):
            out.append("\n")
        elif name == "noBreakHyphen":
            out.append("-")
        elif name == "softHyphen":
            pass
        elif name == "sym":
            out.append(self.sym(e))
        elif name == "r":
            rpr = self.child(e, "rPr")
            fonts = self._find(rpr, "rFonts")
            run_font = (self.attr(fonts, "ascii") or self.attr(fonts, "hAnsi")) if fonts is not None else None
            for c in e:
                self.text(c, run_font, out)
        elif name == "p":  # a paragraph in a text box inside this paragraph
            if out and not out[-1].endswith("\n"):
                out.append("\n")
            out.append(self.paragraph(e).text)
        elif name == "tbl":
            for row in self.table(e).rows:
                out.append("\n" + "\t".join(c.text for c in row.cells))
        else:
            if name in ("ins", "moveTo"):
                self.body.tracked_changes = True
            for c in e:
                self.text(c, font, out)

    def symbols(self, text: str, font: str | None) -> str:
        table = self.symbol_fonts.get(font or "")
        return "".join(table.get(ch, ch) for ch in text) if table else text

    def sym(self, e: Element) -> str:
        font = self.attr(e, "font") or ""
        code = self.attr(e, "char") or ""
        try:
            value = int(code, 16)
        except ValueError:
            value = 0
        ch = chr(value - 0xF000) if value >= 0xF000 else chr(value) if value else ""
        mapped = self.symbol_fonts.get(font, {}).get(ch)
        if mapped:
            return mapped
        if font not in self.symbol_fonts and ch and value < 0xF000:
            return ch  # a plain character inserted as a symbol
        self.body.unknown_symbols.append((font, code))
        return "\ufffd"


def style_names(styles: Element | None, w: str) -> dict[str, str]:
    """Style id → style name from styles.xml (names survive LibreOffice, ids may not)."""
    names: dict[str, str] = {}
    if styles is None:
        return names
    for style in styles.iter(w + "style"):
        style_id = style.get(w + "styleId")
        name = style.find(w + "name")
        if style_id:
            names[style_id] = (name.get(w + "val") if name is not None else None) or style_id
    return names


def read_body(document: Element, w: str, styles: Element | None) -> Body:
    reader = _Reader(w, style_names(styles, w))
    body = document.find(w + "body")
    if body is not None:
        reader.body.blocks = reader.blocks(body)
    return reader.body
