"""Delivering actions and decisions to the platforms' webhooks: signed, retried, logged.

Deliveries are written to the store in the same transaction as the action or decision they
report (an outbox), so none is lost if the server stops; this sender posts them.

Each request carries ``Wildwatch-Signature: t=<unix time>,v1=<hex>``, where ``<hex>`` is
HMAC-SHA256, keyed with the webhook's secret, of ``"<unix time>.<body>"``; a receiver
recomputes it (see :func:`verify`) and rejects old timestamps to stop replays. A delivery that
fails (network error or a non-2xx answer) is retried after 2 s, 4 s, 8 s ... (capped at one hour)
until ``webhook_max_attempts``, then marked failed; every attempt is in the delivery log.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
from datetime import timedelta

import httpx

from wildwatch import __version__
from wildwatch.settings import Settings
from wildwatch.store import Store
from wildwatch.store.records import utcnow

SIGNATURE_HEADER = "Wildwatch-Signature"
FIRST_RETRY_SECONDS = 2.0
MAX_RETRY_SECONDS = 3600.0


def sign(secret: str, body: bytes, timestamp: int) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body,
                      hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify(secret: str, body: bytes, header: str, *, tolerance_seconds: int = 300,
           now: float | None = None) -> bool:
    """What a receiver does: check the signature and that it is recent."""
    try:
        fields = dict(part.split("=", 1) for part in header.split(","))
        timestamp = int(fields["t"])
    except (ValueError, KeyError):
        return False
    if abs((time.time() if now is None else now) - timestamp) > tolerance_seconds:
        return False
    return hmac.compare_digest(sign(secret, body, timestamp), header)


def backoff(attempt: int) -> float:
    """Seconds to wait after failed attempt number ``attempt`` (1-based)."""
    return float(min(FIRST_RETRY_SECONDS * 2 ** (attempt - 1), MAX_RETRY_SECONDS))


class WebhookSender:
    """Posts due deliveries until told to stop. One per server process is enough."""

    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.settings = settings
        self.client = httpx.Client(timeout=settings.webhook_timeout_seconds,
                                   headers={"User-Agent": f"Wildwatch/{__version__}"},
                                   follow_redirects=False)

    def run(self, stop: threading.Event) -> None:
        try:
            while not stop.is_set():
                if self.send_due() == 0:
                    stop.wait(self.settings.webhook_poll_seconds)
        finally:
            self.client.close()

    def send_due(self, limit: int = 50) -> int:
        """Attempt every due delivery once; returns how many were attempted."""
        due = self.store.due_deliveries(limit)
        for delivery, url, secret, payload in due:
            body = payload.encode()
            headers = {"Content-Type": "application/json",
                       SIGNATURE_HEADER: sign(secret, body, int(time.time())),
                       "Wildwatch-Event": delivery.event,
                       "Wildwatch-Delivery": str(delivery.id)}
            status: int | None = None
            error: str | None = None
            try:
                response = self.client.post(url, content=body, headers=headers)
                status = response.status_code
                if not 200 <= status < 300:
                    error = f"the receiver answered HTTP {status}"
            except httpx.HTTPError as exc:
                error = f"{type(exc).__name__}: {exc}"[:500]
            attempt = delivery.attempts + 1
            retry_at = None
            if error is not None and attempt < self.settings.webhook_max_attempts:
                retry_at = utcnow() + timedelta(seconds=backoff(attempt))
            self.store.delivery_attempted(delivery.id, status=status, error=error,
                                          delivered=error is None, retry_at=retry_at)
        return len(due)
