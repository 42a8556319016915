"""Whatever a file holds, each record ends as one verdict or one error; nothing stops the run."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wildwatch.ingest.readers import Chunk, read_chunks, read_range
from wildwatch.scan import _Helper, scan_file

LIMIT = 4096

valid = st.builds(
    lambda i, text, tags: json.dumps({"id": f"p{i}", "text": text, "hashtags": tags}).encode(),
    st.integers(0, 10**6), st.text(max_size=80), st.lists(st.text(max_size=10), max_size=3))
broken = st.sampled_from([
    b'{"id": "x", "text": ',                      # truncated JSON
    b"not json at all",
    b'{"id": "x", "text": "\xff\xfe bad utf-8"}',  # invalid UTF-8
    b'{"text": "no id here"}',
    b'{"id": "", "text": "empty id"}',
    b'{"id": "x", "title": 42}',                   # wrong type
    b'{"id": "x", "hashtags": "not a list"}',
    b'["an", "array"]',
    b"123",
    b'{"id": "x", "seller": "not an object"}',
    b'{"id": "x", "text": "' + b"a" * (LIMIT + 10) + b'"}',  # too large
])
records = st.lists(st.tuples(st.booleans(), valid, broken), max_size=40)


Rows = list[dict[str, object]]


def _run(lines: list[bytes], workers: int = 1, chunk_size: int = 7) -> tuple[Rows, Rows, object]:
    verdicts, errors, stats = _run_raw(lines, workers, chunk_size)
    return ([json.loads(line) for line in verdicts.splitlines()],
            [json.loads(line) for line in errors.splitlines()], stats)


def _run_raw(lines: list[bytes], workers: int = 1,
             chunk_size: int = 7) -> tuple[bytes, bytes, object]:
    """The verdict and error files' bytes, and the stats, of scanning ``lines``."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "in.jsonl"
        source.write_bytes(b"".join(line + b"\n" for line in lines))
        out = Path(folder) / "out.jsonl"
        stats = scan_file(str(source), str(out), write_all=True, workers=workers,
                          chunk_size=chunk_size, max_record_bytes=LIMIT)
        errors_file = Path(f"{out}.errors.jsonl")
        errors = errors_file.read_bytes() if errors_file.exists() else b""
        return out.read_bytes(), errors, stats


@given(records)
@settings(max_examples=60)
def test_records_equal_verdicts_plus_errors(spec: list[tuple[bool, bytes, bytes]]) -> None:
    lines = [good if is_good else bad for is_good, good, bad in spec]
    verdicts, errors, stats = _run(lines)
    assert len(verdicts) + len(errors) == len(lines)
    assert stats.records == len(lines) == stats.verdicts + stats.errors  # type: ignore[attr-defined]
    bad_lines = [number for number, (is_good, _, _) in enumerate(spec, 1) if not is_good]
    assert [error["line"] for error in errors] == bad_lines
    good_ids = [json.loads(good)["id"] for is_good, good, _ in spec if is_good]
    assert [verdict["id"] for verdict in verdicts] == good_ids
    for error in errors:
        assert error["error"] and error["byte_offset"] is not None


@pytest.mark.parametrize("workers", [2, 3])
def test_several_workers_keep_order_and_count(workers: int) -> None:
    lines = [json.dumps({"id": str(i), "text": "carved ivory" if i % 5 else "lamp"}).encode()
             if i % 11 else b"{broken" for i in range(500)]
    verdicts, errors, _ = _run(lines, workers=workers, chunk_size=16)
    assert [e["line"] for e in errors] == [i + 1 for i in range(500) if i % 11 == 0]
    assert [v["id"] for v in verdicts] == [str(i) for i in range(500) if i % 11]
    assert sum(v["flagged"] for v in verdicts) == len([i for i in range(500) if i % 11 and i % 5])


@given(records)
@settings(max_examples=15, deadline=None)
def test_two_workers_write_what_one_writes(spec: list[tuple[bool, bytes, bytes]]) -> None:
    # Chunks of 3 lines: this process scans some chunks and the forked worker others.
    lines = [good if is_good else bad for is_good, good, bad in spec] * 3
    one = _run_raw(lines, workers=1, chunk_size=3)
    two = _run_raw(lines, workers=2, chunk_size=3)
    assert two[:2] == one[:2]
    assert two[2].records == one[2].records == len(lines)  # type: ignore[attr-defined]


def test_a_ten_megabyte_field_is_an_error_not_a_crash(tmp_path: Path) -> None:
    source = tmp_path / "big.jsonl"
    with source.open("wb") as stream:
        stream.write(b'{"id": "a", "text": "ivory bangle"}\n')
        stream.write(b'{"id": "b", "text": "' + b"x" * 10_000_000 + b'"}\n')
        stream.write(b'{"id": "c", "text": "lamp"}\n')
    out = tmp_path / "out.jsonl"
    stats = scan_file(str(source), str(out), write_all=True)
    assert (stats.records, stats.verdicts, stats.errors) == (3, 2, 1)
    [error] = _lines(tmp_path / "out.jsonl.errors.jsonl")
    assert error["line"] == 2 and "10.0 MB" in error["error"]
    assert error["byte_offset"] == 36 and error["byte_length"] == 10_000_024


def test_csv_input(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("id,title,hashtags,seller.id,price\n"
                      "1,Carved ivory,#antique #ivory,s1,12.5\n"
                      "2,Lamp,,s2,not-a-number\n"
                      ",no id,,,\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    stats = scan_file(str(source), str(out), write_all=True)
    assert (stats.records, stats.verdicts, stats.errors) == (3, 1, 2)
    [verdict] = _lines(out)
    assert verdict["id"] == "1" and verdict["flagged"]
    errors = _lines(tmp_path / "out.jsonl.errors.jsonl")
    assert [e["line"] for e in errors] == [3, 4]
    assert "price" in errors[0]["error"]


def test_parquet_in_and_out(tmp_path: Path) -> None:
    source = tmp_path / "in.parquet"
    pq.write_table(pa.Table.from_pylist([
        {"id": "1", "text": "rhino horn cup", "lang": "en"},
        {"id": "2", "text": "teddy bear", "lang": "en"},
        {"id": None, "text": "no id", "lang": None},
    ]), source)
    out = tmp_path / "out.parquet"
    stats = scan_file(str(source), str(out), fmt="parquet", write_all=True)
    assert (stats.records, stats.verdicts, stats.errors) == (3, 2, 1)
    table = pq.read_table(out).to_pylist()
    assert [row["id"] for row in table] == ["1", "2"]
    assert table[0]["species"] == ["rhino"] and table[0]["matches"][0]["text"] == "rhino horn cup"


def test_csv_output(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text('{"id": "1", "text": "pangolin scales"}\n', encoding="utf-8")
    out = tmp_path / "out.csv"
    scan_file(str(source), str(out), fmt="csv", write_all=True)
    header, row = out.read_text(encoding="utf-8").splitlines()
    assert header.startswith("id,score,flagged,level,species")
    assert row.startswith("1,") and "pangolin" in row


def _lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_an_oversized_last_record_without_newline(tmp_path: Path) -> None:
    source = tmp_path / "tail.jsonl"
    source.write_bytes(b'{"id": "a", "text": "ivory"}\n{"id": "b", "text": "'
                       + b"y" * 9_000_000)
    stats = scan_file(str(source), str(tmp_path / "o.jsonl"), write_all=True)
    assert (stats.records, stats.verdicts, stats.errors) == (2, 1, 1)
    [error] = _lines(tmp_path / "o.jsonl.errors.jsonl")
    assert error["line"] == 2 and error["byte_offset"] == 29
    assert error["byte_length"] == 9_000_021


def test_blank_lines_are_skipped_and_crlf_is_read(tmp_path: Path) -> None:
    source = tmp_path / "crlf.jsonl"
    source.write_bytes(b'{"id": "a", "text": "ivory"}\r\n\r\n\n   \n{"id": "b"}\r\n')
    stats = scan_file(str(source), str(tmp_path / "o.jsonl"), write_all=True)
    assert (stats.records, stats.verdicts, stats.errors) == (2, 2, 0)


def test_csv_output_cannot_run_as_a_spreadsheet_formula(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": "=HYPERLINK(\"http://x\")", "title": "@SUM(1) ivory"})
                      + "\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    scan_file(str(source), str(out), fmt="csv", write_all=True)
    row = out.read_text(encoding="utf-8").splitlines()[1]
    assert row.startswith("\"'=HYPERLINK(")


def test_chunks_hold_chunk_size_lines_and_read_back_by_reference(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    lines = [json.dumps({"id": str(i), "text": "x" * (i % 37)}).encode() + b"\n"
             for i in range(1000)]
    source.write_bytes(b"".join(lines) + b'{"id": "last, no newline"}')
    by_bytes = list(read_chunks(str(source), 64))
    by_reference = list(read_chunks(str(source), 64, by_reference=True))
    # 15 chunks of 64 lines, one of the 40 left, and the last line, which has no newline.
    assert [chunk.first_line for chunk in by_bytes] == [*range(1, 1001, 64), 1001]
    assert b"".join(chunk.block for chunk in by_bytes) == source.read_bytes()
    assert all(chunk.block == b"" and chunk.path == str(source) for chunk in by_reference)
    assert [read_range(chunk) for chunk in by_reference] == [chunk.block for chunk in by_bytes]
    assert [(c.first_line, c.offset) for c in by_reference] == [
        (c.first_line, c.offset) for c in by_bytes]


def test_a_file_that_shrinks_during_a_scan_is_an_error(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_bytes(b'{"id": "1"}\n' * 100)
    chunks = list(read_chunks(str(source), 10, by_reference=True))
    source.write_bytes(b'{"id": "1"}\n' * 50)
    with pytest.raises(OSError, match="shrank while it was being scanned"):
        read_range(chunks[-1])


@pytest.fixture
def helper(tmp_path: Path) -> Iterator[tuple[_Helper, str]]:
    """A forked helper, and a file of ten one-line posts (12 bytes each) to send it."""
    source = tmp_path / "in.jsonl"
    source.write_bytes(b'{"id": "1"}\n' * 10)
    started = _Helper(multiprocessing.get_context("fork"), (None, None, "lexicon"), True, LIMIT)
    try:
        yield started, str(source)
    finally:
        started.stop()


def test_a_helpers_failure_is_raised_in_the_commands_process(
        helper: tuple[_Helper, str]) -> None:
    worker, path = helper
    worker.send(Chunk(path=path, offset=0, bytes_read=120))
    worker.send(Chunk(path=path, offset=0, bytes_read=500))  # past the end of the file
    assert worker.receive().verdicts == 10
    with pytest.raises(OSError, match="shrank while it was being scanned"):
        worker.receive()
    worker.send(Chunk(path=path, offset=12, bytes_read=24))  # it goes on serving
    assert worker.receive().verdicts == 2
    worker.finish()


def test_a_helper_that_dies_is_an_error_not_a_hang(helper: tuple[_Helper, str]) -> None:
    worker, path = helper
    assert worker.pid is not None
    os.kill(worker.pid, signal.SIGKILL)
    stopped = r"a scan worker stopped unexpectedly \(exit code -9\)"
    with pytest.raises(RuntimeError, match=stopped):  # on sending, or on waiting
        worker.send(Chunk(path=path, offset=0, bytes_read=120))
        worker.receive()
