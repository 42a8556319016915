"""The spotters' pages, on the review console's layout, language and CSRF rules.

``/report`` is public: anyone may report a listing (a session-bound CSRF token protects the form
for anonymous visitors too). ``/spotter`` shows a reporter their reports and what became of
each; ``/coordinators`` the leaderboard and the rounds; ``/terms/proposals`` the analysts' queue
of proposed terms; ``/terms/propose`` proposes a term from a post (a review item, or the
spotter's own report); ``/items/{id}/reports`` shows staff the reports merged into an item, with
their screenshots. Everything a reporter or a listing wrote reaches the page through Jinja's
autoescape only.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from starlette.datastructures import UploadFile

from wildwatch.engage.ratelimit import client_key
from wildwatch.engage.reports import MAX_DESCRIPTION, ProposalDecision, ReportError
from wildwatch.engage.screenshots import MAX_BYTES, ScreenshotError
from wildwatch.lexicon import TermKind
from wildwatch.server.access import Permission, new_csrf_token
from wildwatch.server.api import service
from wildwatch.server.console import (
    ConsoleRoute,
    PageError,
    check_csrf,
    flash,
    person,
    render,
    require,
    viewer,
)
from wildwatch.server.spotters_api import (
    ReportIn,
    proposal_post,
    receive_report,
    report_limiter,
)
from wildwatch.store import NotFound, Role, StoreConflict

router = APIRouter(include_in_schema=False, route_class=ConsoleRoute,
                   dependencies=[Depends(check_csrf)])
REPORT_FIELDS = ("listing", "platform", "species", "description")
USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{1,31}$")


def _species_options(request: Request) -> list[tuple[str, str]]:
    groups = service(request).detector.lexicon.groups
    return sorted(((g.id, g.name) for g in groups.values()), key=lambda pair: pair[1])


# -- reporting -------------------------------------------------------------------------------------

@router.get("/report", response_class=HTMLResponse)
def report_page(request: Request) -> Response:
    """The public report form."""
    return _report_form(request, {}, {})


def _report_form(request: Request, values: dict[str, str], errors: dict[str, str], *,
                 status: int = 200) -> Response:
    return render(request, "spotters/report.html", {
        "values": values, "errors": errors, "species_options": _species_options(request),
        "max_description": MAX_DESCRIPTION, "max_mb": MAX_BYTES // (1024 * 1024),
        "signup": service(request).settings.spotter_signup}, status=status)


@router.post("/report")
async def submit_report(request: Request) -> Response:
    """The form, with its screenshot. Errors come back on the form, beside their field."""
    form = await request.form()
    try:
        values = {name: str(form.get(name) or "") for name in REPORT_FIELDS}
        upload = form.get("screenshot")
        screenshot = await upload.read(MAX_BYTES + 1) if isinstance(upload, UploadFile) else None
    finally:
        await form.close()
    who = viewer(request)  # the form's CSRF token was checked; anonymous is welcome
    try:
        fields = ReportIn.model_validate({k: v for k, v in values.items() if v.strip()})
        receipt = await run_in_threadpool(receive_report, request, who, fields,
                                          screenshot or None)
    except ValidationError as exc:
        first = exc.errors()[0]
        return _report_form(request, values, {str(first["loc"][0]): first["msg"]}, status=422)
    except ReportError as exc:
        return _report_form(request, values, {exc.field: exc.message}, status=422)
    except ScreenshotError as exc:
        return _report_form(request, values, {"screenshot": str(exc)}, status=422)
    except HTTPException as exc:
        if exc.status_code != 429:
            raise PageError(exc.status_code, "errors.forbidden",
                            role=who.role.value if who else "anonymous") from None
        return _report_form(request, values, {"form": "report.too_many"}, status=429)
    if who is not None and who.may(Permission.REPORTS_OWN):
        flash(request, "ok", "report.thanks_tracked", report=receipt.report_id)
        return RedirectResponse("/spotter", status_code=303)
    return render(request, "spotters/thanks.html", {"receipt": receipt})


# -- signing up as a spotter (WILDWATCH_SPOTTER_SIGNUP) ------------------------------------------
#: Accounts one client address may make per rate-limit window.
SIGNUPS_PER_WINDOW = 3


@router.get("/signup", response_class=HTMLResponse)
def signup_page(request: Request) -> Response:
    _signup_open(request)
    return render(request, "spotters/signup.html", {"error": None, "username": ""})


@router.post("/signup")
def signup(request: Request, username: Annotated[str, Form(max_length=64)],
           password: Annotated[str, Form(max_length=256)],
           password_again: Annotated[str, Form(max_length=256)]) -> Response:
    """Make a spotter account and log in with it."""
    _signup_open(request)
    svc = service(request)
    name = username.strip()
    error = None
    if password != password_again:
        error = "signup.passwords_differ"
    elif not USERNAME.match(name):
        error = "signup.bad_username"
    elif len(password) < 12:
        error = "signup.short_password"
    if error is not None:
        return render(request, "spotters/signup.html", {"error": error, "username": name},
                      status=422)
    limiter, secret = report_limiter(request)
    address = request.client.host if request.client else None
    if not limiter.hit("signup:" + client_key(address, secret), SIGNUPS_PER_WINDOW).allowed:
        return render(request, "spotters/signup.html",
                      {"error": "signup.too_many", "username": name}, status=429)
    try:
        user = svc.store.create_user(name, password, Role.SPOTTER, actor="signup")
    except StoreConflict:
        return render(request, "spotters/signup.html", {"error": "signup.taken", "username": name},
                      status=409)
    chosen = request.session.get("locale")
    request.session.clear()
    request.session.update({"user_id": user.id, "csrf": new_csrf_token()})
    if chosen is not None:
        request.session["locale"] = chosen
        svc.store.set_locale(user.id, str(chosen))
    flash(request, "ok", "signup.welcome", name=user.username)
    return RedirectResponse("/spotter", status_code=303)


def _signup_open(request: Request) -> None:
    if not service(request).settings.spotter_signup:
        raise NotFound("this server does not let people sign up; ask the programme's "
                       "coordinators for an account")


# -- a reporter's own page -------------------------------------------------------------------------

@router.get("/spotter", response_class=HTMLResponse)
def my_reports_page(request: Request) -> Response:
    who = require(request, Permission.REPORTS_OWN)
    me = person(who)
    reports = service(request).reports
    groups = service(request).detector.lexicon.groups
    return render(request, "spotters/mine.html", {
        "standing": reports.standing(me), "outcomes": reports.outcomes_for(me),
        "proposals": reports.proposals(proposed_by=me.id, limit=50),
        "group_name": lambda gid: groups[gid].name if gid in groups else gid,
        "may_propose": who.may(Permission.TERMS_PROPOSE)}, who=who)


# -- coordinators: leaderboard and rounds ----------------------------------------------------------

@router.get("/coordinators", response_class=HTMLResponse)
def coordinators_page(request: Request,
                      round: Annotated[int | None, Query(ge=1)] = None) -> Response:
    who = require(request, Permission.SPOTTERS_COORDINATE)
    reports = service(request).reports
    rounds = reports.rounds()
    chosen = next((r for r in rounds if r.id == round), None)
    if round is not None and chosen is None:
        raise NotFound(f"there is no round {round}")
    today = datetime.now(UTC).date()
    return render(request, "spotters/coordinators.html", {
        "rounds": rounds, "chosen": chosen,
        "board": reports.leaderboard(chosen.id if chosen else None),
        "current": reports.current_round(), "species_options": _species_options(request),
        "default_starts": today.isoformat(),
        "default_ends": (today + timedelta(days=27)).isoformat()}, who=who)


@router.post("/coordinators/rounds")
def create_round(request: Request, name: Annotated[str, Form(max_length=128)],
                 starts: Annotated[date, Form()], ends: Annotated[date, Form()],
                 species: Annotated[str, Form(max_length=64)] = "") -> Response:
    """A round from its first to its last day (UTC), both included."""
    who = require(request, Permission.SPOTTERS_COORDINATE)
    svc = service(request)
    try:
        made = svc.reports.create_round(
            name, species or None, datetime.combine(starts, time()),
            datetime.combine(ends + timedelta(days=1), time()), by=person(who),
            groups=svc.detector.lexicon.groups)
    except ReportError as exc:
        flash(request, "error", "spotters.round_refused", why=exc.message)
    else:
        flash(request, "ok", "spotters.round_created", name=made.name)
    return RedirectResponse("/coordinators", status_code=303)


@router.post("/coordinators/rounds/{round_id}/delete")
def delete_round(round_id: int, request: Request) -> Response:
    who = require(request, Permission.SPOTTERS_COORDINATE)
    try:
        service(request).reports.delete_round(round_id, by=person(who))
    except StoreConflict as exc:
        flash(request, "error", "spotters.round_refused", why=str(exc))
    else:
        flash(request, "ok", "spotters.round_deleted")
    return RedirectResponse("/coordinators", status_code=303)


# -- proposed terms --------------------------------------------------------------------------------

@router.get("/terms/propose", response_class=HTMLResponse)
def propose_page(request: Request, item: Annotated[int | None, Query(ge=1)] = None,
                 report: Annotated[int | None, Query(ge=1)] = None) -> Response:
    """Propose a term, seeing the post it comes from."""
    who = require(request, Permission.TERMS_PROPOSE)
    return _propose_form(request, who, item, report, {}, None)


def _propose_form(request: Request, who: Any, item: int | None, report: int | None,
                  values: dict[str, str], error: str | None, *, status: int = 200) -> Response:
    svc = service(request)
    post_pk = _proposal_post(request, who, item, report)
    post = svc.reports.post_body(post_pk) if post_pk is not None else None
    return render(request, "spotters/propose.html", {
        "item": item, "report": report, "post": post, "values": values, "error": error,
        "species_options": _species_options(request),
        "kinds": [k.value for k in TermKind]}, status=status, who=who)


def _proposal_post(request: Request, who: Any, item: int | None,
                   report: int | None) -> int | None:
    try:
        return proposal_post(service(request), who, person(who), item, report)
    except HTTPException:
        raise PageError(403, "errors.forbidden", role=who.role.value) from None


@router.post("/terms/propose")
def propose(request: Request, text: Annotated[str, Form(max_length=128)],
            species: Annotated[str, Form(max_length=64)],
            kind: Annotated[str, Form(max_length=16)],
            lang: Annotated[str, Form(max_length=16)],
            note: Annotated[str, Form(max_length=2000)] = "",
            item: Annotated[int | None, Form()] = None,
            report: Annotated[int | None, Form()] = None) -> Response:
    who = require(request, Permission.TERMS_PROPOSE)
    svc = service(request)
    post_pk = _proposal_post(request, who, item, report)
    values = {"text": text, "species": species, "kind": kind, "lang": lang, "note": note}
    try:
        made = svc.reports.propose_term(text, species, kind, lang, note, by=person(who),
                                        post_pk=post_pk, lexicon=svc.detector.lexicon)
    except ReportError as exc:
        return _propose_form(request, who, item, report, values, f"{exc.field}: {exc.message}",
                             status=422)
    except StoreConflict as exc:
        return _propose_form(request, who, item, report, values, str(exc), status=409)
    flash(request, "ok", "terms.proposed", id=made.id, text=made.text)
    if item is not None:
        return RedirectResponse(f"/items/{item}", status_code=303)
    return RedirectResponse("/spotter" if who.may(Permission.REPORTS_OWN) else "/report",
                            status_code=303)


@router.get("/terms/proposals", response_class=HTMLResponse)
def proposals_page(request: Request) -> Response:
    """The analysts' queue: oldest proposal first, and the latest decisions."""
    who = require(request, Permission.TERMS_DECIDE)
    svc = service(request)
    reports = svc.reports
    pending = reports.proposals(status="pending")
    groups = svc.detector.lexicon.groups
    return render(request, "spotters/proposals.html", {
        "pending": pending,
        "posts": {p.id: reports.post_body(p.post_pk) for p in pending if p.post_pk},
        "decided": [p for p in reports.proposals(limit=60) if p.status != "pending"][:30],
        "group_name": lambda gid: groups[gid].name if gid in groups else gid,
        "lexicon_version": svc.detector.lexicon.version}, who=who)


@router.post("/terms/proposals/{proposal_id}/decision")
def decide_proposal(proposal_id: int, request: Request,
                    decision: Annotated[str, Form(max_length=8)],
                    note: Annotated[str, Form(max_length=2000)] = "",
                    weight: Annotated[str, Form(max_length=8)] = "") -> Response:
    who = require(request, Permission.TERMS_DECIDE)
    svc = service(request)
    try:
        chosen = ProposalDecision(decision)
        chosen_weight = float(weight) if weight.strip() else None
        decided = svc.reports.decide_proposal(proposal_id, chosen, by=person(who), note=note,
                                              weight=chosen_weight)
    except (ValueError, StoreConflict) as exc:
        flash(request, "error", "terms.decide_failed", why=str(exc))
        return RedirectResponse("/terms/proposals", status_code=303)
    if decided.status == "accepted":
        svc.lexicon_updates.refresh()
        flash(request, "ok", "terms.accepted", text=decided.text,
              version=svc.detector.lexicon.version)
    else:
        flash(request, "ok", "terms.rejected", text=decided.text)
    return RedirectResponse("/terms/proposals", status_code=303)


# -- staff: the reports of an item -----------------------------------------------------------------

@router.get("/items/{item_id}/reports", response_class=HTMLResponse)
def item_reports_page(item_id: int, request: Request) -> Response:
    who = require(request, Permission.QUEUE_READ)
    svc = service(request)
    item = svc.store.item(item_id)
    return render(request, "spotters/item_reports.html", {
        "item": item, "reports": svc.reports.item_reports(item_id)}, who=who)


__all__ = ["router"]
