"""报送设置与密钥: the committee's key (create, back up under a passphrase, restore), the
year's deadline and the settings file for the units; on a unit's PC, the keys it holds and
the import of the committee's settings file. The work is done by ``operations``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
)

from lianzheng_desktop.exchange.keyfile import KeyFileRejected
from lianzheng_desktop.exchange.keyfile import default_name as key_file_name
from lianzheng_desktop.exchange.settingsfile import SettingsRejected
from lianzheng_desktop.exchange.settingsfile import default_name as settings_file_name
from lianzheng_desktop.operations import keys, reporting
from lianzheng_desktop.store import FormStore, StoreError
from lianzheng_desktop.store.packages import expected_units
from lianzheng_desktop.ui import ask


def fingerprint_label(text: str) -> QLabel:
    """A fingerprint large and monospaced, to be read out over the telephone."""
    label = QLabel(text)
    font = QFont("monospace")
    font.setStyleHint(QFont.StyleHint.Monospace)
    font.setPointSize(14)
    label.setFont(font)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def ask_passphrase(parent, title: str, *, twice: bool) -> str | None:
    """The passphrase typed (twice when a file is being made), or None when cancelled."""
    text, ok = QInputDialog.getText(parent, title, "口令（至少 8 个字符，可以是一句话）：", QLineEdit.EchoMode.Password)
    if not ok:
        return None
    if twice:
        again, ok = QInputDialog.getText(parent, title, "再输入一次口令：", QLineEdit.EchoMode.Password)
        if not ok:
            return None
        if again != text:
            QMessageBox.warning(parent, title, "两次输入的口令不一致，没有保存")
            return None
    return text


class CommitteeKeysDialog(QDialog):
    """The committee's 报送设置与密钥 (from the workbench)."""

    def __init__(self, store: FormStore, year: int, parent=None, *, read_only: bool = False):
        super().__init__(parent)
        self.store, self.year, self.read_only = store, year, read_only
        self.setWindowTitle("报送设置与密钥")
        self.resize(620, 460)
        layout = QVBoxLayout(self)
        key_box = QGroupBox("校纪委密钥")
        key_layout = QVBoxLayout(key_box)
        self.key_label = fingerprint_label("")
        key_layout.addWidget(self.key_label)
        key_layout.addWidget(QLabel("各单位导入报送设置时会看到这个指纹，请让他们与通知或电话中的指纹核对。"
                                    "单位导出的数据包加密给这把密钥，只有这个数据库能打开。", wordWrap=True))
        row = QHBoxLayout()
        self.create_button = QPushButton("生成校纪委密钥…")
        self.create_button.clicked.connect(self.create_key)
        self.backup_button = QPushButton("保存密钥备份…")
        self.backup_button.clicked.connect(lambda: self.save_backup())
        self.restore_button = QPushButton("从备份恢复…")
        self.restore_button.clicked.connect(lambda: self.restore())
        for button in (self.create_button, self.backup_button, self.restore_button):
            row.addWidget(button)
        key_layout.addLayout(row)
        layout.addWidget(key_box)

        settings_box = QGroupBox(f"{year} 年度报送设置")
        settings_layout = QVBoxLayout(settings_box)
        row = QHBoxLayout()
        self.has_deadline = QCheckBox("报送截止日期：")
        self.deadline = QDateEdit(calendarPopup=True)
        self.deadline.setDisplayFormat("yyyy-MM-dd")
        due = reporting.deadline(store, year)
        self.has_deadline.setChecked(due is not None)
        day = dt.date.fromisoformat(due) if due else dt.date(year, 12, 15)
        self.deadline.setDate(QDate(day.year, day.month, day.day))
        row.addWidget(self.has_deadline)
        row.addWidget(self.deadline)
        row.addStretch(1)
        settings_layout.addLayout(row)
        self.units_label = QLabel()
        settings_layout.addWidget(self.units_label)
        self.export_button = QPushButton("生成报送设置文件…")
        self.export_button.clicked.connect(lambda: self.export_settings())
        settings_layout.addWidget(self.export_button)
        layout.addWidget(settings_box)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.refresh()

    def refresh(self) -> None:
        key = keys.committee_key(self.store)
        self.key_label.setText(f"指纹：{key.fingerprint}" if key else "还没有校纪委密钥")
        self.create_button.setEnabled(key is None and not self.read_only)
        self.backup_button.setEnabled(key is not None)
        self.restore_button.setEnabled(not self.read_only)
        self.export_button.setEnabled(key is not None and not self.read_only)
        count = len(expected_units(self.store, self.year))
        self.units_label.setText(f"单位名单：{count} 个单位（在工作台“导入单位名单”“编辑单位名单”中维护）")

    def chosen_deadline(self) -> str | None:
        return self.deadline.date().toString("yyyy-MM-dd") if self.has_deadline.isChecked() else None

    def create_key(self) -> str | None:
        try:
            created = keys.create_committee_key(self.store)
        except (keys.KeyRefused, StoreError) as exc:
            QMessageBox.warning(self, "生成校纪委密钥", str(exc))
            return None
        self.refresh()
        QMessageBox.warning(self, "生成校纪委密钥", created.message)
        if ask.confirm(self, "保存密钥备份", "现在就把校纪委密钥保存为口令保护的备份文件吗？（强烈建议）"):
            self.save_backup()
        return created.fingerprint

    def save_backup(self, path: Path | None = None, passphrase: str | None = None) -> Path | None:
        if path is None:
            name, _ = QFileDialog.getSaveFileName(self, "保存密钥备份", key_file_name(), "密钥备份 (*.lzkey)")
            if not name:
                return None
            path = Path(name)
        passphrase = passphrase if passphrase is not None else ask_passphrase(self, "保存密钥备份", twice=True)
        if passphrase is None:
            return None
        try:
            saved = keys.save_committee_key(self.store, path, passphrase)
        except (keys.KeyRefused, KeyFileRejected, OSError) as exc:
            QMessageBox.warning(self, "保存密钥备份", f"没有保存：{getattr(exc, 'strerror', None) or exc}")
            return None
        QMessageBox.information(self, "保存密钥备份", f"已保存到：\n{saved}\n\n请把这个文件放在这台电脑以外的安全地方，"
                                                 "口令另行保管。两样都丢了，密钥就找不回来了。")
        return saved

    def restore(self, path: Path | None = None, passphrase: str | None = None) -> str | None:
        if path is None:
            name, _ = QFileDialog.getOpenFileName(self, "从备份恢复校纪委密钥", "", "密钥备份 (*.lzkey)")
            if not name:
                return None
            path = Path(name)
        passphrase = passphrase if passphrase is not None else ask_passphrase(self, "从备份恢复", twice=False)
        if passphrase is None:
            return None
        try:
            restored = keys.restore_committee_key(self.store, path, passphrase)
        except (KeyFileRejected, StoreError) as exc:
            QMessageBox.warning(self, "从备份恢复", str(exc))
            return None
        self.refresh()
        QMessageBox.information(self, "从备份恢复", restored.message)
        return restored.fingerprint

    def export_settings(self, path: Path | None = None) -> Path | None:
        if path is None:
            name, _ = QFileDialog.getSaveFileName(self, "生成报送设置文件", settings_file_name(self.year),
                                                  "报送设置 (*.lzsz)")
            if not name:
                return None
            path = Path(name)
        try:
            reporting.set_deadline(self.store, self.year, self.chosen_deadline())
            written = reporting.export_settings(self.store, self.year, path)
        except (keys.KeyRefused, StoreError, OSError) as exc:
            QMessageBox.warning(self, "生成报送设置文件", f"没有生成：{getattr(exc, 'strerror', None) or exc}")
            return None
        QMessageBox.information(self, "生成报送设置文件", written.message)
        return written.path


class UnitKeysDialog(QDialog):
    """A unit's 报送密钥与设置 (from the main window): the keys it holds, with fingerprints to
    read out, the year's 报送设置, and the import of a new settings file."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.setWindowTitle("报送密钥与设置")
        self.resize(600, 360)
        layout = QVBoxLayout(self)
        self.state = QLabel(wordWrap=True)
        layout.addWidget(self.state)
        self.unit_fingerprint = fingerprint_label("")
        layout.addWidget(QLabel("本机签名密钥的指纹（校纪委打电话核对时，请念这一串）："))
        layout.addWidget(self.unit_fingerprint)
        self.settings = QLabel(wordWrap=True)
        layout.addWidget(self.settings)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        load = buttons.addButton("导入校纪委报送设置…", QDialogButtonBox.ButtonRole.ActionRole)
        load.clicked.connect(self.import_settings)
        load.setEnabled(not window.read_only)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.refresh()

    def refresh(self) -> None:
        w = self.window
        state = keys.key_state(w.store)
        self.state.setText("\n".join(line for line in state.lines if not line.startswith("本机签名密钥")))
        self.unit_fingerprint.setText(state.unit or "（还没有：第一次导出数据包时自动生成）")
        settings = reporting.deadline(w.store, w.year)
        self.settings.setText(f"{w.year} 年度报送截止日期：{settings}" if settings else
                              f"{w.year} 年度：还没有导入校纪委的报送设置，或校纪委没有设截止日期")

    def import_settings(self) -> None:
        self.window.sending.import_settings()
        self.refresh()


def import_settings_file(parent, store: FormStore, path: Path) -> str | None:
    """Read the settings file, ask when the committee's key changed, import; the message shown."""
    title = "导入校纪委报送设置"
    try:
        plan = reporting.plan_settings(store, path)
        accept = plan.key_changed and ask.confirm(parent, "校纪委密钥变了", plan.question())
        if plan.key_changed and not accept:
            QMessageBox.information(parent, title, "没有导入：仍然使用以前导入的校纪委密钥。")
            return None
        done = reporting.import_settings(store, plan, accept_new_key=accept)
    except (SettingsRejected, keys.KeyRefused, StoreError) as exc:
        QMessageBox.warning(parent, title, str(exc))
        return None
    QMessageBox.information(parent, title, done.message)
    return done.message
