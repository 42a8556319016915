"""The risk model: hashing, the model file, the scorer's levels and reasons, training."""

from __future__ import annotations

import functools
import json
import zipfile
from pathlib import Path

import numpy as np
import pytest

from wildwatch import Detector, Level
from wildwatch.lexicon import load_lexicon
from wildwatch.model import (
    DEFAULT_THRESHOLDS,
    ModelFileError,
    ModelScorer,
    default_scorer,
    load_model,
)
from wildwatch.model.hashing import NgramHasher
from wildwatch.model.training import (
    LabelledDataError,
    LabelledPost,
    read_labelled,
    train_model,
)

CORPUS = Path(__file__).resolve().parents[2] / "data" / "training" / "posts.jsonl"


@functools.cache
def small_training() -> tuple[list[LabelledPost], object]:
    """A model trained on a slice of the corpus (the tests' own, not the shipped one)."""
    rows = read_labelled([CORPUS], "train")[::8]
    result = train_model(rows, load_lexicon(), folds=3, thresholds=(0.5, 0.9))
    return rows, result


def test_hasher_dot_equals_matrix_product() -> None:
    hasher = NgramHasher(bits=10)
    texts = ["carved ivory bangle", "", "象牙手镯 加微信", "x"]
    weights = np.random.default_rng(1).normal(size=hasher.size)
    assert np.allclose(hasher.dot(texts, weights), hasher.matrix(texts) @ weights)


def test_hasher_is_stable_across_runs() -> None:
    # The buckets are part of the model file format: a change here breaks shipped models.
    _, buckets, values = NgramHasher(lengths=(2,), bits=12).occurrences(["ab"])
    assert buckets.tolist() == sorted(buckets.tolist()) or len(buckets) == 3
    assert len(buckets) == 3 and np.isclose(values.sum(), 3 / np.sqrt(3))
    again = NgramHasher(lengths=(2,), bits=12).occurrences(["ab"])[1]
    assert buckets.tolist() == again.tolist()


def test_word_ngrams_share_buckets_wherever_the_words_stand() -> None:
    hasher = NgramHasher(words=(1, 2))
    chars = NgramHasher()
    texts = ["carved ivory netsuke", "an ivory silk dress", "carved ivory", "象牙 abc"]
    doc, bucket, _ = hasher.occurrences(texts)
    char_count = len(chars.occurrences(texts)[0])
    words = [set(bucket[char_count:][doc[char_count:] == i].tolist()) for i in range(4)]
    # "carved", "ivory" and the pair "carved ivory" in the first and third text
    assert words[2] <= words[0] and len(words[2]) == 3
    assert len(words[0] & words[1]) == 1  # only "ivory"
    assert len(words[3]) == 3  # "象牙", "abc" and the pair
    weights = np.random.default_rng(2).normal(size=hasher.size)
    assert np.allclose(hasher.dot(texts, weights), hasher.matrix(texts) @ weights)


def test_word_pairs_do_not_cross_from_one_text_to_the_next() -> None:
    hasher = NgramHasher(words=(2,), lengths=())
    alone = hasher.occurrences(["ivory"])[0]
    both = hasher.occurrences(["carved", "ivory"])[0]
    assert len(alone) == 0 and len(both) == 0


def test_model_file_without_word_ngrams_loads_as_before(tmp_path: Path) -> None:
    # Files written before word n-grams have no "words" in their hashers: they load with none,
    # and their version still matches their content.
    model = load_model()
    old = NgramHasher(model.text_hasher.lengths, model.text_hasher.bits, model.text_hasher.salt)
    model.text_hasher = old
    model.bio_hasher = NgramHasher(model.bio_hasher.lengths, model.bio_hasher.bits,
                                   model.bio_hasher.salt)
    model.version = model.content_version()
    path = model.save(tmp_path / "old.zip")
    with zipfile.ZipFile(path) as archive:
        header = json.loads(archive.read("header.json"))
    assert "words" not in header["text_hasher"]
    loaded = load_model(path)
    assert loaded.text_hasher.words == () and loaded.version == model.version


def test_shipped_model_loads_and_matches_default_thresholds() -> None:
    model = load_model()
    assert model.version.startswith("risk-") and model.version == model.content_version()
    assert model.thresholds == DEFAULT_THRESHOLDS
    assert model.meta["training"]["data"].endswith("(split=train)")


def test_save_load_round_trip(tmp_path: Path) -> None:
    _, result = small_training()
    model = result.model  # type: ignore[attr-defined]
    path = model.save(tmp_path / "m.zip")
    loaded = load_model(path)
    assert loaded.version == model.version
    assert loaded.dense_names == model.dense_names
    assert np.array_equal(loaded.text_coef, model.text_coef)
    assert path.read_bytes() == model.save(tmp_path / "again.zip").read_bytes()


def test_altered_model_file_is_refused(tmp_path: Path) -> None:
    path = load_model().save(tmp_path / "m.zip")
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    header = json.loads(parts["header.json"])
    header["intercept"] += 1.0
    parts["header.json"] = json.dumps(header).encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    with pytest.raises(ModelFileError, match="does not match its content"):
        load_model(path)


def test_not_a_model_file(tmp_path: Path) -> None:
    path = tmp_path / "m.zip"
    path.write_text("hello")
    with pytest.raises(ModelFileError, match="not a Wildwatch model file"):
        load_model(path)


def test_verdicts_record_model_and_lexicon_versions(detector: Detector) -> None:
    scorer = default_scorer(detector.lexicon)
    scanner = Detector(detector.lexicon, scorer=scorer, engine=detector.engine.name)
    verdict = scanner.scan({"id": "1", "text": "Carved ivory bangle for sale, DM for price"})
    assert verdict.scorer == "model"
    assert verdict.model_version == load_model().version
    assert verdict.lexicon_version == detector.lexicon.version


def test_levels_follow_the_operating_points(detector: Detector) -> None:
    scanner = Detector(detector.lexicon, scorer=default_scorer(detector.lexicon),
                       engine=detector.engine.name, flag_threshold=0.3,
                       likely_threshold=0.8)
    offer, colour, nothing = scanner.scan_batch([
        {"id": "1", "text": "Genuine carved ivory bangle, not resin. $450, WhatsApp +1 555 013 "
                            "2299"},
        {"id": "2", "text": "Ivory silk wedding dress, size 10, worn once"},
        {"id": "3", "text": "Lovely weather for a walk"},
    ])
    assert (offer.level, offer.flagged) == (Level.LIKELY, True)
    assert offer.score >= 0.8
    assert (colour.level, colour.flagged) == (Level.CLEAR, False)
    assert (nothing.level, nothing.score, nothing.flagged) == (Level.CLEAR, 0.0, False)
    middle = Detector(detector.lexicon, scorer=scanner.scorer, engine=detector.engine.name,
                      flag_threshold=0.0, likely_threshold=1.0).scan(
        {"id": "4", "text": "Ivory silk wedding dress, size 10, worn once"})
    assert (middle.level, middle.flagged) == (Level.REVIEW, True)


def test_the_model_holds_a_described_item_for_review(detector: Detector) -> None:
    """A dealer's description with no offer in it scores high but is not automatic action."""
    scanner = Detector(detector.lexicon, scorer=default_scorer(detector.lexicon),
                       engine=detector.engine.name, flag_threshold=0.3, likely_threshold=0.6)
    described, offered = scanner.scan_batch([
        {"id": "1", "text": "Antique carved ivory okimono of a fisherman, Meiji period, signed"},
        {"id": "2", "text": "Antique carved ivory okimono of a fisherman, Meiji period, signed. "
                            "$450, DM me"},
    ])
    assert described.score >= 0.6 and described.level is Level.REVIEW
    assert described.reasons[-1].startswith("[combo.offer_not_in_post]")
    assert offered.level is Level.LIKELY


def test_reasons_name_the_product_first_then_rule_ids(detector: Detector) -> None:
    scanner = Detector(detector.lexicon, scorer=default_scorer(detector.lexicon),
                       engine=detector.engine.name)
    verdict = scanner.scan({"id": "1", "text": "Carved ivory bangle for sale, DM for price"})
    assert verdict.reasons[0].startswith("[lexicon.product]")
    assert any(r.startswith("[intent.") for r in verdict.reasons)


def test_a_post_where_no_term_counts_scores_zero(detector: Detector) -> None:
    scanner = Detector(detector.lexicon, scorer=default_scorer(detector.lexicon),
                       engine=detector.engine.name)
    verdict = scanner.scan({"id": "1", "text": "claws and teeth for sale, DM me"})
    assert verdict.matches and verdict.score == 0.0 and not verdict.flagged


def test_training_on_a_slice_separates_offers() -> None:
    _, result = small_training()
    cv = result.cv  # type: ignore[attr-defined]
    assert cv["roc_auc"] > 0.9 and cv["f1"] > 0.8
    lexicon = load_lexicon()
    scanner = Detector(lexicon, scorer=ModelScorer(lexicon, result.model))  # type: ignore[attr-defined]
    offer, news = scanner.scan_batch([
        {"id": "1", "text": "Tiger skin rug for sale, $900, WhatsApp +1 555 013 2299"},
        {"id": "2", "text": "Customs seized a tiger skin rug; two smugglers arrested"},
    ])
    assert offer.score > 0.5 > news.score


def test_read_labelled_names_the_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "l.jsonl"
    path.write_text('{"id": "a", "text": "x", "label": 1}\n{"id": "b", "text": "y", '
                    '"label": "maybe"}\n', encoding="utf-8")
    with pytest.raises(LabelledDataError) as caught:
        read_labelled([path])
    assert str(caught.value) == (f"{path}:2: label 'maybe' is not 0 or 1; give every row a "
                                 "'label' of 0 (not an offer) or 1 (an offer)")


def test_read_labelled_csv_with_bio(tmp_path: Path) -> None:
    path = tmp_path / "l.csv"
    path.write_text("id,text,seller.bio,label\n1,ivory bangle,WhatsApp me,1\n", encoding="utf-8")
    row = read_labelled([path])[0]
    assert row.label == 1 and row.post.seller is not None
    assert row.post.seller.bio == "WhatsApp me"


@pytest.mark.parametrize(("text", "bio", "flagged"), [
    # Shared listings: an item title and a link, no price, no contact.
    ("Japanese carved ivory netsuke of a hare, Meiji period {{URL}}",
     "Dealer in Asian works of art", True),
    ("Portrait miniature on ivory of a naval officer, circa 1810 {{URL}}",
     "Antiques and fine art", True),
    ("Mammoth ivory carving of an eagle, hand carved by our workshop {{URL}} #mammothivory",
     "", True),
    # Ivory as a colour, and news, from accounts that also sell.
    ("Vintage ivory satin wedding shoes, size 5 {{URL}}", "Vintage bridal shop", False),
    ("Customs seized 300 kg of ivory at the port; two arrested {{URL}}", "Regional news",
     False),
])
def test_shared_listings_and_colour_listings(detector: Detector, text: str, bio: str,
                                              flagged: bool) -> None:
    scanner = Detector(detector.lexicon, scorer=default_scorer(detector.lexicon),
                       engine=detector.engine.name, flag_threshold=DEFAULT_THRESHOLDS[0],
                       likely_threshold=DEFAULT_THRESHOLDS[1])
    verdict = scanner.scan({"id": "1", "text": text, "seller": {"bio": bio}})
    assert verdict.flagged is flagged, verdict.reasons


def test_strongest_evidence_against_takes_the_last_place(detector: Detector) -> None:
    scanner = Detector(detector.lexicon, scorer=default_scorer(detector.lexicon),
                       engine=detector.engine.name)
    verdict = scanner.scan({"id": "1", "text": "Ivory carving for sale $450 WhatsApp "
                                               "+1 555 013 2299 comes in a cream box",
                            "seller": {"bio": "Antiques dealer, WhatsApp +1 555 013 1111"}})
    assert verdict.flagged and len(verdict.reasons) == 6
    assert verdict.reasons[-1].startswith("[colour.word]")
