"""The committee's private key saved to a file under a passphrase (*.lzkey), and restored.

Losing the committee's key means no package sealed to it can ever be read; this file,
kept apart from the computer (a USB stick in the office safe), is the remedy. The key is
encrypted with a key derived from the passphrase by scrypt (memory-hard, so guessing
passphrases is slow) and sealed with ChaCha20-Poly1305; a wrong passphrase and an altered
file are both refused.
"""

from __future__ import annotations

import json
from pathlib import Path

from lianzheng_desktop.exchange.crypto import SUITES, CryptoRefused, KeyPair, key_from_private, protect, unprotect
from lianzheng_desktop.exchange.formfile import (
    FileRejected,
    decode_text,
    parse_json_text,
    read_regular_file_as,
)

FORMAT = "lianzheng-committee-key"
VERSION = 1
SUFFIX = ".lzkey"
MAX_BYTES = 64 * 1024
MIN_PASSPHRASE = 8


class KeyFileRejected(Exception):
    pass


def default_name() -> str:
    return f"校纪委密钥备份{SUFFIX}"


def _aad(fingerprint: str, suite: str) -> bytes:
    return f"{FORMAT}\n{VERSION}\n{suite}\n{fingerprint}".encode()


def dumps_key(key: KeyPair, passphrase: str) -> bytes:
    if len(passphrase) < MIN_PASSPHRASE:
        raise KeyFileRejected(f"口令太短：至少 {MIN_PASSPHRASE} 个字符（口令越长越安全，可以是一句话）")
    value = {"format": FORMAT, "version": VERSION, "suite": key.suite, "fingerprint": key.fingerprint,
             **protect(key.private, passphrase, _aad(key.fingerprint, key.suite))}
    return (json.dumps(value, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def read_key(data: bytes, passphrase: str) -> KeyPair:
    if len(data) > MAX_BYTES:
        raise KeyFileRejected("文件太大，不是密钥备份文件")
    try:
        value = parse_json_text(decode_text(data))
    except FileRejected as exc:
        raise KeyFileRejected(f"不是有效的密钥备份文件：{exc}") from None
    if not isinstance(value, dict) or value.get("format") != FORMAT:
        raise KeyFileRejected("这不是校纪委密钥的备份文件")
    if value.get("version") != VERSION or value.get("suite") not in SUITES:
        raise KeyFileRejected("密钥备份文件的版本或算法本程序不认识，请升级本程序")
    fingerprint = value.get("fingerprint")
    if not isinstance(fingerprint, str) or len(fingerprint) > 40:
        raise KeyFileRejected("密钥备份文件内容有误")
    try:
        private = unprotect(value, passphrase, _aad(fingerprint, value["suite"]))
        key = key_from_private("committee", private)
    except CryptoRefused as exc:
        raise KeyFileRejected(f"无法打开密钥备份：{exc}") from None
    if key.fingerprint != fingerprint:
        raise KeyFileRejected("密钥备份文件中的指纹与密钥不符：文件被改动过")
    return key


def read_key_file(path: Path, passphrase: str) -> KeyPair:
    data = read_regular_file_as(path, MAX_BYTES, KeyFileRejected, "不是密钥备份文件")
    return read_key(data, passphrase)
