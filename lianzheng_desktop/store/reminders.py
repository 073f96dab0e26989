"""The committee's deadline figures and its log of reminders (催报, migration 14).

When a unit reported is when the committee received — imported — its first package of
the year: the sender's clock (``exported_at``) is never used to judge lateness.
"""

from __future__ import annotations

from dataclasses import dataclass

from lianzheng_desktop.store.forms import FormStore, now


def first_received(store: FormStore, year: int) -> dict[str, str]:
    """Unit → when the committee imported its first package of the year (superseded and
    withdrawn ones count: they were received)."""
    rows = store.db.execute("SELECT unit, min(imported_at) FROM packages WHERE year = ? GROUP BY unit", [year])
    return dict(rows.fetchall())


@dataclass(frozen=True)
class Reminder:
    id: int
    year: int
    sent_at: str
    how: str  # copied / text / excel (words in forms/reporting.toml [reminder.how])
    deadline: str | None
    target: str | None  # the file written, if any
    text: str
    units: list[tuple[str, str]]  # (unit, situation)


def record_reminder(store: FormStore, year: int, how: str, deadline: str | None, text: str,
                    units: list[tuple[str, str]], target: str | None = None) -> int:
    """Log a reminder sent; returns its id."""
    with store.writing():
        table = store.db.table("reminders")
        table.insert({"year": year, "sent_at": now(), "how": how, "deadline": deadline, "target": target,
                      "text": text})
        rid = table.last_pk
        assert rid is not None
        store.db.table("reminder_units").insert_all(
            {"reminder_id": rid, "unit": unit, "situation": situation} for unit, situation in units)
    return int(rid)


def reminders(store: FormStore, year: int) -> list[Reminder]:
    """The year's reminders, newest first."""
    units: dict[int, list[tuple[str, str]]] = {}
    for rid, unit, situation in store.db.execute(
            "SELECT u.reminder_id, u.unit, u.situation FROM reminder_units u JOIN reminders r ON r.id = u.reminder_id "
            "WHERE r.year = ? ORDER BY u.rowid", [year]):
        units.setdefault(rid, []).append((unit, situation))
    rows = store.db.execute("SELECT id, year, sent_at, how, deadline, target, text FROM reminders WHERE year = ? "
                            "ORDER BY sent_at DESC, id DESC", [year])
    return [Reminder(rid, year_, sent_at, how, deadline, target, text, units.get(rid, []))
            for rid, year_, sent_at, how, deadline, target, text in rows.fetchall()]


def reminded(store: FormStore, year: int) -> dict[str, tuple[int, str]]:
    """Unit → (times reminded this year, when last)."""
    rows = store.db.execute("SELECT u.unit, count(*), max(r.sent_at) FROM reminder_units u "
                            "JOIN reminders r ON r.id = u.reminder_id WHERE r.year = ? GROUP BY u.unit", [year])
    return {unit: (count, last) for unit, count, last in rows.fetchall()}


def unit_contacts(store: FormStore, year: int) -> dict[str, str]:
    """Unit → its contact as the year's unit list gives it (migration 17)."""
    rows = store.db.execute("SELECT unit, contact FROM unit_contacts WHERE year = ?", [year])
    return dict(rows.fetchall())


def set_unit_contacts(store: FormStore, year: int, contacts: dict[str, str]) -> None:
    """The year's contacts, replacing those of the list before."""
    with store.writing():
        store.db.execute("DELETE FROM unit_contacts WHERE year = ?", [year])
        store.db.table("unit_contacts").insert_all(
            {"year": year, "unit": unit, "contact": contact} for unit, contact in contacts.items() if contact.strip())
