"""A PDF the unit attached to its package, shown as the unit printed it (read-only)."""

from __future__ import annotations

from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout

from lianzheng_desktop.ui.printing import PdfBytes


class AttachedPdfDialog(QDialog):
    def __init__(self, name: str, data: bytes, parent=None):
        super().__init__(parent)
        self.setWindowTitle(f"单位附带的 PDF — {name}")
        self.resize(900, 700)
        self.pdf = PdfBytes(data, self)
        self.view = QPdfView(self)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setDocument(self.pdf.document)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"这是单位随数据包附上的 PDF（共 {self.pdf.page_count()} 页），即单位打印的样子；"
                                "表格内容以数据为准，可与上面的数据核对。", wordWrap=True))
        layout.addWidget(self.view, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def page_count(self) -> int:
        return self.pdf.page_count()
