"""The ASGI entry point uvicorn loads (``wildwatch.server.asgi:app``), built from settings."""

from wildwatch.server.app import create_app

app = create_app()
