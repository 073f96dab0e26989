"""The main window's file actions: data files, the data package for the committee, the
committee's receipt. The work is done by ``operations``; this asks and shows."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

from lianzheng_desktop.exchange.package import SUFFIX
from lianzheng_desktop.exchange.receipt import ReceiptRejected
from lianzheng_desktop.operations.files import export_forms_file, import_form_file
from lianzheng_desktop.operations.sending import check_export, confirm_receipt, export_package
from lianzheng_desktop.paths import committee_db_path
from lianzheng_desktop.store import StoreError, open_session
from lianzheng_desktop.store.errors import DatabaseInUse
from lianzheng_desktop.ui import ask, progress
from lianzheng_desktop.ui import settings as keys
from lianzheng_desktop.ui.dialogs import ExportCheckDialog


class SendActions:
    def __init__(self, window):
        self.window = window

    # -- files -----------------------------------------------------------------

    def import_files(self) -> None:
        w = self.window
        names, _ = QFileDialog.getOpenFileNames(w, "导入数据文件", "", "登记表数据 (*.json)")
        if not names:
            return
        w.flush()
        results = [import_form_file(w.store, Path(name), busy_ids=set(w.editors)) for name in names]
        w.load_year(w.year)
        ok = sum(r.ok for r in results)
        ask.inform_list(w, "导入数据文件", f"{len(results)} 个文件：{ok} 个已导入，{len(results) - ok} 个未导入。",
                        [r.message for r in results])

    def export_json(self) -> None:
        w = self.window
        w.flush()
        name, _ = QFileDialog.getSaveFileName(w, "导出数据文件", f"{w.year}_登记表数据.json", "登记表数据 (*.json)")
        if name:
            try:
                count = export_forms_file(w.store, Path(name), year=w.year)
            except OSError as exc:
                QMessageBox.critical(w, "导出数据文件", f"无法写入：{exc.strerror or exc}")
                return
            w.statusBar().showMessage(f"已导出 {count} 张表格到 {name}", 8000)

    # -- sending to the committee ------------------------------------------------

    def export_package(self) -> Path | None:
        """Cross-form check, the user's go-ahead, then the package under its default name.
        A unit's database sends every form of the year; the committee's picks a unit."""
        w = self.window
        w.flush()
        unit = None
        if not w.years.unit_follows:
            units = w.store.units(w.year)
            unit, ok = QInputDialog.getItem(w, "导出数据包", "这是汇总数据库：导出哪个单位的数据包？", units, 0, False)
            if not ok:
                return None
        check = check_export(w.store, w.year, unit)
        if not check.forms:
            QMessageBox.information(w, "导出数据包", f"{w.year} 年度还没有表格。")
            return None
        dialog = ExportCheckDialog(w, check.problems, len(check.forms))
        dialog.jump.connect(w.jump_to)
        if not dialog.exec():
            return None
        s = keys.settings()
        start = Path(s.value(keys.LAST_DIR, str(Path.home()))) / check.default_name()
        name, _ = QFileDialog.getSaveFileName(w, "导出数据包", str(start), f"登记表数据包 (*{SUFFIX})")
        if not name:
            return None
        with_pdf = dialog.with_pdf.isChecked()
        try:
            archive = dialog.archive_copy.isChecked()
            if with_pdf:  # a PDF per form: seconds for a large unit
                exported = progress.run(w, "导出数据包", lambda report: export_package(
                    w.store, check, Path(name), with_pdf=True, archive_copy=archive, progress=report))
                if exported is None:
                    w.statusBar().showMessage("已取消导出，没有写入数据包", 8000)
                    return None
            else:
                exported = export_package(w.store, check, Path(name), archive_copy=archive)
        except (OSError, StoreError, ValueError) as exc:
            QMessageBox.critical(w, "导出数据包", f"无法写入 {name}：{getattr(exc, 'strerror', None) or exc}")
            return None
        s.setValue(keys.LAST_DIR, str(exported.path.parent))
        w.show_export_state()
        archive = f"\n\n未加密的存档副本（仅供本单位留存，不要发送）：\n{exported.archive}" if exported.archive else ""
        created = f"\n\n{exported.key_created.message}" if exported.key_created else ""
        QMessageBox.information(w, "导出数据包", f"已导出第 {exported.sequence} 号数据包（{exported.forms} 张表格）到\n"
                                f"{exported.path}\n\n数据包已签名，并加密给校纪委（密钥指纹 {exported.committee}），"
                                "只有校纪委能打开。请通过电子邮件或 U 盘交给校纪委；收到回执后用“打开校纪委回执”确认。"
                                + archive + created)
        return exported.path

    def import_settings(self) -> str | None:
        """The committee's 报送设置 file: its key (fingerprint shown), deadline and units."""
        from lianzheng_desktop.ui.keys_dialog import import_settings_file

        w = self.window
        name, _ = QFileDialog.getOpenFileName(w, "导入校纪委报送设置", "", "报送设置 (*.lzsz)")
        if not name:
            return None
        message = import_settings_file(w, w.store, Path(name))
        w.show_export_state()
        return message

    def show_keys(self) -> None:
        from lianzheng_desktop.ui.keys_dialog import UnitKeysDialog

        UnitKeysDialog(self.window).exec()

    def open_receipt(self) -> None:
        w = self.window
        name, _ = QFileDialog.getOpenFileName(w, "打开校纪委回执", "", "回执 (*.lzhz)")
        if not name:
            return
        try:
            confirmed = confirm_receipt(w.store, Path(name))
        except (ReceiptRejected, StoreError) as exc:
            QMessageBox.warning(w, "打开校纪委回执", str(exc))
            return
        w.show_export_state()
        QMessageBox.information(w, "打开校纪委回执", confirmed.message + "。")

    def open_review(self, path: Path | None = None) -> str | None:
        """Apply the committee's review file: checked first (signature, unit, versions, an
        old one sent again), a review of an older version applied only when the user says
        so; the open forms are saved before and shown again after (审定 filled in)."""
        from lianzheng_desktop.operations import review as review_ops

        w = self.window
        if path is None:
            name, _ = QFileDialog.getOpenFileName(w, "应用校纪委审核意见", "", "审核意见 (*.lzsh)")
            if not name:
                return None
            path = Path(name)
        w.flush()
        try:
            plan = review_ops.plan_review(w.store, path)
        except (review_ops.ReviewRejected, StoreError) as exc:
            QMessageBox.warning(w, "应用校纪委审核意见", f"没有应用这份审核意见：{exc}")
            return None
        if plan.needs_confirmation:
            if not ask.confirm(w, "审核意见针对旧版本", plan.question()):
                return None
            plan.accept_older = True
        reopen = [fid for fid in list(w.editors) if any(e["id"] == fid for e in plan.file.forms)]
        for form_id in reopen:  # the editor would write its copy back over the 审定
            w.close_tab(w.tabs.indexOf(w.editors[form_id]))
        try:
            done = review_ops.apply_review(w.store, plan)
        except StoreError as exc:
            QMessageBox.warning(w, "应用校纪委审核意见", str(exc))
            return None
        finally:
            w.load_year(plan.file.year)
            for form_id in reopen:
                w.open_form(form_id)
        QMessageBox.information(w, "应用校纪委审核意见", done.message)
        return done.message

    def open_workbench(self) -> None:
        from lianzheng_desktop.ui.workbench import WorkbenchWindow  # the committee's window, on demand

        w = self.window
        try:
            session = open_committee_session(committee_db_path())
        except StoreError as exc:
            QMessageBox.critical(w, "校纪委汇总工作台", str(exc))
            return
        w.workbench = WorkbenchWindow(session)
        w.workbench.show()


def open_committee_session(path: Path):
    try:
        return open_session(path)
    except DatabaseInUse:  # another window has it: look, don't touch
        session = open_session(path, read_only=True)
        session.notice = "只读：汇总数据库正被别人使用"
        return session
