"""Keys for tests: a committee database with its key, and a unit that trusts it (as if it
had imported the committee's 报送设置)."""

from pathlib import Path

from lianzheng_desktop.operations import keys
from lianzheng_desktop.store import FormStore
from lianzheng_desktop.store.keys import trust_committee


def committee_key_in(path: Path):
    """The committee's key, created in the database at ``path`` (made if missing)."""
    store = FormStore.open(path)
    try:
        return keys.committee_key(store) or (keys.create_committee_key(store) and keys.committee_key(store))
    finally:
        store.close()


def trust(store: FormStore, committee) -> None:
    """The unit database trusts the committee key (what importing 报送设置 does)."""
    trust_committee(store, committee.fingerprint, committee.suite, committee.public)


def unit_trusting(path: Path, committee) -> None:
    store = FormStore.open(path)
    try:
        trust(store, committee)
    finally:
        store.close()
