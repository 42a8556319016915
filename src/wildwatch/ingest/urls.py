"""A listing's URL made comparable: the same listing, however it was copied, has one key.

People copy a listing's address from the address bar, a share button or an app: with or without
``www.``, with a fragment, with tracking parameters (``utm_*``, ``fbclid``, Taobao's ``spm``).
:func:`canonical_listing_url` removes those differences; :func:`listing_url_key` hashes the result
to a fixed-size key the store can index (``listing_urls``), so a spotter's report of a URL finds
the post a platform sent, in one indexed look-up.
"""

from __future__ import annotations

import hashlib
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

#: Query parameters that say how someone reached a page, not which page it is.
TRACKING_PARAMETERS = frozenset({
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "igshid", "igsh",
    "mc_cid", "mc_eid", "ref", "ref_src", "ref_url", "referrer", "si", "spm", "scm",
    "share_id", "shareid", "share_source", "_ga", "_gl", "sms_ss", "trk", "trkid",
    "mibextid",
})
TRACKING_PREFIXES = ("utm_", "pk_", "hsa_", "mtm_")
MAX_URL = 2048


class ListingUrlError(ValueError):
    """Not a web address of a listing; the message says why."""


def canonical_listing_url(url: str) -> str:
    """``url`` in one canonical form: https, lower-case host without ``www.``, no user name,
    default port, fragment or tracking parameters; other parameters sorted; no trailing ``/``.

    Raises :class:`ListingUrlError` for anything but an http(s) address with a host.
    """
    text = url.strip()
    if not text:
        raise ListingUrlError("the address is empty")
    if len(text) > MAX_URL:
        raise ListingUrlError(f"the address is longer than {MAX_URL} characters")
    if "://" not in text and text.lower().startswith("www."):
        text = "https://" + text
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise ListingUrlError(f"the address cannot be read ({exc})") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise ListingUrlError("a listing's address starts with https:// or http://")
    host = (parts.hostname or "").rstrip(".")
    if not host or any(c.isspace() for c in host):
        raise ListingUrlError("the address names no web site")
    host = host.removeprefix("www.")
    if ":" in host:
        host = f"[{host}]"  # an IPv6 address
    netloc = host if port in (None, 80, 443) else f"{host}:{port}"
    query = sorted((key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True)
                   if not _tracking(key))
    path = parts.path.rstrip("/") if parts.path not in ("", "/") else ""
    return urlunsplit(("https", netloc, path, urlencode(query), ""))


def listing_url_key(url: str) -> str | None:
    """A 64-character key for ``url``'s canonical form, or None when it is not a web address."""
    try:
        canonical = canonical_listing_url(url)
    except ListingUrlError:
        return None
    return hashlib.sha256(canonical.encode()).hexdigest()


def _tracking(key: str) -> bool:
    lowered = key.lower()
    return lowered in TRACKING_PARAMETERS or lowered.startswith(TRACKING_PREFIXES)


__all__ = ["ListingUrlError", "canonical_listing_url", "listing_url_key"]
