"""The envelope a data package travels in: sealed to the committee's key.

    b"LZFK-SEALED\\n" · 4-byte big-endian length · header (JSON, UTF-8) · ciphertext

The header names the format, version, suite, the fingerprint of the committee key it is
sealed to, the sender's one-time X25519 public key and the nonce; it is authenticated
with the ciphertext (AEAD associated data), so nothing in it can be changed unnoticed.
The ciphertext is the signed package ZIP (``exchange/package.py``). Only a database that
holds the committee's private key opens it; anyone else sees the header and noise.
"""

from __future__ import annotations

import json
import re

from lianzheng_desktop.exchange.crypto import SUITES, CryptoRefused, KeyPair, b64, seal, unb64, unseal
from lianzheng_desktop.exchange.formfile import FileRejected, parse_json_text

MAGIC = b"LZFK-SEALED\n"
FORMAT = "lianzheng-sealed-package"
VERSION = 2
MAX_HEADER = 4096
_KEYS = {"format", "version", "suite", "recipient", "ephemeral", "nonce"}
_FINGERPRINT = re.compile(r"^[0-9A-F]{4}( [0-9A-F]{4}){4}$")


def is_sealed(data: bytes) -> bool:
    return data.startswith(MAGIC)


def seal_package(zip_data: bytes, committee_public: bytes, committee_fingerprint: str, suite: str) -> bytes:
    """The sealed file for a signed package ZIP."""

    def header(ephemeral: bytes, nonce: bytes) -> bytes:
        value = {"format": FORMAT, "version": VERSION, "suite": suite, "recipient": committee_fingerprint,
                 "ephemeral": b64(ephemeral), "nonce": b64(nonce)}
        text = json.dumps(value, ensure_ascii=False).encode("utf-8")
        return MAGIC + len(text).to_bytes(4, "big") + text

    head, ciphertext = seal(committee_public, zip_data, header)
    return head + ciphertext


def open_sealed(data: bytes, committee: list[KeyPair]) -> tuple[bytes, str]:
    """(The package ZIP, the recipient fingerprint), or PackageRejected saying why."""
    from lianzheng_desktop.exchange.package import MAX_PACKAGE_BYTES, PackageRejected

    def refuse(message: str):
        raise PackageRejected(message)

    if len(data) > MAX_PACKAGE_BYTES:
        refuse("文件太大，不像是登记表数据包")
    start = len(MAGIC) + 4
    length = int.from_bytes(data[len(MAGIC):start], "big") if len(data) >= start else 0
    if not 2 <= length <= MAX_HEADER or len(data) < start + length:
        refuse("加密数据包的信封已损坏（文件不完整或被改动过）")
    try:
        header = parse_json_text(data[start:start + length].decode("utf-8"))
    except (UnicodeDecodeError, FileRejected):
        refuse("加密数据包的信封已损坏（文件不完整或被改动过）")
    if not isinstance(header, dict) or set(header) != _KEYS or header["format"] != FORMAT:
        refuse("加密数据包的信封格式不对，不是本程序导出的数据包")
    if header["version"] != VERSION:
        refuse(f"加密数据包的版本“{str(header['version'])[:20]}”本程序不认识：请升级本程序后再导入")
    if header["suite"] not in SUITES:
        refuse(f"数据包使用的算法组合“{str(header['suite'])[:60]}”本程序不认识：请升级本程序后再导入")
    recipient = header["recipient"]
    if not isinstance(recipient, str) or not _FINGERPRINT.match(recipient):
        refuse("加密数据包的信封格式不对（接收方密钥指纹）")
    try:
        ephemeral, nonce = unb64(header["ephemeral"], 32), unb64(header["nonce"], 12)
    except CryptoRefused:
        refuse("加密数据包的信封格式不对（一次性密钥或随机数）")
    if not committee:
        refuse("这是加密给校纪委的数据包，只有保存着校纪委密钥的数据库才能打开（本数据库没有校纪委密钥）")
    key = next((k for k in committee if k.fingerprint == recipient), None)
    if key is None:
        ours = committee[0].fingerprint
        raise PackageRejected(f"这个数据包加密给的是另一把密钥（指纹 {recipient}），本数据库的校纪委密钥指纹是 {ours}："
                              "发送单位可能导入了别的报送设置文件，请让单位核对后重新导出")
    try:
        inner = unseal(key, ephemeral, nonce, data[start + length:], data[:start + length])
    except CryptoRefused:
        refuse("数据包无法解密：文件在发出后被改动过，或已损坏")
    return inner, recipient
