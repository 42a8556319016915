"""The search-box check: the table of queries, the query rules and messages as data (errors
against golden files), locale fallback, counts written to the store on both backends, and
hypothesis: any text gets an answer."""

from __future__ import annotations

import functools
import os
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests_support import detector_for
from wildwatch.engage.messages import (
    MessagesError,
    default_messages_dir,
    load_messages,
)
from wildwatch.engage.search import (
    SearchAction,
    SearchChecker,
    SearchRulesError,
    _light_normalize,
    default_search_rules_path,
    load_search_rules,
    safe_return_url,
)
from wildwatch.engage.search_counts import (
    CountFlusher,
    SearchCounter,
    TrendBy,
    search_trends,
)
from wildwatch.policy import Policy, load_policy
from wildwatch.server.service import Service

GOLDEN = Path(__file__).parent.parent / "golden"
LOCALES = ("en", "zh-Hans", "zh-Hant", "vi", "th", "id", "es", "fr", "pt")


@functools.cache
def policy() -> Policy:
    return load_policy(lexicon=detector_for("aho-corasick").lexicon)


@functools.cache
def checker() -> SearchChecker:
    """A checker on the shipped lexicon, policy, rules and messages, without counting."""
    return SearchChecker.for_detector(detector_for("aho-corasick"), policy())


def category_ids() -> list[str]:
    return [category.id for category in policy().categories]


# --- The table of queries -----------------------------------------------------------------------

QUERIES = [
    # (query, locale, action, group)
    ("elephant", None, SearchAction.ALLOW, "elephant"),
    ("tiger shirt", None, SearchAction.ALLOW, "big_cat"),
    ("lion and tiger", None, SearchAction.ALLOW, "big_cat"),
    ("running shoes", None, SearchAction.ALLOW, None),
    ("", None, SearchAction.ALLOW, None),
    ("ivory bangle", None, SearchAction.WARN, "elephant"),
    ("Ivory   BANGLES", None, SearchAction.WARN, "elephant"),
    ("1v0ry bangle", None, SearchAction.WARN, "elephant"),
    ("i.v.o.r.y", None, SearchAction.WARN, "elephant"),
    ("象牙", "zh-CN", SearchAction.WARN, "elephant"),
    ("象 牙", "zh-CN", SearchAction.WARN, "elephant"),
    ("象牙手镯", "zh-CN", SearchAction.WARN, "elephant"),
    ("tiger claw", None, SearchAction.WARN, "big_cat"),
    ("bear bile", None, SearchAction.WARN, "bear"),
    # Vietnamese, with and without diacritics
    ("ngà voi", "vi", SearchAction.WARN, "elephant"),
    ("nga voi", "vi", SearchAction.WARN, "elephant"),
    ("sừng tê giác", "vi", SearchAction.WARN, "rhino"),
    ("sung te giac", "vi", SearchAction.WARN, "rhino"),
    ("gading gajah", "id", SearchAction.WARN, "elephant"),
    # code words block alone; in a longer search they warn; light ones are ordinary words
    ("white plastic", None, SearchAction.BLOCK, "elephant"),
    ("authentic ivory", None, SearchAction.BLOCK, "elephant"),
    ("lekko", None, SearchAction.BLOCK, "marine_turtle"),
    ("white plastic chair", None, SearchAction.WARN, "elephant"),
    ("jelly", None, SearchAction.ALLOW, "elephant"),
    ("ox bone soup", None, SearchAction.ALLOW, "elephant"),
    # benign context
    ("ivory white dress", None, SearchAction.ALLOW, None),
    ("ivory tower", None, SearchAction.ALLOW, None),
    ("tiger balm", None, SearchAction.ALLOW, None),
    ("象牙白", "zh-CN", SearchAction.ALLOW, None),
    # hashtags: with or without '#', light tags only beside another signal
    ("#ivoryforsale", None, SearchAction.WARN, "elephant"),
    ("#tigerselfie", None, SearchAction.WARN, "big_cat"),
    ("tigerselfie", None, SearchAction.WARN, "big_cat"),
    ("#tigerlove", None, SearchAction.ALLOW, "big_cat"),
    # emoji: weak alone, a warning beside another signal
    ("🐯", None, SearchAction.ALLOW, "big_cat"),
    ("🐯 claw", None, SearchAction.WARN, "big_cat"),
    # CITES Appendix I throughout: products go to the awareness page
    ("pangolin scales", "th", SearchAction.REDIRECT, "pangolin"),
    ("穿山甲片", "zh-CN", SearchAction.REDIRECT, "pangolin"),
]


@pytest.mark.parametrize(("query", "locale", "action", "group"), QUERIES,
                         ids=[q or "<empty>" for q, *_ in QUERIES])
def test_queries(query: str, locale: str | None, action: SearchAction,
                 group: str | None) -> None:
    result = checker().check(query, locale)
    assert (result.action, result.group) == (action, group), result
    if action is SearchAction.ALLOW:
        assert result.message is None and result.learn_more_url is None
    else:
        assert result.message is not None and result.learn_more_url
        assert result.learn_more_url == result.message.learn_more_url
        assert (result.message.show_results is not None) == (action is SearchAction.WARN)


def test_the_result_says_what_decided_and_how_the_query_read() -> None:
    result = checker().check("1v0ry Bangle", "vi-VN")
    assert result.term == "ivory bangle" and result.category == "ivory"
    assert result.query == "ivory bangle" and result.locale == "vi"
    assert result.message is not None
    assert result.message.title == "Buôn bán ngà voi gây hại cho loài voi"
    assert result.message.show_results == "Vẫn hiển thị kết quả"


def test_a_platform_override_applies_only_there() -> None:
    assert checker().check("white plastic").action is SearchAction.BLOCK
    assert checker().check("white plastic", platform="example-marketplace").action \
        is SearchAction.WARN
    assert checker().check("white plastic", platform="elsewhere").action is SearchAction.BLOCK


def test_the_same_query_is_answered_from_the_cache_identically() -> None:
    fresh = SearchChecker.for_detector(detector_for("aho-corasick"), policy(), cache_size=2)
    first = fresh.check("ivory bangle", "fr")
    assert fresh.check("ivory bangle", "fr") is first
    fresh.check("a", "fr")
    fresh.check("b", "fr")  # evicts "ivory bangle"
    assert fresh.check("ivory bangle", "fr") == first


def test_a_rebuilt_checker_keeps_rules_messages_and_counter() -> None:
    counter = SearchCounter()
    old = SearchChecker.for_detector(detector_for("aho-corasick"), policy(), counter=counter)
    new = old.with_detector(detector_for("aho-corasick"))
    assert new is not old and new.counter is counter and new.rules is old.rules
    assert new.check("ivory bangle").action is SearchAction.WARN


# --- The light normalisation path gives the normaliser's answer ----------------------------------

_PLAIN_QUERIES = st.text(alphabet="abcdefghiklmnoprstuvyIVORYBANGLE  0123456789", max_size=40)


@given(_PLAIN_QUERIES)
def test_the_light_path_agrees_with_the_normaliser(query: str) -> None:
    light = _light_normalize(query)
    if light is not None:
        full = " ".join(checker().normalizer.normalize(query).split())
        assert light == full


@given(st.text(max_size=200), st.none() | st.text(max_size=40),
       st.none() | st.sampled_from(["example-marketplace", "shopco"]) | st.text(max_size=20))
def test_any_text_gets_a_valid_answer(query: str, locale: str | None,
                                      platform: str | None) -> None:
    counter = SearchCounter()
    result = checker().check(query, locale, platform, count=False)
    counter.add(platform, locale, result, result.query if result.term else "")
    assert sum(row["checks"] for row in counter.drain()) == 1
    assert result.action in SearchAction
    assert result.locale in LOCALES
    assert (result.message is None) == (result.action is SearchAction.ALLOW)


def test_a_very_long_query_is_checked_on_its_start() -> None:
    result = checker().check("ivory bangle " + "x" * 100_000)
    assert result.action is SearchAction.WARN and len(result.query) <= 600


# --- Messages ------------------------------------------------------------------------------------


def test_every_locale_has_every_message_and_every_category_one() -> None:
    messages = checker().messages
    assert set(LOCALES) <= set(messages.locales)
    assert messages.keys == set(category_ids()) | {"generic"}
    for locale in messages.locales.values():
        assert set(locale.texts) == messages.keys
        for text in locale.texts.values():
            assert text.title and text.body and text.learn_more_url.startswith("https://")


@pytest.mark.parametrize(("tag", "locale"), [
    ("zh-TW", "zh-Hant"), ("zh-HK", "zh-Hant"), ("zh_MO", "zh-Hant"), ("zh-Hant", "zh-Hant"),
    ("zh", "zh-Hans"), ("zh-CN", "zh-Hans"), ("zh-SG", "zh-Hans"), ("zh-Hans-HK", "zh-Hans"),
    ("pt-BR", "pt"), ("PT-pt", "pt"), ("vi-VN", "vi"), ("es-419", "es"), ("fr-CA", "fr"),
    ("th", "th"), ("id-ID", "id"), ("en-GB", "en"), ("de-DE", "en"), ("", "en"), (None, "en"),
    ("klingon", "en"), ("<script>", "en"),
])
def test_locale_fallback(tag: str | None, locale: str) -> None:
    assert checker().messages.resolve_locale(tag) == locale


def _messages_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "messages"
    shutil.copytree(default_messages_dir(), folder)
    return folder


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


BAD_MESSAGES = {
    "missing_key": ("vi.yaml", "  saiga:\n", "  saigas:\n"),
    "extra_key": ("fr.yaml", "  generic:\n", "  generique:\n    title: x\n    body: y\n"
                  "    learn_more_url: https://cites.org/eng/disc/what.php\n  generic:\n"),
    "missing_body": ("th.yaml", "    body: แรดถูกฆ่า", "    bodi: แรดถูกฆ่า"),
    "bad_url": ("es.yaml", "learn_more_url: https://www.worldwildlife.org/species/rhino",
                "learn_more_url: javascript:alert(1)"),
    "missing_button": ("pt.yaml", "  show_results: Mostrar resultados mesmo assim\n", ""),
    "wrong_locale": ("id.yaml", "locale: id\n", "locale: ms\n"),
    "not_yaml": ("en.yaml", "  ivory:\n    title:", "  ivory:\n   title: [\n    title:"),
}


@pytest.mark.parametrize("case", sorted(BAD_MESSAGES))
def test_message_errors_name_file_line_and_fix(case: str, tmp_path: Path) -> None:
    folder = _messages_copy(tmp_path)
    name, old, new = BAD_MESSAGES[case]
    _edit(folder / name, old, new)
    with pytest.raises(MessagesError) as caught:
        load_messages(folder, categories=category_ids())
    _golden(f"search_messages_{case}", str(caught.value).replace(str(tmp_path), "<dir>"))


def test_a_message_for_an_unknown_category_is_an_error(tmp_path: Path) -> None:
    folder = _messages_copy(tmp_path)
    with pytest.raises(MessagesError) as caught:
        load_messages(folder, categories=["ivory"])
    _golden("search_messages_unknown_category",
            str(caught.value).replace(str(tmp_path), "<dir>"))


# --- Query rules ---------------------------------------------------------------------------------

BAD_RULES = {
    "unknown_action": ("  product:    {action: warn}", "  product:    {action: warning}"),
    "unknown_kind": ("  emoji:      {action: allow, with_signal: warn}",
                     "  emojis:     {action: allow, with_signal: warn}"),
    "missing_action": ("  part:       {action: warn}", "  part:       {min_weight: 0.2}"),
    "bad_weight": ("min_weight: 0.6", "min_weight: 6"),
    "unknown_category": ("  pangolin:          {product: redirect, part: redirect}",
                         "  pangolins:         {product: redirect, part: redirect}"),
    "unknown_signal": ("signals: [product, part,", "signals: [products, part,"),
    "bad_host": ("return_hosts: [shop.example.com]",
                 "return_hosts: [https://shop.example.com/]"),
    "unknown_key": ("  example-marketplace:        # an example to copy, not a real platform\n",
                    "  example-marketplace:\n    colour: red\n"),
}


@pytest.mark.parametrize("case", sorted(BAD_RULES))
def test_rule_errors_name_file_line_and_fix(case: str, tmp_path: Path) -> None:
    path = tmp_path / "search.yaml"
    shutil.copy(default_search_rules_path(), path)
    _edit(path, *BAD_RULES[case])
    with pytest.raises(SearchRulesError) as caught:
        load_search_rules(path, categories=category_ids())
    _golden(f"search_rules_{case}", str(caught.value).replace(str(tmp_path), "<dir>"))


def _golden(name: str, message: str) -> None:
    assert message.startswith("<dir>/") and ". Fix: " in message, message
    golden = GOLDEN / f"{name}.txt"
    if os.environ.get("WILDWATCH_UPDATE_GOLDEN"):
        golden.write_text(message + "\n", encoding="utf-8")
    assert message == golden.read_text(encoding="utf-8").strip()


# --- Links the interstitial may follow -----------------------------------------------------------


@pytest.mark.parametrize(("url", "safe"), [
    ("/search?q=ivory", True),
    ("/", True),
    ("https://shop.example.com/search?q=x", True),
    ("http://shop.example.com:8080/", False),
    ("https://shop.example.com.evil.example/", False),
    ("https://evil.example/", False),
    ("//evil.example/", False),
    ("/\\evil.example", False),
    ("javascript:alert(1)", False),
    ("JAVASCRIPT:alert(1)", False),
    ("data:text/html,<script>alert(1)</script>", False),
    ("https://user:pw@shop.example.com/", False),
    ("/search\n?q=1", False),
    ("", False),
    (None, False),
    ("search", False),
])
def test_return_urls(url: str | None, safe: bool) -> None:
    answer = safe_return_url(url, frozenset({"shop.example.com"}))
    assert (answer is not None and answer == url) is safe
    assert safe_return_url(url, frozenset()) in (None, url)


# --- Counting, on SQLite and PostgreSQL ----------------------------------------------------------


def test_checks_are_counted_and_flushed_to_the_store(service: Service) -> None:
    search = service.search
    assert search.counter is not None
    for _ in range(3):
        search.check("Ivory bangle", "vi-VN", "shopco")
    search.check("1v0ry bangle", "vi-VN", "shopco")  # the same normalised query
    search.check("lekko", "zh-TW", "shopco")
    search.check("running shoes", "en", "shopco")
    search.check("my neighbour john@example.com", "en", "other")
    search.check("ivory bangle call 0912345678", "en", "other")
    search.check("ivory bangle", "vi", "shopco", count=False)
    flusher = CountFlusher(search.counter, service.database)
    assert flusher.flush() > 0
    assert search.counter.pending() == 0
    search.check("ivory bangle", "vi-VN", "shopco")
    flusher.close()  # writes the rest; adds to the row already there

    by_query = {row.key: row for row in search_trends(service.database, TrendBy.QUERY)}
    assert by_query["ivory bangle"].checks == 5 and by_query["ivory bangle"].warned == 5
    assert by_query["leko"].blocked == 1
    assert "ivory bangle cal …" in by_query  # "call": repeated letters squeezed
    assert not any("0912345678" in key or "john" in key for key in by_query)
    assert "running shoes" not in by_query  # no listed term: counted, never stored as typed
    by_locale = {row.key: row.checks for row in search_trends(service.database, TrendBy.LOCALE)}
    assert by_locale == {"vi-VN": 5, "zh-TW": 1, "en": 3}
    by_platform = {row.key: row.checks
                   for row in search_trends(service.database, TrendBy.PLATFORM)}
    assert by_platform == {"shopco": 7, "other": 2}
    species = search_trends(service.database, TrendBy.SPECIES, platform="shopco")
    assert [(row.key, row.checks) for row in species] == [("elephant", 5), ("marine_turtle", 1)]
    terms = {row.key: row.checks for row in search_trends(service.database, TrendBy.TERM)}
    assert terms == {"ivory bangle": 6, "lekko": 1}
    days = search_trends(service.database, TrendBy.DAY)
    assert [row.checks for row in days] == [9]
    assert days[0].key == datetime.now(UTC).strftime("%Y-%m-%d")
    hours = search_trends(service.database, TrendBy.HOUR)
    assert sum(row.checks for row in hours) == 9 and hours[0].key.endswith(":00Z")
    later = datetime.now(UTC).replace(tzinfo=None) + timedelta(hours=2)
    assert search_trends(service.database, TrendBy.TERM, since=later) == []


def test_a_failed_write_keeps_the_counts(service: Service) -> None:
    counter = SearchCounter()
    counter.add("shopco", "vi", checker().check("ivory bangle", count=False), "ivory bangle", 4)
    broken = CountFlusher(counter, _BrokenDatabase())  # type: ignore[arg-type]
    with pytest.raises(RuntimeError):
        broken.flush()
    assert counter.pending() == 4
    CountFlusher(counter, service.database).flush()
    rows = search_trends(service.database, TrendBy.QUERY)
    assert [(row.key, row.checks) for row in rows] == [("ivory bangle", 4)]


class _BrokenDatabase:
    dialect = "sqlite"

    def write(self) -> None:
        raise RuntimeError("the store is down")


def test_the_counter_stays_bounded() -> None:
    counter = SearchCounter(max_pending=3)
    result = checker().check("ivory bangle", count=False)
    for index in range(10):
        counter.add("p", "en", result, f"ivory bangle {index}")
    rows = counter.drain()
    assert len(rows) == 4 and sum(row["checks"] for row in rows) == 10
    assert rows[0]["query"] == "" and rows[0]["checks"] == 7
