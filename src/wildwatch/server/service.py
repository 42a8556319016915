"""The running service: one store, one detector, one policy, shared by every request."""

from __future__ import annotations

import functools
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from wildwatch.detect.detector import Detector
from wildwatch.detect.verdict import Verdict
from wildwatch.engage.lexicon_updates import LexiconUpdates
from wildwatch.engage.reports import Reports
from wildwatch.ingest.post import Post, PostError, post_from_mapping
from wildwatch.policy import Policy, load_policy
from wildwatch.settings import Settings
from wildwatch.store import Database, Incoming, Store
from wildwatch.store.records import Receipt

if TYPE_CHECKING:
    from wildwatch.engage.search import SearchChecker


class BatchError(ValueError):
    """Some posts of a batch are invalid; nothing was stored. ``problems`` says which and why."""

    def __init__(self, problems: list[dict[str, Any]]) -> None:
        super().__init__(f"{len(problems)} invalid post(s); nothing was stored")
        self.problems = problems


class Service:
    """What ``wildwatch serve`` runs: receives posts, scans them, applies the policy, stores."""

    def __init__(self, settings: Settings, *, detector: Detector | None = None,
                 migrate: bool = True) -> None:
        self.settings = settings
        self.database = Database(settings.resolved_database_url())
        if migrate:
            self.database.migrate()
        self.store = Store(self.database)
        self.detector = detector or Detector.default(
            settings.lexicon_dir, scorer=settings.scorer, model_path=_model_file(settings))
        self.policy: Policy = load_policy(settings.policy_file, lexicon=self.detector.lexicon)
        # Hyperscan scratch space and the normaliser's buffers are per detector, not per thread.
        self._scan_lock = threading.Lock()
        # Spotters' reports, and the terms analysts accept: in the detector without a restart.
        self.reports = Reports(self.database)
        self.lexicon_updates = LexiconUpdates(self.reports, self.detector, self._use_detector)
        self.lexicon_updates.refresh()

    def receive(self, records: Sequence[Mapping[str, Any]], *, actor: str,
                platform: str | None) -> list[Receipt]:
        """Scan, judge and store ``records``. With ``platform`` (an API key's scope), every post
        belongs to it: a post naming another platform is refused."""
        posts: list[Post] = []
        bodies: list[bytes] = []
        problems: list[dict[str, Any]] = []
        for index, record in enumerate(records):
            try:
                post = post_from_mapping(record)
                body = _stored_body(record)
            except PostError as exc:
                problems.append({"index": index, "id": _id_of(record), "error": str(exc)})
                continue
            if platform is not None:
                if post.platform not in (None, platform):
                    problems.append({"index": index, "id": post.id, "error":
                                     f"this API key sends posts for platform {platform!r}, "
                                     f"not {post.platform!r}"})
                    continue
                post.platform = platform
            posts.append(post)
            bodies.append(body)
        if problems:
            raise BatchError(problems)
        verdicts = self.scan(posts)
        outcomes = self.policy.decide_many(
            verdicts, [post.platform for post in posts],
            [_jurisdiction(post) for post in posts])
        incoming = [
            Incoming(post, body, verdict, outcome, self.policy.version)
            for post, body, verdict, outcome in zip(posts, bodies, verdicts, outcomes,
                                                    strict=True)]
        return self.store.receive(incoming, actor=actor)

    def scan(self, posts: Sequence[Post]) -> list[Verdict]:
        """Verdicts from the detector in use, which includes every accepted term."""
        self.lexicon_updates.check()
        with self._scan_lock:
            return self.detector.scan_batch(posts)

    def _use_detector(self, detector: Detector) -> None:
        self.detector = detector  # one assignment: a scan uses the old one or the new one
        if "search" in self.__dict__:  # the search checker matches the same terms
            self.search = self.search.with_detector(detector)

    @functools.cached_property
    def search(self) -> SearchChecker:
        """The search-box checker on this detector and policy, built on first use. After a new
        detector: ``service.search = service.search.with_detector(detector)``."""
        from wildwatch.engage.search import SearchChecker
        from wildwatch.engage.search_counts import SearchCounter

        return SearchChecker.for_detector(self.detector, self.policy, counter=SearchCounter())

    def close(self) -> None:
        self.database.dispose()


def _model_file(settings: Settings) -> Path | None:
    """The model file the model scorer loads: WILDWATCH_MODEL_FILE, else the promoted one, else
    None (the shipped model)."""
    if settings.scorer != "model":
        return None
    from wildwatch.model.active import active_model  # NumPy and the model, only when used

    return active_model(settings).path


def _stored_body(record: Mapping[str, Any]) -> bytes:
    """The post as the store keeps it, or a PostError naming the field JSON cannot hold (a
    number beyond 64 bits, text with an unpaired surrogate): JSON parsers accept both."""
    try:
        return orjson.dumps(record, option=orjson.OPT_SORT_KEYS)
    except orjson.JSONEncodeError as exc:
        for key, value in record.items():
            try:
                orjson.dumps(value)
            except orjson.JSONEncodeError as field_exc:
                raise PostError(f"field {key!r} cannot be stored: {field_exc}") from None
        raise PostError(f"the post cannot be stored: {exc}") from None


def _id_of(record: Any) -> Any:
    return record.get("id") if isinstance(record, Mapping) else None


def _jurisdiction(post: Post) -> str | None:
    value = post.extra.get("jurisdiction")
    return value if isinstance(value, str) else None
