"""The spotters' API under /v1: reports (open to anyone), a reporter's outcomes, the
coordinators' leaderboard and rounds, and proposed search terms with the analysts' decisions.

Every route names its permission like the rest of the API; ``POST /v1/reports`` also takes
anonymous callers (rate-limited per client address) by design.
"""

from __future__ import annotations

import threading
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, JSONResponse
from pydantic import BaseModel, Field, ValidationError
from starlette.datastructures import UploadFile

from wildwatch.detect.verdict import Verdict
from wildwatch.engage.ratelimit import RateLimiter, build_limiter, client_key
from wildwatch.engage.reports import (
    ProposalDecision,
    ProposalStatus,
    ReportError,
    ReportReceipt,
    Scan,
    Submission,
)
from wildwatch.engage.screenshots import (
    MAX_BYTES,
    ScreenshotError,
    screenshot_path,
    screenshots_dir,
    store_screenshot,
)
from wildwatch.ingest.post import Post
from wildwatch.policy import PolicyOutcome
from wildwatch.server.access import Permission, Principal
from wildwatch.server.api import (
    STORE_INT_MAX,
    DateTimeText,
    RecordId,
    api_key_header,
    guarded,
    json_response,
    principal,
    require,
    service,
)
from wildwatch.server.service import Service
from wildwatch.store import NotFound
from wildwatch.store.records import User

router = APIRouter(prefix="/v1")
_LIMITER_LOCK = threading.Lock()

TermKindName = Literal["species", "product", "part", "code_word", "hashtag", "emoji",
                       "associated", "benign"]


# -- bodies -------------------------------------------------------------------------------------

class ReportIn(BaseModel):
    """A listing someone saw: its web address (or its id on ``platform``) and what they saw."""

    listing: str = Field(min_length=1, max_length=2048, description="The listing's web "
                         "address, or its id on the platform.")
    platform: str | None = Field(default=None, max_length=64, description="Where the listing "
                                 "is; needed with an id, defaults to the site of a web address.")
    species: str | None = Field(default=None, max_length=64, description="A species group id "
                                "from GET /v1/lexicon, if known.")
    description: str = Field(min_length=1, max_length=4000, description="What is offered and "
                             "why it looks like wildlife.")


class RoundIn(BaseModel):
    name: str = Field(min_length=1, max_length=128)
    species: str | None = Field(default=None, max_length=64, description="The target species "
                                "group, if the round has one.")
    starts: DateTimeText = Field(description="UTC unless the time says otherwise.")
    ends: DateTimeText


class ProposalIn(BaseModel):
    text: str = Field(min_length=2, max_length=128, description="The words as sellers write "
                      "them.")
    species: str = Field(min_length=1, max_length=64, description="The species group id.")
    kind: TermKindName = "code_word"
    lang: str = Field(default="en", min_length=2, max_length=16)
    note: str = Field(default="", max_length=2000, description="Where it was seen, what it "
                      "means, a source.")
    review_item: int | None = Field(default=None, ge=1, le=STORE_INT_MAX, strict=True,
                                    description="The review item whose post shows the term "
                                    "(staff).")
    report: int | None = Field(default=None, ge=1, le=STORE_INT_MAX, strict=True,
                               description="Your report whose listing shows the term "
                               "(spotters).")


class ProposalDecisionIn(BaseModel):
    decision: Literal["accept", "reject"]
    note: str = Field(default="", max_length=2000)
    weight: float | None = Field(default=None, ge=0, le=1, description="The term's weight; "
                                 "default: its kind's.")


_REPORT_BODY = {
    "required": True,
    "content": {
        "application/json": {"schema": ReportIn.model_json_schema()},
        "multipart/form-data": {"schema": {
            "type": "object", "required": ["listing", "description"],
            "properties": {
                "listing": {"type": "string"}, "platform": {"type": "string"},
                "species": {"type": "string"}, "description": {"type": "string"},
                "screenshot": {"type": "string", "format": "binary",
                               "description": "PNG, JPEG or WebP, at most 5 MB."}}}},
    },
}


# -- who reports ----------------------------------------------------------------------------------

def optional_principal(request: Request,
                       key: Annotated[str | None, Depends(api_key_header)]) -> Principal | None:
    """The caller if they sent credentials (a bad key is still 401), else None: anonymous."""
    if not key and request.session.get("user_id") is None:
        return None
    try:
        return principal(request, key)
    except HTTPException as exc:
        if exc.status_code == 401 and not key:
            return None  # a session whose account is gone: anonymous
        raise


def report_limiter(request: Request) -> tuple[RateLimiter, str]:
    """The process's limiter and the secret client addresses are hashed with."""
    state = request.app.state
    found: tuple[RateLimiter, str] | None = getattr(state, "report_limiter", None)
    if found is None:
        with _LIMITER_LOCK:
            found = getattr(state, "report_limiter", None)
            if found is None:
                settings = service(request).settings
                found = (build_limiter(settings.redis_url, settings.report_limit,
                                       settings.report_window_seconds),
                         settings.session_secret())
                state.report_limiter = found
    return found


def check_rate(request: Request, who: Principal | None) -> None:
    """429 with Retry-After when this reporter has sent too many reports lately."""
    limiter, secret = report_limiter(request)
    svc = service(request)
    if who is not None and who.user is not None:
        verdict = limiter.hit(f"user:{who.user.id}", svc.settings.spotter_report_limit)
    else:
        verdict = limiter.hit(client_key(request.client.host if request.client else None,
                                         secret))
    if not verdict.allowed:
        wait = max(1, int(verdict.retry_after + 0.999))
        raise HTTPException(429, f"too many reports from here; try again in {wait} s",
                            headers={"Retry-After": str(wait)})


def scanner(svc: Service) -> Scan:
    """How a report's unseen listing is scanned: the service's detector and policy."""
    def scan(post: Post) -> tuple[Verdict, PolicyOutcome, str]:
        verdict = svc.scan([post])[0]
        return verdict, svc.policy.decide(verdict, platform=post.platform), svc.policy.version
    return scan


def receive_report(request: Request, who: Principal | None, fields: ReportIn,
                   screenshot: bytes | None) -> ReportReceipt:
    """Rate-limit, store the screenshot, record the report (shared by the API and the page).
    Raises ReportError or ScreenshotError for bad input, HTTPException 429 when limited."""
    svc = service(request)
    if who is not None and not who.may(Permission.REPORT_SUBMIT):
        raise HTTPException(403, f"the role {who.role.value!r} may not report submit")
    check_rate(request, who)
    stored = None
    if screenshot:
        stored = store_screenshot(screenshot, screenshots_dir(svc.settings.data_dir))
    try:
        return svc.reports.submit(
            Submission(fields.listing, fields.description, fields.platform, fields.species,
                       stored),
            spotter=who.user if who is not None else None, scan=scanner(svc),
            groups=svc.detector.lexicon.groups, actor=who.actor if who is not None else None)
    except Exception:
        if stored is not None:
            (screenshots_dir(svc.settings.data_dir) / stored).unlink(missing_ok=True)
        raise


def invalid(field: str, message: str) -> JSONResponse:
    return JSONResponse({"detail": f"{field}: {message}", "field": field}, status_code=422)


def _person(caller: Principal) -> User:
    if caller.user is None:
        raise HTTPException(403, "only a person can do this; log in or use a key made for "
                            "your account")
    return caller.user


# -- reports --------------------------------------------------------------------------------------

# Not ``guarded``: this route also takes anonymous callers, and reads its body itself.
@router.api_route(
    "/reports", methods=["POST"], status_code=201,
    summary="Report a listing (anyone; logged in, it counts for your track record)",
    # `{}` among the security requirements: a key is optional.
    openapi_extra={"requestBody": _REPORT_BODY, "x-permission": Permission.REPORT_SUBMIT.value,
                   "security": [{}]},
    responses={201: {"description": "The report, its review item, its weight."},
               400: {"description": "The body cannot be read (not JSON, or a broken or "
                                    "oversized multipart form)."},
               401: {"description": "An API key was sent and is unknown or revoked."},
               403: {"description": "The caller's role may not report (integration keys)."},
               422: {"description": "A field is wrong: ``field`` names it, ``detail`` says "
                                    "why."},
               429: {"description": "Too many reports from here; see Retry-After."}})
async def post_report(request: Request,
                      caller: Annotated[Principal | None, Depends(optional_principal)]
                      ) -> Response:
    """JSON, or multipart with an optional ``screenshot`` (PNG, JPEG or WebP, at most 5 MB).
    Reports of the same listing merge into one review item. 422 names the field that is wrong;
    429 says when to try again."""
    content_type = request.headers.get("content-type", "")
    screenshot: bytes | None = None
    try:
        if content_type.startswith("multipart/form-data"):
            async with request.form(max_files=1, max_fields=10) as form:
                upload = form.get("screenshot")
                if isinstance(upload, UploadFile):
                    screenshot = await upload.read(MAX_BYTES + 1)
                fields = ReportIn.model_validate({k: v for k, v in form.items()
                                                  if isinstance(v, str) and v != ""})
        else:
            fields = ReportIn.model_validate_json(await request.body())
    except ValidationError as exc:
        first = exc.errors()[0]
        return invalid(".".join(str(p) for p in first["loc"]) or "body", first["msg"])
    try:
        receipt = await run_in_threadpool(receive_report, request, caller, fields, screenshot)
    except ReportError as exc:
        return invalid(exc.field, exc.message)
    except ScreenshotError as exc:
        return invalid("screenshot", str(exc))
    return json_response(receipt, 201)


@guarded(router, "GET", "/reports/mine", Permission.REPORTS_OWN,
         summary="Your reports and what became of each, with your track record")
def get_my_reports(request: Request,
                   caller: Annotated[Principal, Depends(require(Permission.REPORTS_OWN))],
                   limit: Annotated[int, Query(ge=1, le=1000)] = 200) -> Response:
    person = _person(caller)
    reports = service(request).reports
    return json_response({"standing": reports.standing(person),
                  "reports": reports.outcomes_for(person, limit=limit)})


@guarded(router, "GET", "/review/items/{item_id}/reports", Permission.QUEUE_READ,
         summary="The reports merged into a review item")
def get_item_reports(item_id: RecordId, request: Request,
                     caller: Annotated[Principal, Depends(require(Permission.QUEUE_READ))]
                     ) -> Response:
    svc = service(request)
    svc.store.item(item_id)  # 404 for an unknown item
    found = svc.reports.item_reports(item_id)
    for report in found:
        name = report.pop("screenshot")
        report["screenshot_url"] = f"/v1/reports/screenshots/{name}" if name else None
    return json_response(found)


@guarded(router, "GET", "/reports/screenshots/{name}", Permission.QUEUE_READ,
         response_class=Response, summary="A report's screenshot (staff only)")
def get_screenshot(name: str, request: Request,
                   caller: Annotated[Principal, Depends(require(Permission.QUEUE_READ))]
                   ) -> Response:
    found = screenshot_path(screenshots_dir(service(request).settings.data_dir), name)
    if found is None:
        raise NotFound(f"there is no screenshot {name[:40]!r}")
    path, media_type = found
    # An image and nothing else: no sniffing, no script, not cached by shared caches.
    return FileResponse(path, media_type=media_type, headers={
        "Content-Security-Policy": "default-src 'none'; sandbox",
        "Cache-Control": "private, no-store", "Content-Disposition": "inline"})


# -- coordinators ---------------------------------------------------------------------------------

@guarded(router, "GET", "/spotters/leaderboard", Permission.SPOTTERS_COORDINATE,
         summary="Reporters by listings agreed with, accuracy and trust; per round if asked")
def get_leaderboard(request: Request,
                    caller: Annotated[Principal,
                                      Depends(require(Permission.SPOTTERS_COORDINATE))],
                    round: Annotated[int | None, Query(ge=1, le=STORE_INT_MAX)] = None,
                    limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> Response:
    return json_response(service(request).reports.leaderboard(round, limit=limit))


@guarded(router, "GET", "/spotters/rounds", Permission.SPOTTERS_COORDINATE,
         summary="Spotter rounds, the latest first")
def get_rounds(request: Request,
               caller: Annotated[Principal, Depends(require(Permission.SPOTTERS_COORDINATE))]
               ) -> Response:
    return json_response(service(request).reports.rounds())


@guarded(router, "POST", "/spotters/rounds", Permission.SPOTTERS_COORDINATE, status_code=201,
         summary="Start a round: a named period with an optional target species group")
def post_round(body: RoundIn, request: Request,
               caller: Annotated[Principal, Depends(require(Permission.SPOTTERS_COORDINATE))]
               ) -> Response:
    svc = service(request)
    made = svc.reports.create_round(body.name, body.species, body.starts, body.ends,
                                    by=caller.user, groups=svc.detector.lexicon.groups)
    return json_response(made, 201)


@guarded(router, "PUT", "/spotters/rounds/{round_id}", Permission.SPOTTERS_COORDINATE,
         summary="Change a round")
def put_round(round_id: RecordId, body: RoundIn, request: Request,
              caller: Annotated[Principal, Depends(require(Permission.SPOTTERS_COORDINATE))]
              ) -> Response:
    svc = service(request)
    return json_response(svc.reports.update_round(round_id, body.name, body.species, body.starts,
                                          body.ends, by=caller.user,
                                          groups=svc.detector.lexicon.groups))


@guarded(router, "DELETE", "/spotters/rounds/{round_id}", Permission.SPOTTERS_COORDINATE,
         status_code=204, summary="Delete a round that has no reports")
def delete_round(round_id: RecordId, request: Request,
                 caller: Annotated[Principal,
                                   Depends(require(Permission.SPOTTERS_COORDINATE))]
                 ) -> Response:
    service(request).reports.delete_round(round_id, by=caller.user)
    return Response(status_code=204)


# -- proposed terms -------------------------------------------------------------------------------

@guarded(router, "POST", "/terms/proposals", Permission.TERMS_PROPOSE, status_code=201,
         summary="Propose a search term, optionally from a post")
def post_proposal(body: ProposalIn, request: Request,
                  caller: Annotated[Principal, Depends(require(Permission.TERMS_PROPOSE))]
                  ) -> Response:
    person = _person(caller)
    svc = service(request)
    post_pk = proposal_post(svc, caller, person, body.review_item, body.report)
    made = svc.reports.propose_term(body.text, body.species, body.kind, body.lang, body.note,
                                    by=person, post_pk=post_pk, lexicon=svc.detector.lexicon)
    return json_response(made, 201)


def proposal_post(svc: Service, caller: Principal, person: User, review_item: int | None,
                  report: int | None) -> int | None:
    """The post a proposal comes from: a review item's (for those who may read the queue) or
    the proposer's own report's."""
    if review_item is not None:
        if not caller.may(Permission.QUEUE_READ):
            raise HTTPException(403, "name your report, not a review item")
        return svc.store.item(review_item).post_pk
    if report is not None:
        return svc.reports.report_post(report, person)
    return None


@guarded(router, "GET", "/terms/proposals", Permission.TERMS_PROPOSE,
         summary="Proposed terms: all of them for analysts, your own for everyone else")
def get_proposals(request: Request,
                  caller: Annotated[Principal, Depends(require(Permission.TERMS_PROPOSE))],
                  status: Annotated[Literal["pending", "accepted", "rejected"] | None,
                                    Query()] = None,
                  limit: Annotated[int, Query(ge=1, le=1000)] = 200) -> Response:
    person = _person(caller)
    mine = None if caller.may(Permission.TERMS_DECIDE) else person.id
    return json_response(service(request).reports.proposals(
        status=ProposalStatus(status) if status else None, proposed_by=mine, limit=limit))


@guarded(router, "POST", "/terms/proposals/{proposal_id}/decision", Permission.TERMS_DECIDE,
         summary="Accept a proposed term into the lexicon (no restart) or reject it")
def decide_proposal(proposal_id: RecordId, body: ProposalDecisionIn, request: Request,
                    caller: Annotated[Principal, Depends(require(Permission.TERMS_DECIDE))]
                    ) -> Response:
    svc = service(request)
    decided = svc.reports.decide_proposal(proposal_id, ProposalDecision(body.decision),
                                          by=_person(caller), note=body.note,
                                          weight=body.weight)
    if decided.status == ProposalStatus.ACCEPTED.value:
        svc.lexicon_updates.refresh()  # this process scans with it before answering
    return json_response({"proposal": decided, "lexicon_version": svc.detector.lexicon.version})


__all__ = ["optional_principal", "receive_report", "router"]
