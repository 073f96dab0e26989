"""The 报送设置 of a year: the committee sets the deadline and gives out the settings file
(its key, the year, the deadline, the units); a unit imports it once."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from lianzheng_desktop.exchange.formfile import write_bytes_atomic
from lianzheng_desktop.exchange.settingsfile import SettingsFile, dumps_settings, read_settings_file
from lianzheng_desktop.operations.keys import KeyRefused, committee_key
from lianzheng_desktop.store import FormStore, StoreError
from lianzheng_desktop.store.forms import now
from lianzheng_desktop.store.keys import (
    ReportingSettings,
    reporting_settings,
    save_reporting_settings,
    trust_committee,
    trusted_committee,
)
from lianzheng_desktop.store.packages import expected_units


def deadline(store: FormStore, year: int) -> str | None:
    """The year's reporting deadline (ISO date) or None."""
    settings = reporting_settings(store, year)
    return settings.deadline if settings else None


def set_deadline(store: FormStore, year: int, day: str | None) -> None:
    """The committee's deadline for a year (``None`` clears it)."""
    if day is not None:
        try:
            dt.date.fromisoformat(day)
        except ValueError:
            raise StoreError(f"截止日期“{day[:20]}”无效，应写作 YYYY-MM-DD") from None
    old = reporting_settings(store, year)
    save_reporting_settings(store, ReportingSettings(year, day, old.units if old else [],
                                                     old.committee_fingerprint if old else None,
                                                     old.issued_at if old else None, None))


@dataclass
class SettingsExported:
    path: Path
    fingerprint: str
    year: int
    deadline: str | None
    units: int

    @property
    def message(self) -> str:
        due = f"截止日期 {self.deadline}" if self.deadline else "没有设截止日期"
        return (f"已生成 {self.year} 年度报送设置 {self.path}（{due}，名单 {self.units} 个单位）。"
                f"校纪委密钥指纹：{self.fingerprint}——请把这个指纹告诉各单位（如在通知中写明），"
                "单位导入时核对")


def export_settings(store: FormStore, year: int, path: Path, *, day: str | None = None) -> SettingsExported:
    """The settings file for the units: the committee's key, the year's deadline (``day``
    overrides and is kept) and its list of units."""
    key = committee_key(store)
    if key is None:
        raise KeyRefused("这个数据库还没有校纪委密钥：请先生成校纪委密钥（并保存备份），再生成报送设置")
    if day is not None:
        set_deadline(store, year, day)
    units = expected_units(store, year)
    due = deadline(store, year)
    write_bytes_atomic(Path(path), dumps_settings(key, year, due, units))
    return SettingsExported(Path(path), key.fingerprint, year, due, len(units))


@dataclass
class SettingsPlan:
    """A settings file read and checked, and whether its key differs from the trusted one."""

    settings: SettingsFile
    previous: str | None  # the committee key fingerprint trusted until now

    @property
    def key_changed(self) -> bool:
        return self.previous is not None and self.previous != self.settings.fingerprint

    def question(self) -> str:
        return (f"报送设置中的校纪委密钥与本机以前导入的不同：\n\n以前：{self.previous}\n"
                f"现在：{self.settings.fingerprint}\n\n"
                "校纪委一般不会换密钥。请先打电话与校纪委核对新指纹；如果不是校纪委发的文件，接受它会把"
                "数据包加密给别人。确认是校纪委换了密钥，才接受。")


def plan_settings(store: FormStore, path: Path) -> SettingsPlan:
    """Raises SettingsRejected with the reason."""
    trusted = trusted_committee(store)
    return SettingsPlan(read_settings_file(Path(path)), trusted.fingerprint if trusted else None)


@dataclass
class SettingsImported:
    settings: SettingsFile
    first: bool

    @property
    def message(self) -> str:
        s = self.settings
        due = f"截止日期 {s.deadline}" if s.deadline else "没有设截止日期"
        check = "请与校纪委核对：电话确认，或对照校纪委的通知" if self.first else "与以前导入的一致"
        return (f"已导入 {s.year} 年度报送设置：{due}，名单 {len(s.units)} 个单位。"
                f"校纪委密钥指纹：{s.fingerprint}（{check}）。以后导出的数据包都加密给这把密钥，只有校纪委能打开")


def import_settings(store: FormStore, plan: SettingsPlan, *, accept_new_key: bool = False) -> SettingsImported:
    s = plan.settings
    if plan.key_changed and not accept_new_key:
        raise KeyRefused(plan.question() + "\n\n没有导入。")
    if plan.previous != s.fingerprint:
        trust_committee(store, s.fingerprint, s.suite, s.committee_key)
    save_reporting_settings(store, ReportingSettings(s.year, s.deadline, s.units, s.fingerprint, s.issued_at, now()))
    return SettingsImported(s, plan.previous is None)
