"""PDF bytes to paper and files: the system print dialog, 导出PDF, the PDF document object."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRect, QSize
from PySide6.QtGui import QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QFileDialog, QMessageBox

from lianzheng_desktop.ui import settings as keys

MAX_PRINT_DPI = 300  # enough for 10.5 pt text; an A4 page at 600 dpi would be 140 MB


class PdfBytes:
    """A QPdfDocument over PDF bytes held in memory (the buffer must outlive the document)."""

    def __init__(self, data: bytes, parent=None):
        self.buffer = QBuffer(parent)
        self.buffer.setData(QByteArray(data))
        self.buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument(parent)
        self.document.load(self.buffer)

    def page_count(self) -> int:
        return self.document.pageCount()


def a4_printer(title: str) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(title)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setPageOrientation(QPageLayout.Orientation.Portrait)
    printer.setFullPage(True)  # the PDF pages carry their own margins
    return printer


def print_pdfs(parent, datas: list[bytes], title: str, *, duplex: bool = False) -> bool:
    """Several PDFs (a year's forms) as one print job: the printer is asked once, then the
    pages go out one by one under a progress dialog with 取消 (which stops the job)."""
    from lianzheng_desktop.operations.progress import Cancelled, step
    from lianzheng_desktop.ui import progress as progress_ui

    printer = a4_printer(title)
    if duplex:  # the volume was laid out for two-sided printing: start the dialog that way
        printer.setDuplex(QPrinter.DuplexMode.DuplexLongSide)
    docs = [PdfBytes(d) for d in datas]
    pages = [(doc, i) for doc in docs for i in range(doc.page_count())]
    printer.setFromTo(1, len(pages))
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(f"打印 — {title}")
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return False
    first, last = printer.fromPage() or 1, printer.toPage() or len(pages)
    chosen = pages[first - 1:last]

    def work(progress) -> bool:
        painter = QPainter(printer)
        try:
            for n, (doc, page) in enumerate(chosen):
                step(progress, n, len(chosen), f"正在打印第 {first + n} 页（共 {len(chosen)} 页）")
                if n:
                    printer.newPage()
                draw_page(painter, printer, doc, page)
            step(progress, len(chosen), len(chosen))
        except Cancelled:
            printer.abort()
            raise
        finally:
            painter.end()
        return True

    return bool(progress_ui.run(parent, f"打印 — {title}", work))


def draw_page(painter: QPainter, printer: QPrinter, pdf: PdfBytes, index: int) -> None:
    """One PDF page on the printer's page, rendered at up to MAX_PRINT_DPI."""
    dpi = min(printer.resolution(), MAX_PRINT_DPI)
    target = printer.pageLayout().fullRectPixels(printer.resolution())
    size = pdf.document.pagePointSize(index)
    image = pdf.document.render(index, QSize(round(size.width() * dpi / 72), round(size.height() * dpi / 72)))
    painter.drawImage(QRect(0, 0, target.width(), target.height()), image)


def print_pdf(parent, data: bytes, title: str) -> bool:
    """Ask for a printer, then print the PDF's pages at the printer's resolution."""
    printer = a4_printer(title)
    pdf = PdfBytes(data)
    pages = pdf.page_count()
    printer.setFromTo(1, pages)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(f"打印 — {title}")
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return False
    paint_pages(printer, pdf, pages)
    return True


def paint_pages(printer: QPrinter, pdf: PdfBytes, pages: int) -> None:
    first, last = printer.fromPage() or 1, printer.toPage() or pages
    painter = QPainter(printer)
    try:
        for number in range(first, last + 1):
            if number > first:
                printer.newPage()
            draw_page(painter, printer, pdf, number - 1)
    finally:
        painter.end()


def save_pdf(parent, data: bytes, suggested_name: str) -> Path | None:
    from lianzheng_desktop.exchange.formfile import write_bytes_atomic

    store = keys.settings()
    start = Path(store.value(keys.LAST_DIR, str(Path.home()))) / suggested_name
    name, _ = QFileDialog.getSaveFileName(parent, "导出PDF", str(start), "PDF 文件 (*.pdf)")
    if not name:
        return None
    path = Path(name)
    if path.suffix.lower() != ".pdf":
        path = path.with_suffix(".pdf")
    try:
        write_bytes_atomic(path, data)
    except OSError as exc:
        QMessageBox.critical(parent, "导出PDF", f"无法写入 {path}：{exc.strerror or exc}")
        return None
    store.setValue(keys.LAST_DIR, str(path.parent))
    return path
