"""Issue 13, observations 1 and 2: who sent a package, in what order, and whether anyone
changed or read it on the way; receipts the unit can believe; keys a clerk can manage.

On the program before issue 13 every one of these failed: a package dated 2099 replaced
a unit's data without a question and locked out every genuine package after it; a package
edited with recomputed digests imported silently; anyone could read a package and forge a
receipt that the unit's program called "与本机导出的完全一致".
"""

import copy
import datetime as dt
import hashlib
import io
import json
import zipfile
from pathlib import Path

import pytest
from trust import committee_key_in, trust

from lianzheng_desktop.cli import main
from lianzheng_desktop.domain.demo import demo_forms
from lianzheng_desktop.domain.verification import verification_code
from lianzheng_desktop.exchange import crypto
from lianzheng_desktop.exchange.package import Lineage, PackageRejected, build_package, make_package, read_package
from lianzheng_desktop.exchange.receipt import ReceiptRejected, dumps_receipt, make_receipt
from lianzheng_desktop.exchange.sealed import seal_package
from lianzheng_desktop.exchange.settingsfile import SettingsRejected
from lianzheng_desktop.operations import committee as desk
from lianzheng_desktop.operations import keys, reporting, sending
from lianzheng_desktop.store import FormStore, StoreError
from lianzheng_desktop.store.keys import deadline
from lianzheng_desktop.store.packages import package_row, reporting_status


class Unit:
    """A unit's installation: its database (forms, its key, the committee's key it trusts)."""

    def __init__(self, folder: Path, name: str, committee, posts: int = 2):
        folder.mkdir(parents=True, exist_ok=True)
        self.folder, self.name = folder, name
        self.store = FormStore.open(folder / "unit.db")
        self.store.save_all(demo_forms(name, posts=posts))
        trust(self.store, committee)

    def edit(self, head: str) -> None:
        form = self.store.forms(kind="unit")[0]
        form.head = head
        self.store.save(form)

    def export(self, **kwargs) -> sending.Exported:
        check = sending.check_export(self.store, 2026)
        assert check.allowed, [p.message for p in check.problems if p.is_error]
        out = self.folder / f"out{len(list(self.folder.glob('out*')))}"
        out.mkdir()
        return sending.export_package(self.store, check, out, **kwargs)


@pytest.fixture
def key(tmp_path):
    return committee_key_in(tmp_path / "committee.db")


@pytest.fixture
def committee(tmp_path, key):
    store = FormStore.open(tmp_path / "committee.db")
    yield store
    store.close()


@pytest.fixture
def library(tmp_path, key):
    unit = Unit(tmp_path / "library", "图书馆", key)
    yield unit
    unit.store.close()


def imported(store, path, *, accept_new_key=False):
    planned = desk.plan_package(store, path, accept_new_key=accept_new_key)
    return planned, desk.apply_package(store, planned)


def resign(unit_key, committee_key, forms, *, sequence, supersedes, now=None, pdfs=None) -> bytes:
    """A package made the way export_package makes it, with what a test needs changed."""
    package = make_package(forms, signer=unit_key, lineage=Lineage(sequence, supersedes, committee_key.fingerprint),
                           now=now, pdfs=pdfs)
    return seal_package(package.data, committee_key.public, committee_key.fingerprint, crypto.SUITE)


def own_key(unit: Unit):
    return keys.unit_key(unit.store)[0]


# -- 1. who sent it, and in what order -----------------------------------------------------


def test_a_package_forged_under_a_units_name_is_refused_unless_the_clerk_accepts_the_key(
        tmp_path, key, committee, library, capsys):
    first = library.export()
    assert imported(committee, first.path)[1].ok
    before = committee.content_hash()
    # someone else: their own installation, the committee's public settings, the library's name
    forger = Unit(tmp_path / "forger", "图书馆", key)
    forger.edit("冒充者")
    forged = forger.export()
    planned, done = imported(committee, forged.path)
    assert planned.needs_key_decision and not done.ok
    assert "签名密钥与以前的不同" in done.message and committee.content_hash() == before
    assert own_key(library).fingerprint in planned.key_question() and own_key(forger).fingerprint in planned.key_question()
    assert main(["import", "--db", str(tmp_path / "committee.db"), str(forged.path)]) == 1
    err = capsys.readouterr().err
    assert "打电话" in err and "--accept-new-key" in err and committee.content_hash() == before
    forger.store.close()


def test_a_wrong_clock_decides_nothing(tmp_path, key, committee, library):
    """A package dated 2099 (a PC with a wrong clock) is flagged and takes its place by its
    sequence number; the unit's next package, honestly dated, still comes after it."""
    first = library.export()
    imported(committee, first.path)
    library.edit("时钟错乱时改的")
    sequence, supersedes = 2, first_digest(library)
    future = resign(own_key(library), key, library.store.forms(), sequence=sequence, supersedes=supersedes,
                    now=dt.datetime(2099, 1, 1, tzinfo=dt.UTC))
    path = tmp_path / "future.lzfk"
    path.write_bytes(future)
    planned, done = imported(committee, path)
    assert planned.needs_confirmation and done.ok
    assert any("时钟可能不准" in note and "顺序按序号判断" in note for note in planned.plan.notes)
    library.edit("时钟改好以后")
    record_sent(library, future, sequence, supersedes)
    later = library.export()
    planned, done = imported(committee, later.path)
    assert done.ok and done.status == "supersedes", done.message
    assert committee.forms(year=2026, unit="图书馆", kind="unit")[0].head == "时钟改好以后"


def first_digest(unit: Unit) -> str:
    return sending.exports(unit.store, 2026)[0]["content_digest"]


def record_sent(unit: Unit, sealed: bytes, sequence: int, supersedes: str | None) -> None:
    """The unit's database remembers a package sent from it (as export_package does)."""
    from lianzheng_desktop.store.packages import record_export

    package = read_package(sealed, [committee_key_in(unit.folder.parent / "committee.db")])
    record_export(unit.store, package, "sent")


def test_the_same_package_zipped_or_sealed_again_is_the_same(tmp_path, key, committee, library):
    exported = library.export(archive_copy=True)
    imported(committee, exported.path)
    before = committee.content_hash()
    with zipfile.ZipFile(exported.archive) as archive:
        members = {i.filename: archive.read(i) for i in archive.infolist()}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:  # another compression, another order
        for name in reversed(list(members)):
            archive.writestr(name, members[name])
    for data in (buffer.getvalue(), seal_package(buffer.getvalue(), key.public, key.fingerprint, crypto.SUITE)):
        path = tmp_path / "again.lzfk"
        path.write_bytes(data)
        planned, done = imported(committee, path)
        assert done.ok and done.status == "same" and "已经导入过" in done.message
    assert committee.content_hash() == before


def test_an_old_package_sent_again_or_one_not_newer_is_refused(tmp_path, key, committee, library):
    first = library.export()
    imported(committee, first.path)
    library.edit("第二版")
    second = library.export()
    assert imported(committee, second.path)[1].ok
    before = committee.content_hash()
    planned, done = imported(committee, first.path)  # replayed
    assert not done.ok and "以前已经导入过" in done.message
    # a package the committee never saw, numbered no higher than the current one (a backup
    # restored at the unit, or a package overtaken in the post)
    stale = resign(own_key(library), key, demo_forms("图书馆", posts=2), sequence=2, supersedes=None)
    path = tmp_path / "stale.lzfk"
    path.write_bytes(stale)
    planned, done = imported(committee, path)
    assert not done.ok and "不比已导入的第 2 号新" in done.message
    assert committee.content_hash() == before


def test_the_command_line_asks_before_superseding(tmp_path, key, committee, library, capsys):
    db = str(tmp_path / "committee.db")
    committee.close()
    assert main(["import", "--db", db, str(library.export().path)]) == 0
    library.edit("第二版")
    second = library.export()
    capsys.readouterr()
    assert main(["import", "--db", db, str(second.path)]) == 1
    err = capsys.readouterr().err
    assert "变化如下" in err and "--yes" in err and "未导入" in err
    assert main(["import", "--db", db, "--yes", str(second.path)]) == 0
    assert "取代第 1 号数据包" in capsys.readouterr().err


def test_a_gap_in_the_lineage_is_said(tmp_path, key, committee, library):
    imported(committee, library.export().path)
    library.edit("第二版（没有送到）")
    library.export()
    library.edit("第三版")
    planned, done = imported(committee, library.export().path)
    assert done.ok and any("没有收到的数据包" in note for note in planned.plan.notes)


def test_unsigned_old_packages_still_import_marked_unverified(tmp_path, committee, capsys):
    path = tmp_path / "old.lzfk"
    path.write_bytes(build_package(demo_forms("财务处", posts=1)))
    assert main(["import", "--db", str(tmp_path / "committee.db"), str(path)]) == 0
    assert "未签名，未验证" in capsys.readouterr().err
    row = next(r for r in reporting_status(committee, 2026) if r.unit == "财务处")
    assert row.verified is False and package_row(committee, read_package(path.read_bytes()).digest)["verified"] == 0


def test_an_unsigned_package_cannot_replace_a_signed_unit(tmp_path, committee, library):
    imported(committee, library.export().path)
    before = committee.content_hash()
    path = tmp_path / "old.lzfk"
    forms = demo_forms("图书馆", posts=2)
    forms[0].head = "冒充者"
    path.write_bytes(build_package(forms))
    planned, done = imported(committee, path)
    assert not done.ok and "已经使用签名的数据包报送" in done.message
    assert committee.content_hash() == before


def test_a_supersede_is_undone_and_the_withdrawn_package_stays_out(tmp_path, key, committee, library, capsys):
    first = library.export()
    imported(committee, first.path)
    library.edit("第二版")
    library.store.delete(library.store.forms(kind="post")[0].id)
    second = library.export()
    imported(committee, second.path)
    assert committee.forms(kind="unit", unit="图书馆")[0].head == "第二版"
    undo = desk.plan_undo(committee, "图书馆", 2026)
    assert "第 2 号" in desk.undo_question(undo) and "第 1 号" in desk.undo_question(undo)
    done = desk.undo_last_supersede(committee, "图书馆", 2026)
    assert "重新成为当前数据" in done.message
    assert [f.head for f in committee.forms(kind="unit", unit="图书馆")] != ["第二版"]
    assert len(committee.forms(unit="图书馆")) == 3  # the deleted post form is back
    planned, again = imported(committee, second.path)
    assert not again.ok and "撤销" in again.message
    with pytest.raises(StoreError, match="第一个"):
        desk.plan_undo(committee, "图书馆", 2026)
    # the unit sends a third version: it supersedes the restored first (with a word about the gap)
    library.edit("第三版")
    planned, third = imported(committee, library.export().path)
    assert third.ok and third.status == "supersedes"
    committee.close()
    assert main(["undo-supersede", "--db", str(tmp_path / "committee.db"), "--unit", "图书馆", "--year", "2026",
                 "--yes"]) == 0
    assert "已撤销" in capsys.readouterr().err


def test_undoing_an_accepted_key_change_unpins_the_new_key(tmp_path, key, committee, library):
    imported(committee, library.export().path)
    forger = Unit(tmp_path / "forger", "图书馆", key)
    planned, done = imported(committee, forger.export().path, accept_new_key=True)
    assert done.ok  # the clerk accepted (wrongly)
    desk.undo_last_supersede(committee, "图书馆", 2026)
    library.edit("真的第二版")
    planned, done = imported(committee, library.export().path)
    assert done.ok and not planned.needs_key_decision  # the genuine key is the pinned one again
    forger.store.close()


# -- 2. tampering, reading, receipts -------------------------------------------------------


def _tampered(archive: Path) -> bytes:
    """The archive copy edited with every digest and code recomputed, zipped again."""
    with zipfile.ZipFile(archive) as z:
        members = {i.filename: z.read(i) for i in z.infolist()}
    forms = json.loads(members["forms.json"])
    forms[0]["head"] = "篡改过的负责人"
    members["forms.json"] = json.dumps(forms, ensure_ascii=False).encode()
    manifest = json.loads(members["manifest.json"])
    manifest["digests"]["forms.json"] = hashlib.sha256(members["forms.json"]).hexdigest()
    from lianzheng_desktop.domain.codec import form_from_json

    manifest["forms"] = [{"id": o["id"], "kind": o["kind"], "code": verification_code(form_from_json(o)[0])}
                         for o in forms]
    members["manifest.json"] = json.dumps(manifest, ensure_ascii=False).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buffer.getvalue()


def test_tampering_with_recomputed_digests_is_caught_by_the_signature(tmp_path, key, committee, library):
    exported = library.export(archive_copy=True)
    before = committee.content_hash()
    tampered = _tampered(exported.archive)
    for data in (tampered, seal_package(tampered, key.public, key.fingerprint, crypto.SUITE)):
        with pytest.raises(PackageRejected, match="签名无效"):
            read_package(data, [key])
    flipped = bytearray(exported.path.read_bytes())
    flipped[len(flipped) // 2] ^= 0x01
    with pytest.raises(PackageRejected, match="无法解密"):
        read_package(bytes(flipped), [key])
    with zipfile.ZipFile(exported.archive) as z:  # a signed manifest must list the codes
        members = {i.filename: z.read(i) for i in z.infolist()}
    manifest = json.loads(members["manifest.json"])
    del manifest["forms"]
    signer = own_key(library)
    members["manifest.json"] = json.dumps(manifest).encode()
    members["signature.json"] = json.dumps({"suite": crypto.SUITE, "signature": crypto.b64(
        crypto.sign(signer.private, members["manifest.json"]))}).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    with pytest.raises(PackageRejected, match="缺少字段：forms"):
        read_package(buffer.getvalue(), [key])
    assert committee.content_hash() == before


def test_only_the_committee_can_read_a_package(tmp_path, key, library):
    exported = library.export()
    data = exported.path.read_bytes()
    head = library.store.forms(kind="unit")[0].head
    assert head.encode() not in data and "图书馆".encode() not in data
    stranger = FormStore.open(tmp_path / "stranger.db")
    keys.create_committee_key(stranger)
    for store in (FormStore.open(tmp_path / "library" / "unit.db"), stranger):
        planned = desk.plan_package(store, exported.path)
        assert planned.plan is None and ("只有保存着校纪委密钥" in planned.refusal or "另一把密钥" in planned.refusal)
        store.close()


def test_receipts_are_signed_and_checked(tmp_path, key, committee, library):
    exported = library.export()
    imported(committee, exported.path)
    row = package_row(committee, read_package(exported.path.read_bytes(), [key]).content_digest)
    genuine = tmp_path / "genuine.lzhz"
    genuine.write_bytes(dumps_receipt(make_receipt(row, key)))
    cases = {
        "another key": dumps_receipt(make_receipt(row, crypto.KeyPair("committee", *_pair()))),
        "edited": dumps_receipt(make_receipt(row, key) | {"form_count": 99}),
        "unsigned (old format)": dumps_receipt(make_receipt(row)),
    }
    for name, data in cases.items():
        path = tmp_path / "forged.lzhz"
        path.write_bytes(data)
        with pytest.raises((ReceiptRejected, StoreError)) as caught:
            sending.confirm_receipt(library.store, path)
        assert any(w in str(caught.value) for w in ("另一把密钥", "签名无效", "没有校纪委的签名")), (name, caught.value)
    assert "尚未收到回执" in sending.export_state(library.store, 2026)
    confirmed = sending.confirm_receipt(library.store, genuine)
    assert "完全一致" in confirmed.message and "签名已核对" in confirmed.message


def _pair():
    other = crypto.new_committee_key()
    return other.private, other.public


def test_a_receipt_written_by_the_committee_is_signed(tmp_path, key, committee, library):
    exported = library.export()
    imported(committee, exported.path)
    path = desk.write_receipt(committee, "图书馆", 2026, tmp_path)
    receipt = json.loads(path.read_text(encoding="utf-8"))
    assert receipt["version"] == 2 and receipt["committee"] == key.fingerprint and receipt["sequence"] == 1


# -- keys a clerk manages ---------------------------------------------------------------


def test_the_committee_key_is_saved_under_a_passphrase_and_restored(tmp_path, key, library):
    store = FormStore.open(tmp_path / "committee.db")
    path = keys.save_committee_key(store, tmp_path / "key.lzkey", "一句足够长的口令")
    store.close()
    assert key.private not in path.read_bytes() and crypto.b64(key.private) not in path.read_text()
    exported = library.export()
    fresh = FormStore.open(tmp_path / "new-pc.db")  # the committee's PC was lost
    assert desk.plan_package(fresh, exported.path).plan is None
    from lianzheng_desktop.exchange.keyfile import KeyFileRejected

    with pytest.raises(KeyFileRejected, match="口令不对"):
        keys.restore_committee_key(fresh, path, "猜的口令猜的口令")
    restored = keys.restore_committee_key(fresh, path, "一句足够长的口令")
    assert restored.fingerprint == key.fingerprint
    assert desk.apply_package(fresh, desk.plan_package(fresh, exported.path)).ok
    with pytest.raises(keys.KeyRefused, match="已经有校纪委密钥"):
        keys.create_committee_key(fresh)
    with pytest.raises(Exception, match="太短"):
        keys.save_committee_key(fresh, tmp_path / "k2.lzkey", "short")
    fresh.close()


def test_creating_the_committee_key_says_what_losing_it_means(tmp_path):
    store = FormStore.open(tmp_path / "c.db")
    message = keys.create_committee_key(store).message
    assert "丢失" in message and "无法打开" in message and "备份" in message
    store.close()


def test_keys_travel_with_the_database_and_its_backups(tmp_path, key, library):
    from lianzheng_desktop.store.backup import make_backup, restore_backup

    library.export()
    fingerprint = own_key(library).fingerprint
    backup = make_backup(library.store.db.conn, tmp_path / "library" / "unit.db")
    moved = tmp_path / "moved.db"
    restore_backup(moved, backup)
    store = FormStore.open(moved)
    assert keys.key_state(store).unit == fingerprint and keys.key_state(store).trusted == key.fingerprint
    store.close()


def test_settings_are_exported_imported_with_the_fingerprint_and_checked(tmp_path, key, committee):
    from lianzheng_desktop.store.packages import set_expected_units

    set_expected_units(committee, 2026, ["图书馆", "财务处"])
    written = reporting.export_settings(committee, 2026, tmp_path / "s.lzsz", day="2026-12-15")
    assert key.fingerprint in written.message and deadline(committee, 2026) == "2026-12-15"
    unit = FormStore.open(tmp_path / "u.db")
    plan = reporting.plan_settings(unit, written.path)
    done = reporting.import_settings(unit, plan)
    assert key.fingerprint in done.message and "核对" in done.message
    assert deadline(unit, 2026) == "2026-12-15" and deadline(unit, 2027) is None
    value = json.loads(written.path.read_text(encoding="utf-8"))
    value["deadline"] = "2027-06-30"
    forged = tmp_path / "forged.lzsz"
    forged.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(SettingsRejected, match="签名无效"):
        reporting.plan_settings(unit, forged)
    other = FormStore.open(tmp_path / "other-committee.db")
    keys.create_committee_key(other)
    impostor = reporting.export_settings(other, 2026, tmp_path / "impostor.lzsz")
    plan = reporting.plan_settings(unit, impostor.path)
    assert plan.key_changed
    with pytest.raises(keys.KeyRefused, match="核对新指纹"):
        reporting.import_settings(unit, plan)
    assert keys.key_state(unit).trusted == key.fingerprint
    assert main(["settings", "import", "--db", str(tmp_path / "u.db"), str(impostor.path)]) == 1
    unit.close()
    other.close()


def test_pdfs_attached_to_a_package_are_kept_for_the_committee(tmp_path, key, committee, library):
    exported = library.export(with_pdf=True)
    imported(committee, exported.path)
    form = committee.forms(kind="post", unit="图书馆")[0]
    pdfs = desk.attached_pdfs(committee, form.id)
    assert len(pdfs) == 1 and pdfs[0][1].startswith(b"%PDF")


def test_a_far_future_unsigned_package_does_not_lock_out_the_unit(tmp_path, committee, capsys):
    """On the old program a package dated 2099 made every later one 'older'."""
    db = str(tmp_path / "committee.db")
    committee.close()
    forms = demo_forms("财务处", posts=1)
    future = copy.deepcopy(forms)
    future[0].head = "2099 年的"
    paths = []
    for name, content, when in (("a", forms, dt.datetime(2026, 11, 20, tzinfo=dt.UTC)),
                                ("b", future, dt.datetime(2099, 1, 1, tzinfo=dt.UTC)),
                                ("c", forms, dt.datetime(2026, 11, 25, tzinfo=dt.UTC))):
        path = tmp_path / f"{name}.lzfk"
        path.write_bytes(build_package(content, now=when))
        paths.append(path)
    assert main(["import", "--db", db, str(paths[0])]) == 0
    assert main(["import", "--db", db, str(paths[1])]) == 1  # asked, not done
    assert main(["import", "--db", db, "--yes", str(paths[1])]) == 0
    assert "时钟可能不准" in capsys.readouterr().err
    assert main(["import", "--db", db, "--yes", str(paths[2])]) == 0


def test_manifests_of_both_versions_agree_with_the_published_schema(key, library):
    import jsonschema

    from lianzheng_desktop.paths import forms_dir

    schema = json.loads((forms_dir() / "schema" / "package-manifest.schema.json").read_text(encoding="utf-8"))
    signed = read_package(library.export().path.read_bytes(), [key]).manifest
    unsigned = read_package(build_package(demo_forms("财务处", posts=1))).manifest
    for manifest in (signed, unsigned):
        jsonschema.validate(manifest, schema, format_checker=jsonschema.FormatChecker())
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({k: v for k, v in signed.items() if k != "sequence"}, schema)


def test_packages_imported_before_the_keys_migration_are_still_known(tmp_path):
    """Migration 7 gives the packages a database already holds their content digest: the
    same package sent again is still 'already imported', not new."""
    import sqlite_utils

    from lianzheng_desktop.store.migrations import MIGRATIONS
    from lianzheng_desktop.store.packages import SAME, import_package

    path = tmp_path / "v5.db"
    db = sqlite_utils.Database(path)
    for migration in MIGRATIONS[:5]:
        migration(db)
    db.execute("PRAGMA user_version = 5")
    package = read_package(build_package(demo_forms("图书馆", posts=1)))
    db.table("packages").insert({
        "digest": package.digest, "unit": "图书馆", "year": 2026, "exported_at": package.exported_at,
        "imported_at": "2026-11-20T09:00:00+08:00", "app_version": "0.1.0", "form_count": 2,
        "manifest": json.dumps(package.manifest, ensure_ascii=False), "superseded_at": None})
    db.conn.commit()
    db.close()
    store = FormStore.open(path)
    assert import_package(store, package).status == SAME
    assert reporting_status(store, 2026)[0].verified is False
    store.close()


def test_a_signed_receipt_confirms_an_export_made_before_the_keys_migration(tmp_path, key, committee):
    """A unit upgraded after sending an unsigned package: the committee's new receipt
    (signed) still finds the export, by the file's digest."""
    from lianzheng_desktop.store.packages import import_package, record_export

    unit = FormStore.open(tmp_path / "unit.db")
    trust(unit, key)
    data = build_package(demo_forms("图书馆", posts=1))
    path = tmp_path / "old.lzfk"
    path.write_bytes(data)
    package = read_package(data)
    record_export(unit, package, str(path))
    with unit.writing():
        unit.db.execute("UPDATE exports SET content_digest = NULL")  # as migration 7 leaves old exports
    import_package(committee, read_package(data))
    receipt = tmp_path / "r.lzhz"
    receipt.write_bytes(dumps_receipt(make_receipt(package_row(committee, package.digest), key)))
    assert "完全一致" in sending.confirm_receipt(unit, receipt).message
    unit.close()


def test_mutated_signed_and_sealed_packages_are_refused_cleanly_or_unchanged(key, library):
    """Random byte changes: a sealed package never opens; a signed ZIP is refused with a
    reason, or (a byte outside what is signed, such as a ZIP header's date) reads as the very
    same content."""
    import os
    import random

    exported = library.export(archive_copy=True)
    rng = random.Random(13)
    count = int(os.environ.get("LZ_FUZZ_PACKAGES", 300))
    for source, sealed in ((exported.path.read_bytes(), True), (exported.archive.read_bytes(), False)):
        digest = read_package(source, [key]).content_digest
        for _ in range(count):
            data = bytearray(source)
            for _ in range(rng.randint(1, 4)):
                data[rng.randrange(len(data))] = rng.randrange(256)
            if bytes(data) == source:
                continue
            try:
                package = read_package(bytes(data), [key])
            except PackageRejected as exc:
                assert str(exc)
                continue
            assert not sealed and package.content_digest == digest
