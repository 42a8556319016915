"""Accepted terms in the running detector, without a restart.

An analyst accepting a proposed term writes a row to ``lexicon_additions``. Every server process
notices (one cheap query at most once a second, before it scans), builds a new detector over
the shipped lexicon plus the additions — same scorer, same thresholds — beside the one in use,
and swaps it in. Scans never wait for the build: they use the old detector until the new one is
ready (a fraction of a second for the shipped lexicon). The process where the term was accepted
swaps before it answers (:meth:`LexiconUpdates.refresh`), so the very next post it scans sees it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import threading
import time
from collections.abc import Callable, Sequence

from wildwatch.detect.detector import Detector
from wildwatch.detect.scorers import build_scorer
from wildwatch.detect.scoring import Scorer
from wildwatch.engage.reports import Addition, Reports
from wildwatch.lexicon import DEFAULT_WEIGHT, Group, Lexicon, Term, TermKind

log = logging.getLogger(__name__)
#: How long a process trusts its last look at the additions' revision.
CHECK_SECONDS = 1.0
#: Where an accepted term says it came from (``Term.file``; ``Term.line`` is the addition's id).
ADDITIONS_FILE = "lexicon_additions"


def lexicon_with_additions(base: Lexicon, additions: Sequence[Addition]) -> Lexicon:
    """``base`` with the accepted terms added to their groups. The version is a hash of the
    base version and every addition, so verdicts say which terms they were judged with.

    An addition whose group is gone, or whose term the group already has, is skipped (the
    shipped lexicon may have taken it in since).
    """
    if not additions:
        return base
    groups = {gid: dataclasses.replace(group, terms=list(group.terms))
              for gid, group in base.groups.items()}
    digest = hashlib.sha256(base.version.encode())
    for addition in additions:
        group = groups.get(addition.species)
        try:
            kind = TermKind(addition.kind)
        except ValueError:
            log.warning("lexicon addition %s has an unknown kind %r; skipped", addition.id,
                        addition.kind)
            continue
        if group is None or _has(group, addition.text, kind):
            continue
        weight = addition.weight if addition.weight is not None else DEFAULT_WEIGHT[kind]
        group.terms.append(Term(addition.text, kind, group.id, addition.lang, weight,
                                addition.source, None, f"accepted proposal "
                                f"#{addition.proposal_id}" if addition.proposal_id else None,
                                ADDITIONS_FILE, addition.id))
        digest.update(f"\0{addition.id}\0{addition.text}\0{kind.value}\0{group.id}\0"
                      f"{addition.lang}\0{weight}".encode())
    return Lexicon(groups=groups, version=digest.hexdigest()[:12])


def _has(group: Group, text: str, kind: TermKind) -> bool:
    folded = text.casefold()
    return any(term.kind is kind and term.text.casefold() == folded for term in group.terms)


def detector_for_lexicon(template: Detector, lexicon: Lexicon) -> Detector:
    """A detector like ``template`` (scorer, model, signals, engine, thresholds) on ``lexicon``."""
    return Detector(lexicon, scorer=_scorer_like(template.scorer, lexicon),
                    engine=template.engine.name, flag_threshold=template.flag_threshold,
                    likely_threshold=template.likely_threshold)


def _scorer_like(scorer: Scorer, lexicon: Lexicon) -> Scorer:
    from wildwatch.model.scorer import ModelScorer

    if isinstance(scorer, ModelScorer):
        # The model's features are per term kind, not per term: the same model file scores
        # the extended lexicon (a promoted model stays in use).
        return ModelScorer(lexicon, scorer.model, signals=scorer.engine.signals)
    built, _ = build_scorer(scorer.name, lexicon)
    return built


class LexiconUpdates:
    """Keeps a detector in step with ``lexicon_additions``; ``swap`` receives each new one.

    ``base`` is the detector built from the shipped (or configured) lexicon alone: additions are
    always laid over it, never over an earlier extension.
    """

    def __init__(self, reports: Reports, base: Detector, swap: Callable[[Detector], None], *,
                 check_seconds: float = CHECK_SECONDS) -> None:
        self.reports = reports
        self.base = base
        self.swap = swap
        self.check_seconds = check_seconds
        self.revision: tuple[int, int] = (0, 0)
        self._next_check = 0.0
        self._build_lock = threading.Lock()
        self._building = False

    def check(self) -> None:
        """Before a scan: at most once per ``check_seconds``, look at the additions' revision
        and, when it changed, build the new detector in the background."""
        now = time.monotonic()
        if now < self._next_check or self._building:
            return
        self._next_check = now + self.check_seconds
        try:
            revision = self.reports.additions_revision()
        except Exception:  # the store being briefly away must not stop scanning
            log.exception("could not read the lexicon additions' revision")
            return
        if revision == self.revision:
            return
        self._building = True
        threading.Thread(target=self._refresh_quietly, name="lexicon-update",
                         daemon=True).start()

    def refresh(self) -> bool:
        """Build and swap in the detector for the current additions now, if they changed since
        the last build; True if it swapped."""
        with self._build_lock:
            revision = self.reports.additions_revision()
            if revision == self.revision:
                return False
            additions = self.reports.additions()
            detector = detector_for_lexicon(
                self.base, lexicon_with_additions(self.base.lexicon, additions))
            self.swap(detector)
            self.revision = revision
            log.info("lexicon %s in use: %d accepted term(s) over %s", detector.lexicon.version,
                     len(additions), self.base.lexicon.version)
            return True

    def _refresh_quietly(self) -> None:
        try:
            self.refresh()
        except Exception:
            log.exception("could not build the detector with the accepted terms; "
                          "the previous one stays in use")
        finally:
            self._building = False


__all__ = ["LexiconUpdates", "detector_for_lexicon", "lexicon_with_additions"]
