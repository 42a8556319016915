"""Every API route with every role: a role without the route's permission gets 403, a role with
it never does, and nobody gets in without credentials. The table is access.GRANTS."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from wildwatch.server.access import GRANTS, Permission
from wildwatch.server.app import create_app
from wildwatch.server.service import Service
from wildwatch.store import Role
from wildwatch.store.records import PEOPLE_ROLES

BODIES = {
    ("POST", "/v1/posts"): {"id": "roles-1", "title": "ivory carving"},
    ("POST", "/v1/review/items/{item_id}/decision"): {"action": "allow", "reason": "other"},
    ("POST", "/v1/webhooks"): {"url": "http://127.0.0.1:9/hook", "platform": "shopco"},
    ("POST", "/v1/users"): {"username": "new", "password": "correct horse battery",
                            "role": "viewer"},
    ("POST", "/v1/api-keys"): {"name": "k", "platform": "shopco"},
    ("POST", "/v1/search/check"): {"query": "ivory bangle", "locale": "vi"},
    ("POST", "/v1/reports"): {"listing": "roles-2", "platform": "shopco",
                              "description": "ivory carving"},
    ("POST", "/v1/spotters/rounds"): {"name": "r", "starts": "2026-11-01T00:00:00Z",
                                      "ends": "2026-11-29T00:00:00Z"},
    ("PUT", "/v1/spotters/rounds/{round_id}"): {"name": "r", "starts": "2026-11-01T00:00:00Z",
                                                "ends": "2026-11-29T00:00:00Z"},
    ("POST", "/v1/terms/proposals"): {"text": "roles term", "species": "elephant"},
    ("POST", "/v1/terms/proposals/{proposal_id}/decision"): {"decision": "reject"},
}
#: Routes anyone may call without credentials, by design.
PUBLIC = {("POST", "/v1/reports")}


@pytest.fixture
def client_and_keys(service: Service) -> Iterator[tuple[TestClient, dict[Role, str]]]:
    store = service.store
    keys = {Role.INTEGRATION: store.create_api_key("ingest", "shopco")}
    for role in PEOPLE_ROLES:
        store.create_user(role.value, "correct horse battery", role)
        keys[role] = store.create_api_key(role.value, "*", username=role.value)
    service.receive([{"id": "queued", "title": "ivory carving"}], actor="test",
                    platform="shopco")
    with TestClient(create_app(service=service)) as client:
        yield client, keys


def _routes() -> list[tuple[str, str, Permission]]:
    from wildwatch.server.api import router
    from wildwatch.server.search_api import api as search_router
    from wildwatch.server.spotters_api import router as spotters_router

    found = []
    for route in [*router.routes, *spotters_router.routes, *search_router.routes]:
        assert isinstance(route, APIRoute)
        extra = route.openapi_extra or {}
        assert "x-permission" in extra, f"{route.path} names no permission"
        for method in route.methods:
            found.append((method, route.path, Permission(extra["x-permission"])))
    return found


ROUTES = _routes()


def _url(path: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: "shopco" if m.group(1) == "platform" else "1", path)


def test_every_permission_is_granted_to_someone() -> None:
    assert set(GRANTS) == set(Permission)
    assert {permission for _, _, permission in ROUTES} <= set(GRANTS)


@pytest.mark.parametrize(("method", "path", "permission"), ROUTES,
                         ids=[f"{m} {p}" for m, p, _ in ROUTES])
def test_each_role_on_each_route(client_and_keys: tuple[TestClient, dict[Role, str]],
                                 method: str, path: str, permission: Permission) -> None:
    client, keys = client_and_keys
    body = BODIES.get((method, path))
    anonymous = client.request(method, _url(path), json=body)
    if (method, path) in PUBLIC:
        assert anonymous.status_code < 400, anonymous.text
    else:
        assert anonymous.status_code == 401, anonymous.text
    for role, key in keys.items():
        answer = client.request(method, _url(path), json=body, headers={"X-API-Key": key})
        if role in GRANTS[permission]:
            assert answer.status_code not in (401, 403), (role, answer.text)
            assert answer.status_code < 500, (role, answer.text)
        else:
            assert answer.status_code == 403, (role, answer.text)
            assert permission.value.replace(":", " ") in answer.json()["detail"]
