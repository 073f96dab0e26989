"""Printing a year's forms: one bound volume (汇编) with a cover, 目录 and bookmarks, or
each form's pages one after another."""

from __future__ import annotations

from dataclasses import dataclass

from lianzheng_desktop.domain.model import Form
from lianzheng_desktop.domain.naming import MESSAGE, form_name
from lianzheng_desktop.operations.progress import Progress, step
from lianzheng_desktop.store import FormStore
from lianzheng_desktop.store.packages import expected_units


@dataclass(frozen=True)
class PrintChoice:
    book: bool = True  # a bound volume: cover, 目录, bookmarks, its own page numbers
    duplex: bool = False  # each form starts on an odd page (a blank back where needed)


def year_forms(store: FormStore, year: int, unit: str | None = None) -> list[Form]:
    return store.forms(year=year, unit=unit)


def render_each(forms: list[Form], progress: Progress | None = None) -> list[bytes]:
    """Each form as its own PDF (each starts on a new sheet, as in one document), so the
    work can say which form it is at and stop between forms."""
    from lianzheng_desktop.render import render_form

    pdfs = []
    for i, form in enumerate(forms):
        step(progress, i, len(forms), f"正在排版 {form_name(form, MESSAGE)}")
        pdfs.append(render_form(form))
    step(progress, len(forms), len(forms))
    return pdfs


def render_volume(forms: list[Form], choice: PrintChoice, progress: Progress | None = None,
                  one_file: bool = False, unit_order: list[str] | None = None) -> list[bytes]:
    """What to print for the choice: the volume (one PDF), or the forms one by one (as one
    PDF when ``one_file``, for saving)."""
    if not choice.book and one_file:
        from lianzheng_desktop.render import render_forms

        step(progress, 0, 1, f"正在排版 {len(forms)} 张表格")
        return [render_forms(forms)]
    if not choice.book:
        return render_each(forms, progress)
    from lianzheng_desktop.render import render_book

    def report(done: int, total: int, what: str) -> None:
        step(progress, done, total, what)

    book = render_book(forms, duplex=choice.duplex, unit_order=unit_order, progress=report)
    step(progress, len(forms), len(forms))
    return [book]


def committee_volume(store: FormStore, year: int, unit: str | None, choice: PrintChoice,
                     progress: Progress | None = None, one_file: bool = False) -> list[bytes]:
    """One unit's forms, or every unit's in the order of the year's unit list."""
    forms = year_forms(store, year, unit)
    return render_volume(forms, choice, progress, one_file, unit_order=expected_units(store, year))
