"""The data package (*.lzfk) a unit sends to the discipline committee.

A ZIP holding manifest.json (format, version, unit, year, counts, the 校验码 of every form
and the SHA-256 of every other member), forms.json (the contract's array of forms) and
optionally pdf/… (the printed forms). Version 2 adds the suite, the sender's public key,
the committee key it is meant for, the unit's sequence number and the content digest of
the package it supersedes to the manifest, and signature.json: the unit's Ed25519
signature of manifest.json's bytes. What is sent is this ZIP sealed to the committee
(``exchange/sealed.py``); the ZIP alone is the unit's unencrypted archive copy. Version 1
(unsigned, from earlier programs) is still read, as unverified.

A package is identified by its content digest (the SHA-256 of its manifest in canonical
form, which holds the digest of every member): the same content zipped again, or sealed
again, is the same package.

Reading one never trusts it: names, sizes, compression ratios, digests, signature and
JSON are all checked before anything is returned.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from lianzheng_desktop import __version__
from lianzheng_desktop.domain.codec import dumps_forms, type_name
from lianzheng_desktop.domain.definitions import definitions
from lianzheng_desktop.domain.model import Form
from lianzheng_desktop.domain.naming import file_stem, safe_file_part
from lianzheng_desktop.domain.verification import verification_code
from lianzheng_desktop.exchange.crypto import SUITES, CryptoRefused, KeyPair, b64, fingerprint, sign, unb64, verify
from lianzheng_desktop.exchange.formfile import (
    FileRejected,
    FileTooLarge,
    parse_json_text,
    read_forms_value,
    read_regular_file,
)
from lianzheng_desktop.exchange.ziplimits import ZipRefused, check_end_record

FORMAT = "lianzheng-package"
VERSION = 2  # written by this program; 1 (unsigned) is still read
SUFFIX = ".lzfk"
MANIFEST, FORMS, SIGNATURE = "manifest.json", "forms.json", "signature.json"
_V1_KEYS = {"format", "version", "app_version", "exported_at", "unit", "year", "counts", "forms", "digests"}
_V2_KEYS = _V1_KEYS | {"suite", "sender_key", "recipient", "sequence", "supersedes"}
_FINGERPRINT = re.compile(r"^[0-9A-F]{4}( [0-9A-F]{4}){4}$")
MAX_SEQUENCE = 10 ** 9

MAX_PACKAGE_BYTES = 200 * 1024 * 1024
MAX_MEMBERS = 1000
MAX_CENTRAL_BYTES = MAX_MEMBERS * (46 + 256)  # an index entry: 46 bytes and a name (pdf/… ≤ 77 characters)
MAX_MEMBER_BYTES = {MANIFEST: 1024 * 1024, FORMS: 50 * 1024 * 1024, SIGNATURE: 64 * 1024}
MAX_PDF_BYTES = 20 * 1024 * 1024
MAX_TOTAL_BYTES = 500 * 1024 * 1024
MAX_RATIO = 200  # JSON compresses ~10:1; a bomb compresses ~1000:1
_PDF_NAME = re.compile(r"^pdf/[^/\\:*?\"<>|\x00-\x1f]{1,120}\.pdf$")


class PackageRejected(Exception):
    """Not a package this program can accept; the message says why, in Chinese."""


@dataclass
class Package:
    manifest: dict
    forms: list[Form]
    pdfs: dict[str, bytes] = field(default_factory=dict)
    digest: str = ""  # SHA-256 of the file as read or written (sealed or not)
    data: bytes = b""  # the file's bytes, when the package was just built
    content_digest: str = ""  # SHA-256 of the canonical manifest: identifies the content
    signer: str | None = None  # fingerprint of the unit key whose signature verified
    sealed: bool = False  # arrived sealed to the committee (or was sealed when written)
    zip_data: bytes = b""  # the unsealed ZIP (the unit's archive copy)
    forms_json: bytes = b""  # forms.json as it was in the package

    @property
    def unit(self) -> str:
        return self.manifest["unit"].strip()

    @property
    def year(self) -> int:
        return self.manifest["year"]

    @property
    def version(self) -> int:
        return self.manifest["version"]

    @property
    def verified(self) -> bool:
        return self.signer is not None

    @property
    def sender_key(self) -> bytes | None:
        key = self.manifest.get("sender_key")
        return unb64(key) if key else None

    @property
    def sequence(self) -> int | None:
        return self.manifest.get("sequence")

    @property
    def supersedes(self) -> str | None:
        return self.manifest.get("supersedes")

    @property
    def exported_at(self) -> str:
        return self.manifest["exported_at"]


def content_digest(manifest: dict) -> str:
    text = json.dumps(manifest, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def default_name(unit: str, year: int) -> str:
    return f"{year}_{safe_file_part(unit, '单位')}_廉政风险防控{SUFFIX}"


def _pdf_member(form: Form) -> str:
    return f"pdf/{file_stem(form)[:60]}_{form.id[:8]}.pdf"


def build_package(forms: list[Form], *, with_pdf: bool = False,
                  now: dt.datetime | None = None) -> bytes:
    """An unsigned version-1 package, as earlier programs wrote (tests and old-format files)."""
    return make_package(forms, with_pdf=with_pdf, now=now).data


@dataclass(frozen=True)
class Lineage:
    """Where a signed package stands among the unit's packages of the year."""

    sequence: int  # 1, 2, 3… per unit and year, counted by the sending installation
    supersedes: str | None  # content digest of the package sent before, None for the first
    recipient: str | None  # fingerprint of the committee key it is meant for


def make_package(forms: list[Form], *, with_pdf: bool = False, now: dt.datetime | None = None,
                 signer: KeyPair | None = None, lineage: Lineage | None = None,
                 pdfs: dict[str, bytes] | None = None,
                 progress: Callable[[int, int], object] | None = None) -> Package:
    """The package for the forms of one unit and year, with its ZIP in ``data``: signed
    (version 2) when ``signer`` and ``lineage`` are given, else the unsigned version 1.
    ``progress(done, total)`` is called before each PDF is rendered (it may raise to stop)."""
    if not forms:
        raise ValueError("没有可以导出的表格")
    unit, year = forms[0].unit.strip(), forms[0].year
    members: dict[str, bytes] = {FORMS: dumps_forms(forms).encode("utf-8")}
    if pdfs is not None:
        members.update(pdfs)
    elif with_pdf:
        from lianzheng_desktop.render import render_form

        for i, form in enumerate(forms):
            if progress is not None:
                progress(i, len(forms))
            members[_pdf_member(form)] = render_form(form)
    exported = (now or dt.datetime.now().astimezone()).isoformat(timespec="milliseconds")
    signed = signer is not None and lineage is not None
    manifest: dict = {
        "format": FORMAT,
        "version": VERSION if signed else 1,
        "app_version": __version__,
        "exported_at": exported,
        "unit": unit,
        "year": year,
        "counts": {kind: sum(f.kind == kind for f in forms) for kind in definitions().kind_keys},
        "forms": [{"id": f.id, "kind": f.kind, "code": verification_code(f)} for f in forms],
        "digests": {name: hashlib.sha256(data).hexdigest() for name, data in members.items()},
    }
    if signed:
        assert signer is not None and lineage is not None
        manifest |= {"suite": signer.suite, "sender_key": b64(signer.public), "recipient": lineage.recipient,
                     "sequence": lineage.sequence, "supersedes": lineage.supersedes}
    manifest_bytes = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
    entries = [(MANIFEST, manifest_bytes), *members.items()]
    if signed:
        assert signer is not None
        entries.append((SIGNATURE, json.dumps({"suite": signer.suite,
                                               "signature": b64(sign(signer.private, manifest_bytes))}).encode()))
    buffer = io.BytesIO()
    stamp = (1980, 1, 1, 0, 0, 0)  # no clock in member headers: the manifest has the time
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.flag_bits |= 0x800  # names are UTF-8
            archive.writestr(info, data)
    data = buffer.getvalue()
    return Package(manifest, forms, {k: v for k, v in members.items() if k.startswith("pdf/")},
                   hashlib.sha256(data).hexdigest(), data, content_digest(manifest),
                   signer.fingerprint if signed and signer else None, False, data, members[FORMS])


# -- reading -----------------------------------------------------------------------


def _refuse(message: str):
    raise PackageRejected(message)


def _check_names(infos: list[zipfile.ZipInfo]) -> None:
    if len(infos) > MAX_MEMBERS:
        _refuse(f"数据包里的文件太多（{len(infos)} 个），不像是登记表数据包")
    seen = set()
    for info in infos:
        name = info.filename
        if (name.startswith(("/", "\\")) or ".." in name.replace("\\", "/").split("/")
                or re.match(r"^[A-Za-z]:", name) or "\\" in name):
            _refuse(f"数据包里有不安全的文件名“{name}”（指向数据包以外的位置），已拒绝")
        if name in seen:
            _refuse(f"数据包里有两个同名文件“{name}”")
        seen.add(name)
        if name not in MAX_MEMBER_BYTES and not _PDF_NAME.match(name):
            _refuse(f"数据包里有不属于登记表数据包的文件“{name}”")
        if info.flag_bits & 0x1:
            _refuse("数据包被加密了，本程序不能读取加密的数据包")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            # bzip2 and LZMA inflate whole blocks with no output limit: a bomb can't be capped
            _refuse(f"数据包里的 {name} 使用了本程序不接受的压缩方式，不像是本程序导出的数据包")


def _check_end_record(data: bytes) -> None:
    """Member count and index size from the ZIP's end record, before zipfile parses the
    index: zipfile reads as many entries as the index's stated size holds, whatever count
    the end record gives, so a hostile file can list millions of entries."""
    try:
        check_end_record(data, MAX_MEMBERS, MAX_CENTRAL_BYTES)
    except ZipRefused as exc:
        _refuse(f"数据包{exc}，不像是登记表数据包")


def _check_required(infos: list[zipfile.ZipInfo]) -> None:
    names = {info.filename for info in infos}
    for required in (MANIFEST, FORMS):
        if required not in names:
            _refuse(f"数据包缺少 {required}，可能不完整或不是本程序导出的")


def _check_sizes(infos: list[zipfile.ZipInfo]) -> None:
    total = 0
    for info in infos:
        limit = MAX_MEMBER_BYTES.get(info.filename, MAX_PDF_BYTES)
        if info.file_size > limit:
            _refuse(f"数据包里的 {info.filename} 解压后有 {info.file_size // 1024 // 1024} MB，超过上限；"
                    "这可能是一个恶意构造的文件，已拒绝")
        if info.compress_size and info.file_size / info.compress_size > MAX_RATIO and info.file_size > 1024 * 1024:
            _refuse(f"数据包里的 {info.filename} 压缩比异常（{info.file_size // info.compress_size}:1），"
                    "这可能是一个恶意构造的“压缩炸弹”，已拒绝")
        total += info.file_size
    if total > MAX_TOTAL_BYTES:
        _refuse("数据包解压后总量超过上限，已拒绝")


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    limit = MAX_MEMBER_BYTES.get(info.filename, MAX_PDF_BYTES)
    with archive.open(info) as stream:
        data = stream.read(limit + 1)  # never more than the limit, whatever the header says
    if len(data) > limit or len(data) != info.file_size:
        _refuse(f"数据包里的 {info.filename} 大小与记录不符，数据包已损坏或被改动")
    return data


def _json(data: bytes, name: str):
    try:
        text = data.decode("utf-8-sig")
        return parse_json_text(text)
    except UnicodeDecodeError:
        _refuse(f"数据包里的 {name} 不是 UTF-8 编码")
    except FileRejected as exc:
        _refuse(f"数据包里的 {name} 无效：{exc}")


def _check_manifest(manifest) -> None:
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        _refuse("manifest.json 不是登记表数据包的清单（format 应为 lianzheng-package）")
    version = manifest.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        _refuse("数据包清单中的版本号无效")
    if version > VERSION:
        _refuse(f"数据包的版本是 {version}，本程序只支持到 {VERSION}：请升级本程序后再导入")
    allowed = _V1_KEYS if version == 1 else _V2_KEYS
    unknown = sorted(set(manifest) - allowed)
    if unknown:
        _refuse(f"数据包清单中有无法识别的字段“{unknown[0]}”")
    d = definitions()
    checks = [
        (isinstance(manifest.get("app_version"), str), "导出程序版本（app_version）应当是文字"),
        (isinstance(manifest.get("exported_at"), str) and _timestamp(manifest["exported_at"]) is not None,
         "导出时间（exported_at）应当是带时区的时间，如 2026-11-20T14:32:05+08:00"),
        (isinstance(manifest.get("unit"), str) and manifest["unit"].strip() != "", "单位（unit）不能为空"),
        (isinstance(manifest.get("year"), int) and not isinstance(manifest.get("year"), bool)
         and d.year_min <= manifest["year"] <= d.year_max, f"年度（year）应当是 {d.year_min}–{d.year_max} 的整数"),
        (isinstance(manifest.get("counts"), dict) and set(manifest["counts"]) <= set(d.kind_keys)
         and all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in manifest["counts"].values()),
         "表格数量（counts）格式不对"),
        (isinstance(manifest.get("digests"), dict) and FORMS in manifest["digests"]
         and all(isinstance(v, str) and re.fullmatch(r"[0-9a-f]{64}", v) for v in manifest["digests"].values()),
         "文件摘要（digests）格式不对"),
        ("forms" not in manifest or (isinstance(manifest["forms"], list) and all(
            isinstance(e, dict) and set(e) == {"id", "kind", "code"}
            and all(isinstance(v, str) for v in e.values()) for e in manifest["forms"])),
         "表格校验码清单（forms）格式不对"),
    ]
    if version >= 2:
        sequence, supersedes, recipient = (manifest.get(k) for k in ("sequence", "supersedes", "recipient"))
        checks += [
            (set(manifest) == _V2_KEYS, "签名数据包的清单缺少字段：" + "、".join(sorted(_V2_KEYS - set(manifest)))),
            (manifest.get("suite") in SUITES, f"算法组合（suite）“{str(manifest.get('suite'))[:60]}”本程序不认识"),
            (isinstance(manifest.get("sender_key"), str) and _key_ok(manifest["sender_key"]),
             "发送方密钥（sender_key）格式不对"),
            (isinstance(sequence, int) and not isinstance(sequence, bool) and 1 <= sequence <= MAX_SEQUENCE,
             "序号（sequence）应当是正整数"),
            (supersedes is None or (isinstance(supersedes, str) and re.fullmatch(r"[0-9a-f]{64}", supersedes)),
             "所取代的数据包（supersedes）格式不对"),
            (recipient is None or (isinstance(recipient, str) and _FINGERPRINT.match(recipient)),
             "接收方密钥指纹（recipient）格式不对"),
        ]
    for ok, message in checks:
        if not ok:
            _refuse(f"数据包清单（manifest.json）有误：{message}")


def _key_ok(text: str) -> bool:
    try:
        unb64(text, 32)
    except CryptoRefused:
        return False
    return True


def _check_signature(manifest: dict, manifest_bytes: bytes, signature_bytes: bytes | None) -> str:
    """The signer's fingerprint, or a refusal: a version-2 package is signed by the key its
    manifest names, over the manifest's exact bytes (which hold every member's digest)."""
    if signature_bytes is None:
        raise PackageRejected("数据包缺少签名（signature.json）：它不是本程序导出的完整数据包，或签名被去掉了")
    value = _json(signature_bytes, SIGNATURE)
    if not isinstance(value, dict) or set(value) != {"suite", "signature"} or value["suite"] != manifest["suite"]:
        _refuse("数据包的签名文件（signature.json）格式不对")
    try:
        signature = unb64(value["signature"], 64)
    except CryptoRefused:
        _refuse("数据包的签名文件（signature.json）格式不对")
    key = unb64(manifest["sender_key"], 32)
    if not verify(key, signature, manifest_bytes):
        _refuse("数据包的签名无效：清单在签名后被改动过，或签名不是清单中的发送方密钥所签，已拒绝")
    return fingerprint("unit", key)


def _timestamp(text: str) -> dt.datetime | None:
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return value if value.tzinfo is not None else None


def read_package(data: bytes, committee: list[KeyPair] | None = None) -> Package:
    """Check everything, then return the package; raises PackageRejected with the reason.
    A sealed package opens only with one of the committee's keys (``committee``)."""
    from lianzheng_desktop.exchange.sealed import is_sealed, open_sealed

    if is_sealed(data):
        inner, recipient = open_sealed(data, committee or [])
        package = _read_zip(inner)
        if package.version < 2 or package.manifest["recipient"] != recipient:
            _refuse("数据包的加密信封与其中签名的清单所写的接收方不一致，数据包被改动过")
        package.sealed, package.digest = True, hashlib.sha256(data).hexdigest()
        return package
    return _read_zip(data)


def _read_zip(data: bytes) -> Package:
    if len(data) > MAX_PACKAGE_BYTES:
        _refuse("文件太大，不像是登记表数据包")
    if not data.startswith(b"PK"):
        _refuse("这不是登记表数据包（不是 ZIP 格式的 .lzfk 文件）")
    _check_end_record(data)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            _check_names(infos)
            _check_sizes(infos)  # before anything is inflated
            _check_required(infos)
            contents = {info.filename: _read_member(archive, info) for info in infos}
    except PackageRejected:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError,
            RuntimeError, UnicodeError) as exc:
        _refuse(f"数据包已损坏，无法读取（{type(exc).__name__}）")

    manifest = _json(contents[MANIFEST], MANIFEST)
    _check_manifest(manifest)
    if manifest["version"] == 1 and SIGNATURE in contents:
        _refuse("版本 1 的数据包里不应有签名文件（signature.json）")
    signer = _check_signature(manifest, contents[MANIFEST], contents.get(SIGNATURE)) \
        if manifest["version"] >= 2 else None
    digests = manifest["digests"]
    for name, content in contents.items():
        if name in (MANIFEST, SIGNATURE):
            continue
        if name not in digests:
            _refuse(f"数据包里的 {name} 没有记录在清单中")
        if hashlib.sha256(content).hexdigest() != digests[name]:
            _refuse(f"数据包里的 {name} 与清单记录的摘要不符：文件在导出后被改动过或已损坏")
    missing = sorted(set(digests) - set(contents))
    if missing:
        _refuse(f"清单中记录的 {missing[0]} 不在数据包里")

    d = definitions()
    value = _json(contents[FORMS], FORMS)
    if not isinstance(value, list):
        _refuse(f"数据包里的 forms.json 应当是表格数组，实际是{type_name(value)}")
    try:
        result = read_forms_value(value)
    except FileRejected as exc:
        _refuse(f"数据包里的表格无效：{exc}")
    errors = [p.message for p in result.problems if p.is_error]
    if errors:
        _refuse("数据包里的表格不符合格式：" + "；".join(errors[:5]) + ("……" if len(errors) > 5 else ""))
    forms = result.forms
    if not forms:
        _refuse("数据包里没有表格：一个空的数据包会把这个单位已报送的表格全部标为删除，已拒绝")
    for kind in d.kinds:
        count = sum(f.kind == kind.key for f in forms)
        if kind.singleton and count > 1:
            _refuse(f"数据包里有 {count} 张{kind.title}，只能有一张")
    for form in forms:
        if form.unit != manifest["unit"].strip() or form.year != manifest["year"]:
            _refuse(f"数据包清单写的是 {manifest['unit']} {manifest['year']} 年度，"
                    f"但其中有 {form.unit} {form.year} 年度的表格")
    counts = {kind: sum(f.kind == kind for f in forms) for kind in d.kind_keys}
    if any(counts[kind] != manifest["counts"].get(kind, 0) for kind in counts):
        _refuse("数据包清单中的表格数量与实际不符")
    if "forms" not in manifest and manifest["version"] >= 2:
        _refuse("数据包清单缺少表格校验码清单（forms）")
    if "forms" in manifest:
        listed = {(e["id"], e["kind"], e["code"]) for e in manifest["forms"]}
        actual = {(f.id, f.kind, verification_code(f)) for f in forms}
        if listed != actual:
            _refuse("数据包清单中的校验码与表格内容不符：表格在导出后被改动过")
    pdfs = {name: content for name, content in contents.items() if name.startswith("pdf/")}
    return Package(manifest, forms, pdfs, hashlib.sha256(data).hexdigest(), b"", content_digest(manifest),
                   signer, False, data, contents[FORMS])


def read_package_file(path: Path, committee: list[KeyPair] | None = None) -> Package:
    try:
        data = read_regular_file(path, MAX_PACKAGE_BYTES)
    except FileTooLarge:
        _refuse("文件太大，不像是登记表数据包")
    except FileRejected as exc:
        _refuse(str(exc))
    return read_package(data, committee)
