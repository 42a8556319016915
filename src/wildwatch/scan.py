"""Scanning a file of posts: read in chunks, detect on every core, write verdicts and errors.

The accounting is the contract: every record read ends as exactly one verdict or one error
(``records == verdicts + errors``), whatever the input holds, and the run never stops for a bad
record. Memory stays bounded: at most ``4 * workers`` chunks are held at once.
"""

from __future__ import annotations

import contextlib
import csv
import ctypes
import gc
import itertools
import multiprocessing
import os
import pickle
import time
from collections import Counter, deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import IO, Any

import msgspec

from wildwatch.detect import Detector, Verdict
from wildwatch.detect.blocks import BlockScanner
from wildwatch.detect.scorers import DEFAULT_SCORER
from wildwatch.ingest.post import Post
from wildwatch.ingest.readers import (
    DEFAULT_MAX_RECORD_BYTES,
    Chunk,
    ErrorRecord,
    decode_mapping,
    read_chunks,
    read_range,
)

DEFAULT_CHUNK = 2048
OUTPUT_FORMATS = ("jsonl", "csv", "parquet")


@dataclass(slots=True)
class ScanStats:
    """What a run did; ``records == verdicts + errors`` always holds."""

    records: int = 0
    verdicts: int = 0
    written: int = 0
    flagged: int = 0
    errors: int = 0
    bytes_read: int = 0
    seconds: float = 0.0
    workers: int = 1
    engine: str = ""
    scorer: str = ""
    lexicon_version: str = ""
    flagged_by_species: Counter[str] = field(default_factory=Counter)
    posts_by_lang: Counter[str] = field(default_factory=Counter)
    flagged_by_lang: Counter[str] = field(default_factory=Counter)

    def add(self, other: ChunkResult) -> None:
        self.records += other.records
        self.verdicts += other.verdicts
        self.written += other.written
        self.flagged += other.flagged
        self.errors += len(other.errors)
        self.bytes_read += other.bytes_read
        self.flagged_by_species.update(other.flagged_by_species)
        self.posts_by_lang.update(other.posts_by_lang)
        self.flagged_by_lang.update(other.flagged_by_lang)

    @property
    def posts_per_second(self) -> float:
        return self.records / self.seconds if self.seconds else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "records": self.records, "verdicts": self.verdicts, "written": self.written,
            "flagged": self.flagged, "errors": self.errors, "bytes_read": self.bytes_read,
            "seconds": round(self.seconds, 3), "posts_per_second": round(self.posts_per_second),
            "workers": self.workers, "engine": self.engine, "scorer": self.scorer,
            "lexicon_version": self.lexicon_version,
            "flagged_by_species": dict(self.flagged_by_species.most_common()),
            "posts_by_lang": dict(self.posts_by_lang.most_common()),
            "flagged_by_lang": dict(self.flagged_by_lang.most_common()),
        }


@dataclass(slots=True)
class ChunkResult:
    """A worker's answer for one chunk: encoded verdicts, errors and counts."""

    output: bytes
    errors: list[ErrorRecord]
    records: int
    verdicts: int
    written: int
    flagged: int
    flagged_by_species: Counter[str]
    posts_by_lang: Counter[str]
    flagged_by_lang: Counter[str]
    bytes_read: int


_detector: Detector | None = None
_blocks: BlockScanner | None = None
_encoder = msgspec.json.Encoder()


def _init_worker(lexicon_dir: str | None, engine: str | None, scorer: str) -> None:
    """In a worker: build the detector unless it came with the fork."""
    global _detector
    if _detector is None:
        _detector = Detector.default(lexicon_dir, engine=engine, scorer=scorer)
    _relax_gc()


def _relax_gc() -> tuple[int, int, int]:
    """Make the cycle collector stop walking the detector's long-lived objects.

    A scan allocates millions of short-lived lists and dicts (a post's hashtags, its extra
    fields); with default thresholds, the collector repeatedly walks every object the process
    holds, which measured as a fifth of scan time. Nothing here makes reference cycles.
    """
    previous = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(50_000, 50, 1000)
    return previous


# glibc's mallopt parameters (malloc.h).
_M_TRIM_THRESHOLD, _M_TOP_PAD, _M_MMAP_THRESHOLD = -1, -2, -3
_MB = 1 << 20


def keep_freed_memory() -> bool:
    """Have glibc's allocator keep the memory a chunk frees for the next chunk.

    A chunk's arrays (its bytes, code points, output) are a few hundred KB to a few MB each.
    By default glibc gets each from the kernel with its own mmap and returns it on free, so
    every chunk's arrays are fresh pages the kernel must map and zero again: about 300,000
    page faults and a second of system time per million posts, more with several workers.
    Allocations under 32 MB now come from the heap, which keeps up to 256 MB free rather than
    returning it. Peak memory is unchanged (the same arrays, reused). Called by
    ``wildwatch scan``, which owns its process; returns False where the C library is not
    glibc and nothing changed.
    """
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (AttributeError, OSError):
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    return all(mallopt(parameter, value) == 1 for parameter, value in (
        (_M_MMAP_THRESHOLD, 32 * _MB), (_M_TRIM_THRESHOLD, 256 * _MB), (_M_TOP_PAD, 16 * _MB)))


def scan_chunk(chunk: Chunk, write_all: bool, max_record_bytes: int) -> ChunkResult:
    """Read, detect and encode one chunk (runs in a worker process)."""
    global _blocks
    detector = _detector
    assert detector is not None, "call _init_worker first"
    errors = list(chunk.errors)
    block = chunk.block if chunk.path is None else read_range(chunk)
    if block:
        if _blocks is None or _blocks.detector is not detector:
            _blocks = BlockScanner(detector)
        scanned = _blocks.scan(block, chunk.first_line, chunk.offset, max_record_bytes,
                               write_all)
        errors += scanned.errors
        output, verdicts, written = scanned.output, scanned.verdicts, scanned.written
        flagged, by_lang = scanned.flagged, scanned.posts_by_lang
    else:
        posts: list[Post] = []
        for record, number in zip(chunk.records, chunk.numbers, strict=True):
            decoded = decode_mapping(record, number)
            if isinstance(decoded, Post):
                posts.append(decoded)
            else:
                errors.append(decoded)
        scanned_posts = detector.scan_batch(posts)
        flagged = [verdict for verdict in scanned_posts if verdict.flagged]
        chosen = scanned_posts if write_all else flagged
        output = _encoder.encode_lines(chosen) if chosen else b""
        verdicts, written = len(scanned_posts), len(chosen)
        by_lang = Counter(v.lang or "unknown" for v in scanned_posts)
    errors.sort(key=lambda error: error.line)
    return ChunkResult(
        output=output, errors=errors, records=verdicts + len(errors), verdicts=verdicts,
        written=written, flagged=len(flagged),
        flagged_by_species=Counter(s for v in flagged for s in v.species[:1]),
        posts_by_lang=by_lang,
        flagged_by_lang=Counter(v.lang or "unknown" for v in flagged),
        bytes_read=chunk.bytes_read,
    )


class VerdictWriter:
    """Writes encoded verdict lines as JSONL, CSV or Parquet."""

    def __init__(self, path: str, fmt: str) -> None:
        if fmt not in OUTPUT_FORMATS:
            raise ValueError(f"unknown output format {fmt!r}; use one of "
                             f"{', '.join(OUTPUT_FORMATS)}")
        self.fmt = fmt
        self._stream: IO[bytes] | None = None
        self._text: IO[str] | None = None
        self._csv: Any = None
        self._parquet: Any = None
        self._path = path
        if fmt == "jsonl":
            # The writer owns its stream until close(): no context manager can span the run.
            self._stream = (os.fdopen(os.dup(1), "wb") if path == "-"
                            else open(path, "wb"))  # noqa: SIM115
        elif fmt == "csv":
            self._text = (os.fdopen(os.dup(1), "w", newline="", encoding="utf-8") if path == "-"
                          else open(path, "w", newline="", encoding="utf-8"))  # noqa: SIM115
            self._csv = csv.writer(self._text)
            self._csv.writerow(["id", "score", "flagged", "level", "species", "terms", "reasons",
                                "platform", "lang", "lexicon_version", "scorer"])
        elif path == "-":
            raise ValueError("Parquet output needs a file: give --out FILE")

    def write(self, encoded_lines: bytes) -> None:
        if not encoded_lines:
            return
        if self._stream is not None:
            self._stream.write(encoded_lines)
            return
        verdicts = msgspec.json.Decoder(Verdict).decode_lines(encoded_lines)
        if self._csv is not None:
            for v in verdicts:
                self._csv.writerow([_cell(v.id), v.score, v.flagged, v.level.value,
                                    ";".join(v.species),
                                    _cell(";".join(sorted({m.text for m in v.matches}))),
                                    _cell(" | ".join(v.reasons)), _cell(v.platform or ""),
                                    _cell(v.lang or ""), v.lexicon_version, v.scorer])
            return
        self._write_parquet(verdicts)

    def _write_parquet(self, verdicts: list[Verdict]) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        rows = [msgspec.to_builtins(v) for v in verdicts]
        for row in rows:
            row.setdefault("species", [])
            row.setdefault("matches", [])
            row.setdefault("reasons", [])
            row.setdefault("level", "clear")
            row["extra"] = msgspec.json.encode(row.get("extra", {})).decode()
        table = pa.Table.from_pylist(rows, schema=_parquet_schema())
        if self._parquet is None:
            self._parquet = pq.ParquetWriter(self._path, table.schema)
        self._parquet.write_table(table)

    def close(self) -> None:
        if self._stream is not None:
            self._stream.close()
        if self._text is not None:
            self._text.close()
        if self.fmt == "parquet":
            if self._parquet is None:  # no verdict at all: still write a valid, empty file
                import pyarrow as pa
                import pyarrow.parquet as pq

                pq.write_table(pa.Table.from_pylist([], schema=_parquet_schema()), self._path)
            else:
                self._parquet.close()


def _cell(value: str) -> str:
    """A CSV cell a spreadsheet will not run: listing text starting with '=' or '+' is a formula
    to Excel (CSV injection), so such cells get a leading apostrophe."""
    return "'" + value if value.startswith(("=", "+", "-", "@", "\t", "\r")) else value


def _parquet_schema() -> Any:
    import pyarrow as pa

    match = pa.struct([("term", pa.string()), ("kind", pa.string()), ("group", pa.string()),
                       ("field", pa.string()), ("start", pa.int64()), ("end", pa.int64()),
                       ("text", pa.string())])
    return pa.schema([
        ("id", pa.string()), ("score", pa.float64()), ("flagged", pa.bool_()),
        ("level", pa.string()), ("species", pa.list_(pa.string())),
        ("matches", pa.list_(match)), ("reasons", pa.list_(pa.string())),
        ("lexicon_version", pa.string()), ("scorer", pa.string()),
        ("platform", pa.string()), ("lang", pa.string()), ("extra", pa.string()),
    ])


def scan_file(
    source: str, out: str, *, fmt: str = "jsonl", input_format: str | None = None,
    errors_path: str | None = None, workers: int = 1, write_all: bool = False,
    lexicon_dir: str | None = None, engine: str | None = None, scorer: str = DEFAULT_SCORER,
    chunk_size: int = DEFAULT_CHUNK, max_record_bytes: int = DEFAULT_MAX_RECORD_BYTES,
    progress: Callable[[int], None] | None = None,
) -> ScanStats:
    """Scan ``source`` into ``out``; bad records go to ``errors_path`` (made only if needed).

    ``progress`` is called with the number of input bytes consumed after each chunk.
    """
    global _detector
    started = time.perf_counter()
    if (_detector is None or lexicon_dir is not None or engine is not None
            or _detector.scorer.name != scorer):
        _detector = Detector.default(lexicon_dir, engine=engine, scorer=scorer)
    stats = ScanStats(workers=workers, engine=_detector.engine.name,
                      lexicon_version=_detector.lexicon.version, scorer=_detector.scorer.name)
    previous_gc = _relax_gc()
    writer = VerdictWriter(out, fmt)
    error_path = errors_file_for(out, errors_path)
    error_stream: IO[bytes] | None = None
    # With workers, a regular file's chunks go to them as byte ranges to read, not as bytes.
    chunks = read_chunks(source, chunk_size, fmt=input_format, max_record_bytes=max_record_bytes,
                         by_reference=workers > 1)
    try:
        for result in _results(chunks, workers, write_all, max_record_bytes,
                               (lexicon_dir, engine, scorer)):
            writer.write(result.output)
            if result.errors:
                if error_stream is None:
                    # Made only when the first bad record comes; closed in ``finally``.
                    error_stream = open(error_path, "wb")  # noqa: SIM115
                error_stream.write(_encoder.encode_lines(result.errors))
            stats.add(result)
            if progress is not None:
                progress(result.bytes_read)
    finally:
        writer.close()
        if error_stream is not None:
            error_stream.close()
        gc.set_threshold(*previous_gc)
        gc.unfreeze()
    stats.seconds = time.perf_counter() - started
    if stats.records != stats.verdicts + stats.errors:  # pragma: no cover - a bug, loudly
        raise AssertionError(f"lost records: {stats.records} read, {stats.verdicts} verdicts, "
                             f"{stats.errors} errors")
    return stats


def errors_file_for(out: str, errors_path: str | None) -> Path:
    """Where :func:`scan_file` writes bad records for these options."""
    return Path(errors_path or (f"{out}.errors.jsonl" if out != "-" else "wildwatch-errors.jsonl"))


def _results(chunks: Iterator[Chunk], workers: int, write_all: bool, max_record_bytes: int,
             detector_options: tuple[str | None, str | None, str]) -> Iterator[ChunkResult]:
    """Chunk results in input order, from ``workers`` processes: this one and ``workers - 1``
    forked helpers.

    This process scans a chunk whenever every helper has :data:`_IN_HAND` in hand, rather than
    only reading and writing: on a machine with as many cores as workers, a process that only
    waited would still take CPU from the workers, and one core would do less than a worker's
    share. At most ``4 * workers`` chunks' results are held at once.
    """
    first = next(chunks, None)
    if first is None:
        return
    # The first chunk is scanned here before any fork, so that the forked workers inherit the
    # compiled kernels this loads instead of each loading them again.
    yield scan_chunk(first, write_all, max_record_bytes)
    second = next(chunks, None)
    rest = chunks if second is None else itertools.chain((second,), chunks)
    if workers <= 1 or second is None:  # nothing left: a helper would only cost its start-up
        for chunk in rest:
            yield scan_chunk(chunk, write_all, max_record_bytes)
        return
    context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    helpers = [_Helper(context, detector_options, write_all, max_record_bytes)
               for _ in range(workers - 1)]
    pending: deque[_Helper | ChunkResult] = deque()
    try:
        for chunk in rest:
            for helper in helpers:
                helper.collect()
            idle = min(helpers, key=lambda helper: helper.in_hand)
            if idle.in_hand < _IN_HAND:
                idle.send(chunk)
                pending.append(idle)
            else:
                pending.append(scan_chunk(chunk, write_all, max_record_bytes))
            while pending and (len(pending) > 4 * workers or _ready(pending[0])):
                yield _result(pending.popleft())
        while pending:
            yield _result(pending.popleft())
        for helper in helpers:
            helper.finish()
    finally:
        for helper in helpers:
            helper.stop()


_IN_HAND = 3
"""Chunks a helper is given before this process scans one itself: enough that it is never left
without work while this process scans, reads and writes."""


class _Helper:
    """A forked process that scans the chunks it is sent, in order, and sends back each result.

    Its own pipes rather than a process pool's queues: the result pipe holds 1 MB, so a helper
    can send the result of a chunk or two (about 440 KB each, as verdicts) while this process is
    busy scanning, instead of waiting for it to read; and no pool thread competes with the
    scanning for this process's interpreter.
    """

    PIPE_BYTES = 1 << 20

    def __init__(self, context: Any, detector_options: tuple[str | None, str | None, str],
                 write_all: bool, max_record_bytes: int) -> None:
        tasks_out, self._tasks = context.Pipe(duplex=False)
        self._results, results_in = context.Pipe(duplex=False)
        _widen_pipe(results_in.fileno())
        self._process = context.Process(
            target=_serve_chunks, daemon=True,
            args=(tasks_out, results_in, detector_options, write_all, max_record_bytes))
        self._process.start()
        tasks_out.close()
        results_in.close()
        self.in_hand = 0
        """Chunks sent whose results have not come back."""
        self._done: deque[ChunkResult | BaseException] = deque()

    @property
    def pid(self) -> int | None:
        return self._process.pid  # type: ignore[no-any-return]

    def send(self, chunk: Chunk) -> None:
        try:
            self._tasks.send(chunk)
        except OSError:  # the helper is gone: its end of the pipe is closed
            raise self._stopped() from None
        self.in_hand += 1

    def collect(self) -> None:
        """Take in the results the helper has sent, so that it can be sent more."""
        while self.in_hand and self._results.poll():
            self._done.append(self._receive())

    def ready(self) -> bool:
        return bool(self._done) or bool(self._results.poll())

    def receive(self) -> ChunkResult:
        """The next result, in the order the chunks were sent; waits for it if need be."""
        answer = self._done.popleft() if self._done else self._receive()
        if isinstance(answer, BaseException):
            raise answer
        return answer

    def _receive(self) -> ChunkResult | BaseException:
        try:
            answer: ChunkResult | BaseException = self._results.recv()
        except EOFError:
            raise self._stopped() from None
        self.in_hand -= 1
        return answer

    def _stopped(self) -> RuntimeError:
        self._process.join(5)
        return RuntimeError(f"a scan worker stopped unexpectedly (exit code "
                            f"{self._process.exitcode})")

    def finish(self) -> None:
        self._tasks.send(None)
        self._process.join()

    def stop(self) -> None:
        if self._process.is_alive():
            self._process.kill()
        self._process.join()
        self._tasks.close()
        self._results.close()


def _widen_pipe(fd: int) -> None:
    """Let a pipe hold 1 MB (Linux; elsewhere, or past the system's limit, it stays as it is)."""
    with contextlib.suppress(ImportError, AttributeError, OSError):
        import fcntl

        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, _Helper.PIPE_BYTES)


def _serve_chunks(tasks: Connection, results: Connection,
                  detector_options: tuple[str | None, str | None, str], write_all: bool,
                  max_record_bytes: int) -> None:
    """A helper's life: scan each chunk sent until None comes; a failure goes back as the
    exception, for the command's process to raise."""
    _init_worker(*detector_options)
    while (chunk := tasks.recv()) is not None:
        try:
            answer: ChunkResult | BaseException = scan_chunk(chunk, write_all, max_record_bytes)
        except Exception as error:  # sent back, and raised by the command's process
            answer = error
        try:
            results.send(answer)
        except (TypeError, AttributeError, pickle.PicklingError):
            results.send(RuntimeError(f"a scan worker failed: {answer!r}"))


def _ready(item: _Helper | ChunkResult) -> bool:
    return not isinstance(item, _Helper) or item.ready()


def _result(item: _Helper | ChunkResult) -> ChunkResult:
    return item.receive() if isinstance(item, _Helper) else item
