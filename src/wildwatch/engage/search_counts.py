"""Counting search checks for trends: which terms are searched, where and when; never by whom.

Every check adds one to an in-memory count per (hour, platform, locale, normalised query,
action), with the species and term that decided. A background :class:`CountFlusher` adds the
counts to the ``search_counts`` table every few seconds and at shutdown (an upsert that adds,
on SQLite and PostgreSQL alike), so a search never waits for the database. Queries that name no
listed term are counted together under the empty query: the table stays small and people's
other searches (names, addresses) are never stored. In stored queries, e-mail addresses,
handles and long numbers are replaced by "…".

:func:`search_trends` reads the table back, grouped by query, term, species, platform, locale,
action, hour or day.
"""

from __future__ import annotations

import enum
import logging
import re
import threading
import time
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import msgspec
from sqlalchemy import case, func, select
from sqlalchemy.dialects import postgresql, sqlite

from wildwatch.store.schema import search_counts

if TYPE_CHECKING:
    from wildwatch.engage.search import SearchResult
    from wildwatch.store import Database

log = logging.getLogger(__name__)

#: How often the server adds the counts to the store.
FLUSH_SECONDS = 5.0
#: Distinct keys held before new ones are counted under the empty query until the next flush.
MAX_PENDING = 200_000
_TAG = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8}){0,2}$")
_MAX_TAGS = 4096
# Column widths of search_counts.
_QUERY, _TERM, _SPECIES, _PLATFORM, _LOCALE = 256, 128, 64, 64, 16

_Key = tuple[int, str, str, str, str]  # hour, platform, locale, query, action


def hour_of(now: float | None = None) -> int:
    """Hours since the epoch: the time bucket a count falls in."""
    return int(now if now is not None else time.time()) // 3600


class SearchCounter:
    """Counts checks in memory until :meth:`drain`. Thread-safe; an add is a dict update."""

    def __init__(self, max_pending: int = MAX_PENDING) -> None:
        self.max_pending = max_pending
        self._lock = threading.Lock()
        self._counts: dict[_Key, int] = {}
        self._labels: dict[_Key, tuple[str | None, str | None]] = {}
        self._tags: dict[tuple[str | None, str], str] = {}

    def add(self, platform: str | None, locale: str | None, result: SearchResult,
            query: str, checks: int = 1, *, now: float | None = None) -> None:
        """Count ``checks`` checks of ``result``; ``query`` is the normalised query to store
        ("" for a query that named no listed term)."""
        tag = self._tags.get((locale, result.locale))
        if tag is None:
            tag = self._tag(locale, result.locale)
        key = (hour_of(now), (platform or "")[:_PLATFORM], tag, query, result.action.value)
        with self._lock:
            seen = self._counts.get(key)
            if seen is not None:
                self._counts[key] = seen + checks
                return
            if len(self._counts) >= self.max_pending and query:
                key = (key[0], key[1], key[2], "", key[4])
                self._counts[key] = self._counts.get(key, 0) + checks
                self._labels.setdefault(key, (None, None))
                return
            self._counts[key] = checks
            self._labels[key] = ((result.group or "")[:_SPECIES] or None,
                                 (result.term or "")[:_TERM] or None) if query else (None, None)

    def _tag(self, requested: str | None, resolved: str) -> str:
        """The locale to count: the tag asked for, tidied ("pt-BR"), when it looks like one;
        else the locale the message fell back to."""
        tag = resolved
        if requested and len(requested) <= _LOCALE and _TAG.match(requested):
            parts = requested.replace("_", "-").split("-")
            tag = "-".join([parts[0].lower()] + [p.title() if len(p) == 4 else
                                                 p.upper() if len(p) == 2 else p.lower()
                                                 for p in parts[1:]])
        if len(self._tags) < _MAX_TAGS:
            self._tags[(requested, resolved)] = tag
        return tag

    def pending(self) -> int:
        """Checks counted and not yet drained."""
        with self._lock:
            return sum(self._counts.values())

    def drain(self) -> list[dict[str, Any]]:
        """Take every count (rows for ``search_counts``, in key order); the counter is empty
        after."""
        with self._lock:
            counts, self._counts = self._counts, {}
            labels, self._labels = self._labels, {}
        return [{"hour": _hour_datetime(key[0]), "platform": key[1], "locale": key[2],
                 "query": key[3], "action": key[4], "species": labels[key][0],
                 "term": labels[key][1], "checks": checks}
                for key, checks in sorted(counts.items())]

    def restore(self, rows: list[dict[str, Any]]) -> None:
        """Put drained rows back (a flush that failed), added to anything counted since."""
        with self._lock:
            for row in rows:
                hour = int(row["hour"].replace(tzinfo=UTC).timestamp()) // 3600
                key = (hour, row["platform"], row["locale"], row["query"], row["action"])
                self._counts[key] = self._counts.get(key, 0) + row["checks"]
                self._labels.setdefault(key, (row["species"], row["term"]))


def add_counts(database: Database, rows: list[dict[str, Any]]) -> None:
    """Add drained counts to ``search_counts`` in one transaction: insert, or add to the row
    already there. Rows come sorted by key, so concurrent writers lock in the same order."""
    if not rows:
        return
    dialect = postgresql if database.dialect == "postgresql" else sqlite
    statement = dialect.insert(search_counts)
    statement = statement.on_conflict_do_update(
        index_elements=["hour", "platform", "locale", "query", "action"],
        set_={"checks": search_counts.c.checks + statement.excluded.checks,
              "species": statement.excluded.species, "term": statement.excluded.term})
    with database.write() as conn:
        conn.execute(statement, rows)


class CountFlusher:
    """Adds a counter's counts to the store every ``interval`` seconds, in a thread, and once
    more at :meth:`close`. A failed write keeps the counts for the next try."""

    def __init__(self, counter: SearchCounter, database: Database,
                 interval: float = FLUSH_SECONDS) -> None:
        self.counter = counter
        self.database = database
        self.interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._flush_lock = threading.Lock()

    def start(self) -> CountFlusher:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="search-counts", daemon=True)
            self._thread.start()
        return self

    def flush(self) -> int:
        """Write what is pending now; returns the number of rows written."""
        with self._flush_lock:
            rows = self.counter.drain()
            try:
                add_counts(self.database, rows)
            except Exception:
                self.counter.restore(rows)
                raise
            return len(rows)

    def close(self) -> None:
        """Stop the thread and write what is left."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
            self._thread = None
        self.flush()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.flush()
            except Exception:  # the store is down: keep counting, try again next time
                log.exception("could not write search counts; keeping them for the next try")


class TrendBy(enum.StrEnum):
    """What trends are grouped by."""

    QUERY = "query"
    TERM = "term"
    SPECIES = "species"
    PLATFORM = "platform"
    LOCALE = "locale"
    ACTION = "action"
    HOUR = "hour"
    DAY = "day"


class TrendRow(msgspec.Struct, frozen=True, gc=False):
    key: str
    """The query, term, species, platform, locale or action; ISO hour or day for time."""
    checks: int
    warned: int
    redirected: int
    blocked: int


def search_trends(database: Database, by: TrendBy = TrendBy.TERM, *,
                  since: datetime | None = None, until: datetime | None = None,
                  platform: str | None = None, species: str | None = None,
                  locale: str | None = None, limit: int = 50) -> list[TrendRow]:
    """Counted checks grouped ``by``, most checked first (by time: in time order), between
    ``since`` (default: 7 days ago) and ``until`` (default: now), UTC. Queries that named no
    listed term are left out of ``query``, ``term`` and ``species`` groupings (they have none)
    and counted in the others."""
    until = until or datetime.now(UTC).replace(tzinfo=None)
    since = since or until - timedelta(days=7)
    columns = search_counts.c
    if by is TrendBy.DAY:
        key: Any = (func.to_char(columns.hour, "YYYY-MM-DD") if database.dialect == "postgresql"
                    else func.strftime("%Y-%m-%d", columns.hour))
    else:
        key = getattr(columns, by.value)
    checks = func.sum(columns.checks)

    def of(action: str) -> Any:
        return func.sum(case((columns.action == action, columns.checks), else_=0))

    query = (select(key.label("key"), checks.label("checks"), of("warn"), of("redirect"),
                    of("block"))
             .where(columns.hour >= _floor_hour(since), columns.hour <= until)
             .group_by(key))
    if by is TrendBy.QUERY:
        query = query.where(columns.query != "")
    elif by in (TrendBy.TERM, TrendBy.SPECIES):
        query = query.where(key.is_not(None))
    for column, value in ((columns.platform, platform), (columns.species, species),
                          (columns.locale, locale)):
        if value is not None:
            query = query.where(column == value)
    if by in (TrendBy.HOUR, TrendBy.DAY):
        query = query.order_by(key).limit(limit)
    else:
        query = query.order_by(checks.desc(), key).limit(limit)
    with database.read() as conn:
        rows = conn.execute(query).all()
    return [TrendRow(_key_text(row[0]), int(row[1]), int(row[2]), int(row[3]), int(row[4]))
            for row in rows]


def _key_text(value: Any) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:00Z")
    return "" if value is None else str(value)


def _hour_datetime(hour: int) -> datetime:
    return datetime.fromtimestamp(hour * 3600, UTC).replace(tzinfo=None)


def _floor_hour(moment: datetime) -> datetime:
    return moment.replace(minute=0, second=0, microsecond=0)
