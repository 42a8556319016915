"""The spotters' pages on both backends: the public form with its CSRF token, hostile text kept as
text, who may open which page, and the analysts' queue accepting a term."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from wildwatch.server.app import create_app
from wildwatch.server.service import Service
from wildwatch.store import Role

PASSWORD = "correct horse battery"
HOSTILE = '<script>window.__pwned=1</script><img src=x onerror="alert(1)">'


@pytest.fixture
def client(service: Service) -> Iterator[TestClient]:
    for name, role in [("sam", Role.SPOTTER), ("mo", Role.MODERATOR), ("ana", Role.ANALYST),
                       ("vi", Role.VIEWER)]:
        service.store.create_user(name, PASSWORD, role)
    with TestClient(create_app(service=service)) as test_client:
        yield test_client


def first(pattern: str, html: str) -> str:
    found = re.search(pattern, html)
    assert found is not None, pattern
    return found.group(1)


def token(html: str) -> str:
    return first(r'name="csrf_token" value="([^"]+)"', html)


def log_in(client: TestClient, name: str) -> None:
    answer = client.post("/login", data={"username": name, "password": PASSWORD,
                                         "csrf_token": token(client.get("/login").text)},
                         follow_redirects=False)
    assert answer.status_code == 303


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (12, 12), (90, 60, 30)).save(out, format="PNG")
    return out.getvalue()


def test_anyone_reports_on_the_form_with_its_token(service: Service, client: TestClient) -> None:
    form = client.get("/report")
    assert form.status_code == 200 and 'enctype="multipart/form-data"' in form.text
    forged = client.post("/report", data={"csrf_token": "forged", "listing": "1",
                                          "platform": "shopco", "description": "ivory"})
    assert forged.status_code == 403
    assert service.store.post_count() == 0
    sent = client.post("/report", data={"csrf_token": token(form.text),
                                        "listing": "https://shop.example/item/5",
                                        "description": HOSTILE},
                       files={"screenshot": ("shot.png", png(), "image/png")})
    assert sent.status_code == 200 and 'id="report-thanks"' in sent.text
    assert service.store.post_count() == 1
    refused = client.post("/report", data={"csrf_token": token(form.text), "listing": "42",
                                           "description": HOSTILE})
    assert refused.status_code == 422
    assert 'data-error-for="platform"' in refused.text
    assert HOSTILE not in refused.text and "&lt;script&gt;" in refused.text   # kept, escaped


def test_the_form_says_when_to_slow_down(service: Service, client: TestClient) -> None:
    service.settings.report_limit = 1
    form = client.get("/report").text
    fields = {"csrf_token": token(form), "listing": "1", "platform": "shopco",
              "description": "ivory"}
    assert client.post("/report", data=fields).status_code == 200
    slowed = client.post("/report", data={**fields, "listing": "2"})
    assert slowed.status_code == 429 and "wait a few minutes" in slowed.text


def test_pages_open_to_the_roles_that_hold_their_permission(client: TestClient) -> None:
    assert client.get("/spotter", follow_redirects=False).headers["location"].startswith(
        "/login")
    log_in(client, "sam")
    assert client.get("/", follow_redirects=False).headers["location"] == "/spotter"
    assert client.get("/spotter").status_code == 200
    for path in ("/coordinators", "/terms/proposals", "/items/1/reports"):
        assert client.get(path).status_code == 403, path
    client.post("/logout", data={"csrf_token": token(client.get("/spotter").text)})
    log_in(client, "vi")
    assert client.get("/terms/propose").status_code == 403
    assert client.get("/spotter").status_code == 403


def test_staff_see_the_reports_and_an_analyst_accepts_a_term(service: Service,
                                                             client: TestClient) -> None:
    log_in(client, "sam")
    form = client.get("/report").text
    sent = client.post("/report", data={"csrf_token": token(form), "listing": "77",
                                        "platform": "shopco", "description": HOSTILE},
                       files={"screenshot": ("shot.png", png(), "image/png")},
                       follow_redirects=False)
    assert sent.headers["location"] == "/spotter"
    mine = client.get("/spotter").text
    assert "Waiting for a moderator" in mine and HOSTILE not in mine
    report_id = first(r'propose\?report=(\d+)', mine)
    page = client.get(f"/terms/propose?report={report_id}")
    assert page.status_code == 200 and HOSTILE not in page.text
    proposed = client.post("/terms/propose", data={
        "csrf_token": token(page.text), "report": report_id, "text": "blorptusk",
        "species": "elephant", "kind": "code_word", "lang": "en"}, follow_redirects=False)
    assert proposed.headers["location"] == "/spotter"
    client.post("/logout", data={"csrf_token": token(client.get("/spotter").text)})

    log_in(client, "mo")
    item = client.get("/items/1")
    assert 'id="propose-term-link"' in item.text and "Reports from spotters (1)" in item.text
    reports = client.get("/items/1/reports")
    assert reports.status_code == 200 and HOSTILE not in reports.text
    shot = re.search(r'src="(/v1/reports/screenshots/[^"]+)"', reports.text)
    assert shot is not None and client.get(shot.group(1)).status_code == 200
    client.post("/logout", data={"csrf_token": token(item.text)})

    log_in(client, "ana")
    queue = client.get("/terms/proposals")
    assert "blorptusk" in queue.text and HOSTILE not in queue.text
    proposal = first(r'data-proposal="(\d+)"', queue.text)
    version = service.detector.lexicon.version
    decided = client.post(f"/terms/proposals/{proposal}/decision",
                          data={"csrf_token": token(queue.text), "decision": "accept",
                                "weight": "0.8"})
    assert "is in the lexicon" in decided.text
    assert service.detector.lexicon.version != version
    added = [t for t in service.detector.lexicon.groups["elephant"].terms
             if t.text == "blorptusk"]
    assert [t.weight for t in added] == [0.8]
    board = client.get("/coordinators")
    assert board.status_code == 200 and ">sam <" in board.text
    made = client.post("/coordinators/rounds", data={
        "csrf_token": token(board.text), "name": "Pangolin round", "species": "pangolin",
        "starts": "2026-11-01", "ends": "2026-11-28"})
    assert "Pangolin round" in made.text
    assert service.reports.rounds()[0].ends_at.isoformat() == "2026-11-29T00:00:00"


def test_signing_up_is_off_unless_the_operator_turns_it_on(service: Service,
                                                           client: TestClient) -> None:
    assert client.get("/signup").status_code == 404
    assert "/signup" not in client.get("/report").text
    service.settings.spotter_signup = True
    assert 'href="/signup"' in client.get("/report").text
    form = client.get("/signup").text
    fields = {"csrf_token": token(form), "username": "mei", "password": PASSWORD,
              "password_again": PASSWORD}
    assert client.post("/signup", data={**fields, "password_again": "other"}).status_code == 422
    assert client.post("/signup", data={**fields, "username": "<b>"}).status_code == 422
    assert client.post("/signup", data={**fields, "username": "sam"}).status_code == 409
    made = client.post("/signup", data=fields, follow_redirects=False)
    assert made.status_code == 303 and made.headers["location"] == "/spotter"
    home = client.get("/spotter")
    assert "Welcome, mei" in home.text and 'class="who-name">mei' in home.text
    mei = next(user for user in service.store.users() if user.username == "mei")
    assert mei.role is Role.SPOTTER
    assert client.get("/items/1").status_code == 403   # a spotter, nothing more
    client.post("/logout", data={"csrf_token": token(home.text)})
    for n in range(3):
        form = client.get("/signup").text
        client.post("/signup", data={**fields, "csrf_token": token(form),
                                     "username": f"sock{n}"})
        client.post("/logout", data={"csrf_token": token(client.get("/report").text)})
    slowed = client.post("/signup", data={**fields, "csrf_token": token(client.get(
        "/signup").text), "username": "sock9"})
    assert slowed.status_code == 429
