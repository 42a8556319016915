"""Citizen spotters' reports, their track record, rounds, and the terms they propose.

A spotter (or anyone, anonymously) reports a listing the filters missed. Reports of the same
listing merge into the listing's one review item, and each raises the item's priority by
``REPORT_WEIGHT`` times the reporter's *trust*: their track record, the way Discourse weighs a
user's flags by how often staff agreed with their past flags::

    trust = (agreed + 1) / (decided + 2)

``decided`` counts the distinct listings the spotter reported that a moderator has since decided
(reports filed after the decision do not count: nobody earns trust by reporting what is already
gone); ``agreed`` those the moderator removed, blocked the seller of or escalated (an ``allow``
is a disagreement). The +1/+2 is a uniform Beta prior (Laplace's rule of succession): a new
spotter starts at 0.5, one with 9 of 10 agreed at 0.83, one with 0 of 10 at 0.08. Anonymous
reports have the fixed trust :data:`ANONYMOUS_TRUST`, below any new spotter's; a spotter's second
report of the same listing, and anonymous reports past :data:`ANONYMOUS_REPORTS_COUNTED` on one
item, add nothing to the priority (they are kept as evidence all the same).

Spotters and staff also propose search terms; an analyst accepts one (a row in
``lexicon_additions`` whose source credits the proposer) or rejects it. Accepted terms are laid
over the shipped lexicon by :mod:`wildwatch.engage.lexicon_updates`.

One class, :class:`Reports`, over the store's :class:`~wildwatch.store.Database`, like
:class:`~wildwatch.store.Store`: each operation is one transaction, except that a report of a
listing never seen before first stores the listing as a post (through ``Store.receive``, so it is
scanned, counted and idempotent like any post).
"""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import msgspec
import orjson
from sqlalchemy import Connection, and_, case, func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from wildwatch.detect.verdict import Verdict
from wildwatch.ingest.post import Post
from wildwatch.ingest.urls import ListingUrlError, canonical_listing_url, listing_url_key
from wildwatch.lexicon import Lexicon, TermKind
from wildwatch.policy import Action, PolicyOutcome
from wildwatch.store.database import Database
from wildwatch.store.records import ItemStatus, User, utcnow
from wildwatch.store.schema import (
    audit_log,
    decisions,
    lexicon_additions,
    listing_urls,
    posts,
    reports,
    review_items,
    spotter_rounds,
    term_proposals,
    users,
)
from wildwatch.store.store import REPORT_WEIGHT, Incoming, NotFound, Store, StoreConflict

#: Trust of a report with no registered reporter: below a new spotter's 0.5.
ANONYMOUS_TRUST = 0.2
#: Anonymous reports of one item that raise its priority; later ones are kept but add nothing.
ANONYMOUS_REPORTS_COUNTED = 5
#: Decisions that agree with a report: the moderator found the listing a problem.
AGREEING = frozenset({Action.REMOVE.value, Action.BLOCK_SELLER.value, Action.ESCALATE.value})
#: The least priority an item queued because of a report starts with: a person saw trafficking
#: where the filters saw little, so it ranks with the middle of the flagged posts rather than
#: below every one of them (the report's own weight comes on top).
REPORTED_ITEM_FLOOR = 0.5
#: The rule id a post created from a report carries: no automatic action on a stranger's words.
REPORT_RULE = "spotter-report"
#: ``origin`` of a post made from a report (a platform's own post has none).
REPORT_ORIGIN = "spotter_report"
MAX_DESCRIPTION = 4000
MAX_NOTE = 2000
_LANG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_PLATFORM = re.compile(r"^[^\s/\\]{1,64}$")
#: A web address written without https:// ("shop.example/item/42"), when no platform is named.
_DOMAIN = re.compile(r"^[\w-]+(\.[\w-]+)*\.[a-z]{2,}(:\d+)?(/|$)", re.IGNORECASE)
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)


class ReportError(ValueError):
    """A report or proposal is not valid: ``field`` names the input, the message says why."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class ProposalStatus(enum.StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class ProposalDecision(enum.StrEnum):
    ACCEPT = "accept"
    REJECT = "reject"


# -- records ------------------------------------------------------------------------------------

class Submission(msgspec.Struct, frozen=True):
    """What a reporter sends: the listing (its URL, or its id on ``platform``), the species they
    think it is (a lexicon group id, optional), what they saw, and a stored screenshot's name."""

    listing: str
    description: str
    platform: str | None = None
    species: str | None = None
    screenshot: str | None = None


class Listing(msgspec.Struct, frozen=True):
    """A reported listing, normalised: ``post_id`` on ``platform``, and its canonical URL."""

    platform: str
    post_id: str
    url: str | None
    url_key: str | None


class ReportReceipt(msgspec.Struct):
    report_id: int
    review_item: int
    platform: str
    post_id: str
    new_listing: bool
    """The listing was not in the store: it was stored from this report and scanned."""
    merged: bool
    """The listing already had a review item (other reports, or the filters queued it)."""
    trust: float
    weight: float
    round_id: int | None
    status: str


class ReportOutcome(msgspec.Struct):
    """What became of one report, as its reporter sees it."""

    report_id: int
    created_at: datetime
    platform: str
    listing: str
    species: str | None
    description: str
    review_item: int
    post_pk: int
    status: str
    """``pending`` until a moderator decides the listing, then ``decided``."""
    decision: str | None
    """The moderator's action (remove, block_seller, allow, escalate)."""
    decided_at: datetime | None
    agreed: bool | None
    """Whether the decision agreed with the report; None while pending."""
    round_id: int | None
    round_name: str | None


class SpotterStanding(msgspec.Struct):
    """One reporter's record, for the programme's coordinators."""

    user_id: int
    username: str
    role: str
    reports: int
    decided: int
    agreed: int
    accuracy: float | None
    """agreed / decided, as measured; None before any decision."""
    trust: float
    """The smoothed rate reports are weighed by: (agreed + 1) / (decided + 2)."""


class Round(msgspec.Struct):
    """A spotter round: a named period with a target species group (WWF's run four weeks)."""

    id: int
    name: str
    species: str | None
    starts_at: datetime
    ends_at: datetime
    created_by: str | None
    created_at: datetime
    reports: int = 0


class Proposal(msgspec.Struct):
    id: int
    text: str
    species: str
    kind: str
    lang: str
    note: str
    post_pk: int | None
    proposed_by: str
    proposer_role: str
    status: str
    decided_by: str | None
    decided_at: datetime | None
    decision_note: str | None
    created_at: datetime
    addition_id: int | None = None


class Addition(msgspec.Struct, frozen=True):
    """A term an analyst accepted: laid over the shipped lexicon."""

    id: int
    text: str
    species: str
    kind: str
    lang: str
    weight: float | None
    source: str
    proposal_id: int | None
    added_by: str
    added_at: datetime


#: Scans a post for a report of an unseen listing: its verdict, the policy's outcome and the
#: policy's version (see :func:`wildwatch.server.spotters_api` for the service's).
Scan = Callable[[Post], tuple[Verdict, PolicyOutcome, str]]


def trust_of(agreed: int, decided: int) -> float:
    """The smoothed agreement rate a registered reporter's reports are weighed by."""
    return (agreed + 1) / (decided + 2)


# -- validation ---------------------------------------------------------------------------------

def normalise_listing(listing: str, platform: str | None) -> Listing:
    """The listing a reporter named: a URL (its canonical form; the platform defaults to the
    site's host) or an id on ``platform``. Raises :class:`ReportError`."""
    text = _clean(listing)
    chosen = _clean(platform or "") or None
    if chosen is not None and not _PLATFORM.match(chosen):
        raise ReportError("platform", "a platform name has 1 to 64 characters, no spaces or "
                          "slashes")
    if not text:
        raise ReportError("listing", "give the listing's web address or its id")
    if "://" in text or text.lower().startswith("www.") \
            or (chosen is None and (_DOMAIN.match(text) or _SCHEME.match(text))):
        try:
            bare = "://" not in text and _DOMAIN.match(text) is not None
            url = canonical_listing_url("https://" + text if bare else text)
        except ListingUrlError as exc:
            raise ReportError("listing", str(exc)) from None
        key = listing_url_key(url)
        assert key is not None  # canonical URLs always have one
        host = urlsplit(url).hostname or "web"
        post_id = url if len(url) <= 256 else f"url:{key}"
        return Listing(chosen or host[:64], post_id, url, key)
    if len(text) > 256 or any(c.isspace() for c in text):
        raise ReportError("listing", "a listing id has at most 256 characters and no spaces; "
                          "for anything else give the listing's web address")
    if chosen is None:
        raise ReportError("platform", "say which platform the listing is on, or give its web "
                          "address")
    return Listing(chosen, text, None, None)


def _clean(value: str) -> str:
    """Strip, and drop control and zero-width characters (copied text is full of them)."""
    return "".join(c for c in value.strip() if unicodedata.category(c) not in ("Cc", "Cf")
                   or c in "\n\t")


def _check_species(species: str | None, groups: Iterable[str] | None) -> str | None:
    chosen = (species or "").strip() or None
    if chosen is None:
        return None
    known = set(groups) if groups is not None else None
    if len(chosen) > 64 or (known is not None and chosen not in known):
        raise ReportError("species", f"{chosen[:64]!r} is not a species group; choose one of "
                          f"{', '.join(sorted(known or []))}")
    return chosen


# -- the operations -------------------------------------------------------------------------------

class Reports:
    """Spotters' reports, rounds and proposals on a :class:`Database`."""

    def __init__(self, database: Database) -> None:
        self.db = database
        self.store = Store(database)

    # -- reports ----------------------------------------------------------------------------------

    def submit(self, submission: Submission, *, spotter: User | None, scan: Scan,
               groups: Iterable[str] | None = None, actor: str | None = None) -> ReportReceipt:
        """Record a report: find the listing (by platform and id, or by canonical URL) or store
        it from the report, merge into its review item, weigh by the reporter's track record.

        ``groups``: the lexicon's species group ids the ``species`` must be one of.
        Raises :class:`ReportError` for invalid input.
        """
        listing = normalise_listing(submission.listing, submission.platform)
        species = _check_species(submission.species, groups)
        description = _clean(submission.description)
        if not description:
            raise ReportError("description", "say what you saw: what is offered, and why you "
                              "think it is wildlife")
        if len(description) > MAX_DESCRIPTION:
            raise ReportError("description", f"at most {MAX_DESCRIPTION} characters")
        actor = actor or (f"user:{spotter.username}" if spotter is not None else "anonymous")
        new_listing = False
        with self.db.read() as conn:
            found = self._find_post(conn, listing)
        if found is None:
            self._store_listing(listing, description, scan, actor)
            new_listing = True
        now = utcnow()
        with self.db.write() as conn:
            post = self._find_post(conn, listing)
            if post is None:  # the listing was stored a moment ago; it cannot have gone
                raise NotFound(f"the listing {listing.post_id!r} could not be stored")
            item_id, existed = self._item_for(conn, post.id, post.score, now)
            merged = existed and not new_listing
            trust, weight = self._weigh(conn, spotter, item_id)
            round_id = self._round_at(conn, now, species)
            report_id = conn.execute(reports.insert().values(
                review_item_id=item_id, post_pk=post.id, platform=post.platform,
                listing=listing.url or listing.post_id, species=species,
                description=description, screenshot=submission.screenshot,
                spotter_id=spotter.id if spotter is not None else None, round_id=round_id,
                weight=weight, created_at=now).returning(reports.c.id)).scalar_one()
            conn.execute(update(review_items).where(review_items.c.id == item_id).values(
                reports=review_items.c.reports + 1,
                priority=review_items.c.priority + weight))
            status = conn.execute(select(review_items.c.status).where(
                review_items.c.id == item_id)).scalar_one()
            conn.execute(audit_log.insert().values(
                at=now, actor=actor, verb="report.submit", subject=f"review_item:{item_id}",
                detail={"report": report_id, "post": post.post_id, "weight": weight,
                        "trust": round(trust, 4), "round": round_id,
                        "new_listing": new_listing}))
        return ReportReceipt(report_id, item_id, post.platform, post.post_id, new_listing,
                             merged, round(trust, 4), weight, round_id,
                             "pending" if status == ItemStatus.OPEN.value else "decided")

    def _find_post(self, conn: Connection, listing: Listing) -> Any:
        query = select(posts.c.id, posts.c.score, posts.c.platform, posts.c.post_id)
        row = conn.execute(query.where(posts.c.platform == listing.platform,
                                       posts.c.post_id == listing.post_id)).first()
        if row is None and listing.url_key is not None:
            row = conn.execute(query.join(listing_urls, listing_urls.c.post_pk == posts.c.id)
                               .where(listing_urls.c.url_key == listing.url_key)).first()
        return row

    def _store_listing(self, listing: Listing, description: str, scan: Scan,
                       actor: str) -> None:
        """Store an unseen listing as a post, its text being what the reporter saw, scanned
        like any post. The policy never acts on a stranger's words alone: the post waits for a
        moderator (``review``, or ``escalate`` if the policy says so)."""
        record: dict[str, Any] = {"id": listing.post_id, "platform": listing.platform,
                                  "description": description, "origin": REPORT_ORIGIN}
        if listing.url is not None:
            record["url"] = listing.url
        post = Post(id=listing.post_id, description=description, url=listing.url,
                    platform=listing.platform, extra={"origin": REPORT_ORIGIN})
        verdict, outcome, policy_version = scan(post)
        action = Action.ESCALATE if outcome.action is Action.ESCALATE else Action.REVIEW
        held = PolicyOutcome(action, REPORT_RULE, outcome.category,
                             "Reported by a spotter: a moderator decides")
        self.store.receive([Incoming(post, orjson.dumps(record, option=orjson.OPT_SORT_KEYS),
                                     verdict, held, policy_version)], actor=actor)

    def _item_for(self, conn: Connection, post_pk: int, score: float,
                  now: datetime) -> tuple[int, bool]:
        """The post's review item, made if it has none; and whether it existed."""
        existing = conn.execute(select(review_items.c.id).where(
            review_items.c.post_pk == post_pk)).scalar()
        if existing is not None:
            return int(existing), True
        dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
        conn.execute(dialect.insert(review_items).on_conflict_do_nothing().values(
            post_pk=post_pk, status=ItemStatus.OPEN.value,
            priority=max(score, REPORTED_ITEM_FLOOR), reports=0, created_at=now))
        made = conn.execute(select(review_items.c.id).where(
            review_items.c.post_pk == post_pk)).scalar_one()
        return int(made), False

    def _weigh(self, conn: Connection, spotter: User | None, item_id: int) -> tuple[float, float]:
        """The reporter's trust and this report's weight (0 for a repeat)."""
        if spotter is None:
            trust = ANONYMOUS_TRUST
            counted = conn.execute(select(func.count()).select_from(reports).where(
                reports.c.review_item_id == item_id, reports.c.spotter_id.is_(None),
                reports.c.weight > 0)).scalar_one()
            repeat = counted >= ANONYMOUS_REPORTS_COUNTED
        else:
            standing = self._standings(conn, spotter_ids=[spotter.id])
            trust = standing[0].trust if standing else trust_of(0, 0)
            repeat = conn.execute(select(func.count()).select_from(reports).where(
                reports.c.review_item_id == item_id,
                reports.c.spotter_id == spotter.id)).scalar_one() > 0
        return trust, 0.0 if repeat else round(REPORT_WEIGHT * trust, 6)

    def outcomes_for(self, spotter: User, *, limit: int = 200) -> list[ReportOutcome]:
        """The spotter's reports, newest first, with what became of each."""
        query = (select(reports, review_items.c.status, decisions.c.action,
                        decisions.c.created_at.label("decided_at"),
                        spotter_rounds.c.name.label("round_name"))
                 .join(review_items, review_items.c.id == reports.c.review_item_id)
                 .outerjoin(decisions, decisions.c.review_item_id == review_items.c.id)
                 .outerjoin(spotter_rounds, spotter_rounds.c.id == reports.c.round_id)
                 .where(reports.c.spotter_id == spotter.id)
                 .order_by(reports.c.id.desc()).limit(limit))
        with self.db.read() as conn:
            rows = conn.execute(query).all()
        out = []
        for row in rows:
            decided = row.status == ItemStatus.DECIDED.value and row.action is not None
            out.append(ReportOutcome(
                report_id=row.id, created_at=row.created_at, platform=row.platform,
                listing=row.listing, species=row.species, description=row.description,
                review_item=row.review_item_id, post_pk=row.post_pk,
                status="decided" if decided else "pending",
                decision=row.action if decided else None,
                decided_at=row.decided_at if decided else None,
                agreed=(row.action in AGREEING) if decided else None,
                round_id=row.round_id, round_name=row.round_name))
        return out

    def report_post(self, report_id: int, spotter: User) -> int:
        """The post a spotter's own report is about (to propose a term from it)."""
        with self.db.read() as conn:
            pk = conn.execute(select(reports.c.post_pk).where(
                reports.c.id == report_id, reports.c.spotter_id == spotter.id)).scalar()
        if pk is None:
            raise NotFound(f"you have no report {report_id}")
        return int(pk)

    def post_body(self, post_pk: int) -> dict[str, Any]:
        """A stored post as it was received (hostile text: escape it wherever it is shown)."""
        with self.db.read() as conn:
            row = conn.execute(select(posts.c.body, posts.c.platform, posts.c.post_id).where(
                posts.c.id == post_pk)).first()
        if row is None:
            raise NotFound(f"there is no post {post_pk}")
        body = msgspec.json.decode(row.body)
        return {**(body if isinstance(body, dict) else {}), "platform": row.platform,
                "id": row.post_id}

    def item_reports(self, item_id: int) -> list[dict[str, Any]]:
        """Every report of a review item, oldest first, with its reporter (staff see this)."""
        query = (select(reports, users.c.username)
                 .outerjoin(users, users.c.id == reports.c.spotter_id)
                 .where(reports.c.review_item_id == item_id).order_by(reports.c.id))
        with self.db.read() as conn:
            return [{"id": r.id, "created_at": r.created_at, "listing": r.listing,
                     "platform": r.platform, "species": r.species,
                     "description": r.description, "screenshot": r.screenshot,
                     "reporter": r.username, "weight": r.weight, "round_id": r.round_id}
                    for r in conn.execute(query)]

    # -- track records --------------------------------------------------------------------------

    def standing(self, spotter: User) -> SpotterStanding:
        with self.db.read() as conn:
            found = self._standings(conn, spotter_ids=[spotter.id])
        return found[0] if found else SpotterStanding(spotter.id, spotter.username,
                                                      spotter.role.value, 0, 0, 0, None,
                                                      trust_of(0, 0))

    def leaderboard(self, round_id: int | None = None, *,
                    limit: int = 100) -> list[SpotterStanding]:
        """Registered reporters by listings agreed with, then accuracy, then reports; within
        ``round_id`` when given (only that round's reports count)."""
        with self.db.read() as conn:
            if round_id is not None and conn.execute(select(spotter_rounds.c.id).where(
                    spotter_rounds.c.id == round_id)).first() is None:
                raise NotFound(f"there is no round {round_id}")
            found = self._standings(conn, round_id=round_id)
        found.sort(key=lambda s: (-s.agreed, -(s.accuracy or 0.0), -s.reports, s.username))
        return found[:limit]

    def _standings(self, conn: Connection, *, spotter_ids: Sequence[int] | None = None,
                   round_id: int | None = None) -> list[SpotterStanding]:
        scope: list[Any] = [reports.c.spotter_id.is_not(None)]
        if spotter_ids is not None:
            scope.append(reports.c.spotter_id.in_(list(spotter_ids)))
        if round_id is not None:
            scope.append(reports.c.round_id == round_id)
        totals = {row.spotter_id: int(row.n) for row in conn.execute(
            select(reports.c.spotter_id, func.count().label("n")).where(*scope)
            .group_by(reports.c.spotter_id))}
        if not totals:
            return []
        # One row per (reporter, decided listing) reported before its decision.
        judged = (select(reports.c.spotter_id, reports.c.review_item_id, decisions.c.action)
                  .join(decisions, and_(decisions.c.review_item_id == reports.c.review_item_id,
                                        decisions.c.created_at >= reports.c.created_at))
                  .where(*scope).distinct()).subquery()
        agreed = case((judged.c.action.in_(sorted(AGREEING)), 1), else_=0)
        records = {row.spotter_id: (int(row.decided), int(row.agreed or 0)) for row in
                   conn.execute(select(judged.c.spotter_id, func.count().label("decided"),
                                       func.sum(agreed).label("agreed"))
                                .group_by(judged.c.spotter_id))}
        people = {row.id: row for row in conn.execute(
            select(users.c.id, users.c.username, users.c.role).where(
                users.c.id.in_(list(totals))))}
        out = []
        for spotter_id, count in totals.items():
            decided, agreed_count = records.get(spotter_id, (0, 0))
            person = people[spotter_id]
            out.append(SpotterStanding(
                spotter_id, person.username, person.role, count, decided, agreed_count,
                round(agreed_count / decided, 4) if decided else None,
                round(trust_of(agreed_count, decided), 4)))
        return out

    # -- rounds ---------------------------------------------------------------------------------

    def create_round(self, name: str, species: str | None, starts: datetime, ends: datetime,
                     *, by: User | None = None, groups: Iterable[str] | None = None) -> Round:
        """A named period (UTC); reports made within it are attached to it."""
        name, species = self._check_round(name, species, starts, ends, groups)
        now = utcnow()
        with self.db.write() as conn:
            round_id = conn.execute(spotter_rounds.insert().values(
                name=name, species=species, starts_at=_naive(starts), ends_at=_naive(ends),
                created_by=by.id if by is not None else None, created_at=now,
            ).returning(spotter_rounds.c.id)).scalar_one()
            conn.execute(audit_log.insert().values(
                at=now, actor=_actor(by), verb="round.create", subject=f"round:{round_id}",
                detail={"name": name, "species": species, "starts": starts.isoformat(),
                        "ends": ends.isoformat()}))
        return self.round(round_id)

    def update_round(self, round_id: int, name: str, species: str | None, starts: datetime,
                     ends: datetime, *, by: User | None = None,
                     groups: Iterable[str] | None = None) -> Round:
        """Change a round. Reports keep the round they were attached to."""
        name, species = self._check_round(name, species, starts, ends, groups)
        with self.db.write() as conn:
            changed = conn.execute(update(spotter_rounds).where(
                spotter_rounds.c.id == round_id).values(
                name=name, species=species, starts_at=_naive(starts),
                ends_at=_naive(ends))).rowcount
            if changed != 1:
                raise NotFound(f"there is no round {round_id}")
            conn.execute(audit_log.insert().values(
                at=utcnow(), actor=_actor(by), verb="round.update", subject=f"round:{round_id}",
                detail={"name": name, "species": species, "starts": starts.isoformat(),
                        "ends": ends.isoformat()}))
        return self.round(round_id)

    def delete_round(self, round_id: int, *, by: User | None = None) -> None:
        """Delete a round no report is attached to (one with reports is history: keep it)."""
        with self.db.write() as conn:
            attached = conn.execute(select(func.count()).select_from(reports).where(
                reports.c.round_id == round_id)).scalar_one()
            if attached:
                raise StoreConflict(f"round {round_id} has {attached} report(s); it stays")
            if conn.execute(spotter_rounds.delete().where(
                    spotter_rounds.c.id == round_id)).rowcount != 1:
                raise NotFound(f"there is no round {round_id}")
            conn.execute(audit_log.insert().values(
                at=utcnow(), actor=_actor(by), verb="round.delete", subject=f"round:{round_id}",
                detail={}))

    def round(self, round_id: int) -> Round:
        found = [r for r in self._rounds(spotter_rounds.c.id == round_id)]
        if not found:
            raise NotFound(f"there is no round {round_id}")
        return found[0]

    def rounds(self) -> list[Round]:
        """Every round, the latest start first."""
        return self._rounds()

    def current_round(self, species: str | None = None) -> Round | None:
        with self.db.read() as conn:
            round_id = self._round_at(conn, utcnow(), species)
        return None if round_id is None else self.round(round_id)

    def _rounds(self, *where: Any) -> list[Round]:
        counts = (select(reports.c.round_id, func.count().label("n"))
                  .group_by(reports.c.round_id).subquery())
        query = (select(spotter_rounds, users.c.username, counts.c.n)
                 .outerjoin(users, users.c.id == spotter_rounds.c.created_by)
                 .outerjoin(counts, counts.c.round_id == spotter_rounds.c.id)
                 .where(*where)
                 .order_by(spotter_rounds.c.starts_at.desc(), spotter_rounds.c.id.desc()))
        with self.db.read() as conn:
            return [Round(r.id, r.name, r.species, r.starts_at, r.ends_at, r.username,
                          r.created_at, int(r.n or 0)) for r in conn.execute(query)]

    def _round_at(self, conn: Connection, moment: datetime, species: str | None) -> int | None:
        """The round running at ``moment``: one for the report's species first, then the one
        that started last."""
        rows = conn.execute(select(spotter_rounds.c.id, spotter_rounds.c.species).where(
            spotter_rounds.c.starts_at <= moment, spotter_rounds.c.ends_at > moment)
            .order_by(spotter_rounds.c.starts_at.desc(), spotter_rounds.c.id.desc())).all()
        for row in rows:
            if species is not None and row.species == species:
                return int(row.id)
        return int(rows[0].id) if rows else None

    @staticmethod
    def _check_round(name: str, species: str | None, starts: datetime, ends: datetime,
                     groups: Iterable[str] | None) -> tuple[str, str | None]:
        name = _clean(name)
        if not 1 <= len(name) <= 128:
            raise ReportError("name", "a round's name has 1 to 128 characters")
        if _naive(ends) <= _naive(starts):
            raise ReportError("ends", "a round ends after it starts")
        return name, _check_species(species, groups)

    # -- proposed terms -------------------------------------------------------------------------

    def propose_term(self, text: str, species: str, kind: str, lang: str, note: str, *,
                     by: User, post_pk: int | None = None,
                     lexicon: Lexicon | None = None) -> Proposal:
        """Propose a search term for a species group, optionally from a post. Refused when the
        group already has it (``lexicon``) or the same term waits for a decision."""
        term = _clean(text)
        if not 2 <= len(term) <= 128:
            raise ReportError("text", "a term has 2 to 128 characters")
        groups = list(lexicon.groups) if lexicon is not None else None
        group = _check_species(species, groups)
        if group is None:
            raise ReportError("species", "say which species group the term is for")
        try:
            term_kind = TermKind(kind)
        except ValueError:
            raise ReportError("kind", f"choose one of {', '.join(k.value for k in TermKind)}"
                              ) from None
        if term_kind is TermKind.HASHTAG and not term.startswith("#"):
            raise ReportError("text", "a hashtag starts with '#'")
        lang = lang.strip()
        if not _LANG.match(lang):
            raise ReportError("lang", "a language code such as en, zh, vi or pt-BR")
        note = _clean(note)
        if len(note) > MAX_NOTE:
            raise ReportError("note", f"at most {MAX_NOTE} characters")
        if lexicon is not None:
            known = [t for t in lexicon.lookup(term) if t.group == group]
            if not any(ch.isalnum() or not ch.isascii() for ch in term):
                raise ReportError("text", "the term has no letters, digits or symbols to match")
            if known:
                raise ReportError("text", f"the lexicon already has {known[0].text!r} "
                                  f"({known[0].kind.value}) for {group}")
        now = utcnow()
        with self.db.write() as conn:
            if post_pk is not None and conn.execute(select(posts.c.id).where(
                    posts.c.id == post_pk)).first() is None:
                raise NotFound(f"there is no post {post_pk}")
            waiting = conn.execute(select(term_proposals.c.id).where(
                term_proposals.c.status == ProposalStatus.PENDING.value,
                term_proposals.c.species == group,
                func.lower(term_proposals.c.text) == term.lower())).scalar()
            if waiting is not None:
                raise StoreConflict(f"the term {term!r} for {group} is already proposed "
                                    f"(proposal {waiting}) and waits for an analyst")
            proposal_id = conn.execute(term_proposals.insert().values(
                text=term, species=group, kind=term_kind.value, lang=lang, note=note,
                post_pk=post_pk, proposed_by=by.id, status=ProposalStatus.PENDING.value,
                created_at=now).returning(term_proposals.c.id)).scalar_one()
            conn.execute(audit_log.insert().values(
                at=now, actor=_actor(by), verb="term.propose", subject=f"proposal:{proposal_id}",
                detail={"text": term, "species": group, "kind": term_kind.value, "lang": lang,
                        "post": post_pk}))
        return self.proposal(proposal_id)

    def decide_proposal(self, proposal_id: int, decision: ProposalDecision | str, *, by: User,
                        note: str = "", weight: float | None = None) -> Proposal:
        """Accept a pending proposal into the lexicon (a ``lexicon_additions`` row crediting the
        proposer; ``weight`` overrides the kind's default) or reject it."""
        choice = ProposalDecision(decision)
        note = _clean(note)
        if len(note) > MAX_NOTE:
            raise ReportError("note", f"at most {MAX_NOTE} characters")
        if weight is not None and not 0 <= weight <= 1:
            raise ReportError("weight", "a weight from 0 to 1, or none for the kind's default")
        status = ProposalStatus.ACCEPTED if choice is ProposalDecision.ACCEPT \
            else ProposalStatus.REJECTED
        now = utcnow()
        with self.db.write() as conn:
            taken = conn.execute(update(term_proposals).where(
                term_proposals.c.id == proposal_id,
                term_proposals.c.status == ProposalStatus.PENDING.value,
            ).values(status=status.value, decided_by=by.id, decided_at=now,
                     decision_note=note)).rowcount
            if taken != 1:
                current = conn.execute(select(term_proposals.c.status).where(
                    term_proposals.c.id == proposal_id)).scalar()
                if current is None:
                    raise NotFound(f"there is no proposal {proposal_id}")
                raise StoreConflict(f"proposal {proposal_id} has already been {current}")
            row = conn.execute(select(term_proposals, users.c.username, users.c.role).join(
                users, users.c.id == term_proposals.c.proposed_by).where(
                term_proposals.c.id == proposal_id)).one()
            detail: dict[str, Any] = {"decision": choice.value, "note": note,
                                      "text": row.text, "species": row.species}
            if status is ProposalStatus.ACCEPTED:
                source = (f"proposed by {row.role} {row.username}, accepted by {by.role.value} "
                          f"{by.username}, proposal #{proposal_id}")
                detail["addition"] = conn.execute(lexicon_additions.insert().values(
                    text=row.text, species=row.species, kind=row.kind, lang=row.lang,
                    weight=weight, source=source, proposal_id=proposal_id, added_by=by.id,
                    added_at=now).returning(lexicon_additions.c.id)).scalar_one()
            conn.execute(audit_log.insert().values(
                at=now, actor=_actor(by), verb="term.decide", subject=f"proposal:{proposal_id}",
                detail=detail))
        return self.proposal(proposal_id)

    def proposal(self, proposal_id: int) -> Proposal:
        found = self.proposals(proposal_id=proposal_id)
        if not found:
            raise NotFound(f"there is no proposal {proposal_id}")
        return found[0]

    def proposals(self, *, status: ProposalStatus | str | None = None,
                  proposed_by: int | None = None, proposal_id: int | None = None,
                  limit: int = 200) -> list[Proposal]:
        """Proposals, oldest first when pending (the analysts' queue), else newest first."""
        proposer = users.alias("proposer")
        decider = users.alias("decider")
        query = (select(term_proposals, proposer.c.username.label("proposer"),
                        proposer.c.role.label("proposer_role"),
                        decider.c.username.label("decider"),
                        lexicon_additions.c.id.label("addition_id"))
                 .join(proposer, proposer.c.id == term_proposals.c.proposed_by)
                 .outerjoin(decider, decider.c.id == term_proposals.c.decided_by)
                 .outerjoin(lexicon_additions,
                            lexicon_additions.c.proposal_id == term_proposals.c.id)
                 .limit(limit))
        if status is not None:
            query = query.where(term_proposals.c.status == ProposalStatus(status).value)
        if proposed_by is not None:
            query = query.where(term_proposals.c.proposed_by == proposed_by)
        if proposal_id is not None:
            query = query.where(term_proposals.c.id == proposal_id)
        pending = status is not None and ProposalStatus(status) is ProposalStatus.PENDING
        query = query.order_by(term_proposals.c.id if pending else term_proposals.c.id.desc())
        with self.db.read() as conn:
            return [Proposal(r.id, r.text, r.species, r.kind, r.lang, r.note, r.post_pk,
                             r.proposer, r.proposer_role, r.status, r.decider, r.decided_at,
                             r.decision_note, r.created_at, r.addition_id)
                    for r in conn.execute(query)]

    def additions(self) -> list[Addition]:
        """Every accepted term, in the order accepted."""
        query = (select(lexicon_additions, users.c.username)
                 .join(users, users.c.id == lexicon_additions.c.added_by)
                 .order_by(lexicon_additions.c.id))
        with self.db.read() as conn:
            return [Addition(r.id, r.text, r.species, r.kind, r.lang, r.weight, r.source,
                             r.proposal_id, r.username, r.added_at)
                    for r in conn.execute(query)]

    def additions_revision(self) -> tuple[int, int]:
        """Changes whenever a term is accepted: (count, last id), one indexed query."""
        with self.db.read() as conn:
            row = conn.execute(select(func.count(), func.max(lexicon_additions.c.id))).one()
        return int(row[0]), int(row[1] or 0)


def _actor(user: User | None) -> str:
    return f"user:{user.username}" if user is not None else "system"


def _naive(moment: datetime) -> datetime:
    """UTC, naive, as the store keeps times."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


__all__ = ["ANONYMOUS_TRUST", "Addition", "Listing", "Proposal", "ProposalDecision",
           "ProposalStatus", "ReportError", "ReportOutcome", "ReportReceipt", "Reports", "Round",
           "Scan", "SpotterStanding", "Submission", "normalise_listing", "trust_of"]
