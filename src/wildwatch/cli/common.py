"""What every command shares: the error console, failing with a message, loading the lexicon,
the server's settings and store."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import typer
from rich.console import Console
from rich.markup import escape

from wildwatch.lexicon import Lexicon, LexiconError, load_lexicon

if TYPE_CHECKING:
    from wildwatch.settings import Settings
    from wildwatch.store import Store

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


def settings_for(database: str | None) -> Settings:
    """The server's settings (``WILDWATCH_*``), with ``--database`` if given."""
    from wildwatch.settings import Settings

    settings = Settings()
    if database is not None:
        settings.database_url = database
    return settings


def open_store(settings: Settings) -> Store:
    """The store the server would use, migrated; or a failure that says what to change."""
    from sqlalchemy.exc import OperationalError

    from wildwatch.store import Database, Store, StoreError

    try:
        db = Database(settings.resolved_database_url())
        db.migrate()
    except (StoreError, OperationalError) as exc:
        fail(f"cannot open the store at {redacted(settings.resolved_database_url())}: "
             f"{str(exc).splitlines()[0]}")
    return Store(db)


def redacted(url: str) -> str:
    """A store URL fit to print: the password hidden."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
