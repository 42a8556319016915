"""The durable store: SQLite by default, PostgreSQL by URL (see ``database``)."""

from wildwatch.store.database import Database, StoreError, migrate
from wildwatch.store.records import ActionSource, Role, User
from wildwatch.store.store import EVENTS, REVIEW_DECISIONS, Incoming, NotFound, Store, StoreConflict

__all__ = ["EVENTS", "REVIEW_DECISIONS", "ActionSource", "Database", "Incoming", "NotFound",
           "Role", "Store", "StoreConflict", "StoreError", "User", "migrate"]
