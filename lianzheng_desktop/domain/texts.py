"""Small ways of showing stored values to a person, used wherever they are shown."""

from __future__ import annotations


def short_time(text: str | None, *, seconds: bool = False) -> str:
    """An ISO timestamp as people read it: 2026-11-20T14:32:05+08:00 → 2026-11-20 14:32."""
    if not text:
        return ""
    return text.replace("T", " ")[:19 if seconds else 16]


def shorten(text: str, limit: int = 30) -> str:
    """A long text quoted in a message: its start and an ellipsis."""
    return text if len(text) <= limit else text[:limit - 1] + "…"
