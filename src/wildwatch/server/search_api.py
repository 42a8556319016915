"""The search box, served: ``POST /v1/search/check`` in front of a platform's search, the
trends analysts read, and the hosted interstitial page (public) a platform can send people to.

``router`` holds all three and runs the search-count flusher for the app's lifetime. The check
is the hot path: it decodes its body with msgspec, runs on the event loop (it never waits on
I/O), and remembers API keys for :data:`KEY_CACHE_SECONDS`, so a check costs no database
round trip. See docs/engaging-users.md.
"""

from __future__ import annotations

import gc
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import jinja2
import msgspec
from fastapi import APIRouter, Depends, FastAPI, HTTPException, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool

from wildwatch.engage.search import MAX_QUERY_CHARS, SearchAction, safe_return_url
from wildwatch.engage.search_counts import CountFlusher, TrendBy, search_trends
from wildwatch.server.access import Permission, Principal
from wildwatch.server.api import (
    DateTimeText,
    _scope,
    api_key_header,
    guarded,
    json_response,
    principal,
    require,
    service,
)

#: How long a checked API key is trusted by the search check without asking the store again:
#: revoking a key stops its search checks within this time (every other route at once).
KEY_CACHE_SECONDS = 10.0
_KEY_CACHE_SIZE = 10_000
_TEMPLATES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=True, trim_blocks=True, lstrip_blocks=True)


class SearchCheckIn(msgspec.Struct, forbid_unknown_fields=True):
    """A query as the person typed it, their language and the platform they search on."""

    query: Annotated[str, msgspec.Meta(max_length=4 * MAX_QUERY_CHARS)]
    locale: Annotated[str, msgspec.Meta(max_length=35)] | None = None
    platform: Annotated[str, msgspec.Meta(max_length=64)] | None = None


_DECODER = msgspec.json.Decoder(SearchCheckIn)
_ENCODER = msgspec.json.Encoder()
# Flat: its schema has no references, so it can stand inline in the OpenAPI document.
_BODY_SCHEMA = msgspec.json.schema_components([SearchCheckIn])[1]["SearchCheckIn"]


@asynccontextmanager
async def _search_lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Build the checker before the first search, write search counts every few seconds while
    the app runs and once more at shutdown, and keep what was loaded at start-up out of the
    cyclic garbage collector's way while the app runs."""
    svc = app.state.service
    counter = svc.search.counter
    flusher = CountFlusher(counter, svc.database).start() if counter is not None else None
    # The detector, lexicon and model live as long as the app. Frozen, they are not walked by
    # every full collection, which otherwise stops the event loop for ~100 ms now and then
    # (measured: benchmarks/results/search-*.md).
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
        if flusher is not None:
            await run_in_threadpool(flusher.close)


router = APIRouter(lifespan=_search_lifespan)
api = APIRouter(prefix="/v1")
pages = APIRouter()


async def search_caller(request: Request,
                        key: Annotated[str | None, Depends(api_key_header)]) -> Principal:
    """The caller, as :func:`wildwatch.server.api.principal` finds it, with API keys remembered
    for :data:`KEY_CACHE_SECONDS`; 403 without the search:check permission."""
    caller: Principal | None = None
    cache: dict[str, tuple[Principal, float]] | None = None
    now = time.monotonic()
    if key:
        cache = getattr(request.app.state, "search_keys", None)
        if cache is None:
            cache = request.app.state.search_keys = {}
        hit = cache.get(key)
        if hit is not None and hit[1] > now:
            caller = hit[0]
    if caller is None:
        caller = await run_in_threadpool(principal, request, key)
        if cache is not None and key:
            if len(cache) >= _KEY_CACHE_SIZE:
                cache.clear()
            cache[key] = (caller, now + KEY_CACHE_SECONDS)
    if not caller.may(Permission.SEARCH_CHECK):
        raise HTTPException(403, f"the role {caller.role.value!r} may not "
                            f"{Permission.SEARCH_CHECK.value.replace(':', ' ')}")
    return caller


@guarded(api, "POST", "/search/check", Permission.SEARCH_CHECK,
         summary="What the search box should do with a query: allow, warn, redirect or block, "
                 "with the awareness message in the person's language")
async def post_search_check(request: Request,
                            caller: Annotated[Principal, Depends(search_caller)]) -> Response:
    """Body: ``{"query": "...", "locale": "vi", "platform": "shopco"}`` (locale and platform
    optional; an integration key's own platform always applies). Answer: ``action``,
    ``group``, ``category``, ``term``, ``message`` (title, body, note and button labels;
    ``show_results`` is null where results may not be shown), ``learn_more_url``, ``locale``
    (the one used) and ``query`` (normalised). Every check is counted, without the caller."""
    try:
        body = _DECODER.decode(await request.body())
    except msgspec.DecodeError as exc:
        raise HTTPException(422, f"invalid search check: {exc}") from None
    platform = _scope(caller, body.platform)
    result = service(request).search.check(body.query, body.locale, platform)
    return Response(_ENCODER.encode(result), media_type="application/json")


# The body is read by msgspec, not FastAPI: document it by hand.
api.routes[-1].openapi_extra.update({  # type: ignore[attr-defined]
    "requestBody": {"required": True,
                    "content": {"application/json": {"schema": _BODY_SCHEMA}}}})


@guarded(api, "GET", "/search/trends", Permission.SEARCH_TRENDS,
         summary="Counted search checks grouped by query, term, species, platform, locale, "
                 "action, hour or day")
def get_search_trends(request: Request,
                      caller: Annotated[Principal, Depends(require(Permission.SEARCH_TRENDS))],
                      by: TrendBy = TrendBy.TERM,
                      since: DateTimeText | None = None, until: DateTimeText | None = None,
                      platform: Annotated[str | None, Query(max_length=64)] = None,
                      species: Annotated[str | None, Query(max_length=64)] = None,
                      locale: Annotated[str | None, Query(max_length=16)] = None,
                      limit: Annotated[int, Query(ge=1, le=1000)] = 50) -> Response:
    """Rows ``{key, checks, warned, redirected, blocked}``, most checked first (for ``hour``
    and ``day``: in time order), over the last 7 days unless ``since``/``until`` (UTC) say
    otherwise. Counts of this process are written first; other workers' within seconds."""
    svc = service(request)
    if svc.search.counter is not None:  # this process's counts, now
        CountFlusher(svc.search.counter, svc.database).flush()
    rows = search_trends(svc.database, by, since=_naive(since), until=_naive(until),
                         platform=_scope(caller, platform), species=species, locale=locale,
                         limit=limit)
    return json_response({"by": by.value, "rows": rows})


@pages.get("/interstitial", include_in_schema=False, response_class=HTMLResponse)
def interstitial(request: Request,
                 query: Annotated[str, Query(max_length=4 * MAX_QUERY_CHARS)] = "",
                 locale: Annotated[str | None, Query(max_length=35)] = None,
                 platform: Annotated[str | None, Query(max_length=64)] = None,
                 return_url: Annotated[str | None, Query(alias="return", max_length=2048)] = None,
                 results: Annotated[str | None, Query(max_length=2048)] = None) -> Response:
    """The hosted interstitial (public: a platform links people here). The action is worked
    out again here, never taken from the link, so "show results anyway" appears only where the
    rules allow it. ``return`` and ``results`` must be paths on this site or addresses on the
    platform's ``return_hosts``; any other is left out."""
    checker = service(request).search
    chosen = locale or _accepted_language(request.headers.get("accept-language"))
    result = checker.check(query, chosen, platform, count=False)  # counted when it was asked
    hosts = checker.return_hosts(platform)
    back = safe_return_url(return_url, hosts)
    onward = safe_return_url(results, hosts)
    if result.message is None:
        target = onward or back
        return RedirectResponse(target, 303) if target else Response(status_code=204)
    page = _TEMPLATES.get_template("interstitial.html").render(
        locale=result.locale, message=result.message, query=query,
        back_url=back, results_url=onward if result.action is SearchAction.WARN else None,
        stylesheet=_static(request, "wildwatch-interstitial.css"),
        script=_static(request, "wildwatch-search.js"))
    return HTMLResponse(page, headers={"Cache-Control": "no-store"})


router.include_router(api)
router.include_router(pages)


def _static(request: Request, name: str) -> str:
    return request.url_for("static", path=name).path


def _accepted_language(header: str | None) -> str | None:
    """The first language of an Accept-Language header ("vi-VN,vi;q=0.9" -> "vi-VN")."""
    if not header:
        return None
    first = header.split(",", 1)[0].split(";", 1)[0].strip()
    return first[:35] or None


def _naive(moment: datetime | None) -> datetime | None:
    """UTC without a zone, as the store keeps times."""
    if moment is None or moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


__all__ = ["router"]
