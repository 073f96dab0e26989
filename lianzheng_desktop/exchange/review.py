"""The committee's review file (*.lzsh) that goes back to a unit.

The same discipline as the data package (``exchange/package.py``): a ZIP of manifest.json
(format, version, suite, the committee key's fingerprint, unit, year, the round, the
package reviewed, the 校验码 of every form reviewed, the SHA-256 of review.json),
review.json (decisions, opinions, 审定 levels and comments, keyed by form and point id) and
signature.json (the committee's Ed25519 signature of manifest.json's bytes). It is not
sealed: it holds nothing secret, and a unit has no key to open a seal; the signature is
what the unit checks, against the committee key of its 报送设置.

Reading one never trusts it: size, member names and count, compression, digests,
signature and every value of the JSON are checked before anything is returned.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
import uuid
import zipfile
import zlib
from dataclasses import dataclass
from typing import Any

from lianzheng_desktop import __version__
from lianzheng_desktop.domain.definitions import definitions
from lianzheng_desktop.domain.review import PASS, RETURN, TEXT_MAX
from lianzheng_desktop.exchange.crypto import SUITES, CryptoRefused, KeyPair, b64, sign, unb64, verify
from lianzheng_desktop.exchange.formfile import FileRejected, parse_json_text
from lianzheng_desktop.exchange.ziplimits import ZipRefused, check_end_record

FORMAT = "lianzheng-review"
VERSION = 1
SUFFIX = ".lzsh"
MANIFEST, REVIEW, SIGNATURE = "manifest.json", "review.json", "signature.json"
MEMBERS = {MANIFEST: 256 * 1024, REVIEW: 20 * 1024 * 1024, SIGNATURE: 16 * 1024}
MAX_BYTES = 25 * 1024 * 1024
MAX_RATIO = 200
MAX_FORMS = 5000
MAX_POINTS = 5000
_MANIFEST_KEYS = {"format", "version", "app_version", "suite", "committee", "unit", "year", "round", "number",
                  "issued_at", "package", "package_sequence", "forms", "digests"}
_FORM_KEYS = {"id", "kind", "code", "name", "decision", "reason", "opinion", "points"}
_POINT_KEYS = {"id", "number", "approved_level", "comment"}
_FINGERPRINT = re.compile(r"^[0-9A-F]{4}( [0-9A-F]{4}){4}$")
_CODE = re.compile(r"^[0-9A-F]{4}-[0-9A-F]{4}$")
_DIGEST = re.compile(r"^[0-9a-f]{64}$")


class ReviewRejected(Exception):
    """Not a review file this program can accept; the message says why, in Chinese."""


@dataclass
class ReviewFile:
    manifest: dict
    review: dict  # review.json: {"forms": [...]}
    file_digest: str  # SHA-256 of the file's bytes
    data: bytes = b""

    @property
    def unit(self) -> str:
        return self.manifest["unit"]

    @property
    def year(self) -> int:
        return self.manifest["year"]

    @property
    def number(self) -> int:
        return self.manifest["number"]

    @property
    def round(self) -> str:
        return self.manifest["round"]

    @property
    def forms(self) -> list[dict]:
        return self.review["forms"]


def make_review_file(*, unit: str, year: int, round_id: str, number: int, package: str,
                     package_sequence: int | None, forms: list[dict], committee: KeyPair,
                     issued_at: dt.datetime | None = None) -> ReviewFile:
    """The signed file; ``forms`` as review.json holds them (see ``_check_review``)."""
    review_bytes = json.dumps({"forms": forms}, ensure_ascii=False, indent=1).encode("utf-8")
    manifest = {
        "format": FORMAT, "version": VERSION, "app_version": __version__, "suite": committee.suite,
        "committee": committee.fingerprint, "unit": unit, "year": year, "round": round_id, "number": number,
        "issued_at": (issued_at or dt.datetime.now().astimezone()).isoformat(timespec="seconds"),
        "package": package, "package_sequence": package_sequence,
        "forms": [{"id": f["id"], "code": f["code"]} for f in forms],
        "digests": {REVIEW: hashlib.sha256(review_bytes).hexdigest()},
    }
    manifest_bytes = json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")
    signature = json.dumps({"suite": committee.suite, "signature": b64(sign(committee.private, manifest_bytes))})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in ((MANIFEST, manifest_bytes), (REVIEW, review_bytes), (SIGNATURE, signature.encode())):
            info = zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.flag_bits |= 0x800
            archive.writestr(info, data)
    data = buffer.getvalue()
    return ReviewFile(manifest, {"forms": forms}, hashlib.sha256(data).hexdigest(), data)


def _refuse(message: str):
    raise ReviewRejected(message)


def _members(data: bytes) -> dict[str, bytes]:
    if len(data) > MAX_BYTES:
        _refuse("文件太大，不像是校纪委的审核意见文件")
    if not data.startswith(b"PK"):
        _refuse("这不是校纪委的审核意见文件（不是 ZIP 格式的 .lzsh 文件）")
    try:
        check_end_record(data, len(MEMBERS), len(MEMBERS) * (46 + 64))
    except ZipRefused as exc:
        _refuse(f"审核意见文件{exc}，不像是本程序导出的")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            names = [i.filename for i in infos]
            if sorted(names) != sorted(MEMBERS):
                odd = sorted(set(names) - set(MEMBERS)) or sorted(set(MEMBERS) - set(names))
                _refuse(f"审核意见文件的内容不对（{'、'.join(n[:60] for n in odd[:3]) or '有重复的文件'}）："
                        "它不完整，或不是本程序导出的")
            for info in infos:
                limit = MEMBERS[info.filename]
                if info.flag_bits & 0x1:
                    _refuse("审核意见文件被加密了，本程序不能读取")
                if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                    _refuse(f"审核意见文件里的 {info.filename} 使用了本程序不接受的压缩方式")
                if info.file_size > limit or (info.compress_size and info.file_size > 1024 * 1024
                                              and info.file_size / info.compress_size > MAX_RATIO):
                    _refuse(f"审核意见文件里的 {info.filename} 解压后过大或压缩比异常，这可能是恶意构造的文件，已拒绝")
            out = {}
            for info in infos:
                with archive.open(info) as stream:
                    content = stream.read(MEMBERS[info.filename] + 1)
                if len(content) != info.file_size or len(content) > MEMBERS[info.filename]:
                    _refuse(f"审核意见文件里的 {info.filename} 大小与记录不符，文件已损坏或被改动")
                out[info.filename] = content
            return out
    except ReviewRejected:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError, RuntimeError,
            UnicodeError) as exc:
        _refuse(f"审核意见文件已损坏，无法读取（{type(exc).__name__}）")
    raise AssertionError("unreachable")


def _json(data: bytes, name: str) -> Any:
    try:
        return parse_json_text(data.decode("utf-8"))
    except UnicodeDecodeError:
        _refuse(f"审核意见文件里的 {name} 不是 UTF-8 编码")
    except FileRejected as exc:
        _refuse(f"审核意见文件里的 {name} 无效：{exc}")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _uuid(value: Any) -> bool:
    try:
        return isinstance(value, str) and str(uuid.UUID(value)) == value
    except ValueError:
        return False


def _check_manifest(m: Any) -> None:
    if not isinstance(m, dict) or m.get("format") != FORMAT:
        _refuse("这不是校纪委的审核意见文件（清单的 format 不是 lianzheng-review）")
    if not _is_int(m.get("version")) or m["version"] < 1:
        _refuse("审核意见文件的版本号无效")
    if m["version"] > VERSION:
        _refuse(f"审核意见文件的版本是 {m['version']}，本程序只支持到 {VERSION}：请升级本程序")
    if set(m) != _MANIFEST_KEYS:
        odd = sorted(set(m) ^ _MANIFEST_KEYS)
        _refuse(f"审核意见文件的清单有误：字段“{str(odd[0])[:40]}”多余或缺少")
    d = definitions()
    checks = [
        (m["suite"] in SUITES, "算法组合本程序不认识"),
        (isinstance(m["committee"], str) and _FINGERPRINT.match(m["committee"]) is not None, "校纪委密钥指纹格式不对"),
        (isinstance(m["unit"], str) and 0 < len(m["unit"].strip()) <= 200, "单位不能为空"),
        (_is_int(m["year"]) and d.year_min <= m["year"] <= d.year_max, "年度不对"),
        (_uuid(m["round"]), "审核轮次编号不对"),
        (_is_int(m["number"]) and 1 <= m["number"] <= 10 ** 6, "审核轮次不对"),
        (isinstance(m["issued_at"], str) and _timestamp(m["issued_at"]), "签发时间不对"),
        (isinstance(m["package"], str) and _DIGEST.match(m["package"]) is not None, "所审核的数据包摘要不对"),
        (m["package_sequence"] is None or (_is_int(m["package_sequence"]) and m["package_sequence"] >= 1),
         "所审核的数据包序号不对"),
        (isinstance(m["app_version"], str) and len(m["app_version"]) < 100, "程序版本不对"),
        (isinstance(m["digests"], dict) and set(m["digests"]) == {REVIEW}
         and isinstance(m["digests"][REVIEW], str) and _DIGEST.match(m["digests"][REVIEW]) is not None,
         "文件摘要不对"),
        (isinstance(m["forms"], list) and 0 < len(m["forms"]) <= MAX_FORMS and all(
            isinstance(e, dict) and set(e) == {"id", "code"} and _uuid(e["id"])
            and isinstance(e["code"], str) and _CODE.match(e["code"]) for e in m["forms"]), "表格校验码清单不对"),
    ]
    for ok, message in checks:
        if not ok:
            _refuse(f"审核意见文件的清单（manifest.json）有误：{message}")


def _timestamp(text: str) -> bool:
    try:
        return dt.datetime.fromisoformat(text).tzinfo is not None
    except ValueError:
        return False


def _text(value: Any) -> bool:
    return isinstance(value, str) and len(value) <= TEXT_MAX


def _check_review(value: Any, manifest: dict) -> None:
    d = definitions()
    levels = {lv.value for lv in d.levels}
    if not isinstance(value, dict) or set(value) != {"forms"} or not isinstance(value["forms"], list):
        _refuse("审核意见文件里的 review.json 格式不对")
    listed = [(e["id"], e["code"]) for e in manifest["forms"]]
    if [(f.get("id"), f.get("code")) for f in value["forms"] if isinstance(f, dict)] != listed:
        _refuse("审核意见与清单中的表格校验码不一致：文件被改动过")
    for i, form in enumerate(value["forms"], start=1):
        where = f"第 {i} 张表格的审核意见"
        if set(form) != _FORM_KEYS:
            _refuse(f"{where}格式不对")
        ok = (form["kind"] in d.kind_keys and _text(form["name"]) and _text(form["reason"]) and _text(form["opinion"])
              and form["decision"] in (None, PASS, RETURN) and isinstance(form["points"], list)
              and len(form["points"]) <= MAX_POINTS)
        if not ok:
            _refuse(f"{where}有误（种类、结论或文字）")
        seen = set()
        for point in form["points"]:
            if not isinstance(point, dict) or set(point) != _POINT_KEYS or not _uuid(point["id"]) \
                    or point["id"] in seen or not _text(point["number"]) or not _text(point["comment"]) \
                    or not (point["approved_level"] is None or point["approved_level"] in levels):
                _refuse(f"{where}中有一条风险点意见格式不对")
            if point["approved_level"] is not None and not d.kind(form["kind"]).committee_sets_level:
                _refuse(f"{where}审定了{d.kind(form['kind']).short_name}的等级，但这种表格的审定由单位负责")
            seen.add(point["id"])


def read_review(data: bytes, committee_public: bytes | None, committee_fingerprint: str | None) -> ReviewFile:
    """Check everything, then return the review; raises ReviewRejected with the reason. The
    signature must be by the committee key the unit trusts (from its 报送设置)."""
    members = _members(data)
    manifest = _json(members[MANIFEST], MANIFEST)
    _check_manifest(manifest)
    if committee_public is None or committee_fingerprint is None:
        _refuse("本机还没有导入校纪委的报送设置，无法核对审核意见上校纪委的签名")
    assert committee_public is not None
    if manifest["committee"] != committee_fingerprint:
        _refuse(f"这份审核意见是用另一把密钥（指纹 {manifest['committee']}）签发的，不是本机报送设置中的校纪委密钥"
                f"（指纹 {committee_fingerprint}）：不能确认它来自校纪委")
    signature = _json(members[SIGNATURE], SIGNATURE)
    if not isinstance(signature, dict) or set(signature) != {"suite", "signature"} \
            or signature["suite"] != manifest["suite"]:
        _refuse("审核意见文件的签名格式不对")
    try:
        raw = unb64(signature["signature"], 64)
    except CryptoRefused:
        _refuse("审核意见文件的签名格式不对")
    if not verify(committee_public, raw, members[MANIFEST]):
        _refuse("审核意见文件的签名无效：文件在签发后被改动过，或不是校纪委签发的")
    if hashlib.sha256(members[REVIEW]).hexdigest() != manifest["digests"][REVIEW]:
        _refuse("审核意见文件里的 review.json 与清单记录的摘要不符：文件在签发后被改动过")
    review = _json(members[REVIEW], REVIEW)
    _check_review(review, manifest)
    return ReviewFile(manifest, review, hashlib.sha256(data).hexdigest(), data)
