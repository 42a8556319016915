"""The review console through its pages, on both backends: log-in, permissions per role, CSRF,
claim and decide, language; and its pure parts: the highlight builder and the catalogues."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from wildwatch.detect.verdict import Level
from wildwatch.policy import Action
from wildwatch.server import console
from wildwatch.server.access import GRANTS, Permission
from wildwatch.server.app import create_app
from wildwatch.server.highlight import Span, highlight, highlighted_fields
from wildwatch.server.i18n import (
    LOCALES,
    catalogue,
    from_accept_language,
    normalize_locale,
    placeholders,
)
from wildwatch.server.service import Service
from wildwatch.store import ActionSource, Role

PASSWORD = "correct horse battery"
SCRIPT = "<script>window.__pwned=1</script>"
IMG = '<img src=x onerror="window.__pwned=1">'
#: Posts the shipped policy queues (escalate for birds and primates, review for the mammoth).
POSTS = [
    {"id": "p1", "title": "African grey parrot for sale", "text": SCRIPT,
     "seller": {"id": "s1", "name": "birdman"}},
    {"id": "p2", "title": "Live slow loris for sale, very tame", "text": IMG,
     "images": ["https://images.example/loris.jpg", "javascript:alert(1)"]},
    {"id": "p3", "title": "Mammoth ivory carving",
     "text": "Is this legal to own?"},
]
PEOPLE = {role: f"{role.value}-person" for role in (Role.ADMIN, Role.ANALYST, Role.MODERATOR,
                                                    Role.VIEWER)}


@pytest.fixture
def client(service: Service) -> Iterator[TestClient]:
    for role, name in PEOPLE.items():
        service.store.create_user(name, PASSWORD, role)
    service.store.create_user("second-moderator", PASSWORD, Role.MODERATOR)
    receipts = service.receive(POSTS, actor="test", platform="shopco")
    assert all(r.review_item is not None for r in receipts), [r.action for r in receipts]
    with TestClient(create_app(service=service)) as test_client:
        yield test_client


def token(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found is not None, "the page has no CSRF field"
    return found.group(1)


def log_in(client: TestClient, username: str, password: str = PASSWORD) -> str:
    """Log in through the form; returns the session's CSRF token."""
    page = client.get("/login")
    answer = client.post("/login", data={"username": username, "password": password,
                                         "csrf_token": token(page.text)})
    assert answer.status_code == 200, answer.text
    return token(answer.text)


def item_ids(service: Service) -> list[int]:
    return [entry.item_id for entry in service.store.queue()]


# -- log-in and log-out ----------------------------------------------------------------------------

def test_log_in_shows_the_person_then_log_out(client: TestClient) -> None:
    page = client.get("/login")
    wrong = client.post("/login", data={"username": "moderator-person", "password": "nope",
                                        "csrf_token": token(page.text)})
    assert wrong.status_code == 401
    assert "Wrong username or password." in wrong.text
    csrf = log_in(client, "moderator-person")
    queue = client.get("/")
    assert "moderator-person" in queue.text and ">moderator<" in queue.text
    assert 'href="/dashboard"' in queue.text and 'href="/audit"' not in queue.text
    out = client.post("/logout", data={"csrf_token": csrf}, follow_redirects=False)
    assert out.status_code == 303 and out.headers["location"] == "/login"
    again = client.get("/dashboard", follow_redirects=False)
    assert again.status_code == 303
    assert again.headers["location"] == "/login?next=%2Fdashboard"


def test_log_in_returns_to_the_page_asked_for(client: TestClient, service: Service) -> None:
    item = item_ids(service)[0]
    page = client.get(f"/items/{item}")  # redirected to the log-in form, which keeps `next`
    assert f'name="next" value="/items/{item}"' in page.text
    answer = client.post("/login", data={"username": "viewer-person", "password": PASSWORD,
                                         "csrf_token": token(page.text),
                                         "next": f"/items/{item}"}, follow_redirects=False)
    assert answer.headers["location"] == f"/items/{item}"
    assert console.safe_next("//evil.example/") == "/"
    assert console.safe_next("https://evil.example/") == "/"


# -- permissions -----------------------------------------------------------------------------------

PAGES = {"/": Permission.QUEUE_READ, "/queue": Permission.QUEUE_READ,
         "/items/{item}": Permission.QUEUE_READ, "/dashboard": Permission.METRICS_READ,
         "/audit": Permission.AUDIT_READ}


@pytest.mark.parametrize("role", list(PEOPLE))
def test_every_page_enforces_its_permission(client: TestClient, service: Service,
                                            role: Role) -> None:
    csrf = log_in(client, PEOPLE[role])
    item = item_ids(service)[0]
    for path, permission in PAGES.items():
        answer = client.get(path.format(item=item))
        expected = 200 if role in GRANTS[permission] else 403
        assert answer.status_code == expected, (role, path)
        if expected == 403:
            assert "Not allowed" in answer.text
    claim = client.post(f"/items/{item}/claim", data={"csrf_token": csrf},
                        follow_redirects=False)
    may_decide = role in GRANTS[Permission.REVIEW_DECIDE]
    assert claim.status_code == (303 if may_decide else 403), role
    held = service.store.item(item).claimed_by
    assert held == (PEOPLE[role] if may_decide else None)


def test_pages_send_strangers_to_log_in(client: TestClient, service: Service) -> None:
    for path in (*PAGES, "/items/next"):
        answer = client.get(path.format(item=item_ids(service)[0]), follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"].startswith("/login")


# -- CSRF ------------------------------------------------------------------------------------------

def test_posts_without_the_session_token_are_refused(client: TestClient,
                                                     service: Service) -> None:
    item = item_ids(service)[0]
    assert client.post("/login", data={"username": "admin-person", "password": PASSWORD,
                                       "csrf_token": "forged"}).status_code == 403
    csrf = log_in(client, "moderator-person")
    for data in ({}, {"csrf_token": "forged"}, {"csrf_token": csrf + "x"}):
        answer = client.post(f"/items/{item}/claim", data=data)
        assert answer.status_code == 403
        assert "Reload the page" in answer.text
        answer = client.post(f"/items/{item}/decision",
                             data={**data, "action": "remove", "reason": "other"})
        assert answer.status_code == 403
        assert client.post("/logout", data=data).status_code == 403
        assert client.post("/language", data={**data, "locale": "zh-Hans"}).status_code == 403
    assert service.store.item(item).claimed_by is None
    assert client.post(f"/items/{item}/claim", data={"csrf_token": csrf}).status_code == 200
    assert service.store.item(item).claimed_by == "moderator-person"


# -- the queue and one item ------------------------------------------------------------------------

def test_queue_lists_open_items_in_the_stores_order_with_filters(client: TestClient,
                                                                 service: Service) -> None:
    log_in(client, "viewer-person")
    page = client.get("/").text
    order = [int(n) for n in re.findall(r'class="item-link" href="/items/(\d+)"', page)]
    assert order == item_ids(service)
    assert '<dd id="queue-depth">3</dd>' in page
    assert "Mammoth ivory carving" in page
    birds = client.get("/", params={"species": "birds"}).text
    assert "African grey parrot" in birds and "Mammoth" not in birds
    assert "Nothing to review" in client.get("/", params={"platform": "elsewhere"}).text


def test_claim_decide_and_go_to_the_next_item(client: TestClient, service: Service) -> None:
    first, second, _ = item_ids(service)
    csrf = log_in(client, "moderator-person")
    page = client.get(f"/items/{first}").text
    assert 'data-shortcut="c"' in page and "disabled" in page  # decide only after claiming
    page = client.post(f"/items/{first}/claim", data={"csrf_token": csrf}).text
    assert "You hold this item" in page
    for action, key in console.DECISION_KEYS.items():
        assert f'value="{action.value}"' in page and f'data-shortcut="{key}"' in page

    other = TestClient(client.app)
    other_csrf = log_in(other, "second-moderator")
    locked = other.get(f"/items/{first}").text
    assert "moderator-person is reviewing this item" in locked
    refused = other.post(f"/items/{first}/claim", data={"csrf_token": other_csrf}).text
    assert "Could not claim" in refused and "claimed by moderator-person" in refused

    decided = client.post(f"/items/{first}/decision", data={
        "csrf_token": csrf, "action": "remove", "reason": "other", "note": "carved, <b>old</b>"})
    assert decided.url.path == f"/items/{second}"
    assert f"Item {first}: Remove." in decided.text
    record = service.store.item(first)
    assert record.status == "decided" and record.action == Action.REMOVE.value
    assert record.action_source == ActionSource.REVIEWER.value
    assert [(d.reason, d.note) for d in record.decisions] == [("other", "carved, <b>old</b>")]
    history = client.get(f"/items/{first}").text
    assert "carved, &lt;b&gt;old&lt;/b&gt;" in history and "This item has been decided" in history


def test_decisions_name_a_known_action_and_reason(client: TestClient, service: Service) -> None:
    item = item_ids(service)[0]
    csrf = log_in(client, "admin-person")
    client.post(f"/items/{item}/claim", data={"csrf_token": csrf})
    for action, reason in (("review", "other"), ("remove", "because"), ("remove", "")):
        answer = client.post(f"/items/{item}/decision",
                             data={"csrf_token": csrf, "action": action, "reason": reason})
        assert answer.status_code in (403, 422), (action, reason)
    assert service.store.item(item).status == "open"
    categories = [category.id for category in service.policy.categories]
    page = client.get(f"/items/{item}").text
    for reason in (*categories, "not-wildlife", "other"):
        assert f'<option value="{reason}"' in page


def test_listing_text_is_escaped_everywhere(client: TestClient, service: Service) -> None:
    log_in(client, "admin-person")
    for item in item_ids(service):
        page = client.get(f"/items/{item}").text
        assert SCRIPT not in page and "<img src=x" not in page
        assert "javascript:" not in page
    pages = [client.get(f"/items/{item}").text for item in item_ids(service)]
    assert any("&lt;script&gt;window.__pwned=1&lt;/script&gt;" in page for page in pages)
    assert any("&lt;img src=x onerror=&#34;window.__pwned=1&#34;&gt;" in page for page in pages)
    assert any('src="https://images.example/loris.jpg"' in page for page in pages)


def test_item_links_to_seller_history_and_similar_posts(client: TestClient,
                                                        service: Service) -> None:
    service.receive([{"id": "p9", "title": "Parrot chicks", "seller": {"id": "s1"}}],
                    actor="test", platform="shopco")
    log_in(client, "analyst-person")
    first = next(e.item_id for e in service.store.queue() if e.post_id == "p1")
    page = client.get(f"/items/{first}").text
    assert 'href="/posts/shopco/p9"' in page
    answer = client.get("/posts/shopco/p9", follow_redirects=False)
    if answer.status_code == 303:
        assert answer.headers["location"].startswith("/items/")
    else:
        assert answer.status_code == 200 and "not in the review queue" in answer.text
    assert client.get("/posts/shopco/none").status_code == 404


# -- dashboard and audit ---------------------------------------------------------------------------

def test_dashboard_shows_the_counts(client: TestClient) -> None:
    log_in(client, "viewer-person")
    page = client.get("/dashboard").text
    assert '<dd id="kpi-scanned">3</dd>' in page
    assert '<dd id="kpi-queue">3</dd>' in page
    assert page.count("<svg class=\"chart\"") == 4
    assert 'href="/v1/metrics.csv"' in page
    csv = client.get("/v1/metrics.csv")
    assert csv.status_code == 200 and csv.text.startswith("dimension,key")
    filtered = client.get("/dashboard", params={"platform": "elsewhere"}).text
    assert '<dd id="kpi-scanned">0</dd>' in filtered
    assert 'href="/v1/metrics.csv?platform=elsewhere"' in filtered


def test_audit_pages_through_the_log(client: TestClient, service: Service) -> None:
    for index in range(console.AUDIT_PAGE + 5):
        service.store.record_audit("test", "test.entry", f"thing:{index}", {"n": index})
    log_in(client, "analyst-person")
    first = client.get("/audit").text
    assert first.count("<tr>") - 1 == console.AUDIT_PAGE  # one header row
    older = re.search(r'href="/audit\?before=(\d+)"', first)
    assert older is not None
    rest = client.get(f"/audit?before={older.group(1)}").text
    assert "user.create" in rest and 'href="/audit"' in rest


# -- language --------------------------------------------------------------------------------------

def test_language_follows_the_person_then_the_browser(client: TestClient,
                                                      service: Service) -> None:
    chinese = client.get("/login", headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"})
    assert '<html lang="zh-Hans">' in chinese.text and "登录" in chinese.text
    csrf = log_in(client, "moderator-person")
    assert '<html lang="en">' in client.get("/").text  # the stored locale wins
    switched = client.post("/language", data={"csrf_token": csrf, "locale": "zh-Hans",
                                              "next": "/dashboard"})
    assert switched.url.path == "/dashboard"
    assert '<html lang="zh-Hans">' in switched.text and "数据看板" in switched.text
    user = service.store.authenticate("moderator-person", PASSWORD)
    assert user is not None and user.locale == "zh-Hans"
    assert client.post("/language", data={"csrf_token": csrf, "locale": "fr"}).status_code == 422


# -- the highlight builder -------------------------------------------------------------------------

def test_highlight_marks_the_offsets_and_escapes_the_rest() -> None:
    html = highlight("a <b>ivory</b> & tusk", [Span(5, 10, "ivory (elephant)")])
    assert str(html) == ('a &lt;b&gt;<mark class="hit" title="ivory (elephant)">ivory</mark>'
                         "&lt;/b&gt; &amp; tusk")


def test_highlight_merges_overlapping_and_touching_matches() -> None:
    text = "old ivory carving here"
    html = highlight(text, [Span(4, 9, "ivory"), Span(4, 17, "ivory carving"),
                            Span(10, 17, "carving"), Span(17, 18, "space")])
    assert str(html) == ('old <mark class="hit" title="ivory; ivory carving; carving; space">'
                         "ivory carving </mark>here")
    assert str(highlight("abc", [Span(-3, 1, "x"), Span(2, 99, "y"), Span(2, 2, "z")])) == (
        '<mark class="hit" title="x">a</mark>b<mark class="hit" title="y">c</mark>')


def test_highlight_escapes_hostile_text_and_labels() -> None:
    html = str(highlight(SCRIPT, [Span(8, 14, '"><script>')]))
    assert "<script>" not in html
    assert html.startswith("&lt;script&gt;")
    assert 'title="&#34;&gt;&lt;script&gt;"' in html


def test_highlighted_fields_use_each_fields_offsets() -> None:
    post = {"title": "<i>ivory</i> bangle", "text": "rhino horn",
            "hashtags": ["CarvedIvory", "#ivory", 7]}
    matches = [
        {"field": "title", "start": 3, "end": 8, "text": "ivory", "term": "ivory",
         "group": "elephant"},
        {"field": "hashtags[0]", "start": 0, "end": 11, "text": "CarvedIvory",
         "term": "#carvedivory", "group": "elephant"},
        {"field": "hashtags[1]", "start": 1, "end": 6, "text": "ivory", "term": "ivory",
         "group": "elephant"},
        {"field": "text", "start": 0, "end": 4, "text": "tusk", "term": "tusk",
         "group": "elephant"},  # offsets that no longer fit the text: not marked
    ]
    fields = {field.name: str(field.html) for field in highlighted_fields(post, matches)}
    assert fields["title"] == ('&lt;i&gt;<mark class="hit" title="ivory (elephant)">ivory'
                               "</mark>&lt;/i&gt; bangle")
    assert fields["text"] == "rhino horn"
    assert fields["hashtags[0]"] == ('#<mark class="hit" title="#carvedivory (elephant)">'
                                     "CarvedIvory</mark>")
    assert fields["hashtags[1]"] == '#<mark class="hit" title="ivory (elephant)">ivory</mark>'
    assert list(fields) == ["title", "text", "hashtags[0]", "hashtags[1]"]


def test_highlighted_fields_from_a_real_verdict(service: Service) -> None:
    post = {"id": "h1", "text": "Selling i.v.o.r.y netsuke <b>", "hashtags": ["CarvedIvoryTusk"]}
    receipt = service.receive([post], actor="test", platform="shopco")[0]
    fields = {f.name: f for f in highlighted_fields(post, receipt.verdict["matches"])}
    assert fields["text"].marks >= 1 and "<mark" in str(fields["text"].html)
    assert str(fields["text"].html).endswith("&lt;b&gt;")
    assert fields["hashtags[0]"].marks == 1


# -- catalogues ------------------------------------------------------------------------------------

TEMPLATES = Path(console.__file__).parent / "templates"


def test_catalogues_have_the_same_keys_and_placeholders() -> None:
    english = catalogue("en")
    for locale in LOCALES:
        other = catalogue(locale)
        assert set(other) == set(english), (locale, set(other) ^ set(english))
        for key, message in english.items():
            assert placeholders(other[key]) == placeholders(message), (locale, key)


def test_every_message_the_console_asks_for_exists() -> None:
    sources = [path.read_text() for path in TEMPLATES.glob("*.html")]
    sources.append(Path(console.__file__).read_text())
    used = {key for text in sources
            for key in re.findall(r"""\bt\(\s*["']([a-z_]+\.[a-z0-9_.\-]+)["']""", text)}
    used |= {f"{key}" for text in sources
             for key in re.findall(r"""["']((?:item|queue|errors)\.[a-z_]+)["']""", text)}
    used |= {f"role.{role.value}" for role in Role}
    used |= {f"level.{level.value}" for level in Level}
    used |= {f"action.{action.value}" for action in Action}
    used |= {f"source.{source.value}" for source in ActionSource}
    used |= {f"reason.{reason}" for reason in console.EXTRA_REASONS}
    used |= {f"series.{name}" for name in ("posts", "flagged", "removed_or_blocked")}
    used |= {f"field.{name}" for name in ("title", "text", "description")}
    used |= {f"errors.heading_{status}" for status in (403, 404, 422)}
    used -= {"item.html", "queue.html", "errors.heading_"}
    missing = used - set(catalogue("en"))
    assert not missing


def test_language_tags_map_to_interface_languages() -> None:
    assert normalize_locale("zh-CN") == "zh-Hans"
    assert normalize_locale("zh_TW") == "zh-Hans"
    assert normalize_locale("en-GB") == "en"
    assert normalize_locale("fr") is None
    assert from_accept_language("fr-FR,zh;q=0.8,en;q=0.7") == "zh-Hans"
    assert from_accept_language("fr, en;q=0.1") == "en"
    assert from_accept_language("zh;q=0, en;q=0.2") == "en"
    assert from_accept_language("garbage;q=x") is None
    assert from_accept_language(None) is None
