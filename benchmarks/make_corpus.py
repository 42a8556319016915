"""Write a deterministic synthetic corpus of marketplace posts, with a ground-truth sidecar.

    python benchmarks/make_corpus.py --posts 1000000 --seed 7 --out benchmarks/data/corpus-1m.jsonl

Each line is one post: everyday filler in nine languages (45% English), built from word lists
at the end of this file from which every word that could match a lexicon term has been removed.
About 2% of posts get one to three real lexicon terms, a third of those disguised in one of
the ways the normaliser undoes; ``<out>.truth.jsonl`` lists them, so a benchmark can measure
recall per disguise and count false hits on the other 98%.

The same seed, lexicon and generator give byte-identical files; ``<out>.meta.json`` records
all three so a benchmark knows when a corpus is stale.

    python benchmarks/make_corpus.py --pad-lexicon 20000 --lexicon-out benchmarks/data/lexicon-20k

copies the shipped lexicon and adds ``synthetic_padding.yaml``: pronounceable pseudo-words that
never occur in the filler, so that a scan over the corpus can be timed against a lexicon of
about 20,000 terms without changing what it should find.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import re
import shutil
import sys
import time
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import opencc
import orjson

from wildwatch.lexicon import Lexicon, Term, TermKind, default_lexicon_dir, load_lexicon
from wildwatch.text import normalize_text

#: Posts are drawn this many at a time; part of the output's definition, like the seed.
CHUNK = 100_000

#: Kinds of term that are planted in posts. Emoji, associated and benign terms are not: alone
#: they do not make a post about a species.
PLANTED_KINDS = (
    TermKind.PRODUCT,
    TermKind.PART,
    TermKind.CODE_WORD,
    TermKind.HASHTAG,
    TermKind.SPECIES,
)

PADDING_GROUP = "synthetic_padding"
PADDING_NOTE = "synthetic benchmark padding, not a real term"

_ZERO_WIDTH_SPACE = "\u200b"
_LEET = {"i": "1", "o": "0", "e": "3", "a": "4", "s": "5"}
_CYRILLIC = {"o": "о", "a": "а", "e": "е", "c": "с", "p": "р", "i": "і"}
_TO_TRADITIONAL = opencc.OpenCC("s2t")


# --- Filler -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Language:
    """How posts in one language look: share of the corpus, word lists, prices, platforms."""

    code: str
    share: float
    space_rate: float
    """Chance of a space between two words: 1 for spaced scripts, 0 for Chinese and Japanese."""
    words: str
    hashtags: str
    names: str
    currencies: tuple[str, ...]
    median_price: float
    price_step: float
    platforms: tuple[str, ...]
    punctuation: tuple[str, ...]


@dataclass
class Vocabulary:
    """One language's filler after every word that could make a lexicon match was dropped."""

    language: Language
    words: npt.NDArray[np.object_]
    weights: npt.NDArray[np.float64]
    hashtags: npt.NDArray[np.object_]
    names: list[str]


def _zipf(count: int) -> npt.NDArray[np.float64]:
    """Word frequencies falling with rank, as in real text (the lists start with common words)."""
    weights: npt.NDArray[np.float64] = 1.0 / (np.arange(count, dtype=np.float64) + 8.0) ** 0.9
    normalised: npt.NDArray[np.float64] = weights / float(weights.sum())
    return normalised


def _unspaced(text: str) -> bool:
    """Is ``text`` in a script written without spaces (Han, kana, Thai)?"""
    for ch in text:
        name = unicodedata.name(ch, "")
        if name.startswith(("CJK", "HIRAGANA", "KATAKANA", "THAI")):
            return True
    return False


def _formable(term: str, words: list[str]) -> list[str] | None:
    """Words whose run-together concatenation contains ``term``, or None if none does.

    For scripts written without spaces any substring can match, so a term may start inside one
    word, span whole words and end inside another.
    """
    for word in words:
        if term in word:
            return [word]
    starts: dict[int, list[str]] = {0: []}
    for word in words:
        for k in range(1, min(len(word), len(term))):
            if word.endswith(term[:k]) and k not in starts:
                starts[k] = [word]
    frontier = sorted(starts.items())
    seen = set(starts)
    while frontier:
        pos, chain = frontier.pop()
        rest = term[pos:]
        for word in words:
            if word.startswith(rest):
                return [*chain, word]
            if rest.startswith(word):
                nxt = pos + len(word)
                if nxt == len(term):
                    return [*chain, word]
                if nxt not in seen:
                    seen.add(nxt)
                    frontier.append((nxt, [*chain, word]))
    return None


def clean_vocabularies(lexicon: Lexicon) -> dict[str, Vocabulary]:
    """Each language's filler, less every word that equals or could form a lexicon term.

    Comparison is on normalised text, so ``Ngà`` is dropped for the term ``nga``. Spaced
    languages: a word goes if one of its tokens is a one-word term, and for each multi-word term
    whose every word is filler somewhere, the rarest of its words goes. Chinese, Japanese and
    Thai: a word goes while some run of words could spell a term.
    """
    normalised_terms = {normalize_text(term.text).strip() for term in lexicon.terms}
    normalised_terms.discard("")
    single_tokens: set[str] = set()
    multi_token_terms: list[list[str]] = []
    unspaced_terms: list[str] = []
    for text in normalised_terms:
        if _unspaced(text):
            unspaced_terms.append(text.replace(" ", ""))
        tokens = text.split()
        if len(tokens) == 1:
            single_tokens.add(tokens[0])
            single_tokens.add(tokens[0].lstrip("#"))
        else:
            multi_token_terms.append(tokens)

    token_cache: dict[str, list[str]] = {}

    def tokens_of(word: str) -> list[str]:
        if word not in token_cache:
            token_cache[word] = normalize_text(word).split()
        return token_cache[word]

    kept: dict[str, list[str]] = {}
    for lang in LANGUAGES:
        words = list(dict.fromkeys(lang.words.split()))
        # Single letters go from spaced text: the normaliser may join "a i v o r y".
        spaced = lang.space_rate == 1.0
        kept[lang.code] = [
            w
            for w in words
            if not (spaced and len(w) == 1 and w.isalnum())
            and not any(t in single_tokens for t in tokens_of(w))
        ]
    # A multi-word term cannot appear when one of its words never does.
    holders: dict[str, list[tuple[str, str]]] = {}
    for code, words in kept.items():
        for word in words:
            for token in tokens_of(word):
                holders.setdefault(token, []).append((code, word))
    dropped: set[tuple[str, str]] = set()
    for tokens in sorted(multi_token_terms):
        present = {t: [h for h in holders.get(t, ()) if h not in dropped] for t in tokens}
        if all(present.values()):
            rarest = min(tokens, key=lambda token: (len(present[token]), token))
            for code, word in present[rarest]:
                kept[code].remove(word)
                dropped.add((code, word))
    for lang in LANGUAGES:
        if lang.space_rate == 1.0:
            continue
        words = kept[lang.code]
        squeezed = {normalize_text(w).replace(" ", ""): w for w in words}
        for term in sorted(unspaced_terms):
            while (witness := _formable(term, list(squeezed))) is not None:
                drop = max(witness, key=lambda w: (len(w), w))
                words.remove(squeezed.pop(drop))
    vocabularies = {}
    for lang in LANGUAGES:
        words = kept[lang.code]
        hashtags = [
            tag
            for tag in dict.fromkeys(lang.hashtags.split())
            if normalize_text(tag).strip() not in normalised_terms
            and not any(t.lstrip("#") in single_tokens for t in tokens_of(tag))
            and not (_unspaced(tag) and any(t in normalize_text(tag) for t in unspaced_terms))
        ]
        names = [n for n in lang.names.split() if not any(t in single_tokens for t in tokens_of(n))]
        vocabularies[lang.code] = Vocabulary(
            language=lang,
            words=np.array(words, dtype=object),
            weights=_zipf(len(words)),
            hashtags=np.array(hashtags, dtype=object),
            names=names,
        )
    return vocabularies


def filler_tokens(vocabularies: dict[str, Vocabulary]) -> set[str]:
    """Every normalised token the filler can contain (to keep padding terms out of it)."""
    tokens: set[str] = set()
    for vocab in vocabularies.values():
        for word in [*vocab.words.tolist(), *vocab.hashtags.tolist(), *vocab.names]:
            tokens.update(normalize_text(word).replace("#", " ").split())
    return tokens


# --- Disguises ----------------------------------------------------------------------------


def _is_latin(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and all(unicodedata.name(ch, "").startswith("LATIN") for ch in letters)


def _has_marks(text: str) -> bool:
    return any(unicodedata.category(ch) in ("Mn", "Mc") for ch in text)


def _some(rng: np.random.Generator, positions: list[int]) -> list[int]:
    """A random non-empty subset of ``positions``."""
    count = int(rng.integers(1, len(positions) + 1))
    return sorted(int(p) for p in rng.choice(positions, size=count, replace=False))


def _replace_some(text: str, table: dict[str, str], rng: np.random.Generator) -> str:
    chars = list(text)
    for pos in _some(rng, [i for i, ch in enumerate(chars) if ch in table]):
        chars[pos] = table[chars[pos]]
    return "".join(chars)


def _longest_word(text: str) -> re.Match[str]:
    return max(re.finditer(r"[^\s\-]+", text), key=lambda m: len(m.group()))


def _separate(sep: str) -> Callable[[str, np.random.Generator], str]:
    """Split the longest word of a term with ``sep`` ("i.v.o.r.y bangle", "象 牙")."""

    def apply(text: str, rng: np.random.Generator) -> str:
        word = _longest_word(text)
        return text[: word.start()] + sep.join(word.group()) + text[word.end() :]

    return apply


def _zero_width(text: str, rng: np.random.Generator) -> str:
    gaps = [
        i
        for i in range(1, len(text))
        if text[i - 1] != " "
        and text[i] != " "
        and unicodedata.category(text[i]) not in ("Mn", "Mc")
    ]
    pos = int(rng.choice(gaps))
    return text[:pos] + _ZERO_WIDTH_SPACE + text[pos:]


def _fullwidth(text: str, rng: np.random.Generator) -> str:
    return "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in text)


def _recase(text: str, rng: np.random.Generator) -> str:
    if rng.random() < 0.5:
        return text.upper()
    flip = int(rng.integers(0, 2))
    out, n = [], 0
    for ch in text:
        if ch.isalpha():
            out.append(ch.upper() if (n + flip) % 2 else ch.lower())
            n += 1
        else:
            out.append(ch)
    return "".join(out)


def _word_ends_to_repeat(text: str) -> list[int]:
    """Positions of word-final letters not already doubled ("ivory" -> the "y")."""
    ends = []
    for i, ch in enumerate(text):
        last = i + 1 == len(text) or not text[i + 1].isalpha()
        if ch.isalpha() and last and i > 0 and text[i - 1].lower() != ch.lower():
            ends.append(i)
    return ends


def _repeat_letter(text: str, rng: np.random.Generator) -> str:
    pos = int(rng.choice(_word_ends_to_repeat(text)))
    return text[: pos + 1] + text[pos] * int(rng.integers(2, 4)) + text[pos + 1 :]


def _strip_accents(text: str, rng: np.random.Generator | None = None) -> str:
    bare = "".join(
        ch for ch in unicodedata.normalize("NFD", text) if unicodedata.category(ch) != "Mn"
    )
    return unicodedata.normalize("NFC", bare.replace("đ", "d").replace("Đ", "D"))


def _traditional(text: str, rng: np.random.Generator | None = None) -> str:
    return str(_TO_TRADITIONAL.convert(text))


def _camel_hashtag(text: str, rng: np.random.Generator) -> str:
    return "#" + "".join(word[:1].upper() + word[1:] for word in text.split())


@dataclass(frozen=True)
class Disguise:
    """One way sellers hide a term, and which terms it can be applied to."""

    name: str
    applies: Callable[[Term], bool]
    apply: Callable[[str, np.random.Generator], str]
    as_hashtag: bool = False


def _separable(term: Term) -> bool:
    """Latin, Han and kana words can be split letter by letter; Thai's stacked vowels cannot."""
    longest = _longest_word(term.text).group()
    return (
        term.kind is not TermKind.HASHTAG
        and len(longest) >= 2
        and not _has_marks(term.text)
        and all(
            unicodedata.name(ch, "").startswith(("LATIN", "CJK", "HIRAGANA", "KATAKANA"))
            for ch in longest
            if ch.isalpha()
        )
    )


DISGUISES = (
    Disguise("separator_dot", _separable, _separate(".")),
    Disguise("separator_hyphen", _separable, _separate("-")),
    Disguise("separator_space", _separable, _separate(" ")),
    Disguise(
        "leetspeak",
        lambda t: _is_latin(t.text) and any(ch in _LEET for ch in t.text),
        lambda text, rng: _replace_some(text, _LEET, rng),
    ),
    Disguise("zero_width", lambda t: len(t.text.lstrip("#")) >= 2, _zero_width),
    Disguise(
        "fullwidth", lambda t: any(ch.isascii() and ch.isalnum() for ch in t.text), _fullwidth
    ),
    Disguise(
        "cyrillic",
        lambda t: _is_latin(t.text) and any(ch in _CYRILLIC for ch in t.text),
        lambda text, rng: _replace_some(text, _CYRILLIC, rng),
    ),
    Disguise("case", lambda t: t.text.lower() != t.text.upper(), _recase),
    Disguise(
        "repeated_letters",
        lambda t: _is_latin(t.text) and bool(_word_ends_to_repeat(t.text)),
        _repeat_letter,
    ),
    Disguise(
        "accents_stripped",
        lambda t: t.lang == "vi" and _strip_accents(t.text) != t.text,
        _strip_accents,
    ),
    Disguise(
        "traditional_chinese",
        lambda t: t.lang.startswith("zh") and _traditional(t.text) != t.text,
        _traditional,
    ),
    Disguise(
        "camelcase_hashtag",
        lambda t: (
            t.kind is not TermKind.HASHTAG
            and len(t.text.split()) >= 2
            and all(w.isascii() and w.isalpha() for w in t.text.split())
        ),
        _camel_hashtag,
        as_hashtag=True,
    ),
)


# --- Corpus -------------------------------------------------------------------------------


@dataclass
class Plant:
    """Terms to put into one post, and how they are disguised."""

    terms: list[Term]
    disguise: str
    surfaces: list[str]
    fields: list[str]
    where: list[float]


class Planter:
    """Chooses terms and disguises for the posts that get terms."""

    def __init__(self, lexicon: Lexicon) -> None:
        planted = [t for t in lexicon.terms if t.kind in PLANTED_KINDS]
        if not planted:
            raise SystemExit("the lexicon has no product/part/code_word/hashtag/species terms")
        self.pools: dict[str, list[Term]] = {"none": planted}
        self.disguises = {d.name: d for d in DISGUISES}
        for disguise in DISGUISES:
            pool = [t for t in planted if disguise.applies(t)]
            if pool:
                self.pools[disguise.name] = pool
            else:
                print(f"note: no lexicon term can be disguised by {disguise.name}", file=sys.stderr)
        self.by_lang = {
            name: {lang: [t for t in pool if t.lang == lang] for lang in {t.lang for t in pool}}
            for name, pool in self.pools.items()
        }
        self.methods = [name for name in self.pools if name != "none"]

    def plan(self, rng: np.random.Generator, lang: str, obfuscated_share: float) -> Plant:
        count = int(rng.choice(3, p=[0.6, 0.3, 0.1])) + 1
        method = "none"
        if rng.random() < obfuscated_share and self.methods:
            method = self.methods[int(rng.integers(len(self.methods)))]
        pool = self.pools[method]
        same_lang = self.by_lang[method].get(lang)
        if same_lang and rng.random() < 0.7:
            pool = same_lang
        picks = rng.choice(len(pool), size=min(count, len(pool)), replace=False)
        terms = [pool[int(i)] for i in picks]
        surfaces, fields = [], []
        for term in terms:
            disguise = self.disguises.get(method)
            surface = disguise.apply(term.text, rng) if disguise else term.text
            tag_like = term.kind is TermKind.HASHTAG or (
                disguise is not None and disguise.as_hashtag
            )
            if tag_like:
                field = "hashtags" if rng.random() < 0.6 else "text"
            else:
                field = "title" if rng.random() < 0.2 else "text"
            surfaces.append(surface)
            fields.append(field)
        where = [float(x) for x in rng.random(len(terms))]
        return Plant(terms, method, surfaces, fields, where)


def _insert(tokens: list[str], surface: str, where: float, spaced: bool) -> None:
    """Put a planted term between two words of a field.

    In Chinese, Japanese or Thai text a Latin term gets spaces around it, as sellers write it.
    """
    at = round(where * len(tokens))
    if not spaced and not _unspaced(surface):
        surface = f" {surface} "
    tokens.insert(at, surface)


def generate(
    out: Path,
    truth: Path,
    posts: int,
    seed: int,
    lexicon: Lexicon,
    term_rate: float,
    obfuscated_share: float,
) -> dict[str, int]:
    """Write ``posts`` posts to ``out`` and the planted terms to ``truth``; return counts."""
    vocabularies = clean_vocabularies(lexicon)
    planter = Planter(lexicon)
    langs = list(vocabularies.values())
    shares = np.array([v.language.share for v in langs])
    shares /= shares.sum()
    rng = np.random.default_rng(seed)
    # Millions of short-lived strings and no cycles: the cyclic collector only costs time here.
    gc.disable()
    counts = {"posts": 0, "truth_posts": 0, "obfuscated_posts": 0, "planted_terms": 0}
    out.parent.mkdir(parents=True, exist_ok=True)
    truth.parent.mkdir(parents=True, exist_ok=True)
    with out.open("wb", buffering=1 << 22) as posts_file, truth.open("wb") as truth_file:
        for first in range(0, posts, CHUNK):
            size = min(CHUNK, posts - first)
            for post, plant in _chunk(
                rng, first, size, langs, shares, planter, term_rate, obfuscated_share
            ):
                posts_file.write(orjson.dumps(post) + b"\n")
                counts["posts"] += 1
                if plant is None:
                    continue
                record = {
                    "id": post["id"],
                    "terms": [t.text for t in plant.terms],
                    "groups": sorted({t.group for t in plant.terms}),
                    "obfuscation": plant.disguise,
                    "surface": plant.surfaces,
                    "fields": plant.fields,
                }
                truth_file.write(orjson.dumps(record) + b"\n")
                counts["truth_posts"] += 1
                counts["planted_terms"] += len(plant.terms)
                counts["obfuscated_posts"] += plant.disguise != "none"
    return counts


def _chunk(
    rng: np.random.Generator,
    first: int,
    size: int,
    langs: list[Vocabulary],
    shares: npt.NDArray[np.float64],
    planter: Planter,
    term_rate: float,
    obfuscated_share: float,
) -> Iterator[tuple[dict[str, object], Plant | None]]:
    """Draw ``size`` posts at once: every random choice for the chunk is made up front,
    language by language, so the per-post loop only slices and joins."""
    lang_of = rng.choice(len(langs), size=size, p=shares)
    text_len = rng.integers(10, 61, size=size)
    title_len = rng.integers(3, 9, size=size)
    tag_count = rng.choice(5, size=size, p=[0.35, 0.25, 0.2, 0.12, 0.08])
    price_raw = rng.lognormal(0.0, 0.9, size=size)
    pick = rng.random((size, 2))
    seller_num = rng.integers(1, 250_000, size=size)
    planted = rng.random(size) < term_rate

    texts: list[list[str]] = [[] for _ in range(size)]
    titles: list[list[str]] = [[] for _ in range(size)]
    tags: list[list[str]] = [[] for _ in range(size)]
    for li, vocab in enumerate(langs):
        members = np.flatnonzero(lang_of == li)
        if not len(members):
            continue
        lang = vocab.language
        punct = np.array(lang.punctuation, dtype=object)
        marks = len(punct) - 1
        punct_p = np.array([0.9, *[0.1 / marks] * marks]) if marks else np.ones(1)
        for lengths, target, with_punct in ((text_len, texts, True), (title_len, titles, False)):
            n = lengths[members]
            words = vocab.words[rng.choice(len(vocab.words), size=int(n.sum()), p=vocab.weights)]
            if with_punct:
                words = words + punct[rng.choice(len(punct), size=len(words), p=punct_p)]
            if lang.space_rate not in (0.0, 1.0):
                gaps = np.where(rng.random(len(words)) < lang.space_rate, " ", "").astype(object)
                words = words + gaps
            ends = np.cumsum(n)
            for post, end, count in zip(members.tolist(), ends.tolist(), n.tolist(), strict=True):
                target[post] = words[end - count : end].tolist()
        n = tag_count[members]
        if len(vocab.hashtags):
            drawn = vocab.hashtags[rng.integers(0, len(vocab.hashtags), size=int(n.sum()))]
            ends = np.cumsum(n)
            for post, end, count in zip(members.tolist(), ends.tolist(), n.tolist(), strict=True):
                tags[post] = drawn[end - count : end].tolist()

    plants: dict[int, Plant] = {}
    for post in np.flatnonzero(planted).tolist():
        lang = langs[int(lang_of[post])].language
        plant = planter.plan(rng, lang.code, obfuscated_share)
        spaced = lang.space_rate == 1.0
        for surface, field, where in zip(plant.surfaces, plant.fields, plant.where, strict=True):
            if field == "hashtags":
                tags[post].insert(round(where * len(tags[post])), surface)
            else:
                _insert(texts[post] if field == "text" else titles[post], surface, where, spaced)
        plants[post] = plant

    def per_lang(value: Callable[[Language], float]) -> npt.NDArray[np.float64]:
        return np.array([value(v.language) for v in langs], dtype=np.float64)[lang_of]

    step = per_lang(lambda lang: lang.price_step)
    prices = np.maximum(
        step, np.round(per_lang(lambda lang: lang.median_price) * price_raw / step) * step
    ).tolist()
    currency = (pick[:, 0] * per_lang(lambda lang: len(lang.currencies))).astype(np.int64).tolist()
    platform = (pick[:, 1] * per_lang(lambda lang: len(lang.platforms))).astype(np.int64).tolist()
    name_count = per_lang(lambda lang: 0).astype(np.int64)
    for li, vocab in enumerate(langs):
        name_count[lang_of == li] = len(vocab.names)
    name = (seller_num % name_count).tolist()
    suffix = (seller_num // name_count % len(_SELLER_SUFFIXES)).tolist()
    lang_list = lang_of.tolist()
    seller_list = seller_num.tolist()
    for post in range(size):
        vocab = langs[lang_list[post]]
        lang = vocab.language
        if lang.space_rate == 1.0:
            text = " ".join(texts[post])
            title = " ".join(titles[post])
            text = text[:1].upper() + text[1:]
            title = title[:1].upper() + title[1:]
        else:
            text = "".join(texts[post]).strip()
            title = "".join(titles[post]).strip()
        record: dict[str, object] = {
            "id": f"b{first + post + 1:07d}",
            "title": title,
            "text": text,
            "hashtags": tags[post],
            "price": prices[post],
            "currency": lang.currencies[currency[post]],
            "platform": lang.platforms[platform[post]],
            "lang": lang.code,
            "seller": {
                "id": f"s{seller_list[post]:06d}",
                "name": vocab.names[name[post]] + _SELLER_SUFFIXES[suffix[post]],
            },
        }
        yield record, plants.get(post)


# --- Padded lexicon -----------------------------------------------------------------------

_ONSETS = ("b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "kr", "tr")
_VOWELS = ("a", "e", "i", "o", "u")
_CODAS = ("", "", "", "", "n", "r", "l", "m")


def pseudo_words(count: int, seed: int, avoid: set[str]) -> list[str]:
    """``count`` distinct pronounceable non-words ("tavoren", "kribalu sendo") not in ``avoid``."""
    rng = np.random.default_rng([seed, 0x5EED])
    out: list[str] = []
    seen = set(avoid)
    while len(out) < count:
        n = count - len(out)
        syllables = rng.integers(3, 5, size=(n, 2))
        onset = rng.integers(0, len(_ONSETS), size=(n, 2, 4))
        vowel = rng.integers(0, len(_VOWELS), size=(n, 2, 4))
        coda = rng.integers(0, len(_CODAS), size=(n, 2, 4))
        two_words = rng.random(n) < 0.2
        for i in range(n):
            words = []
            for w in range(2 if two_words[i] else 1):
                parts = []
                for s in range(int(syllables[i, w])):
                    last = s + 1 == syllables[i, w]
                    parts.append(
                        _ONSETS[onset[i, w, s]]
                        + _VOWELS[vowel[i, w, s]]
                        + (_CODAS[coda[i, w, s]] if last else "")
                    )
                words.append("".join(parts))
            if any(word in seen for word in words):
                continue
            text = " ".join(words)
            if text in seen:
                continue
            seen.add(text)
            seen.update(words)
            out.append(text)
            if len(out) == count:
                break
    return out


def write_padded_lexicon(source: Path, target: Path, total: int, seed: int) -> int:
    """Copy ``source``'s group files to ``target`` and pad to about ``total`` terms.

    Returns the number of padding terms written.
    """
    lexicon = load_lexicon(source)
    target.mkdir(parents=True, exist_ok=True)
    for old in target.glob("*.yaml"):
        old.unlink()
    for path in sorted(source.glob("*.yaml")):
        shutil.copyfile(path, target / path.name)
    avoid = filler_tokens(clean_vocabularies(lexicon))
    for term in lexicon.terms:
        avoid.update(normalize_text(term.text).split())
    words = pseudo_words(max(0, total - len(lexicon.terms)), seed, avoid)
    lines = [
        f"id: {PADDING_GROUP}",
        "name: Synthetic benchmark padding",
        'description: "Pseudo-words that name nothing, written by benchmarks/make_corpus.py so a '
        'scan can be timed against a large lexicon. Never ship this file."',
        "terms:",
    ]
    lines += [
        f'  - {{text: "{w}", kind: code_word, lang: xx, note: "{PADDING_NOTE}"}}' for w in words
    ]
    (target / f"{PADDING_GROUP}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(words)


# --- Command line -------------------------------------------------------------------------


def truth_path(out: Path) -> Path:
    """The ground-truth sidecar of a corpus file."""
    return out.with_name(out.name.removesuffix(".jsonl") + ".truth.jsonl")


def meta_path(out: Path) -> Path:
    """What a corpus file was made from: posts, seed, lexicon version, generator digest."""
    return out.with_name(out.name.removesuffix(".jsonl") + ".meta.json")


def generator_digest() -> str:
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]


def corpus_identity(
    posts: int, seed: int, lexicon: Lexicon, term_rate: float, obfuscated_share: float
) -> dict[str, object]:
    """Everything the corpus bytes depend on; equal identities mean identical files."""
    return {
        "posts": posts,
        "seed": seed,
        "term_rate": term_rate,
        "obfuscated_share": obfuscated_share,
        "lexicon_version": lexicon.version,
        "generator": generator_digest(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, help="corpus JSONL to write")
    parser.add_argument("--truth", type=Path, help="default: <out>.truth.jsonl")
    parser.add_argument("--lexicon", type=Path, help="lexicon folder (default: the shipped one)")
    parser.add_argument(
        "--term-rate", type=float, default=0.02, help="share of posts that get lexicon terms"
    )
    parser.add_argument(
        "--obfuscated-share",
        type=float,
        default=1 / 3,
        help="share of those whose terms are disguised",
    )
    parser.add_argument(
        "--pad-lexicon",
        type=int,
        metavar="N",
        help="write a copy of the lexicon padded to about N terms",
    )
    parser.add_argument(
        "--lexicon-out",
        type=Path,
        metavar="DIR",
        help="where --pad-lexicon writes the padded lexicon",
    )
    args = parser.parse_args(argv)
    if args.out is None and args.pad_lexicon is None:
        parser.error("give --out (a corpus) and/or --pad-lexicon N --lexicon-out DIR")
    if args.pad_lexicon is not None and args.lexicon_out is None:
        parser.error("--pad-lexicon needs --lexicon-out DIR")
    source = args.lexicon or default_lexicon_dir()
    lexicon = load_lexicon(source)

    if args.out is not None:
        started = time.perf_counter()
        truth = args.truth or truth_path(args.out)
        counts = generate(
            args.out, truth, args.posts, args.seed, lexicon, args.term_rate, args.obfuscated_share
        )
        identity = corpus_identity(
            args.posts, args.seed, lexicon, args.term_rate, args.obfuscated_share
        )
        meta = {**identity, **counts, "lexicon_terms": len(lexicon.terms)}
        meta_path(args.out).write_bytes(orjson.dumps(meta, option=orjson.OPT_INDENT_2) + b"\n")
        seconds = time.perf_counter() - started
        print(
            f"wrote {counts['posts']:,} posts to {args.out} ({args.out.stat().st_size / 1e6:.0f} "
            f"MB) and {counts['truth_posts']:,} truth records ({counts['obfuscated_posts']:,} "
            f"disguised) to {truth} in {seconds:.1f} s",
            file=sys.stderr,
        )
    if args.pad_lexicon is not None:
        added = write_padded_lexicon(Path(source), args.lexicon_out, args.pad_lexicon, args.seed)
        print(
            f"wrote {len(lexicon.terms) + added:,} terms ({added:,} padding) to {args.lexicon_out}",
            file=sys.stderr,
        )
    return 0


# --- Word lists ---------------------------------------------------------------------------
# Common words first: draws follow a Zipf curve over list order. Lexicon terms written here
# by accident do no harm, clean_vocabularies() drops them; the lists avoid the obvious ones.

_SELLER_SUFFIXES = ("", "_shop", "store", "88", "_official", "2024", "_outlet", "99", "_id")

_EMOJI = "✨ 🔥 💯 😍 👍 📦 🚚 ❤️ 🙏 😊 🎁 ⭐ 💕 🛒 👉 ✅ 😁 🥰 💥 📣"

_EN_WORDS = """
the and for with this you your new used good great nice very just only all more please thanks
price cheap best deal sale selling sell buy brand condition perfect excellent working clean free
home kitchen table chair sofa desk shelf lamp mirror rug bed pillow blanket towel plates cups
phone case charger cable laptop tablet screen keyboard mouse headphones speaker camera shoes
sneakers boots shirt dress skirt jacket coat hoodie sweater jeans pants shorts socks hat cap
scarf backpack wallet handbag suitcase size small medium large fits color black blue red green
yellow pink purple orange brown grey beige navy cotton wool denim kids baby toys books puzzle
stroller bike helmet scooter car tires wheels engine battery tools drill ladder today tomorrow
weekend week month year ago delivery shipping pickup collection available message details
contact call text only cash transfer payment paypal shop store online order ready stock limited
offer discount promo code off each set pair pack bundle box included original warranty receipt
bought never worn once twice still tags fast quick easy local nearby town city downtown station
mall market garage moving house apartment room space storage need want looking anyone have has
got get can will would could should must our their them they she him her his its are was were be
been being not but from out about over under into than then also too here there when where what
which who why how some any many much few lot lots one two three four five six ten hundred first
last next other another same different big little long short high low old young hot cold warm
soft hard light heavy dry wet fresh open closed full empty half whole cute pretty beautiful
lovely amazing awesome cool fun happy love like enjoy check follow share comment post link bio
dm inbox reply asap serious buyers offers firm negotiable obo pls thx lol omg wow yes sure okay
morning night tonight friday saturday sunday monday holiday christmas birthday gift gifts party
wedding summer winter spring autumn coffee tea cake bread pizza chicken rice noodles recipe
dinner lunch breakfast snack fruit apple banana mango water juice bottle glass mug plate bowl
spoon fork knife pan pot oven fridge freezer microwave blender toaster kettle washer dryer iron
vacuum fan heater sheets curtains frame painting poster candle vase plant plants flowers pots
soil seeds hose mower grill tent cooler fishing rod camping hiking running gym yoga mat weights
bicycle football basketball tennis golf ball racket jersey team game games console controller
headset monitor printer router drive memory card adapter charger watch ring necklace earrings
bracelet sunglasses perfume makeup lipstick cream lotion shampoo soap brush comb dryer sale
100 200 500 1000 2 3 5 10 20 50 2024 2025
"""

_ES_WORDS = """
de la que el en los se del las por un con una para es al lo como más pero sus le ya muy
nuevo nueva usado usada precio barato barata oferta ofertas venta vendo compro envío gratis
todo país buen buena estado excelente perfecto perfecta funciona original caja incluye
garantía meses años casa cocina mesa silla sofá cama colchón almohada lámpara espejo cortinas
ropa camisa camiseta vestido falda chaqueta abrigo pantalón zapatos zapatillas botas bolso
mochila cartera gafas gorra talla tamaño color negro blanco azul rojo verde amarillo rosa gris
marrón niños niñas bebé juguetes libros bicicleta coche moto ruedas herramientas teléfono
móvil celular funda cargador cable auriculares cámara portátil pantalla consola juegos mando
hoy mañana semana entrega inmediata contacto mensaje privado interesados escribir whatsapp
pago efectivo transferencia tarjeta tienda online descuento promoción unidades disponibles
pocas últimas stock pedido pedidos gracias hola sin unos unas poco bien bonito bonita linda
lindo calidad marca pequeño pequeña mediano grande algodón cómodo cómoda regalo regalos fiesta
cumpleaños navidad verano invierno comida café pan pastel frutas agua jugo botella vaso plato
taza cuchara olla sartén horno nevera microondas licuadora lavadora ventilador plancha
aspiradora sábanas toallas cuadro vela jarrón plantas flores maceta jardín patio piscina tienda
campaña deporte fútbol pelota raqueta gimnasio zapatillas correr camino ciudad centro barrio
cerca lejos metro estación mercado calle número apartamento habitación alquiler mudanza urgente
rápido rápida fácil solo sólo también aquí allí cuando donde quien cual algo nada mucho muchos
mucha otra otro mismo misma nunca siempre todavía entonces porque aunque desde hasta entre
sobre durante antes después bueno malo mejor peor alto bajo largo corto viejo joven caliente
frío suave duro ligero pesado limpio vacío lleno medio entero feliz amor gusta encanta sigue
comparte comenta enlace perfil consulta consultas precio fijo negociable envíos domicilio
semana lunes martes viernes sábado domingo tarde noche mañanas
"""

_FR_WORDS = """
de la le et les des en un une du que est pour pas qui dans sur au avec ce il ne se plus par
neuf neuve occasion prix bas promo soldes vente vends achète livraison gratuite rapide très bon
bonne état parfait excellent fonctionne original boîte inclus garantie mois ans maison cuisine
table chaise canapé lit matelas oreiller lampe miroir rideaux vêtements chemise robe jupe veste
manteau pantalon chaussures baskets bottes sac sacoche portefeuille montre lunettes casquette
taille couleur noir blanc bleu rouge vert jaune rose gris marron enfants bébé jouets livres vélo
voiture pneus pièces outils téléphone portable coque chargeur câble écouteurs appareil photo
ordinateur écran console jeux manette demain semaine remise main propre contact message privé
intéressés paiement espèces virement carte boutique ligne réduction disponible dernières stock
commande merci bonjour sans peu bien joli jolie qualité marque petit petite moyen grand grande
coton laine cadeau cadeaux fête anniversaire noël été hiver printemps automne repas café pain
gâteau fruits eau jus bouteille verre assiette tasse cuillère casserole poêle four frigo
congélateur micro mixeur machine laver ventilateur fer aspirateur draps serviettes cadre tableau
bougie vase plantes fleurs pot jardin terrasse piscine tente sport football ballon raquette salle
courir chemin ville centre quartier près loin métro gare marché rue numéro appartement chambre
location déménagement urgent vite facile seulement aussi ici quand comment quoi rien beaucoup
autre même jamais toujours encore alors parce depuis entre pendant avant après meilleur pire haut
long court vieux jeune chaud froid doux dur léger lourd propre vide plein moitié heureux amour
aime adore suivez partagez commentez lien profil renseignements ferme négociable envoi domicile
lundi mardi vendredi samedi dimanche soir matin nuit photos dispo pièce lot ensemble paire tout
tous toutes votre vos notre nos mon ma mes son sa ses leur leurs cette ces sont était être avoir
fait faire peut veux besoin cherche trouve vendu acheté jamais porté servi parfaitement
"""

_PT_WORDS = """
de que não uma os no se na por mais as dos como mas ao ele das seu sua ou quando muito nos já
novo nova usado usada preço barato barata oferta promoção venda vendo compro frete grátis todo
brasil bom boa estado ótimo perfeito funcionando original caixa acompanha garantia meses anos
casa cozinha mesa cadeira sofá cama colchão travesseiro luminária espelho cortina roupa camisa
camiseta vestido saia jaqueta casaco calça bermuda sapato tênis bota bolsa mochila carteira
relógio óculos boné tamanho cor preto branco azul vermelho verde amarelo rosa cinza marrom
crianças bebê brinquedos livros bicicleta carro moto pneus peças ferramentas celular capinha
carregador cabo fone câmera notebook tela console jogos controle hoje amanhã semana entrega
imediata contato mensagem chama direct pagamento dinheiro pix cartão loja online desconto
unidades disponíveis últimas estoque pedido obrigado obrigada olá para com sem uma pouco lindo
linda qualidade marca pequeno média grande algodão presente presentes festa aniversário natal
verão inverno comida café pão bolo frutas água suco garrafa copo prato xícara colher panela
frigideira forno geladeira micro liquidificador máquina lavar ventilador ferro aspirador lençol
toalhas quadro vela vaso plantas flores jardim quintal piscina barraca esporte futebol bola
raquete academia correr cidade centro bairro perto longe metrô estação mercado rua número
apartamento quarto aluguel mudança urgente rápido fácil também aqui onde quem qual algo nada
outra outro mesmo nunca sempre ainda então porque desde até entre sobre durante antes depois
melhor pior alto baixo longo curto velho jovem quente frio macio duro leve pesado limpo vazio
cheio meio feliz amor gosto adoro siga compartilhe comente link perfil valor fixo negociável
envio domicílio segunda terça sexta sábado domingo tarde noite manhã fotos disponível peça kit
conjunto par tudo todos você vocês nosso nossa meu minha está estão era ser ter fazer pode quer
precisa procuro vendido comprado nunca usei zerado lacrado
"""

_ID_WORDS = """
yang dan di ini itu dengan untuk dari ada tidak ke bisa akan sudah juga saya kami kamu kita
baru bekas harga murah promo diskon jual beli ongkir gratis seluruh indonesia kondisi bagus
mulus normal original ori garansi bulan tahun rumah dapur meja kursi sofa kasur bantal lampu
cermin gorden baju kemeja kaos gaun rok jaket celana sepatu sandal tas dompet kacamata topi
ukuran warna hitam putih biru merah hijau kuning pink abu coklat anak bayi mainan buku sepeda
mobil motor ban sparepart alat hp casing charger kabel headset kamera laptop layar konsol game
hari besok minggu kirim cepat siap stok ready order pesan chat admin bayar transfer cod toko
online terima kasih halo tanpa belum masih banget sekali lebih kurang cantik keren kualitas
merek kecil sedang besar katun hadiah pesta ulang natal lebaran puasa makanan kopi teh roti kue
buah air jus botol gelas piring cangkir sendok panci wajan oven kulkas blender mesin cuci kipas
setrika vakum sprei handuk bingkai lilin vas tanaman bunga pot kebun teras kolam tenda olahraga
bola raket gym lari kota pusat dekat jauh stasiun pasar jalan nomor apartemen kamar sewa pindahan
cepetan gampang cuma sini sana kapan mana siapa apa semua banyak sedikit lain sama selalu lagi
karena sejak sampai antara selama sebelum sesudah terbaik tinggi rendah panjang pendek lama muda
panas dingin lembut keras ringan berat bersih kosong penuh setengah senang suka follow share
komen link bio nego pas langsung gan sis kak bro mantap cek wa dm pagi siang sore malam senin
selasa rabu kamis jumat sabtu foto tersedia satu dua tiga set pasang paket lengkap nya dong deh
kok sih aja banget beneran amanah terpercaya
"""

_VI_WORDS = """
của và có không là được cho một những này với các người đã thì trong khi để đến nhiều cũng
mới cũ giá rẻ khuyến mãi giảm bán mua miễn phí vận chuyển toàn quốc hàng chính hãng còn tốt đẹp
nguyên hộp bảo hành tháng năm nhà bếp bàn ghế giường nệm gối đèn gương rèm quần áo sơ mi váy
đầm khoác giày dép túi ví đồng hồ kính mũ size màu đen trắng xanh đỏ vàng hồng xám nâu trẻ em bé
đồ chơi sách xe đạp máy tô lốp phụ tùng dụng cụ điện thoại ốp sạc cáp tai nghe ảnh laptop màn
hình hôm nay ngày mai tuần giao nhanh sẵn đặt inbox nhắn tin thanh toán chuyển khoản tiền mặt
shop cửa online cảm ơn chào với rất hơn ít xinh chất lượng thương hiệu nhỏ vừa lớn cotton quà
tiệc sinh nhật tết hè đông cơm phở bánh mì cà phê trà trái cây nước chai ly đĩa chén muỗng nồi
chảo lò tủ lạnh xay giặt quạt bàn ủi hút bụi ga khăn khung tranh nến bình cây hoa chậu vườn
sân hồ bơi lều thể thao bóng vợt tập chạy thành phố trung tâm gần xa ga chợ đường số căn phòng
thuê chuyển gấp dễ chỉ đây đó nào ai gì tất cả khác giống luôn vẫn nữa vì từ giữa trong trước
sau nhất cao thấp dài ngắn trẻ nóng lạnh mềm cứng nhẹ nặng sạch trống đầy nửa vui thích theo dõi
chia sẻ bình luận liên kết trang cá nhân ship cod freeship sáng trưa chiều tối thứ hai ba tư
sáu bảy chủ nhật hình ảnh có sẵn cái chiếc bộ đôi gói đủ nhé nha ạ luôn ngay uy tín chất đảm bảo
"""

_ZH_WORDS = """
的 了 是 我 你 有 在 这个 那个 我们 可以 没有 一个 需要 非常 很 也 都 就 还 和 跟
全新 二手 包邮 正品 现货 价格 便宜 优惠 打折 促销 限时 特价 质量 很好 喜欢 推荐 好评 下单
私聊 联系 微信 客服 发货 快递 顺丰 今天 明天 衣服 裤子 裙子 外套 鞋子 包包 手机 手机壳 充电器
耳机 电脑 平板 相机 镜头 家具 桌子 椅子 沙发 床垫 被子 厨房 锅 碗 杯子 儿童 玩具 图书 自行车
汽车 配件 轮胎 颜色 黑色 白色 蓝色 粉色 尺码 大号 中号 小号 件 元 块 款 新款 热卖 爆款
质感 舒服 好看 漂亮 可爱 实用 耐用 方便 简单 时尚 经典 复古 礼物 生日 节日 春节 夏天 冬天
咖啡 奶茶 面包 蛋糕 水果 矿泉水 果汁 瓶子 盘子 勺子 烤箱 冰箱 微波炉 洗衣机 电风扇 吸尘器
床单 毛巾 相框 蜡烛 花瓶 绿植 鲜花 花盆 阳台 帐篷 运动 足球 篮球 球拍 健身 跑步 城市 附近
地铁 超市 小区 房间 出租 搬家 急 快 容易 只 这里 那里 什么 哪里 谁 所有 其他 一样 总是 还是
因为 所以 但是 如果 之前 之后 最 高 低 长 短 旧 热 冷 软 硬 轻 重 干净 开心 关注 分享 评论
链接 主页 周一 周末 上午 下午 晚上 图片 实拍 一套 一对 套装 赠品 送 保证 靠谱 诚信 欢迎
咨询 拍下 库存 少量 清仓 亏本 自提 同城 面交 秒发 满减 领券 店铺 宝贝 亲 哦 啦 吧 呢 嘛
"""

_JA_WORDS = """
の に は を た が で て と し れ さ ある いる も する から な こと として い や など なっ
新品 未使用 中古 美品 送料無料 値下げ 即購入 可能 です ます よろしく お願いします 購入 出品
商品 状態 サイズ カラー ブラック ホワイト 黒 白 赤 青 ピンク 子供 おもちゃ 漫画 服 靴 バッグ
財布 時計 スマホ ケース 充電器 イヤホン カメラ レンズ 家具 テーブル 椅子 ソファ 布団 キッチン
食器 コップ 鍋 自転車 車 部品 タイヤ 限定 セール 割引 今日 明日 発送 即日 匿名 配送 梱包 丁寧
気になる 方 ぜひ コメント ください 質問 歓迎 在庫 あり なし 傷 汚れ 少し ほぼ 新しい かわいい
きれい 人気 ブランド 正規品 箱 付き 保証 ヶ月 年 プレゼント 誕生日 お祭り 夏 冬 春 秋
コーヒー お茶 パン ケーキ 果物 水 ジュース ボトル グラス お皿 スプーン フライパン オーブン
冷蔵庫 電子レンジ 洗濯機 扇風機 掃除機 シーツ タオル 額縁 キャンドル 花瓶 観葉植物 花 鉢
ベランダ テント スポーツ サッカー ボール ラケット ジム ランニング 駅 近く 遠く 市場 部屋
引っ越し 急ぎ 早い 簡単 だけ ここ そこ いつ どこ 誰 何 全部 他 同じ いつも まだ なぜなら
前 後 一番 高い 安い 長い 短い 古い 暑い 寒い 柔らかい 軽い 重い 清潔 嬉しい 好き フォロー
シェア リンク プロフィール 月曜日 週末 朝 昼 夜 写真 在庫あり セット ペア 付属品 値段 交渉
お値下げ 不可 即決 数回 着用 試着のみ 自宅保管 ノークレーム ノーリターン 大切に 使用感
"""

_TH_WORDS = """
ที่ และ ของ ใน มี ได้ ไม่ เป็น จะ ให้ กับ แล้ว ก็ นี้ จาก คน ว่า ไป มา อยู่ ค่ะ ครับ นะคะ
ส่งฟรี ราคา ถูก ของแท้ ใหม่ มือสอง สภาพดี พร้อมส่ง สนใจ ทักแชท ได้เลย ลดราคา โปรโมชั่น
เสื้อผ้า รองเท้า กระเป๋า โทรศัพท์ มือถือ หูฟัง สายชาร์จ ขนาด สี ดำ ขาว แดง ฟ้า เขียว ชมพู
เด็ก ของเล่น หนังสือ บ้าน ห้องครัว โต๊ะ เก้าอี้ ที่นอน ผ้าห่ม จักรยาน รถยนต์ อะไหล่ แท้
เก็บเงินปลายทาง โอนเงิน วันนี้ พรุ่งนี้ ด่วน จำนวนจำกัด สั่งซื้อ ชิ้น ละ บาท ขาย ซื้อ ร้าน
ลูกค้า รีวิว สวย น่ารัก ดีมาก คุณภาพ ทน ใช้งาน ปกติ ครบ กล่อง ประกัน ศูนย์ เดือน ปี ผ้าฝ้าย
กางเกง กระโปรง เสื้อยืด หมวก นาฬิกา แว่นตา ครีม สบู่ แชมพู น้ำหอม เครื่องสำอาง อาหาร ขนม
กาแฟ ชาเย็น ผลไม้ ผัก ทุเรียน มะม่วง ข้าว ตลาด ส่ง ไว ทั่วประเทศ กรุงเทพ เชียงใหม่ ขอบคุณ
สวัสดี ของขวัญ วันเกิด ปีใหม่ หน้าร้อน หน้าหนาว ขวด แก้ว จาน ช้อน หม้อ กระทะ ตู้เย็น พัดลม
เตารีด ผ้าเช็ดตัว กรอบรูป เทียน แจกัน ต้นไม้ ดอกไม้ กระถาง สวน ระเบียง เต็นท์ กีฬา ฟุตบอล
ลูกบอล วิ่ง เมือง ใกล้ ไกล สถานี ถนน ห้อง เช่า ย้าย เร็ว ง่าย เท่านั้น ที่นี่ เมื่อไหร่ ที่ไหน
ใคร อะไร ทั้งหมด อื่น เหมือน เสมอ ยัง เพราะ ก่อน หลัง ที่สุด สูง ต่ำ ยาว สั้น เก่า ร้อน เย็น
นุ่ม เบา หนัก สะอาด ดีใจ ชอบ ติดตาม แชร์ คอมเมนต์ ลิงก์ โปรไฟล์ วันจันทร์ เสาร์อาทิตย์ เช้า
เย็นนี้ รูปถ่าย ชุด คู่ เซต แถม รับประกัน ส่งไว เก็บปลายทาง ลดล้างสต็อก
"""

_EN_TAGS = """
#sale #forsale #freeshipping #ootd #preloved #thrift #handmade #homedecor #giftideas
#smallbusiness #deals #fashion #style #shopping #onlineshop #newarrivals #kidsfashion #vintagestyle
#instagood #musthave #weekend #garagesale #declutter #bargain #sneakers #techdeals #furniture
"""
_ES_TAGS = "#oferta #ventas #envíogratis #moda #hogar #regalos #tienda #descuentos #nuevo #usado"
_FR_TAGS = "#vente #soldes #promo #mode #maison #cadeau #bonplan #occasion #neuf #boutique"
_PT_TAGS = "#promoção #vendas #fretegrátis #moda #casa #presente #brechó #loja #novo #achadinhos"
_ID_TAGS = "#jualan #promo #murah #ootd #olshop #ready #diskon #ongkirgratis #bajumurah #cod"
_VI_TAGS = "#freeship #sale #giare #hangmoi #thoitrang #muasam #shoponline #uytin #quatang"
_ZH_TAGS = "#好物推荐 #包邮 #闲置 #二手 #优惠 #新品 #穿搭 #居家 #礼物 #种草"
_JA_TAGS = "#メルカリ #新品 #セール #送料無料 #コーデ #インテリア #プレゼント #お得"
_TH_TAGS = "#ส่งฟรี #พร้อมส่ง #ของแท้ #ลดราคา #ขายของออนไลน์ #เสื้อผ้า #ของขวัญ"

_EN_NAMES = "emma liam olivia noah ava james mia lucas sophie jack grace henry chloe sam lily max"
_ES_NAMES = "lucia mateo sofia diego valeria carlos camila javier paula andres elena miguel"
_FR_NAMES = "camille louis chloe hugo lea jules manon arthur ines paul julie antoine"
_PT_NAMES = "ana joao maria pedro juliana lucas beatriz gabriel larissa rafael fernanda bruno"
_ID_NAMES = "dewi budi siti agus rina andi putri eko wulan dedi ayu rizky"
_VI_NAMES = "linh minh huong tuan lan hung mai duc thao nam trang khanh"
_ZH_NAMES = "小美 阿杰 晓红 大伟 丽丽 小明 婷婷 志强 佳佳 阿龙"
_JA_NAMES = "yuki haruto sakura ren aoi sota hina yuto mio riku"
_TH_NAMES = "somchai malee nattapong siriporn anan kanya prasert wanida"

_LATIN_PUNCT = ("", ",", ".", "!")
_CJK_PUNCT = ("", "，", "。", "！")

LANGUAGES = (
    Language(
        code="en",
        share=0.45,
        space_rate=1.0,
        words=_EN_WORDS + _EMOJI,
        hashtags=_EN_TAGS,
        names=_EN_NAMES,
        currencies=("USD", "GBP", "AUD"),
        median_price=25.0,
        price_step=0.5,
        platforms=("facebook_marketplace", "ebay", "craigslist", "instagram", "vinted"),
        punctuation=_LATIN_PUNCT,
    ),
    Language(
        code="es",
        share=0.10,
        space_rate=1.0,
        words=_ES_WORDS + _EMOJI,
        hashtags=_ES_TAGS,
        names=_ES_NAMES,
        currencies=("EUR", "MXN"),
        median_price=30.0,
        price_step=1.0,
        platforms=("mercadolibre", "wallapop", "facebook_marketplace", "instagram"),
        punctuation=_LATIN_PUNCT,
    ),
    Language(
        code="fr",
        share=0.06,
        space_rate=1.0,
        words=_FR_WORDS + _EMOJI,
        hashtags=_FR_TAGS,
        names=_FR_NAMES,
        currencies=("EUR",),
        median_price=30.0,
        price_step=1.0,
        platforms=("leboncoin", "vinted", "facebook_marketplace"),
        punctuation=_LATIN_PUNCT,
    ),
    Language(
        code="pt",
        share=0.08,
        space_rate=1.0,
        words=_PT_WORDS + _EMOJI,
        hashtags=_PT_TAGS,
        names=_PT_NAMES,
        currencies=("BRL",),
        median_price=90.0,
        price_step=1.0,
        platforms=("olx", "mercadolivre", "instagram", "facebook_marketplace"),
        punctuation=_LATIN_PUNCT,
    ),
    Language(
        code="id",
        share=0.08,
        space_rate=1.0,
        words=_ID_WORDS + _EMOJI,
        hashtags=_ID_TAGS,
        names=_ID_NAMES,
        currencies=("IDR",),
        median_price=150_000.0,
        price_step=1000.0,
        platforms=("tokopedia", "shopee", "facebook_marketplace", "instagram"),
        punctuation=_LATIN_PUNCT,
    ),
    Language(
        code="vi",
        share=0.07,
        space_rate=1.0,
        words=_VI_WORDS + _EMOJI,
        hashtags=_VI_TAGS,
        names=_VI_NAMES,
        currencies=("VND",),
        median_price=350_000.0,
        price_step=1000.0,
        platforms=("shopee", "facebook_marketplace", "zalo", "tiktok_shop"),
        punctuation=_LATIN_PUNCT,
    ),
    Language(
        code="zh",
        share=0.07,
        space_rate=0.0,
        words=_ZH_WORDS + _EMOJI,
        hashtags=_ZH_TAGS,
        names=_ZH_NAMES,
        currencies=("CNY",),
        median_price=120.0,
        price_step=1.0,
        platforms=("xianyu", "taobao", "wechat", "weibo"),
        punctuation=_CJK_PUNCT,
    ),
    Language(
        code="th",
        share=0.05,
        space_rate=0.3,
        words=_TH_WORDS + _EMOJI,
        hashtags=_TH_TAGS,
        names=_TH_NAMES,
        currencies=("THB",),
        median_price=450.0,
        price_step=10.0,
        platforms=("shopee", "lazada", "facebook_marketplace", "line"),
        punctuation=("",),
    ),
    Language(
        code="ja",
        share=0.04,
        space_rate=0.0,
        words=_JA_WORDS + _EMOJI,
        hashtags=_JA_TAGS,
        names=_JA_NAMES,
        currencies=("JPY",),
        median_price=2500.0,
        price_step=100.0,
        platforms=("mercari", "yahoo_auctions", "rakuma", "twitter"),
        punctuation=_CJK_PUNCT,
    ),
)

if __name__ == "__main__":
    sys.exit(main())
