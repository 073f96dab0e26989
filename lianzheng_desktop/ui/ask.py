"""Questions to the user before something that can't simply be undone (tests replace them)."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox


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
