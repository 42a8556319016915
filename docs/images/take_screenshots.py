"""Regenerate the console screenshots in this folder: console-item.png and dashboard.png.

    .venv/bin/python docs/images/take_screenshots.py

Starts a throw-away server (SQLite in a temporary folder) on a free local port, sends it the
sample posts from samples/posts.jsonl, decides a few of them as a moderator would, and captures
the item page and the dashboard with Playwright in Debian's Chromium (/usr/bin/chromium).
"""

from __future__ import annotations

import base64
import json
import socket
import struct
import sys
import tempfile
import threading
import time
import zlib
from pathlib import Path

import uvicorn
from playwright.sync_api import sync_playwright

from wildwatch.policy import Action
from wildwatch.server.app import create_app
from wildwatch.server.service import Service
from wildwatch.settings import Settings
from wildwatch.store import Role

HERE = Path(__file__).parent
ROOT = HERE.parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
# Made up for the picture: a person's password never appears anywhere else.
PASSWORD = "screenshot-only-password"


def placeholder_image(rgb: tuple[int, int, int], size: int = 48) -> str:
    """A small PNG as a data: URL (a gradient), standing in for a listing photo."""
    rows = b"".join(b"\x00" + bytes(
        channel for x in range(size)
        for channel in (min(255, rgb[0] + x * 2), min(255, rgb[1] + y * 2), rgb[2]))
        for y in range(size))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
    return "data:image/png;base64," + base64.b64encode(png).decode()


def seed(service: Service) -> int:
    """Send the sample posts, decide some; returns the review item to photograph."""
    store = service.store
    key = store.create_api_key("samples", "market")
    posts = [json.loads(line) for line in (ROOT / "samples" / "posts.jsonl").open()]
    for post in posts:
        post["platform"] = post.get("platform") or "market"
    featured = {"id": "s100", "platform": "market", "lang": "en",
                "title": "Live slow loris for sale, very tame, can ship",
                "text": "Baby slow loris, hand raised, eats from your hand. Pygmy loris also "
                        "available. DM for price, ships worldwide.",
                "hashtags": ["slowloris", "#exoticpets"], "price": 800, "currency": "USD",
                "images": [placeholder_image((120, 90, 60)), placeholder_image((60, 110, 90))],
                "seller": {"id": "u31", "name": "exotic_friends",
                           "bio": "WhatsApp +44 7700 900456"}}
    history = {"id": "s101", "platform": "market", "title": "Slow loris babies available",
               "text": "Two left, message me", "seller": {"id": "u31", "name": "exotic_friends"}}
    admin = store.user(1)
    assert admin is not None
    receipts = []
    by_platform: dict[str, list[dict[str, object]]] = {}
    for post in [*posts, history, featured]:
        by_platform.setdefault(str(post["platform"]), []).append(post)
    for platform, batch in by_platform.items():
        receipts += service.receive(batch, actor=f"key:{key[:11]}", platform=platform)
    featured_item = next(r.review_item for r in receipts if r.id == "s100")
    assert featured_item is not None
    for entry in store.queue(limit=50):
        if entry.item_id == featured_item or entry.post_id == "s101":
            continue
        store.claim(entry.item_id, admin)
        action = Action.ALLOW if entry.level == "review" else Action.REMOVE
        reason = "not-wildlife" if action is Action.ALLOW else "other"
        store.decide(entry.item_id, admin, action, reason)
        break
    return featured_item


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(data_dir=Path(folder), deliver_webhooks=False)
        service = Service(settings)
        service.store.create_user("amina", PASSWORD, Role.ADMIN)
        item = seed(service)
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        server = uvicorn.Server(uvicorn.Config(create_app(service=service), log_level="warning",
                                               ws="none", lifespan="on"))
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.05)
        base = f"http://127.0.0.1:{port}"
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                page.goto(f"{base}/login")
                page.fill("input[name=username]", "amina")
                page.fill("input[name=password]", PASSWORD)
                page.click(".login-card button[type=submit]")
                page.goto(f"{base}/items/{item}")
                page.click("button[data-shortcut=c]")
                page.wait_for_selector(".lock-mine")
                page.screenshot(path=str(HERE / "console-item.png"), full_page=True)
                page.goto(f"{base}/dashboard")
                page.screenshot(path=str(HERE / "dashboard.png"), full_page=True)
                browser.close()
        finally:
            server.should_exit = True
            thread.join(timeout=10)
            service.close()
    print(f"wrote {HERE / 'console-item.png'} and {HERE / 'dashboard.png'}", file=sys.stderr)


if __name__ == "__main__":
    main()
