"""Issue 13's acceptance, end to end through the command line: a committee and two unit
installations, every file passed as a real file.

Unit A exports (signed, sealed); the committee imports. A package forged for unit A by
someone else, a replayed old package, a package with a far-future clock, a tampered
package with recomputed digests and a forged receipt are each refused or flagged with a
Chinese reason; A's genuine next package supersedes after confirmation; the supersede is
undone.
"""

import datetime as dt
import hashlib
import io
import json
import zipfile
from types import SimpleNamespace

import pytest

from lianzheng_desktop.cli import main
from lianzheng_desktop.domain.codec import form_from_json
from lianzheng_desktop.domain.verification import verification_code
from lianzheng_desktop.exchange import crypto
from lianzheng_desktop.exchange import package as package_module
from lianzheng_desktop.exchange.receipt import dumps_receipt, make_receipt
from lianzheng_desktop.exchange.sealed import seal_package
from lianzheng_desktop.exchange.settingsfile import read_settings_file
from lianzheng_desktop.operations import committee as desk
from lianzheng_desktop.store import FormStore
from lianzheng_desktop.store.packages import current_package


@pytest.fixture
def run(capsys):
    def run(*args: str) -> tuple[int, str]:
        code = main(list(args))
        return code, capsys.readouterr().err
    return run


def edit_head(db, text):
    store = FormStore.open(db)
    form = store.forms(kind="unit")[0]
    form.head = text
    store.save(form)
    store.close()


class FakeClock(dt.datetime):
    """A PC whose clock says 2099."""

    @classmethod
    def now(cls, tz=None):
        return dt.datetime(2099, 1, 1, 8, tzinfo=dt.UTC).astimezone(tz) if tz else dt.datetime(2099, 1, 1, 8)


def test_unit_and_committee_end_to_end(tmp_path, run, monkeypatch):
    monkeypatch.setenv("LIANZHENG_PASSPHRASE", "纪委办公室保险柜里的口令")
    c = str(tmp_path / "committee.db")
    a, f = tmp_path / "a", tmp_path / "forger"
    for folder in (a, f):
        folder.mkdir()
    a_db, f_db = str(a / "unit.db"), str(f / "unit.db")
    post = tmp_path / "post"  # what travels by e-mail or USB stick
    post.mkdir()

    # the committee: its key (saved under a passphrase), the year's settings for the units
    code, said = run("keys", "create-committee", "--db", c)
    assert code == 0 and "丢失" in said
    assert run("keys", "backup", "--db", c, "-o", str(tmp_path / "committee.lzkey"))[0] == 0
    names = tmp_path / "names.txt"
    names.write_text("图书馆\n财务处\n", encoding="utf-8")
    from lianzheng_desktop.operations.committee import load_unit_list

    store = FormStore.open(c)
    load_unit_list(store, 2026, names)
    store.close()
    code, said = run("settings", "export", "--db", c, "--year", "2026", "--deadline", "2026-12-15", "-o", str(post))
    settings = post / "2026_校纪委报送设置.lzsz"
    fingerprint = read_settings_file(settings).fingerprint
    assert code == 0 and fingerprint in said

    # unit A imports the settings (and reads the fingerprint out), fills in, exports #1
    code, said = run("settings", "import", "--db", a_db, str(settings))
    assert code == 0 and fingerprint in said and "核对" in said
    assert run("demo", "--db", a_db, "--posts", "3")[0] == 0
    code, said = run("export", "--db", a_db, "--year", "2026", "-o", str(a))
    assert code == 0 and "第 1 号" in said and "加密给校纪委密钥" in said
    first = a / "2026_图书馆_廉政风险防控.lzfk"
    assert "图书馆".encode() not in first.read_bytes()  # sealed: unreadable on the way
    (post / "a1.lzfk").write_bytes(first.read_bytes())
    code, said = run("import", "--db", c, str(post / "a1.lzfk"))
    assert code == 0 and "签名已核对" in said and "第一次收到" in said

    # 1. forged for A by someone else: their own installation, the public settings, A's name
    assert run("settings", "import", "--db", f_db, str(settings))[0] == 0
    assert run("demo", "--db", f_db, "--posts", "3")[0] == 0
    edit_head(f_db, "冒充者")
    assert run("export", "--db", f_db, "--year", "2026", "-o", str(f))[0] == 0
    (post / "forged.lzfk").write_bytes((f / "2026_图书馆_廉政风险防控.lzfk").read_bytes())
    before = FormStore.open(c, read_only=True).content_hash()
    code, said = run("import", "--db", c, str(post / "forged.lzfk"))
    assert code == 1 and "签名密钥与以前的不同" in said and "冒充" in said and "未导入" in said
    assert FormStore.open(c, read_only=True).content_hash() == before

    # 2. A's PC clock jumps to 2099: #2 is flagged and ordered by its number, not its date
    edit_head(a_db, "时钟出错时修改")
    with monkeypatch.context() as wrong:  # the package module reads the clock of A's PC
        wrong.setattr(package_module, "dt", SimpleNamespace(datetime=FakeClock))
        code, said = run("export", "--db", a_db, "--year", "2026", "-o", str(a), "--archive-copy")
    assert code == 0 and "第 2 号" in said
    (post / "a2.lzfk").write_bytes(first.read_bytes())
    code, said = run("import", "--db", c, str(post / "a2.lzfk"))
    assert code == 1 and "时钟可能不准" in said and "--yes" in said  # asked, with the clock flagged
    code, said = run("import", "--db", c, "--yes", str(post / "a2.lzfk"))
    assert code == 0 and "取代第 1 号数据包" in said and "时钟可能不准" in said

    # 3. the old #1 sent again
    code, said = run("import", "--db", c, "--yes", str(post / "a1.lzfk"))
    assert code == 1 and "以前已经导入过" in said

    # 4. #2 edited on the way, every digest and code recomputed, sealed again to the committee
    archive = a / "2026_图书馆_廉政风险防控_存档副本（未加密）.lzfk"
    with zipfile.ZipFile(archive) as z:
        members = {i.filename: z.read(i) for i in z.infolist()}
    forms = json.loads(members["forms.json"])
    forms[0]["head"] = "途中篡改"
    members["forms.json"] = json.dumps(forms, ensure_ascii=False).encode()
    manifest = json.loads(members["manifest.json"])
    manifest["digests"]["forms.json"] = hashlib.sha256(members["forms.json"]).hexdigest()
    manifest["forms"] = [{"id": o["id"], "kind": o["kind"], "code": verification_code(form_from_json(o)[0])}
                         for o in forms]
    members["manifest.json"] = json.dumps(manifest, ensure_ascii=False).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    s = read_settings_file(settings)
    (post / "tampered.lzfk").write_bytes(seal_package(buffer.getvalue(), s.committee_key, s.fingerprint, s.suite))
    code, said = run("import", "--db", c, "--yes", str(post / "tampered.lzfk"))
    assert code == 1 and "签名无效" in said

    # 5. receipts: a forged one (signed by some other key, and an unsigned old-format one)
    # refused by A; the committee's genuine one confirmed
    store = FormStore.open(c)
    row = current_package(store, "图书馆", 2026)
    store.close()
    other = crypto.new_committee_key()
    for name, receipt in (("forged-signed.lzhz", make_receipt(row, other)), ("forged-old.lzhz", make_receipt(row))):
        (post / name).write_bytes(dumps_receipt(receipt))
        code, said = run("confirm", "--db", a_db, str(post / name))
        assert code == 1 and "完全一致" not in said and ("另一把密钥" in said or "没有校纪委的签名" in said), said
    assert run("receipt", "--db", c, "--unit", "图书馆", "--year", "2026", "-o", str(post))[0] == 0
    code, said = run("confirm", "--db", a_db, str(post / "2026_图书馆_廉政风险防控_回执.lzhz"))
    assert code == 0 and "第 2 号" in said and "完全一致" in said and "签名已核对" in said

    # 6. A's genuine next package supersedes after confirmation
    edit_head(a_db, "正式修改后的负责人")
    code, said = run("export", "--db", a_db, "--year", "2026", "-o", str(a))
    assert code == 0 and "第 3 号" in said
    (post / "a3.lzfk").write_bytes(first.read_bytes())
    code, said = run("import", "--db", c, str(post / "a3.lzfk"))
    assert code == 1 and "变化如下" in said and "正式修改后的负责人" not in current_heads(c)
    code, said = run("import", "--db", c, "--yes", str(post / "a3.lzfk"))
    assert code == 0 and "取代第 2 号数据包" in said
    assert current_heads(c) == ["正式修改后的负责人"]

    # 7. the supersede is undone: #2 is current again, #3 stays out if sent again
    code, said = run("undo-supersede", "--db", c, "--unit", "图书馆", "--year", "2026", "--yes")
    assert code == 0 and "第 2 号数据包" in said and "重新成为当前数据" in said
    assert current_heads(c) == ["时钟出错时修改"]
    code, said = run("import", "--db", c, "--yes", str(post / "a3.lzfk"))
    assert code == 1 and "撤销" in said

    # the committee's view: A reported, verified, its current number
    store = FormStore.open(c, read_only=True)
    rows = {r.unit: r for r in desk.report(store, 2026)[0]}
    store.close()
    assert rows["图书馆"].verified and rows["图书馆"].sequence == 2 and rows["财务处"].status == "missing"


def current_heads(db) -> list[str]:
    store = FormStore.open(db, read_only=True)
    try:
        return [f.head for f in store.forms(kind="unit", unit="图书馆")]
    finally:
        store.close()
