"""Webhooks: every action and decision reaches the platform signed, with retries and a log."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import update

from tests_support import Receiver
from wildwatch.policy import Action
from wildwatch.server.service import Service
from wildwatch.server.webhooks import SIGNATURE_HEADER, WebhookSender, backoff, sign, verify
from wildwatch.store import Role
from wildwatch.store.records import utcnow
from wildwatch.store.schema import webhook_deliveries


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    found = Receiver()
    yield found
    found.close()


def _due_now(service: Service) -> None:
    with service.store.db.write() as conn:
        conn.execute(update(webhook_deliveries).values(next_attempt_at=utcnow()))


def test_actions_and_decisions_are_delivered_signed(service: Service,
                                                    receiver: Receiver) -> None:
    store = service.store
    hook, secret = store.add_webhook("shopco", receiver.url, actor="test")
    store.add_webhook("otherco", receiver.url, actor="test")   # must not see shopco's posts
    [_removed, queued, allowed] = service.receive(
        [{"id": "1", "title": "Carved ivory bangle, real antique, DM for price"},
         {"id": "2", "title": "ivory carving"}, {"id": "3", "title": "hello"}],
        actor="test", platform="shopco")
    moderator = store.create_user("mod", "correct horse battery", Role.MODERATOR)
    store.claim(queued.review_item, moderator)
    store.decide(queued.review_item, moderator, Action.REMOVE, "ivory")

    sender = WebhookSender(store, service.settings)
    assert sender.send_due() == 3
    events = [(h["Wildwatch-Event"], json.loads(body)) for h, body in receiver.received]
    assert [(event, body["id"], body["action"]) for event, body in events] == [
        ("post.action", "1", "remove"), ("post.action", "2", "review"),
        ("post.decision", "2", "remove")]
    for headers, body in receiver.received:
        assert verify(secret, body, headers[SIGNATURE_HEADER])
        assert not verify("another secret", body, headers[SIGNATURE_HEADER])
    log = store.deliveries(webhook_id=hook.id)
    assert {d.status for d in log} == {"delivered"} and len(log) == 3
    assert allowed.action == "allow"


def test_a_failed_delivery_is_retried_with_backoff_then_given_up(service: Service,
                                                                 receiver: Receiver) -> None:
    store = service.store
    service.settings.webhook_max_attempts = 3
    hook, _ = store.add_webhook("shopco", receiver.url, ["post.action"], actor="test")
    service.receive([{"id": "1", "title": "ivory carving"}], actor="test", platform="shopco")
    sender = WebhookSender(store, service.settings)
    receiver.statuses = [500, 503, 500]
    before = utcnow()
    assert sender.send_due() == 1
    [delivery] = store.deliveries(webhook_id=hook.id)
    assert (delivery.status, delivery.attempts, delivery.last_status) == ("pending", 1, 500)
    assert delivery.next_attempt_at >= before.replace(microsecond=0) and \
        (delivery.next_attempt_at - before).total_seconds() >= backoff(1) - 1
    assert sender.send_due() == 0          # not due yet
    _due_now(service)
    sender.send_due()
    _due_now(service)
    sender.send_due()
    [delivery] = store.deliveries(webhook_id=hook.id)
    assert (delivery.status, delivery.attempts) == ("failed", 3)
    assert "HTTP 500" in (delivery.last_error or "")


def test_an_unreachable_receiver_is_logged_and_retried(service: Service) -> None:
    store = service.store
    hook, _ = store.add_webhook("shopco", "http://127.0.0.1:9/closed", actor="test")
    service.receive([{"id": "1", "title": "ivory carving"}], actor="test", platform="shopco")
    WebhookSender(store, service.settings).send_due()
    [delivery] = store.deliveries(webhook_id=hook.id)
    assert delivery.status == "pending" and delivery.last_status is None
    assert delivery.last_error and "Connect" in delivery.last_error


def test_the_sender_thread_delivers_on_its_own(service: Service, receiver: Receiver) -> None:
    store = service.store
    store.add_webhook("shopco", receiver.url, actor="test")
    stop = threading.Event()
    thread = threading.Thread(target=WebhookSender(store, service.settings).run, args=(stop,))
    thread.start()
    try:
        service.receive([{"id": "1", "title": "ivory carving"}], actor="test",
                        platform="shopco")
        deadline = time.monotonic() + 20
        while not receiver.received and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
        thread.join()
    assert len(receiver.received) == 1


def test_signatures() -> None:
    header = sign("s3cret", b'{"a":1}', 1_700_000_000)
    assert verify("s3cret", b'{"a":1}', header, now=1_700_000_100)
    assert not verify("s3cret", b'{"a":2}', header, now=1_700_000_100)
    assert not verify("s3cret", b'{"a":1}', header, now=1_700_001_000)   # too old: replay
    assert not verify("s3cret", b'{"a":1}', "garbage")
    assert [backoff(n) for n in (1, 2, 3)] == [2.0, 4.0, 8.0] and backoff(30) == 3600.0
