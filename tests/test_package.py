"""Data packages: export, import whole or not at all, hostile packages, receipts, codes."""

import copy
import hashlib
import io
import json
import os
import random
import struct
import time
import zipfile
import zlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pdfcheck import page_texts, squash
from strategies import as_current, form_json

from lianzheng_desktop.cli import main
from lianzheng_desktop.domain.codec import form_from_json, form_to_json
from lianzheng_desktop.domain.crosscheck import check_forms
from lianzheng_desktop.domain.verification import normalise_code, verification_code
from lianzheng_desktop.exchange.package import PackageRejected, build_package, default_name, read_package
from lianzheng_desktop.exchange.receipt import ReceiptRejected, make_receipt, read_receipt
from lianzheng_desktop.store import FormStore, StoreError
from lianzheng_desktop.store.packages import (
    MISSING,
    NEW,
    REPORTED,
    SAME,
    SUPERSEDES,
    UPDATED,
    apply_receipt,
    import_package,
    package_row,
    plan_import,
    record_export,
    reporting_status,
    set_expected_units,
)


@pytest.fixture
def forms(examples):
    return [form_from_json(o)[0] for o in (examples[1], examples[0])]  # unit form first


@pytest.fixture
def committee(tmp_path):
    store = FormStore.open(tmp_path / "committee.db")
    yield store
    store.close()


def test_round_trip_through_a_package(forms, committee, tmp_path):
    package = read_package(build_package(forms, with_pdf=True))
    assert import_package(committee, package).status == NEW
    assert [form_to_json(f) for f in committee.forms(year=2026, unit="图书馆")] == [form_to_json(f) for f in forms]
    assert len(package.pdfs) == 2 and all(pdf.startswith(b"%PDF") for pdf in package.pdfs.values())


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(form_json(), min_size=1, max_size=4))
def test_generated_forms_survive_the_package_round_trip(tmp_path_factory, objs):
    for obj in objs:
        obj["unit"], obj["year"] = objs[0]["unit"], objs[0]["year"]
    ids = set()
    objs = [o for o in objs if not (o["id"] in ids or ids.add(o["id"]))]
    units = [o for o in objs if o["kind"] == "unit"]
    objs = [o for o in objs if o["kind"] != "unit" or o is units[0]]  # one unit form per package
    for o in objs:
        o["unit"] = o["unit"].strip()
    forms = [form_from_json(o)[0] for o in objs]
    store = FormStore.open(tmp_path_factory.mktemp("pkg") / "c.db")
    try:
        import_package(store, read_package(build_package(forms)))
        exported = store.forms(year=forms[0].year, unit=forms[0].unit)
        by_id = {f.id: form_to_json(f) for f in exported}
        assert by_id == {o["id"]: as_current(o) for o in objs}
        units = [as_current(o) for o in objs if o["kind"] == "unit"]
        assert [form_to_json(f) for f in exported][: len(units)] == units  # unit forms first, then posts
    finally:
        store.close()


def test_reimport_is_a_no_op_and_a_newer_package_supersedes_with_a_diff(forms, committee):
    import datetime as dt

    first = read_package(build_package(forms, now=dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC)))
    import_package(committee, first)
    before = committee.content_hash()
    assert import_package(committee, first).status == SAME
    assert committee.content_hash() == before
    changed = copy.deepcopy(forms)
    changed[1].risks[0].self_level = 1
    changed[1].risks.pop()
    later = read_package(build_package(changed[1:], now=dt.datetime(2026, 11, 21, 9, tzinfo=dt.UTC)))
    plan = import_package(committee, later)
    assert plan.status == SUPERSEDES
    assert any("删除 单位登记表" in line for line in plan.diff.lines)
    assert any("自评等级由二级改为一级" in line for line in plan.diff.lines)
    assert any("删除风险点（工作流程风险）" in line for line in plan.diff.lines)
    assert [f.kind for f in committee.forms(year=2026, unit="图书馆")] == ["post"]
    assert len(committee.revisions(forms[1].id)) == 2  # the earlier package is kept as a revision
    assert reporting_status(committee, 2026)[0].status == UPDATED
    before = committee.content_hash()
    # an unsigned package with an earlier clock is no longer refused by the clock: the
    # clerk is asked (the note says the clock is earlier) and decides
    older = plan_import(committee, read_package(build_package(forms, now=dt.datetime(2026, 11, 19, 9, tzinfo=dt.UTC))))
    assert older.status == SUPERSEDES and any("早于当前数据包" in note for note in older.notes)
    with pytest.raises(StoreError, match="以前已经导入过"):
        import_package(committee, first)  # the first package sent again does not become current again
    assert committee.content_hash() == before


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _members(package: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        return {i.filename: archive.read(i) for i in archive.infolist()}


def _repack(package: bytes, *, forms_value=None, manifest_changes=None, redigest=True) -> bytes:
    members = _members(package)
    manifest = json.loads(members["manifest.json"])
    if forms_value is not None:
        members["forms.json"] = json.dumps(forms_value, ensure_ascii=False).encode()
    if redigest:
        manifest["digests"]["forms.json"] = hashlib.sha256(members["forms.json"]).hexdigest()
    manifest.update(manifest_changes or {})
    members["manifest.json"] = json.dumps(manifest, ensure_ascii=False).encode()
    return _zip(members)


def _bomb(size: int = 2 * 1024 ** 3) -> bytes:
    """A real ZIP whose forms.json inflates to ``size`` bytes of zeros (built without
    compressing gigabytes: after a full flush, deflate repeats itself for repeated input)."""
    chunk = bytes(1 << 24)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    data = block * (size // len(chunk)) + compressor.flush()
    crc = 0
    for _ in range(size // len(chunk)):
        crc = zlib.crc32(chunk, crc)
    name = b"forms.json"
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(data), size, len(name), 0)
    central = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, crc, len(data), size,
                          len(name), 0, 0, 0, 0, 0, 0)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(central) + len(name), len(local) + len(name) + len(data), 0)
    return local + name + data + central + name + end


def hostile_cases(forms):
    good = build_package(forms)
    value = [form_to_json(f) for f in forms]
    other_unit = copy.deepcopy(value)
    other_unit[1]["unit"] = "财务处"
    duplicate = copy.deepcopy(value)
    duplicate[1]["id"] = duplicate[0]["id"]
    edited = copy.deepcopy(value)
    edited[0]["head"] = "改过的名字"
    members = _members(good)
    return {
        "not a zip": (b"This is not a package at all\n" * 10, "不是 ZIP"),
        "evil member name": (_zip({**members, "../evil": b"x"}), "不安全的文件名“../evil”"),
        "absolute name": (_zip({**members, "/etc/passwd": b"x"}), "不安全的文件名"),
        "zip bomb": (_bomb(), "解压后有 2048 MB，超过上限"),
        "missing manifest": (_zip({"forms.json": members["forms.json"]}), "缺少 manifest.json"),
        "digest mismatch": (_repack(good, forms_value=edited, redigest=False), "与清单记录的摘要不符"),
        "newer manifest": (_repack(good, manifest_changes={"version": 3}), "数据包的版本是 3，本程序只支持到 2"),
        "other unit": (_repack(good, forms_value=other_unit), "但其中有 财务处 2026 年度的表格"),
        "duplicate ids": (_repack(good, forms_value=duplicate), "同一个表格编号"),
        "codes edited": (_repack(good, forms_value=edited), "校验码与表格内容不符"),
        "stray member": (_zip({**members, "run.exe": b"MZ"}), "不属于登记表数据包的文件“run.exe”"),
        "truncated": (good[: len(good) // 2], "损坏"),
    }


@pytest.mark.parametrize("case", ["not a zip", "evil member name", "absolute name", "zip bomb", "missing manifest",
                                  "digest mismatch", "newer manifest", "other unit", "duplicate ids",
                                  "codes edited", "stray member", "truncated"])
def test_hostile_package_is_refused_with_its_reason_and_nothing_written(case, forms, committee, tmp_path, capsys):
    import_package(committee, read_package(build_package(forms[1:])))  # something already there
    data, reason = hostile_cases(forms)[case]
    before = committee.content_hash()
    started = time.monotonic()
    with pytest.raises(PackageRejected, match=reason.replace("(", r"\(").replace(")", r"\)")):
        read_package(data)
    assert time.monotonic() - started < 5  # refused before inflating anything large
    path = tmp_path / "x.lzfk"
    path.write_bytes(data)
    assert main(["import", "--db", str(tmp_path / "committee.db"), str(path)]) == 1
    assert reason.split("“")[0] in capsys.readouterr().err
    assert committee.content_hash() == before


FUZZ = int(os.environ.get("LZ_FUZZ_PACKAGES", 300))


def test_fuzzed_packages_never_crash_or_half_import(forms, committee):
    """Random byte mutations of a valid package: refused cleanly or imported whole."""
    good = build_package(forms)
    rng = random.Random(20261126)
    outcomes = {"refused": 0, "imported": 0}
    for _ in range(FUZZ):
        data = bytearray(good)
        for _ in range(rng.randint(1, 8)):
            position = rng.randrange(len(data))
            data[position] = rng.randrange(256)
        before = committee.content_hash()
        try:
            package = read_package(bytes(data))
            # bytes outside the checked content (e.g. a header's timestamp) may change and
            # still read: a second copy of the same export is then refused as not newer
            import_package(committee, package)
        except (PackageRejected, StoreError):
            outcomes["refused"] += 1
            assert committee.content_hash() == before
            continue
        outcomes["imported"] += 1
        assert len(committee.forms(year=package.year, unit=package.unit)) == len(package.forms)
    assert outcomes["refused"] > FUZZ // 2


def test_receipt_marks_the_export_received_and_wrong_receipts_are_refused(forms, committee, tmp_path):
    unit_db = FormStore.open(tmp_path / "unit.db")
    try:
        data = build_package(forms)
        record_export(unit_db, read_package(data), "2026_图书馆_廉政风险防控.lzfk")
        import_package(committee, read_package(data))
        receipt = make_receipt(package_row(committee, read_package(data).digest))
        receipt = read_receipt(json.dumps(receipt, ensure_ascii=False).encode())
        assert receipt["codes"] == [verification_code(f) for f in forms]
        row = apply_receipt(unit_db, receipt)
        assert row["received_at"] == receipt["imported_at"]
        with pytest.raises(StoreError, match="不是从本数据库导出"):
            apply_receipt(unit_db, dict(receipt, package_digest="0" * 64))
        with pytest.raises(ReceiptRejected):
            read_receipt(b'{"format": "lianzheng-receipt", "version": 1}')
    finally:
        unit_db.close()


def test_reporting_status_of_expected_units(forms, committee):
    set_expected_units(committee, 2026, ["图书馆", "财务处", " ", "图书馆"])
    import_package(committee, read_package(build_package(forms)))
    rows = {r.unit: r for r in reporting_status(committee, 2026)}
    assert rows["图书馆"].status == REPORTED and rows["图书馆"].forms == 2
    assert rows["财务处"].status == MISSING and list(rows) == ["图书馆", "财务处"]


def test_verification_code_on_paper_matches_the_package_and_changes_with_the_form(forms, committee, tmp_path):
    from lianzheng_desktop.render import render_form

    code = verification_code(forms[0])
    assert f"校验码{code}" in squash(page_texts(render_form(forms[0]))[0])
    package = read_package(build_package(forms))
    assert {"id": forms[0].id, "kind": "unit", "code": code} in package.manifest["forms"]
    import_package(committee, package)
    assert committee.find_by_code(code)[0].id == forms[0].id
    changed = copy.deepcopy(forms[0])
    changed.risks[0].measures += "。"
    assert verification_code(changed) != code
    assert normalise_code(code.lower().replace("-", " ")) == code
    assert normalise_code("12345") is None
    assert main(["verify", "--db", str(tmp_path / "committee.db"), code.replace("-", "")]) == 0
    assert main(["verify", "--db", str(tmp_path / "committee.db"), verification_code(changed)]) == 1


def test_cross_form_check_before_export(forms):
    posts = []
    for i in range(3):
        post = copy.deepcopy(forms[1])
        post.id = f"0b7d2f7e-1f1a-4e0e-9a57-5d3c2b1a0f1{i}"
        post.person = f"职员{i}"
        posts.append(post)
    problems = [p.message for p in check_forms([forms[0], *posts])]
    assert any("在 3 张岗位登记表中相同或几乎相同" in m for m in problems)
    empty = copy.deepcopy(forms[1])
    empty.risks = []
    assert any("没有风险点" in p.message and p.is_error for p in check_forms([forms[0], empty]))
    other = copy.deepcopy(forms[1])
    other.unit = "财务处"
    assert any(p.is_error for p in check_forms([forms[0], other]))


def test_cli_export_package_with_default_name_and_pdfs(tmp_path, example_paths):
    from trust import committee_key_in, unit_trusting

    db = str(tmp_path / "u.db")
    assert main(["import", "--db", db, *map(str, example_paths)]) == 0
    key = committee_key_in(tmp_path / "c.db")
    unit_trusting(tmp_path / "u.db", key)
    assert main(["export", "--db", db, "--year", "2026", "-o", str(tmp_path), "--with-pdf"]) == 0
    path = tmp_path / default_name("图书馆", 2026)
    assert path.name == "2026_图书馆_廉政风险防控.lzfk"
    package = read_package(path.read_bytes(), [key])
    assert len(package.pdfs) == 2 and [t.name for t in tmp_path.iterdir() if t.suffix == ".tmp"] == []


def test_excel_summary(tmp_path, forms):
    from openpyxl import load_workbook

    from lianzheng_desktop.exchange.summary import write_summary

    out = tmp_path / "s.xlsx"
    write_summary(forms, out, 2026)
    book = load_workbook(out)
    assert book.sheetnames == ["风险点", "单位廉政风险防控登记表", "岗位廉政风险防控登记表", "统计", "统计（审定）",
                               "审定与自评差异"]  # no year before in memory: no 年度对照
    points = book["风险点"]
    assert points.freeze_panes == "A2" and points.auto_filter.ref == "A1:K8"
    assert [c.value for c in points[1]][:7] == ["单位", "表格", "责任人姓名", "岗位职务", "风险类别", "序号", "具体风险点"]
    assert points.max_row == 1 + 7 and points["K2"].value == verification_code(forms[0])
    assert abs(points.column_dimensions["G"].width - 50) < 1
    with zipfile.ZipFile(out) as archive:
        assert any(name.startswith("xl/charts/chart") for name in archive.namelist())
    stats = book["统计"]
    assert stats["A2"].value == "图书馆" and stats.cell(2, stats.max_column).value == 7


def test_review_findings_on_hostile_packages(forms, tmp_path):
    """bzip2/LZMA members (their inflation can't be capped), non-string manifest values, and
    integers of thousands of digits are refused with a reason, never another exception."""
    members = _members(build_package(forms))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_BZIP2) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    with pytest.raises(PackageRejected, match="压缩方式"):
        read_package(buffer.getvalue())
    manifest = json.loads(members["manifest.json"])
    manifest["forms"][0]["id"] = ["x"]
    with pytest.raises(PackageRejected, match="校验码清单"):
        read_package(_zip({**members, "manifest.json": json.dumps(manifest).encode()}))
    from lianzheng_desktop.exchange.formfile import FileRejected, read_forms_bytes

    with pytest.raises(FileRejected, match="超长数字"):
        read_forms_bytes(b'{"year": ' + b"9" * 5000 + b"}")


def test_backups_of_a_database_whose_name_has_brackets(tmp_path):
    import datetime as dt

    from lianzheng_desktop.store.backup import list_backups, make_backup

    db = tmp_path / "廉政登记[2026].db"
    store = FormStore.open(db)
    for day in range(1, 13):
        make_backup(store.db.conn, db, now=dt.datetime(2026, 11, day, 9))
    store.close()
    assert len(list_backups(db)) == 10  # found, and pruned to the newest ten
