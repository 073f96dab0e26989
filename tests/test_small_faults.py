"""Issue 13, observation 9: the smaller faults an adversarial trial found.

(Trimmed unit names and UTF-16 unit lists are in test_hostile_input.py; PDFs attached to a
package in test_sealed_packages.py.)
"""

from pathlib import Path

import pytest

from lianzheng_desktop.cli import main
from lianzheng_desktop.domain.demo import demo_forms
from lianzheng_desktop.domain.model import Form
from lianzheng_desktop.exchange.package import build_package
from lianzheng_desktop.exchange.summary import EXCEL_CELL_MAX, write_summary
from lianzheng_desktop.store import FormStore, open_session


@pytest.fixture
def unit_db(tmp_path):
    path = tmp_path / "unit.db"
    store = FormStore.open(path)
    store.save_all(demo_forms("图书馆", posts=2))
    store.close()
    return path


def test_the_read_only_workbench_says_so_and_offers_no_import(qtbot, tmp_path, monkeypatch):
    from lianzheng_desktop.ui import workbench

    db = tmp_path / "committee.db"
    FormStore.open(db).close()
    session = open_session(db, read_only=True)
    session.notice = "只读：汇总数据库正被别人使用"
    window = workbench.WorkbenchWindow(session)
    qtbot.addWidget(window)
    window.show()
    assert window.read_only_banner.isVisible() and "只读" in window.read_only_banner.text()
    assert "正被别人使用" in window.read_only_banner.text()
    disabled = {a.text() for a in window.write_actions if not a.isEnabled()}
    assert {"导入数据包…", "导入单位名单…", "编辑单位名单…"} <= disabled
    package = tmp_path / "p.lzfk"
    package.write_bytes(build_package(demo_forms("财务处", posts=1)))
    shown = []
    monkeypatch.setattr(workbench.QMessageBox, "information", lambda *a: shown.append(a[2]))
    monkeypatch.setattr(workbench.QMessageBox, "warning", lambda *a: shown.append(a[2]))
    assert window.import_paths([package]) == [] and "只读" in shown[0]
    session.close()


@pytest.mark.parametrize("command", [
    ["export", "--year", "{year}", "-o", "{out}/x.json"], ["export", "--year", "{year}", "-o", "{out}"],
    ["summary", "--year", "{year}", "-o", "{out}/s.xlsx"], ["receipt", "--unit", "图书馆", "--year", "{year}", "-o",
                                                           "{out}"],
    ["demo", "--year", "{year}"]])
@pytest.mark.parametrize("year", ["99999999999999999999", "1", "-5"])
def test_a_year_out_of_range_is_a_clean_message_in_every_subcommand(command, year, unit_db, tmp_path, capsys):
    args = [a.format(year=year, out=tmp_path) for a in command]
    with pytest.raises(SystemExit) as caught:
        main([args[0], "--db", str(unit_db), *args[1:]])
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert "年度" in err and "2000" in err and "2100" in err and "Traceback" not in err, err


def test_demo_refuses_what_would_be_an_invalid_form(tmp_path, capsys):
    db = tmp_path / "demo.db"
    assert main(["demo", "--db", str(db), "--unit", "  "]) == 1
    assert "单位" in capsys.readouterr().err
    assert main(["demo", "--db", str(db), "--posts", "-3"]) == 1
    assert main(["demo", "--db", str(db), "--posts", "100000"]) == 1
    assert not db.exists() or FormStore.open(db).forms() == []
    assert main(["demo", "--db", str(db), "--unit", " 商学院 "]) == 0
    assert {f.unit for f in FormStore.open(db).forms()} == {"商学院"}


@pytest.mark.parametrize("command", [
    ["export", "--year", "2026", "-o", "{missing}/"], ["export", "--year", "2026", "-o", "{missing}/x.lzfk"],
    ["export", "-o", "{missing}/"], ["summary", "-o", "{missing}/"], ["render", "{example}", "-o", "{missing}/"],
    ["blank", "unit", "-o", "{missing}/"], ["receipt", "--unit", "图书馆", "--year", "2026", "-o", "{missing}/"]])
def test_an_output_folder_that_does_not_exist_is_named_not_made_a_file(command, unit_db, tmp_path, capsys,
                                                                          example_paths):
    missing = tmp_path / "missingdir"
    args = [a.format(missing=missing, example=example_paths[0]) for a in command]
    if args[0] not in ("render", "blank"):
        args[1:1] = ["--db", str(unit_db)]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "文件夹" in err and "不存在" in err, err
    assert not missing.exists() and not (tmp_path / "missingdir").is_file()


def test_the_excel_summary_notes_text_cut_at_excels_cell_limit(tmp_path):
    from openpyxl import load_workbook

    form = demo_forms("图书馆", posts=0)[0]
    form.unit_duties = "职" * 40_000
    form.risks[0].measures = "措" * 33_000
    out = tmp_path / "s.xlsx"
    cut = write_summary([form], out, 2026)
    assert cut == 2
    book = load_workbook(out, read_only=True)
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for c in row
             if isinstance(c, str) and len(c) > 30_000]
    assert len(cells) == 2 and all(len(c) <= EXCEL_CELL_MAX and c.endswith("（超过 Excel 单元格 32767 字的上限，以下从略；全文见数据库）")
                                   for c in cells)
    assert any("截断" in str(c) for row in book["说明"].iter_rows(values_only=True) for c in row)


def test_the_cli_says_when_the_summary_cut_text(tmp_path, capsys):
    db = tmp_path / "c.db"
    store = FormStore.open(db)
    form = Form(kind="unit", year=2026, unit="图书馆", head="张三", unit_duties="职" * 40_000)
    store.save(form)
    store.close()
    assert main(["summary", "--db", str(db), "-o", str(tmp_path / "s.xlsx")]) == 0
    assert "1 个单元格超过 Excel" in capsys.readouterr().err


def test_receipt_and_summary_to_an_existing_folder(unit_db, tmp_path):
    assert main(["summary", "--db", str(unit_db), "-o", str(tmp_path)]) == 2  # a folder is no .xlsx file
    assert Path(tmp_path).is_dir()
