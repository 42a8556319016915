"""Shared fixtures: every detector test runs on each match engine available here, and every
store test on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from tests_support import detector_for, service_detector
from wildwatch.detect import Detector, available_engines
from wildwatch.server.service import Service
from wildwatch.settings import Settings
from wildwatch.store import Store

# Timing belongs in benchmarks/; a slow or busy CI machine must not fail a property test.
settings.register_profile("wildwatch", deadline=None)
settings.load_profile("wildwatch")

ENGINES = ["hyperscan", "aho-corasick"]


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    if name not in available_engines():
        pytest.skip(f"{name} has no wheel for this platform")
    return name


@pytest.fixture
def detector(engine: str) -> Detector:
    return detector_for(engine)


# -- the store, on SQLite and on PostgreSQL ------------------------------------------------------
# Every test that takes `database_url` (or a fixture built on it) runs on both backends, for
# real. PostgreSQL comes from $WILDWATCH_TEST_POSTGRES (default: this machine's server); where
# none answers the PostgreSQL runs are skipped, unless $WILDWATCH_REQUIRE_POSTGRES=1 (CI sets
# it) turns that into a failure.

BACKENDS = ["sqlite", "postgresql"]
POSTGRES_ADMIN_URL = os.environ.get("WILDWATCH_TEST_POSTGRES",
                                    "postgresql://postgres@127.0.0.1:5432/test")


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import OperationalError

    admin_url = make_url(POSTGRES_ADMIN_URL).set(drivername="postgresql+psycopg")
    name = f"wildwatch_test_{os.getpid()}_{secrets.token_hex(3)}"
    try:
        admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as exc:
        if os.environ.get("WILDWATCH_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PostgreSQL is required but not reachable at {POSTGRES_ADMIN_URL}: "
                        f"{exc}")
        pytest.skip(f"no PostgreSQL at {POSTGRES_ADMIN_URL}")
    url = admin_url.set(database=name).render_as_string(hide_password=False)
    from wildwatch.store import Database

    database = Database(url)
    database.migrate()
    database.dispose()
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


def _empty_postgres(url: str) -> None:
    from sqlalchemy import create_engine, text

    from wildwatch.store.schema import metadata

    engine = create_engine(url)
    with engine.begin() as conn:
        names = ", ".join(table.name for table in metadata.sorted_tables)
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'wildwatch.db'}"
    url: str = request.getfixturevalue("postgres_url")
    _empty_postgres(url)
    return url


@pytest.fixture
def server_settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", database_url=database_url,
                    deliver_webhooks=False, webhook_poll_seconds=0.05)


@pytest.fixture
def service(server_settings: Settings) -> Iterator[Service]:
    svc = Service(server_settings, detector=service_detector())
    yield svc
    svc.close()


@pytest.fixture
def store(service: Service) -> Store:
    return service.store
