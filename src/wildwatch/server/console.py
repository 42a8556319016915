"""The review console: server-rendered pages for moderators, analysts and admins.

Pages: the review queue (``/``), one item with its evidence and the decision buttons
(``/items/{id}``), the dashboard (``/dashboard``) and the audit log (``/audit``). Every page
checks the same :class:`~wildwatch.server.access.Permission` as the API route it mirrors; every
POST carries the session's CSRF token. Listing text only reaches a page escaped: the post's text
goes through :mod:`wildwatch.server.highlight`, everything else through Jinja's autoescape.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Coroutine, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

import jinja2
from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from wildwatch.policy import Action
from wildwatch.server.access import Permission, Principal, new_csrf_token
from wildwatch.server.api import service
from wildwatch.server.highlight import highlighted_fields
from wildwatch.server.i18n import (
    DEFAULT_LOCALE,
    LANGUAGE_NAMES,
    LOCALES,
    Translate,
    from_accept_language,
    normalize_locale,
    translator,
)
from wildwatch.store import REVIEW_DECISIONS, NotFound, StoreConflict
from wildwatch.store.records import User, utcnow

HERE = Path(__file__).parent
#: Reasons a decision may give besides a policy category id.
EXTRA_REASONS = ("not-wildlife", "other")
#: Keyboard shortcuts of the decision buttons (console.js reads them from the page).
DECISION_KEYS = {Action.REMOVE: "r", Action.BLOCK_SELLER: "b", Action.ALLOW: "a",
                 Action.ESCALATE: "e"}
QUEUE_PAGE = 50
AUDIT_PAGE = 50
MAX_NOTE = 2000
#: Chart geometry (SVG user units): label column, bar area, value column, row height.
CHART_LABEL, CHART_BARS, CHART_VALUE, CHART_ROW = 170, 330, 110, 26


class LoginRequired(Exception):
    """The page needs a logged-in person; the console sends them to /login."""


class PageError(Exception):
    """A page the caller may not see or an action that failed: shown as an error page."""

    def __init__(self, status: int, message_key: str, **values: Any) -> None:
        super().__init__(message_key)
        self.status, self.message_key, self.values = status, message_key, values


class ConsoleRoute(APIRoute):
    """Turns the console's refusals into pages: /login, a 403 or 404 page (not JSON)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handle = super().get_route_handler()

        async def console_handler(request: Request) -> Response:
            try:
                return await handle(request)
            except LoginRequired:
                wanted = request.url.path + (f"?{request.url.query}" if request.url.query else "")
                query = "" if wanted == "/" else "?" + urlencode({"next": wanted})
                return RedirectResponse(f"/login{query}", status_code=303)
            except PageError as exc:
                return error_page(request, exc.status, exc.message_key, **exc.values)
            except NotFound as exc:
                return error_page(request, 404, "errors.not_found", what=str(exc.args[0]))

        return console_handler


async def check_csrf(request: Request) -> None:
    """Every console POST carries the session's token in the form field ``csrf_token``."""
    if request.method != "POST":
        return
    form = await request.form()
    sent = form.get("csrf_token")
    expected = request.session.get("csrf")
    if not isinstance(sent, str) or not isinstance(expected, str) \
            or not secrets.compare_digest(sent.encode(), expected.encode()):
        raise PageError(403, "errors.csrf")


router = APIRouter(include_in_schema=False, route_class=ConsoleRoute,
                   dependencies=[Depends(check_csrf)])
_ENVIRONMENT = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"),
                                  autoescape=True, trim_blocks=True, lstrip_blocks=True)
templates = Jinja2Templates(env=_ENVIRONMENT)


def static_files() -> StaticFiles:
    return StaticFiles(directory=HERE / "static")


# -- who is asking, in which language --------------------------------------------------------------

def viewer(request: Request) -> Principal | None:
    """The logged-in person, or None (also for a deactivated account)."""
    user_id = request.session.get("user_id")
    if user_id is None:
        return None
    user = service(request).store.user(int(user_id))
    if user is None or not user.active:
        return None
    return Principal.of_user(user, via_session=True)


def require(request: Request, permission: Permission) -> Principal:
    who = viewer(request)
    if who is None:
        raise LoginRequired
    if not who.may(permission):
        raise PageError(403, "errors.forbidden", role=who.role.value)
    return who


def person(who: Principal) -> User:
    assert who.user is not None  # a console principal always comes from a session
    return who.user


def locale_of(request: Request, who: Principal | None) -> str:
    """The person's stored language, else the one chosen in this session, else the browser's."""
    if who is not None and who.user is not None:
        stored = normalize_locale(who.user.locale)
        if stored is not None:
            return stored
    chosen = normalize_locale(request.session.get("locale"))
    return chosen or from_accept_language(request.headers.get("accept-language")) \
        or DEFAULT_LOCALE


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not isinstance(token, str):
        token = new_csrf_token()
        request.session["csrf"] = token
    return token


def flash(request: Request, kind: str, message_key: str, **values: Any) -> None:
    """A message for the next page (after a redirect): ``kind`` is ok or error."""
    request.session["flash"] = {"kind": kind, "key": message_key,
                                "values": {k: str(v) for k, v in values.items()}}


def safe_next(target: str | None, default: str = "/") -> str:
    """Only a path on this site: never an open redirect."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


@dataclass(frozen=True, slots=True)
class NavLink:
    href: str
    label_key: str
    active: bool


NAV = (("/", "nav.queue", Permission.QUEUE_READ),
       ("/dashboard", "nav.dashboard", Permission.METRICS_READ),
       ("/audit", "nav.audit", Permission.AUDIT_READ),
       # The spotters' pages (wildwatch.server.spotters).
       ("/terms/proposals", "spotters.nav_proposals", Permission.TERMS_DECIDE),
       ("/coordinators", "spotters.nav_coordinators", Permission.SPOTTERS_COORDINATE),
       ("/spotter", "spotters.nav_mine", Permission.REPORTS_OWN),
       ("/report", "spotters.nav_report", Permission.REPORT_SUBMIT))


def render(request: Request, template: str, context: Mapping[str, Any], *,
           status: int = 200, who: Principal | None = None) -> Response:
    """A page, with what every page needs: the person, the language, the CSRF token, the nav."""
    who = who if who is not None else viewer(request)
    locale = locale_of(request, who)
    t = translator(locale)
    path = request.url.path
    nav = [NavLink(href, key, path == href or (href == "/" and path.startswith("/items"))
                   or (href != "/" and path.startswith(href)))
           for href, key, permission in NAV if who is not None and who.may(permission)]
    shown = request.session.pop("flash", None)
    message = None
    if isinstance(shown, dict):
        message = {"kind": shown.get("kind", "ok"),
                   "text": t(str(shown.get("key", "")), **dict(shown.get("values", {})))}
    can = {permission.value: who is not None and who.may(permission) for permission in Permission}
    page = {"t": t, "lang": locale, "languages": LANGUAGE_NAMES, "me": who, "nav": nav, "can": can,
            "csrf": csrf_token(request), "flash": message, "here": _here(request),
            "blur": request.session.get("blur", True), **context}
    return templates.TemplateResponse(request, template, page, status_code=status)


def error_page(request: Request, status: int, message_key: str, **values: Any) -> Response:
    return render(request, "error.html", {"status": status, "message_key": message_key,
                                          "values": values}, status=status)


def _here(request: Request) -> str:
    return request.url.path + (f"?{request.url.query}" if request.url.query else "")


# -- log-in, log-out, preferences ------------------------------------------------------------------

@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: Annotated[str | None, Query(max_length=512)] = None
               ) -> Response:
    if viewer(request) is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return render(request, "login.html", {"error": False, "next": safe_next(next, "")})


@router.post("/login")
def login(request: Request, username: Annotated[str, Form(max_length=64)],
          password: Annotated[str, Form(max_length=256)],
          next: Annotated[str, Form(max_length=512)] = "") -> Response:
    svc = service(request)
    user = svc.store.authenticate(username, password)
    if user is None:
        svc.store.record_audit(f"anonymous:{username[:64]}", "login.failed", "console", {})
        return render(request, "login.html", {"error": True, "next": safe_next(next, "")},
                      status=401)
    chosen = request.session.get("locale")
    request.session.clear()
    request.session.update({"user_id": user.id, "csrf": new_csrf_token()})
    if chosen is not None:
        request.session["locale"] = chosen
    svc.store.record_audit(f"user:{user.username}", "login", "console", {})
    return RedirectResponse(safe_next(next), status_code=303)


@router.post("/logout")
def logout(request: Request) -> Response:
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


@router.post("/language")
def set_language(request: Request, locale: Annotated[str, Form(max_length=16)],
                 next: Annotated[str, Form(max_length=512)] = "/") -> Response:
    """Switch the interface language; a logged-in person keeps it for their next visit."""
    chosen = normalize_locale(locale)
    if chosen is None or chosen not in LOCALES:
        raise PageError(422, "errors.unknown_language")
    request.session["locale"] = chosen
    who = viewer(request)
    if who is not None:
        service(request).store.set_locale(person(who).id, chosen)
    return RedirectResponse(safe_next(next), status_code=303)


@router.post("/preferences/blur")
def set_blur(request: Request, blur: Annotated[str, Form(max_length=8)],
             next: Annotated[str, Form(max_length=512)] = "/") -> Response:
    """Whether images start blurred (for this session)."""
    require(request, Permission.QUEUE_READ)
    request.session["blur"] = blur == "on"
    return RedirectResponse(safe_next(next), status_code=303)


# -- the queue -------------------------------------------------------------------------------------

@router.get("/", response_class=HTMLResponse)
@router.get("/queue", response_class=HTMLResponse)
def queue_page(request: Request,
               platform: Annotated[str | None, Query(max_length=64)] = None,
               species: Annotated[str | None, Query(max_length=64)] = None,
               page: Annotated[int, Query(ge=1, le=10_000)] = 1) -> Response:
    spotter = viewer(request)
    if spotter is not None and not spotter.may(Permission.QUEUE_READ) \
            and spotter.may(Permission.REPORTS_OWN):
        return RedirectResponse("/spotter", status_code=303)  # a spotter's home page
    who = require(request, Permission.QUEUE_READ)
    svc = service(request)
    platform = platform or None
    species = species or None
    entries = svc.store.queue(limit=QUEUE_PAGE + 1, offset=(page - 1) * QUEUE_PAGE,
                              platform=platform, species=species)
    depth, oldest = svc.store.queue_depth()
    now = utcnow()
    groups = svc.detector.lexicon.groups
    rows = [{"entry": entry, "age": _age_seconds(entry.created_at, now),
             "species": [groups[g].name if g in groups else g for g in entry.species],
             "mine": entry.claimed_by == person(who).username}
            for entry in entries[:QUEUE_PAGE]]
    filters = {key: value for key, value in (("platform", platform), ("species", species))
               if value}
    return render(request, "queue.html", {
        "rows": rows, "depth": depth,
        "oldest_age": None if oldest is None else _age_seconds(oldest, now),
        "platform": platform or "", "species": species or "",
        "species_options": sorted(((g.id, g.name) for g in groups.values()),
                                  key=lambda pair: pair[1]),
        "platforms": sorted({entry.platform for entry in entries} | ({platform} - {None})),
        "page": page, "has_more": len(entries) > QUEUE_PAGE,
        "older": "?" + urlencode({**filters, "page": page + 1}),
        "newer": "?" + urlencode({**filters, "page": page - 1}),
        "age": _age_text}, who=who)


@router.get("/items/next")
def next_item(request: Request) -> Response:
    """The most urgent open item that nobody else holds; the queue when there is none."""
    who = require(request, Permission.QUEUE_READ)
    me = person(who).username
    for entry in service(request).store.queue(limit=200):
        if entry.claimed_by in (None, me):
            return RedirectResponse(f"/items/{entry.item_id}", status_code=303)
    flash(request, "ok", "queue.all_done")
    return RedirectResponse("/", status_code=303)


# -- one item --------------------------------------------------------------------------------------

@router.get("/items/{item_id}", response_class=HTMLResponse)
def item_page(item_id: int, request: Request) -> Response:
    who = require(request, Permission.QUEUE_READ)
    svc = service(request)
    item = svc.store.item(item_id)
    me = person(who).username
    verdict = item.verdict
    groups = svc.detector.lexicon.groups
    categories = {category.id: category for category in svc.policy.categories}
    rule = next((r for r in svc.policy.rules_for(item.platform) if r.id == item.rule_id), None)
    post = item.post
    seller = post.get("seller") if isinstance(post.get("seller"), dict) else None
    return render(request, "item.html", {
        "item": item, "post": post, "seller": seller,
        "fields": highlighted_fields(post, verdict.get("matches", [])),
        "matches": found_words(verdict.get("matches", [])),
        "species": [(g, groups[g].name if g in groups else g) for g in verdict.get("species", [])],
        "category": categories.get(item.category or ""),
        "rule": rule,
        "images": _images(post.get("images")),
        "post_url": _web_link(post.get("url")),
        "claim": _claim_state(item.status, item.claimed_by, me),
        "may_decide": who.may(Permission.REVIEW_DECIDE),
        "decisions": [(action.value, DECISION_KEYS[action]) for action in REVIEW_DECISIONS],
        "reasons": [(c.id, c.name) for c in svc.policy.categories],
        "extra_reasons": EXTRA_REASONS,
        "default_reason": item.category if item.category in categories else "",
        "age": _age_text, "age_of": _age_seconds(item.created_at, utcnow()),
        "claim_minutes": svc.settings.claim_minutes,
        "detail": _detail_text}, who=who)


@router.post("/items/{item_id}/claim")
def claim_item(item_id: int, request: Request) -> Response:
    who = require(request, Permission.REVIEW_DECIDE)
    svc = service(request)
    try:
        svc.store.claim(item_id, person(who), svc.settings.claim_minutes)
    except StoreConflict as exc:
        flash(request, "error", "item.claim_failed", why=str(exc))
    return RedirectResponse(f"/items/{item_id}", status_code=303)


@router.post("/items/{item_id}/release")
def release_item(item_id: int, request: Request) -> Response:
    who = require(request, Permission.REVIEW_DECIDE)
    try:
        service(request).store.release(item_id, person(who))
    except StoreConflict as exc:
        flash(request, "error", "item.release_failed", why=str(exc))
        return RedirectResponse(f"/items/{item_id}", status_code=303)
    flash(request, "ok", "item.released", item=item_id)
    return RedirectResponse("/", status_code=303)


@router.post("/items/{item_id}/decision")
def decide_item(item_id: int, request: Request, action: Annotated[str, Form(max_length=32)],
                reason: Annotated[str, Form(max_length=64)],
                note: Annotated[str, Form(max_length=MAX_NOTE)] = "") -> Response:
    """Record the decision, then on to the next item."""
    who = require(request, Permission.REVIEW_DECIDE)
    svc = service(request)
    allowed = {a.value: a for a in REVIEW_DECISIONS}
    if action not in allowed:
        raise PageError(422, "errors.unknown_decision")
    if reason not in {c.id for c in svc.policy.categories} | set(EXTRA_REASONS):
        raise PageError(422, "errors.unknown_reason")
    try:
        svc.store.decide(item_id, person(who), allowed[action], reason, note.strip())
    except StoreConflict as exc:
        flash(request, "error", "item.decide_failed", why=str(exc))
        return RedirectResponse(f"/items/{item_id}", status_code=303)
    t = translator(locale_of(request, who))
    flash(request, "ok", "item.decided", item=item_id, action=t(f"action.{action}"))
    return RedirectResponse("/items/next", status_code=303)


@router.get("/posts/{platform}/{post_id:path}")
def post_page(platform: str, post_id: str, request: Request) -> Response:
    """A post named in seller history or similar posts: its review item when it has one."""
    who = require(request, Permission.QUEUE_READ)
    receipt = service(request).store.post_action(platform, post_id)
    if receipt.review_item is not None:
        return RedirectResponse(f"/items/{receipt.review_item}", status_code=303)
    return render(request, "post.html", {"receipt": receipt}, who=who)


# -- dashboard and audit ---------------------------------------------------------------------------

@router.get("/dashboard", response_class=HTMLResponse)
def dashboard_page(request: Request,
                   platform: Annotated[str | None, Query(max_length=64)] = None) -> Response:
    who = require(request, Permission.METRICS_READ)
    svc = service(request)
    metrics = svc.store.metrics(platform=platform or None)
    everywhere = metrics if not platform else svc.store.metrics()
    groups = svc.detector.lexicon.groups
    t = translator(locale_of(request, who))
    series = ("posts", "flagged", "removed_or_blocked")
    species_rows = _most_first([{**row, "label": groups[row["key"]].name
                                 if row["key"] in groups else row["key"]}
                                for row in metrics["by_species"]])
    platform_rows = _most_first(metrics["by_platform"])
    action_rows = [{**row, "label": t(f"action.{row['key']}")} for row in metrics["by_action"]]
    csv_query = "?" + urlencode({"platform": platform}) if platform else ""
    return render(request, "dashboard.html", {
        "metrics": metrics, "platform": platform or "",
        "platforms": [row["key"] for row in everywhere["by_platform"]],
        "charts": [
            ("dashboard.by_species", bar_chart(species_rows, series)),
            ("dashboard.by_platform", bar_chart(platform_rows, series)),
            ("dashboard.by_month", bar_chart(metrics["by_month"], series)),
            ("dashboard.by_action", bar_chart(action_rows, ("posts",))),
        ],
        "tables": [("dashboard.by_species", species_rows),
                   ("dashboard.by_platform", platform_rows),
                   ("dashboard.by_month", metrics["by_month"])],
        "action_rows": action_rows,
        "oldest_age": metrics["queue"]["oldest_age_seconds"], "age": _age_text,
        "csv_url": f"/v1/metrics.csv{csv_query}"}, who=who)


@router.get("/audit", response_class=HTMLResponse)
def audit_page(request: Request,
               before: Annotated[int | None, Query(ge=1)] = None) -> Response:
    who = require(request, Permission.AUDIT_READ)
    entries = service(request).store.audit(limit=AUDIT_PAGE + 1, before_id=before)
    shown = entries[:AUDIT_PAGE]
    return render(request, "audit.html", {
        "entries": shown, "before": before, "detail": _detail_text,
        "older": f"?before={shown[-1].id}" if len(entries) > AUDIT_PAGE else None}, who=who)


# -- helpers for the templates ---------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class ChartBar:
    series: str
    value: int
    width: float


@dataclass(frozen=True, slots=True)
class ChartRow:
    label: str
    y: float
    bars: tuple[ChartBar, ...]
    values: str


@dataclass(frozen=True, slots=True)
class Chart:
    """A horizontal bar chart, laid out here so the template only draws it (inline SVG)."""

    rows: tuple[ChartRow, ...]
    series: tuple[str, ...]
    width: int
    height: int
    label_width: int
    bar_width: int
    row_height: int


def bar_chart(rows: Iterable[Mapping[str, Any]], series: tuple[str, ...]) -> Chart:
    """One row per ``rows`` item (its ``label`` or ``key``), one overlaid bar per series;
    bars scale to the largest value of the first series."""
    listed = list(rows)
    top = max([int(row.get(series[0], 0) or 0) for row in listed] + [1])
    laid = []
    for index, row in enumerate(listed):
        values = [int(row.get(name, 0) or 0) for name in series]
        label = str(row.get("label") if row.get("label") is not None else row.get("key"))
        laid.append(ChartRow(
            label=label if len(label) <= 24 else label[:23] + "…", y=index * CHART_ROW,
            bars=tuple(ChartBar(name, value, round(CHART_BARS * value / top, 1))
                       for name, value in zip(series, values, strict=True)),
            values=" · ".join(f"{value:,}" for value in values)))
    return Chart(tuple(laid), series, CHART_LABEL + CHART_BARS + CHART_VALUE,
                 max(CHART_ROW, CHART_ROW * len(laid)), CHART_LABEL, CHART_BARS, CHART_ROW)


def _most_first(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda row: (-int(row["posts"]), str(row["key"])))


@dataclass(frozen=True, slots=True)
class FoundWords:
    """One stretch of a post the lexicon matched, with every term that matched it."""

    field: str
    text: str
    terms: tuple[str, ...]


def found_words(matches: Iterable[Mapping[str, Any]]) -> list[FoundWords]:
    """The verdict's matches by place in the post (one line for "exotic" matched by three
    groups), in reading order."""
    by_place: dict[tuple[int, str, int, int, str], list[str]] = {}
    order = {"title": 0, "text": 1, "description": 2}
    for match in matches:
        field = str(match.get("field", ""))
        place = (order.get(field, 3), field, int(match.get("start", 0)),
                 int(match.get("end", 0)), str(match.get("text", "")))
        term = f"{match.get('term', '')} · {match.get('kind', '')} · {match.get('group', '')}"
        if term not in by_place.setdefault(place, []):
            by_place[place].append(term)
    return [FoundWords(field, text, tuple(terms))
            for (_, field, _, _, text), terms in sorted(by_place.items())]


@dataclass(frozen=True, slots=True)
class ClaimState:
    held_by: str | None
    mine: bool
    decided: bool


def _claim_state(status: str, claimed_by: str | None, me: str) -> ClaimState:
    return ClaimState(claimed_by, claimed_by == me, status != "open")


def _age_seconds(since: datetime, now: datetime) -> int:
    return max(0, int((now - since).total_seconds()))


def _age_text(seconds: int | None, t: Translate) -> str:
    """A short age: 40 s, 12 min, 5 h, 3 d."""
    if seconds is None:
        return "–"
    for size, key in ((86_400, "age.days"), (3_600, "age.hours"), (60, "age.minutes")):
        if seconds >= size:
            return t(key, n=seconds // size)
    return t("age.seconds", n=seconds)


def _web_link(value: Any) -> str | None:
    """A URL a moderator may open: http(s) only (never javascript: or data:)."""
    if isinstance(value, str) and value.lower().startswith(("https://", "http://")):
        return value
    return None


@dataclass(frozen=True, slots=True)
class Image:
    """One image of a post: ``src`` to show it (HTTPS or inline data), ``link`` to open it."""

    src: str | None
    link: str | None


def _images(value: Any) -> list[Image]:
    """The post's images. The page shows HTTPS and small inline (data:) pictures, the only ones
    the Content-Security-Policy lets it load; a plain-HTTP image is a link."""
    if not isinstance(value, list):
        return []
    out = []
    for url in value[:24]:
        if not isinstance(url, str):
            continue
        link = _web_link(url)
        inline = url.startswith(("data:image/png;", "data:image/jpeg;", "data:image/gif;",
                                 "data:image/webp;"))
        if link is not None or inline:
            shown = url if inline or url.lower().startswith("https://") else None
            out.append(Image(shown, link))
    return out


def _detail_text(detail: Mapping[str, Any]) -> str:
    return ", ".join(f"{key}={value}" for key, value in detail.items() if value not in (None, ""))


__all__ = ["router", "static_files"]
