"""Issue 13, observations 5, 6 and 8: every reader validates what it will later need.

Lone surrogates are refused where they are read (with the position), import refuses what
export refuses, limits are checked before anything large is parsed or inflated, and only
regular files are read (a device or a FIFO would never end).
"""

import copy
import io
import json
import os
import threading
import time
import zipfile

import pytest
from test_package import _members, _repack, _zip

from lianzheng_desktop.cli import main
from lianzheng_desktop.domain.codec import form_from_json, form_to_json
from lianzheng_desktop.domain.diff import diff_forms
from lianzheng_desktop.exchange import package as package_module
from lianzheng_desktop.exchange.clipboard import clean
from lianzheng_desktop.exchange.formfile import FileRejected, read_forms_bytes, read_forms_file
from lianzheng_desktop.exchange.package import PackageRejected, build_package, read_package, read_package_file
from lianzheng_desktop.exchange.receipt import ReceiptRejected, read_receipt_file
from lianzheng_desktop.exchange.unitlist import UnitListRejected, parse_unit_lines, read_unit_list
from lianzheng_desktop.store import FormStore, StoreError
from lianzheng_desktop.store.packages import import_package, reporting_status, set_expected_units


@pytest.fixture
def forms(examples):
    return [form_from_json(o)[0] for o in (examples[1], examples[0])]  # unit form first


@pytest.fixture
def committee(tmp_path):
    store = FormStore.open(tmp_path / "committee.db")
    yield store
    store.close()


# -- 5. lone surrogates ------------------------------------------------------------


def _with_escape(obj: dict, escape: str) -> bytes:
    """The form as JSON text with a raw \\u escape put into the head's name."""
    text = json.dumps(obj, ensure_ascii=False, indent=2)
    return text.replace(json.dumps(obj["head"], ensure_ascii=False), f'"张{escape}三"', 1).encode()


def test_a_lone_surrogate_is_refused_where_it_is_read_with_its_position(examples, tmp_path, capsys):
    unit = examples[1]
    path = tmp_path / "bad.json"
    path.write_bytes(_with_escape(unit, "\\ud800"))
    line = path.read_text(encoding="utf-8").splitlines().index(
        next(x for x in path.read_text(encoding="utf-8").splitlines() if "\\ud800" in x)) + 1
    with pytest.raises(FileRejected, match=f"第 {line} 行第 \\d+ 列.*\\\\ud800"):
        read_forms_file(path)
    assert main(["check", str(path)]) == 1
    assert f"第 {line} 行" in capsys.readouterr().err
    db = tmp_path / "u.db"
    assert main(["import", "--db", str(db), str(path)]) == 1  # no traceback, nothing written
    assert main(["render", str(path), "-o", str(tmp_path / "x.pdf")]) == 1
    assert not (tmp_path / "x.pdf").exists()
    # a low half alone, and a high half followed by something else, are lone too
    for escape in ("\\udc00", "\\ud83d\\u0041", "\\ud83d"):
        with pytest.raises(FileRejected, match="代理"):
            read_forms_bytes(_with_escape(unit, escape))
    # an escaped backslash before "ud800" is text, and a proper pair is a character
    assert read_forms_bytes(_with_escape(unit, "\\\\ud800")).ok
    assert read_forms_bytes(_with_escape(unit, "\\ud842\\udfb7")).forms[0].head == "张𠮷三"


def test_a_lone_surrogate_in_a_package_receipt_or_clipboard_is_refused(forms, tmp_path):
    value = [form_to_json(f) for f in forms]
    text = json.dumps(value, ensure_ascii=False).replace(forms[0].head, "张\\udfff三", 1)
    members = _members(build_package(forms))
    import hashlib
    manifest = json.loads(members["manifest.json"])
    members["forms.json"] = text.encode()
    manifest["digests"]["forms.json"] = hashlib.sha256(members["forms.json"]).hexdigest()
    members["manifest.json"] = json.dumps(manifest).encode()
    with pytest.raises(PackageRejected, match="代理"):
        read_package(_zip(members))
    receipt = tmp_path / "r.lzhz"
    receipt.write_bytes(b'{"format": "lianzheng-receipt", "unit": "\\ud800"}')
    with pytest.raises(ReceiptRejected, match="代理"):
        read_receipt_file(receipt)
    assert clean("风险\ud800点\udc00") == "风险点"


# -- 6. import refuses what export refuses --------------------------------------


def test_an_empty_package_is_refused_and_the_units_data_stays(forms, committee):
    import_package(committee, read_package(build_package(forms)))
    before = committee.content_hash()
    empty = _repack(build_package(forms), forms_value=[], manifest_changes={"counts": {}, "forms": []})
    with pytest.raises(PackageRejected, match="没有表格"):
        read_package(empty)
    assert committee.content_hash() == before
    assert len(committee.forms(year=2026, unit="图书馆")) == 2


def test_two_forms_of_a_singleton_kind_are_refused(forms):
    second = copy.deepcopy(forms[0])
    second.id = "0b7d2f7e-1f1a-4e0e-9a57-5d3c2b1a0f19"
    value = [form_to_json(f) for f in [*forms, second]]
    data = _repack(build_package(forms), forms_value=value, manifest_changes={
        "counts": {"unit": 2, "post": 1}, "forms": None})
    manifest = json.loads(_members(data)["manifest.json"])
    del manifest["forms"]
    members = {**_members(data), "manifest.json": json.dumps(manifest).encode()}
    with pytest.raises(PackageRejected, match="2 张单位廉政风险防控登记表，只能有一张"):
        read_package(_zip(members))


def test_a_unit_cannot_take_another_units_form_id_even_when_deleted(forms, committee):
    import_package(committee, read_package(build_package(forms)))
    # the library's next package drops its post form: the form is marked deleted
    import_package(committee, read_package(build_package(forms[:1])))
    thief = copy.deepcopy(forms)
    for f in thief:
        f.unit = "财务处"
    thief[0].id = "0b7d2f7e-1f1a-4e0e-9a57-5d3c2b1a0f18"  # its own unit form, the library's post form id
    before = committee.content_hash()
    with pytest.raises(StoreError, match="图书馆 2026"):
        import_package(committee, read_package(build_package(thief)))
    assert committee.content_hash() == before
    # and the library can still send the post form again
    assert import_package(committee, read_package(build_package(forms))).status == "supersedes"


def test_the_change_list_shows_edits_to_a_point_whose_text_repeats_another(forms):
    old = copy.deepcopy(forms[1])
    first = old.risks[0]
    twin = copy.deepcopy(first)
    twin.measures = "第二条的措施"
    old.risks.insert(1, twin)
    new = copy.deepcopy(old)
    new.risks[1].measures = "第二条的措施，改过"
    new.risks[1].self_level = 1 if new.risks[1].self_level != 1 else 2
    lines = diff_forms([old], [new]).lines
    assert any("防控措施有修改" in line for line in lines), lines
    assert any("自评等级" in line for line in lines), lines
    removed = copy.deepcopy(old)
    del removed.risks[1]
    assert any("删除风险点" in line for line in diff_forms([old], [removed]).lines)


# -- 8. limits before parsing ------------------------------------------------------


def _lying_zip(entries: int) -> bytes:
    """A ZIP whose end record says 3 entries while its central directory holds ``entries``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for i in range(entries):
            archive.writestr(f"{i}", b"")
    data = bytearray(buffer.getvalue())
    end = data.rfind(b"PK\x05\x06")
    data[end + 8:end + 12] = (3).to_bytes(2, "little") * 2
    return bytes(data)


def test_a_zip_lying_about_its_entry_count_is_refused_before_its_index_is_parsed(monkeypatch):
    lying = _lying_zip(5000)
    opened = []
    real = zipfile.ZipFile

    def spy(*args, **kwargs):
        opened.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(package_module.zipfile, "ZipFile", spy)
    with pytest.raises(PackageRejected, match="目录"):
        read_package(lying)
    assert opened == []


def test_a_huge_cell_is_refused_before_it_reaches_the_database(forms, committee, tmp_path):
    big = copy.deepcopy(forms[0])
    big.unit_duties = "职" * 60_000
    started = time.monotonic()
    with pytest.raises(PackageRejected, match="超过 50000 个字的上限"):
        read_package(build_package([big, forms[1]]))
    assert time.monotonic() - started < 5
    result = read_forms_bytes(json.dumps(form_to_json(big), ensure_ascii=False).encode())
    assert not result.ok and any("上限" in p.message for p in result.problems)


def test_unit_lists_are_deduplicated_in_linear_time_and_stop_at_the_limit(tmp_path):
    started = time.monotonic()
    with pytest.raises(UnitListRejected, match="超过 1000"):
        parse_unit_lines("\n".join(f"单位{i}" for i in range(200_000)))
    assert parse_unit_lines("\n".join(["图书馆", "财务处"] * 200_000)) == ["图书馆", "财务处"]
    assert time.monotonic() - started < 5  # was minutes: each name was looked up in a list


def test_an_xlsx_that_inflates_to_gigabytes_is_refused_before_openpyxl_sees_it(tmp_path, monkeypatch):
    import openpyxl

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", bytes(200 * 1024 * 1024))
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(buffer.getvalue())
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: pytest.fail("openpyxl was given the bomb"))
    with pytest.raises(UnitListRejected, match="压缩炸弹"):
        read_unit_list(path)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:  # each small enough to pass
        archive.writestr("[Content_Types].xml", b"<Types/>")
        for i in range(60):
            archive.writestr(f"xl/worksheets/sheet{i}.xml", bytes(1024 * 1024))
    with pytest.raises(UnitListRejected, match="解压后有 60 MB"):
        read_unit_list(path)


def _damaged_workbooks(tmp_path):
    import xlsxwriter

    good = tmp_path / "good.xlsx"
    book = xlsxwriter.Workbook(str(good))
    sheet = book.add_worksheet()
    for row, name in enumerate(["单位名称", "图书馆", "财务处"]):
        sheet.write(row, 0, name)
    book.close()
    with zipfile.ZipFile(good) as archive:
        members = {i.filename: archive.read(i) for i in archive.infolist()}
    sheet_xml = members["xl/worksheets/sheet1.xml"]
    cases = {
        "sheet cut": {**members, "xl/worksheets/sheet1.xml": sheet_xml[: len(sheet_xml) // 2]},
        "strings garbage": {**members, "xl/sharedStrings.xml": b"<sst><si><t>x</si></sst"},
        "no workbook": {k: v for k, v in members.items() if k != "xl/workbook.xml"},
        "bad cell reference": {**members, "xl/worksheets/sheet1.xml": sheet_xml.replace(b'r="A2"', b'r="?"')},
        "string index out of range": {**members, "xl/worksheets/sheet1.xml":
                                      sheet_xml.replace(b"<v>1</v>", b"<v>99999</v>")},
        "workbook without sheets": {**members, "xl/workbook.xml": b'<workbook xmlns="http://schemas.'
                                    b'openxmlformats.org/spreadsheetml/2006/main"><sheets/></workbook>'},
        "relations garbage": {**members, "xl/_rels/workbook.xml.rels": b"\x00\x01garbage"},
    }
    paths = []
    for name, content in cases.items():
        path = tmp_path / f"{name}.xlsx"
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for member, data in content.items():
                archive.writestr(member, data)
        path.write_bytes(buffer.getvalue())
        paths.append(path)
    return paths


def test_damaged_workbooks_are_refused_with_a_reason(tmp_path):
    for path in _damaged_workbooks(tmp_path):
        try:
            read_unit_list(path)
        except UnitListRejected as exc:
            assert "Excel" in str(exc), (path.name, exc)


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_devices_are_not_read():
    from pathlib import Path

    zero = Path("/dev/zero")
    for reader, error in ((read_forms_file, FileRejected), (read_package_file, PackageRejected),
                          (read_receipt_file, ReceiptRejected), (read_unit_list, UnitListRejected)):
        with pytest.raises(error, match="不是普通文件"):
            reader(zero)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path):
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    outcome = []

    def read():
        for reader in (read_forms_file, read_package_file, read_receipt_file, read_unit_list):
            try:
                reader(fifo)
            except Exception as exc:
                outcome.append(str(exc))

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    thread.join(5)
    if thread.is_alive():  # release the reader stuck in open()
        with open(fifo, "wb"):
            pass
        pytest.fail("a reader waited on the FIFO")
    assert len(outcome) == 4 and all("不是普通文件" in m for m in outcome), outcome


# -- 9 (the unit-list and unit-name parts) --------------------------------------------


def test_utf16_unit_lists_are_read_and_names_are_trimmed(tmp_path, forms, committee):
    path = tmp_path / "名单.txt"
    path.write_bytes("单位名称\r\n图书馆\r\n财务处 \r\n".encode("utf-16"))  # Excel's "Unicode 文本"
    assert read_unit_list(path) == ["图书馆", "财务处"]
    set_expected_units(committee, 2026, ["图书馆"])
    spaced = copy.deepcopy(forms)
    for f in spaced:
        f.unit = "图书馆 "
    package = read_package(build_package(spaced))
    assert package.unit == "图书馆" and {f.unit for f in package.forms} == {"图书馆"}
    import_package(committee, package)
    assert [r.unit for r in reporting_status(committee, 2026)] == ["图书馆"]


def test_utf16_form_files_are_refused_naming_the_encoding(examples):
    data = json.dumps(examples[0], ensure_ascii=False).encode("utf-16")
    with pytest.raises(FileRejected, match="UTF-16"):
        read_forms_bytes(data)
