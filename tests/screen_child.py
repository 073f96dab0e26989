"""Open every window and dialog of the program on a 1366×728 screen (1366×768 less a
40-pixel taskbar) and print, as JSON, where each one is: test_screen_fit.py checks them.

Run with QT_QPA_PLATFORM=offscreen:configfile=<json with the screen> (a separate process:
the screen of a running QApplication can't be changed).
"""

import datetime as dt
import json
import os
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QByteArray, QRect
from PySide6.QtWidgets import QDialogButtonBox, QMainWindow, QMessageBox, QProgressDialog, QWidget

from lianzheng_desktop.domain.demo import demo_forms
from lianzheng_desktop.domain.model import Form
from lianzheng_desktop.exchange.package import build_package
from lianzheng_desktop.operations import committee
from lianzheng_desktop.operations.sending import check_export
from lianzheng_desktop.store import FormStore
from lianzheng_desktop.store.packages import set_expected_units
from lianzheng_desktop.store.session import Session
from lianzheng_desktop.ui import ask, dialogs
from lianzheng_desktop.ui import settings as keys
from lianzheng_desktop.ui.app import create_app

tmp = Path(tempfile.mkdtemp())
os.environ["LIANZHENG_CONFIG"] = str(tmp / "settings.ini")
app = create_app(sys.argv[:1])
area = app.primaryScreen().availableGeometry()
seen = []


def settle():
    for _ in range(5):
        app.processEvents()


def visible_part(widget: QWidget) -> QRect:
    top_left = widget.mapToGlobal(widget.rect().topLeft())
    return QRect(top_left, widget.size())


def record(name: str, window: QWidget) -> None:
    window.show()
    settle()
    frame = window.frameGeometry()
    parts = [w for w in window.findChildren(QDialogButtonBox) if w.isVisible()]
    if isinstance(window, QMainWindow):
        parts.append(window.statusBar())
    seen.append({"name": name, "frame": [frame.x(), frame.y(), frame.width(), frame.height()],
                 "fits": area.contains(frame),
                 "parts_fit": all(area.contains(visible_part(p)) for p in parts), "parts": len(parts)})
    window.hide()


def main() -> None:
    from lianzheng_desktop.ui.mainwindow import MainWindow
    from lianzheng_desktop.ui.workbench import FormViewer, WorkbenchWindow

    # the unit's window: first run, then a year of 41 forms with one open, after a window
    # state saved on a bigger screen
    empty = FormStore.open(tmp / "empty.db")
    record("主窗口（第一次打开）", MainWindow(Session(empty, tmp / "empty.db", None)))
    big = QMainWindow()
    big.setGeometry(0, 0, 1900, 1000)
    keys.settings().setValue(keys.GEOMETRY, QByteArray(big.saveGeometry()))
    store = FormStore.open(tmp / "unit.db")
    forms = demo_forms("财务处", posts=40)
    store.save_all(forms)
    window = MainWindow(Session(store, tmp / "unit.db", None))
    window.open_form(forms[1].id)
    record("主窗口（41 张表格，打开一张）", window)

    check = check_export(store, 2026)
    record("导出数据包前的检查（41 张空表）", dialogs.ExportCheckDialog(
        window, check_export_with_empty_forms(), len(check.forms)))
    record("历史版本", dialogs.RevisionsDialog(window, store, forms[1].id))
    record("已删除的表格", dialogs.DeletedFormsDialog(window, store, 2026))
    record("备份与恢复", dialogs.BackupDialog(window))
    record("使用说明", dialogs.HelpDialog(window))
    record("新建岗位登记表", dialogs.NewFormDialog(window, "post"))
    record("开始新年度", dialogs.NewYearDialog(window, 2027, 2026))
    record("评估向导", dialogs.LevelWizard(window))
    record("导入数据文件的结果（100 个文件）", ask.ListDialog(
        window, "导入数据文件", "100 个文件：", [f"文件{i}.json：已导入 1 张表格" for i in range(100)]))
    progress = QProgressDialog("正在排版 岗位登记表（王强 — 采购专员）", "取消", 0, 41, window)
    progress.setWindowTitle("准备打印")
    record("进度", progress)
    record("提示", QMessageBox(QMessageBox.Icon.Information, "导出数据包", "已导出 41 张表格到\n" + str(tmp) * 3,
                              parent=window))

    # the committee: the workbench, a form viewer, and the 更新的数据包 question for 41 forms
    desk = FormStore.open(tmp / "committee.db")
    set_expected_units(desk, 2026, ["财务处"])
    old = tmp / "old.lzfk"
    old.write_bytes(build_package(forms, now=dt.datetime(2026, 11, 20, tzinfo=dt.UTC)))
    committee.apply_package(desk, committee.plan_package(desk, old))
    for form in forms:
        form.risks[0].self_level = 1 if form.risks and form.risks[0].self_level != 1 else 2
        form.remarks = "更新"
    new = tmp / "new.lzfk"
    new.write_bytes(build_package(forms, now=dt.datetime(2026, 11, 22, tzinfo=dt.UTC)))
    planned = committee.plan_package(desk, new)
    bench = WorkbenchWindow(Session(desk, tmp / "committee.db", None))
    record("校纪委汇总工作台", bench)
    record(f"更新的数据包（{len(planned.changes)} 处变化）", ask.ListDialog(
        bench, "更新的数据包", planned.head, planned.changes, planned.ASK, question=True))
    record("只读表格", FormViewer(desk, desk.forms(year=2026)[1], bench))
    print(json.dumps(seen, ensure_ascii=False))


def check_export_with_empty_forms():
    empty = [Form(kind="post", year=2026, unit="财务处", person=f"职员{i}") for i in range(41)]
    from lianzheng_desktop.domain.crosscheck import check_forms

    return check_forms(empty)


if __name__ == "__main__":
    main()
    app.quit()
