"""The search-box check: checks per second in process, and latency over HTTP at a fixed rate.

    python benchmarks/bench_search.py              # 30 s per HTTP run, 1 and 2 server workers
    python benchmarks/bench_search.py --quick      # 5 s per HTTP run, 1 worker, for trying things

In process (one thread, so one core), on the shipped lexicon, policy, rules and messages, with
counting on, as the server runs it:

  cached     a Zipf-like stream (exponent 1.1) over 50,000 distinct queries, a third of them
             naming a listed term (the lexicon's terms, some with words around them), the rest
             ordinary shopping searches; the checker's LRU cache (65,536 entries) as shipped
  uncached   every query distinct (a number added to each), the cache off: normalise, match
             and decide every time

Baselines in the same run, on the same queries: a dict lookup of the query (what a cache hit
cannot beat), and str.lower() plus set membership against the lexicon's terms (the naive
blocklist: exact queries only, no normalisation, no rules). Where the uncached time goes is
measured by stage: normalisation alone, then matching, then the rest.

Over HTTP: `wildwatch serve --workers N` on 127.0.0.1 with a fresh SQLite store and an
integration key from `wildwatch keys create`, driven by an open-loop generator built in here
(asyncio, raw keep-alive HTTP/1.1 on 64 connections): request i is due at start + i / rate
whatever happened before it, and its latency counts from that due time, so a slow answer
delays no later request and hides no queueing (no coordinated omission); the generator runs
with Python's garbage collector frozen and off, so its own pauses stay out of the figures. Each
run: the
requests at the target rate for the duration after 3 s of unmeasured warm-up, with the same
query stream as above. Baselines in the same run: the generator against a bare asyncio server
that answers at once (the generator's own latency and CPU), and GET /healthz on the same
Wildwatch server (the HTTP stack without the check).

The Markdown report is printed and written to benchmarks/results/search-<date>.md
(search-<date>-quick.md for --quick), headed with the machine and the command.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import functools
import gc
import os
import random
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import orjson

from bench_scan import machine as bench_machine
from wildwatch import Detector
from wildwatch.engage.search import SearchChecker
from wildwatch.engage.search_counts import SearchCounter
from wildwatch.lexicon import TermKind
from wildwatch.policy import load_policy

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
WILDWATCH = Path(sys.executable).with_name("wildwatch")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
DISTINCT = 50_000
ZIPF = 1.1
CONNECTIONS = 64
WARMUP_SECONDS = 3.0

ORDINARY = ["running shoes", "red dress", "iphone 15 case", "garden chair", "wedding ring",
            "laptop bag", "kids toys", "coffee table", "baby stroller", "bluetooth speaker",
            "winter jacket", "yoga mat", "office chair", "phone charger", "rice cooker",
            "gaming mouse", "water bottle", "desk lamp", "school backpack", "face cream",
            "áo dài", "giày thể thao", "连衣裙", "手机壳", "sepatu olahraga", "vestido rojo",
            "robe de soirée", "tênis de corrida", "กระเป๋าสะพาย", "baju muslim"]
AROUND = ["for sale", "price", "buy", "antique", "cheap", "original", "wholesale", "mua", "giá",
          "出售", "jual", "precio", "prix", "preço"]


# --- Queries --------------------------------------------------------------------------------


def make_queries(detector: Detector, seed: int) -> tuple[list[str], list[str]]:
    """(distinct queries, most frequent first; a stream drawn from them by Zipf's law)."""
    rng = random.Random(seed)
    terms = [term.text for term in detector.lexicon.terms if term.kind is not TermKind.BENIGN]
    distinct: dict[str, None] = {}
    while len(distinct) < DISTINCT:
        roll = rng.random()
        if roll < 0.2:
            query = rng.choice(terms)
        elif roll < 0.33:
            query = f"{rng.choice(terms)} {rng.choice(AROUND)}"
        elif roll < 0.6:
            query = rng.choice(ORDINARY)
            if rng.random() < 0.9:
                query = f"{query} {rng.choice(['men', 'women', 'size', 'new', 'sale'])} " \
                        f"{rng.randrange(1000)}"
        else:
            query = f"{rng.choice(ORDINARY)} {rng.choice(ORDINARY)} {rng.randrange(10_000)}"
        distinct[query] = None
    ranked = list(distinct)
    rng.shuffle(ranked)
    weights = [1 / (rank + 1) ** ZIPF for rank in range(len(ranked))]
    return ranked, rng.choices(ranked, weights, k=1_000_000)


# --- In process -----------------------------------------------------------------------------


@dataclass
class Rate:
    name: str
    checks: int
    seconds: float
    cpu: float
    note: str = ""

    @property
    def per_second(self) -> float:
        return self.checks / self.seconds


def timed(name: str, function: Callable[[str], object], queries: Sequence[str],
          note: str = "") -> Rate:
    wall, cpu = time.perf_counter(), time.process_time()
    for query in queries:
        function(query)
    return Rate(name, len(queries), time.perf_counter() - wall, time.process_time() - cpu, note)


def in_process(detector: Detector, stream: list[str], seed: int,
               quick: bool) -> tuple[list[Rate], list[str]]:
    policy = load_policy(lexicon=detector.lexicon)
    counter = SearchCounter()
    cached = SearchChecker.for_detector(detector, policy, counter=counter)
    uncached = SearchChecker.for_detector(detector, policy, counter=counter, cache_size=0)
    rng = random.Random(seed + 1)
    size = 100_000 if quick else 300_000
    distinct = [f"{query} {rng.randrange(10**9)}" if rng.random() < 0.5 else
                f"{rng.randrange(10**9)} {query}" for query in stream[:size]]
    cache_stream = stream[: 300_000 if quick else 1_000_000]
    lookup = {query: 1 for query in cache_stream}
    blocklist = {term.text.lower() for term in detector.lexicon.terms
                 if term.kind is not TermKind.BENIGN}
    notes = []
    rates = [
        timed("baseline: dict lookup (cached stream)", lookup.get, cache_stream),
        timed("baseline: str.lower() + set membership (distinct)",
              lambda q: q.lower() in blocklist, distinct),
    ]
    uncached.check(distinct[0])  # compile the normaliser's kernels before timing
    rates.append(timed("wildwatch cached (Zipf stream, LRU 65,536)",
                       lambda q: cached.check(q, "vi", "shopco"), cache_stream))
    info = cached._cached.cache_info()
    notes.append(f"cache hit rate on the Zipf stream: {info.hits / (info.hits + info.misses):.1%}"
                 f" ({info.currsize:,} entries at the end)")
    rates.append(timed("wildwatch uncached (every query distinct)",
                       lambda q: uncached.check(q, "vi", "shopco"), distinct))
    # Where the uncached time goes.
    normalised = [uncached.normalize(q) for q in distinct]
    stage_normalise = timed("stage: normalise only", uncached.normalize, distinct)
    stage_match = timed("stage: match only (normalised text)", uncached._find, normalised)
    rates += [stage_normalise, stage_match]
    whole = 1e6 / rates[3].per_second
    normalise, match = 1e6 / stage_normalise.per_second, 1e6 / stage_match.per_second
    notes.append(f"an uncached check takes {whole:.1f} µs: normalising {normalise:.1f} µs, "
                 f"matching {match:.1f} µs, the rules, message and count "
                 f"{whole - normalise - match:.1f} µs")
    light = sum(1 for q in distinct if _light(q)) / len(distinct)
    notes.append(f"uncached queries normalised by the light path (plain ASCII words and "
                 f"numbers): {light:.0%}; the rest by the compiled normaliser")
    notes.append(f"counted in memory meanwhile: {counter.pending():,} checks in "
                 f"{len(counter.drain()):,} rows")
    return rates, notes


def _light(query: str) -> bool:
    from wildwatch.engage.search import _light_normalize

    return _light_normalize(query) is not None


# --- Over HTTP ------------------------------------------------------------------------------


@dataclass
class Load:
    name: str
    rate: float
    sent: int
    ok: int
    errors: int
    seconds: float
    latencies_ms: list[float]
    server_cpu: float
    generator_cpu: float
    other_load: float
    server_us: float
    """Server CPU per request, warm-up included."""

    def percentile(self, p: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def _request(path: str, key: str | None, body: bytes | None) -> bytes:
    lines = [f"{'POST' if body is not None else 'GET'} {path} HTTP/1.1", "Host: 127.0.0.1",
             "Connection: keep-alive"]
    if key:
        lines.append(f"X-API-Key: {key}")
    if body is not None:
        lines += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + (body or b"")


async def _drive(port: int, requests: list[bytes], rate: float, warmup: int,
                 latencies: list[float], counts: dict[str, int]) -> None:
    queue: asyncio.Queue[tuple[int, float] | None] = asyncio.Queue()

    async def connection() -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        while (item := await queue.get()) is not None:
            index, due = item
            try:
                writer.write(requests[index % len(requests)])
                head = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n"):
                    if line[:15].lower() == b"content-length:":
                        length = int(line[15:])
                if length:
                    await reader.readexactly(length)
                good = head.startswith(b"HTTP/1.1 200") or head.startswith(b"HTTP/1.1 204")
            except (OSError, asyncio.IncompleteReadError, ValueError):
                good = False
                writer.close()
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
            if index >= warmup:
                latencies.append((time.perf_counter() - due) * 1000)
                counts["ok" if good else "errors"] += 1
        writer.close()

    workers = [asyncio.create_task(connection()) for _ in range(CONNECTIONS)]
    start = time.perf_counter() + 0.2
    total = len(requests)
    for index in range(total):
        due = start + index / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        queue.put_nowait((index, due))
    for _ in workers:
        queue.put_nowait(None)
    await asyncio.gather(*workers)


def drive(name: str, port: int, requests: list[bytes], rate: float, seconds: float,
          server_pids: Callable[[], set[int]]) -> Load:
    """Send ``rate`` requests a second for warm-up + ``seconds``; measure after the warm-up."""
    warmup = int(rate * WARMUP_SECONDS)
    total = warmup + int(rate * seconds)
    stream = [requests[i % len(requests)] for i in range(total)]
    latencies: list[float] = []
    counts = {"ok": 0, "errors": 0}
    pids = server_pids()
    server_before = sum(_cpu_seconds(pid) for pid in pids)
    # This process still holds the in-process runs' detector and caches: a full garbage
    # collection here would stall the generator, not the server. Freeze what exists and keep
    # the collector off while driving (the generator makes no cyclic garbage).
    gc.collect()
    gc.freeze()
    gc.disable()
    busy_before, cpu_before, wall = _busy(), time.process_time(), time.perf_counter()
    try:
        asyncio.run(_drive(port, stream, rate, warmup, latencies, counts))
    finally:
        gc.enable()
        gc.unfreeze()
    elapsed = time.perf_counter() - wall
    generator = time.process_time() - cpu_before
    server = sum(_cpu_seconds(pid) for pid in pids) - server_before
    other = max(0.0, (_busy() - busy_before) - generator - server) / elapsed
    return Load(name, rate, total - warmup, counts["ok"], counts["errors"], elapsed,
                latencies, server / elapsed, generator / elapsed, other, server / total * 1e6)


def _cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def _busy() -> float:
    """CPU seconds all cores have been busy since boot."""
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = map(int, fields[:8])
    return (user + nice + system + irq + softirq + steal) / CLOCK_TICKS


def _tree(root: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int(Path(entry, "stat").read_text().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = set(), [root]
    while todo:
        pid = todo.pop()
        found.add(pid)
        todo += children.get(pid, [])
    return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def wait_for(port: int, path: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                sock.sendall(_request(path, None, None))
                if sock.recv(16).startswith(b"HTTP/1.1"):
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"nothing answered on port {port} within {seconds} s")


BARE_SERVER = """
import asyncio, sys
BODY = b'{"action":"allow"}'
REPLY = (b"HTTP/1.1 200 OK\\r\\nContent-Type: application/json\\r\\n"
         b"Content-Length: %d\\r\\n\\r\\n%s" % (len(BODY), BODY))
async def serve(reader, writer):
    while True:
        try:
            head = await reader.readuntil(b"\\r\\n\\r\\n")
        except Exception:
            return
        length = 0
        for line in head.split(b"\\r\\n"):
            if line[:15].lower() == b"content-length:":
                length = int(line[15:])
        if length:
            await reader.readexactly(length)
        writer.write(REPLY)
async def main():
    server = await asyncio.start_server(serve, "127.0.0.1", int(sys.argv[1]))
    async with server:
        await server.serve_forever()
asyncio.run(main())
"""


def over_http(stream: list[str], rate: float, seconds: float, workers: list[int]) -> tuple[
        list[Load], list[str]]:
    loads: list[Load] = []
    notes: list[str] = []
    bodies = [orjson.dumps({"query": query, "locale": "vi"}) for query in stream[:200_000]]
    # The generator alone, against a server that answers at once.
    port = free_port()
    bare = subprocess.Popen([sys.executable, "-c", BARE_SERVER, str(port)])
    try:
        wait_for(port, "/")
        requests = [_request("/v1/search/check", "none", body) for body in bodies]
        loads.append(drive("baseline: generator vs bare asyncio server", port, requests, rate,
                           seconds, lambda: {bare.pid}))
    finally:
        bare.terminate()
        bare.wait()
    for count in workers:
        with tempfile.TemporaryDirectory(prefix="wildwatch-bench-search-") as data:
            env = dict(os.environ, WILDWATCH_DATA_DIR=data, WILDWATCH_DELIVER_WEBHOOKS="false")
            env.pop("WILDWATCH_DATABASE_URL", None)
            key = subprocess.run([str(WILDWATCH), "keys", "create", "bench search",
                                  "--platform", "shopco"], env=env, check=True,
                                 capture_output=True, text=True).stdout.strip().split()[-1]
            port = free_port()
            log = Path(data) / "serve.log"
            with log.open("w") as out:
                server = subprocess.Popen([str(WILDWATCH), "serve", "--port", str(port),
                                           "--workers", str(count)], env=env, stdout=out,
                                          stderr=subprocess.STDOUT, start_new_session=True)
            try:
                wait_for(port, "/healthz")
                time.sleep(2.0 * count + 1.0)  # every worker up and warm
                pids = functools.partial(_tree, server.pid)
                health = [_request("/healthz", None, None)]
                loads.append(drive(f"baseline: GET /healthz, {count} worker(s)", port, health,
                                   rate, seconds, pids))
                checks = [_request("/v1/search/check", key, body) for body in bodies]
                loads.append(drive(f"POST /v1/search/check, {count} worker(s)", port, checks,
                                   rate, seconds, pids))
                counted = _counted(Path(data) / "wildwatch.db")
                notes.append(f"{count} worker(s): the store holds {counted:,} counted checks "
                             "before shutdown (the flusher writes every 5 s)")
            finally:
                os.killpg(server.pid, signal.SIGINT)
                try:
                    server.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(server.pid, signal.SIGKILL)
    return loads, notes


def _counted(path: Path) -> int:
    import sqlite3

    time.sleep(6)  # one flush interval and a bit
    with sqlite3.connect(path) as db:
        row = db.execute("SELECT COALESCE(SUM(checks), 0) FROM search_counts").fetchone()
    return int(row[0])


# --- Report ---------------------------------------------------------------------------------


def machine() -> dict[str, str]:
    found = bench_machine(("wildwatch", "fastapi", "starlette", "uvicorn", "msgspec",
                           "pyahocorasick", "numba"))
    for optional in ("uvloop", "httptools"):
        try:
            metadata.version(optional)
        except metadata.PackageNotFoundError:
            found["Packages"] += f", {optional} not installed (uvicorn uses asyncio and h11)"
    return found


def report(command: str, rates: list[Rate], in_notes: list[str], loads: list[Load],
           http_notes: list[str], rate: float, seconds: float) -> str:
    lines = ["# Search-box check benchmark", ""]
    for key, value in machine().items():
        lines.append(f"- **{key}**: {value}")
    lines += [f"- **Date**: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
              f"- **Command**: `{command}`",
              f"- **Queries**: {DISTINCT:,} distinct, a third naming a listed term; stream "
              f"drawn by Zipf's law (exponent {ZIPF}); see the script's docstring", "",
              "## In process, one thread (one core)", "",
              "*× dict*: the rate as a multiple of a plain dict lookup of the same queries.", "",
              "| run | checks | wall s | checks/s | CPU s | checks per CPU-s | × dict |",
              "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    floor = rates[0].per_second
    for r in rates:
        lines.append(f"| {r.name} | {r.checks:,} | {r.seconds:.2f} | {r.per_second:,.0f} | "
                     f"{r.cpu:.2f} | {r.checks / max(r.cpu, 1e-9):,.0f} | "
                     f"{r.per_second / floor:.3f}× |")
    lines += [""] + [f"- {note}" for note in in_notes]
    if loads:
        lines += ["", f"## Over HTTP on 127.0.0.1, open loop at {rate:,.0f} requests/s for "
                  f"{seconds:.0f} s (after {WARMUP_SECONDS:.0f} s warm-up)", "",
                  "Latency counts from each request's due time. *Server CPU*, *generator CPU*: "
                  "cores' worth used during the run; *other load*: cores' worth used by the "
                  "rest of the machine meanwhile (above ~0.1 the run shared the machine).", "",
                  "| run | sent | ok | errors | achieved/s | p50 ms | p95 ms | p99 ms | max ms | "
                  "server CPU | server CPU µs/request | generator CPU | other load |",
                  "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | "
                  "---: | ---: |"]
        for load in loads:
            lines.append(
                f"| {load.name} | {load.sent:,} | {load.ok:,} | {load.errors:,} | "
                f"{load.ok / seconds:,.0f} | {load.percentile(50):.2f} | "
                f"{load.percentile(95):.2f} | {load.percentile(99):.2f} | "
                f"{max(load.latencies_ms, default=float('nan')):.2f} | "
                f"{load.server_cpu:.2f} | {load.server_us:,.0f} | "
                f"{load.generator_cpu:.2f} | {load.other_load:.2f} |")
        lines += [""] + [f"- {note}" for note in http_notes]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="5 s HTTP runs, 1 worker")
    parser.add_argument("--seconds", type=float, help="HTTP run length (default 30)")
    parser.add_argument("--rate", type=float, default=1000.0, help="requests per second")
    parser.add_argument("--workers", type=int, nargs="+", help="server workers (default 1 2)")
    parser.add_argument("--skip-http", action="store_true")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    seconds = args.seconds or (5.0 if args.quick else 30.0)
    workers = args.workers or ([1] if args.quick else [1, 2])
    command = "python benchmarks/bench_search.py " + shlex.join(sys.argv[1:])
    detector = Detector.default()
    _, stream = make_queries(detector, args.seed)
    rates, in_notes = in_process(detector, stream, args.seed, args.quick)
    loads: list[Load] = []
    http_notes: list[str] = []
    if not args.skip_http:
        if not WILDWATCH.exists() or shutil.which(str(WILDWATCH)) is None:
            raise SystemExit(f"no wildwatch command at {WILDWATCH}: pip install -e . first")
        loads, http_notes = over_http(stream, args.rate, seconds, workers)
    text = report(command.strip(), rates, in_notes, loads, http_notes, args.rate, seconds)
    print(text)
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = f"search-{dt.date.today():%Y-%m-%d}{'-quick' if args.quick else ''}.md"
    (RESULTS / name).write_text(text, encoding="utf-8")
    print(f"written to {(RESULTS / name).relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
