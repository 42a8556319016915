"""Making text comparable: the normaliser that undoes sellers' obfuscation."""

from wildwatch.text.normalize import Normalizer, Traced, normalize_text

__all__ = ["Normalizer", "Traced", "normalize_text"]
