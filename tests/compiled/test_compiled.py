"""The kernels built ahead of time compute exactly what Numba compiles from the same sources, and
a build that no longer matches its sources is never used."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from importlib import import_module
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import wildwatch
from post_lines import EDGE_LINES, LIMIT, lines
from tests_support import detector_for
from wildwatch import compiled
from wildwatch.compiled import KERNELS, KernelsNotBuilt, built_module
from wildwatch.detect.blocks import BlockScanner
from wildwatch.ingest.post import Post

PACKAGE = Path(wildwatch.__file__).parent


def _built() -> ModuleType:
    try:
        return built_module()
    except KernelsNotBuilt as error:
        if os.environ.get("WILDWATCH_KERNELS") == "built":  # CI: the build must be there
            raise
        pytest.skip(str(error))


def _agreeing(name: str, built: Callable[..., Any], numba: Callable[..., Any],
              calls: dict[str, int]) -> Callable[..., Any]:
    def call(*args: Any) -> Any:
        ours, theirs = built(*args), numba(*args)
        assert len(ours) == len(theirs)
        for mine, other in zip(ours, theirs, strict=True):
            assert mine.dtype == other.dtype, name
            assert np.array_equal(mine, other), name
        calls[name] += 1
        return ours
    return call


@pytest.fixture(scope="module")
def calls() -> Iterator[dict[str, int]]:
    """While the module's tests run, every kernel call runs both builds and checks that they
    agree; yields how often each kernel was called."""
    built = _built()
    counted = dict.fromkeys(KERNELS, 0)
    with pytest.MonkeyPatch.context() as patch:
        for name, source in KERNELS.items():
            patch.setattr(compiled, name, _agreeing(name, getattr(built, name),
                                                    getattr(import_module(source), name),
                                                    counted))
        yield counted


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records=st.lists(lines(), min_size=1, max_size=12))
def test_built_and_numba_kernels_agree_on_hostile_lines(calls: dict[str, int],
                                                        records: list[bytes]) -> None:
    detector = detector_for("hyperscan")
    block = b"\n".join(records) + b"\n"
    for write_all in (True, False):
        BlockScanner(detector).scan(block, 1, 0, LIMIT, write_all)


def test_every_kernel_was_compared(calls: dict[str, int]) -> None:
    detector = detector_for("hyperscan")
    BlockScanner(detector).scan(b"\n".join(EDGE_LINES) + b"\n", 1, 0, LIMIT, True)
    detector.scan_batch([Post(id="1", title="1v0ry b4ngle, i.v.o.r.y, 象 牙", text="#ant1qu3")])
    assert all(calls.values()), calls


@pytest.mark.parametrize(("argument", "message"), [
    (np.zeros(5, np.int32), "not an array of int32 shaped (5,)"),
    (np.zeros(10, np.uint8)[::2], "not an array of uint8 shaped (5,), not contiguous"),
    (np.zeros((2, 2), np.uint8), "not an array of uint8 shaped (2, 2)"),
    ([10, 10], "not list"),
])
def test_the_built_kernels_refuse_what_they_were_not_built_for(argument: Any,
                                                               message: str) -> None:
    # A built function would read such memory as bytes, or crash: it is refused first.
    built = _built()
    split_lines = compiled._checked("split_lines", built.split_lines)
    with pytest.raises(TypeError, match=re.escape(message)):
        split_lines(argument)
    with pytest.raises(TypeError, match="takes 1 arguments, not 2"):
        split_lines(np.zeros(1, np.uint8), 1)
    squeeze = compiled._checked("squeeze", built.squeeze)
    with pytest.raises(TypeError, match="argument 3 must be int, not float"):
        squeeze(np.zeros(1, np.uint32), np.zeros(0, np.int64), np.zeros(1, np.uint8), 1.5, 3)


def _run(code: str, env: dict[str, str],
         path: Path | None = None) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, **env}
    if path is not None:
        environment["PYTHONPATH"] = str(path)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=environment, timeout=300, check=False)


def test_a_scan_with_the_build_never_imports_numba(tmp_path: Path) -> None:
    _built()
    posts = tmp_path / "posts.jsonl"
    posts.write_text(json.dumps({"id": "1", "title": "carved 1v0ry tusk"}) + "\n")
    result = _run(
        "import sys\n"
        "from wildwatch.scan import scan_file\n"
        f"stats = scan_file({str(posts)!r}, {str(tmp_path / 'out.jsonl')!r})\n"
        "from wildwatch import compiled\n"
        "print(stats.flagged, compiled.BACKEND, 'numba' in sys.modules)\n",
        {"WILDWATCH_KERNELS": "auto"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["1", "built", "False"]


def test_a_build_of_other_sources_is_not_used(tmp_path: Path) -> None:
    _built()
    copy = tmp_path / "wildwatch"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    with (copy / "text" / "kernels.py").open("a") as source:
        source.write("# an edit after the build\n")
    show = "from wildwatch import compiled\nprint(compiled.BACKEND, compiled.__file__)"

    fallen_back = _run(show, {"WILDWATCH_KERNELS": "auto"}, tmp_path)
    assert fallen_back.returncode == 0, fallen_back.stderr
    assert fallen_back.stdout.split() == ["numba", str(copy / "compiled" / "__init__.py")]
    assert "built from other sources than these" in fallen_back.stderr

    refused = _run(show, {"WILDWATCH_KERNELS": "built"}, tmp_path)
    assert refused.returncode == 1
    assert "WILDWATCH_KERNELS=built, but the compiled kernels were built from other sources" \
        in refused.stderr

    unknown = _run(show, {"WILDWATCH_KERNELS": "fast"}, tmp_path)
    assert "WILDWATCH_KERNELS='fast': use one of auto, built, numba" in unknown.stderr
