"""What the committee's 报送情况 shows of a package's content — forms, points with text,
and the content rules it breaks — kept per package (migration 16), so that opening the
workbench does not decode every form of every unit again.

A package's forms never change once imported, so its figures are keyed by the package
digest and by the program version that checked it (a newer program may check more).
"""

from __future__ import annotations

import json

from lianzheng_desktop import __version__
from lianzheng_desktop.domain.problems import Problem
from lianzheng_desktop.store.forms import FormStore


def current_digests(store: FormStore, year: int) -> dict[str, str]:
    """Unit → the digest of its current package of the year."""
    rows = store.db.execute("SELECT unit, digest FROM packages WHERE year = ? AND withdrawn_at IS NULL "
                            "AND superseded_at IS NULL", [year])
    return dict(rows.fetchall())


def cached(store: FormStore, digests: list[str]) -> dict[str, tuple[int, int, list[Problem]]]:
    """Digest → (forms, points, problems) as checked by this program version."""
    found: dict[str, tuple[int, int, list[Problem]]] = {}
    for start in range(0, len(digests), 500):
        part = digests[start:start + 500]
        marks = ",".join("?" * len(part))
        for digest, forms, points, problems in store.db.execute(
                f"SELECT digest, forms, points, problems FROM package_checks WHERE version = ? AND digest IN ({marks})",
                [__version__, *part]):
            found[digest] = (forms, points, [Problem(p[0], p[1], tuple(p[2]), p[3]) for p in json.loads(problems)])
    return found


def save(store: FormStore, checks: dict[str, tuple[int, int, list[Problem]]]) -> None:
    """Keep these figures (nothing when the database is read-only: they are computed again)."""
    if store.read_only or not checks:
        return
    with store.writing():
        store.db.table("package_checks").upsert_all(
            ({"digest": digest, "version": __version__, "forms": forms, "points": points,
              "problems": json.dumps([[p.severity, p.message, list(p.path), p.form_id] for p in problems],
                                     ensure_ascii=False)}
             for digest, (forms, points, problems) in checks.items()), pk="digest")


def unit_heads(store: FormStore) -> dict[str, str]:
    """Unit → the 主要负责人 (``head``, a field of the unit's own form) on its latest form
    of any year that has one (read in SQL: the whole forms are not decoded)."""
    rows = store.db.execute("SELECT unit, json_extract(data, '$.head') FROM forms WHERE deleted_at IS NULL "
                            "AND json_extract(data, '$.head') IS NOT NULL ORDER BY year, seq")
    return {unit: str(head).strip() for unit, head in rows.fetchall() if head and str(head).strip()}
