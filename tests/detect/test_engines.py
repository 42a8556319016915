"""The engines are interchangeable: same matches for the same text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wildwatch.detect import available_engines, build_engine

PATTERNS = ["ivory", "carved ivory", "horn", "rhino horn", "象牙", "牙", "#ivory", "a", "🐘",
            "nga voi", "vel"]
WORDS = st.sampled_from([*PATTERNS, "level", "hornet", "x", " ", "\n", "#", "é", "象", "ivoryx",
                         "_", "1"])


def _hits(name: str, text: str) -> list[tuple[int, int, int]]:
    return sorted(build_engine(PATTERNS, name).find(text))


@pytest.mark.skipif("hyperscan" not in available_engines(), reason="no hyperscan wheel here")
@given(st.lists(WORDS, max_size=25).map("".join))
@settings(max_examples=400)
def test_hyperscan_and_aho_corasick_agree(text: str) -> None:
    assert _hits("hyperscan", text) == _hits("aho-corasick", text)


def test_whole_words_for_spaced_scripts_substrings_for_cjk(engine: str) -> None:
    matcher = build_engine(PATTERNS, engine)
    assert matcher.find("level hornet ivoryx avel") == []
    found = matcher.find("象牙 rhino horn #ivory")
    assert {PATTERNS[index] for index, _, _ in found} == {"象牙", "牙", "rhino horn", "horn",
                                                          "#ivory", "ivory"}


def test_offsets_are_characters_not_bytes(engine: str) -> None:
    text = "象牙 é ivory"
    [(_, start, end)] = [hit for hit in build_engine(PATTERNS, engine).find(text)
                             if PATTERNS[hit[0]] == "ivory"]
    assert text[start:end] == "ivory"


def test_unknown_engine_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown match engine"):
        build_engine(PATTERNS, "grep")
