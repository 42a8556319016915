"""Engaging users: citizen spotters' reports, rounds and proposed terms (and, beside them, what
searchers are shown)."""
