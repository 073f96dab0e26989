"""Hostile and wrong files given to the Word reader: each refused with a Chinese message,
quickly, and never by a crash (the reader writes nothing, so nothing can be half-written)."""

import time
import zipfile
from pathlib import Path

import pytest
from hostile_docx import BILLION_LAUGHS, TYPES, W, document, hostile_files, ten_thousand_rows, zipped
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lianzheng_desktop.exchange.docx import DocxRefused, read_docx
from lianzheng_desktop.exchange.docx.container import MAX_ROWS, OLE2

DOCX = Path(__file__).parent / "data" / "docx"


def refused(data: bytes, name: str = "表.docx", match: str = "") -> str:
    start = time.perf_counter()
    with pytest.raises(DocxRefused) as info:
        read_docx(data, name=name)
    elapsed = time.perf_counter() - start
    message = str(info.value)
    assert message and any("\u4e00" <= ch <= "\u9fff" for ch in message)
    assert match in message
    assert elapsed < 5, f"took {elapsed:.1f} s"  # a hang guard; figures are in the report
    return message


def test_old_word_file():
    assert "另存为" in refused(OLE2 + b"\x00" * 4000 + "WordDocument".encode("utf-16-le"), "去年.doc", ".doc")


def test_wps_file():
    refused(OLE2 + b"\x00" * 4000, "去年.wps", "WPS")


def test_encrypted_docx():
    # Word saves a password-protected .docx as an OLE2 container holding the encrypted package
    data = OLE2 + b"\x00" * 1000 + "EncryptionInfo".encode("utf-16-le") + "EncryptedPackage".encode("utf-16-le")
    refused(data, "加密.docx", "密码")


def test_rtf_and_web_page_saved_as_doc():
    refused(b"{\\rtf1\\ansi\\deff0 {\\fonttbl}}", "表.doc", "RTF")
    refused("<html><body><table><tr><td>单位</td></tr></table></body></html>".encode(), "表.doc", "网页")


@pytest.mark.parametrize("data", [b"", b"hello", bytes(range(256)) * 10, b"PK\x03\x04" + b"\x00" * 100])
def test_not_a_zip_or_broken(data):
    refused(data)


def test_truncated_docx():
    data = (DOCX / "unit-filled.docx").read_bytes()
    refused(data[: len(data) // 2])


def test_document_part_missing():
    refused(zipped({"[Content_Types].xml": TYPES, "word/styles.xml": "<x/>"}), match="document.xml")


def test_excel_file_renamed():
    refused(zipped({"[Content_Types].xml": TYPES, "xl/workbook.xml": "<workbook/>"}), match="Excel")


def test_document_not_xml():
    refused(zipped({"word/document.xml": "这不是 XML <w:p"}), match="XML")


def test_billion_laughs():
    refused(zipped({"word/document.xml": BILLION_LAUGHS}), match="DTD")


def test_external_entity_is_never_loaded(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("机密", encoding="utf-8")
    xxe = (f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file://{secret}">]>'
           f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>')
    message = refused(zipped({"word/document.xml": xxe}), match="DTD")
    assert "机密" not in message


def test_dtd_in_the_styles_part_too():
    data = zipped({"word/document.xml": document("<w:tbl/>"), "word/styles.xml": BILLION_LAUGHS})
    refused(data, match="DTD")


def test_zip_bomb_by_declared_size():
    # 100 MB of zeros compresses to ~100 KB; refused from the sizes in the ZIP index
    refused(zipped({"word/document.xml": b"\x00" * (100 * 1024 * 1024)}), match="超过上限")


def test_zip_bomb_by_ratio():
    refused(zipped({"word/document.xml": b" " * (5 * 1024 * 1024)}), match="压缩炸弹")


def test_member_that_inflates_to_more_than_it_declares():
    data = bytearray(zipped({"word/document.xml": document("<w:p/>" * 50_000)}))
    real = len(document("<w:p/>" * 50_000))
    small = (1000).to_bytes(4, "little")
    for header, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):  # local and central size fields
        at = data.find(header)
        assert int.from_bytes(data[at + offset:at + offset + 4], "little") == real
        data[at + offset:at + offset + 4] = small
    refused(bytes(data))


def test_too_many_entries():
    refused(zipped({f"word/media/{i}.xml": "<x/>" for i in range(1500)}), match="部件太多")


def test_other_compression_methods():
    refused(zipped({"word/document.xml": document("")}, zipfile.ZIP_BZIP2), match="压缩方式")


def test_ten_thousand_rows():
    refused(ten_thousand_rows(), match=f"{MAX_ROWS}")


@pytest.mark.parametrize(("name", "data", "match"), hostile_files(), ids=[h[0] for h in hostile_files()])
def test_every_hostile_kind_the_doors_are_given(name, data, match):
    refused(data, name, match)


def test_deep_nesting():
    deep = "<w:sdt><w:sdtContent>" * 5000 + "</w:sdtContent></w:sdt>" * 5000
    refused(zipped({"word/document.xml": document(deep)}), match="嵌套")


def test_strict_open_xml():
    strict = document("").replace(W, "http://purl.oclc.org/ooxml/wordprocessingml/main")
    refused(zipped({"word/document.xml": strict}), match="严格")


def test_encrypted_zip_member():
    data = bytearray(zipped({"word/document.xml": document("")}))
    for header, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.find(header)
        data[at + offset] |= 0x1
    refused(bytes(data), match="加密")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, 1 << 20), st.binary(min_size=1, max_size=8)), min_size=1, max_size=6))
def test_damaged_docx_never_crashes(edits):
    data = bytearray((DOCX / "post-ticks.docx").read_bytes())
    for position, patch in edits:
        position %= len(data)
        data[position:position + len(patch)] = patch
    try:
        read_docx(bytes(data), name="x.docx")
    except DocxRefused as exc:
        assert str(exc)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_any_text_in_a_cell_never_crashes(text):
    from xml.sax.saxutils import escape
    safe = "".join(ch for ch in text if ch in "\t\n" or (ord(ch) >= 32 and ch not in "\ufffe\uffff"))
    safe = "".join(ch for ch in safe if not 0xD800 <= ord(ch) <= 0xDFFF)
    cell = f"<w:tc><w:p><w:r><w:t>{escape(safe)}</w:t></w:r></w:p></w:tc>"
    body = (f"<w:p><w:r><w:t>单位廉政风险防控登记表</w:t></w:r></w:p><w:tbl>"
            f"<w:tr><w:tc><w:p><w:r><w:t>风险类别</w:t></w:r></w:p></w:tc>{cell * 4}</w:tr>"
            f"<w:tr><w:tc><w:p><w:r><w:t>思想道德风险</w:t></w:r></w:p></w:tc>{cell * 4}</w:tr>"
            f"<w:tr>{cell * 5}</w:tr></w:tbl>")
    try:
        reading = read_docx(zipped({"word/document.xml": document(body)}), name="x.docx", year=2026)
    except DocxRefused as exc:
        assert str(exc)
        return
    assert reading.form.kind == "unit"
