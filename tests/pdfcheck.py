"""Reading PDFs back in tests: text per page, fonts, page images."""

import io

import pypdfium2 as pdfium
from pypdf import PdfReader


def page_texts(data: bytes) -> list[str]:
    pdf = pdfium.PdfDocument(data)
    try:
        # pdfium reports a hyphen at the end of a line as \x02 (it guesses a soft hyphen).
        return [pdf[i].get_textpage().get_text_bounded().replace("\x02", "-") for i in range(len(pdf))]
    finally:
        pdf.close()


def squash(text: str) -> str:
    """Text without white space: what must survive printing in order."""
    return "".join(text.split())


def fonts(data: bytes) -> list[dict]:
    """Every font resource of every page: name, subtype and whether its program is embedded."""
    found = {}
    for page in PdfReader(io.BytesIO(data)).pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor else {}
            embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            found[str(font["/BaseFont"])] = {"subtype": str(font["/Subtype"]), "embedded": embedded}
    return [{"name": k, **v} for k, v in sorted(found.items())]


def render_pages(data: bytes, dpi: int = 100):
    pdf = pdfium.PdfDocument(data)
    try:
        return [pdf[i].render(scale=dpi / 72).to_pil().convert("L") for i in range(len(pdf))]
    finally:
        pdf.close()
