"""Properties of the normaliser, for any text a stranger can send."""

from __future__ import annotations

import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wildwatch.text import Normalizer, normalize_text
from wildwatch.text.tables import fold_char

NORMALIZER = Normalizer({"ivory", "carved", "tusk", "pangolin"}, {"ivory", "pangolin"})

# Text drawn from everything sellers use: Latin with accents, CJK, Thai, Cyrillic look-alikes,
# digits and leetspeak, separators, zero-width and control characters, emoji, hashtags.
ALPHABET = st.sampled_from(
    list("abcdefghijklmnopqrstuvwxyzIVORY0134@$ .-_*#\n\t")
    + list("àéíõùđĐßﬁ…½象牙熊膽犀角งาช้างіоуοӀ\u200b\u200d\ufeff\u0301\x00\x1b🐘🦏️ｉｖ")
)
texts = st.text(alphabet=ALPHABET, max_size=60) | st.text(max_size=40)


@given(st.lists(texts, min_size=1, max_size=8))
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
def test_a_batch_is_its_segments_normalised_alone(segments: list[str]) -> None:
    batch = NORMALIZER.normalize_batch(segments).split("\n")
    assert batch == [NORMALIZER.normalize(segment) for segment in segments]


@given(texts)
@settings(max_examples=300)
def test_trace_points_back_into_the_input(text: str) -> None:
    traced = NORMALIZER.trace(text)
    assert traced.text == NORMALIZER.normalize(text)
    assert len(traced.origin) == len(traced.text)
    assert all(0 <= position < len(text) for position in traced.origin.tolist())
    for start in range(len(traced.text)):
        first, stop = traced.span(start, start + 1)
        assert 0 <= first < stop <= len(text)


@given(texts)
def test_output_has_no_invisible_or_control_characters(text: str) -> None:
    out = NORMALIZER.normalize(text)
    assert "\n" not in out
    for ch in out:
        assert unicodedata.category(ch) not in ("Cc", "Cf"), repr(ch)


@given(st.text(alphabet=st.characters(min_codepoint=0x41, max_codepoint=0x7A), max_size=40))
def test_case_does_not_matter(text: str) -> None:
    assert normalize_text(text.upper()) == normalize_text(text.lower())


@given(texts)
def test_normalising_is_stable(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == normalize_text(normalize_text(once))


def test_digits_in_ordinary_tokens_are_kept() -> None:
    assert NORMALIZER.normalize("10cm 25kg $500 mp3 2pcs") == "10cm 25kg $500 mp3 2pcs"


def test_leetspeak_becomes_a_lexicon_word_only() -> None:
    assert NORMALIZER.normalize("1v0ry and 1vory and b00k") == "ivory and ivory and b00k"


def test_single_letters_join_only_in_chains_of_three() -> None:
    assert NORMALIZER.normalize("a b") == "a b"
    assert NORMALIZER.normalize("i v o r y") == "ivory"
    assert NORMALIZER.normalize("I have a cat") == "i have a cat"


def test_hashtags_are_followed_by_their_words() -> None:
    assert NORMALIZER.normalize("#OldIvoryForSale") == "#oldivoryforsale ivory"
    assert NORMALIZER.normalize("#ivory") == "#ivory"


def test_accents_fold_but_other_scripts_keep_their_marks() -> None:
    assert normalize_text("Ngà Voi") == "nga voi"
    assert normalize_text("งาช้าง") == "งาช้าง"
    assert normalize_text("が") == "が"


def test_traditional_chinese_folds_to_simplified() -> None:
    assert normalize_text("熊膽，象牙") == "熊胆象牙"  # spaces and commas between Han go


def test_fold_char_maps_look_alikes() -> None:
    assert [fold_char(ch) for ch in "іоу"] == ["i", "o", "y"]
    assert fold_char("\u200b") == ""
    assert fold_char("Ｉ") == "i"
