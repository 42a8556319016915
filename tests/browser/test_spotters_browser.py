"""Spotters in a real browser: Chromium (Debian's) driven by Playwright against a real server
(uvicorn on a free local port) with a SQLite store.

A spotter logs in and reports a listing on the public page, with a screenshot; a moderator
claims and decides it in the console; the spotter sees the outcome. A spotter proposes a term
from their report, an analyst accepts it, and the next post the platform sends is judged with
it, with no restart.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from PIL import Image
from playwright.sync_api import Browser, Page, expect

from tests_support import service_detector, serving
from wildwatch.server.app import create_app
from wildwatch.server.service import Service
from wildwatch.settings import Settings
from wildwatch.store import Role

PASSWORD = "correct horse battery"
HOSTILE = "Carved <b>ivory</b> bangle <img src=x onerror=window.__pwned=1>, DM for price"
CLEAR_TEXT = "Hand-carved blorptusk pendant, old stock, DM me"


@pytest.fixture
def service(tmp_path: Path) -> Iterator[Service]:
    settings = Settings(data_dir=tmp_path / "data",
                        database_url=f"sqlite:///{tmp_path / 'wildwatch.db'}",
                        deliver_webhooks=False)
    svc = Service(settings, detector=service_detector())
    for name, role in [("sam", Role.SPOTTER), ("amina", Role.MODERATOR), ("ana", Role.ANALYST)]:
        svc.store.create_user(name, PASSWORD, role)
    yield svc
    svc.close()


@pytest.fixture
def server(service: Service) -> Iterator[str]:
    with serving(create_app(service=service)) as base:
        yield base


def log_in(browser: Browser, base: str, username: str, next_path: str,
           csp_errors: list[str]) -> Page:
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.on("console", lambda message: csp_errors.append(message.text)
            if "Content Security Policy" in message.text else None)
    page.goto(f"{base}/login?next={next_path}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click(".login-card button[type=submit]")
    expect(page.locator(".who-name")).to_have_text(username)
    return page


def screenshot(path: Path) -> Path:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 110, 80)).save(out, format="PNG")
    path.write_bytes(out.getvalue())
    return path


def test_a_spotter_reports_a_moderator_decides_and_the_spotter_sees_it(
        browser: Browser, server: str, tmp_path: Path) -> None:
    csp_errors: list[str] = []
    spotter = log_in(browser, server, "sam", "/report", csp_errors)
    expect(spotter.locator("#report-as")).to_contain_text("sam")
    spotter.fill("input[name=listing]",
                 "https://www.market.example/listing/981?utm_source=share#photos")
    spotter.select_option("select[name=species]", "elephant")
    spotter.fill("textarea[name=description]", HOSTILE)
    spotter.set_input_files("input[name=screenshot]", screenshot(tmp_path / "shot.png"))
    spotter.click("#report-form button[type=submit]")
    expect(spotter).to_have_url(f"{server}/spotter")
    expect(spotter.locator(".flash-ok")).to_contain_text("report 1")
    row = spotter.locator(".outcome-row").first
    expect(row).to_contain_text("https://market.example/listing/981")
    expect(row.locator(".outcome")).to_contain_text("Waiting for a moderator")
    expect(row).to_contain_text("<b>ivory</b>")   # shown as text, never as markup

    moderator = log_in(browser, server, "amina", "/", csp_errors)
    moderator.locator(".queue-row .item-link", has_text="Carved <b>ivory</b>").click()
    expect(moderator.locator("#item-reports-link")).to_contain_text("(1)")
    moderator.click("#item-reports-link")
    report = moderator.locator(".report").first
    expect(report).to_contain_text("sam")
    expect(report.locator(".post-text")).to_have_text(HOSTILE)
    image = report.locator("img")
    expect(image).to_be_visible()
    assert image.evaluate("img => img.complete && img.naturalWidth") == 64
    moderator.go_back()
    item_url = moderator.url
    moderator.click("button[data-shortcut=c]")
    expect(moderator.locator(".lock-mine")).to_be_visible()
    moderator.select_option("select[name=reason]", "ivory")
    moderator.click("button.decision-remove")
    expect(moderator).not_to_have_url(item_url)   # on to the next item, or the empty queue
    moderator.goto(item_url)
    expect(moderator.locator(".decide-panel")).to_contain_text("This item has been decided")

    spotter.reload()
    expect(row.locator(".outcome")).to_contain_text("Removed")
    expect(row.locator(".outcome")).to_contain_text("the moderator agreed")
    expect(spotter.locator("#my-reports")).to_have_text("1")
    assert spotter.evaluate("window.__pwned") is None
    assert moderator.evaluate("window.__pwned") is None
    assert csp_errors == []


def test_a_term_accepted_in_the_browser_changes_the_next_scan(
        browser: Browser, server: str, service: Service) -> None:
    ingest = {"X-API-Key": service.store.create_api_key("ingest", "shopco")}
    before = httpx.post(f"{server}/v1/posts", json={"id": "b1", "title": CLEAR_TEXT},
                        headers=ingest).json()["results"][0]
    assert before["verdict"]["flagged"] is False and before["action"] == "allow"
    csp_errors: list[str] = []
    spotter = log_in(browser, server, "sam", "/report", csp_errors)
    spotter.fill("input[name=listing]", "b1")
    spotter.fill("input[name=platform]", "shopco")
    spotter.fill("textarea[name=description]", "They call ivory 'blorptusk' now")
    spotter.click("#report-form button[type=submit]")
    spotter.locator(".outcome-row").first.get_by_role("link", name="Propose a term").click()
    expect(spotter.locator(".post-text").first).to_have_text(CLEAR_TEXT)
    spotter.fill("input[name=text]", "blorptusk")
    spotter.select_option("#propose-form select[name=species]", "elephant")
    spotter.select_option("#propose-form select[name=kind]", "code_word")
    spotter.click("#propose-form button[type=submit]")
    expect(spotter.locator(".flash-ok")).to_contain_text("'blorptusk' is proposal 1")

    analyst = log_in(browser, server, "ana", "/terms/proposals", csp_errors)
    proposal = analyst.locator(".proposal", has_text="blorptusk")
    expect(proposal).to_contain_text("sam")
    proposal.locator("input[name=note]").fill("seen on three sites")
    proposal.get_by_role("button", name="Accept").click()
    expect(analyst.locator(".flash-ok")).to_contain_text("'blorptusk' is in the lexicon")
    expect(analyst.locator("#pending-count")).to_have_text("0")

    after = httpx.post(f"{server}/v1/posts", json={"id": "b2", "title": CLEAR_TEXT},
                       headers=ingest).json()["results"][0]
    assert after["verdict"]["flagged"] is True
    assert after["verdict"]["species"] == ["elephant"]
    spotter.goto(f"{server}/spotter")
    expect(spotter.locator(".proposal-list")).to_contain_text("accepted")
    assert csp_errors == []
