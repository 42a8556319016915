"""What every command shares: the error console, failing with a message, loading the lexicon."""

from __future__ import annotations

from pathlib import Path
from typing import NoReturn

import typer
from rich.console import Console
from rich.markup import escape

from wildwatch.lexicon import Lexicon, LexiconError, load_lexicon

err = Console(stderr=True)


def fail(message: str) -> NoReturn:
    """Say what was wrong and stop with exit code 2 (the command could not run)."""
    err.print(f"[red]error[/red]: {escape(message)}", markup=True, highlight=False)
    raise typer.Exit(2)


def lexicon_or_fail(folder: Path | None) -> Lexicon:
    """The lexicon in ``folder`` (default: the shipped one), or a failure naming the bad line."""
    try:
        return load_lexicon(folder)
    except LexiconError as exc:
        fail(str(exc))
