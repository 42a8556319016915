"""Load `wildwatch serve` with wrk: POST /v1/posts in batches of 100, on SQLite and PostgreSQL.

    python benchmarks/bench_api.py            # 20 s per run; 1 and 2 server workers
    python benchmarks/bench_api.py --quick    # 5 s per run, 1 worker, for trying things

For each backend and number of server workers the benchmark starts `wildwatch serve` on
127.0.0.1 with a fresh store (SQLite: a new data directory; PostgreSQL: a database it creates
and drops), makes an integration key with `wildwatch keys create`, and runs wrk with
benchmarks/bench_api.lua for a fixed time at each connection count. Every request is a batch of
posts with new ids, drawn from a pool of real-looking posts: the samples in samples/posts.jsonl,
and posts from the benchmark corpus (make_corpus.py) with and without planted lexicon terms, in
nine languages, with their sellers and hashtags. A short unmeasured wrk run warms the server up
first.

Per run: posts stored per second (acknowledged batches × batch size / duration), latency per
batch (p50, p90, p99, max), non-2xx answers and socket errors, and the CPU used by the server,
by PostgreSQL's backends for its database, by wrk, and by the rest of the machine meanwhile.

Count in = count stored: wrk's script keeps the number of every request that was acknowledged
(2xx); once the server is idle, the benchmark reads every post id from the store and checks
that each acknowledged batch is stored whole, that no batch is stored in part, and that nothing
is stored that was never sent. Batches stored but not acknowledged are the ones in flight when
wrk stopped listening.

Baselines, measured in the same run on the same machine:

  healthz      GET /healthz on the same server: the HTTP stack alone, no posts
  in-process   Service.receive on a fresh store of the same backend, batch after batch in this
               process: scanning, policy and storing without HTTP
  scan only    parse, Detector.scan_batch and Policy.decide_many on the same batches: no store

The Markdown report is printed and written to benchmarks/results/api-<date>.md
(api-<date>-quick.md for --quick), headed with the machine and the command.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import os
import random
import re
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from bench_scan import _machine_busy_seconds, _process_tree, ensure_corpus
from bench_scan import machine as bench_machine
from make_corpus import truth_path
from wildwatch.lexicon import load_lexicon

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / "data" / "api"
RESULTS = HERE / "results"
LUA = HERE / "bench_api.lua"
SAMPLES = ROOT / "samples" / "posts.jsonl"
WILDWATCH = Path(sys.executable).parent / "wildwatch"
PLATFORM = "bench"
TARGET_POSTS_PER_SECOND = 2_000
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


# --- The posts ------------------------------------------------------------------------------


def make_pool(size: int, seed: int, notes: list[str]) -> tuple[Path, str]:
    """Write the pool wrk draws posts from; returns its path and a description of it.

    The samples come first (most name a species); then every corpus post with planted lexicon
    terms, and benign corpus posts to fill ``size``. Ids and platforms are dropped: wrk gives
    every post a new id, and the key's platform is theirs.
    """
    corpus_posts = 20_000
    corpus = ensure_corpus(corpus_posts, seed, load_lexicon(None), None, notes)
    planted_ids = {orjson.loads(line)["id"] for line in truth_path(corpus).open("rb")}
    samples = [orjson.loads(line) for line in SAMPLES.open("rb") if line.strip()]
    planted, benign = [], []
    for line in corpus.open("rb"):
        post = orjson.loads(line)
        (planted if post["id"] in planted_ids else benign).append(post)
    rng = random.Random(seed)
    room = max(0, size - len(samples) - len(planted))
    chosen_benign = rng.sample(benign, min(room, len(benign)))
    pool = samples + planted + chosen_benign
    DATA.mkdir(parents=True, exist_ok=True)
    path = DATA / "pool.txt"
    with path.open("wb") as out:
        for post in pool:
            post.pop("id", None)
            post.pop("platform", None)
            out.write(orjson.dumps(post)[1:-1] + b"\n")
    languages = collections.Counter(post.get("lang") or "?" for post in pool)
    description = (
        f"{len(pool):,} posts: {len(samples)} from {SAMPLES.relative_to(ROOT)}, "
        f"{len(planted):,} corpus posts with planted lexicon terms and {len(chosen_benign):,} "
        f"without ({corpus.relative_to(ROOT)}, seed {seed}); languages "
        + ", ".join(f"{lang} {count}" for lang, count in languages.most_common())
    )
    return path, description


def pool_records(pool: Path) -> list[dict[str, Any]]:
    return [orjson.loads(b"{" + line.rstrip(b"\n") + b"}") for line in pool.open("rb")]


# --- Processes and CPU ----------------------------------------------------------------------


def _cpu_seconds(pid: int) -> float:
    """User and system CPU of one process so far (0 once it has gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def _cpu_of(pids: set[int]) -> dict[int, float]:
    return {pid: _cpu_seconds(pid) for pid in pids}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Server:
    """A running `wildwatch serve` and the store it writes to."""

    backend: str
    workers: int
    url: str
    data_dir: Path
    port: int
    process: subprocess.Popen[bytes] | None = None
    key: str = ""
    log: Path = field(default_factory=Path)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        return [str(WILDWATCH), "serve", "--port", str(self.port), "--database", self.url,
                "--workers", str(self.workers)]

    def env(self) -> dict[str, str]:
        return {**os.environ, "WILDWATCH_DATA_DIR": str(self.data_dir)}

    def start(self) -> None:
        self.key = subprocess.run(
            [str(WILDWATCH), "keys", "create", "bench_api", "--platform", PLATFORM,
             "--database", self.url], env=self.env(), check=True, capture_output=True,
            text=True).stdout.strip()
        self.log = self.data_dir / "serve.log"
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(self.command(), env=self.env(), stdout=log,
                                            stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"wildwatch serve stopped (exit {self.process.returncode}):\n"
                                 + self.log.read_text(errors="replace")[-2000:])
            try:
                with urllib.request.urlopen(f"{self.base}/healthz", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.25)
        self.stop()
        raise SystemExit("wildwatch serve did not answer /healthz within 120 s")

    def pids(self) -> set[int]:
        return set(_process_tree(self.process.pid)) if self.process is not None else set()

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


# --- The stores -----------------------------------------------------------------------------


class Postgres:
    """Creates and drops the benchmark's databases on one PostgreSQL server."""

    def __init__(self, admin_url: str) -> None:
        from sqlalchemy import create_engine
        from sqlalchemy.engine import make_url

        self.admin_url = make_url(admin_url).set(drivername="postgresql+psycopg")
        self.engine = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        self.created: list[str] = []

    def create(self, purpose: str) -> str:
        from sqlalchemy import text

        name = f"wildwatch_bench_{purpose}_{os.getpid()}_{secrets.token_hex(3)}"
        with self.engine.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        self.created.append(name)
        return self.admin_url.set(database=name).render_as_string(hide_password=False)

    def backends(self, url: str) -> set[int]:
        """The server processes serving ``url``'s database now."""
        from sqlalchemy import text
        from sqlalchemy.engine import make_url

        with self.engine.connect() as conn:
            rows = conn.execute(text("SELECT pid FROM pg_stat_activity WHERE datname = :name "
                                     "AND pid <> pg_backend_pid()"),
                                {"name": make_url(url).database})
            return {int(row.pid) for row in rows}

    def version(self) -> str:
        from sqlalchemy import text

        with self.engine.connect() as conn:
            return str(conn.execute(text("SHOW server_version")).scalar())

    def drop_all(self) -> None:
        from sqlalchemy import text

        with self.engine.connect() as conn:
            for name in self.created:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.created.clear()
        self.engine.dispose()


def store_counts(url: str) -> dict[str, Any]:
    """How many posts the store holds, and what the policy did with them."""
    from sqlalchemy import func, select

    from wildwatch.store.database import open_engine
    from wildwatch.store.schema import posts, review_items

    engine = open_engine(url)
    try:
        with engine.connect() as conn:
            total = int(conn.execute(select(func.count()).select_from(posts)).scalar_one())
            flagged = int(conn.execute(select(func.count()).select_from(posts).where(
                posts.c.flagged)).scalar_one())
            items = int(conn.execute(select(func.count()).select_from(review_items))
                        .scalar_one())
            by_action = {row.action: int(row.n) for row in conn.execute(
                select(posts.c.action, func.count().label("n")).group_by(posts.c.action))}
    finally:
        engine.dispose()
    return {"posts": total, "flagged": flagged, "review_items": items, "by_action": by_action}


def stored_ids(url: str) -> list[str]:
    from sqlalchemy import select

    from wildwatch.store.database import open_engine
    from wildwatch.store.schema import posts

    engine = open_engine(url)
    try:
        with engine.connect() as conn:
            return list(conn.execute(select(posts.c.post_id)).scalars())
    finally:
        engine.dispose()


def wait_until_idle(url: str, settle: float = 1.0, limit: float = 60.0) -> int:
    """The post count once it has stopped changing: requests in flight have finished."""
    deadline = time.monotonic() + limit
    last = store_counts(url)["posts"]
    while time.monotonic() < deadline:
        time.sleep(settle)
        now = store_counts(url)["posts"]
        if now == last:
            return now
        last = now
    return last


# --- wrk ------------------------------------------------------------------------------------


@dataclass
class WrkRun:
    backend: str
    workers: int
    label: str
    connections: int
    kind: str
    """"posts", "warm-up" or "healthz"."""
    command: list[str]
    report: dict[str, Any] = field(default_factory=dict)
    wall: float = 0.0
    server_cpu: float = 0.0
    postgres_cpu: float = 0.0
    wrk_cpu: float = 0.0
    other_cpu: float = 0.0
    exit_code: int = 0
    stderr: str = ""

    @property
    def seconds(self) -> float:
        return float(self.report.get("duration_us", 0)) / 1e6 or self.wall

    @property
    def acked(self) -> int:
        return sum(len(t["acked"]) for t in self.report.get("threads", []))

    @property
    def sent(self) -> int:
        return sum(int(t["sent"]) for t in self.report.get("threads", []))

    @property
    def refused(self) -> int:
        return sum(int(t["refused"]) for t in self.report.get("threads", []))

    @property
    def socket_errors(self) -> int:
        errors = self.report.get("errors", {})
        return sum(int(errors.get(k, 0)) for k in ("connect", "read", "write", "timeout"))


def run_wrk(server: Server, postgres: Postgres | None, run: WrkRun, out: Path) -> WrkRun:
    """Run wrk once against ``server``, measuring the CPU everyone used meanwhile."""
    out.unlink(missing_ok=True)
    env = {**os.environ, "BENCH_API_REPORT": str(out)}
    pg_before = _cpu_of(postgres.backends(server.url)) if postgres is not None else {}
    server_before = _cpu_of(server.pids())
    busy_before = _machine_busy_seconds()
    started = time.perf_counter()
    proc = subprocess.Popen(run.command, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    run.wall = time.perf_counter() - started
    busy = _machine_busy_seconds() - busy_before
    server_after = _cpu_of(server.pids())
    pg_after = _cpu_of(postgres.backends(server.url)) if postgres is not None else {}
    run.exit_code = os.waitstatus_to_exitcode(status)
    assert proc.stderr is not None and proc.stdout is not None
    run.stderr = (proc.stderr.read() + proc.stdout.read()).decode(errors="replace")[-2000:]
    proc.stderr.close()
    proc.stdout.close()
    run.server_cpu = sum(cpu - server_before.get(pid, 0.0) for pid, cpu in server_after.items())
    run.postgres_cpu = sum(cpu - pg_before.get(pid, 0.0) for pid, cpu in pg_after.items())
    run.wrk_cpu = usage.ru_utime + usage.ru_stime
    run.other_cpu = max(0.0, busy - run.server_cpu - run.postgres_cpu - run.wrk_cpu)
    if out.exists():
        run.report = orjson.loads(out.read_bytes().decode("utf-8", errors="replace"))
    return run


def wrk_command(server: Server, connections: int, seconds: float, script_args: list[str]
                ) -> list[str]:
    return ["wrk", "-t1", f"-c{connections}", f"-d{seconds:g}s", "--timeout", "30s",
            "--latency", "-s", str(LUA), server.base, "--", *script_args]


# --- Count in = count stored ----------------------------------------------------------------


@dataclass
class Tally:
    """What one wrk run sent, had acknowledged, and what the store holds of it."""

    label: str
    batch: int
    sent: int = 0
    acked: int = 0
    stored: int = 0
    lost: int = 0
    """Posts of acknowledged batches that the store does not hold."""
    partial_batches: int = 0
    """Batches of which the store holds some posts but not all."""
    never_sent: int = 0
    in_flight: int = 0
    """Posts stored whole but not acknowledged: answered after wrk stopped listening."""
    unreadable_acks: int = 0


ID = re.compile(r"^(?P<label>.+)-t(?P<thread>\d+)-(?P<request>\d+)-(?P<k>\d+)$")


def tally(runs: list[WrkRun], ids: list[str], batch: int) -> tuple[list[Tally], int]:
    """Check every run's acknowledged batches against the ids the store holds.

    Returns a tally per run and the number of stored ids that belong to no run.
    """
    stored: dict[tuple[str, int, int], set[int]] = collections.defaultdict(set)
    strangers = 0
    for post_id in ids:
        match = ID.match(post_id)
        if match is None:
            strangers += 1
            continue
        stored[(match["label"], int(match["thread"]), int(match["request"]))].add(
            int(match["k"]))
    tallies = []
    labels = set()
    for run in runs:
        if run.kind == "healthz":
            continue
        labels.add(run.label)
        result = Tally(run.label, batch)
        sent_by_thread = {}
        acked: set[tuple[int, int]] = set()
        for thread in run.report.get("threads", []):
            sent_by_thread[thread["thread"]] = int(thread["sent"])
            result.sent += int(thread["sent"]) * batch
            for number in thread["acked"]:
                if number < 0:
                    result.unreadable_acks += 1
                acked.add((thread["thread"], number))
        result.acked = run.acked * batch
        for (label, thread, number), ks in stored.items():
            if label != run.label:
                continue
            result.stored += len(ks)
            if number > sent_by_thread.get(thread, 0) or not ks <= set(range(1, batch + 1)):
                result.never_sent += len(ks)
            elif len(ks) != batch:
                result.partial_batches += 1
            elif (thread, number) not in acked:
                result.in_flight += batch
        for thread, number in acked:
            result.lost += batch - len(stored.get((run.label, thread, number), set()))
        tallies.append(result)
    strangers += sum(len(ks) for (label, _, _), ks in stored.items() if label not in labels)
    return tallies, strangers


# --- In-process baselines -------------------------------------------------------------------


@dataclass
class InProcess:
    name: str
    backend: str
    batch: int
    seconds: float
    latencies: list[float]

    @property
    def posts_per_second(self) -> float:
        return len(self.latencies) * self.batch / self.seconds if self.seconds else 0.0


def in_process(backend: str, url: str, data_dir: Path, records: list[dict[str, Any]],
               seconds: float, batch: int) -> list[InProcess]:
    """Service.receive without HTTP on a fresh store; and scanning with the policy alone."""
    from wildwatch.ingest.post import post_from_mapping
    from wildwatch.server.service import Service
    from wildwatch.settings import Settings

    service = Service(Settings(data_dir=data_dir, database_url=url, deliver_webhooks=False))
    rng = random.Random(1)
    counter = 0

    def next_batch() -> list[dict[str, Any]]:
        nonlocal counter
        counter += 1
        return [{"id": f"inproc-t0-{counter}-{k}", **rng.choice(records)}
                for k in range(1, batch + 1)]

    def receive(batch_records: list[dict[str, Any]]) -> None:
        service.receive(batch_records, actor="bench", platform=PLATFORM)

    def scan(batch_records: list[dict[str, Any]]) -> None:
        posts = [post_from_mapping(record) for record in batch_records]
        for post in posts:
            post.platform = PLATFORM
        verdicts = service.detector.scan_batch(posts)
        service.policy.decide_many(verdicts, [PLATFORM] * len(posts), [None] * len(posts))

    results = []
    try:
        for name, step in (("in-process Service.receive", receive),
                           ("scan and policy only", scan)):
            for _ in range(5):  # unmeasured: first-use caches, the store's first pages
                step(next_batch())
            latencies = []
            started = time.perf_counter()
            while time.perf_counter() - started < seconds:
                work = next_batch()
                begun = time.perf_counter()
                step(work)
                latencies.append(time.perf_counter() - begun)
            results.append(InProcess(name, backend, batch, time.perf_counter() - started,
                                     latencies))
    finally:
        service.close()
    return results


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


# --- Profile --------------------------------------------------------------------------------


def py_spy() -> str | None:
    found = Path(sys.executable).parent / "py-spy"
    return str(found) if found.exists() else shutil.which("py-spy")


# "name (/long/path/site-packages/pkg/mod.py:12)" -> "name (pkg/mod.py)"
FRAME_PATH = re.compile(
    r" \((?:.*/site-packages/|.*/src/|.*/lib/python3\.\d+/)?([^)]*?)(?::\d+)?\)")


def summarise_profile(path: Path, top: int = 18) -> list[str]:
    """Markdown tables from py-spy's raw (collapsed) output: inclusive time per wildwatch
    function, and where the samples ended (self time), library frames included."""
    inclusive: collections.Counter[str] = collections.Counter()
    own: collections.Counter[str] = collections.Counter()
    total = 0
    for line in path.read_text(errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        samples = int(count)
        total += samples
        frames = [FRAME_PATH.sub(r" (\1)", frame) for frame in stack.split(";")]
        for frame in set(frames):
            inclusive[frame] += samples
        own[frames[-1]] += samples
    if not total:
        return ["py-spy recorded no samples."]
    lines = ["| wildwatch function (and what it calls) | share of samples |", "| --- | ---: |"]
    shown = [(f, n) for f, n in inclusive.most_common() if "wildwatch/" in f][:top]
    lines += [f"| `{frame}` | {100 * n / total:.1f}% |" for frame, n in shown]
    lines += ["", "| where the samples ended (self time) | share of samples |", "| --- | ---: |"]
    lines += [f"| `{frame}` | {100 * n / total:.1f}% |" for frame, n in own.most_common(top)]
    return lines


# --- The machine ----------------------------------------------------------------------------


def machine(postgres_version: str | None) -> dict[str, str]:
    wrk = subprocess.run(["wrk", "-v"], capture_output=True, text=True)
    wrk_version = (wrk.stdout + wrk.stderr).splitlines()[0].split(" Copyright")[0]
    return {
        **bench_machine(("wildwatch", "fastapi", "starlette", "uvicorn", "pydantic",
                         "sqlalchemy", "psycopg", "psycopg-binary", "orjson", "msgspec",
                         "hyperscan")),
        "Load generator": wrk_version,
        "PostgreSQL": postgres_version or "not measured",
    }


def code_version() -> str:
    """The commit measured, and whether the working tree differed from it."""
    git = ["git", "-C", str(ROOT)]
    commit = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip()
    if not commit:
        return "not a git checkout"
    changed = subprocess.run([*git, "status", "--porcelain", "--untracked-files=no"],
                             capture_output=True, text=True).stdout.splitlines()
    return f"commit {commit}" + (f", with {len(changed)} changed file(s) in the working tree"
                                 if changed else "")


# --- Report ---------------------------------------------------------------------------------


def _ms(microseconds: Any) -> str:
    return f"{float(microseconds) / 1000:,.1f}"


def _cores(cpu: float, seconds: float) -> str:
    return f"{cpu / seconds:.2f}" if seconds else "-"


def report(header: dict[str, str], runs: list[WrkRun], baselines: list[InProcess],
           tallies: dict[tuple[str, int], tuple[list[Tally], int]],
           counts: dict[tuple[str, int], dict[str, Any]], profile: list[str], batch: int,
           servers: dict[tuple[str, int], str], notes: list[str]) -> str:
    lines = ["# `wildwatch serve` load benchmark", ""]
    lines += [f"- **{key}**: {value}" for key, value in header.items()]
    measured = [r for r in runs if r.kind == "posts"]

    lines += ["", "## Target", ""]
    lines.append(f"The issue asks for at least {TARGET_POSTS_PER_SECOND:,} posts/s on this "
                 "machine, on SQLite and on PostgreSQL, with no error and no lost post.")
    lines.append("")
    for backend in dict.fromkeys(r.backend for r in measured):
        mine = [r for r in measured if r.backend == backend]
        best = max(mine, key=lambda r: r.acked * batch / r.seconds if r.seconds else 0)
        errors = sum(r.refused + r.socket_errors for r in mine)
        lost = sum(t.lost + t.partial_batches for (b, _), (ts, _) in tallies.items()
                   if b == backend for t in ts)
        rate = best.acked * batch / best.seconds if best.seconds else 0
        met = rate >= TARGET_POSTS_PER_SECOND and errors == 0 and lost == 0
        lines.append(f"- **{backend}**: {'met' if met else 'NOT met'}: best {rate:,.0f} posts/s "
                     f"({best.workers} worker(s), {best.connections} connection(s), p99 "
                     f"{_ms(best.report.get('latency_us', {}).get('p99', 0))} ms per batch); "
                     f"{errors} errors and {lost} lost or partly stored posts/batches over all "
                     "its runs.")

    lines += [
        "",
        "## Throughput and latency",
        "",
        f"Each request is one batch of {batch} new posts. *posts/s*: posts in acknowledged "
        "batches per second of the run. Latency is per batch, from wrk (it sends the next "
        "request on a connection when the previous answer is in, so more connections than "
        "cores mostly adds waiting). *Server*, *PostgreSQL* and *wrk* are the cores' worth "
        "of CPU each used during the run (PostgreSQL: the backends serving the benchmark's "
        "database); *other load* is what the rest of the machine used meanwhile, WAL writer "
        "and checkpointer included: much above 0.05 and the run shared the machine.",
        "",
        "| backend | workers | connections | batches | posts/s | p50 ms | p90 ms | p99 ms "
        "| max ms | non-2xx | socket errors | server | PostgreSQL | wrk | other load |",
        "| --- |" + " ---: |" * 14,
    ]
    for r in measured:
        latency = r.report.get("latency_us", {})
        rate = r.acked * batch / r.seconds if r.seconds else 0
        lines.append(
            f"| {r.backend} | {r.workers} | {r.connections} | {r.acked:,} | {rate:,.0f} | "
            f"{_ms(latency.get('p50', 0))} | {_ms(latency.get('p90', 0))} | "
            f"{_ms(latency.get('p99', 0))} | {_ms(latency.get('max', 0))} | {r.refused} | "
            f"{r.socket_errors} | {_cores(r.server_cpu, r.wall)} | "
            f"{_cores(r.postgres_cpu, r.wall) if r.backend == 'postgresql' else '-'} | "
            f"{_cores(r.wrk_cpu, r.wall)} | {_cores(r.other_cpu, r.wall)} |")

    lines += [
        "",
        "## Baselines (same run, same machine)",
        "",
        "*healthz*: GET /healthz on the same server, same connections: what HTTP and the "
        "framework cost with no posts. *in-process*: `Service.receive` called batch after "
        "batch in the benchmark's process on a fresh store of the same backend (one thread, "
        "no HTTP). *scan and policy only*: parsing, `Detector.scan_batch` and "
        "`Policy.decide_many` on the same batches, nothing stored.",
        "",
        "| baseline | backend | workers | connections | per second | p50 ms | p99 ms "
        "| server | other load |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in runs:
        if r.kind != "healthz":
            continue
        latency = r.report.get("latency_us", {})
        per_second = r.report.get("requests", 0) / r.seconds if r.seconds else 0
        lines.append(f"| GET /healthz | {r.backend} | {r.workers} | {r.connections} | "
                     f"{per_second:,.0f} requests | {_ms(latency.get('p50', 0))} | "
                     f"{_ms(latency.get('p99', 0))} | {_cores(r.server_cpu, r.wall)} | "
                     f"{_cores(r.other_cpu, r.wall)} |")
    for b in baselines:
        lines.append(f"| {b.name} | {b.backend} | - | - | {b.posts_per_second:,.0f} posts | "
                     f"{1000 * _percentile(b.latencies, 0.5):,.1f} | "
                     f"{1000 * _percentile(b.latencies, 0.99):,.1f} | - | - |")

    lines += [
        "",
        "## Count in = count stored",
        "",
        "Read from the store once the server was idle, per wrk run (warm-up included). "
        "*Sent*: posts in requests wrk began to send. *Acknowledged*: posts in batches answered "
        "2xx. *Lost*: posts of acknowledged batches missing from the store. *Part-stored*: "
        "batches of which some posts but not all are stored. *Never sent*: stored posts with "
        "ids wrk never made. *In flight*: stored whole, answered after wrk stopped listening.",
        "",
        "| backend | workers | run | sent | acknowledged | stored | lost | part-stored batches "
        "| never sent | in flight |",
        "| --- | ---: | --- |" + " ---: |" * 7,
    ]
    for (backend, workers), (run_tallies, strangers) in tallies.items():
        for t in run_tallies:
            lines.append(f"| {backend} | {workers} | {t.label} | {t.sent:,} | {t.acked:,} | "
                         f"{t.stored:,} | {t.lost} | {t.partial_batches} | {t.never_sent} | "
                         f"{t.in_flight} |")
        total = counts.get((backend, workers), {}).get("posts", 0)
        lines.append(f"| {backend} | {workers} | all: `SELECT count(*) FROM posts` | "
                     f"{sum(t.sent for t in run_tallies):,} | "
                     f"{sum(t.acked for t in run_tallies):,} | {total:,} | "
                     f"{sum(t.lost for t in run_tallies)} | "
                     f"{sum(t.partial_batches for t in run_tallies)} | "
                     f"{sum(t.never_sent for t in run_tallies) + strangers} | "
                     f"{sum(t.in_flight for t in run_tallies):,} |")

    lines += ["", "## What the policy did with them", "",
              "| backend | workers | posts | flagged | review items | actions |",
              "| --- | ---: | ---: | ---: | ---: | --- |"]
    for (backend, workers), count in counts.items():
        actions = ", ".join(f"{action} {n:,}" for action, n in sorted(count["by_action"].items()))
        share = 100 * count["flagged"] / count["posts"] if count["posts"] else 0
        lines.append(f"| {backend} | {workers} | {count['posts']:,} | {count['flagged']:,} "
                     f"({share:.1f}%) | {count['review_items']:,} | {actions} |")

    if profile:
        lines += ["", "## Where the server's time goes", "", *profile]

    lines += ["", "## Commands", "",
              "Each server, then wrk once per connection count C (the warm-up with -c2 -d3s), "
              "with `BENCH_API_REPORT` naming the JSON file the script writes:", ""]
    for (backend, workers), serve in servers.items():
        mine = [r for r in runs if (r.backend, r.workers) == (backend, workers)]
        posts = next((r for r in mine if r.kind == "posts"), None)
        health = next((r for r in mine if r.kind == "healthz"), None)
        lines.append(f"- {backend}, {workers} worker(s): `{serve}`")
        if posts is not None:
            template = re.sub(r"-c\d+", "-cC", _display(posts.command)).replace(
                posts.label, f"{backend}{workers}w-cC")
            lines.append(f"  - `{template}`")
        if health is not None:
            lines.append(f"  - `{_display(health.command)}`")
    failed = [r for r in runs if r.exit_code != 0]
    for r in failed:
        lines += ["", f"### wrk failed: {r.label} (exit {r.exit_code})", "", "```",
                  r.stderr.strip(), "```"]
    refusals = {t["first_refusal"] for r in runs for t in r.report.get("threads", [])
                if t.get("first_refusal")}
    if refusals:
        notes.append("First refusals: " + "; ".join(f"`{text}`" for text in sorted(refusals)))
    if notes:
        lines += ["", "## Notes", ""] + [f"- {note}" for note in notes]
    return "\n".join(lines) + "\n"


def _display(command: list[str]) -> str:
    shown = []
    for arg in command:
        arg = arg.replace(f"{ROOT}/", "")
        if arg.startswith("ww_"):
            arg = "$KEY"
        shown.append(arg)
    if shown[0].endswith("/wildwatch"):
        shown[0] = "wildwatch"
    return shlex.join(shown)


# --- Main -----------------------------------------------------------------------------------


def bench_backend(backend: str, workers: int, args: argparse.Namespace, pool: Path,
                  postgres: Postgres | None, notes: list[str]) -> tuple[
                      list[WrkRun], list[Tally], int, dict[str, Any], list[str], str]:
    """Start a server on a fresh store, load it at each connection count, check the store."""
    data_dir = DATA / f"{backend}-{workers}w"
    shutil.rmtree(data_dir, ignore_errors=True)
    data_dir.mkdir(parents=True)
    if backend == "sqlite":
        url = f"sqlite:///{data_dir / 'wildwatch.db'}"
    else:
        assert postgres is not None
        url = postgres.create(f"api{workers}w")
    server = Server(backend, workers, url, data_dir, free_port())
    print(f"{backend}, {workers} worker(s): starting wildwatch serve on {server.base} ...",
          file=sys.stderr)
    server.start()
    runs: list[WrkRun] = []
    profile: list[str] = []
    try:
        common = [str(pool), server.key]
        plan = [("warm-up", 2, 3.0, [*common, f"{backend}{workers}w-warmup",
                                        str(args.batch)], "warm-up")]
        plan += [(f"c{c}", c, args.duration,
                  [*common, f"{backend}{workers}w-c{c}", str(args.batch)], "posts")
                 for c in args.connections]
        middle = sorted(args.connections)[len(args.connections) // 2]
        plan.append((f"healthz-c{middle}", middle, args.duration, ["healthz"], "healthz"))
        profile_at = max(args.connections)
        for name, connections, seconds, script_args, kind in plan:
            run = WrkRun(backend, workers, script_args[2] if kind != "healthz" else name,
                         connections, kind,
                         wrk_command(server, connections, seconds, script_args))
            spy = None
            spy_path = data_dir / "py-spy.txt"
            if args.profile and kind == "posts" and connections == profile_at and workers == 1:
                assert server.process is not None
                spy = subprocess.Popen(
                    [py_spy() or "py-spy", "record", "-p", str(server.process.pid),
                     "-d", str(max(1, int(seconds) - 2)), "-r", "100", "-f", "raw",
                     "-o", str(spy_path), "--nonblocking"],
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            print(f"  wrk {run.label}, {connections} connection(s), {seconds:g} s ...",
                  file=sys.stderr)
            run_wrk(server, postgres, run, data_dir / f"{name}.json")
            if spy is not None:
                spy.wait()
                profile = [f"py-spy, 100 samples/s of the server ({backend}, 1 worker) "
                           f"during the {connections}-connection run; threads waiting "
                           "on a lock or socket count only when busy in Python.", "",
                           *summarise_profile(spy_path)]
            if kind != "healthz":
                wait_until_idle(url)
            runs.append(run)
            rate = run.acked * args.batch / run.seconds if kind != "healthz" and run.seconds \
                else 0
            print(f"    {run.report.get('requests', 0)} requests, {rate:,.0f} posts/s, exit "
                  f"{run.exit_code}", file=sys.stderr)
    finally:
        server.stop()
    if server.process is not None and server.process.returncode not in (0, -2, 130):
        notes.append(f"{backend}, {workers} worker(s): the server exited with "
                     f"{server.process.returncode}: "
                     + server.log.read_text(errors="replace")[-500:].replace("\n", " "))
    counts = store_counts(url)
    run_tallies, strangers = tally(runs, stored_ids(url), args.batch)
    serve = f"WILDWATCH_DATA_DIR={data_dir.relative_to(ROOT)} {_display(server.command())}"
    _drop_sqlite_store(data_dir)
    return runs, run_tallies, strangers, counts, profile, serve


def _drop_sqlite_store(data_dir: Path) -> None:
    """Checked, the store is only in the way: hundreds of MB per run (wrk's JSON and the
    profile stay)."""
    for path in data_dir.glob("wildwatch.db*"):
        path.unlink()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=20.0, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, nargs="+", default=[1, 2, 4, 8])
    parser.add_argument("--workers", type=int, nargs="+",
                        help="server worker counts to try (wildwatch serve --workers; default "
                        "1 and 2, 1 with --quick)")
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgresql"],
                        choices=["sqlite", "postgresql"])
    parser.add_argument("--batch", type=int, default=100, help="posts per request")
    parser.add_argument("--pool", type=int, default=2_000, help="distinct post texts to draw "
                        "from")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--postgres", default=os.environ.get(
        "WILDWATCH_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test"),
                        help="a PostgreSQL URL whose server the benchmark may create databases on")
    parser.add_argument("--profile", action="store_true", help="record the 1-worker server "
                        "with py-spy during the busiest run and report where its time goes")
    parser.add_argument("--quick", action="store_true", help="5 s per run, 1 worker")
    args = parser.parse_args(argv)
    if args.quick:
        args.duration = 5.0
    if args.workers is None:
        args.workers = [1] if args.quick else [1, 2]
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (Debian: apt-get install wrk)")
    if args.profile and py_spy() is None:
        raise SystemExit("--profile needs py-spy (pip install py-spy)")
    notes: list[str] = []
    pool, pool_text = make_pool(args.pool, args.seed, notes)
    records = pool_records(pool)
    postgres = Postgres(args.postgres) if "postgresql" in args.backends else None
    runs: list[WrkRun] = []
    baselines: list[InProcess] = []
    tallies: dict[tuple[str, int], tuple[list[Tally], int]] = {}
    counts: dict[tuple[str, int], dict[str, Any]] = {}
    profile: list[str] = []
    servers: dict[tuple[str, int], str] = {}
    try:
        for backend in args.backends:
            for workers in args.workers:
                done, run_tallies, strangers, count, spied, serve = bench_backend(
                    backend, workers, args, pool, postgres, notes)
                servers[(backend, workers)] = serve
                runs += done
                tallies[(backend, workers)] = (run_tallies, strangers)
                counts[(backend, workers)] = count
                profile += [f"### {backend}", "", *spied, ""] if spied else []
            print(f"{backend}: in-process baselines ...", file=sys.stderr)
            data_dir = DATA / f"{backend}-in-process"
            shutil.rmtree(data_dir, ignore_errors=True)
            url = f"sqlite:///{data_dir / 'wildwatch.db'}" if backend == "sqlite" \
                else postgres.create("inproc")  # type: ignore[union-attr]
            measured = in_process(backend, url, data_dir, records, args.duration, args.batch)
            _drop_sqlite_store(data_dir)
            if backend != args.backends[0]:
                measured = [m for m in measured if m.name != "scan and policy only"]
            baselines += measured
        header = machine(postgres.version() if postgres is not None else None)
    finally:
        if postgres is not None:
            postgres.drop_all()
    header["Date"] = dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    header["Code"] = code_version()
    header["Command"] = (
        f"`python {shlex.join(sys.argv if argv is None else ['bench_api.py', *argv])}`"
        .replace(f"{ROOT}/", ""))
    header["Posts"] = pool_text
    header["Load"] = (f"wrk, one thread, batches of {args.batch} posts with new ids, "
                      f"{args.duration:g} s per run at {', '.join(map(str, args.connections))} "
                      "connection(s), 30 s timeout; after an unmeasured 3 s warm-up at 2")
    header["Server"] = ("`wildwatch serve` with its defaults (model scorer, shipped lexicon and "
                        "policy, webhook sender on, no webhooks registered); SQLite in WAL mode "
                        "with synchronous=NORMAL; PostgreSQL with its defaults (synchronous "
                        "commit on)")
    text = report(header, runs, baselines, tallies, counts, profile, args.batch, servers,
                  notes)
    print(text)
    RESULTS.mkdir(parents=True, exist_ok=True)
    target = RESULTS / f"api-{dt.date.today().isoformat()}{'-quick' if args.quick else ''}.md"
    target.write_text(text, encoding="utf-8")
    print(f"written to {target}", file=sys.stderr)
    problems = [t for ts, _ in tallies.values() for t in ts
                if t.lost or t.partial_batches or t.never_sent]
    return 1 if problems or any(r.exit_code for r in runs) else 0


if __name__ == "__main__":
    sys.exit(main())
