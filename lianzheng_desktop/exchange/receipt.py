"""The return receipt (回执): the committee confirms exactly which package it imported."""

from __future__ import annotations

import json
from pathlib import Path

from lianzheng_desktop.exchange.formfile import (
    FileRejected,
    FileTooLarge,
    decode_text,
    parse_json_text,
    read_regular_file,
)
from lianzheng_desktop.exchange.package import default_name

FORMAT = "lianzheng-receipt"
VERSION = 1
SUFFIX = ".lzhz"
MAX_BYTES = 1024 * 1024
_KEYS = {"format": str, "version": int, "package_digest": str, "unit": str, "year": int,
         "exported_at": str, "imported_at": str, "form_count": int, "codes": list}


class ReceiptRejected(Exception):
    pass


def make_receipt(package_row: dict) -> dict:
    manifest = json.loads(package_row["manifest"])
    return {
        "format": FORMAT, "version": VERSION, "package_digest": package_row["digest"],
        "unit": package_row["unit"], "year": package_row["year"],
        "exported_at": package_row["exported_at"], "imported_at": package_row["imported_at"],
        "form_count": package_row["form_count"],
        "codes": [entry["code"] for entry in manifest.get("forms", [])],
    }


def receipt_name(receipt: dict) -> str:
    return default_name(receipt["unit"], receipt["year"]).replace(".lzfk", "_回执" + SUFFIX)


def dumps_receipt(receipt: dict) -> bytes:
    return (json.dumps(receipt, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def read_receipt(data: bytes) -> dict:
    if len(data) > MAX_BYTES:
        raise ReceiptRejected("文件太大，不是回执")
    try:
        value = parse_json_text(decode_text(data))
    except FileRejected as exc:
        raise ReceiptRejected(f"不是有效的回执：{exc}") from None
    if not isinstance(value, dict) or value.get("format") != FORMAT:
        raise ReceiptRejected("这不是校纪委的回执文件")
    if value.get("version") != VERSION:
        raise ReceiptRejected(f"回执的版本“{value.get('version')}”本程序不认识，请升级本程序")
    if set(value) != set(_KEYS) or not all(
            isinstance(value[k], t) and not (t is int and isinstance(value[k], bool)) for k, t in _KEYS.items()):
        raise ReceiptRejected("回执内容不完整或有误")
    return value


def read_receipt_file(path: Path) -> dict:
    try:
        data = read_regular_file(Path(path), MAX_BYTES)
    except FileTooLarge:
        raise ReceiptRejected("文件太大，不是回执") from None
    except FileRejected as exc:
        raise ReceiptRejected(str(exc)) from None
    return read_receipt(data)
