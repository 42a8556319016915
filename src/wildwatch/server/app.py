"""The web application: the JSON API, the review console and the webhook sender in one process."""

from __future__ import annotations

import json
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from wildwatch import __version__
from wildwatch.server.api import router as api_router
from wildwatch.server.search_api import router as search_router
from wildwatch.server.service import BatchError, Service
from wildwatch.server.spotters_api import router as spotters_api_router
from wildwatch.settings import Settings
from wildwatch.store import NotFound, StoreConflict

# Listing text is hostile. Besides escaping it everywhere, the console runs no inline script or
# style and loads scripts and styles from no other origin, so an injected tag has nothing to run.
# Images may come over HTTPS: a moderator sees the listing's photos (blurred until asked).
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; "
                           "img-src 'self' data: https:; object-src 'none'; base-uri 'none'; "
                           "frame-ancestors 'none'; form-action 'self'")
DOCS_CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self' 'unsafe-inline' "
                                "cdn.jsdelivr.net; style-src 'self' cdn.jsdelivr.net; "
                                "img-src 'self' data: fastapi.tiangolo.com")


class SecurityHeaders:
    """Adds the security headers to every response (pure ASGI: cheap on the hot path)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        policy = DOCS_CONTENT_SECURITY_POLICY if scope["path"] in ("/docs", "/redoc") \
            else CONTENT_SECURITY_POLICY

        async def send_with_headers(message: dict[str, object]) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))  # type: ignore[call-overload]
                headers += [(b"content-security-policy", policy.encode()),
                            (b"x-content-type-options", b"nosniff"),
                            (b"referrer-policy", b"no-referrer"),
                            (b"x-frame-options", b"DENY")]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)  # type: ignore[arg-type]


class BodyLimit:
    """Refuses request bodies over ``limit`` bytes with 413, before anything reads them whole."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit():
            if int(declared) > self.limit:
                await self._refuse(send)
                return
            await self.app(scope, receive, send)
            return
        # No declared length (chunked): read up to the limit here, then hand the body on.
        chunks: list[bytes] = []
        seen = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                await self.app(scope, receive, send)
                return
            chunk = message.get("body", b"")
            seen += len(chunk)
            if seen > self.limit:
                await self._refuse(send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": b"".join(chunks), "more_body": False}

        await self.app(scope, replay, send)

    async def _refuse(self, send: Send) -> None:
        body = json.dumps({"detail": f"the request body is larger than {self.limit} bytes; "
                                     "send fewer posts per request"}).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


def _watch_lexicon(svc: Service, stop: threading.Event) -> None:
    while not stop.wait(1.0):
        svc.lexicon_updates.check()


def create_app(settings: Settings | None = None, *, service: Service | None = None) -> FastAPI:
    """The ASGI app. Pass a ``service`` to share one (tests), or ``settings`` to build one."""
    settings = settings or (service.settings if service is not None else Settings())
    svc = service or Service(settings)
    stop = threading.Event()

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        sender = None
        if settings.deliver_webhooks:
            from wildwatch.server.webhooks import WebhookSender

            sender = WebhookSender(svc.store, settings)
            thread = threading.Thread(target=sender.run, args=(stop,), name="webhooks",
                                      daemon=True)
            thread.start()
        # Accepted terms reach this process within a second or so even when it only answers
        # search checks (scans also look before they run).
        watcher = threading.Thread(target=_watch_lexicon, args=(svc, stop),
                                   name="lexicon-watch", daemon=True)
        watcher.start()
        yield
        stop.set()
        watcher.join(timeout=10)
        if sender is not None:
            thread.join(timeout=10)

    app = FastAPI(title="Wildwatch", version=__version__, lifespan=lifespan,
                  description="Find and stop wildlife trafficking online: send posts, get "
                              "verdicts and policy actions, review, decide, count.")
    app.state.service = svc
    app.include_router(api_router)
    app.include_router(search_router)
    app.include_router(spotters_api_router)
    from wildwatch.server.console import router as console_router
    from wildwatch.server.console import static_files

    app.include_router(console_router)
    from wildwatch.server.spotters import router as spotters_router

    app.include_router(spotters_router)
    app.mount("/static", static_files(), name="static")
    app.add_middleware(SessionMiddleware, secret_key=settings.session_secret(),
                       session_cookie="wildwatch_session", same_site="lax",
                       https_only=settings.secure_cookies,
                       max_age=int(timedelta(hours=settings.session_hours).total_seconds()))
    app.add_middleware(SecurityHeaders)
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok", "lexicon": svc.detector.lexicon.version,
                "policy": svc.policy.version}

    @app.exception_handler(BatchError)
    def batch_error(_request: Request, exc: BatchError) -> JSONResponse:
        return JSONResponse({"detail": str(exc), "problems": exc.problems}, status_code=422)

    @app.exception_handler(NotFound)
    def not_found(_request: Request, exc: NotFound) -> JSONResponse:
        return JSONResponse({"detail": str(exc.args[0])}, status_code=404)

    @app.exception_handler(StoreConflict)
    def conflict(_request: Request, exc: StoreConflict) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=409)

    @app.exception_handler(ValueError)
    def bad_value(_request: Request, exc: ValueError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=422)

    @app.exception_handler(DataError)
    def bad_data(_request: Request, exc: DataError) -> JSONResponse:
        # PostgreSQL cannot store a NUL character in text (SQLite can): the request is wrong,
        # not the server. Any other data error is a bug and stays a 500.
        if "NUL" not in str(exc.orig):
            raise exc
        return JSONResponse({"detail": "text in the request holds a NUL character (\\u0000), "
                                       "which cannot be stored"}, status_code=422)

    return app
