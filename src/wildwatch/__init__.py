"""Wildwatch: find and stop wildlife trafficking online.

The public face is small: ``from wildwatch import Detector, Post, Verdict``.
"""

from wildwatch.detect import Detector, Level, Match, Verdict
from wildwatch.ingest import Post, Seller

__version__ = "0.1.0"
__all__ = ["Detector", "Level", "Match", "Post", "Seller", "Verdict", "__version__"]
