"""Listing URLs made comparable: the same listing copied any way has one key."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wildwatch.ingest.urls import ListingUrlError, canonical_listing_url, listing_url_key

SAME = [
    "https://shop.example/item/42",
    "HTTPS://WWW.Shop.Example/item/42",
    "http://shop.example/item/42/",
    "https://shop.example:443/item/42#photos",
    "https://user@shop.example/item/42?utm_source=share&utm_campaign=x",
    "https://shop.example/item/42?fbclid=IwAR0&gclid=1&spm=a2.b",
    "www.shop.example/item/42",
]


@pytest.mark.parametrize("url", SAME)
def test_copies_of_one_listing_have_one_form(url: str) -> None:
    assert canonical_listing_url(url) == "https://shop.example/item/42"
    assert listing_url_key(url) == listing_url_key(SAME[0])


def test_parameters_that_name_the_listing_stay_in_order() -> None:
    assert canonical_listing_url("https://shop.example/view?id=2&cat=7&utm_medium=x") == \
        "https://shop.example/view?cat=7&id=2"
    assert listing_url_key("https://shop.example/view?id=2") != \
        listing_url_key("https://shop.example/view?id=3")
    assert canonical_listing_url("https://shop.example:8443/a") == "https://shop.example:8443/a"


@pytest.mark.parametrize("url", ["", "javascript:alert(1)", "data:text/html,<b>x</b>",
                                 "ftp://shop.example/x", "https://", "https://exa mple.com/x",
                                 "https://shop.example:99999/x", "https://" + "a" * 2100])
def test_what_is_not_a_web_address_is_refused(url: str) -> None:
    with pytest.raises(ListingUrlError):
        canonical_listing_url(url)
    assert listing_url_key(url) is None


@given(st.text(max_size=300))
def test_any_text_is_a_url_or_a_clear_refusal(text: str) -> None:
    try:
        canonical = canonical_listing_url(text)
    except ListingUrlError:
        return
    assert canonical.startswith("https://")
    assert canonical_listing_url(canonical) == canonical


@given(st.from_regex(r"https?://[a-z]{1,10}\.[a-z]{2,4}(/[A-Za-z0-9_%-]{0,12}){0,3}"
                     r"(\?([a-z]{1,6}=[A-Za-z0-9]{0,6}&?){0,4})?", fullmatch=True))
def test_canonical_forms_are_fixed_points(url: str) -> None:
    canonical = canonical_listing_url(url)
    assert canonical_listing_url(canonical) == canonical
    assert listing_url_key(canonical) == listing_url_key(url)
