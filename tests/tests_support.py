"""Detectors built once per engine, shared by fixtures and hypothesis tests (which cannot use
function-scoped fixtures)."""

from __future__ import annotations

import contextlib
import functools
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from wildwatch import Detector


@functools.cache
def detector_for(engine: str) -> Detector:
    return Detector.default(engine=engine)


@functools.cache
def service_detector() -> Detector:
    """The detector ``wildwatch serve`` builds by default (model scorer), built once."""
    return Detector.default(scorer="model")


@contextlib.contextmanager
def serving(app: Any) -> Iterator[str]:
    """Run ``app`` on a real uvicorn server on a free 127.0.0.1 port, in a thread, with its
    lifespan (the webhook sender runs); yields the base URL."""
    import socket
    import time

    import uvicorn

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


class Receiver:
    """A real HTTP endpoint on 127.0.0.1 that records what it receives and answers
    with the status codes it is told to, in turn (200 once they run out)."""

    def __init__(self) -> None:
        self.received: list[tuple[dict[str, str], bytes]] = []
        self.statuses: list[int] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                owner.received.append((dict(self.headers), body))
                self.send_response(owner.statuses.pop(0) if owner.statuses else 200)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
