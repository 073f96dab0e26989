"""The bound volume (汇编): a unit's forms of a year — or every unit's, for the committee —
in one PDF with a cover, a table of contents (目录) and a bookmark for each form.

The forms inside are the very pages ``render_forms`` prints (same layout, same 校验码);
the volume's own page numbers go in a running head at the top, apart from each form's
“第 n 页 共 m 页” at the foot. For double-sided printing each form starts on an odd page.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from reportlab.lib.units import mm

from lianzheng_desktop.domain.definitions import definitions
from lianzheng_desktop.domain.model import Form
from lianzheng_desktop.domain.naming import BOOK, form_name
from lianzheng_desktop.domain.verification import verification_code
from lianzheng_desktop.render.document import draw_form_page, new_canvas
from lianzheng_desktop.render.fonts import register_fonts
from lianzheng_desktop.render.formpdf import FormLayout, layout_form
from lianzheng_desktop.render.layout import layout
from lianzheng_desktop.render.typeset import draw_line, first_baseline, width_of


@dataclass
class _Entry:
    level: int  # 0: a unit (all-units volume), else a form
    text: str
    page: int = 0  # the volume's page number where it starts
    key: str = ""  # bookmark name


def _ordered(forms: list[Form], unit_order: Sequence[str] | None) -> list[tuple[str, list[Form]]]:
    """Forms grouped by unit: the units in ``unit_order`` first and in its order, the
    others after them as they first appear; within a unit the unit form first."""
    units: dict[str, list[Form]] = {}
    for form in forms:
        units.setdefault(form.unit, []).append(form)
    rank = {name: i for i, name in enumerate(unit_order or [])}
    names = sorted(units, key=lambda n: (rank.get(n, len(rank)), list(units).index(n)))
    order = {k: i for i, k in enumerate(definitions().kind_keys)}
    return [(n, sorted(units[n], key=lambda f: (f.year, order.get(f.kind, 99)))) for n in names]


def _common() -> dict:
    return definitions().tables["common"]


def _entry_text(form: Form) -> str:
    return form_name(form, BOOK)


def _years(forms: list[Form]) -> str:
    years = sorted({f.year for f in forms})
    return "、".join(str(y) for y in years)


class _Book:
    def __init__(self, forms: list[Form], duplex: bool, unit_order: Sequence[str] | None, progress=None):
        self.duplex = duplex
        self.groups = _ordered(forms, unit_order)
        self.forms = [f for _, group in self.groups for f in group]
        self.laid: list[FormLayout] = []
        for i, form in enumerate(self.forms):  # laying out is the slow part: tell how far it is
            if progress is not None:
                progress(i, len(self.forms), f"正在排版 {_entry_text(form)}")
            self.laid.append(layout_form(form))
        self.all_units = len(self.groups) > 1
        lay = layout()
        c = _common()
        unit_part = (c["book_all_units"].format(count=len(self.groups)) if self.all_units
                     else self.groups[0][0])
        self.title = f"{unit_part} {c['book_year'].format(year=_years(self.forms))}{c['book_title']}"
        self.entries: list[_Entry] = []
        per_form: list[_Entry] = []
        for unit, group in self.groups:
            if self.all_units:
                self.entries.append(_Entry(0, unit))
            for form in group:
                entry = _Entry(1, _entry_text(form))
                self.entries.append(entry)
                per_form.append(entry)
        style = lay.styles["contents_entry"]
        first = lay.frame_height - lay.styles["contents_title"].leading - 4 * mm
        per_page = int(first // style.leading)
        self.contents_pages = max(1, -(-len(self.entries) // per_page))
        self.per_page = per_page
        # the volume's pages: cover, (blank), contents, then each form on a new (odd) page
        page = 1 + (2 if duplex else 1)
        self.contents_start = page
        page += self.contents_pages
        self.starts: list[int] = []
        for entry, laid in zip(per_form, self.laid):
            if duplex and page % 2 == 0:
                page += 1
            self.starts.append(page)
            entry.page = page
            page += len(laid.pages)
        self.total = page - 1
        for entry in self.entries:
            if entry.level == 0:
                entry.page = next(e.page for e in self.entries[self.entries.index(entry) + 1:] if e.level)
        for i, entry in enumerate(self.entries):
            entry.key = f"lz{i}"

    # -- drawing ---------------------------------------------------------------

    def render(self) -> bytes:
        register_fonts()
        buffer = io.BytesIO()
        canv = new_canvas(buffer, self.title)
        self.page = 0
        self._cover(canv)
        if self.duplex:
            self._blank(canv)
        self._contents(canv)
        entries = iter(e for e in self.entries)
        form_index = 0
        for _unit, group in self.groups:
            if self.all_units:
                unit_entry = next(entries)  # bookmarked on the unit's first form page
            for form in group:
                laid = self.laid[form_index]
                entry = next(entries)
                while self.page + 1 < self.starts[form_index]:
                    self._blank(canv)
                code = verification_code(form)
                for number in range(1, len(laid.pages) + 1):
                    self.page += 1
                    if number == 1:
                        canv.bookmarkPage(entry.key)
                        if self.all_units and form is group[0]:
                            canv.bookmarkPage(unit_entry.key)
                    draw_form_page(canv, laid, number, code)
                    self._running_head(canv)
                    canv.showPage()
                form_index += 1
        self._outline(canv)
        canv.save()
        return buffer.getvalue()

    def _outline(self, canv) -> None:
        c = _common()
        canv.addOutlineEntry(c["book_cover"], "lz-cover", 0)
        canv.addOutlineEntry(c["book_contents"], "lz-contents", 0)
        for entry in self.entries:
            canv.addOutlineEntry(entry.text, entry.key, entry.level if self.all_units else 0)
        canv.showOutline()

    def _blank(self, canv) -> None:
        """The back of a page in double-sided printing: left empty."""
        self.page += 1
        canv.showPage()

    def _centred(self, canv, y: float, text: str, style_name: str) -> None:
        lay = layout()
        style = lay.styles[style_name]
        w = width_of(style)(text) - style.letter_spacing
        draw_line(canv, (lay.page_width - w) / 2, y, text, style)

    def _cover(self, canv) -> None:
        lay = layout()
        c = _common()
        self.page += 1
        canv.bookmarkPage("lz-cover")
        y = lay.page_height - lay.mm("book", "cover_title_top_mm")
        unit_part = (c["book_all_units"].format(count=len(self.groups)) if self.all_units
                     else self.groups[0][0])
        counts = "\u3000".join(c["book_count"].format(short_name=k.short_name, count=n)
                                for k in definitions().kinds if (n := sum(f.kind == k.key for f in self.forms)))
        self._centred(canv, y, unit_part, "book_line")
        y -= lay.styles["book_line"].leading
        self._centred(canv, y, c["book_year"].format(year=_years(self.forms)), "book_line")
        y -= lay.styles["book_title"].leading + 6 * mm
        self._centred(canv, y, c["book_title"], "book_title")
        y -= lay.styles["book_title"].leading + 20 * mm
        self._centred(canv, y, counts, "book_line")
        y -= lay.styles["book_line"].leading
        self._centred(canv, y, c["book_pages"].format(pages=self.total), "book_line")
        canv.showPage()

    def _contents(self, canv) -> None:
        lay = layout()
        c = _common()
        style = lay.styles["contents_entry"]
        measure = width_of(style)
        leader = lay.section("book")["contents_leader"]
        left, right = lay.margin_left, lay.page_width - lay.margin_right
        for index in range(self.contents_pages):
            self.page += 1
            top = lay.page_height - lay.margin_top
            if index == 0:
                canv.bookmarkPage("lz-contents")
                title = lay.styles["contents_title"]
                self._centred(canv, first_baseline(top, title), c["book_contents"], "contents_title")
                top -= title.leading + 4 * mm
            for entry in self.entries[index * self.per_page:(index + 1) * self.per_page]:
                s = lay.styles["contents_unit"] if entry.level == 0 and self.all_units else style
                indent = 2 * style.size if entry.level and self.all_units else 0
                baseline = first_baseline(top, s)
                number = str(entry.page)
                text = entry.text
                room = right - left - indent - measure(number) - 2 * style.size
                while width_of(s)(text) > room and len(text) > 1:
                    text = text[:-2] + "…"
                draw_line(canv, left + indent, baseline, text, s)
                dots_from = left + indent + width_of(s)(text) + style.size / 2
                dots_to = right - measure(number) - style.size / 2
                count = max(0, int((dots_to - dots_from) // measure(leader)))
                if count:
                    draw_line(canv, dots_to - count * measure(leader), baseline, leader * count, style)
                draw_line(canv, right - measure(number), baseline, number, style)
                canv.linkRect("", entry.key, (left, baseline - 2, right, baseline + style.size), relative=0)
                top -= s.leading
            self._running_head(canv)
            canv.showPage()

    def _running_head(self, canv) -> None:
        """The volume's page number at the outer top corner, its title on the other side."""
        lay = layout()
        style = lay.styles["running_head"]
        y = lay.page_height - lay.mm("book", "running_head_baseline_mm")
        folio = _common()["book_folio"].format(page=self.page)
        left, right = lay.margin_left, lay.page_width - lay.margin_right
        measure = width_of(style)
        if self.duplex and self.page % 2 == 0:  # a left-hand page: outer edge at the left
            draw_line(canv, left, y, folio, style)
            draw_line(canv, right - measure(self.title), y, self.title, style)
        else:
            draw_line(canv, left, y, self.title, style)
            draw_line(canv, right - measure(folio), y, folio, style)


def render_book(forms: list[Form], *, duplex: bool = False, unit_order: Sequence[str] | None = None,
                progress: Callable[[int, int, str], object] | None = None) -> bytes:
    """One PDF of ``forms`` bound as a volume: cover (unit or units, year, counts), 目录
    with page numbers, a bookmark per form (per unit, then form, when several units), the
    forms' own pages; ``duplex``: each form starts on an odd page (a blank back before it
    if needed); ``unit_order``: the order of the units (the committee's unit list)."""
    if not forms:
        raise ValueError("没有要打印的表格")
    return _Book(forms, duplex, unit_order, progress).render()
