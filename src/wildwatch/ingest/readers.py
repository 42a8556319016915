"""Reading posts from JSONL, CSV and Parquet files, in bounded memory, losing nothing.

Readers yield :class:`Chunk` objects: a run of records with their line numbers and byte offsets.
JSONL records stay raw bytes so that reading them happens in the worker processes; CSV and Parquet
records are decoded here (their parsers are not line-splittable). A record that cannot be read
becomes a :class:`RecordError` that says where it is and why, never an exception that stops a run.
"""

from __future__ import annotations

import csv
import io
import json
import os
import stat
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import msgspec
import numpy as np

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

    block: bytes = b""
    """JSONL: whole lines as read; the first is line ``first_line``, at byte ``offset``."""
    first_line: int = 1
    offset: int = 0
    records: list[dict[str, Any]] = field(default_factory=list)
    """CSV and Parquet: decoded rows, numbered by ``numbers``."""
    numbers: list[int] = field(default_factory=list)
    errors: list[ErrorRecord] = field(default_factory=list)
    bytes_read: int = 0
    path: str | None = None
    """JSONL read by reference: the lines are ``bytes_read`` bytes at ``offset`` of this file,
    for the worker to read (:func:`read_range`); ``block`` is then empty."""

    def __len__(self) -> int:
        """Rows and errors held (CSV and Parquet chunks are cut by this count)."""
        return len(self.records) + len(self.errors)


def detect_format(path: str) -> str:
    """The input format from the file name (``-`` is JSONL on standard input)."""
    lowered = path.lower()
    if lowered.endswith((".parquet", ".pq")):
        return "parquet"
    if lowered.endswith((".csv", ".csv.gz")):
        return "csv"
    return "jsonl"


def read_chunks(path: str, chunk_size: int, *, fmt: str | None = None,
                max_record_bytes: int = DEFAULT_MAX_RECORD_BYTES,
                by_reference: bool = False) -> Iterator[Chunk]:
    """Chunks of records from ``path`` (``-`` for standard input, JSONL only).

    With ``by_reference``, JSONL chunks of a regular file carry the file's path and their byte
    range instead of their bytes (:attr:`Chunk.path`): what a worker process can read itself
    more cheaply than it can be sent the bytes.
    """
    kind = fmt or detect_format(path)
    if kind == "jsonl":
        if path == "-":
            yield from _jsonl_chunks(sys.stdin.buffer, chunk_size, max_record_bytes)
        else:
            with open(path, "rb") as stream:
                regular = by_reference and stat.S_ISREG(os.fstat(stream.fileno()).st_mode)
                yield from _jsonl_chunks(stream, chunk_size, max_record_bytes,
                                         path if regular else None)
    elif kind == "csv":
        yield from _csv_chunks(Path(path), chunk_size, max_record_bytes)
    elif kind == "parquet":
        yield from _parquet_chunks(Path(path), chunk_size)
    else:
        raise ValueError(f"unknown input format {kind!r}; use one of {', '.join(FORMATS)}")


def read_range(chunk: Chunk) -> bytes:
    """The lines of a chunk read by reference (:attr:`Chunk.path`), read from its file."""
    assert chunk.path is not None
    fd = os.open(chunk.path, os.O_RDONLY)
    try:
        block = os.pread(fd, chunk.bytes_read, chunk.offset)
    finally:
        os.close(fd)
    if len(block) != chunk.bytes_read:
        raise OSError(f"{chunk.path} shrank while it was being scanned: bytes "
                      f"{chunk.offset}-{chunk.offset + chunk.bytes_read} are gone")
    return block


_BLOCK = 1 << 22
_NEWLINE = 10


def _jsonl_chunks(stream: BinaryIO, chunk_size: int, limit: int,
                  path: str | None = None) -> Iterator[Chunk]:
    """Read 4 MiB blocks and cut them, at line ends, into chunks of ``chunk_size`` lines.

    Lines stay raw bytes: the workers read them (:mod:`wildwatch.detect.blocks`); with a
    ``path``, chunks carry only their byte range of that file. Only a line longer than
    ``limit`` that runs past the block is handled here, by skipping to its end without holding
    it.
    """
    number = 0  # lines read so far
    offset = 0  # bytes read so far, up to the start of ``carry``
    carry = b""
    while block := stream.read(_BLOCK):
        data = carry + block
        # Every line end of the block at once (a Python loop over lines, or bytes.count, is
        # several times slower); then a chunk is every chunk_size-th of them.
        line_ends = np.flatnonzero(np.frombuffer(data, np.uint8) == _NEWLINE) + 1
        cut = int(line_ends[-1]) if len(line_ends) else 0
        carry = data[cut:]
        stops = line_ends[chunk_size - 1::chunk_size].tolist()
        if not stops or stops[-1] != cut:
            stops.append(cut)
        at = 0
        for index, stop in enumerate(stops if cut else ()):
            lines = len(line_ends) - index * chunk_size if stop == cut else chunk_size
            yield Chunk(block=data[at:stop] if path is None else b"", path=path,
                        first_line=number + 1, offset=offset, bytes_read=stop - at)
            number += lines
            offset += stop - at
            at = stop
        if len(carry) > limit:  # a record too long to hold: skip to its end
            size = len(carry)
            carry = b""
            while block := stream.read(_BLOCK):
                newline = block.find(b"\n")
                if newline >= 0:
                    size += newline + 1
                    carry = block[newline + 1:]
                    break
                size += len(block)
            number += 1
            yield Chunk(errors=[record_too_large(number, offset, size, limit)], bytes_read=size)
            offset += size
    if carry:
        yield Chunk(block=carry if path is None else b"", path=path, first_line=number + 1,
                    offset=offset, bytes_read=len(carry))


def record_too_large(number: int, start: int, size: int, limit: int) -> ErrorRecord:
    """The error for a record of ``size`` bytes (with its newline), over the ``limit``."""
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
_ANY = msgspec.json.Decoder()


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
