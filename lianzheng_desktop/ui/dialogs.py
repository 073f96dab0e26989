"""Small dialogs: level wizard, new form, new year, history, deleted forms, export check,
backups, help."""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QStyle,
    QTextBrowser,
    QVBoxLayout,
)

from lianzheng_desktop.domain.definitions import definitions
from lianzheng_desktop.domain.naming import SCREEN, form_name, name_from, placeholders
from lianzheng_desktop.domain.texts import short_time
from lianzheng_desktop.operations.forms import restore_deleted, restore_revision
from lianzheng_desktop.paths import docs_dir
from lianzheng_desktop.store import StoreError
from lianzheng_desktop.store.backup import backup_dir
from lianzheng_desktop.ui import ask


def proposed_level(probability: int | None, consequence: int | None) -> int | None:
    """Either criterion of section 五 suffices, so the more serious answer (lower number) wins."""
    answers = [a for a in (probability, consequence) if a is not None]
    return min(answers) if answers else None


class LevelWizard(QDialog):
    """评估向导: the two questions of section 五, and the level they give."""

    def __init__(self, parent=None):
        super().__init__(parent)
        d = definitions()
        self.setWindowTitle("评估向导")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(d.level_texts["intro"], wordWrap=True))
        self.groups = {}
        for key, question in (("probability", d.level_texts["probability_question"]),
                              ("consequence", d.level_texts["consequence_question"])):
            box = QGroupBox(question)
            inner = QVBoxLayout(box)
            group = QButtonGroup(self)
            for level in d.levels:
                button = QRadioButton(f"{getattr(level, key)}（{level.full_name}）")
                group.addButton(button, level.value)
                inner.addWidget(button)
            group.idToggled.connect(self._update)
            self.groups[key] = group
            layout.addWidget(box)
        self.result_label = QLabel()
        self.result_label.setStyleSheet("font-weight: bold;")
        layout.addWidget(self.result_label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.as_self = buttons.addButton("设为自评", QDialogButtonBox.ButtonRole.AcceptRole)
        self.as_approved = buttons.addButton("设为审定", QDialogButtonBox.ButtonRole.AcceptRole)
        self.as_self.clicked.connect(lambda: self._finish("self_level"))
        self.as_approved.clicked.connect(lambda: self._finish("approved_level"))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.target = None
        self._update()

    def level(self) -> int | None:
        answer = {k: (g.checkedId() if g.checkedId() > 0 else None) for k, g in self.groups.items()}
        return proposed_level(answer["probability"], answer["consequence"])

    def _update(self, *_):
        level = self.level()
        self.as_self.setEnabled(level is not None)
        self.as_approved.setEnabled(level is not None)
        self.result_label.setText("请回答上面的问题（答一个即可定级）" if level is None
                                  else "建议定为：" + definitions().level(level).definition)

    def _finish(self, target: str):
        self.target = target
        self.accept()


class NewFormDialog(QDialog):
    """The fields a form is called by (for a post form: 责任人姓名 and 岗位职务), asked when it
    is created or renamed. Which fields those are is data: the kind's screen_name patterns."""

    def __init__(self, parent, kind: str, form=None, title: str | None = None):
        super().__init__(parent)
        d = definitions()
        k = d.kind(kind)
        self.setWindowTitle(title or f"新建{k.short_name}")
        keys = [name for pattern in k.names["screen"] for name in placeholders(pattern)]
        self.fields = [d.field(key) for key in dict.fromkeys(keys)
                       if key in {f.key for f in d.fields_for(kind)} and key != "unit"]
        layout = QFormLayout(self)
        self.edits: dict[str, QLineEdit] = {}
        for f in self.fields:
            edit = QLineEdit(getattr(form, f.key) if form is not None else "")
            layout.addRow(f.label + "：", edit)
            self.edits[f.key] = edit
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addRow(buttons)

    def _accept(self):
        missing = [f.label for f in self.fields if f.required and not self.edits[f.key].text().strip()]
        if missing:
            QMessageBox.warning(self, self.windowTitle(), f"请填写{'、'.join(missing)}。")
            return
        self.accept()

    def values(self) -> dict[str, str]:
        return {key: edit.text().strip() for key, edit in self.edits.items()}


class NewYearDialog(QDialog):
    """The year to start (only a year without forms can be started) and whether to copy the
    latest year's forms into it as drafts."""

    def __init__(self, parent, suggested: int, previous: int | None):
        super().__init__(parent)
        d = definitions()
        self.setWindowTitle("开始新年度")
        self.previous = previous
        form = QFormLayout(self)
        self.year = QSpinBox(minimum=d.year_min, maximum=d.year_max, value=suggested)
        self.year.setSuffix(" 年度")
        form.addRow("年度：", self.year)
        self.copy = QCheckBox(f"把 {previous} 年度的表格复制为草稿" if previous else "（没有可复制的上一年度）")
        self.copy.setChecked(previous is not None)
        self.copy.setEnabled(previous is not None)
        form.addRow(self.copy)
        cleared = "、".join((d.field("filled_on").label, d.risk_field("approved_level").label, "审核意见"))
        form.addRow(QLabel(f"复制的表格会清空{cleared}，其余内容可在此基础上修改。", wordWrap=True))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def source(self) -> int | None:
        return self.previous if self.copy.isChecked() else None


class RevisionsDialog(QDialog):
    """历史版本: every saved state of the form; restoring one is itself a new revision."""

    def __init__(self, parent, store, form_id: str):
        super().__init__(parent)
        self.store, self.form_id = store, form_id
        self.setWindowTitle("历史版本")
        self.resize(760, 480)
        self.list = QListWidget()
        self.detail = QPlainTextEdit(readOnly=True)
        self.restore_button = QPushButton("恢复到这个版本")
        self.restore_button.clicked.connect(self._restore)
        self.restored = False
        row = QHBoxLayout()
        row.addWidget(self.list, 2)
        row.addWidget(self.detail, 3)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("每次保存都会留下一个版本。恢复旧版本时，当前内容也会保留为一个版本。"))
        layout.addLayout(row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        for revision in store.revisions(form_id):
            item = QListWidgetItem(f"{short_time(revision.saved_at, seconds=True)}　{revision.note}")
            item.setData(Qt.ItemDataRole.UserRole, revision.id)
            self.list.addItem(item)
        self.list.currentItemChanged.connect(self._show)
        self.list.setCurrentRow(0)
        self.restore_button.setEnabled(not store.read_only)

    def _show(self, item, _previous=None):
        if item is None:
            return
        d = definitions()
        form = self.store.revision_form(item.data(Qt.ItemDataRole.UserRole))
        lines = [form_name(form, SCREEN), ""]
        for category in d.categories:
            for i, risk in enumerate(form.risks_in(category.key), 1):
                lines.append(f"{category.name} {i}. {risk.point}  {d.level_name(risk.self_level)}")
        self.detail.setPlainText("\n".join(lines))

    def _restore(self):
        item = self.list.currentItem()
        if item is None:
            return
        try:
            restore_revision(self.store, self.form_id, item.data(Qt.ItemDataRole.UserRole))
        except StoreError as exc:
            QMessageBox.warning(self, "历史版本", str(exc))
            return
        self.restored = True
        self.accept()


class DeletedFormsDialog(QDialog):
    def __init__(self, parent, store, year: int):
        super().__init__(parent)
        self.store = store
        self.setWindowTitle("已删除的表格")
        self.resize(480, 360)
        self.list = QListWidget()
        self.restored: list[str] = []
        for summary in store.summaries(year=year, include_deleted=True):
            if summary.deleted:
                text = name_from(summary.kind, SCREEN, summary)
                item = QListWidgetItem(f"{text}（删除于 {short_time(summary.updated_at)}）")
                item.setData(Qt.ItemDataRole.UserRole, summary.id)
                self.list.addItem(item)
        restore = QPushButton("恢复")
        restore.clicked.connect(self._restore)
        restore.setEnabled(not store.read_only)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(restore, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list if self.list.count() else QLabel("本年度没有已删除的表格。"))
        layout.addWidget(buttons)

    def _restore(self):
        item = self.list.currentItem()
        if item is None:
            return
        form_id = item.data(Qt.ItemDataRole.UserRole)
        try:
            restore_deleted(self.store, form_id)
        except StoreError as exc:
            QMessageBox.warning(self, "已删除的表格", str(exc))
            return
        self.restored.append(form_id)
        self.list.takeItem(self.list.row(item))


class ExportCheckDialog(QDialog):
    """Before a package is written: what the cross-form check found; go on or go back.
    Double-clicking a problem closes the dialog and opens the form at that place."""

    jump = Signal(str, tuple)  # form id, path in the form

    def __init__(self, parent, problems, form_count: int):
        super().__init__(parent)
        self.setWindowTitle("导出数据包前的检查")
        self.resize(640, 420)
        errors = [p for p in problems if p.is_error]
        layout = QVBoxLayout(self)
        if errors:
            head = f"有 {len(errors)} 处错误，不能导出。双击一条，到那里去修改："
        elif problems:
            head = (f"共 {form_count} 张表格。以下 {len(problems)} 处还没有填完或需要确认，仍可导出"
                    "（双击一条，到那里去修改）：")
        else:
            head = f"共 {form_count} 张表格，检查没有发现问题。"
        layout.addWidget(QLabel(head, wordWrap=True))
        self.list = QListWidget()
        self.list.setWordWrap(True)
        style, icons = self.style(), QStyle.StandardPixmap
        for p in problems:
            icon = icons.SP_MessageBoxCritical if p.is_error else icons.SP_MessageBoxWarning
            item = QListWidgetItem(style.standardIcon(icon), ("错误：" if p.is_error else "提醒：") + p.message)
            item.setData(Qt.ItemDataRole.UserRole, (p.form_id, tuple(p.path)))
            if p.form_id:
                item.setToolTip("双击到这里去修改")
            self.list.addItem(item)
        self.list.itemActivated.connect(self._jump)
        layout.addWidget(self.list)
        self.with_pdf = QCheckBox("同时附上每张表格的 PDF")
        layout.addWidget(self.with_pdf)
        self.archive_copy = QCheckBox("另存一份未加密的存档副本（供本单位留存；发给校纪委的数据包总是加密的）")
        layout.addWidget(self.archive_copy)
        buttons = QDialogButtonBox()
        back = buttons.addButton("返回修改", QDialogButtonBox.ButtonRole.RejectRole)
        back.clicked.connect(self.reject)
        self.go = buttons.addButton("导出", QDialogButtonBox.ButtonRole.AcceptRole)
        self.go.clicked.connect(self.accept)
        self.go.setEnabled(not errors)
        (back if errors else self.go).setDefault(True)
        layout.addWidget(buttons)

    def _jump(self, item) -> None:
        form_id, path = item.data(Qt.ItemDataRole.UserRole)
        if form_id:
            self.reject()
            self.jump.emit(form_id, path)


class BackupDialog(QDialog):
    """备份与恢复: the automatic backups, a backup now, and restoring one."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.setWindowTitle("备份与恢复")
        self.resize(560, 400)
        self.list = QListWidget()
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"程序启动时和编辑中每小时自动备份到：{backup_dir(window.db_path)}\n"
                                "保留最近 10 份和每月 1 份。恢复时，当前的数据库会改名保留，不会被覆盖。",
                                wordWrap=True))
        layout.addWidget(self.list)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        now = buttons.addButton("立即备份", QDialogButtonBox.ButtonRole.ActionRole)
        now.clicked.connect(self.backup_now)
        self.restore_button = buttons.addButton("恢复所选备份…", QDialogButtonBox.ButtonRole.ActionRole)
        self.restore_button.clicked.connect(self.restore)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.refresh()

    def refresh(self):
        self.list.clear()
        for backup in self.window.session.backups():
            forms = f"{backup.forms} 张表格" if backup.forms is not None else "已损坏，不能恢复"
            item = QListWidgetItem(f"{backup.taken_at.strftime('%Y-%m-%d %H:%M:%S')}　{forms}")
            item.setData(Qt.ItemDataRole.UserRole, str(backup.path))
            self.list.addItem(item)
        self.list.setCurrentRow(0)

    def backup_now(self):
        try:
            path = self.window.session.backup()
        except StoreError as exc:
            QMessageBox.warning(self, "立即备份", f"备份失败：{exc}")
            return
        self.refresh()
        QMessageBox.information(self, "立即备份", f"已备份到：\n{path}")

    def restore(self):
        item = self.list.currentItem()
        if item is None:
            return
        if not ask.confirm(self, "恢复备份", f"用 {item.text()} 的备份替换现在的数据？\n现在的数据库会改名保留。"):
            return
        try:
            aside = self.window.restore_from(Path(item.data(Qt.ItemDataRole.UserRole)))
        except Exception as exc:
            QMessageBox.critical(self, "恢复备份", f"恢复失败：{exc}")
            return
        QMessageBox.information(self, "恢复备份", f"已恢复。原来的数据库保留为：\n{aside}")
        self.accept()


class HelpDialog(QDialog):
    """帮助 → 使用说明: the user guide (docs/使用说明.md) with its screenshots."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle("使用说明")
        self.resize(900, 700)
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(True)
        folder = docs_dir()
        self.browser.setSearchPaths([str(folder)])
        self.browser.setMarkdown((folder / "使用说明.md").read_text(encoding="utf-8"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)


LIBRARIES = [
    ("Qt 6 / PySide6", "LGPL-3.0"), ("ReportLab、rl_accel", "BSD"), ("sqlite-utils", "Apache-2.0"),
    ("SQLite", "Public Domain"), ("XlsxWriter", "BSD-2-Clause"), ("openpyxl", "MIT"),
    ("platformdirs", "MIT"), ("Pillow", "MIT-CMU (HPND)"), ("Python", "PSF License"),
]


def about_html(version: str, db_path) -> str:
    fonts = [("文鼎 PL 细上海宋（AR PL UMing CN）", "Arphic Public License"),
             ("文泉驿正黑（WenQuanYi Zen Hei）", "GPL-2.0，附字体嵌入例外"),
             ("花园明朝 B（HanaMinB）", "Hanazono Font License / SIL OFL 1.1")]
    rows = "".join(f"<tr><td>{escape(a)}</td><td>{escape(b)}</td></tr>" for a, b in fonts + LIBRARIES)
    return (f"<h3>廉政风险防控登记 {escape(version)}</h3>"
            "<p>依据校党字〔2019〕37号填写、打印和报送廉政风险防控登记表；校纪委汇总。</p>"
            f"<p>数据库：{escape(str(db_path))}</p>"
            "<p>随附的字体和软件库（许可证全文见程序文件夹 resources/fonts/licenses/）：</p>"
            f"<table cellspacing='4'>{rows}</table>")
