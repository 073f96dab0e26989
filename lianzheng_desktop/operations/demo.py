"""Writing the fictional example unit (``lianzheng demo``): checked like any other form."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lianzheng_desktop.domain.definitions import definitions
from lianzheng_desktop.domain.demo import demo_forms
from lianzheng_desktop.domain.validation import validate
from lianzheng_desktop.store import FormStore

MAX_POSTS = 200


class DemoRefused(ValueError):
    """The example can't be written as asked; the message says why, in Chinese."""


@dataclass
class DemoWritten:
    path: Path
    unit: str
    year: int
    forms: int

    @property
    def message(self) -> str:
        return (f"已在 {self.path} 中写入虚构的示例单位“{self.unit}”{self.year} 年度的 {self.forms} 张表格"
                f"（1 张单位登记表、{self.forms - 1} 张岗位登记表）")


def write_demo(store: FormStore, unit: str, year: int, posts: int) -> DemoWritten:
    """The example unit's forms, refused as a whole when any would be invalid."""
    d = definitions()
    unit = unit.strip()
    if not unit:
        raise DemoRefused(f"示例单位的{d.field('unit').label}不能为空")
    if not 0 <= posts <= MAX_POSTS:
        raise DemoRefused(f"岗位登记表的张数应在 0 到 {MAX_POSTS} 之间，不是 {posts}")
    forms = demo_forms(unit, year, posts=posts)
    errors = [p.message for form in forms for p in validate(form) if p.is_error]
    if errors:
        raise DemoRefused("示例表格不符合格式，没有写入：" + "；".join(errors[:3]))
    store.save_all(forms, note="示例数据")
    return DemoWritten(store.path, unit, year, len(forms))
