"""The return receipt (回执): the committee confirms exactly which package it imported.

Version 2 is signed with the committee's key (Ed25519 over the receipt's canonical JSON
without its signature) and names the package by its content digest; the unit checks the
signature against the committee key of its 报送设置 before it believes the receipt.
Version 1 (unsigned, from earlier programs) is still read, and counts only for packages
exported unsigned.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from lianzheng_desktop.exchange.crypto import SUITES, CryptoRefused, KeyPair, b64, sign, unb64, verify
from lianzheng_desktop.exchange.formfile import (
    FileRejected,
    decode_text,
    parse_json_text,
    read_regular_file_as,
)
from lianzheng_desktop.exchange.package import default_name

FORMAT = "lianzheng-receipt"
VERSION = 2
SUFFIX = ".lzhz"
MAX_BYTES = 1024 * 1024
_V1_KEYS: dict[str, type | tuple[type, ...]] = {
    "format": str, "version": int, "package_digest": str, "unit": str, "year": int, "exported_at": str,
    "imported_at": str, "form_count": int, "codes": list}
_V2_KEYS = _V1_KEYS | {"suite": str, "committee": str, "content_digest": str, "sequence": (int, type(None)),
                       "signature": str}


class ReceiptRejected(Exception):
    pass


def _payload(receipt: dict) -> bytes:
    body = {k: v for k, v in receipt.items() if k != "signature"}
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def make_receipt(package_row: dict, committee: KeyPair | None = None) -> dict:
    """The receipt for an imported package: signed with the committee's key when given
    (always, in the program; the unsigned version 1 is kept for tests of old receipts)."""
    manifest = json.loads(package_row["manifest"])
    receipt = {
        "format": FORMAT, "version": 1, "package_digest": package_row["digest"],
        "unit": package_row["unit"], "year": package_row["year"],
        "exported_at": package_row["exported_at"], "imported_at": package_row["imported_at"],
        "form_count": package_row["form_count"],
        "codes": [entry["code"] for entry in manifest.get("forms", [])],
    }
    if committee is None:
        return receipt
    receipt |= {"version": VERSION, "suite": committee.suite, "committee": committee.fingerprint,
                "content_digest": package_row["content_digest"], "sequence": package_row.get("sequence")}
    receipt["signature"] = b64(sign(committee.private, _payload(receipt)))
    return receipt


def receipt_name(receipt: dict) -> str:
    return default_name(receipt["unit"], receipt["year"]).replace(".lzfk", "_回执" + SUFFIX)


def dumps_receipt(receipt: dict) -> bytes:
    return (json.dumps(receipt, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def read_receipt(data: bytes) -> dict:
    """The receipt's content, its form checked (not yet its signature: see check_signature)."""
    if len(data) > MAX_BYTES:
        raise ReceiptRejected("文件太大，不是回执")
    try:
        value = parse_json_text(decode_text(data))
    except FileRejected as exc:
        raise ReceiptRejected(f"不是有效的回执：{exc}") from None
    if not isinstance(value, dict) or value.get("format") != FORMAT:
        raise ReceiptRejected("这不是校纪委的回执文件")
    version = value.get("version")
    if version not in (1, VERSION):
        raise ReceiptRejected(f"回执的版本“{str(version)[:20]}”本程序不认识，请升级本程序")
    keys = _V1_KEYS if version == 1 else _V2_KEYS
    if set(value) != set(keys) or not all(
            isinstance(value[k], t) and not (t is int and isinstance(value[k], bool)) for k, t in keys.items()):
        raise ReceiptRejected("回执内容不完整或有误")
    if version == VERSION and (value["suite"] not in SUITES
                               or not re.fullmatch(r"[0-9a-f]{64}", value["content_digest"])):
        raise ReceiptRejected("回执内容不完整或有误（算法或数据包摘要）")
    return value


def check_signature(receipt: dict, committee_public: bytes, committee_fingerprint: str) -> None:
    """Raise ReceiptRejected unless the committee whose key the unit trusts signed it."""
    if receipt["committee"] != committee_fingerprint:
        raise ReceiptRejected(f"这份回执是用另一把密钥（指纹 {receipt['committee']}）签发的，不是本机报送设置中的"
                              f"校纪委密钥（指纹 {committee_fingerprint}）：不能确认它来自校纪委")
    try:
        signature = unb64(receipt["signature"], 64)
    except CryptoRefused:
        raise ReceiptRejected("回执的签名格式不对") from None
    if not verify(committee_public, signature, _payload(receipt)):
        raise ReceiptRejected("回执的签名无效：回执在签发后被改动过，或不是校纪委签发的")


def read_receipt_file(path: Path) -> dict:
    data = read_regular_file_as(path, MAX_BYTES, ReceiptRejected, "不是回执")
    return read_receipt(data)
