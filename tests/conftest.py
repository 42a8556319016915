"""Shared fixtures: every detector test runs on each match engine available here."""

from __future__ import annotations

import pytest
from hypothesis import settings

from tests_support import detector_for
from wildwatch.detect import Detector, available_engines

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
