"""Reading posts from JSONL, CSV and Parquet files, in bounded memory, losing nothing.

Readers yield :class:`Chunk` objects: a run of records with their line numbers and byte offsets.
JSONL records stay raw bytes so that decoding happens in the worker processes; CSV and Parquet
records are decoded here (their parsers are not line-splittable). A record that cannot be read
becomes a :class:`RecordError` that says where it is and why, never an exception that stops a run.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, cast

import msgspec

from wildwatch.ingest.post import Post, PostError, post_from_mapping

#: A record larger than this is refused (a 10 MB "title" is an attack or a bug, not a post).
DEFAULT_MAX_RECORD_BYTES = 1 << 20
_RAW_KEPT = 64 * 1024  # how much of a bad record the errors file keeps verbatim
FORMATS = ("jsonl", "csv", "parquet")


class ErrorRecord(msgspec.Struct, omit_defaults=True):
    """One record that could not be scanned, and where to find it again."""

    line: int
    """1-based line (JSONL, CSV) or row (Parquet) number."""
    error: str
    byte_offset: int | None = None
    byte_length: int | None = None
    raw: str | None = None
    """The record as read, when it is text and under 64 KiB; else use the offset."""


@dataclass(slots=True)
class Chunk:
    """Records read together and sent to one worker."""

    lines: list[bytes] = field(default_factory=list)
    """JSONL: raw records, numbered by ``numbers`` and found at byte ``offsets``."""
    numbers: list[int] = field(default_factory=list)
    offsets: list[int] = field(default_factory=list)
    records: list[dict[str, Any]] = field(default_factory=list)
    """CSV and Parquet: decoded rows, numbered by ``numbers``."""
    errors: list[ErrorRecord] = field(default_factory=list)
    bytes_read: int = 0

    def __len__(self) -> int:
        return len(self.lines) + len(self.records) + len(self.errors)


def detect_format(path: str) -> str:
    """The input format from the file name (``-`` is JSONL on standard input)."""
    lowered = path.lower()
    if lowered.endswith((".parquet", ".pq")):
        return "parquet"
    if lowered.endswith((".csv", ".csv.gz")):
        return "csv"
    return "jsonl"


def read_chunks(path: str, chunk_size: int, *, fmt: str | None = None,
                max_record_bytes: int = DEFAULT_MAX_RECORD_BYTES) -> Iterator[Chunk]:
    """Chunks of records from ``path`` (``-`` for standard input, JSONL only)."""
    kind = fmt or detect_format(path)
    if kind == "jsonl":
        if path == "-":
            yield from _jsonl_chunks(sys.stdin.buffer, chunk_size, max_record_bytes)
        else:
            with open(path, "rb") as stream:
                yield from _jsonl_chunks(stream, chunk_size, max_record_bytes)
    elif kind == "csv":
        yield from _csv_chunks(Path(path), chunk_size, max_record_bytes)
    elif kind == "parquet":
        yield from _parquet_chunks(Path(path), chunk_size)
    else:
        raise ValueError(f"unknown input format {kind!r}; use one of {', '.join(FORMATS)}")


_BLOCK = 1 << 22


def _jsonl_chunks(stream: BinaryIO, chunk_size: int, limit: int) -> Iterator[Chunk]:
    """Read 4 MiB blocks and split them into lines in C; only odd blocks go line by line."""
    number = 0  # lines read so far
    offset = 0  # bytes read so far, up to the start of ``carry``
    carry = b""
    chunk = Chunk()
    while True:
        block = stream.read(_BLOCK)
        if not block:
            break
        lines = (carry + block).split(b"\n")
        carry = lines.pop()
        if len(carry) > limit:  # a record too long to hold: skip to its end
            size, ended = len(carry), False
            while block := stream.read(_BLOCK):
                at = block.find(b"\n")
                if at >= 0:
                    size, ended, carry = size + at + 1, True, block[at + 1:]
                    break
                size += len(block)
            if not ended:
                carry = b""
            lines.append(_Oversized(size))
        lengths = list(map(len, lines))
        if lines and max(lengths) <= limit and all(map(bytes.strip, lines)):
            # The usual block: every line a record of fair size. Bookkeeping in bulk.
            starts = list(itertools.accumulate(lengths, lambda at, size: at + size + 1,
                                               initial=offset))
            done = 0
            while done < len(lines):
                take = min(chunk_size - len(chunk), len(lines) - done)
                chunk.lines += lines[done:done + take]
                chunk.numbers += range(number + done + 1, number + done + take + 1)
                chunk.offsets += starts[done:done + take]
                chunk.bytes_read += starts[done + take] - starts[done]
                done += take
                if len(chunk) >= chunk_size:
                    yield chunk
                    chunk = Chunk()
            number += len(lines)
            offset = starts[-1]
            continue
        for line in lines:
            number += 1
            start = offset
            size = line.size if isinstance(line, _Oversized) else len(line) + 1  # with "\n"
            offset += size
            chunk.bytes_read += size
            if isinstance(line, _Oversized) or len(line) > limit:
                chunk.errors.append(_too_large(number, start, size, limit))
            elif line.strip():
                chunk.lines.append(line)
                chunk.numbers.append(number)
                chunk.offsets.append(start)
            if len(chunk) >= chunk_size:
                yield chunk
                chunk = Chunk()
    if carry:
        number += 1
        chunk.bytes_read += len(carry)
        if carry.strip():
            chunk.lines.append(carry)
            chunk.numbers.append(number)
            chunk.offsets.append(offset)
    if len(chunk):
        yield chunk


class _Oversized(bytes):
    """Stands for a line too long to keep: only its size (with its newline) is known."""

    size: int

    def __new__(cls, size: int) -> _Oversized:
        made = super().__new__(cls, b"")
        made.size = size
        return made


def _too_large(number: int, start: int, size: int, limit: int) -> ErrorRecord:
    return ErrorRecord(
        number, f"record is {size / 1e6:.1f} MB; the limit is {limit / 1e6:.1f} MB "
        "(raise it with --max-record-bytes if such posts are real)",
        byte_offset=start, byte_length=size)


def _csv_chunks(path: Path, chunk_size: int, limit: int) -> Iterator[Chunk]:
    csv.field_size_limit(limit)
    chunk = Chunk()
    with open(path, "rb") as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8", errors="strict", newline="")
        reader = csv.DictReader(text)
        number = 1
        while True:
            try:
                row = next(reader)
            except StopIteration:
                break
            except (csv.Error, UnicodeDecodeError) as exc:
                number = reader.line_num or number + 1
                chunk.errors.append(ErrorRecord(number, f"unreadable CSV row: {exc}"))
                if isinstance(exc, UnicodeDecodeError):
                    break  # the decoder cannot resume mid-stream; the rest is counted lost
                continue
            number = reader.line_num
            if None in row:
                chunk.errors.append(ErrorRecord(number, "row has more cells than the header",
                                                raw=json.dumps(row[None])[:_RAW_KEPT]))
                continue
            chunk.records.append(_csv_row(row))
            chunk.numbers.append(number)
            if len(chunk) >= chunk_size:
                yield chunk
                chunk = Chunk()
    if len(chunk):
        yield chunk


def _csv_row(row: dict[str, str | None]) -> dict[str, Any]:
    """CSV cells to post fields: empty cells are absent, ``seller.id`` nests, lists split."""
    out: dict[str, Any] = {}
    seller: dict[str, str] = {}
    for key, value in row.items():
        if value is None or value == "":
            continue
        if key.startswith("seller."):
            seller[key.removeprefix("seller.")] = value
        elif key in ("hashtags", "images"):
            stripped = value.strip()
            if stripped.startswith("["):
                try:
                    out[key] = json.loads(stripped)
                except json.JSONDecodeError:
                    out[key] = stripped  # invalid: validation reports it with the field's name
            else:
                out[key] = [part for part in stripped.replace("|", " ").split() if part]
        else:
            out[key] = value
    if seller:
        out["seller"] = seller
    return out


def _parquet_chunks(path: Path, chunk_size: int) -> Iterator[Chunk]:
    import pyarrow.parquet as pq

    number = 0
    for batch in pq.ParquetFile(path).iter_batches(batch_size=chunk_size):
        chunk = Chunk()
        for row in batch.to_pylist():
            number += 1
            chunk.records.append(row)
            chunk.numbers.append(number)
        yield chunk


class _KnownFields(Post, forbid_unknown_fields=True, gc=False):
    """Fast path: a record with only the documented fields decodes straight into a post."""


_FAST = msgspec.json.Decoder(_KnownFields)
_FAST_MANY = msgspec.json.Decoder(list[_KnownFields])
_ANY = msgspec.json.Decoder()


def decode_jsonl_records(lines: list[bytes], numbers: list[int],
                         offsets: list[int]) -> tuple[list[Post], list[ErrorRecord]]:
    """Many JSONL records at once: one decoder call when all are good, else line by line."""
    try:
        posts: list[Post] = cast("list[Post]", _FAST_MANY.decode(b"[" + b",".join(lines) + b"]"))
    except (msgspec.DecodeError, msgspec.ValidationError, UnicodeDecodeError):
        pass
    else:
        # One value per line and every id present, or some line was not what it seemed.
        if len(posts) == len(lines) and all(post.id for post in posts):
            return posts, []
    good: list[Post] = []
    errors: list[ErrorRecord] = []
    for line, number, offset in zip(lines, numbers, offsets, strict=True):
        decoded = decode_jsonl_record(line, number, offset)
        if isinstance(decoded, Post):
            good.append(decoded)
        else:
            errors.append(decoded)
    return good, errors


def decode_jsonl_record(line: bytes, number: int, offset: int) -> Post | ErrorRecord:
    """One JSONL record to a post, or to an error that says what is wrong."""
    try:
        post: Post = _FAST.decode(line)
    except (msgspec.DecodeError, msgspec.ValidationError, UnicodeDecodeError):
        pass
    else:
        if post.id:
            return post
    try:
        record = _ANY.decode(line)
    except UnicodeDecodeError as exc:
        return _error(number, offset, line, f"not valid UTF-8 (byte {exc.start})")
    except msgspec.DecodeError as exc:
        return _error(number, offset, line, f"not valid JSON: {exc}")
    if not isinstance(record, dict):
        return _error(number, offset, line,
                      f"a post must be a JSON object, not {type(record).__name__}")
    return decode_mapping(record, number, offset, line)


def decode_mapping(record: dict[str, Any], number: int, offset: int | None = None,
                   line: bytes | None = None) -> Post | ErrorRecord:
    """A decoded record (CSV row, Parquet row, JSON object) to a post or an error."""
    try:
        return post_from_mapping(record)
    except PostError as exc:
        if line is None:
            line = json.dumps(record, default=str, ensure_ascii=False).encode()
        return _error(number, offset, line, str(exc))


def _error(number: int, offset: int | None, line: bytes, reason: str) -> ErrorRecord:
    raw: str | None = None
    if len(line) <= _RAW_KEPT:
        raw = line.decode("utf-8", errors="backslashreplace").rstrip("\r\n")
    return ErrorRecord(number, reason, byte_offset=offset,
                       byte_length=len(line) if offset is not None else None, raw=raw)
