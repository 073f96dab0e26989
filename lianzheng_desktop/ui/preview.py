"""The 预览 tab: exactly the PDF that will print, with zoom and page count."""

from __future__ import annotations

from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from lianzheng_desktop.ui.printing import PdfBytes
from lianzheng_desktop.ui.progress import busy


class PreviewWidget(QWidget):
    def __init__(self, editor, parent=None):
        super().__init__(parent)
        self.editor = editor
        self.pdf: PdfBytes | None = None
        self.data = b""
        self.view = QPdfView(self)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.pages_label = QLabel()
        bar = QHBoxLayout()
        for text, slot in (("缩小", lambda: self.zoom(1 / 1.25)), ("放大", lambda: self.zoom(1.25)),
                           ("适合宽度", self.fit_width), ("整页", self.fit_page)):
            button = QPushButton(text)
            button.clicked.connect(slot)
            bar.addWidget(button)
        bar.addStretch(1)
        bar.addWidget(self.pages_label)
        self.print_button = QPushButton("打印…")
        self.export_button = QPushButton("导出PDF…")
        bar.addWidget(self.print_button)
        bar.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(bar)
        layout.addWidget(self.view)

    def refresh(self, form) -> None:
        from lianzheng_desktop.render import render_form

        with busy():  # a long form takes a second or more to lay out
            data = render_form(form)
        if data == self.data:
            return
        self.data = data
        old = self.pdf
        self.pdf = PdfBytes(data, self)
        self.view.setDocument(self.pdf.document)
        if old is not None:
            old.document.deleteLater()
            old.buffer.deleteLater()
        self.pages_label.setText(f"共 {self.page_count()} 页")

    def page_count(self) -> int:
        return self.pdf.page_count() if self.pdf else 0

    def zoom(self, factor: float) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(max(0.25, min(4.0, self.view.zoomFactor() * factor)))

    def fit_width(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

    def fit_page(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.FitInView)
