"""A killed server loses nothing it acknowledged and leaves no half-written post.

`wildwatch serve` runs as a real process on each backend. Client threads send batches of new
posts and note every batch the server acknowledged (a 200 read in full); the server is killed
with SIGKILL in the middle of that load. The store, opened directly, must then hold every
acknowledged post; every batch whole or not at all; and each post's records as one transaction
writes them: its species and terms as its verdict says, a policy action row, an audit entry and
a webhook delivery for every action but allow, one review item for review and escalate, and no
row anywhere that points at a post which is not there. Restarted on the same store, the server
answers, accepts new posts and knows the old ones.
"""

from __future__ import annotations

import itertools
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, select, text

from wildwatch.store import Database, Store
from wildwatch.store.schema import (
    actions,
    audit_log,
    blocked_sellers,
    metadata,
    post_species,
    post_terms,
    posts,
    review_items,
    webhook_deliveries,
)

PLATFORM = "shopco"
BATCH = 20
SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "posts.jsonl"
QUEUED = {"review", "escalate"}


def _sample_posts() -> list[dict[str, Any]]:
    out = []
    for line in SAMPLES.read_text(encoding="utf-8").splitlines():
        if line.strip():
            post = json.loads(line)
            post.pop("platform", None)  # the key's platform is theirs
            out.append(post)
    return out


class ServeProcess:
    """`wildwatch serve` as a separate process on a free port."""

    def __init__(self, database_url: str, data_dir: Path, log: Path) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log
        env = {**os.environ, "WILDWATCH_DATA_DIR": str(data_dir),
               # Deliveries stay pending, so the test can count them.
               "WILDWATCH_DELIVER_WEBHOOKS": "false"}
        with log.open("ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "wildwatch", "serve", "--port", str(self.port),
                 "--database", database_url], env=env, stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 120
        while True:
            if self.process.poll() is not None:
                raise AssertionError(f"wildwatch serve exited with {self.process.returncode}:\n"
                                     + log.read_text(errors="replace")[-3000:])
            try:
                if httpx.get(f"{self.base}/healthz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                self.kill()
                raise AssertionError("wildwatch serve did not answer /healthz within 120 s:\n"
                                     + log.read_text(errors="replace")[-3000:])
            time.sleep(0.2)

    def kill(self) -> None:
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


@dataclass
class Load:
    """Client threads sending batches of new posts until told to stop."""

    base: str
    key: str
    samples: list[dict[str, Any]]
    sent: dict[str, list[str]] = field(default_factory=dict)
    acknowledged: set[str] = field(default_factory=set)
    refused: list[str] = field(default_factory=list)
    """Answers other than 200 with every receipt: none may come, killed or not."""
    unanswered: int = 0
    stop: threading.Event = field(default_factory=threading.Event)
    _numbers: itertools.count[int] = field(default_factory=itertools.count)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def batch(self) -> tuple[str, list[dict[str, Any]]]:
        with self._lock:
            number = next(self._numbers)
            name = f"b{number}"
            posts = [{**self.samples[(number * BATCH + k) % len(self.samples)],
                      "id": f"{name}-{k}", "seller": {"id": f"seller-{(number + k) % 11}"}}
                     for k in range(BATCH)]
            self.sent[name] = [post["id"] for post in posts]
        return name, posts

    def run(self) -> None:
        with httpx.Client(base_url=self.base, timeout=60,
                          headers={"X-API-Key": self.key}) as client:
            while not self.stop.is_set():
                name, batch = self.batch()
                try:
                    answer = client.post("/v1/posts", json={"posts": batch})
                except httpx.HTTPError:  # the server is gone: no answer, no acknowledgement
                    with self._lock:
                        self.unanswered += 1
                    time.sleep(0.01)
                    continue
                ids = [r["id"] for r in answer.json()["results"]] \
                    if answer.status_code == 200 else []
                with self._lock:
                    if ids == self.sent[name]:
                        self.acknowledged.add(name)
                    else:
                        self.refused.append(f"{name}: {answer.status_code} {answer.text[:300]}")


def test_sigkill_mid_load_loses_no_acknowledged_post(database_url: str,
                                                      tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    database = Database(database_url)
    database.migrate()
    store = Store(database)
    key = store.create_api_key("durability", PLATFORM)
    store.add_webhook(PLATFORM, "http://127.0.0.1:9/hook", ["post.action"], actor="test")
    database.dispose()

    log = tmp_path / "serve.log"
    server = ServeProcess(database_url, data_dir, log)
    load = Load(server.base, key, _sample_posts())
    clients = [threading.Thread(target=load.run, name=f"client-{i}") for i in range(3)]
    try:
        for client in clients:
            client.start()
        deadline = time.monotonic() + 120
        while len(load.acknowledged) < 10 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert len(load.acknowledged) >= 10, log.read_text(errors="replace")[-3000:]
        server.kill()
    finally:
        load.stop.set()
        for client in clients:
            client.join(timeout=120)
        server.stop()
    assert load.refused == []
    assert server.process.returncode == -signal.SIGKILL

    database = Database(database_url)
    try:
        problems = _check_store(database, load)
    finally:
        database.dispose()
    assert problems == [], "\n".join(problems[:30])

    # The same store, a new process: it answers, knows the old posts and takes new ones.
    again = ServeProcess(database_url, data_dir, log)
    try:
        with httpx.Client(base_url=again.base, timeout=60,
                          headers={"X-API-Key": key}) as client:
            assert client.get("/healthz").status_code == 200
            old = sorted(load.acknowledged)[0]
            repeat = [{"id": post_id, "title": "sent again"} for post_id in load.sent[old]]
            answer = client.post("/v1/posts", json={"posts": repeat})
            assert answer.status_code == 200, answer.text
            assert {r["created"] for r in answer.json()["results"]} == {False}
            fresh = [{"id": f"after-restart-{k}", "title": "Carved ivory bangle, DM me"}
                     for k in range(BATCH)]
            answer = client.post("/v1/posts", json={"posts": fresh})
            assert answer.status_code == 200, answer.text
            assert {r["created"] for r in answer.json()["results"]} == {True}
            stored = client.get(f"/v1/posts/{PLATFORM}/after-restart-0")
            assert stored.status_code == 200, stored.text
    finally:
        again.stop()
    assert again.process.returncode == 0, log.read_text(errors="replace")[-3000:]


def _check_store(database: Database, load: Load) -> list[str]:
    """Every way the store could disagree with what was acknowledged, or with itself."""
    problems: list[str] = []
    with database.read() as conn:
        if database.dialect == "sqlite":
            integrity = conn.execute(text("PRAGMA integrity_check")).scalar()
            if integrity != "ok":
                problems.append(f"SQLite integrity check: {integrity}")
        rows = conn.execute(select(posts).where(posts.c.platform == PLATFORM)).all()
        species: dict[int, set[str]] = defaultdict(set)
        for pk, name in conn.execute(select(post_species.c.post_pk, post_species.c.species)):
            species[pk].add(name)
        terms: dict[int, set[str]] = defaultdict(set)
        for pk, term in conn.execute(select(post_terms.c.post_pk, post_terms.c.term)):
            terms[pk].add(term)
        live_actions: dict[int, list[str]] = defaultdict(list)
        for pk, action, source, shadow in conn.execute(select(
                actions.c.post_pk, actions.c.action, actions.c.source, actions.c.shadow)):
            if not shadow:
                live_actions[pk].append(f"{source}:{action}")
        items = Counter(pk for pk, status in conn.execute(
            select(review_items.c.post_pk, review_items.c.status))
            if status == "open")
        audited = Counter(conn.execute(select(audit_log.c.subject).where(
            audit_log.c.verb == "policy.action")).scalars())
        delivered = Counter(json.loads(payload)["id"] for payload in conn.execute(
            select(webhook_deliveries.c.payload)).scalars())
        blocked = {(platform, seller) for platform, seller in conn.execute(
            select(blocked_sellers.c.platform, blocked_sellers.c.seller_id))}
        orphans = {
            f"{table.name}.{column.name}": conn.execute(
                select(func.count()).select_from(table.outerjoin(posts, column == posts.c.id))
                .where(column.is_not(None), posts.c.id.is_(None))).scalar_one()
            for table in metadata.sorted_tables for column in table.columns
            for key in column.foreign_keys if key.column is posts.c.id}

    stored = {row.post_id for row in rows}
    for name in sorted(load.acknowledged):
        missing = [post_id for post_id in load.sent[name] if post_id not in stored]
        if missing:
            problems.append(f"acknowledged batch {name} lacks {len(missing)} post(s): "
                            f"{missing[:3]}")
    batch_of = {post_id: name for name, ids in load.sent.items() for post_id in ids}
    kept = Counter(batch_of.get(post_id, "?") for post_id in stored)
    for name, count in kept.items():
        if name == "?" or count != BATCH:
            problems.append(f"batch {name} is stored in part: {count} of {BATCH} posts")
    problems += [f"{where}: {count} row(s) point at no post"
                 for where, count in orphans.items() if count]

    for row in rows:
        verdict = json.loads(row.verdict)
        where = f"post {row.post_id} (pk {row.id}, {row.action})"
        if (row.score, row.flagged, row.level) != (verdict["score"], verdict["flagged"],
                                                   verdict["level"]):
            problems.append(f"{where}: columns disagree with the stored verdict")
        if species[row.id] != set(verdict["species"]):
            problems.append(f"{where}: species {sorted(species[row.id])}, verdict says "
                            f"{sorted(verdict['species'])}")
        if terms[row.id] != {match["term"][:128] for match in verdict["matches"]}:
            problems.append(f"{where}: terms {sorted(terms[row.id])} disagree with the verdict")
        expected = [] if row.action == "allow" else [f"policy:{row.action}"]
        if live_actions[row.id] != expected:
            problems.append(f"{where}: action rows {live_actions[row.id]}, expected {expected}")
        if audited[f"post:{row.id}"] != (row.action != "allow"):
            problems.append(f"{where}: {audited[f'post:{row.id}']} policy.action audit entries")
        if delivered[row.post_id] != (row.action != "allow"):
            problems.append(f"{where}: {delivered[row.post_id]} webhook deliveries")
        if items[row.id] != (row.action in QUEUED):
            problems.append(f"{where}: {items[row.id]} open review items")
        if row.action == "block_seller" and row.seller_id is not None \
                and (row.platform, row.seller_id) not in blocked:
            problems.append(f"{where}: seller {row.seller_id} is not blocked")
    if not any(row.action != "allow" for row in rows):
        problems.append("no post got a policy action: the check above proved little")
    return problems
