"""The main window's file actions: data files, data packages for the committee, receipts.

Mixed into MainWindow (ui/mainwindow.py), whose store, year and widgets they use.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox

from lianzheng_desktop.store import FormStore, StoreError
from lianzheng_desktop.ui import settings as keys


class SendActions:
    # -- files -----------------------------------------------------------------

    def import_files(self) -> None:
        from lianzheng_desktop.exchange.formfile import FileRejected, read_forms_file

        names, _ = QFileDialog.getOpenFileNames(self, "导入数据文件", "", "登记表数据 (*.json)")
        messages = []
        for name in names:
            try:
                result = read_forms_file(Path(name))
            except FileRejected as exc:
                messages.append(f"{Path(name).name}：未导入：{exc}")
                continue
            if not result.ok:
                errors = "；".join(p.message for p in result.problems if p.is_error)
                messages.append(f"{Path(name).name}：未导入：{errors}")
                continue
            open_ids = [f.id for f in result.forms if f.id in self.editors]
            if open_ids:
                messages.append(f"{Path(name).name}：未导入：其中的表格正在编辑，请先关闭它")
                continue
            saved = self.store.save_all(result.forms, note=f"导入 {Path(name).name}")
            messages.append(f"{Path(name).name}：已导入 {len(saved)} 张表格")
        if messages:
            QMessageBox.information(self, "导入数据文件", "\n".join(messages))
        self.load_year(self.year)

    def export_json(self) -> None:
        from lianzheng_desktop.exchange.formfile import write_forms_file

        self.flush()
        forms = self.store.forms(year=self.year)
        name, _ = QFileDialog.getSaveFileName(self, "导出数据文件", f"{self.year}_登记表数据.json",
                                              "登记表数据 (*.json)")
        if name:
            try:
                write_forms_file(Path(name), forms)
            except OSError as exc:
                QMessageBox.critical(self, "导出数据文件", f"无法写入：{exc}")
                return
            self.statusBar().showMessage(f"已导出 {len(forms)} 张表格到 {name}", 8000)

    # -- sending to the committee ------------------------------------------------

    def export_package(self) -> Path | None:
        """Cross-form check, the user's go-ahead, then the package under its default name."""
        from lianzheng_desktop.domain.crosscheck import check_forms
        from lianzheng_desktop.exchange.formfile import write_bytes_atomic
        from lianzheng_desktop.exchange.package import build_package, default_name, read_package
        from lianzheng_desktop.store.packages import record_export
        from lianzheng_desktop.ui.dialogs import ExportCheckDialog

        self.flush()
        units = self.store.units(self.year)
        unit = self.unit_name() if len(units) != 1 else units[0]
        forms = self.store.forms(year=self.year, unit=unit) if unit else []
        if not forms:
            QMessageBox.information(self, "导出数据包", f"{self.year} 年度还没有表格。")
            return None
        dialog = ExportCheckDialog(self, check_forms(forms), len(forms))
        if not dialog.exec():
            return None
        s = keys.settings()
        start = Path(s.value(keys.LAST_DIR, str(Path.home()))) / default_name(unit, self.year)
        name, _ = QFileDialog.getSaveFileName(self, "导出数据包", str(start), "登记表数据包 (*.lzfk)")
        if not name:
            return None
        path = Path(name) if name.lower().endswith(".lzfk") else Path(name + ".lzfk")
        data = build_package(forms, with_pdf=dialog.with_pdf.isChecked())
        try:
            write_bytes_atomic(path, data)
        except OSError as exc:
            QMessageBox.critical(self, "导出数据包", f"无法写入 {path}：{exc.strerror or exc}")
            return None
        record_export(self.store, read_package(data), str(path))
        s.setValue(keys.LAST_DIR, str(path.parent))
        self._show_export_state()
        QMessageBox.information(self, "导出数据包", f"已导出 {len(forms)} 张表格到\n{path}\n\n"
                                "请把这个文件通过电子邮件或 U 盘交给校纪委；收到回执后用“打开校纪委回执”确认。")
        return path

    def open_receipt(self) -> None:
        from lianzheng_desktop.exchange.receipt import ReceiptRejected, read_receipt_file
        from lianzheng_desktop.store.packages import apply_receipt

        name, _ = QFileDialog.getOpenFileName(self, "打开校纪委回执", "", "回执 (*.lzhz)")
        if not name:
            return
        try:
            row = apply_receipt(self.store, read_receipt_file(Path(name)))
        except (ReceiptRejected, StoreError) as exc:
            QMessageBox.warning(self, "打开校纪委回执", str(exc))
            return
        self._show_export_state()
        QMessageBox.information(self, "打开校纪委回执",
                                f"校纪委已于 {row['received_at'].replace('T', ' ')[:16]} 收到本单位 {row['year']} 年度的"
                                f"数据包（{row['form_count']} 张表格），与本机导出的完全一致。")

    def _show_export_state(self) -> None:
        from lianzheng_desktop.store.packages import exports

        rows = exports(self.store, self.year)
        if not rows:
            text = "本年度尚未导出数据包"
        else:
            latest = rows[0]
            text = f"数据包已导出 {latest['exported_at'].replace('T', ' ')[:16]}"
            text += (f"，校纪委已接收 {latest['received_at'].replace('T', ' ')[:16]}" if latest["received_at"]
                     else "，尚未收到回执")
        self.navigator.export_state.setText(text)

    def open_workbench(self) -> None:
        from lianzheng_desktop.paths import committee_db_path
        from lianzheng_desktop.ui.workbench import WorkbenchWindow

        try:
            store = FormStore.open(committee_db_path())
        except StoreError as exc:
            QMessageBox.critical(self, "校纪委汇总工作台", str(exc))
            return
        self.workbench = WorkbenchWindow(store, committee_db_path())
        self.workbench.show()
