"""Keys and 报送设置 kept in the database they belong to (migration 7).

The store keeps bytes and fingerprints; what they mean (which algorithm, how a fingerprint
is computed) is the business of ``exchange/crypto.py``. A backup of the database, or the
database moved to another PC, keeps its keys: a unit keeps signing as itself, the committee
keeps opening packages sealed to it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from lianzheng_desktop.store.forms import FormStore, now

UNIT, COMMITTEE = "unit", "committee"


@dataclass(frozen=True)
class StoredKey:
    fingerprint: str
    role: str
    suite: str
    public: bytes
    private: bytes | None
    created_at: str


def _own(row) -> StoredKey:
    return StoredKey(row["fingerprint"], row["role"], row["suite"], bytes(row["public_key"]),
                     bytes(row["private_key"]), row["created_at"])


# -- this database's own keys ----------------------------------------------------------


def own_key(store: FormStore, role: str) -> StoredKey | None:
    """The current key pair of a role ("unit": this installation's signing key;
    "committee": the committee's key), or None."""
    rows = list(store.db.table("own_keys").rows_where("role = ? AND current = 1", [role]))
    return _own(rows[0]) if rows else None


def own_keys(store: FormStore, role: str) -> list[StoredKey]:
    """Every key pair of a role, current first: a package sealed to an older committee key
    still opens."""
    rows = store.db.table("own_keys").rows_where("role = ?", [role], order_by="current DESC, created_at DESC")
    return [_own(r) for r in rows]


def add_own_key(store: FormStore, role: str, fingerprint: str, suite: str, public: bytes, private: bytes) -> None:
    """Store a key pair (created here, or restored from a file) as the role's current one."""
    with store.writing():
        store.db.execute("UPDATE own_keys SET current = 0 WHERE role = ?", [role])
        store.db.table("own_keys").upsert(
            {"fingerprint": fingerprint, "role": role, "suite": suite, "public_key": public, "private_key": private,
             "created_at": now(), "current": 1}, pk="fingerprint")


# -- the unit's side: the committee's public key ---------------------------------------


def trusted_committee(store: FormStore) -> StoredKey | None:
    rows = list(store.db.table("committee_keys").rows_where("current = 1"))
    if not rows:
        return None
    r = rows[0]
    return StoredKey(r["fingerprint"], COMMITTEE, r["suite"], bytes(r["public_key"]), None, r["imported_at"])


def trust_committee(store: FormStore, fingerprint: str, suite: str, public: bytes) -> None:
    """The committee key packages are sealed to and receipts checked against (the earlier
    one is kept, no longer current)."""
    with store.writing():
        store.db.execute("UPDATE committee_keys SET current = 0")
        store.db.table("committee_keys").upsert(
            {"fingerprint": fingerprint, "suite": suite, "public_key": public, "imported_at": now(), "current": 1},
            pk="fingerprint")


# -- the committee's side: each unit's pinned key -------------------------------------


def pinned_key(store: FormStore, unit: str) -> StoredKey | None:
    rows = list(store.db.table("unit_keys").rows_where("unit = ? AND replaced_at IS NULL", [unit]))
    if not rows:
        return None
    r = rows[0]
    return StoredKey(r["fingerprint"], UNIT, r["suite"], bytes(r["public_key"]), None, r["pinned_at"])


def pin_key(store: FormStore, unit: str, fingerprint: str, suite: str, public: bytes, by: str) -> None:
    """Within an import's transaction: the unit's key from now on (an earlier one marked
    replaced by this package)."""
    stamp = now()
    store.db.execute("UPDATE unit_keys SET replaced_at = ?, replaced_by = ? WHERE unit = ? AND replaced_at IS NULL "
                     "AND fingerprint != ?", [stamp, by, unit, fingerprint])
    store.db.table("unit_keys").upsert(
        {"unit": unit, "fingerprint": fingerprint, "suite": suite, "public_key": public, "pinned_at": stamp,
         "pinned_by": by, "replaced_at": None, "replaced_by": None}, pk=("unit", "fingerprint"))


def unpin_key(store: FormStore, unit: str, by: str) -> None:
    """Within a transaction: undo what the package ``by`` did to the unit's pinned key."""
    store.db.execute("DELETE FROM unit_keys WHERE unit = ? AND pinned_by = ?", [unit, by])
    store.db.execute("UPDATE unit_keys SET replaced_at = NULL, replaced_by = NULL WHERE unit = ? AND replaced_by = ?",
                     [unit, by])


# -- 报送设置 ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportingSettings:
    year: int
    deadline: str | None  # ISO date: packages exported after it are late (issue 16)
    units: list[str]
    committee_fingerprint: str | None
    issued_at: str | None
    imported_at: str | None  # None: the committee's own settings


def reporting_settings(store: FormStore, year: int) -> ReportingSettings | None:
    rows = list(store.db.table("reporting_settings").rows_where("year = ?", [year]))
    if not rows:
        return None
    r = rows[0]
    return ReportingSettings(r["year"], r["deadline"], json.loads(r["units"]), r["committee_fingerprint"],
                             r["issued_at"], r["imported_at"])


def deadline(store: FormStore, year: int) -> str | None:
    """The year's reporting deadline (ISO date), if the committee set one."""
    settings = reporting_settings(store, year)
    return settings.deadline if settings else None


def save_reporting_settings(store: FormStore, settings: ReportingSettings) -> None:
    with store.writing():
        store.db.table("reporting_settings").upsert(
            {"year": settings.year, "deadline": settings.deadline,
             "units": json.dumps(settings.units, ensure_ascii=False),
             "committee_fingerprint": settings.committee_fingerprint, "issued_at": settings.issued_at,
             "imported_at": settings.imported_at}, pk="year")
