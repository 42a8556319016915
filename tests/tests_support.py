"""A detector built once for hypothesis tests (fixtures do not mix with @given)."""

from wildwatch import Detector

DETECTOR = Detector.default()
