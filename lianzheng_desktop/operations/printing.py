"""Printing a year's forms: each form's pages, one form after another."""

from __future__ import annotations

from lianzheng_desktop.domain.model import Form
from lianzheng_desktop.domain.naming import MESSAGE, form_name
from lianzheng_desktop.operations.progress import Progress, step
from lianzheng_desktop.store import FormStore


def year_forms(store: FormStore, year: int) -> list[Form]:
    return store.forms(year=year)


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
