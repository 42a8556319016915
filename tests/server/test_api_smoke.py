"""The API's main path on both backends: posts in, idempotent, queued, claimed, decided."""

from __future__ import annotations

from fastapi.testclient import TestClient

from wildwatch.server.app import create_app
from wildwatch.server.service import Service
from wildwatch.store import Role


def test_posts_in_queue_claim_decide(service: Service) -> None:
    store = service.store
    key = store.create_api_key("ingest", "shopco")
    moderator = store.create_user("mod", "correct horse battery", Role.MODERATOR)
    mod_key = store.create_api_key("mod script", "*", username="mod")
    with TestClient(create_app(service=service)) as client:
        posts = [{"id": "1", "title": "ivory carving"},
                 {"id": "2", "title": "ivory white wedding dress"}]
        answer = client.post("/v1/posts", json={"posts": posts}, headers={"X-API-Key": key})
        assert answer.status_code == 200, answer.text
        results = answer.json()["results"]
        assert [r["created"] for r in results] == [True, True]
        again = client.post("/v1/posts", json=posts[0], headers={"X-API-Key": key})
        assert again.json()["results"][0]["created"] is False
        assert store.post_count() == 2
        queue = client.get("/v1/review/queue", headers={"X-API-Key": mod_key}).json()
        assert queue, results
        item = queue[0]["item_id"]
        claim = client.post(f"/v1/review/items/{item}/claim", headers={"X-API-Key": mod_key})
        assert claim.status_code == 200, claim.text
        decided = client.post(f"/v1/review/items/{item}/decision",
                              json={"action": "remove", "reason": "ivory"},
                              headers={"X-API-Key": mod_key})
        assert decided.status_code == 200, decided.text
        assert decided.json()["user"] == moderator.username


def test_oversized_bodies_are_refused_with_a_reason(service: Service) -> None:
    service.settings.max_body_bytes = 1000
    key = service.store.create_api_key("ingest", "shopco")
    with TestClient(create_app(service=service)) as client:
        big = {"id": "1", "text": "x" * 2000}
        answer = client.post("/v1/posts", json=big, headers={"X-API-Key": key})
        assert answer.status_code == 413
        assert "larger than 1000 bytes" in answer.json()["detail"]
        chunked = client.post("/v1/posts", content=iter([b'{"id": "1", "text": "', b"x" * 2000,
                                                         b'"}']),
                              headers={"X-API-Key": key, "Content-Type": "application/json"})
        assert chunked.status_code == 413
    assert service.store.post_count() == 0
