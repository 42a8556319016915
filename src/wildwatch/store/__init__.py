"""The durable store: SQLite by default, PostgreSQL by URL (see ``database``).

Names are imported on first use: SQLAlchemy and Alembic take half a second to import, and
commands that never open a store (``wildwatch scan``) should not pay for them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from wildwatch.store.database import Database, StoreError, migrate
    from wildwatch.store.records import ActionSource, Role, User
    from wildwatch.store.store import (
        EVENTS,
        REVIEW_DECISIONS,
        Incoming,
        NotFound,
        Store,
        StoreConflict,
    )

_HOMES = {
    "Database": "database", "StoreError": "database", "migrate": "database",
    "ActionSource": "records", "Role": "records", "User": "records",
    "EVENTS": "store", "REVIEW_DECISIONS": "store", "Incoming": "store", "NotFound": "store",
    "Store": "store", "StoreConflict": "store",
}

__all__ = ["EVENTS", "REVIEW_DECISIONS", "ActionSource", "Database", "Incoming", "NotFound",
           "Role", "Store", "StoreConflict", "StoreError", "User", "migrate"]


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"wildwatch.store.{_HOMES[name]}"), name)
