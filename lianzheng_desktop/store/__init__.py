"""The local SQLite database (through sqlite-utils): forms, their revisions, search."""

from lianzheng_desktop.store.database import StoreError, open_database
from lianzheng_desktop.store.forms import FormStore, FormSummary, Revision, SaveResult

__all__ = ["FormStore", "FormSummary", "Revision", "SaveResult", "StoreError", "open_database"]
