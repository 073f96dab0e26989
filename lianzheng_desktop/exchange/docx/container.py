"""Opening a .docx safely: every check before anything is inflated or parsed.

A .docx is a ZIP of XML parts. The bytes come from anywhere, so this module refuses, in
Chinese and before doing any work that a hostile file could make expensive:

- old formats that only look like Word files (.doc/.wps OLE2, RTF, HTML saved as .doc),
  and password-protected files (an OLE2 container around an encrypted package);
- ZIPs with too many entries (counted from the end record, before zipfile reads the
  index), encrypted members, unusual compression, members whose declared size or
  compression ratio is out of bounds (a zip bomb), and members that inflate to more
  than they declared (read with a cap, never trusted);
- XML with a DTD or entity declarations (defusedxml: neither resolved nor loaded — a
  billion-laughs file is refused at its DOCTYPE), nesting beyond any real document,
  too many elements, or more table rows than a form can have (counted while parsing,
  so a 10,000-row table is refused part-way through).

Only the parts a form needs are read: the main document, its styles, the custom
properties and the package relationships.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import NoReturn
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from lianzheng_desktop.exchange.docx.words import message

MAX_FILE_BYTES = 50 * 1024 * 1024  # pictures (a scanned seal) can make a real form a few MB
MAX_MEMBERS = 1000  # Word writes 10–30 parts; pictures add one each
MAX_XML_BYTES = 30 * 1024 * 1024  # the document part of a very long form is well under 2 MB
MAX_OTHER_BYTES = 40 * 1024 * 1024  # pictures etc. are never inflated, only their sizes summed
MAX_TOTAL_BYTES = 300 * 1024 * 1024
MAX_RATIO = 200  # WordprocessingML compresses ~10:1; a bomb ~1000:1
MAX_DEPTH = 200  # real documents nest ~20 deep, nested tables ~60
MAX_ELEMENTS = 2_000_000
MAX_ROWS = 2000  # a form with 400 risk points has ~420 rows

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
W_TRANSITIONAL = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W_STRICT = "http://purl.oclc.org/ooxml/wordprocessingml/main"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
STYLES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"
COMMENTS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
CUSTOM_PROPERTIES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"


class DocxRefused(Exception):
    """The file can't be read as a Word form; the message says why, in Chinese."""


def refuse(key: str, /, **values) -> NoReturn:
    raise DocxRefused(message("refuse", key, **values))


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n} 字节"


@dataclass
class DocxParts:
    """The parsed parts of one .docx (ElementTree elements; None where absent)."""

    document: Element
    w: str  # the WordprocessingML namespace in braces, e.g. "{http://…/main}"
    styles: Element | None = None
    custom: Element | None = None
    comment_count: int = 0
    names: list[str] = field(default_factory=list)


def sniff(data: bytes, name: str) -> None:
    """Refuse what is plainly not a .docx, naming what it is."""
    if not data:
        refuse("empty")
    if len(data) > MAX_FILE_BYTES:
        refuse("too_large", size=_size(len(data)))
    if data.startswith(OLE2):
        if "EncryptedPackage".encode("utf-16-le") in data or "EncryptionInfo".encode("utf-16-le") in data:
            refuse("encrypted")
        refuse("ole_wps" if name.lower().endswith((".wps", ".wpt")) else "ole_doc")
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"{\\rtf"):
        refuse("rtf")
    if head.startswith((b"<html", b"<!doctype html", b"mime-version", b"<?xml")) or b"<html" in head:
        refuse("html")
    if not data.startswith(b"PK\x03\x04"):
        refuse("not_zip")


def _check_end_record(data: bytes) -> None:
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if end < 0 or len(data) < end + 22:
        refuse("damaged", detail="找不到 ZIP 目录")
    total = int.from_bytes(data[end + 10:end + 12], "little")
    if total == 0xFFFF:
        refuse("zip64")
    if total > MAX_MEMBERS:
        refuse("too_many_members", count=total)


def _check_infos(infos: list[zipfile.ZipInfo]) -> None:
    if len(infos) > MAX_MEMBERS:
        refuse("too_many_members", count=len(infos))
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            refuse("zip_encrypted")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            refuse("compression", name=info.filename)
        limit = MAX_XML_BYTES if _is_xml(info.filename) else MAX_OTHER_BYTES
        if info.file_size > limit:
            refuse("member_too_large", name=info.filename, size=_size(info.file_size))
        if info.compress_size and info.file_size > 1024 * 1024 and info.file_size / info.compress_size > MAX_RATIO:
            refuse("ratio", name=info.filename, ratio=info.file_size // info.compress_size)
        total += info.file_size
    if total > MAX_TOTAL_BYTES:
        refuse("total_too_large")


def _is_xml(name: str) -> bool:
    return name.endswith((".xml", ".rels"))


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    with archive.open(info) as stream:
        data = stream.read(MAX_XML_BYTES + 1)  # never more than the limit, whatever the header says
    if len(data) > MAX_XML_BYTES or len(data) != info.file_size:
        refuse("size_mismatch", name=info.filename)
    return data


ROW_TAGS = frozenset({f"{{{W_TRANSITIONAL}}}tr", f"{{{W_STRICT}}}tr"})


def parse_xml(data: bytes, name: str, *, count_rows: frozenset[str] = frozenset()) -> Element:
    """Parse one part: no DTD, no entities, bounded depth and size; refuses as soon as
    more than MAX_ROWS elements with a tag in ``count_rows`` (table rows) have been read."""
    depth = elements = rows = 0
    try:
        events = iterparse(io.BytesIO(data), events=("start", "end"),
                           forbid_dtd=True, forbid_entities=True, forbid_external=True)
        root = None
        for event, element in events:
            if event == "start":
                depth += 1
                elements += 1
                if root is None:
                    root = element
                if depth > MAX_DEPTH:
                    refuse("too_deep", name=name)
                if elements > MAX_ELEMENTS:
                    refuse("too_many_elements", name=name)
            else:
                depth -= 1
                if element.tag in count_rows:
                    rows += 1
                    if rows > MAX_ROWS:
                        refuse("too_many_rows", limit=MAX_ROWS)
    except DefusedXmlException:
        refuse("dtd", name=name)
    except ParseError as exc:
        refuse("not_xml", name=name, line=exc.position[0] if exc.position else 1)
    except RecursionError:
        refuse("too_deep", name=name)
    if root is None:
        refuse("not_xml", name=name, line=1)
    return root


def _relationships(data: bytes | None, name: str, base: str) -> dict[str, list[str]]:
    """Relationship type → target part names (resolved against ``base``)."""
    if data is None:
        return {}
    out: dict[str, list[str]] = {}
    for rel in parse_xml(data, name).iter(f"{{{REL_NS}}}Relationship"):
        if rel.get("TargetMode") == "External":
            continue
        target = rel.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(base, target))
        out.setdefault(rel.get("Type", ""), []).append(path)
    return out


def open_docx(data: bytes, name: str) -> DocxParts:
    """Check the container, then parse the parts a form needs; raises DocxRefused."""
    sniff(data, name)
    _check_end_record(data)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            _check_infos(infos)
            by_name = {info.filename: info for info in infos}

            def member(part: str) -> bytes | None:
                info = by_name.get(part)
                return _read(archive, info) if info is not None else None

            package_rels = _relationships(member("_rels/.rels"), "_rels/.rels", "")
            main = (package_rels.get(OFFICE_DOCUMENT) or ["word/document.xml"])[0]
            document = member(main)
            if document is None:
                if any(n.startswith(("xl/", "ppt/")) for n in by_name):
                    refuse("not_word")
                refuse("no_document")
            folder = posixpath.dirname(main)
            rels_name = posixpath.join(folder, "_rels", posixpath.basename(main) + ".rels")
            doc_rels = _relationships(member(rels_name), rels_name, folder)
            styles_name = (doc_rels.get(STYLES) or [posixpath.join(folder, "styles.xml")])[0]
            styles = member(styles_name)
            custom_name = (package_rels.get(CUSTOM_PROPERTIES) or ["docProps/custom.xml"])[0]
            custom = member(custom_name)
            comments = [member(n) for n in doc_rels.get(COMMENTS, [])]
    except DocxRefused:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError,
            RuntimeError, UnicodeError, KeyError) as exc:
        refuse("damaged", detail=type(exc).__name__)

    root = parse_xml(document, main, count_rows=ROW_TAGS)
    w_ns = root.tag[1:].partition("}")[0] if root.tag.startswith("{") else ""
    if w_ns == W_STRICT:
        refuse("strict")
    if w_ns != W_TRANSITIONAL:
        refuse("not_word")
    w = f"{{{w_ns}}}"
    parts = DocxParts(document=root, w=w, names=sorted(by_name))
    parts.styles = _optional(styles, styles_name)
    parts.custom = _optional(custom, custom_name)
    for c in comments:
        tree = _optional(c, "comments")
        if tree is not None:
            parts.comment_count += sum(1 for _ in tree.iter(f"{w}comment"))
    return parts


def _optional(data: bytes | None, name: str) -> Element | None:
    """A part the form can do without; when present it is checked like the document."""
    return None if data is None else parse_xml(data, name)
