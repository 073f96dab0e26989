"""Hostile and wrong files a Word door is given, built in memory (shared by the reader's
tests, the command line's and the windows'). Each: (file name, bytes, a word the refusal
must contain)."""

import io
import zipfile

from lianzheng_desktop.exchange.docx.container import MAX_ROWS, OLE2

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
TYPES = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
         'content-types"><Default Extension="xml" ContentType="application/xml"/></Types>')


def zipped(members: dict[str, bytes | str], method=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as z:
        for name, data in members.items():
            z.writestr(name, data.encode("utf-8") if isinstance(data, str) else data)
    return out.getvalue()


def document(body: str) -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>'


BILLION_LAUGHS = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                  + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
                            for i in range(1, 10))
                  + f']><w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body>'
                    '</w:document>')


def ten_thousand_rows() -> bytes:
    rows = "<w:tr><w:tc><w:p><w:r><w:t>1.</w:t></w:r></w:p></w:tc></w:tr>" * 10_000
    return zipped({"word/document.xml": document(f"<w:tbl>{rows}</w:tbl>")})


def hostile_files() -> list[tuple[str, bytes, str]]:
    """Every kind of file the issue names, as a user might have it on disk."""
    return [
        ("不是压缩包.docx", b"hello, this is not a zip" * 10, ""),
        ("压缩炸弹.docx", zipped({"word/document.xml": b"\x00" * (100 * 1024 * 1024)}), "超过上限"),
        ("压缩比炸弹.docx", zipped({"word/document.xml": b" " * (5 * 1024 * 1024)}), "压缩炸弹"),
        ("缺文档部件.docx", zipped({"[Content_Types].xml": TYPES, "word/styles.xml": "<x/>"}), "document.xml"),
        ("文档不是XML.docx", zipped({"word/document.xml": "这不是 XML <w:p"}), "XML"),
        ("实体炸弹.docx", zipped({"word/document.xml": BILLION_LAUGHS}), "DTD"),
        ("一万行.docx", ten_thousand_rows(), f"{MAX_ROWS}"),
        ("旧格式.doc", OLE2 + b"\x00" * 4000 + "WordDocument".encode("utf-16-le"), "另存为"),
        ("金山.wps", OLE2 + b"\x00" * 4000, "WPS"),
        ("加密.docx", OLE2 + b"\x00" * 1000 + "EncryptionInfo".encode("utf-16-le")
         + "EncryptedPackage".encode("utf-16-le"), "密码"),
    ]
