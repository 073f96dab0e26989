"""Keys a clerk manages: the committee's key (create, save under a passphrase, restore) and
a unit installation's signing key (made on its first export); what each database holds."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lianzheng_desktop.domain.texts import short_time
from lianzheng_desktop.exchange.crypto import KeyPair, key_from_private, new_committee_key, new_unit_key
from lianzheng_desktop.exchange.formfile import write_bytes_atomic
from lianzheng_desktop.exchange.keyfile import dumps_key, read_key_file
from lianzheng_desktop.store import FormStore
from lianzheng_desktop.store.keys import COMMITTEE, UNIT, StoredKey, add_own_key, own_key, own_keys, trusted_committee

LOSS_WARNING = ("这把密钥只保存在这个数据库（及其自动备份）里。丢失它，就再也无法打开任何加密给它的数据包。"
                "请立即用“保存密钥备份”把它存成口令保护的文件，放在这台电脑以外的安全地方（如保险柜里的 U 盘），"
                "口令另行妥善保管。")


class KeyRefused(Exception):
    """A key action that can't be done as asked; the message says why, in Chinese."""


def _pair(stored: StoredKey) -> KeyPair:
    assert stored.private is not None
    pair = key_from_private(stored.role, stored.private)
    return KeyPair(pair.role, pair.private, pair.public, stored.suite)


def committee_key(store: FormStore) -> KeyPair | None:
    stored = own_key(store, COMMITTEE)
    return _pair(stored) if stored else None


def committee_keys(store: FormStore) -> list[KeyPair]:
    """Every committee key this database holds, current first (a package sealed to an
    earlier one still opens)."""
    return [_pair(k) for k in own_keys(store, COMMITTEE)]


@dataclass
class KeyCreated:
    fingerprint: str
    role: str

    @property
    def message(self) -> str:
        if self.role == UNIT:
            return (f"已为本机生成签名密钥，指纹 {self.fingerprint}。校纪委第一次收到本单位的数据包时会记下这个指纹；"
                    "换电脑时请连同数据库一起搬走（数据库里带着密钥），否则校纪委会看到密钥变了")
        return f"已生成校纪委密钥，指纹 {self.fingerprint}。\n\n{LOSS_WARNING}"


def unit_key(store: FormStore) -> tuple[KeyPair, KeyCreated | None]:
    """This installation's signing key, made the first time it is needed."""
    stored = own_key(store, UNIT)
    if stored is not None:
        return _pair(stored), None
    pair = new_unit_key()
    add_own_key(store, UNIT, pair.fingerprint, pair.suite, pair.public, pair.private)
    return pair, KeyCreated(pair.fingerprint, UNIT)


def create_committee_key(store: FormStore) -> KeyCreated:
    existing = own_key(store, COMMITTEE)
    if existing is not None:
        raise KeyRefused(f"这个数据库已经有校纪委密钥（指纹 {existing.fingerprint}）。再生成一把，各单位手里的报送设置"
                         "就都对不上了；如果确实要换，请先保存好现有密钥的备份，再联系技术人员")
    pair = new_committee_key()
    add_own_key(store, COMMITTEE, pair.fingerprint, pair.suite, pair.public, pair.private)
    return KeyCreated(pair.fingerprint, COMMITTEE)


def save_committee_key(store: FormStore, path: Path, passphrase: str) -> Path:
    """The current committee key, under a passphrase, written whole or not at all."""
    key = committee_key(store)
    if key is None:
        raise KeyRefused("这个数据库还没有校纪委密钥，没有可以备份的")
    write_bytes_atomic(Path(path), dumps_key(key, passphrase))
    return Path(path)


@dataclass
class KeyRestored:
    fingerprint: str
    already: bool
    others: list[str]

    @property
    def message(self) -> str:
        if self.already:
            return f"这个数据库里已经有这把校纪委密钥（指纹 {self.fingerprint}），它是当前使用的密钥"
        text = f"已恢复校纪委密钥，指纹 {self.fingerprint}，现在是当前使用的密钥"
        if self.others:
            text += ("；数据库里原有的密钥（指纹 " + "、".join(self.others) +
                     "）保留着，加密给它的数据包仍能打开")
        return text


def restore_committee_key(store: FormStore, path: Path, passphrase: str) -> KeyRestored:
    """Raises KeyFileRejected (wrong passphrase, damaged file) or a StoreError."""
    key = read_key_file(Path(path), passphrase)
    current = own_key(store, COMMITTEE)
    already = current is not None and current.fingerprint == key.fingerprint
    if not already:
        add_own_key(store, COMMITTEE, key.fingerprint, key.suite, key.public, key.private)
    others = [k.fingerprint for k in own_keys(store, COMMITTEE) if k.fingerprint != key.fingerprint]
    return KeyRestored(key.fingerprint, already, others)


@dataclass
class KeyState:
    """What a database holds, in lines for a dialog or the command line."""

    unit: str | None  # this installation's signing key fingerprint
    committee: str | None  # the committee key this database owns (the committee's database)
    trusted: str | None  # the committee key a unit imported with its 报送设置
    trusted_since: str | None

    @property
    def lines(self) -> list[str]:
        lines = []
        if self.committee:
            lines.append(f"校纪委密钥（本数据库持有）：指纹 {self.committee}")
        if self.trusted:
            lines.append(f"校纪委公钥（来自报送设置，{short_time(self.trusted_since)} 导入）：指纹 {self.trusted}")
        if self.unit:
            lines.append(f"本机签名密钥：指纹 {self.unit}")
        return lines or ["这个数据库还没有任何密钥"]


def key_state(store: FormStore) -> KeyState:
    unit, committee, trusted = own_key(store, UNIT), own_key(store, COMMITTEE), trusted_committee(store)
    return KeyState(unit.fingerprint if unit else None, committee.fingerprint if committee else None,
                    trusted.fingerprint if trusted else None, trusted.created_at if trusted else None)
