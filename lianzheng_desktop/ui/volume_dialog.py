"""Printing many forms at once: as a bound volume (汇编) or form after form, one- or
two-sided, to the printer or to a PDF file. Used by the unit's 打印本年度全部表格 and the
committee's 打印汇编."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QDialog, QDialogButtonBox, QLabel, QVBoxLayout

from lianzheng_desktop.operations.printing import PrintChoice

PRINT, SAVE = "print", "save"


class VolumeDialog(QDialog):
    def __init__(self, parent, title: str, text: str, choice: PrintChoice | None = None):
        super().__init__(parent)
        choice = choice or PrintChoice()
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(text, wordWrap=True))
        self.book = QCheckBox("装订成汇编：封面、目录和书签，汇编页码印在页眉")
        self.book.setChecked(choice.book)
        self.duplex = QCheckBox("双面打印：每张表格从奇数页开始（需要时留一张空白背面）")
        self.duplex.setChecked(choice.duplex)
        layout.addWidget(self.book)
        layout.addWidget(self.duplex)
        layout.addWidget(QLabel("每张表格的内容、页码和校验码与单独打印的完全相同。", wordWrap=True))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.print_button = buttons.addButton("打印…", QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button = buttons.addButton("保存为 PDF…", QDialogButtonBox.ButtonRole.AcceptRole)
        self.print_button.clicked.connect(lambda: self._finish(PRINT))
        self.save_button.clicked.connect(lambda: self._finish(SAVE))
        buttons.rejected.connect(self.reject)
        self.print_button.setDefault(True)
        layout.addWidget(buttons)
        self.action = ""

    def _finish(self, action: str) -> None:
        self.action = action
        self.accept()

    def choice(self) -> PrintChoice:
        return PrintChoice(book=self.book.isChecked(), duplex=self.duplex.isChecked())
