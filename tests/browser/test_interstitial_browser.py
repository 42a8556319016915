"""The search interstitial in a real browser: Chromium (Debian's) driven by Playwright.

Two real servers on free local ports, as in production: Wildwatch, and a demo shop whose search
page includes Wildwatch's snippet (``/static/wildwatch-search.js``, from Wildwatch's origin) and
whose backend forwards the check to ``POST /v1/search/check`` with the shop's API key (the key
never reaches the page). Searching a listed term shows the interstitial in the chosen language
with the buttons the action allows; the hosted page keeps hostile text as text.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route

from tests_support import serving
from wildwatch.server.app import create_app
from wildwatch.server.service import Service

HOSTILE = "<script>window.__pwned=1</script><img src=x onerror=\"window.__pwned=1\"> ngà voi"

DEMO_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Demo shop</title>
<script src="{wildwatch}/static/wildwatch-search.js"></script>
<script src="/demo.js" defer></script></head>
<body><h1>Demo shop</h1>
<form id="search" action="/search">
  <input id="q" name="q" aria-label="Search">
  <select id="lang" aria-label="Language">
    <option value="en">English</option><option value="vi">Tiếng Việt</option>
    <option value="zh-CN">简体中文</option>
  </select>
  <button type="submit">Search</button>
</form></body></html>
"""

DEMO_SCRIPT = """
document.getElementById("search").addEventListener("submit", function (event) {
  event.preventDefault();
  var query = document.getElementById("q").value;
  Wildwatch.check(query, {endpoint: "/api/search-check", platform: "demo-shop",
                          locale: document.getElementById("lang").value})
    .then(function (outcome) {
      window.__outcome = outcome.action + ":" + outcome.choice;
      if (outcome.proceed) { window.location.assign("/search?q=" + encodeURIComponent(query)); }
    });
});
"""


def demo_shop(wildwatch: str, key: str) -> Starlette:
    """The platform: a search page, its script, results, and the proxy that adds the key."""

    async def page(_request: Request) -> Response:
        return HTMLResponse(DEMO_PAGE.format(wildwatch=wildwatch))

    async def script(_request: Request) -> Response:
        return Response(DEMO_SCRIPT, media_type="text/javascript")

    async def results(request: Request) -> Response:
        return HTMLResponse(f"<h1>Results for {quote(request.query_params.get('q', ''))}</h1>")

    async def check(request: Request) -> Response:
        async with httpx.AsyncClient() as client:
            answer = await client.post(f"{wildwatch}/v1/search/check",
                                       content=await request.body(),
                                       headers={"X-API-Key": key,
                                                "Content-Type": "application/json"})
        if answer.status_code != 200:
            return PlainTextResponse(answer.text, status_code=answer.status_code)
        return Response(answer.content, media_type="application/json")

    return Starlette(routes=[Route("/", page), Route("/demo.js", script),
                             Route("/search", results),
                             Route("/api/search-check", check, methods=["POST"])])


@pytest.fixture
def sites(service: Service) -> Iterator[tuple[str, str]]:
    """(Wildwatch's base URL, the demo shop's), both real servers."""
    key = service.store.create_api_key("demo shop search", "demo-shop")
    with serving(create_app(service=service)) as wildwatch, \
            serving(demo_shop(wildwatch, key)) as shop:
        yield wildwatch, shop


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()
    opened = context.new_page()
    dialogs: list[str] = []
    opened.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    yield opened
    assert dialogs == [], "a script ran that should not have"
    context.close()


def search(page: Page, shop: str, query: str, language: str) -> None:
    if not page.url.startswith(shop + "/") or "/search" in page.url:
        page.goto(shop + "/")
    page.select_option("#lang", language)
    page.fill("#q", query)
    page.click("button[type=submit]")


def test_a_warning_in_vietnamese_then_the_results(page: Page, sites: tuple[str, str]) -> None:
    _, shop = sites
    search(page, shop, "ngà voi", "vi")
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_have_attribute("lang", "vi")
    expect(dialog.get_by_role("heading")).to_have_text("Buôn bán ngà voi gây hại cho loài voi")
    learn = dialog.get_by_role("link", name="Tìm hiểu thêm")
    expect(learn).to_have_attribute("href", "https://www.worldwildlife.org/species/elephant")
    expect(learn).to_have_attribute("rel", "noopener noreferrer")
    expect(dialog.get_by_role("button", name="Quay lại")).to_be_focused()
    dialog.get_by_role("button", name="Vẫn hiển thị kết quả").click()
    page.wait_for_url(f"{shop}/search?q=*")
    expect(page.get_by_role("heading")).to_contain_text("Results for")


def test_simplified_chinese_go_back_keeps_the_search_page(page: Page,
                                                          sites: tuple[str, str]) -> None:
    _, shop = sites
    search(page, shop, "象 牙", "zh-CN")
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_role("heading")).to_have_text("象牙贸易伤害大象")
    expect(dialog.get_by_role("link", name="了解更多")).to_be_visible()
    expect(dialog.get_by_role("button", name="仍然显示结果")).to_be_visible()
    dialog.get_by_role("button", name="返回").click()
    expect(dialog).to_have_count(0)
    assert page.url == shop + "/"
    assert page.evaluate("window.__outcome") == "warn:back"


def test_a_blocked_search_offers_no_results(page: Page, sites: tuple[str, str]) -> None:
    _, shop = sites
    search(page, shop, "lekko", "zh-CN")
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_role("heading")).to_have_text("海龟受到保护")
    expect(dialog.get_by_text("我们不显示此搜索的结果。")).to_be_visible()
    expect(dialog.get_by_role("button")).to_have_count(1)  # go back; learn more is a link
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    assert page.evaluate("window.__outcome") == "block:back"


def test_an_ordinary_search_goes_straight_to_results(page: Page,
                                                     sites: tuple[str, str]) -> None:
    _, shop = sites
    search(page, shop, "running shoes", "en")
    page.wait_for_url(f"{shop}/search?q=running%20shoes")
    expect(page.get_by_role("dialog")).to_have_count(0)


def test_the_hosted_page_keeps_hostile_text_as_text(page: Page, sites: tuple[str, str]) -> None:
    wildwatch, shop = sites
    page.goto(shop + "/")
    page.goto(f"{wildwatch}/interstitial?query={quote(HOSTILE)}&locale=vi"
              f"&results={quote('/static/wildwatch-interstitial.css')}")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Buôn bán ngà voi gây hại cho loài voi")
    expect(page.locator(".wildwatch-query")).to_contain_text("<script>window.__pwned=1</script>")
    assert page.evaluate("window.__pwned") is None
    expect(page.get_by_role("link", name="Vẫn hiển thị kết quả")).to_be_visible()
    # without a return address, "go back" steps back in history: to the shop
    page.get_by_role("button", name="Quay lại").click()
    page.wait_for_url(shop + "/")
