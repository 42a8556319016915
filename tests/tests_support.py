"""Detectors built once per engine, shared by fixtures and hypothesis tests (which cannot use
function-scoped fixtures)."""

from __future__ import annotations

import functools

from wildwatch import Detector


@functools.cache
def detector_for(engine: str) -> Detector:
    return Detector.default(engine=engine)


@functools.cache
def service_detector() -> Detector:
    """The detector ``wildwatch serve`` builds by default (model scorer), built once."""
    return Detector.default(scorer="model")
