"""The official tables as PDF (reportlab; no Qt)."""

from lianzheng_desktop.render.book import render_book
from lianzheng_desktop.render.document import render_blank, render_form, render_forms

__all__ = ["render_blank", "render_book", "render_form", "render_forms"]
