"""The shipped lexicon covers every term of the Coalition's keyword slides, in the right group.

The slides (tests/data/seed_coalition_keywords.txt, a verbatim copy of the project's source
document) are parsed here as they are: tab-separated table cells, hashtags run into the same cell
as a search word, "a/ b" and "word (alt)" alternates, and the "Below are search terms that may be
associated..." lists. The few places where the slide export mangled the text are repaired by the
explicit tables below, each with the reason.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest

from wildwatch.lexicon import NAMING_KINDS, Lexicon, TermKind, load_lexicon
from wildwatch.text import normalize_text

SEED_FILE = Path(__file__).resolve().parent.parent / "data" / "seed_coalition_keywords.txt"

#: Table headings on the slides and the lexicon group each one is about.
SECTION_GROUPS = {
    "Elephant": "elephant",
    "Rhino": "rhino",
    # The pangolin table is headed "Penguin" on the slide: a slip for "Pangolin" (its terms are
    # scaly anteater, Chuan Shan Jia, Squama manitis and #pangolin... hashtags).
    "Penguin": "pangolin",
    "Bear": "bear",
    "Marine": "marine_turtle",
    "Big Cat": "big_cat",
}

#: Whole cells that the export split or garbled, and what the slide meant.
CELL_REPAIRS = {
    # "Chuan Shan" and "ja" are one word broken over two rows: Chuan Shan Jia (穿山甲).
    "ja": "Chuan Shan Jia",
}

#: Text inside a cell that the export garbled, and what the slide meant.
TEXT_REPAIRS = {
    # A stray space inside the hashtag; a hashtag cannot hold a space.
    "#ivoryfor sale": "#ivoryforsale",
}

#: "(ed)" and "(s)" are endings of the word before them; any other "(word)" is an alternate.
SUFFIXES = frozenset({"ed", "s"})

_MARKUP = re.compile(r"<[^>]+>")  # the export kept underline tags: "<u>Likatan cup</u>"
_HASHTAG = re.compile(r"#\w+")
_PAREN = re.compile(r"\(\s*([^()]+?)\s*\)")
_ASSOCIATED_INTRO = "Below are search terms that may be associated"


def expand(phrase: str) -> list[str]:
    """All readings of one search phrase: "a/ b c" and "word (alt)" become separate terms."""
    phrase = " ".join(phrase.split())
    if not phrase:
        return []
    paren = _PAREN.search(phrase)
    if paren:
        before, inside, after = phrase[: paren.start()], paren.group(1), phrase[paren.end() :]
        if inside in SUFFIXES:
            readings = [before.rstrip() + after, before.rstrip() + inside + after]
        else:
            readings = [before + after, inside]
        return [term for reading in readings for term in expand(reading)]
    if "/" in phrase:
        left, right = (part.split() for part in phrase.split("/", 1))
        if len(left) == 1:  # "antique/ vintage billiard ball": the first word alternates
            readings = [" ".join(left + right[1:]), " ".join(right)]
        else:  # "antique bone/ poker chips": the last word alternates with the right side
            readings = [" ".join(left), " ".join(left[:-1] + right)]
        return [term for reading in readings for term in expand(reading)]
    return [phrase]


def cell_terms(cell: str) -> list[str]:
    """Search words and hashtags of one table cell."""
    cell = _MARKUP.sub("", cell).strip()
    cell = CELL_REPAIRS.get(cell, cell)
    for garbled, meant in TEXT_REPAIRS.items():
        cell = cell.replace(garbled, meant)
    hashtags = _HASHTAG.findall(cell)
    words = _HASHTAG.sub(" ", cell)
    return expand(words) + hashtags


def parse_seed(text: str) -> dict[str, list[str]]:
    """Seed terms by lexicon group, in slide order (a term repeated in any case is kept once)."""
    lines = text.splitlines()
    found: dict[str, dict[str, str]] = defaultdict(dict)
    index = 0
    while index < len(lines):
        heading = lines[index].strip()
        following = next((line for line in lines[index + 1 :] if line.strip()), "")
        if heading not in SECTION_GROUPS or not following.startswith("Search Words"):
            index += 1
            continue
        group = SECTION_GROUPS[heading]
        index = lines.index(following, index + 1) + 1
        while index < len(lines) and lines[index].strip():  # table rows end at a blank line
            for cell in lines[index].split("\t"):
                for term in cell_terms(cell):
                    found[group].setdefault(term.casefold(), term)
            index += 1
        while index < len(lines) and not lines[index].strip():
            index += 1
        if index < len(lines) and lines[index].startswith(_ASSOCIATED_INTRO):
            for item in lines[index + 1].split(","):
                for term in cell_terms(item):
                    found[group].setdefault(term.casefold(), term)
            index += 2
    return {group: list(terms.values()) for group, terms in found.items()}


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return load_lexicon()


@pytest.fixture(scope="module")
def seed_terms() -> dict[str, list[str]]:
    return parse_seed(SEED_FILE.read_text(encoding="utf-8"))


def test_the_parser_reads_the_real_slides(seed_terms: dict[str, list[str]]) -> None:
    assert sorted(seed_terms) == sorted(SECTION_GROUPS.values())
    assert sum(map(len, seed_terms.values())) >= 250
    found = {group: {term.casefold() for term in terms} for group, terms in seed_terms.items()}
    # Spot checks of each rule, so a broken parser cannot pass by finding nothing.
    elephant_rules = {
        "three columns flattened into two": {"african ivory", "ivy", "#carvedivory"},
        "'(ed)' is an ending": {"ivory color", "ivory colored", "natural grained"},
        "'a/ b c': the first word alternates": {"antique billiard ball", "vintage billiard ball"},
        "'a b/ c': the last word alternates": {"antique bone", "antique poker chips"},
        "repair: '#ivoryfor sale'": {"#ivoryforsale"},
    }
    for rule, expected in elephant_rules.items():
        assert expected <= found["elephant"], rule
    assert "#ivoryfor" not in found["elephant"]
    assert {"likatan cup", "skin", "vel", "hair", "hare", "bone", "bones", "been"} <= found["rhino"]
    assert {"chuan shan", "chuan shan jia", "nocnaboots"} <= found["pangolin"]
    assert "ja" not in found["pangolin"]
    assert {"fur", "pelt", "rug", "mat", "gall bladder"} <= found["bear"]
    assert {"gall bladder", "vinatge tortoiseshell", "oskik"} <= found["marine_turtle"]
    assert {"tigers", "leopard", "lions", "#tigerseife"} <= found["big_cat"]


def test_every_seed_term_is_in_its_group(
    lexicon: Lexicon, seed_terms: dict[str, list[str]]
) -> None:
    missing = [
        f"{group}: {term!r}"
        for group, terms in seed_terms.items()
        for term in terms
        if not any(found.group == group for found in lexicon.lookup(term))
    ]
    assert not missing, f"{len(missing)} seed terms missing from their group:\n" + "\n".join(
        missing
    )


@pytest.mark.parametrize(
    ("seen", "meant", "group"),
    [
        ("vinatge tortoiseshell", "vintage tortoiseshell", "marine_turtle"),
        ("vinatge leather", "vintage leather", "marine_turtle"),
        ("oskik", "oosik", "marine_turtle"),
        ("netsuki", "netsuke", "elephant"),
        ("carved Chinese faus", "carved chinese faux", "elephant"),
        ("#tigerseife", "#tigerselfie", "big_cat"),
        ("#leopardcounter", "#leopardencounter", "big_cat"),
        ("nocnaboots", "nocona boots", "pangolin"),
        ("Nocna anteater", "nocona anteater", "pangolin"),
        ("Likatan cup", "libation cup", "rhino"),
        ("Angong Niuhang Pill", "angong niuhuang pill", "rhino"),
        ("Chuan Shan", "chuan shan jia", "pangolin"),
        ("hare", "haar", "bear"),
    ],
)
def test_misspellings_are_variants_of_the_corrected_term(
    lexicon: Lexicon, seen: str, meant: str, group: str
) -> None:
    variants = [term for term in lexicon.lookup(seen) if term.group == group]
    assert any(term.variant_of == meant for term in variants), (seen, variants)


@pytest.mark.parametrize("group", sorted(SECTION_GROUPS.values()))
def test_each_seed_group_has_names_in_at_least_eight_languages(
    lexicon: Lexicon, group: str
) -> None:
    # Count languages, not scripts: zh-Hans, zh-Hant and zh-Latn are all Chinese.
    languages = {
        term.lang.split("-")[0]
        for term in lexicon.groups[group].terms
        if term.kind in NAMING_KINDS and term.lang != "zxx"
    }
    assert len(languages) >= 8, sorted(languages)


def test_every_term_says_where_it_comes_from(lexicon: Lexicon) -> None:
    unsourced = [
        f"{term.file}:{term.line}: {term.text}"
        for term in lexicon.terms
        if not term.source and not term.note
    ]
    assert not unsourced, "terms with neither a source nor a note:\n" + "\n".join(unsourced)


def test_no_group_gives_one_text_two_meanings(lexicon: Lexicon) -> None:
    # The detector keeps one term per group per normalised text, so a second reading
    # (say "bone" as both associated and benign) would be silently dropped.
    clashes = []
    for group in lexicon.groups.values():
        seen: dict[str, tuple[TermKind, float, str]] = {}
        for term in group.terms:
            form = normalize_text(term.text).strip()
            first = seen.setdefault(form, (term.kind, term.weight, term.text))
            if first[:2] != (term.kind, term.weight):
                clashes.append(f"{group.id}: {first[2]!r} vs {term.text!r}")
    assert not clashes, "\n".join(clashes)


def test_hashtags_are_written_lower_case(lexicon: Lexicon) -> None:
    upper = [
        term.text
        for term in lexicon.terms
        if term.kind is TermKind.HASHTAG and term.text != term.text.lower()
    ]
    assert not upper, upper
