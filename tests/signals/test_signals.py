"""Signals: found per language, negation flips imitation words, rule ids reach the reasons."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from wildwatch import Detector, Level
from wildwatch.ingest.post import Post, Seller
from wildwatch.signals import (
    RuleScorer,
    SignalCategory,
    SignalError,
    SignalField,
    SignalFinder,
    load_signals,
)
from wildwatch.text import Normalizer


@functools.cache
def finder() -> SignalFinder:
    return SignalFinder(load_signals(), Normalizer())


def rules_in(text: str, bio: str = "", price: float | None = None) -> set[str]:
    found = finder().find_post(Post(id="p", text=text, price=price,
                                    seller=Seller(bio=bio) if bio else None))
    return {hit.rule for hit in found}


@pytest.mark.parametrize(("text", "rule"), [
    ("Carved bangle for sale, DM for price", "intent.ask_price"),
    ("Carved bangle for sale", "intent.offer"),
    ("出售手镯，加微信 abc123 私聊", "intent.ask_price"),
    ("出售手鐲，價格私訊", "intent.ask_price"),
    ("Vòng tay đẹp, giá 2tr5, ib mình", "intent.price_words"),
    ("กำไลสวย ราคา 1,500 บาท", "intent.price_words"),
    ("Gelang bagus, harga Rp 250.000", "intent.price_words"),
    ("Dijual gelang, berminat hubungi", "intent.offer"),
    ("ブレスレット売ります 送料無料", "intent.shipping"),
    ("Se vende pulsera, envío gratis", "intent.offer"),
    ("À vendre : bracelet, livraison possible", "intent.offer"),
    ("Vendo pulseira, frete grátis", "intent.shipping"),
    ("Lot 12, estimate £400-600", "intent.auction"),
    ("Price $1,250.00", "intent.price_amount"),
    ("WhatsApp +84 912 345 678", "contact.phone"),
    ("wechat: jade_88", "contact.messaging_app"),
    ("แอดไลน์ @shop99", "contact.messaging_app"),
    ("zalo 0912345678", "contact.messaging_app"),
])
def test_sale_intent_per_language(text: str, rule: str) -> None:
    assert rule in rules_in(text)


@pytest.mark.parametrize(("text", "category"), [
    ("Ivory silk wedding dress, size 10", SignalCategory.COLOUR),
    ("象牙白连衣裙", SignalCategory.COLOUR),
    ("Robe de mariée couleur ivoire", SignalCategory.COLOUR),
    ("Resin netsuke-style figure", SignalCategory.REPLICA),
    ("Acetate tortoiseshell glasses", SignalCategory.REPLICA),
    ("Customs seized 2 tonnes; smugglers arrested", SignalCategory.NEWS),
    ("海关查获走私象牙", SignalCategory.NEWS),
    ("Hải quan thu giữ ngà voi", SignalCategory.NEWS),
    ("The new law bans the sale", SignalCategory.LAW),
    ("Say no to ivory, sign the petition", SignalCategory.ADVOCACY),
    ("Pangolin plush toy, all profits to conservation", SignalCategory.ADVOCACY),
    ("Saw elephants on safari today", SignalCategory.VISIT),
])
def test_context_per_language(text: str, category: SignalCategory) -> None:
    found = finder().find_post(Post(id="p", text=text))
    assert category in {hit.category for hit in found}


@pytest.mark.parametrize("text", [
    "Carved bangle, not resin", "Carved bangle, NOT made of resin!",
    "Vòng tay không phải nhựa", "手镯 不是树脂", "Gelang bukan resin", "腕輪、樹脂ではありません",
    "Pulsera, no es resina",
])
def test_negated_imitation_raises(text: str) -> None:
    found = finder().find_post(Post(id="p", text=text))
    assert "auth.not_imitation" in {hit.rule for hit in found}
    assert "replica.material" not in {hit.rule for hit in found}


def test_plain_imitation_lowers() -> None:
    found = finder().find_post(Post(id="p", text="Resin copy of a netsuke"))
    replica = [hit for hit in found if hit.rule == "replica.material"]
    assert replica and replica[0].negated is None


def test_words_inside_other_words_do_not_match() -> None:
    # "lot" in "pilot", "ib" in "ribbon", "sale" in "wholesaler's" must not count
    assert not rules_in("the pilot wore a ribbon") & {"intent.auction", "intent.ask_price"}


def test_bio_and_price_field_are_signals_of_their_own() -> None:
    found = finder().find_post(Post(id="p", text="bangle", price=120.0,
                                    seller=Seller(bio="WhatsApp +1 555 013 2299")))
    fields = {(hit.rule, hit.field) for hit in found}
    assert ("intent.price_field", SignalField.PRICE) in fields
    assert ("contact.phone", SignalField.BIO) in fields


def test_rule_ids_appear_in_reasons(detector: Detector) -> None:
    scorer = RuleScorer(detector.lexicon, detector.normalizer)
    rules = Detector(detector.lexicon, scorer=scorer, engine=detector.engine.name)
    offer, colour = rules.scan_batch([
        {"id": "1", "text": "Carved ivory bangle, not resin. DM for price"},
        {"id": "2", "text": "Beautiful ivory silk blouse, size 12, worn once"},
    ])
    assert offer.level is Level.LIKELY and offer.flagged
    assert any(r.startswith("[intent.ask_price]") for r in offer.reasons)
    assert any(r.startswith("[lexicon.product]") for r in offer.reasons)
    assert colour.level is Level.CLEAR and not colour.flagged
    assert any(r.startswith("[colour.goods]") for r in colour.reasons)


def test_code_word_weighs_more_beside_sale_intent(detector: Detector) -> None:
    rules = Detector(detector.lexicon, scorer=RuleScorer(detector.lexicon, detector.normalizer),
                     engine=detector.engine.name)
    alone, offered = rules.scan_batch([{"id": "1", "text": "a box of white plastic"},
                                       {"id": "2", "text": "white plastic bangles, ib for price"}])
    assert offered.score > alone.score
    assert any("[combo.code_word_with_intent]" in r for r in offered.reasons)
    # "plastic" inside the code word is not a stated modern material
    assert not any(r.startswith("[replica.material]") for r in offered.reasons)


def test_associated_term_needs_a_species_name(detector: Detector) -> None:
    rules = Detector(detector.lexicon, scorer=RuleScorer(detector.lexicon, detector.normalizer),
                     engine=detector.engine.name)
    bare, named = rules.scan_batch([{"id": "1", "text": "claw and teeth for sale, DM me"},
                                    {"id": "2", "text": "tiger claw and teeth for sale, DM me"}])
    assert bare.score == 0 and not bare.flagged
    assert named.flagged


def test_shipped_signals_cover_the_languages() -> None:
    langs = {lang for rule in load_signals().rules.values() for lang in rule.phrases}
    assert {"en", "zh-Hans", "zh-Hant", "vi", "th", "id", "ms", "ja", "es", "fr", "pt"} <= langs


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize(("text", "message"), [
    ("rules:\n  - id: Bad Id\n    category: intent\n", "rules.yaml:2: rule id 'Bad Id' is not "
     "dotted lower case. Fix: write it as family.name, e.g. intent.price_amount"),
    ("rules:\n  - id: a.b\n    category: mood\n    effect: raise\n",
     "rules.yaml:3: unknown category 'mood'. Fix: use one of: intent, price, contact, "
     "authenticity, colour, replica, news, law, advocacy, visit"),
    ("rules:\n  - id: a.b\n    category: intent\n    effect: raise\n    weight: 2\n"
     "    says: x\n    phrases: {en: [sale]}\n",
     "rules.yaml:5: weight 2.0 is not a number from 0 to 1. Fix: write e.g. 'weight: 0.5'"),
    ("rules:\n  - id: a.b\n    category: intent\n    effect: raise\n    weight: 0.5\n"
     "    says: x\n    patterns: {any: ['(']}\n",
     "rules.yaml:7: pattern '(' (any) is not a valid regular expression: missing ), "
     "unterminated subpattern at position 0. Fix: fix the regex; test it on normalised text"),
    ("combinations:\n  - id: c.d\n    effect: raise\n    weight: 0.3\n    says: x\n"
     "    when: ['term:colour']\n",
     "rules.yaml:6: condition 'term:colour' names unknown term colour. Fix: use: associated, "
     "benign, code_word, emoji, hashtag, part, product, species"),
])
def test_loader_errors_name_file_line_and_fix(tmp_path: Path, text: str, message: str) -> None:
    folder = write(tmp_path / "signals", "rules.yaml", text)
    with pytest.raises(SignalError) as caught:
        load_signals(folder)
    assert str(caught.value).endswith(message)


def test_negated_as_must_name_a_rule(tmp_path: Path) -> None:
    folder = write(tmp_path / "signals", "rules.yaml",
                   "rules:\n  - id: a.b\n    category: replica\n    effect: lower\n"
                   "    weight: 0.5\n    says: x\n    negated_as: a.missing\n"
                   "    phrases: {en: [resin]}\n")
    with pytest.raises(SignalError, match=r"negated_as 'a\.missing' is not a rule id"):
        load_signals(folder)


@pytest.mark.parametrize(("text", "phone"), [
    ("WhatsApp +84 912 345 678", True),
    ("call 01420 511788 for details", True),
    ("+123456789", True),
    ("Paul Heermann (1673-1732), relief", False),  # two years are not a phone number
    ("12345678", False),
    ("+ 12345678", False),
])
def test_a_phone_number_has_nine_digits_at_least(text: str, phone: bool) -> None:
    assert ("contact.phone" in rules_in(text)) is phone


@pytest.mark.parametrize(("text", "old"), [
    ("A pair of vases, circa 1880", True),
    ("c.1750 snuff box", True),
    ("made in the 1880s", True),
    ("a 17th century fan", True),
    ("model a1880s", False),
    ("part x17th", False),
])
def test_dates_say_old(text: str, old: bool) -> None:
    assert ("auth.old" in rules_in(text)) is old


def test_painted_is_not_a_colour_word() -> None:
    # Miniatures are painted on ivory; "painted" says nothing about colour.
    assert "colour.word" not in rules_in("Miniature portrait painted on ivory")


def test_automatic_action_needs_an_offer_in_the_post(detector: Detector) -> None:
    """The 'hold' rule combo.offer_not_in_post: a post that scores past `likely` but shows no
    price, sale words or contact of its own goes to review, saying why; the score stays."""
    rules = Detector(detector.lexicon, scorer=RuleScorer(detector.lexicon, detector.normalizer),
                     engine=detector.engine.name, flag_threshold=0.3, likely_threshold=0.6)
    described, offered, low = rules.scan_batch([
        Post(id="1", text="Antique carved ivory okimono, genuine, Meiji period",
             seller=Seller(bio="Antiques dealer. WhatsApp +44 7700 900123")),
        Post(id="2", text="Antique carved ivory okimono, genuine, Meiji period. DM for price"),
        Post(id="3", text="Ivory silk blouse, size 12"),
    ])
    held = ("[combo.offer_not_in_post] Held for review: the post itself shows no price, sale "
            "words or contact, which automatic action needs")
    assert described.score >= 0.6 and described.level is Level.REVIEW
    assert described.reasons[-1] == held  # a contact in the bio is the account's, not the post's
    assert offered.score >= 0.6 and offered.level is Level.LIKELY and held not in offered.reasons
    # below `likely` the rule changes nothing, and says nothing
    assert low.level is not Level.LIKELY and held not in low.reasons


def test_a_hold_rule_moves_the_level_not_the_score(tmp_path: Path) -> None:
    from wildwatch.model.features import dense_feature_names
    from wildwatch.signals import Effect

    folder = write(tmp_path / "signals", "combinations.yaml",
                   "combinations:\n  - id: combo.hold_all\n    effect: hold\n"
                   "    when: ['term:product']\n    says: x\n")
    (rule,) = load_signals(folder).combinations
    assert (rule.effect, rule.weight) == (Effect.HOLD, 0.0)  # no weight needed
    assert "combo.hold_all" not in dense_feature_names(load_signals(folder))
    assert "combo.offer_not_in_post" not in dense_feature_names(load_signals())
