"""Word in, Word out: filled 附件2 / 附件3 forms read from .docx, and every form written as one.

No Qt here. Public API::

    read_docx(data: bytes, *, name: str, year: int | None = None) -> DocxReading
        Raises DocxRefused (a Chinese message) for anything that is not a readable form:
        .doc/.wps/RTF/HTML, encrypted, damaged, zip or XML bombs, over-long tables,
        documents without a 附件2/附件3 table, several forms in one file.
    read_docx_file(path: Path, *, year=None) -> DocxReading   the same, size checked before reading
    DocxReading.form      the Form (kind, year, unit, fields, risks; id — see below)
    DocxReading.unplaced  list[Unplaced(text, where, reason, near)]: every piece of text
                          that found no place; nothing is dropped silently
    DocxReading.notes     list[str]: how things were read (自评“很高”不是…，已留空; 附件1
                          category names; the year's source; tracked changes …)
    DocxReading.own       True when this program wrote the file (identity kept)

    place(reading, index, target) -> DocxReading    put unplaced item ``index`` into a field
                                                    or risk point (see resolve.place);
                                                    raises CannotPlace (Chinese) when it can't go there
    discard(reading, index) -> DocxReading          drop it explicitly

A file this program wrote (its properties are present) is read exactly: text as written,
the "1." the writer put before each point removed and nothing more, the signature lines
known by their paragraph style. Any other file is read as a person's: blank edges of cells
trimmed, one numbering prefix removed (1. / 2、 / （一）), signature lines known by their words.

    write_docx(form: Form) -> bytes
        The official table as an editable Word document (A4, 宋体/黑体, header rows repeat,
        rows don't break), with the form's id, kind, year and owner as custom properties,
        so a form written and read back keeps its identity. A Word file from elsewhere gets
        an id derived from its content: importing the same file twice does not duplicate.
        What XML 1.0 can't hold is not written: C0/C1 control characters other than tab
        and line break, U+FFFE/U+FFFF, lone surrogates; "\r\n" and "\r" become line breaks.
        Read back, risks come in printed order (grouped by category), a risk row with
        nothing in it is an empty row, and a 备注 that is exactly the official sentence is
        empty — otherwise the form is the same (tests/test_docx_roundtrip.py).

Why the XML directly and not python-docx: python-docx does not see rows or cells inside
content controls (w:sdt), which WPS and form templates use; it exposes vertical merges
only as repeated cell objects; it cannot write custom document properties; and it would
add lxml (~5 MB) to the bundle. WordprocessingML tables are simple enough to read with
the standard library's ElementTree, behind defusedxml (a small, pure-Python guard that
forbids DTDs and entities) so that no entity is ever expanded or external file loaded.
"""

from lianzheng_desktop.exchange.docx.assemble import write_docx
from lianzheng_desktop.exchange.docx.container import DocxRefused
from lianzheng_desktop.exchange.docx.reader import DocxReading, read_docx, read_docx_file
from lianzheng_desktop.exchange.docx.resolve import CannotPlace, discard, place
from lianzheng_desktop.exchange.docx.rows import Unplaced

__all__ = ["CannotPlace", "DocxReading", "DocxRefused", "Unplaced", "discard", "place", "read_docx",
           "read_docx_file", "write_docx"]
