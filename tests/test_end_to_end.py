"""The whole way, on SQLite and on PostgreSQL, over real HTTP: a platform sends posts by the API,
the policy queues one, a moderator decides it in the console, the platform's webhook receives
the actions and the decision, and the dashboard counts them."""

from __future__ import annotations

import json
import re
import time

import httpx

from tests_support import Receiver, serving
from wildwatch.server.app import create_app
from wildwatch.server.service import Service
from wildwatch.server.webhooks import SIGNATURE_HEADER, verify
from wildwatch.store import Role

POSTS = [
    {"id": "L1", "title": "Carved ivory bangle, real antique, DM for price",
     "seller": {"id": "u1"}},
    {"id": "L2", "title": "ivory carving", "seller": {"id": "u2"}},
    {"id": "L3", "title": "ivory white wedding dress, size 10"},
]


def _csrf(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, "no CSRF token on the page"
    return found.group(1)


def test_post_to_queue_to_decision_to_webhook_to_dashboard(service: Service) -> None:
    store = service.store
    service.settings.deliver_webhooks = True
    store.create_user("mod", "correct horse battery", Role.MODERATOR)
    store.create_user("boss", "correct horse battery", Role.ADMIN)
    key = store.create_api_key("shopco ingest", "shopco")
    receiver = Receiver()
    try:
        with serving(create_app(service=service)) as base, httpx.Client(base_url=base) as api:
            headers = {"X-API-Key": key}
            hook = api.post("/v1/webhooks", headers=headers, json={"url": receiver.url})
            assert hook.status_code == 201, hook.text
            secret = hook.json()["secret"]

            answer = api.post("/v1/posts", headers=headers, json={"posts": POSTS})
            assert answer.status_code == 200, answer.text
            actions = {r["id"]: r["action"] for r in answer.json()["results"]}
            assert actions == {"L1": "remove", "L2": "review", "L3": "allow"}
            item = answer.json()["results"][1]["review_item"]

            with httpx.Client(base_url=base, follow_redirects=True) as console:
                login = console.get("/login")
                page = console.post("/login", data={"username": "mod",
                                                    "password": "correct horse battery",
                                                    "csrf_token": _csrf(login.text)})
                assert page.status_code == 200 and "ivory carving" in page.text
                page = console.get(f"/items/{item}")
                token = _csrf(page.text)
                claimed = console.post(f"/items/{item}/claim", data={"csrf_token": token})
                assert claimed.status_code == 200, claimed.text
                decided = console.post(f"/items/{item}/decision",
                                       data={"action": "remove", "reason": "ivory",
                                             "note": "carving offered", "csrf_token": token})
                assert decided.status_code == 200, decided.text

            deadline = time.monotonic() + 30
            while len(receiver.received) < 3 and time.monotonic() < deadline:
                time.sleep(0.05)
            events = sorted((h["Wildwatch-Event"], json.loads(body)["id"],
                             json.loads(body)["action"]) for h, body in receiver.received)
            assert events == [("post.action", "L1", "remove"), ("post.action", "L2", "review"),
                              ("post.decision", "L2", "remove")]
            assert all(verify(secret, body, h[SIGNATURE_HEADER]) for h, body in receiver.received)

            assert api.get("/v1/posts/shopco/L2", headers=headers).json()["action_source"] \
                == "reviewer"
            metrics = api.get("/v1/metrics", headers=headers).json()
            assert metrics["totals"]["scanned"] == 3
            assert metrics["totals"]["removed_or_blocked"] == 2
            assert metrics["queue"]["depth"] == 0

            with httpx.Client(base_url=base, follow_redirects=True) as console:
                login = console.get("/login")
                console.post("/login", data={"username": "boss",
                                             "password": "correct horse battery",
                                             "csrf_token": _csrf(login.text)})
                dashboard = console.get("/dashboard")
                assert dashboard.status_code == 200
                assert "elephant" in dashboard.text.lower() or "ivory" in dashboard.text.lower()
                exported = console.get("/v1/metrics.csv")
                assert "total,removed_or_blocked,2" in exported.text
    finally:
        receiver.close()
