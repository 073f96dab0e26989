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


MM = 72 / 25.4


def ink_bottom_share(image, dpi: int, top_mm: float, bottom_mm: float) -> float:
    """How much of the content frame (``top_mm`` … paper height − ``bottom_mm``) is left
    empty below the lowest ink on the page image (the footer band is ignored)."""
    px = dpi / 25.4
    top, bottom = round(top_mm * px), image.height - round(bottom_mm * px)
    band = image.crop((0, top, image.width, bottom)).point(lambda v: 255 if v < 128 else 0)
    box = band.getbbox()
    if box is None:
        return 1.0
    return (band.height - box[3]) / band.height


def white_edges(image, dpi: int, edge_mm: float):
    """The page as a printer with an unprintable ``edge_mm`` strip on every side prints it."""
    from PIL import ImageDraw

    out = image.copy()
    e = round(edge_mm * dpi / 25.4)
    draw = ImageDraw.Draw(out)
    w, h = out.size
    for box in ((0, 0, w, e), (0, h - e, w, h), (0, 0, e, h), (w - e, 0, w, h)):
        draw.rectangle(box, fill=255)
    return out


def decode_qr(image, tmp_path) -> list[str]:
    """The QR codes zbarimg (Debian zbar-tools) reads in a page image."""
    import subprocess

    path = tmp_path / "page.png"
    image.save(path)
    result = subprocess.run(["zbarimg", "--quiet", "--raw", str(path)], capture_output=True, text=True)
    return result.stdout.split()


def char_boxes(data: bytes, page: int = 0) -> list[tuple[str, tuple[float, float, float, float]]]:
    """Every character of a page with its box (left, bottom, right, top) in points."""
    pdf = pdfium.PdfDocument(data)
    try:
        text = pdf[page].get_textpage()
        return [(text.get_text_range(i, 1), text.get_charbox(i, loose=True)) for i in range(text.count_chars())]
    finally:
        pdf.close()
