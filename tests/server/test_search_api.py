"""The search check over HTTP, the trends, and the hosted interstitial: hostile query text stays
text, links go only where they may, and the counts reach the store at shutdown."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from wildwatch.server.app import create_app
from wildwatch.server.service import Service
from wildwatch.store import Role

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)> ivory bangle'


@pytest.fixture
def keys(service: Service) -> dict[str, str]:
    store = service.store
    store.create_user("ana", "correct horse battery", Role.ANALYST)
    store.create_user("mo", "correct horse battery", Role.MODERATOR)
    return {"shop": store.create_api_key("shop search", "shopco"),
            "other": store.create_api_key("other search", "othershop"),
            "analyst": store.create_api_key("ana", "*", username="ana"),
            "moderator": store.create_api_key("mo", "*", username="mo")}


def test_check_trends_and_counts_written_at_shutdown(service: Service,
                                                     keys: dict[str, str]) -> None:
    shop = {"X-API-Key": keys["shop"]}
    with TestClient(create_app(service=service)) as client:
        answer = client.post("/v1/search/check", json={"query": "1v0ry bangle", "locale": "vi"},
                             headers=shop)
        assert answer.status_code == 200, answer.text
        body = answer.json()
        assert body["action"] == "warn" and body["group"] == "elephant"
        assert body["category"] == "ivory" and body["term"] == "ivory bangle"
        assert body["locale"] == "vi" and body["query"] == "ivory bangle"
        assert body["message"]["title"] == "Buôn bán ngà voi gây hại cho loài voi"
        assert body["message"]["show_results"] == "Vẫn hiển thị kết quả"
        assert body["learn_more_url"] == body["message"]["learn_more_url"]
        blocked = client.post("/v1/search/check", json={"query": "lekko", "locale": "zh-TW"},
                              headers=shop).json()
        assert blocked["action"] == "block" and blocked["message"]["show_results"] is None
        assert blocked["message"]["go_back"] == "返回"
        allowed = client.post("/v1/search/check", json={"query": "elephant"},
                              headers=shop).json()
        assert allowed["action"] == "allow" and allowed["message"] is None
        for _ in range(3):
            client.post("/v1/search/check", json={"query": "象 牙", "locale": "zh-CN"},
                        headers={"X-API-Key": keys["other"]})
        # an integration key checks for its own platform only
        refused = client.post("/v1/search/check",
                              json={"query": "ivory", "platform": "othershop"}, headers=shop)
        assert refused.status_code == 403
        trends = client.get("/v1/search/trends?by=term",
                            headers={"X-API-Key": keys["analyst"]})
        assert trends.status_code == 200, trends.text
        rows = {row["key"]: row for row in trends.json()["rows"]}
        assert rows["象牙"]["checks"] == 3 and rows["象牙"]["warned"] == 3
        assert rows["lekko"]["blocked"] == 1
        by_platform = client.get("/v1/search/trends?by=platform",
                                 headers={"X-API-Key": keys["analyst"]}).json()["rows"]
        assert {row["key"]: row["checks"] for row in by_platform} == {"othershop": 3,
                                                                     "shopco": 3}
        assert client.get("/v1/search/trends",
                          headers={"X-API-Key": keys["moderator"]}).status_code == 403
        # counted after the last read: written by the flusher when the app stops
        client.post("/v1/search/check", json={"query": "ivory bangle"}, headers=shop)
    from wildwatch.engage.search_counts import TrendBy, search_trends

    final = {row.key: row.checks for row in search_trends(service.database, TrendBy.TERM)}
    assert final["ivory bangle"] == 2


@pytest.mark.parametrize("body", [
    b"not json", b'{"query": 5}', b'{"locale": "en"}', b'{"query": "x", "colour": "red"}',
    ('{"query": "' + "x" * 3000 + '"}').encode(),
])
def test_bad_bodies_are_refused_with_a_reason(service: Service, keys: dict[str, str],
                                              body: bytes) -> None:
    with TestClient(create_app(service=service)) as client:
        answer = client.post("/v1/search/check", content=body,
                             headers={"X-API-Key": keys["shop"],
                                      "Content-Type": "application/json"})
    assert answer.status_code == 422
    assert answer.json()["detail"].startswith("invalid search check")


def test_an_unknown_key_or_none_gets_nothing(service: Service, keys: dict[str, str]) -> None:
    with TestClient(create_app(service=service)) as client:
        unknown = client.post("/v1/search/check", json={"query": "ivory"},
                              headers={"X-API-Key": "ww_nope_nope"})
        assert unknown.status_code == 401
        anonymous = client.post("/v1/search/check", json={"query": "ivory"})
        assert anonymous.status_code == 401


def _page(client: TestClient, **params: str) -> str:
    query = "&".join(f"{key}={quote(value, safe='')}" for key, value in params.items())
    answer = client.get(f"/interstitial?{query}", follow_redirects=False)
    assert answer.status_code == 200, answer.text
    assert "script-src 'self'" in answer.headers["content-security-policy"]
    return answer.text


def test_the_interstitial_escapes_hostile_query_text(service: Service) -> None:
    with TestClient(create_app(service=service)) as client:
        page = _page(client, query=HOSTILE, locale="fr", results="/search?q=x",
                     **{"return": "/"})
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    assert '<html lang="fr">' in page
    assert "Le commerce de l&#39;ivoire nuit aux éléphants" in page
    assert 'href="/search?q=x"' in page and "Afficher les résultats quand même" in page
    assert re.findall(r"<script[^>]*>", page) == ['<script src="/static/wildwatch-search.js" '
                                                  'defer>']
    assert "style=" not in page


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>", "//evil.example/", "/\\evil.example",
    "https://evil.example/", "https://shop.example.com.evil.example/",
    "https://user@shop.example.com/", "http://127.0.0.1:1/",
])
def test_the_interstitial_links_only_where_it_may(service: Service, url: str) -> None:
    with TestClient(create_app(service=service)) as client:
        page = _page(client, query="ivory bangle", platform="example-marketplace",
                     results=url, **{"return": url})
    assert "evil.example" not in page and "javascript:" not in page.lower()
    assert "data:text" not in page and "127.0.0.1" not in page and "user@" not in page
    # without a safe return address "go back" steps back in history; no results link at all
    assert "data-wildwatch-back" in page and 'data-wildwatch="show-results"' not in page


def test_registered_hosts_and_blocked_searches(service: Service) -> None:
    with TestClient(create_app(service=service)) as client:
        ok = _page(client, query="ivory bangle", platform="example-marketplace",
                   results="https://shop.example.com/search?q=ivory+bangle",
                   **{"return": "https://shop.example.com/"})
        assert 'href="https://shop.example.com/search?q=ivory+bangle"' in ok
        assert 'href="https://shop.example.com/" data-wildwatch="go-back"' in ok
        elsewhere = _page(client, query="ivory bangle", platform="someone-else",
                          results="https://shop.example.com/search")
        assert "shop.example.com" not in elsewhere
        blocked = _page(client, query="lekko", locale="zh-HK", results="/search?q=lekko")
        assert "海龜受到保護" in blocked and "/search?q=lekko" not in blocked
        assert "仍然顯示結果" not in blocked
        by_header = client.get("/interstitial?query=ivory", follow_redirects=False,
                               headers={"Accept-Language": "pt-BR,pt;q=0.9,en;q=0.5"})
        assert '<html lang="pt">' in by_header.text
        allowed = client.get("/interstitial?query=elephant&results=%2Fsearch%3Fq%3Delephant",
                             follow_redirects=False)
        assert allowed.status_code == 303 and allowed.headers["location"] == "/search?q=elephant"
        nowhere = client.get("/interstitial?query=elephant&results=javascript:alert(1)",
                             follow_redirects=False)
        assert nowhere.status_code == 204
    # the page re-checks what was already counted at the check: it counts nothing itself
    assert service.search.counter is not None and service.search.counter.pending() == 0


def test_the_snippet_is_served(service: Service) -> None:
    with TestClient(create_app(service=service)) as client:
        script = client.get("/static/wildwatch-search.js")
        assert script.status_code == 200 and "window.Wildwatch" not in script.text
        assert "global.Wildwatch = Wildwatch" in script.text
        assert "innerHTML" not in script.text
        assert client.get("/static/wildwatch-interstitial.css").status_code == 200
