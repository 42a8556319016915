"""``wildwatch serve``, ``wildwatch users``, ``wildwatch keys`` and ``wildwatch db``: run the
platform and give people and machines access to it.

Every command reads the same settings as the server (``WILDWATCH_*`` variables, see
docs/operators.md), so ``wildwatch users create`` writes to the store ``wildwatch serve`` uses.
"""

from __future__ import annotations

import contextlib
import getpass
import os
import sys
from typing import Annotated

import typer

from wildwatch.cli.common import err, fail, open_store, redacted, settings_for
from wildwatch.store.records import PEOPLE_ROLES, Role

users_app = typer.Typer(help="People who use the console and the API.", no_args_is_help=True)
keys_app = typer.Typer(help="API keys for machines (and for people's scripts).",
                       no_args_is_help=True)
db_app = typer.Typer(help="The store's schema.", no_args_is_help=True)

DatabaseOption = Annotated[str | None, typer.Option(
    "--database", help="Store URL (default: $WILDWATCH_DATABASE_URL, else a SQLite file in "
    "the data directory).")]


def serve(
    host: Annotated[str | None, typer.Option(help="Address (default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default 8000).")] = None,
    database: DatabaseOption = None,
    workers: Annotated[int, typer.Option(min=1, help="Server processes.")] = 1,
) -> None:
    """Run the API, the review console and the webhook sender."""
    import uvicorn

    settings = settings_for(database)
    if host is not None:
        settings.host = host
    if port is not None:
        settings.port = port
    store_url = settings.resolved_database_url()
    if workers > 1 and store_url.startswith("sqlite"):
        err.print("note: with SQLite, several workers take turns to write; PostgreSQL scales "
                  "better", highlight=False)
    store = open_store(settings)  # migrate once, before any worker starts
    if not store.users():
        err.print("No one can log in yet. Make the first admin (it asks for a password):\n"
                  "  wildwatch users create NAME --role admin", highlight=False)
    store.db.dispose()
    err.print(f"Wildwatch console: http://{settings.host}:{settings.port}/  "
              f"(API docs: /docs; store: {redacted(store_url)})", highlight=False)
    # Workers build the app from the same settings (env vars), so pass them on.
    os.environ["WILDWATCH_DATABASE_URL"] = store_url
    if workers == 1:
        uvicorn.run("wildwatch.server.asgi:app", host=settings.host, port=settings.port,
                    log_level="warning", access_log=False)
        return
    import socket

    from uvicorn.supervisors import Multiprocess

    config = uvicorn.Config("wildwatch.server.asgi:app", host=settings.host, port=settings.port,
                            workers=workers, log_level="warning", access_log=False)
    listener = config.bind_socket()
    # uvicorn binds it without saying it is TCP, so asyncio never sets TCP_NODELAY on the
    # workers' connections and each answer waits ~40 ms for a delayed ACK (uvicorn issue
    # 3149). The same socket, said to be TCP:
    if listener.family in (socket.AF_INET, socket.AF_INET6):
        listener = socket.socket(listener.family, listener.type, socket.IPPROTO_TCP,
                                 fileno=listener.detach())
    with contextlib.suppress(KeyboardInterrupt):
        Multiprocess(config, sockets=[listener]).run()


@users_app.command("create")
def users_create(
    username: Annotated[str, typer.Argument(help="Log-in name.")],
    role: Annotated[str, typer.Option(help="admin, analyst, moderator, viewer or spotter.")]
    = "admin",
    locale: Annotated[str, typer.Option(help="Console language: en or zh-Hans.")] = "en",
    password_stdin: Annotated[bool, typer.Option(
        "--password-stdin", help="Read the password from standard input (for scripts).")]
    = False,
    database: DatabaseOption = None,
) -> None:
    """Give a person access. Asks for the password (at least 12 characters)."""
    from wildwatch.store import StoreConflict

    if role not in {r.value for r in PEOPLE_ROLES}:
        fail(f"unknown role {role!r}; choose "
             f"{', '.join(r.value for r in PEOPLE_ROLES)}")
    if locale not in ("en", "zh-Hans"):
        fail(f"unknown locale {locale!r}; choose en or zh-Hans")
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Password: ")
        if getpass.getpass("Again: ") != password:
            fail("the two passwords differ")
    store = open_store(settings_for(database))
    try:
        user = store.create_user(username, password, Role(role), locale, actor="cli")
    except (ValueError, StoreConflict) as exc:
        fail(str(exc))
    err.print(f"created {user.role.value} {user.username!r}", highlight=False)


@keys_app.command("create")
def keys_create(
    name: Annotated[str, typer.Argument(help="What the key is for, e.g. 'shopco ingest'.")],
    platform: Annotated[str, typer.Option(help="The platform it sends posts for ('*' only "
                                          "with --user).")],
    user: Annotated[str | None, typer.Option(help="Make a key that acts as this person.")]
    = None,
    database: DatabaseOption = None,
) -> None:
    """Make an API key and print it: it is shown this once, Wildwatch keeps only its hash."""
    from wildwatch.store import NotFound

    store = open_store(settings_for(database))
    try:
        key = store.create_api_key(name, platform, username=user, actor="cli")
    except (ValueError, NotFound) as exc:
        fail(str(exc.args[0]))
    print(key)


@db_app.command("upgrade")
def db_upgrade(database: DatabaseOption = None) -> None:
    """Create or migrate the store's tables to this version (serve does it on start too)."""
    open_store(settings_for(database)).db.dispose()
    err.print("the store is up to date", highlight=False)


def register(app: typer.Typer) -> None:
    app.command()(serve)
    app.add_typer(users_app, name="users")
    app.add_typer(keys_app, name="keys")
    app.add_typer(db_app, name="db")
