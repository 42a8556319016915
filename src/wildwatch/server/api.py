"""The JSON API under /v1: posts in, the review queue, decisions, metrics, lexicon, policy,
webhooks, audit, people and keys. Every route names the permission it needs."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any

import msgspec
import orjson
from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request, Response
from fastapi.routing import APIRoute
from fastapi.security import APIKeyHeader
from pydantic import BeforeValidator

from wildwatch.policy import Action
from wildwatch.server.access import Permission, Principal
from wildwatch.server.schemas import (
    ApiKeyIn,
    ApiKeyOut,
    AuditOut,
    ClaimOut,
    DecisionIn,
    DecisionOut,
    DeliveryOut,
    ErrorOut,
    ItemOut,
    PostBatchIn,
    PostIn,
    QueueEntryOut,
    ReceiptOut,
    ReceiptsOut,
    UserIn,
    UserOut,
    WebhookCreatedOut,
    WebhookIn,
    WebhookOut,
)
from wildwatch.server.service import Service
from wildwatch.store import NotFound, Role

api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False,
                              description="An API key from `wildwatch keys create`.")
_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorOut, "description": "No valid credentials."},
    403: {"model": ErrorOut, "description": "The caller's role may not do this."},
    404: {"model": ErrorOut, "description": "Something the request names (in its path, query "
          "or body) does not exist; the body says what."},
    422: {"model": ErrorOut, "description": "The request is invalid; the body says why."},
}
_BODY_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorOut, "description": "The body cannot be read (not UTF-8 JSON)."},
    413: {"model": ErrorOut, "description": "The body is too large; the body says the limit."},
}
_CONFLICT: dict[int | str, dict[str, Any]] = {
    409: {"model": ErrorOut, "description": "The current state does not allow it; the body "
          "says why."}}
#: Ids, offsets and counts are signed 64-bit integers in the store (SQLite and PostgreSQL):
#: a larger number is refused with 422 here, before a driver fails on it.
STORE_INT_MAX = 2**63 - 1
RecordId = Annotated[int, Path(ge=1, le=STORE_INT_MAX)]


def _not_a_number(value: Any) -> Any:
    # Pydantic reads a number as seconds since 1970; the document promises an RFC 3339 time.
    if isinstance(value, str):
        try:
            float(value)
        except ValueError:
            return value
    elif not isinstance(value, int | float):
        return value
    raise ValueError("give a date and time such as 2026-11-28T09:30:00Z, not a number")


#: A date and time in a query or a JSON body: RFC 3339 text, as the OpenAPI document says.
DateTimeText = Annotated[datetime, BeforeValidator(_not_a_number)]


def service(request: Request) -> Service:
    found: Service = request.app.state.service
    return found


def principal(request: Request, key: Annotated[str | None, Depends(api_key_header)]) -> Principal:
    """The caller, from an API key header or a console session; 401 when neither."""
    svc = service(request)
    if key:
        found = svc.store.api_key(key)
        if found is None:
            raise HTTPException(401, "this API key is unknown or revoked")
        return Principal.of_key(*found)
    user_id = request.session.get("user_id") if "session" in request.scope else None
    if user_id is not None:
        user = svc.store.user(int(user_id))
        if user is not None and user.active:
            if request.method not in ("GET", "HEAD", "OPTIONS") and \
                    request.headers.get("X-CSRF-Token") != request.session.get("csrf"):
                raise HTTPException(403, "missing or wrong X-CSRF-Token header for a "
                                    "session-authenticated change")
            return Principal.of_user(user, via_session=True)
    raise HTTPException(401, "send an X-API-Key header or log in to the console")


def require(permission: Permission) -> Callable[..., Principal]:
    def check(caller: Annotated[Principal, Depends(principal)]) -> Principal:
        if not caller.may(permission):
            raise HTTPException(403, f"the role {caller.role.value!r} may not "
                                f"{permission.value.replace(':', ' ')}")
        return caller
    return check


def guarded(router: APIRouter, method: str, path: str, permission: Permission,
            **options: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a route that needs ``permission``, recording it in the OpenAPI document with
    the errors it may answer: 401, 403, 404 and 422 always, 400 and 413 when it takes a body;
    ``responses`` adds the route's own."""
    responses = {**_ERRORS, **options.pop("responses", {})}
    register = router.api_route(path, methods=[method], responses=responses,
                                openapi_extra={"x-permission": permission.value}, **options)

    def decorate(endpoint: Callable[..., Any]) -> Callable[..., Any]:
        registered = register(endpoint)
        route = router.routes[-1]
        # Only FastAPI knows, once it has read the signature, whether the route reads a body.
        # The app includes this router later, which builds the response models from these.
        if isinstance(route, APIRoute) and route.body_field is not None:
            for status, response in _BODY_ERRORS.items():
                route.responses.setdefault(status, response)
        return registered

    return decorate


router = APIRouter(prefix="/v1")
Caller = Principal


def _scope(caller: Principal, platform: str | None) -> str | None:
    """The platform a caller may see: an API key only its own."""
    if caller.platform is None:
        return platform
    if platform not in (None, caller.platform):
        raise HTTPException(403, f"this API key is for platform {caller.platform!r}")
    return caller.platform


def json_response(value: Any, status: int = 200) -> Response:
    """``value`` (records, lists, dicts) as JSON. The store keeps times in UTC without a zone;
    they go out with their ``Z``, as RFC 3339 date-times."""
    body = orjson.dumps(msgspec.to_builtins(value, builtin_types=(datetime,)),
                        option=orjson.OPT_NAIVE_UTC | orjson.OPT_UTC_Z)
    return Response(body, status_code=status, media_type="application/json")


@guarded(router, "POST", "/posts", Permission.POSTS_WRITE, response_model=ReceiptsOut,
         summary="Scan posts, apply the policy, store them; returns verdicts and actions")
def post_posts(body: PostIn | PostBatchIn, request: Request,
               caller: Annotated[Principal, Depends(require(Permission.POSTS_WRITE))]
               ) -> Response:
    """One post, or ``{"posts": [...]}``. Idempotent per (platform, post id). If any post of a
    batch is invalid, none is stored and the 422 lists every problem."""
    items = body.posts if isinstance(body, PostBatchIn) else [body]
    svc = service(request)
    if len(items) > svc.settings.max_batch:
        raise HTTPException(413, f"at most {svc.settings.max_batch} posts per request, not "
                            f"{len(items)}; split the batch")
    records = [item.model_dump(exclude_unset=True) for item in items]
    receipts = svc.receive(records, actor=caller.actor, platform=caller.platform)
    return json_response({"results": receipts})


@guarded(router, "GET", "/posts/{platform}/{post_id}", Permission.POSTS_READ,
         response_model=ReceiptOut, summary="A stored post's verdict and current action")
def get_post(platform: str, post_id: str, request: Request,
             caller: Annotated[Principal, Depends(require(Permission.POSTS_READ))]) -> Response:
    return json_response(service(request).store.post_action(_scope(caller, platform) or platform,
                                                     post_id))


@guarded(router, "GET", "/review/queue", Permission.QUEUE_READ,
         response_model=list[QueueEntryOut], summary="Open review items, most urgent first")
def get_queue(request: Request,
              caller: Annotated[Principal, Depends(require(Permission.QUEUE_READ))],
              limit: Annotated[int, Query(ge=1, le=500)] = 50,
              offset: Annotated[int, Query(ge=0, le=STORE_INT_MAX)] = 0,
              platform: Annotated[str | None, Query(max_length=64)] = None,
              species: Annotated[str | None, Query(max_length=64)] = None) -> Response:
    return json_response(service(request).store.queue(limit=limit, offset=offset,
                                              platform=_scope(caller, platform),
                                              species=species))


@guarded(router, "GET", "/review/items/{item_id}", Permission.QUEUE_READ,
         response_model=ItemOut, summary="A review item with its post, evidence and history")
def get_item(item_id: RecordId, request: Request,
             caller: Annotated[Principal, Depends(require(Permission.QUEUE_READ))]) -> Response:
    return json_response(service(request).store.item(item_id))


@guarded(router, "POST", "/review/items/{item_id}/claim", Permission.REVIEW_DECIDE,
         response_model=ClaimOut, responses=_CONFLICT,
         summary="Lock an item so no other moderator decides it")
def claim_item(item_id: RecordId, request: Request,
               caller: Annotated[Principal, Depends(require(Permission.REVIEW_DECIDE))]
               ) -> Response:
    svc = service(request)
    until = svc.store.claim(item_id, _person(caller), svc.settings.claim_minutes)
    return json_response({"item_id": item_id, "claimed_until": until})


@guarded(router, "POST", "/review/items/{item_id}/release", Permission.REVIEW_DECIDE,
         status_code=204, responses=_CONFLICT, summary="Give a claimed item back to the queue")
def release_item(item_id: RecordId, request: Request,
                 caller: Annotated[Principal, Depends(require(Permission.REVIEW_DECIDE))]
                 ) -> Response:
    service(request).store.release(item_id, _person(caller))
    return Response(status_code=204)


@guarded(router, "POST", "/review/items/{item_id}/decision", Permission.REVIEW_DECIDE,
         response_model=DecisionOut, responses=_CONFLICT, summary="Decide an item you hold")
def decide_item(item_id: RecordId, body: DecisionIn, request: Request,
                caller: Annotated[Principal, Depends(require(Permission.REVIEW_DECIDE))]
                ) -> Response:
    record = service(request).store.decide(item_id, _person(caller), Action(body.action),
                                           body.reason, body.note)
    return json_response(record)


@guarded(router, "GET", "/decisions", Permission.POSTS_READ, response_model=list[DecisionOut],
         summary="Reviewers' decisions in order, for a platform to poll")
def get_decisions(request: Request,
                  caller: Annotated[Principal, Depends(require(Permission.POSTS_READ))],
                  since_id: Annotated[int, Query(ge=0, le=STORE_INT_MAX)] = 0,
                  limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> Response:
    return json_response(service(request).store.decisions(since_id=since_id, limit=limit,
                                                  platform=caller.platform))


@guarded(router, "GET", "/metrics", Permission.METRICS_READ,
         summary="Posts scanned, flagged, removed or blocked, by species, platform, action and "
                 "month; queue depth")
def get_metrics(request: Request,
                caller: Annotated[Principal, Depends(require(Permission.METRICS_READ))],
                platform: Annotated[str | None, Query(max_length=64)] = None
                ) -> dict[str, Any]:
    return service(request).store.metrics(platform=_scope(caller, platform))


@guarded(router, "GET", "/metrics.csv", Permission.METRICS_READ,
         response_class=Response, summary="The dashboard's counts as CSV",
         responses={200: {"content": {"text/csv": {"schema": {"type": "string"}}}}})
def get_metrics_csv(request: Request,
                    caller: Annotated[Principal, Depends(require(Permission.METRICS_READ))],
                    platform: Annotated[str | None, Query(max_length=64)] = None) -> Response:
    metrics = service(request).store.metrics(platform=_scope(caller, platform))
    return Response(metrics_csv(metrics), media_type="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="wildwatch-metrics.csv"'})


def metrics_csv(metrics: dict[str, Any]) -> str:
    """One row per (dimension, key): posts, flagged, removed or blocked."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["dimension", "key", "posts", "flagged", "removed_or_blocked"])
    for name, value in metrics["totals"].items():
        writer.writerow(["total", name, value, "", ""])
    for dimension in ("by_species", "by_platform", "by_month"):
        for row in metrics[dimension]:
            writer.writerow([dimension.removeprefix("by_"), _cell(row["key"]), row["posts"],
                             row["flagged"], row["removed_or_blocked"]])
    for row in metrics["by_action"]:
        writer.writerow(["action", row["key"], row["posts"], "", ""])
    return out.getvalue()


def _cell(value: Any) -> str:
    # Platform names come from integrators; keep spreadsheet formulas out of the export.
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@guarded(router, "GET", "/lexicon", Permission.LEXICON_READ,
         summary="The lexicon's version and groups with their term counts")
def get_lexicon(request: Request,
                caller: Annotated[Principal, Depends(require(Permission.LEXICON_READ))]
                ) -> dict[str, Any]:
    lexicon = service(request).detector.lexicon
    return {"version": lexicon.version, "groups": [
        {"id": group.id, "name": group.name, "cites": group.cites, "terms": len(group.terms)}
        for group in lexicon.groups.values()]}


@guarded(router, "GET", "/lexicon/groups/{group_id}", Permission.LEXICON_READ,
         summary="One species group with every term")
def get_lexicon_group(group_id: str, request: Request,
                      caller: Annotated[Principal, Depends(require(Permission.LEXICON_READ))]
                      ) -> dict[str, Any]:
    group = service(request).detector.lexicon.groups.get(group_id)
    if group is None:
        raise NotFound(f"there is no lexicon group {group_id!r}")
    return {"id": group.id, "name": group.name, "description": group.description,
            "cites": group.cites, "taxa": group.taxa,
            "terms": [{"text": t.text, "kind": t.kind.value, "lang": t.lang, "weight": t.weight,
                       "source": t.source, "variant_of": t.variant_of} for t in group.terms]}


@guarded(router, "GET", "/policy", Permission.POLICY_READ,
         summary="The policy in force: categories, CITES appendices, rules and overrides")
def get_policy(request: Request,
               caller: Annotated[Principal, Depends(require(Permission.POLICY_READ))]
               ) -> dict[str, Any]:
    return service(request).policy.to_dict()


@guarded(router, "POST", "/webhooks", Permission.WEBHOOKS_MANAGE, status_code=201,
         response_model=WebhookCreatedOut, summary="Register a URL for signed deliveries")
def post_webhook(body: WebhookIn, request: Request,
                 caller: Annotated[Principal, Depends(require(Permission.WEBHOOKS_MANAGE))]
                 ) -> Response:
    platform = caller.platform or body.platform
    if platform is None:
        raise HTTPException(422, "say which platform's events this webhook receives "
                            "('platform')")
    if caller.platform is not None and body.platform not in (None, caller.platform):
        raise HTTPException(403, f"this API key is for platform {caller.platform!r}")
    hook, secret = service(request).store.add_webhook(platform, body.url, body.events,
                                                      actor=caller.actor)
    return json_response({**msgspec.structs.asdict(hook), "secret": secret}, 201)


@guarded(router, "GET", "/webhooks", Permission.WEBHOOKS_MANAGE,
         response_model=list[WebhookOut], summary="Registered webhooks")
def get_webhooks(request: Request,
                 caller: Annotated[Principal, Depends(require(Permission.WEBHOOKS_MANAGE))]
                 ) -> Response:
    return json_response(service(request).store.webhooks(caller.platform))


@guarded(router, "DELETE", "/webhooks/{webhook_id}", Permission.WEBHOOKS_MANAGE,
         status_code=204, summary="Stop deliveries to a webhook")
def delete_webhook(webhook_id: RecordId, request: Request,
                   caller: Annotated[Principal, Depends(require(Permission.WEBHOOKS_MANAGE))]
                   ) -> Response:
    store = service(request).store
    _own_webhook(store.webhooks(caller.platform), webhook_id)
    store.deactivate_webhook(webhook_id, actor=caller.actor)
    return Response(status_code=204)


@guarded(router, "GET", "/webhooks/{webhook_id}/deliveries", Permission.WEBHOOKS_MANAGE,
         response_model=list[DeliveryOut], summary="The delivery log of a webhook")
def get_deliveries(webhook_id: RecordId, request: Request,
                   caller: Annotated[Principal, Depends(require(Permission.WEBHOOKS_MANAGE))],
                   limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> Response:
    store = service(request).store
    _own_webhook(store.webhooks(caller.platform), webhook_id)
    return json_response(store.deliveries(webhook_id=webhook_id, limit=limit))


def _own_webhook(hooks: list[Any], webhook_id: int) -> None:
    if all(hook.id != webhook_id for hook in hooks):
        raise NotFound(f"there is no webhook {webhook_id}")


@guarded(router, "GET", "/audit", Permission.AUDIT_READ, response_model=list[AuditOut],
         summary="The append-only audit log, newest first")
def get_audit(request: Request,
              caller: Annotated[Principal, Depends(require(Permission.AUDIT_READ))],
              subject: Annotated[str | None, Query(max_length=96)] = None,
              before_id: Annotated[int | None, Query(ge=1, le=STORE_INT_MAX)] = None,
              limit: Annotated[int, Query(ge=1, le=1000)] = 200) -> Response:
    return json_response(service(request).store.audit(subject=subject, before_id=before_id,
                                              limit=limit))


@guarded(router, "GET", "/users", Permission.PEOPLE_MANAGE, response_model=list[UserOut],
         summary="People with access")
def get_users(request: Request,
              caller: Annotated[Principal, Depends(require(Permission.PEOPLE_MANAGE))]
              ) -> Response:
    return json_response(service(request).store.users())


@guarded(router, "POST", "/users", Permission.PEOPLE_MANAGE, status_code=201,
         response_model=UserOut, responses=_CONFLICT, summary="Give a person access")
def post_user(body: UserIn, request: Request,
              caller: Annotated[Principal, Depends(require(Permission.PEOPLE_MANAGE))]
              ) -> Response:
    user = service(request).store.create_user(body.username, body.password, Role(body.role),
                                              body.locale, actor=caller.actor)
    return json_response(user, 201)


@guarded(router, "POST", "/api-keys", Permission.PEOPLE_MANAGE, status_code=201,
         response_model=ApiKeyOut, summary="Make an API key (shown once)")
def post_api_key(body: ApiKeyIn, request: Request,
                 caller: Annotated[Principal, Depends(require(Permission.PEOPLE_MANAGE))]
                 ) -> Response:
    if body.platform == "*" and body.user is None:
        raise HTTPException(422, "an integration key belongs to one platform, not '*'")
    key = service(request).store.create_api_key(body.name, body.platform, username=body.user,
                                                actor=caller.actor)
    return json_response({"key": key}, 201)


def _person(caller: Principal) -> Any:
    if caller.user is None:
        raise HTTPException(403, "only a person can claim and decide review items; "
                            "log in or use a key made for your account")
    return caller.user
