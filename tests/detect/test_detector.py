"""The detector end to end on the shipped lexicon: evidence, scores, levels."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests_support import detector_for
from wildwatch import Detector, Level, Post
from wildwatch.detect import available_engines
from wildwatch.ingest import PostError
from wildwatch.lexicon import TermKind, load_lexicon

LEXICON = load_lexicon()
TERMS = sorted({t.text for t in LEXICON.terms if t.kind in (TermKind.PRODUCT, TermKind.PART)})
FILLER = st.sampled_from(["great", "condition", "price", "ship", "!", ", ", "\n", "  ", "😀",
                          "x", "¡", "ok"])


@given(st.lists(st.sampled_from(TERMS) | FILLER, max_size=12).map(" ".join),
       st.lists(st.sampled_from(TERMS) | FILLER, max_size=3))
@settings(max_examples=200)
def test_every_match_points_at_what_the_seller_wrote(text: str, tags: list[str]) -> None:
    post = Post(id="p", title=text[:20], text=text, hashtags=[t.replace(" ", "") for t in tags])
    verdict = detector_for(available_engines()[0]).scan(post)
    for match in verdict.matches:
        value = _field_value(post, match.field)
        assert value[match.start:match.end] == match.text
        assert match.text.strip(), match


def _field_value(post: Post, field: str) -> str:
    if field.startswith("hashtags["):
        return post.hashtags[int(field[9:-1])]
    value: str = getattr(post, field)
    return value


def test_a_product_term_flags_and_says_why(detector: Detector) -> None:
    verdict = detector.scan({"id": "1", "title": "Carved ivory bangle", "lang": "en"})
    assert verdict.flagged and verdict.level in (Level.REVIEW, Level.LIKELY)
    assert verdict.species[0] == "elephant"
    assert any("Carved ivory" in reason for reason in verdict.reasons)
    assert verdict.lexicon_version == LEXICON.version
    assert verdict.lang == "en"


def test_an_associated_term_alone_counts_for_nothing(detector: Detector) -> None:
    verdict = detector.scan({"id": "1", "text": "leather skin claw teeth"})
    assert not verdict.flagged and verdict.score == 0
    assert verdict.matches  # found, shown, but not counted


def test_an_associated_term_counts_beside_a_species_name(detector: Detector) -> None:
    alone = detector.scan({"id": "1", "text": "tiger"})
    beside = detector.scan({"id": "2", "text": "tiger skin claw"})
    assert beside.score > alone.score


def test_benign_context_lowers_the_score(detector: Detector) -> None:
    sale = detector.scan({"id": "1", "text": "ivory bangle"})
    colour = detector.scan({"id": "2", "text": "ivory colored dress"})
    assert sale.flagged and not colour.flagged
    assert colour.score < sale.score


def test_a_clean_post_is_clear(detector: Detector) -> None:
    verdict = detector.scan({"id": "1", "text": "vintage lamp, brass, works fine"})
    assert verdict.level is Level.CLEAR and verdict.score == 0 and not verdict.matches


def test_scan_many_equals_scan(detector: Detector) -> None:
    posts = [{"id": str(i), "text": text} for i, text in
             enumerate(["ivory", "nothing", "熊膽", "i.v.o.r.y", "bear bile", ""] * 3)]
    one_by_one = [detector.scan(post) for post in posts]
    assert list(detector.scan_many(posts, batch_size=4)) == one_by_one


def test_extra_fields_pass_through(detector: Detector) -> None:
    verdict = detector.scan({"id": "1", "text": "ivory", "shop_id": 42})
    assert verdict.extra == {"shop_id": 42}


def test_a_bad_post_is_refused_with_the_field_named(detector: Detector) -> None:
    with pytest.raises(PostError, match="field 'title'"):
        detector.scan({"id": "1", "title": ["not", "text"]})
    with pytest.raises(PostError, match="no 'id'"):
        detector.scan({"text": "ivory"})


def test_thresholds_must_be_ordered() -> None:
    with pytest.raises(ValueError, match="thresholds"):
        Detector(LEXICON, flag_threshold=0.9, likely_threshold=0.5)


def test_levels_follow_the_operating_points(detector: Detector) -> None:
    assert detector.level(0.1) is Level.CLEAR
    assert detector.level(detector.flag_threshold) is Level.REVIEW
    assert detector.level(detector.likely_threshold) is Level.LIKELY
