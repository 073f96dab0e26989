"""Questions to the user before something that can't simply be undone (tests replace them),
and messages with lists that may be long: the list scrolls inside the dialog, whose
buttons stay on the screen however many lines there are."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QMessageBox,
    QStyle,
    QVBoxLayout,
)

LIST_ROWS = 12  # lines shown before the list scrolls


def confirm(parent, title: str, text: str) -> bool:
    """Yes or no, with No as the default button."""
    answer = QMessageBox.question(parent, title, text,
                                  QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                  QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


def choose(parent, title: str, text: str, yes: str, no: str, icon=QMessageBox.Icon.Warning) -> bool:
    """Two named answers (e.g. 只读打开 / 退出); True for the first."""
    box = QMessageBox(icon, title, text, parent=parent)
    accept = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    box.addButton(no, QMessageBox.ButtonRole.RejectRole)
    box.exec()
    return box.clickedButton() is accept


class ListDialog(QDialog):
    """A sentence, a list that scrolls, a closing sentence, buttons."""

    def __init__(self, parent, title: str, head: str, items: list[str], tail: str = "", *, question: bool = False,
                 icon=QStyle.StandardPixmap.SP_MessageBoxInformation):
        super().__init__(parent)
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        top = QLabel(head, wordWrap=True)
        top.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(top)
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.addItems(items)
        self.list.setAlternatingRowColors(True)
        rows = min(max(len(items), 3), LIST_ROWS)
        self.list.setMinimumHeight(self.list.fontMetrics().lineSpacing() * rows + 12)
        layout.addWidget(self.list, 1)
        if tail:
            layout.addWidget(QLabel(tail, wordWrap=True))
        if question:
            self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Yes | QDialogButtonBox.StandardButton.No)
            self.buttons.button(QDialogButtonBox.StandardButton.No).setDefault(True)
            self.buttons.button(QDialogButtonBox.StandardButton.No).setFocus()
        else:
            self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.resize(640, self.sizeHint().height())
        self.setWindowIcon(self.style().standardIcon(icon))


def confirm_list(parent, title: str, head: str, items: list[str], question: str) -> bool:
    """Yes or no (No the default) about a list of things, e.g. the changes a newer package
    brings."""
    return ListDialog(parent, title, head, items, question, question=True,
                      icon=QStyle.StandardPixmap.SP_MessageBoxQuestion).exec() == QDialog.DialogCode.Accepted


def inform_list(parent, title: str, head: str, items: list[str]) -> None:
    """What happened to each of several things (files imported…)."""
    ListDialog(parent, title, head, items).exec()
