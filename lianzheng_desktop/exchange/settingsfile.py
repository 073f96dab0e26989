"""The 报送设置 file (*.lzsz) the committee gives the units once a year.

It carries the committee's public key (to seal packages to and check receipts against),
its fingerprint, the year, the reporting deadline and the list of units, signed with the
committee's key. The signature binds the content to the key in the file; whether the key
is the committee's is what the unit confirms by reading the fingerprint over the phone
(the first time) and what the program checks against the key it already trusts (later).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from lianzheng_desktop.domain.definitions import definitions
from lianzheng_desktop.exchange.crypto import (
    SUITES,
    CryptoRefused,
    KeyPair,
    b64,
    fingerprint,
    sign,
    unb64,
    verify,
)
from lianzheng_desktop.exchange.formfile import (
    FileRejected,
    decode_text,
    parse_json_text,
    read_regular_file_as,
)
from lianzheng_desktop.exchange.unitlist import MAX_NAME, MAX_UNITS

FORMAT = "lianzheng-settings"
VERSION = 1
SUFFIX = ".lzsz"
MAX_BYTES = 1024 * 1024
_KEYS = {"format", "version", "suite", "committee_key", "fingerprint", "year", "deadline", "units", "issued_at",
         "signature"}


class SettingsRejected(Exception):
    pass


@dataclass(frozen=True)
class SettingsFile:
    suite: str
    committee_key: bytes  # the committee's public key (signing half, sealing half)
    fingerprint: str
    year: int
    deadline: str | None  # ISO date
    units: list[str]
    issued_at: str


def default_name(year: int) -> str:
    return f"{year}_校纪委报送设置{SUFFIX}"


def _payload(value: dict) -> bytes:
    body = {k: v for k, v in value.items() if k != "signature"}
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def dumps_settings(committee: KeyPair, year: int, deadline: str | None, units: list[str],
                   now: dt.datetime | None = None) -> bytes:
    value = {"format": FORMAT, "version": VERSION, "suite": committee.suite, "committee_key": b64(committee.public),
             "fingerprint": committee.fingerprint, "year": year, "deadline": deadline, "units": units,
             "issued_at": (now or dt.datetime.now().astimezone()).isoformat(timespec="seconds")}
    value["signature"] = b64(sign(committee.private, _payload(value)))
    return (json.dumps(value, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def read_settings(data: bytes) -> SettingsFile:
    if len(data) > MAX_BYTES:
        raise SettingsRejected("文件太大，不是报送设置文件")
    try:
        value = parse_json_text(decode_text(data))
    except FileRejected as exc:
        raise SettingsRejected(f"不是有效的报送设置文件：{exc}") from None
    if not isinstance(value, dict) or value.get("format") != FORMAT:
        raise SettingsRejected("这不是校纪委的报送设置文件")
    if value.get("version") != VERSION:
        raise SettingsRejected(f"报送设置文件的版本“{str(value.get('version'))[:20]}”本程序不认识，请升级本程序")
    if set(value) != _KEYS:
        raise SettingsRejected("报送设置文件内容不完整或有多余的内容")
    if value["suite"] not in SUITES:
        raise SettingsRejected(f"报送设置使用的算法组合“{str(value['suite'])[:60]}”本程序不认识，请升级本程序")
    d = definitions()
    year, deadline, units = value["year"], value["deadline"], value["units"]
    if not (isinstance(year, int) and not isinstance(year, bool) and d.year_min <= year <= d.year_max):
        raise SettingsRejected(f"报送设置中的年度应当是 {d.year_min}–{d.year_max} 的整数")
    if deadline is not None and not (isinstance(deadline, str) and _date(deadline)):
        raise SettingsRejected("报送设置中的截止日期应当写作 YYYY-MM-DD")
    if not isinstance(units, list) or len(units) > MAX_UNITS or not all(
            isinstance(u, str) and u.strip() == u and 0 < len(u) <= MAX_NAME for u in units):
        raise SettingsRejected(f"报送设置中的单位名单有误（最多 {MAX_UNITS} 个单位，每个最多 {MAX_NAME} 个字，"
                               "不能有空白名称）")
    if len(set(units)) != len(units):
        raise SettingsRejected("报送设置中的单位名单有重复的单位")
    if not isinstance(value["issued_at"], str) or len(value["issued_at"]) > 40:
        raise SettingsRejected("报送设置中的签发时间格式不对")
    try:
        key, signature = unb64(value["committee_key"], 64), unb64(value["signature"], 64)
    except CryptoRefused:
        raise SettingsRejected("报送设置中的密钥或签名格式不对") from None
    if value["fingerprint"] != fingerprint("committee", key):
        raise SettingsRejected("报送设置中写的指纹与其中的密钥不符：文件被改动过")
    if not verify(key, signature, _payload(value)):
        raise SettingsRejected("报送设置文件的签名无效：文件在校纪委签发后被改动过")
    return SettingsFile(value["suite"], key, value["fingerprint"], year, deadline, units, value["issued_at"])


def _date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10


def read_settings_file(path: Path) -> SettingsFile:
    data = read_regular_file_as(path, MAX_BYTES, SettingsRejected, "不是报送设置文件")
    return read_settings(data)
