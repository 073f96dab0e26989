"""催报名单: the notice to paste into an e-mail, OA or a chat, copied or saved as text or
Excel (operations/reminding.py does the work and keeps the log), and the log itself."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
)

from lianzheng_desktop.domain.deadlines import reporting_texts
from lianzheng_desktop.domain.texts import short_time
from lianzheng_desktop.operations import reminding as ops
from lianzheng_desktop.store import FormStore, StoreError
from lianzheng_desktop.ui import settings as keys


def choose_save_path(parent, title: str, suggested: str, filter_text: str, suffix: str) -> Path | None:
    """Where to save: the dialog opens in the folder last saved to (the user's home at
    first, never the program's folder); the suffix is added when the name lacks it."""
    store = keys.settings()
    start = Path(str(store.value(keys.LAST_DIR, str(Path.home())))) / suggested
    name, _ = QFileDialog.getSaveFileName(parent, title, str(start), filter_text)
    if not name:
        return None
    path = Path(name)
    if path.suffix.lower() != suffix:
        path = path.with_name(path.name + suffix)
    store.setValue(keys.LAST_DIR, str(path.parent))
    return path


class ReminderDialog(QDialog):
    def __init__(self, store: FormStore, year: int, parent=None, *, read_only: bool = False):
        super().__init__(parent)
        self.store, self.year, self.read_only = store, year, read_only
        self.setWindowTitle(f"{year} 年度催报名单")
        self.resize(820, 600)  # fitted into the screen when shown (ui/screen.py)
        self.list = ops.reminder_list(store, year)
        how = reporting_texts()["reminder"]["how"]
        self.head = QLabel(wordWrap=True)
        self.text = QPlainTextEdit(readOnly=True)
        self.text.setPlainText(self.list.text())
        self.log = QTableWidget(0, 4)
        self.log.setHorizontalHeaderLabels(["时间", "方式", "单位数", "单位"])
        self.log.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.log.horizontalHeader().setStretchLastSection(True)
        self.log.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        tabs = QTabWidget()
        tabs.addTab(self.text, "催报通知")
        tabs.addTab(self.log, "催报记录")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = buttons.addButton(how["copied"], QDialogButtonBox.ButtonRole.ActionRole)
        self.text_button = buttons.addButton(how["text"] + "…", QDialogButtonBox.ButtonRole.ActionRole)
        self.excel_button = buttons.addButton(how["excel"] + "…", QDialogButtonBox.ButtonRole.ActionRole)
        # lambdas: clicked(bool) would otherwise arrive as the ``path``
        self.copy_button.clicked.connect(lambda _checked=False: self.copy())
        self.text_button.clicked.connect(lambda _checked=False: self.save_text())
        self.excel_button.clicked.connect(lambda _checked=False: self.save_excel())
        for button in (self.copy_button, self.text_button, self.excel_button):
            button.setEnabled(not self.list.empty)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.head)
        layout.addWidget(tabs, 1)
        layout.addWidget(buttons)
        self.refresh()

    def refresh(self) -> None:
        entries = self.list.entries
        due = f"截止日期 {self.list.deadline}" if self.list.deadline else "还没有设截止日期"
        self.head.setText(f"{due}。需要催报 {len(entries)} 个单位。复制后可直接粘贴到电子邮件、OA 或微信、钉钉中；"
                          "复制或保存都会记入“催报记录”。")
        log = ops.reminder_log(self.store, self.year)
        how = reporting_texts()["reminder"]["how"]
        self.log.setRowCount(len(log))
        for i, r in enumerate(log):
            for j, value in enumerate((short_time(r.sent_at), how.get(r.how, r.how), str(len(r.units)),
                                       "、".join(u for u, _ in r.units))):
                self.log.setItem(i, j, QTableWidgetItem(value))

    def _logged(self, work) -> str | None:
        try:
            sent = work()
        except (StoreError, OSError) as exc:
            QMessageBox.critical(self, "催报名单", f"无法完成：{getattr(exc, 'strerror', None) or exc}")
            return None
        self.refresh()
        return sent.message

    def copy(self) -> str | None:
        QGuiApplication.clipboard().setText(self.list.text())
        if self.read_only:
            self.head.setText("已复制（只读数据库：没有记入催报记录）。")
            return None
        message = self._logged(lambda: ops.log_reminder(self.store, self.list, ops.COPIED))
        self.head.setText((message or "已复制") + "。")
        return message

    def save_text(self, path: Path | None = None) -> str | None:
        if path is None:
            path = choose_save_path(self, "存为文本", f"{self.year}年度催报名单.txt", "文本文件 (*.txt)", ".txt")
            if path is None:
                return None
        message = self._logged(lambda: ops.save_reminder_text(self.store, self.list, path, log=not self.read_only))
        if message:
            self.head.setText(message + "。")
        return message

    def save_excel(self, path: Path | None = None) -> str | None:
        if path is None:
            path = choose_save_path(self, "存为 Excel", f"{self.year}年度催报名单.xlsx", "Excel 工作簿 (*.xlsx)",
                                    ".xlsx")
            if path is None:
                return None
        message = self._logged(lambda: ops.save_reminder_excel(self.store, self.list, path, log=not self.read_only))
        if message:
            self.head.setText(message + "。")
        return message
