"""The official tables as PDF (reportlab; no Qt)."""

from lianzheng_desktop.render.document import render_blank, render_form, render_forms

__all__ = ["render_blank", "render_form", "render_forms"]
