"""The review console: server-rendered pages for moderators, analysts and admins."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from wildwatch.server.access import new_csrf_token
from wildwatch.server.api import service

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=HERE / "templates")
router = APIRouter(include_in_schema=False)


def static_files() -> StaticFiles:
    return StaticFiles(directory=HERE / "static")


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request) -> Response:
    return templates.TemplateResponse(request, "login.html", {"error": None})


@router.post("/login")
def login(request: Request, username: Annotated[str, Form(max_length=64)],
          password: Annotated[str, Form(max_length=256)]) -> Response:
    svc = service(request)
    user = svc.store.authenticate(username, password)
    if user is None:
        svc.store.record_audit(f"anonymous:{username[:64]}", "login.failed", "console", {})
        return templates.TemplateResponse(request, "login.html",
                                          {"error": "wrong username or password"},
                                          status_code=401)
    request.session.clear()
    request.session.update({"user_id": user.id, "csrf": new_csrf_token()})
    svc.store.record_audit(f"user:{user.username}", "login", "console", {})
    return RedirectResponse("/", status_code=303)


@router.post("/logout")
def logout(request: Request) -> Response:
    request.session.clear()
    return RedirectResponse("/login", status_code=303)
