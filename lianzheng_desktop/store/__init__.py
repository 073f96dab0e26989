"""The local SQLite database (through sqlite-utils): forms, their revisions, packages,
backups, the writer lock, and the one way to open it for work (``open_session``)."""

from lianzheng_desktop.store.errors import StoreError
from lianzheng_desktop.store.forms import FormStore, FormSummary, Revision, SaveResult
from lianzheng_desktop.store.session import Session, open_session

__all__ = ["FormStore", "FormSummary", "Revision", "SaveResult", "Session", "StoreError", "open_session"]
