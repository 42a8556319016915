"""Spotters' reports on SQLite and PostgreSQL: one item per listing however it is named,
priority by track record, outcomes, rounds, and proposed terms that reach the running detector."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests_support import service_detector
from wildwatch.engage.reports import (
    ANONYMOUS_REPORTS_COUNTED,
    ANONYMOUS_TRUST,
    REPORT_RULE,
    REPORTED_ITEM_FLOOR,
    ProposalDecision,
    ReportError,
    Submission,
    normalise_listing,
    trust_of,
)
from wildwatch.policy import Action
from wildwatch.server.service import Service
from wildwatch.server.spotters_api import scanner
from wildwatch.store import NotFound, Role, StoreConflict, User
from wildwatch.store.records import utcnow
from wildwatch.store.store import REPORT_WEIGHT

PASSWORD = "correct horse battery"
CLEAR_TEXT = "Hand-carved blorptusk pendant, old stock, DM me"   # no lexicon term, until ...
NEW_TERM = "blorptusk"


def person(service: Service, name: str, role: Role = Role.SPOTTER) -> User:
    return service.store.create_user(name, PASSWORD, role)


def report(service: Service, listing: str, spotter: User | None, *, platform: str | None = None,
           description: str = "Carved ivory bangle offered, price by DM",
           species: str | None = None) -> Any:
    return service.reports.submit(
        Submission(listing, description, platform, species), spotter=spotter,
        scan=scanner(service), groups=service.detector.lexicon.groups)


def decide(service: Service, item_id: int, action: Action, moderator: User) -> None:
    service.store.claim(item_id, moderator)
    service.store.decide(item_id, moderator, action, "other")


def test_reports_of_one_listing_merge_by_id_and_by_url_variants(service: Service) -> None:
    service.receive([{"id": "42", "title": "Vintage jewellery box",
                      "url": "https://www.shop.example/item/42"}],
                    actor="test", platform="shopco")
    sam, kim = person(service, "sam"), person(service, "kim")
    first = report(service, "42", sam, platform="shopco")
    variants = ["HTTP://Shop.Example/item/42/?utm_source=share&utm_medium=app#photos",
                "www.shop.example/item/42?fbclid=abc", "https://shop.example:443/item/42"]
    others = [report(service, url, kim) for url in variants]
    anonymous = report(service, "42", None, platform="shopco")
    assert {r.review_item for r in [first, *others, anonymous]} == {first.review_item}
    assert {(r.platform, r.post_id) for r in others} == {("shopco", "42")}
    assert first.new_listing is False and first.merged is False   # the filters had let it be
    assert all(r.merged for r in [*others, anonymous])
    item = service.store.item(first.review_item)
    assert item.reports == 5
    assert service.store.post_count() == 1
    # kim's repeats add nothing; sam, kim and the anonymous reporter add their trust once each.
    assert [r.weight for r in others] == [REPORT_WEIGHT * 0.5, 0.0, 0.0]
    # A reported item starts no lower than the floor: reports must reach a person.
    assert item.priority == pytest.approx(max(item.verdict["score"], REPORTED_ITEM_FLOOR)
                                          + REPORT_WEIGHT * 0.5 * 2
                                          + REPORT_WEIGHT * ANONYMOUS_TRUST)


def test_an_unseen_listing_is_stored_scanned_and_left_to_a_moderator(service: Service) -> None:
    sam = person(service, "sam")
    receipt = report(service, "https://market.example/p/9?spm=a2.b3", sam,
                     description="Carved ivory bangle, real antique, DM for price")
    assert receipt.new_listing and not receipt.merged
    assert receipt.platform == "market.example"
    assert receipt.post_id == "https://market.example/p/9"
    item = service.store.item(receipt.review_item)
    assert item.verdict["flagged"] and "elephant" in item.verdict["species"]
    # However sure the scorer is, a stranger's words alone never take a listing down.
    assert (item.action, item.rule_id) == (Action.REVIEW.value, REPORT_RULE)
    assert item.post["origin"] == "spotter_report"
    again = report(service, "market.example/p/9", None)
    assert again.review_item == receipt.review_item and not again.new_listing


def test_priority_follows_the_track_record(service: Service) -> None:
    mod = person(service, "mo", Role.MODERATOR)
    good, poor = person(service, "good"), person(service, "poor")
    for n in range(3):
        decide(service, report(service, f"g{n}", good, platform="shopco").review_item,
               Action.REMOVE, mod)
        decide(service, report(service, f"p{n}", poor, platform="shopco").review_item,
               Action.ALLOW, mod)
    assert service.reports.standing(good).trust == pytest.approx(trust_of(3, 3))   # 0.8
    assert service.reports.standing(poor).trust == pytest.approx(trust_of(0, 3))   # 0.2
    by_good = report(service, "new-1", good, platform="shopco")
    by_poor = report(service, "new-2", poor, platform="shopco")
    assert by_good.weight == pytest.approx(REPORT_WEIGHT * 0.8)
    assert by_poor.weight == pytest.approx(REPORT_WEIGHT * 0.2)
    assert service.store.item(by_good.review_item).priority \
        > service.store.item(by_poor.review_item).priority


def test_outcomes_and_the_leaderboard_after_decisions(service: Service) -> None:
    mod = person(service, "mo", Role.MODERATOR)
    sam, kim = person(service, "sam"), person(service, "kim")
    removed = report(service, "a", sam, platform="shopco")
    allowed = report(service, "b", sam, platform="shopco")
    escalated = report(service, "c", kim, platform="shopco")
    waiting = report(service, "d", kim, platform="shopco")
    decide(service, removed.review_item, Action.REMOVE, mod)
    decide(service, allowed.review_item, Action.ALLOW, mod)
    decide(service, escalated.review_item, Action.ESCALATE, mod)
    late = report(service, "a", kim, platform="shopco")   # after the decision: no credit
    outcomes = {o.listing: o for o in service.reports.outcomes_for(sam)}
    assert (outcomes["a"].status, outcomes["a"].decision, outcomes["a"].agreed) == \
        ("decided", "remove", True)
    assert (outcomes["b"].decision, outcomes["b"].agreed) == ("allow", False)
    kims = {o.report_id: o for o in service.reports.outcomes_for(kim)}
    assert kims[waiting.report_id].status == "pending" and kims[waiting.report_id].agreed is None
    assert late.status == "decided"
    board = {s.username: s for s in service.reports.leaderboard()}
    assert (board["sam"].reports, board["sam"].decided, board["sam"].agreed) == (2, 2, 1)
    assert board["sam"].accuracy == 0.5 and board["sam"].trust == 0.5
    assert (board["kim"].reports, board["kim"].decided, board["kim"].agreed) == (3, 1, 1)
    assert board["kim"].trust == pytest.approx(trust_of(1, 1), abs=1e-4)
    assert [s.username for s in service.reports.leaderboard()] == ["kim", "sam"]


def test_anonymous_reports_have_a_low_fixed_prior_and_a_cap(service: Service) -> None:
    receipts = [report(service, "x", None, platform="shopco")
                for _ in range(ANONYMOUS_REPORTS_COUNTED + 2)]
    assert {r.trust for r in receipts} == {ANONYMOUS_TRUST}
    assert trust_of(0, 0) > ANONYMOUS_TRUST
    weights = [r.weight for r in receipts]
    assert weights == pytest.approx([REPORT_WEIGHT * ANONYMOUS_TRUST] * ANONYMOUS_REPORTS_COUNTED
                                    + [0.0, 0.0])
    assert service.store.item(receipts[0].review_item).reports == len(receipts)
    assert service.reports.leaderboard() == []   # nobody to rank


def test_rounds_attach_reports_and_rank_within_them(service: Service) -> None:
    coordinator = person(service, "coord", Role.ANALYST)
    sam = person(service, "sam")
    now = utcnow()
    groups = service.detector.lexicon.groups
    general = service.reports.create_round("November round", None, now - timedelta(days=1),
                                           now + timedelta(days=27), by=coordinator,
                                           groups=groups)
    pangolin = service.reports.create_round("Pangolin week", "pangolin", now - timedelta(hours=1),
                                            now + timedelta(days=6), by=coordinator,
                                            groups=groups)
    past = service.reports.create_round("October round", None, now - timedelta(days=40),
                                        now - timedelta(days=12), groups=groups)
    scales = report(service, "p1", sam, platform="shopco", species="pangolin")
    ivory = report(service, "e1", sam, platform="shopco", species="elephant")
    unnamed = report(service, "u1", None, platform="shopco")
    assert scales.round_id == pangolin.id
    assert ivory.round_id == unnamed.round_id == pangolin.id   # the latest started, no species
    assert [r.name for r in service.reports.rounds()] == ["Pangolin week", "November round",
                                                         "October round"]
    assert service.reports.round(pangolin.id).reports == 3
    assert [s.reports for s in service.reports.leaderboard(pangolin.id)] == [2]
    assert service.reports.leaderboard(past.id) == []
    assert service.reports.current_round("pangolin") == service.reports.round(pangolin.id)
    with pytest.raises(StoreConflict):
        service.reports.delete_round(pangolin.id)
    service.reports.delete_round(past.id)
    with pytest.raises(NotFound):
        service.reports.round(past.id)
    renamed = service.reports.update_round(general.id, "November round (extended)", "elephant",
                                           general.starts_at, general.ends_at, groups=groups)
    assert renamed.species == "elephant"
    with pytest.raises(ReportError) as bad:
        service.reports.create_round("Backwards", None, now, now - timedelta(days=1))
    assert bad.value.field == "ends"
    with pytest.raises(ReportError) as unknown:
        service.reports.create_round("Dodo", "dodo", now, now + timedelta(days=1), groups=groups)
    assert unknown.value.field == "species"


def test_an_accepted_term_changes_the_next_scan_without_a_restart(service: Service) -> None:
    spotter = person(service, "sam")
    analyst = person(service, "ana", Role.ANALYST)
    # Another server process on the same database, looking at the additions often.
    other = Service(service.settings, detector=service_detector(), migrate=False)
    other.lexicon_updates.check_seconds = 0.05
    try:
        before = service.receive([{"id": "b1", "title": CLEAR_TEXT}], actor="t",
                                 platform="shopco")[0]
        assert not before.verdict["flagged"] and before.action == Action.ALLOW.value
        seen = report(service, "b1", spotter, platform="shopco")
        post_pk = service.store.item(seen.review_item).post_pk
        proposal = service.reports.propose_term(
            NEW_TERM, "elephant", "code_word", "en", "sellers' new word for ivory",
            by=spotter, post_pk=post_pk, lexicon=service.detector.lexicon)
        assert proposal.status == "pending" and proposal.post_pk == post_pk
        version = service.detector.lexicon.version
        accepted = service.reports.decide_proposal(proposal.id, ProposalDecision.ACCEPT,
                                                   by=analyst, note="seen on three sites")
        assert accepted.status == "accepted" and accepted.addition_id is not None
        assert service.lexicon_updates.refresh() is True
        assert service.detector.lexicon.version != version
        after = service.receive([{"id": "b2", "title": CLEAR_TEXT}], actor="t",
                                platform="shopco")[0]
        assert after.verdict["flagged"] and after.verdict["species"] == ["elephant"]
        assert any(NEW_TERM in reason for reason in after.verdict["reasons"])
        assert after.verdict["lexicon_version"] == service.detector.lexicon.version
        term = next(t for t in service.detector.lexicon.groups["elephant"].terms
                    if t.text == NEW_TERM)
        assert term.source == (f"proposed by spotter sam, accepted by analyst ana, "
                               f"proposal #{proposal.id}")
        # The other process picks it up by itself on its next scans.
        deadline = time.monotonic() + 20
        verdict = other.scan([_post("c1")])[0]
        while not verdict.flagged and time.monotonic() < deadline:
            time.sleep(0.05)
            verdict = other.scan([_post("c1")])[0]
        assert verdict.flagged
        assert other.detector.lexicon.version == service.detector.lexicon.version
        # A process started now starts with it.
        fresh = Service(service.settings, detector=service_detector(), migrate=False)
        assert fresh.scan([_post("c2")])[0].flagged
        fresh.close()
        # The shared base detector was never changed.
        assert not service_detector().scan(_post("c3")).flagged
    finally:
        other.close()


def _post(post_id: str) -> Any:
    from wildwatch.ingest.post import Post

    return Post(id=post_id, title=CLEAR_TEXT, platform="shopco")


def test_a_rejected_term_changes_nothing(service: Service) -> None:
    moderator = person(service, "mo", Role.MODERATOR)
    analyst = person(service, "ana", Role.ANALYST)
    proposal = service.reports.propose_term(NEW_TERM, "elephant", "code_word", "en", "",
                                            by=moderator, lexicon=service.detector.lexicon)
    version = service.detector.lexicon.version
    rejected = service.reports.decide_proposal(proposal.id, "reject", by=analyst,
                                               note="a brand name")
    assert (rejected.status, rejected.decision_note, rejected.decided_by) == \
        ("rejected", "a brand name", "ana")
    assert service.reports.additions() == []
    assert service.lexicon_updates.refresh() is False
    assert service.detector.lexicon.version == version
    with pytest.raises(StoreConflict, match="already been rejected"):
        service.reports.decide_proposal(proposal.id, "accept", by=analyst)
    with pytest.raises(NotFound):
        service.reports.decide_proposal(999, "accept", by=analyst)
    # Rejected, it may be proposed again (with better evidence).
    again = service.reports.propose_term(NEW_TERM, "elephant", "code_word", "en", "seen again",
                                         by=moderator, lexicon=service.detector.lexicon)
    assert again.status == "pending"
    with pytest.raises(StoreConflict, match="already proposed"):
        service.reports.propose_term(NEW_TERM.upper(), "elephant", "code_word", "en", "",
                                     by=moderator, lexicon=service.detector.lexicon)
    assert [p.id for p in service.reports.proposals(status="pending")] == [again.id]
    assert len(service.reports.proposals(proposed_by=moderator.id)) == 2


@pytest.mark.parametrize(("listing", "platform", "description", "species", "field"), [
    ("", "shopco", "seen", None, "listing"),
    ("42", None, "seen", None, "platform"),
    ("42 43", "shopco", "seen", None, "listing"),
    ("javascript:alert(1)//", None, "seen", None, "listing"),
    ("ftp://files.example/x", None, "seen", None, "listing"),
    ("https://", None, "seen", None, "listing"),
    ("https://shop.example/" + "a" * 2100, None, "seen", None, "listing"),
    ("42", "shop co", "seen", None, "platform"),
    ("42", "shopco", "  \u200b ", None, "description"),
    ("42", "shopco", "x" * 4001, None, "description"),
    ("42", "shopco", "seen", "dodo", "species"),
])
def test_bad_reports_are_refused_with_the_field_and_store_nothing(
        service: Service, listing: str, platform: str | None, description: str,
        species: str | None, field: str) -> None:
    with pytest.raises(ReportError) as refused:
        report(service, listing, None, platform=platform, description=description,
               species=species)
    assert refused.value.field == field
    assert str(refused.value).startswith(f"{field}: ")
    assert service.store.post_count() == 0


@pytest.mark.parametrize(("text", "species", "kind", "lang", "field"), [
    ("x", "elephant", "code_word", "en", "text"),
    ("ivory", "elephant", "product", "en", "text"),          # the lexicon has it
    ("carvedtusk", "elephant", "hashtag", "en", "text"),     # a hashtag starts with '#'
    ("blorptusk", "dodo", "code_word", "en", "species"),
    ("blorptusk", "elephant", "rumour", "en", "kind"),
    ("blorptusk", "elephant", "code_word", "English", "lang"),
])
def test_bad_proposals_are_refused_with_the_field(service: Service, text: str, species: str,
                                                  kind: str, lang: str, field: str) -> None:
    spotter = person(service, "sam")
    with pytest.raises(ReportError) as refused:
        service.reports.propose_term(text, species, kind, lang, "", by=spotter,
                                     lexicon=service.detector.lexicon)
    assert refused.value.field == field


@given(st.text(max_size=300), st.one_of(st.none(), st.text(max_size=80)))
def test_any_listing_text_is_a_listing_or_a_clear_refusal(listing: str,
                                                          platform: str | None) -> None:
    try:
        found = normalise_listing(listing, platform)
    except ReportError as refused:
        assert refused.field in ("listing", "platform") and refused.message
        return
    assert found.platform and 1 <= len(found.platform) <= 64
    assert found.post_id and len(found.post_id) <= 256
    assert (found.url is None) == (found.url_key is None)
    if found.url is not None:
        assert found.url.startswith("https://")


def test_a_process_that_only_answers_searches_picks_up_accepted_terms(service: Service) -> None:
    from fastapi.testclient import TestClient

    from wildwatch.server.app import create_app

    spotter = person(service, "sam")
    analyst = person(service, "ana", Role.ANALYST)
    searcher = Service(service.settings, detector=service_detector(), migrate=False)
    key = service.store.create_api_key("search box", "shopco")
    try:
        with TestClient(create_app(service=searcher)) as client:
            def action() -> str:
                answer = client.post("/v1/search/check", headers={"X-API-Key": key},
                                     json={"query": NEW_TERM, "locale": "en"})
                assert answer.status_code == 200, answer.text
                return str(answer.json()["action"])

            assert action() == "allow"
            proposal = service.reports.propose_term(NEW_TERM, "elephant", "code_word", "en",
                                                    "", by=spotter)
            service.reports.decide_proposal(proposal.id, ProposalDecision.ACCEPT, by=analyst)
            deadline = time.monotonic() + 30
            while action() == "allow" and time.monotonic() < deadline:
                time.sleep(0.1)
            assert action() != "allow"
    finally:
        searcher.close()
