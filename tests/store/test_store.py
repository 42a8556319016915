"""The store on SQLite and PostgreSQL: idempotent intake, claims, decisions that stand, audit."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text, update
from sqlalchemy.exc import DBAPIError

from wildwatch.policy import Action
from wildwatch.server.service import BatchError, Service
from wildwatch.store import NotFound, Role, Store, StoreConflict
from wildwatch.store.records import utcnow
from wildwatch.store.schema import metadata, review_items

REVIEW_TEXT = "ivory carving"          # the shipped model and policy send this to review
LIKELY_TEXT = "Carved ivory bangle, real antique, DM for price"   # ... and remove this


def receive(service: Service, *posts: dict[str, Any], platform: str = "shopco") -> list[Any]:
    return service.receive(list(posts), actor="test", platform=platform)


def test_migrations_create_exactly_the_schema(store: Store) -> None:
    with store.db.engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), metadata)
    assert differences == []


def test_a_post_sent_twice_is_one_record_and_one_more_sighting(service: Service) -> None:
    first = receive(service, {"id": "a", "title": REVIEW_TEXT},
                    {"id": "a", "title": REVIEW_TEXT})
    again = receive(service, {"id": "a", "title": REVIEW_TEXT})
    assert [r.created for r in first] == [True, False]
    assert again[0].created is False
    assert again[0].review_item == first[0].review_item is not None
    assert service.store.post_count() == 1
    assert service.store.item(first[0].review_item).sightings == 3


def test_the_same_id_on_two_platforms_is_two_posts(service: Service) -> None:
    receive(service, {"id": "a", "title": REVIEW_TEXT}, platform="shopco")
    receive(service, {"id": "a", "title": REVIEW_TEXT}, platform="chatapp")
    assert service.store.post_count() == 2


def test_an_invalid_post_stores_nothing_and_says_which(service: Service) -> None:
    with pytest.raises(BatchError) as caught:
        receive(service, {"id": "ok", "title": REVIEW_TEXT}, {"title": "no id"},
                {"id": "x", "hashtags": "not a list"})
    assert [p["index"] for p in caught.value.problems] == [1, 2]
    assert "id" in caught.value.problems[0]["error"]
    assert "hashtags" in caught.value.problems[1]["error"]
    assert service.store.post_count() == 0


def test_an_api_key_cannot_send_posts_for_another_platform(service: Service) -> None:
    with pytest.raises(BatchError, match="invalid") as caught:
        receive(service, {"id": "a", "platform": "other", "title": REVIEW_TEXT})
    assert "shopco" in caught.value.problems[0]["error"]


def _claimed(store: Store, item: int, username: str) -> Any:
    user = store.create_user(username, "correct horse battery", Role.MODERATOR)
    store.claim(item, user)
    return user


def test_a_reviewers_decision_stands_when_the_post_changes(service: Service) -> None:
    store = service.store
    [receipt] = receive(service, {"id": "p", "title": REVIEW_TEXT})
    moderator = _claimed(store, receipt.review_item, "mod")
    store.decide(receipt.review_item, moderator, Action.ALLOW, "not-wildlife")
    [after] = receive(service, {"id": "p", "title": LIKELY_TEXT})
    assert after.verdict["level"] == "likely"
    assert (after.action, after.action_source) == ("allow", "reviewer")
    dropped = [e for e in store.audit(subject=f"post:{store.item(receipt.review_item).post_pk}")
               if e.verb == "policy.action_dropped"]
    assert dropped and dropped[0].detail["would_be"] == "remove"


def test_without_a_decision_a_changed_post_gets_the_new_action(service: Service) -> None:
    [before] = receive(service, {"id": "p", "title": "ivory white wedding dress"})
    [after] = receive(service, {"id": "p", "title": LIKELY_TEXT})
    assert (before.action, after.action) == ("allow", "remove")
    assert service.store.post_action("shopco", "p").action == "remove"


def test_only_one_moderator_holds_an_item(service: Service) -> None:
    store = service.store
    [receipt] = receive(service, {"id": "p", "title": REVIEW_TEXT})
    item = receipt.review_item
    first = _claimed(store, item, "first")
    second = store.create_user("second", "correct horse battery", Role.MODERATOR)
    with pytest.raises(StoreConflict, match="claimed by first"):
        store.claim(item, second)
    with pytest.raises(StoreConflict, match="claimed by first"):
        store.decide(item, second, Action.REMOVE, "ivory")
    store.release(item, first)
    with pytest.raises(StoreConflict, match="claim review item"):
        store.decide(item, first, Action.REMOVE, "ivory")
    store.claim(item, first)  # renewing one's own claim is fine
    with store.db.write() as conn:  # the first claim runs out
        conn.execute(update(review_items).values(claimed_until=utcnow() - timedelta(minutes=1)))
    store.claim(item, second)
    store.decide(item, second, Action.REMOVE, "ivory")
    with pytest.raises(StoreConflict, match="already been decided"):
        store.decide(item, second, Action.ALLOW, "ivory")
    with pytest.raises(NotFound):
        store.claim(item + 1000, second)


def test_racing_claims_have_exactly_one_winner(service: Service) -> None:
    store = service.store
    [receipt] = receive(service, {"id": "p", "title": REVIEW_TEXT})
    people = [store.create_user(f"m{n}", "correct horse battery", Role.MODERATOR)
              for n in range(8)]
    barrier = threading.Barrier(len(people))
    outcomes: list[str] = []

    def claim(user: Any) -> None:
        barrier.wait()
        try:
            store.claim(receipt.review_item, user)
            outcomes.append("won")
        except StoreConflict:
            outcomes.append("lost")

    threads = [threading.Thread(target=claim, args=(user,)) for user in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["lost"] * 7 + ["won"]


def test_blocking_a_seller_removes_their_next_posts(service: Service) -> None:
    store = service.store
    [receipt] = receive(service, {"id": "p1", "title": REVIEW_TEXT, "seller": {"id": "s9"}})
    moderator = _claimed(store, receipt.review_item, "mod")
    store.decide(receipt.review_item, moderator, Action.BLOCK_SELLER, "ivory")
    [later] = receive(service, {"id": "p2", "title": "hello", "seller": {"id": "s9"}})
    assert (later.action, later.rule_id) == ("remove", "seller-blocked")
    assert store.item(receipt.review_item).seller_blocked


def test_the_audit_log_refuses_changes(store: Store) -> None:
    store.record_audit("test", "check", "nothing", {"n": 1})
    for statement in ("UPDATE audit_log SET verb = 'x'", "DELETE FROM audit_log"):
        with pytest.raises(DBAPIError, match="append-only"), store.db.write() as conn:
            conn.execute(text(statement))
    assert store.audit()[0].detail == {"n": 1}


def test_metrics_count_what_happened(service: Service) -> None:
    store = service.store
    receive(service, {"id": "1", "title": REVIEW_TEXT}, {"id": "2", "title": LIKELY_TEXT},
            {"id": "3", "title": "ivory white wedding dress"})
    metrics = store.metrics()
    assert metrics["totals"]["scanned"] == 3
    assert metrics["totals"]["removed_or_blocked"] == 1
    assert {row["key"]: row["posts"] for row in metrics["by_species"]}["elephant"] >= 2
    assert {row["key"]: row["posts"] for row in metrics["by_action"]} == {
        "allow": 1, "remove": 1, "review": 1}
    assert metrics["queue"]["depth"] == 1
    assert metrics["by_platform"] == [{"key": "shopco", "posts": 3, "flagged": 2,
                                       "removed_or_blocked": 1}]


def test_decisions_become_labels(service: Service) -> None:
    store = service.store
    receipts = receive(service, {"id": "1", "title": REVIEW_TEXT},
                       {"id": "2", "title": "pangolin scales"}, {"id": "3", "title": "rhino horn"})
    moderator = store.create_user("mod", "correct horse battery", Role.MODERATOR)
    for receipt, action in zip(receipts, (Action.REMOVE, Action.ALLOW, Action.ESCALATE),
                               strict=True):
        store.claim(receipt.review_item, moderator)
        store.decide(receipt.review_item, moderator, action, "ivory")
    labelled = sorted((post["id"], label) for post, label in store.labelled_posts())
    assert labelled == [("1", 1), ("2", 0)]


def test_api_keys_are_checked_and_act_for_their_person(store: Store) -> None:
    machine = store.create_api_key("ingest", "shopco")
    store.create_user("ana", "correct horse battery", Role.ANALYST)
    person = store.create_api_key("ana's script", "*", username="ana")
    key, user = store.api_key(machine) or (None, None)
    assert key is not None and (key.role, key.platform, user) == (Role.INTEGRATION, "shopco", None)
    key, user = store.api_key(person) or (None, None)
    assert key is not None and user is not None and key.role is Role.ANALYST
    assert store.api_key(machine[:-2] + "xx") is None
    assert store.api_key("nonsense") is None
    with pytest.raises(ValueError, match="one platform"):
        store.create_api_key("bad", "*")


def test_passwords_are_checked(store: Store) -> None:
    store.create_user("ana", "correct horse battery", Role.ANALYST)
    assert store.authenticate("ana", "correct horse battery") is not None
    assert store.authenticate("ana", "wrong horse battery") is None
    assert store.authenticate("nobody", "correct horse battery") is None
    with pytest.raises(ValueError, match="12 characters"):
        store.create_user("bob", "short", Role.VIEWER)
    with pytest.raises(StoreConflict, match="already exists"):
        store.create_user("ana", "correct horse battery", Role.VIEWER)
