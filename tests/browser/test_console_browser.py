"""The review console in a real browser: Chromium (Debian's) driven by Playwright against a real
server (uvicorn on a free local port), on SQLite and PostgreSQL.

A moderator logs in, walks the queue, claims by click and by key, decides by click and by key,
and the dashboard counts the decisions; hostile listing text stays text.
"""

from __future__ import annotations

import base64
import re
import socket
import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, expect

from wildwatch.server.app import create_app
from wildwatch.server.service import Service
from wildwatch.store import Role

PASSWORD = "correct horse battery"
SCRIPT = "<script>window.__pwned=1</script>"
IMG = '<img src=x onerror="window.__pwned=1">'
# A 1x1 PNG: the browser shows it without the network.
PIXEL = "data:image/png;base64," + base64.b64encode(bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63f8cfc0f01f0005000201a5d1e2ab0000000049454e44ae426082")).decode()
POSTS = [
    {"id": "p1", "title": "African grey parrot for sale", "text": SCRIPT},
    {"id": "p2", "title": "Live slow loris for sale, very tame", "text": IMG, "images": [PIXEL]},
    {"id": "p3", "title": "Mammoth ivory carving",
     "text": "Is this legal to own?"},
]


@pytest.fixture
def server(service: Service) -> Iterator[str]:
    """A real server on a free port with two moderators, an admin and three queued posts."""
    service.store.create_user("amina", PASSWORD, Role.MODERATOR)
    service.store.create_user("bo", PASSWORD, Role.MODERATOR)
    service.store.create_user("chief", PASSWORD, Role.ADMIN)
    receipts = service.receive(POSTS, actor="test", platform="shopco")
    assert all(r.review_item is not None for r in receipts)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    app_server = uvicorn.Server(uvicorn.Config(create_app(service=service), log_level="warning",
                                               ws="none", lifespan="on"))
    thread = threading.Thread(target=app_server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not app_server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    app_server.should_exit = True
    thread.join(timeout=10)
    sock.close()


def new_page(browser: Browser, base: str, username: str,
             csp_errors: list[str] | None = None) -> Page:
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    if csp_errors is not None:
        page.on("console", lambda message: csp_errors.append(message.text)
                if "Content Security Policy" in message.text else None)
    page.goto(f"{base}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click(".login-card button[type=submit]")
    expect(page.locator(".who-name")).to_have_text(username)
    return page


def test_moderator_claims_and_decides_by_click_and_by_key(browser: Browser, server: str,
                                                          service: Service) -> None:
    csp_errors: list[str] = []
    page = new_page(browser, server, "amina", csp_errors)
    expect(page.locator("#queue-depth")).to_have_text("3")
    rows = page.locator(".queue-row .item-link")
    expect(rows).to_have_count(3)
    first_title = rows.first.inner_text()
    rows.first.click()
    expect(page.locator("h1.post-heading")).to_have_text(first_title)
    expect(page.locator(".post-text mark.hit").first).to_be_visible()
    decide = page.locator("button.decision-remove")
    expect(decide).to_be_disabled()

    page.click("button[data-shortcut=c]")  # claim by click (htmx swaps the page in place)
    expect(page.locator(".lock-mine")).to_be_visible()
    expect(decide).to_be_enabled()

    other = new_page(browser, server, "bo")
    other.goto(page.url)
    expect(other.locator(".lock-other")).to_contain_text("amina")
    expect(other.locator("button.decision-remove")).to_be_disabled()
    other.context.close()

    page.select_option("select[name=reason]", "other")
    page.fill("textarea[name=note]", "seen before")
    decide.click()  # decide by click: on to the next item
    expect(page.locator(".flash-ok")).to_contain_text("Remove")
    second_url = page.url
    assert "/items/" in second_url

    page.keyboard.press("c")  # claim by key
    expect(page.locator(".lock-mine")).to_be_visible()
    page.select_option("select[name=reason]", "not-wildlife")
    page.locator("h1.post-heading").click()  # keys are ignored while a field has the focus
    page.keyboard.press("a")  # allow by key
    expect(page.locator(".flash-ok")).to_contain_text("Allow")
    assert page.url != second_url

    decisions = sorted(d.action for e in ("p1", "p2", "p3")
                       for d in _decisions_of(service, e))
    assert decisions == ["allow", "remove"]
    page.click("nav >> text=Dashboard")
    expect(page.locator("#kpi-decided")).to_have_text("2")
    expect(page.locator("#kpi-queue")).to_have_text("1")
    expect(page.locator("#kpi-scanned")).to_have_text("3")
    expect(page.locator("svg.chart")).to_have_count(4)
    assert csp_errors == []


def test_hostile_listing_text_is_shown_as_text(browser: Browser, server: str,
                                               service: Service) -> None:
    page = new_page(browser, server, "chief")
    for entry in service.store.queue():
        if entry.post_id not in ("p1", "p2"):
            continue
        page.goto(f"{server}/items/{entry.item_id}")
        hostile = SCRIPT if entry.post_id == "p1" else IMG
        expect(page.locator(".post-text", has_text=hostile)).to_be_visible()
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert page.locator("img[src=x]").count() == 0
        assert page.locator("main script").count() == 0


def test_images_start_blurred_and_unblur_on_request(browser: Browser, server: str,
                                                    service: Service) -> None:
    page = new_page(browser, server, "amina")
    item = next(e.item_id for e in service.store.queue() if e.post_id == "p2")
    page.goto(f"{server}/items/{item}")
    image = page.locator(".thumb img").first
    blurred = re.compile(r"blur\(")
    expect(image).to_have_css("filter", blurred)
    page.click(".thumb")
    expect(image).to_have_css("filter", "none")
    page.keyboard.press("i")  # all images: one is still blurred? show them all; else blur all
    expect(image).to_have_css("filter", blurred)
    page.click("text=Stop blurring images by default")
    expect(image).to_have_css("filter", "none")


def test_language_switch_shows_chinese_and_is_remembered(browser: Browser, server: str,
                                                         service: Service) -> None:
    page = new_page(browser, server, "amina")
    page.select_option("#language-select", "zh-Hans")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page.locator("h1")).to_have_text("审核队列")
    user = service.store.authenticate("amina", PASSWORD)
    assert user is not None and user.locale == "zh-Hans"


def _decisions_of(service: Service, post_id: str) -> list[object]:
    receipt = service.store.post_action("shopco", post_id)
    if receipt.review_item is None:
        return []
    return list(service.store.item(receipt.review_item).decisions)
