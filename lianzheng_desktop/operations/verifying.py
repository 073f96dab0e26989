"""Checking a 校验码 read from a printed page against the database."""

from __future__ import annotations

from dataclasses import dataclass, field

from lianzheng_desktop.domain.naming import MESSAGE, name_from
from lianzheng_desktop.domain.texts import short_time
from lianzheng_desktop.domain.verification import normalise_code
from lianzheng_desktop.store import FormStore, FormSummary

INVALID, CURRENT, EARLIER, UNKNOWN = "invalid", "current", "earlier", "unknown"


@dataclass
class Verdict:
    outcome: str  # INVALID / CURRENT (the paper is this data) / EARLIER (changed since) / UNKNOWN
    code: str | None
    forms: list[FormSummary] = field(default_factory=list)
    saved_at: str = ""  # EARLIER: when the signed version was saved
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.outcome == CURRENT


def _who(summary: FormSummary) -> str:
    return f"{summary.unit} {name_from(summary.kind, MESSAGE, summary)}"


def verify_code(store: FormStore, text: str) -> Verdict:
    code = normalise_code(text)
    if code is None:
        return Verdict(INVALID, None, message=f"“{text.strip()}”不是校验码：校验码是 8 位数字或字母 A–F，如 3F9A-C21E")
    current = store.find_by_code(code)
    if current:
        lines = [f"校验码 {code} 与 {s.year} 年度 {_who(s)} 一致：纸面就是这份数据" for s in current]
        return Verdict(CURRENT, code, current, message="\n".join(lines))
    earlier = store.find_revision_by_code(code)
    if earlier:
        return Verdict(EARLIER, code, saved_at=earlier[-1][2],
                       message=f"校验码 {code} 属于一张表格的旧版本（保存于 {short_time(earlier[-1][2])}）："
                               "纸面签字后数据又改过了")
    return Verdict(UNKNOWN, code, message=f"没有找到校验码为 {code} 的表格：纸面与数据不一致，或数据包还没有导入")
