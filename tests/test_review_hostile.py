"""Hostile review files: each refused in Chinese before anything is written, the unit's
database unchanged — what the package reader refuses (not a ZIP, truncated, unsafe or
extra members, a bomb, changed content, a broken or foreign signature, a newer version),
and a review for another unit, for a version the unit never had, and a replayed old
review."""

import hashlib
import io
import json
import re
import zipfile

import pytest
from review_loop import UNIT, YEAR, make_loop

from lianzheng_desktop.exchange import review as review_file
from lianzheng_desktop.exchange.crypto import b64, new_committee_key, sign
from lianzheng_desktop.operations import review as ops

REVIEWER = "王审核"
CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def loop(tmp_path_factory):
    """A unit that has applied nothing yet, and the committee's first review file."""
    loop = make_loop(tmp_path_factory.mktemp("hostile"), posts=1)
    c = loop.committee()
    view = ops.review_view(c, UNIT, YEAR)
    unit_form = view.forms[0]
    ops.set_review(c, UNIT, YEAR, unit_form.id, unit_form.risks[0].id, "approved_level", 1, REVIEWER)
    loop.first = ops.export_review(c, UNIT, YEAR, loop.post, REVIEWER).path
    c.close()
    return loop


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist()}


def rezip(parts: dict[str, bytes], compress=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compress) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return buffer.getvalue()


def duplicated(parts: dict[str, bytes]) -> bytes:
    import warnings

    buffer = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buffer, "w") as z:
        warnings.simplefilter("ignore", UserWarning)  # zipfile warns of the duplicate we mean to write
        for name, data in [*parts.items(), ("review.json", parts["review.json"])]:
            z.writestr(name, data)
    return buffer.getvalue()


def encrypted(data: bytes) -> bytes:
    """The same ZIP with every member flagged as encrypted (local and central headers)."""
    out = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (start := out.find(signature, start)) >= 0:
            out[start + offset] |= 0x1
            start += 4
    return bytes(out)


def resign(parts: dict[str, bytes], key) -> dict[str, bytes]:
    """Digests recomputed and the manifest signed with ``key``."""
    manifest = json.loads(parts["manifest.json"])
    manifest["digests"]["review.json"] = hashlib.sha256(parts["review.json"]).hexdigest()
    manifest["committee"] = key.fingerprint
    raw = json.dumps(manifest, ensure_ascii=False).encode()
    return parts | {"manifest.json": raw,
                    "signature.json": json.dumps({"suite": key.suite, "signature": b64(sign(key.private, raw))}).encode()}


def edited(data: bytes, change, key=None) -> bytes:
    parts = members(data)
    manifest, review = json.loads(parts["manifest.json"]), json.loads(parts["review.json"])
    change(manifest, review)
    parts["review.json"] = json.dumps(review, ensure_ascii=False).encode()
    parts["manifest.json"] = json.dumps(manifest, ensure_ascii=False).encode()
    return rezip(resign(parts, key) if key else parts)


def variants(genuine: bytes, key) -> dict[str, tuple[bytes, str]]:
    parts = members(genuine)
    stranger = new_committee_key()

    def review_change(manifest, review):
        review["forms"][0]["points"][0]["approved_level"] = 3

    def other_unit(manifest, review):
        manifest["unit"] = "图书馆"

    def never_had(manifest, review):
        manifest["forms"][0]["code"] = review["forms"][0]["code"] = "0000-0000"

    def bad_level(manifest, review):
        review["forms"][0]["points"][0]["approved_level"] = 9

    return {
        "not a zip": (b"hello, this is not a review" * 10, "不是 ZIP 格式"),
        "truncated": (genuine[: len(genuine) // 2], "审核意见文件"),
        "empty": (b"", "不是 ZIP 格式"),
        "a package instead": (b"LZFK-SEALED\n" + b"\0" * 100, "不是 ZIP 格式"),
        "extra member": (rezip(parts | {"evil.exe": b"MZ"}), "文件太多"),
        "unsafe name": (rezip({**{k: v for k, v in parts.items() if k != "review.json"},
                               "../review.json": parts["review.json"]}), "内容不对"),
        "missing signature": (rezip({k: v for k, v in parts.items() if k != "signature.json"}), "内容不对"),
        "bomb": (rezip(parts | {"review.json": b" " * (21 * 1024 * 1024)}), "过大或压缩比异常"),
        "bzip2": (rezip(parts, zipfile.ZIP_BZIP2), "压缩方式"),
        "duplicate member": (duplicated(parts), "文件太多"),
        "encrypted flag": (encrypted(genuine), "加密"),
        "too large": (b"PK" + b"\0" * (review_file.MAX_BYTES + 10), "文件太大"),
        "review changed": (rezip(parts | {"review.json": parts["review.json"].replace(b'"approved_level": 1',
                                                                                   b'"approved_level": 3')}),
                           "摘要不符"),
        "manifest changed": (edited(genuine, lambda m, r: m.update(number=9)), "签名无效"),
        "signed by a stranger": (edited(genuine, review_change, stranger), "另一把密钥"),
        "newer version": (edited(genuine, lambda m, r: m.update(version=9), key), "只支持到 1"),
        "bad level, signed": (edited(genuine, bad_level, key), "格式不对"),
        "another unit": (edited(genuine, other_unit, key), "是给“图书馆”的"),
        "a version never had": (edited(genuine, never_had, key), "本机从未有过这个版本"),
        "another package": (edited(genuine, lambda m, r: m.update(package="ab" * 32), key), "不是本机导出的"),
    }


def test_hostile_review_files_are_refused_in_chinese_and_change_nothing(loop, tmp_path):
    genuine = loop.first.read_bytes()
    cases = variants(genuine, loop.key)
    u = loop.unit()
    try:
        before = u.content_hash()
        for name, (data, expected) in cases.items():
            path = tmp_path / f"{name}.lzsh"
            path.write_bytes(data)
            with pytest.raises(review_file.ReviewRejected) as caught:
                ops.apply_review(u, ops.plan_review(u, path))
            message = str(caught.value)
            assert expected in message, (name, message)
            assert CHINESE.search(message), name
            assert u.content_hash() == before, name
        # the genuine file still applies after all that
        assert ops.apply_review(u, ops.plan_review(u, loop.first)).levels == 1
    finally:
        u.close()


def test_a_replayed_old_review_is_refused(loop):
    """Round 1 applied; the committee closes it and sends round 2; round 1's file sent
    again is refused, round 2's applied again is a no-op."""
    u = loop.unit()
    ops.apply_review(u, ops.plan_review(u, loop.first))  # applied (or already, from the test before)
    u.close()
    loop.send("package-2.lzfk")  # the 审定 applied goes back with the next package
    c = loop.committee()
    ops.close_review(c, UNIT, YEAR, REVIEWER)
    form = ops.review_view(c, UNIT, YEAR).forms[0]
    ops.set_review(c, UNIT, YEAR, form.id, "", "opinion", "第二轮：同意", REVIEWER)
    second = ops.export_review(c, UNIT, YEAR, loop.post, REVIEWER).path
    c.close()
    u = loop.unit()
    try:
        assert ops.apply_review(u, ops.plan_review(u, second)).number == 2
        before = u.content_hash()
        with pytest.raises(review_file.ReviewRejected, match="这是第 1 轮的旧审核意见，本机已经应用了第 2 轮的"):
            ops.plan_review(u, loop.first)
        assert ops.plan_review(u, second).status == ops.SAME
        assert u.content_hash() == before
    finally:
        u.close()


def test_a_review_of_an_older_version_is_shown_as_such_and_applied_only_when_confirmed(tmp_path):
    loop = make_loop(tmp_path, posts=1)
    c = loop.committee()
    form = ops.review_view(c, UNIT, YEAR).forms[0]
    ops.set_review(c, UNIT, YEAR, form.id, form.risks[0].id, "approved_level", 2, REVIEWER)
    path = ops.export_review(c, UNIT, YEAR, loop.post, REVIEWER).path
    c.close()
    u = loop.unit()
    try:
        mine = u.get(form.id)
        mine.head = "审核期间又改了表头"
        u.save(mine)
        before = u.content_hash()
        plan = ops.plan_review(u, path)
        assert plan.needs_confirmation and plan.older == ["单位登记表"]
        assert "审核的是下列表格的旧版本" in plan.question()
        with pytest.raises(Exception, match="针对的是旧版本，没有确认"):
            ops.apply_review(u, plan)
        assert u.content_hash() == before
        plan.accept_older = True
        ops.apply_review(u, plan)
        assert u.get(form.id).risk_by_id(form.risks[0].id).approved_level == 2
        assert u.get(form.id).head == "审核期间又改了表头"
        note = ops.review_notes(u, YEAR)[form.id]
        assert note.changed and note.levels == {form.risks[0].id: 2}
    finally:
        u.close()
