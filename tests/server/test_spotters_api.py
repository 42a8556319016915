"""The spotters' API on both backends: reports from anyone, screenshots for staff only, rate
limits, outcomes, the coordinators' views, and a proposed term accepted into the running lexicon."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from wildwatch.server.app import create_app
from wildwatch.server.service import Service
from wildwatch.store import Role

PASSWORD = "correct horse battery"
NEW_TERM = "blorptusk"


@pytest.fixture
def client(service: Service) -> Iterator[TestClient]:
    with TestClient(create_app(service=service)) as test_client:
        yield test_client


def key_for(service: Service, name: str, role: Role) -> dict[str, str]:
    service.store.create_user(name, PASSWORD, role)
    return {"X-API-Key": service.store.create_api_key(name, "*", username=name)}


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 10), (10, 120, 60)).save(out, format="PNG")
    return out.getvalue()


def test_anyone_reports_and_bad_input_names_the_field(service: Service,
                                                      client: TestClient) -> None:
    made = client.post("/v1/reports", json={"listing": "https://shop.example/item/7?utm_id=1",
                                            "description": "Carved ivory bangle, DM for price",
                                            "species": "elephant"})
    assert made.status_code == 201, made.text
    body = made.json()
    assert body["new_listing"] and body["status"] == "pending" and body["trust"] == 0.2
    assert body["post_id"] == "https://shop.example/item/7"
    for sent, field in [({"listing": "42", "description": "x"}, "platform"),
                        ({"listing": "https://shop.example/1"}, "description"),
                        ({"listing": "javascript:alert(1)", "description": "x"}, "listing"),
                        ({"listing": "42", "platform": "shopco", "description": "x",
                          "species": "unicorn"}, "species")]:
        refused = client.post("/v1/reports", json=sent)
        assert refused.status_code == 422, refused.text
        assert refused.json()["field"] == field
    assert client.post("/v1/reports", content=b"{not json",
                       headers={"Content-Type": "application/json"}).status_code == 422
    integration = {"X-API-Key": service.store.create_api_key("ingest", "shopco")}
    assert client.post("/v1/reports", json={"listing": "1", "platform": "shopco",
                                            "description": "x"},
                       headers=integration).status_code == 403
    assert client.post("/v1/reports", json={"listing": "1", "platform": "shopco",
                                            "description": "x"},
                       headers={"X-API-Key": "ww_nope_nope"}).status_code == 401
    assert service.store.post_count() == 1


def test_screenshots_are_checked_and_shown_to_staff_only(service: Service,
                                                         client: TestClient) -> None:
    spotter = key_for(service, "sam", Role.SPOTTER)
    moderator = key_for(service, "mo", Role.MODERATOR)
    fields = {"listing": "https://shop.example/item/8", "description": "Pangolin scales, 1 kg"}
    fake = client.post("/v1/reports", data=fields, headers=spotter,
                       files={"screenshot": ("x.png", b"<html><script>alert(1)</script>",
                                             "image/png")})
    assert fake.status_code == 422 and fake.json()["field"] == "screenshot"
    assert service.store.post_count() == 0
    folder = Path(service.settings.data_dir) / "screenshots"
    assert not folder.exists() or not any(folder.iterdir())
    made = client.post("/v1/reports", data=fields, headers=spotter,
                       files={"screenshot": ("shot.png", png(), "image/png")})
    assert made.status_code == 201, made.text
    item = made.json()["review_item"]
    listed = client.get(f"/v1/review/items/{item}/reports", headers=moderator).json()
    url = listed[0]["screenshot_url"]
    assert listed[0]["reporter"] == "sam" and url.startswith("/v1/reports/screenshots/")
    shown = client.get(url, headers=moderator)
    assert shown.status_code == 200 and shown.headers["content-type"] == "image/png"
    assert "sandbox" in shown.headers["content-security-policy"]
    assert shown.headers["x-content-type-options"] == "nosniff"
    assert client.get(url, headers=spotter).status_code == 403
    assert client.get(url).status_code == 401
    assert client.get("/v1/reports/screenshots/..%2Fsecret_key",
                      headers=moderator).status_code == 404


def test_reports_are_rate_limited_per_address_and_per_person(service: Service,
                                                             client: TestClient) -> None:
    service.settings.report_limit = 2
    service.settings.spotter_report_limit = 3
    spotter = key_for(service, "sam", Role.SPOTTER)

    def send(n: int, headers: dict[str, str] | None = None) -> int:
        return client.post("/v1/reports", json={"listing": f"l{n}", "platform": "shopco",
                                                "description": "ivory"},
                           headers=headers or {}).status_code

    assert [send(n) for n in range(3)] == [201, 201, 429]
    limited = client.post("/v1/reports", json={"listing": "x", "platform": "shopco",
                                               "description": "ivory"})
    assert int(limited.headers["retry-after"]) >= 1
    assert "too many reports" in limited.json()["detail"]
    assert [send(n, spotter) for n in range(10, 14)] == [201, 201, 201, 429]


def test_a_logged_in_console_report_needs_the_csrf_header(service: Service,
                                                          client: TestClient) -> None:
    service.store.create_user("sam", PASSWORD, Role.SPOTTER)
    client.post("/login", data={"username": "sam", "password": PASSWORD,
                                "csrf_token": _login_token(client)})
    sent = {"listing": "1", "platform": "shopco", "description": "ivory"}
    assert client.post("/v1/reports", json=sent).status_code == 403
    assert service.store.post_count() == 0


def _login_token(client: TestClient) -> str:
    import re

    page = client.get("/login").text
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


def test_a_spotter_sees_the_outcome_and_coordinators_the_record(service: Service,
                                                                client: TestClient) -> None:
    spotter = key_for(service, "sam", Role.SPOTTER)
    moderator = key_for(service, "mo", Role.MODERATOR)
    analyst = key_for(service, "ana", Role.ANALYST)
    item = client.post("/v1/reports", json={"listing": "99", "platform": "shopco",
                                            "description": "rhino horn cup"},
                       headers=spotter).json()["review_item"]
    mine = client.get("/v1/reports/mine", headers=spotter).json()
    assert mine["reports"][0]["status"] == "pending"
    assert client.post(f"/v1/review/items/{item}/claim", headers=moderator).status_code == 200
    assert client.post(f"/v1/review/items/{item}/decision", headers=moderator,
                       json={"action": "remove", "reason": "rhino_horn"}).status_code == 200
    mine = client.get("/v1/reports/mine", headers=spotter).json()
    assert (mine["reports"][0]["status"], mine["reports"][0]["decision"],
            mine["reports"][0]["agreed"]) == ("decided", "remove", True)
    assert mine["standing"]["agreed"] == 1 and mine["standing"]["trust"] == pytest.approx(0.6667)
    board = client.get("/v1/spotters/leaderboard", headers=analyst).json()
    assert [(s["username"], s["accuracy"]) for s in board] == [("sam", 1.0)]
    assert client.get("/v1/spotters/leaderboard", headers=spotter).status_code == 403
    made = client.post("/v1/spotters/rounds", headers=analyst, json={
        "name": "Cyber Spotter round 19", "species": "pangolin",
        "starts": "2026-11-01T00:00:00Z", "ends": "2026-11-29T00:00:00+00:00"})
    assert made.status_code == 201, made.text
    round_id = made.json()["id"]
    assert client.get("/v1/spotters/rounds", headers=analyst).json()[0]["name"] == \
        "Cyber Spotter round 19"
    backwards = client.post("/v1/spotters/rounds", headers=analyst, json={
        "name": "x", "starts": "2026-11-02T00:00:00Z", "ends": "2026-11-01T00:00:00Z"})
    assert backwards.status_code == 422 and "ends" in backwards.json()["detail"]
    for number in (-2.2e-309, 1764547200, "1764547200"):  # the document promises RFC 3339 text
        seconds = client.post("/v1/spotters/rounds", headers=analyst, json={
            "name": "x", "starts": number, "ends": "2026-11-01T00:00:00Z"})
        assert seconds.status_code == 422, number
        assert "not a number" in seconds.text
    assert client.put(f"/v1/spotters/rounds/{round_id}", headers=analyst, json={
        "name": "Round 19", "starts": "2026-11-01T00:00:00Z",
        "ends": "2026-11-30T00:00:00Z"}).json()["name"] == "Round 19"
    assert client.delete(f"/v1/spotters/rounds/{round_id}", headers=analyst).status_code == 204
    assert client.get(f"/v1/spotters/leaderboard?round={round_id}",
                      headers=analyst).status_code == 404


def test_a_proposed_term_accepted_changes_the_next_scan(service: Service,
                                                        client: TestClient) -> None:
    spotter = key_for(service, "sam", Role.SPOTTER)
    analyst = key_for(service, "ana", Role.ANALYST)
    ingest = {"X-API-Key": service.store.create_api_key("ingest", "shopco")}
    text = f"Hand-carved {NEW_TERM} pendant, old stock, DM me"
    before = client.post("/v1/posts", json={"id": "p1", "title": text}, headers=ingest).json()
    assert before["results"][0]["verdict"]["flagged"] is False
    report = client.post("/v1/reports", json={"listing": "p1", "platform": "shopco",
                                              "description": "they call ivory this"},
                         headers=spotter).json()
    wrong = client.post("/v1/terms/proposals", headers=spotter, json={
        "text": NEW_TERM, "species": "elephant", "review_item": report["review_item"]})
    assert wrong.status_code == 403
    proposed = client.post("/v1/terms/proposals", headers=spotter, json={
        "text": NEW_TERM, "species": "elephant", "kind": "code_word", "lang": "en",
        "note": "seen in p1", "report": report["report_id"]})
    assert proposed.status_code == 201, proposed.text
    proposal = proposed.json()
    assert proposal["post_pk"] is not None and proposal["status"] == "pending"
    again = client.post("/v1/terms/proposals", headers=spotter, json={
        "text": NEW_TERM, "species": "elephant"})
    assert again.status_code == 409
    assert client.get("/v1/terms/proposals?status=pending", headers=analyst).json()[0]["id"] \
        == proposal["id"]
    assert [p["id"] for p in client.get("/v1/terms/proposals", headers=spotter).json()] == \
        [proposal["id"]]
    assert client.post(f"/v1/terms/proposals/{proposal['id']}/decision", headers=spotter,
                       json={"decision": "accept"}).status_code == 403
    version = client.get("/v1/lexicon", headers=analyst).json()["version"]
    decided = client.post(f"/v1/terms/proposals/{proposal['id']}/decision", headers=analyst,
                          json={"decision": "accept", "note": "confirmed by TRAFFIC staff"})
    assert decided.status_code == 200, decided.text
    assert decided.json()["lexicon_version"] != version
    assert client.get("/v1/lexicon", headers=analyst).json()["version"] == \
        decided.json()["lexicon_version"]
    after = client.post("/v1/posts", json={"id": "p2", "title": text}, headers=ingest).json()
    verdict = after["results"][0]["verdict"]
    assert verdict["flagged"] and verdict["species"] == ["elephant"]
    group = client.get("/v1/lexicon/groups/elephant", headers=analyst).json()
    added = next(t for t in group["terms"] if t["text"] == NEW_TERM)
    assert added["source"].startswith("proposed by spotter sam, accepted by analyst ana")
    twice = client.post(f"/v1/terms/proposals/{proposal['id']}/decision", headers=analyst,
                        json={"decision": "reject"})
    assert twice.status_code == 409


def test_the_report_route_documents_both_bodies(client: TestClient) -> None:
    operation = client.get("/openapi.json").json()["paths"]["/v1/reports"]["post"]
    assert set(operation["requestBody"]["content"]) == {"application/json",
                                                        "multipart/form-data"}
    assert operation["x-permission"] == "report:submit"
