"""Schemathesis against the API's own OpenAPI document, with every role's credentials.

Requests generated from the document, valid and invalid, go to every operation with the
credentials of every role (people's roles with a key that acts as the person, and a platform's
integration key), on SQLite and on PostgreSQL. Every answer must: not be a 5xx; have a status,
content type, headers and body that the document declares; reject data the document calls
invalid; and, for every 4xx, say in a non-empty ``detail`` what was wrong.

Schemathesis's check that every schema-valid request is accepted is off: the API has rules the
document cannot state (an admin's webhook names its platform, an integration key's need not; a
term proposal names a species group of the lexicon in force), and breaking them is a 422 that
says which rule. Nor is invalid data in a multipart form expected to be refused for its type:
every form value is text, so a number or a boolean "in the wrong place" is a valid string.
Query and path values are text too: "+3" or " 3" read as the number 3 is not a wrong type, and
a query key given twice ("an array") counts once, with its last value; neither is generated as
an invalid value.

The operations are walked here rather than with ``schemathesis.pytest.from_fixture``: its lazy
loader rewrites ``request.node._nodeid``, which pytest 9.2 no longer has.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from wildwatch.server.app import create_app
from wildwatch.server.service import Service
from wildwatch.store import Role, Store

ROLES = [role.value for role in Role]
PLATFORM = "shopco"
EXAMPLES = 6
"""Per operation, role, backend and mode (valid or invalid data)."""
CONFIG = schemathesis.Config.from_dict({
    "phases": {"stateful": {"enabled": False}},
    "checks": {"positive_data_acceptance": {"enabled": False}},
})


def client_errors_say_why(ctx: Any, response: schemathesis.Response,
                          case: schemathesis.Case) -> bool | None:
    """A 4xx tells the caller what was wrong: a JSON body with a non-empty ``detail``."""
    if not 400 <= response.status_code < 500:
        return None
    try:
        body = response.json()
    except ValueError:
        raise AssertionError(f"{response.status_code} without a JSON body: "
                             f"{response.text[:200]!r}") from None
    if not isinstance(body, dict) or not body.get("detail"):
        raise AssertionError(f"{response.status_code} without a detail: {body!r}")
    return True


_TEXT_INTEGER = re.compile(r"\s*[+-]?\d+\s*")


def _integer_spelt_otherwise(value: Any) -> bool:
    if not isinstance(value, str) or not _TEXT_INTEGER.fullmatch(value):
        return False
    try:
        return value != str(int(value))
    except ValueError:  # whitespace that int() does not strip: not a number at all
        return False


def _no_integer_spelt_otherwise(values: dict[str, Any] | None) -> bool:
    return not any(_integer_spelt_otherwise(value) for value in (values or {}).values())


def filter_query(context: Any, query: dict[str, Any] | None) -> bool:
    repeated = any(isinstance(value, list) for value in (query or {}).values())
    return not repeated and _no_integer_spelt_otherwise(query)


def filter_path_parameters(context: Any, path_parameters: dict[str, Any] | None) -> bool:
    return _no_integer_spelt_otherwise(path_parameters)


def _credentials(store: Store, role: str) -> dict[str, str]:
    if role == "integration":
        return {"X-API-Key": store.create_api_key("integration", PLATFORM)}
    store.create_user(role, "correct horse battery", Role(role))
    return {"X-API-Key": store.create_api_key(role, "*", username=role)}


def _seed(service: Service) -> None:
    """A few posts, review items and a webhook, so that some generated ids exist."""
    service.receive([{"id": str(n), "title": title} for n, title in enumerate(
        ["Carved ivory bangle, DM for price", "ivory carving", "rhino horn powder",
         "ivory white wedding dress"], start=1)], actor="test", platform=PLATFORM)
    service.store.add_webhook(PLATFORM, "https://example.invalid/hook", actor="test")


@pytest.mark.parametrize("role", ROLES)
def test_every_operation_for_every_role(service: Service, role: str) -> None:
    _seed(service)
    headers = _credentials(service.store, role)
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(service=service),
                                            config=CONFIG)
    schema.hook(filter_query)
    schema.hook(filter_path_parameters)
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @settings(max_examples=EXAMPLES, deadline=None, database=None,
                      suppress_health_check=list(HealthCheck))
            @given(case=operation.as_strategy(mode, headers=headers))
            def check(case: schemathesis.Case) -> None:
                untyped = case.media_type == "multipart/form-data"
                case.call_and_validate(
                    headers=headers, additional_checks=[client_errors_say_why],
                    excluded_checks=[schemathesis.checks.negative_data_rejection] if untyped
                    else [])

            try:
                check()
            except Unsatisfiable:
                pass  # nothing in this operation can be made invalid (no parameters, any string)
            except (Exception, BaseExceptionGroup) as exc:  # every failure, then fail once
                failures.append(f"{operation.label} ({mode.value}, {role}): {exc}")
    assert not failures, "\n\n".join(failures)
