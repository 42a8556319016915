"""How often one reporter may report: a sliding window per key, in this process or in Redis.

Reports are open to anyone, so they are limited per client (its IP address, hashed with the
server's secret: the address itself is never kept) and per registered spotter.

Why an interface: one process can count in memory, but several server processes must share the
count, or a flood spreads over them. :class:`MemoryLimiter` is the reference (and the default:
it needs no other service); :class:`RedisLimiter` counts the same way in Redis when
``WILDWATCH_REDIS_URL`` is set. The same tests run on both.
"""

from __future__ import annotations

import abc
import collections
import hashlib
import hmac
import logging
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Verdict:
    """Whether one more event is allowed now; if not, in how many seconds it will be."""

    allowed: bool
    retry_after: float = 0.0


class RateLimiter(abc.ABC):
    """At most ``limit`` events per key in any ``window`` seconds (a sliding window: no burst of
    twice the limit across a window's edge, as fixed windows allow)."""

    def __init__(self, limit: int, window: float) -> None:
        if limit < 1 or window <= 0:
            raise ValueError("a rate limit needs limit >= 1 and window > 0")
        self.limit = limit
        self.window = window

    @abc.abstractmethod
    def hit(self, key: str, limit: int | None = None) -> Verdict:
        """Count one event for ``key`` if allowed (``limit`` overrides the default)."""

    def reset(self, key: str) -> None:  # noqa: B027 - optional for implementations
        """Forget ``key`` (tests and administrators)."""


class MemoryLimiter(RateLimiter):
    """This process's count: the times of recent events per key."""

    def __init__(self, limit: int, window: float,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(limit, window)
        self._clock = clock
        self._events: dict[str, collections.deque[float]] = {}
        self._lock = threading.Lock()
        self._next_sweep = 0.0

    def hit(self, key: str, limit: int | None = None) -> Verdict:
        cap = limit or self.limit
        now = self._clock()
        with self._lock:
            if now >= self._next_sweep:
                self._sweep(now)
            events = self._events.setdefault(key, collections.deque())
            while events and events[0] <= now - self.window:
                events.popleft()
            if len(events) >= cap:
                return Verdict(False, round(events[0] + self.window - now, 3))
            events.append(now)
            return Verdict(True)

    def reset(self, key: str) -> None:
        with self._lock:
            self._events.pop(key, None)

    def _sweep(self, now: float) -> None:
        """Drop keys with no recent event, so memory stays bounded by the active clients."""
        stale = [k for k, events in self._events.items()
                 if not events or events[-1] <= now - self.window]
        for key in stale:
            del self._events[key]
        self._next_sweep = now + self.window


# Trim the window, count, and add this event only if under the limit: one atomic step.
_SLIDING_WINDOW = """
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) >= limit then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return {0, tonumber(oldest[2]) + window - now}
end
redis.call('ZADD', KEYS[1], now, ARGV[4])
redis.call('PEXPIRE', KEYS[1], window)
return {1, 0}
"""


class RedisLimiter(RateLimiter):
    """The count in Redis, shared by every server process. Times are Redis's own clock, so
    processes on machines with different clocks agree. If Redis is unreachable, this process
    counts on its own meanwhile (logged), rather than refusing every report or none."""

    def __init__(self, url: str, limit: int, window: float, *,
                 prefix: str = "wildwatch:ratelimit:") -> None:
        super().__init__(limit, window)
        import redis

        self.client: Any = redis.Redis.from_url(url, socket_timeout=2,
                                                socket_connect_timeout=2)
        self.prefix = prefix
        self._script = self.client.register_script(_SLIDING_WINDOW)
        self._fallback = MemoryLimiter(limit, window)

    def hit(self, key: str, limit: int | None = None) -> Verdict:
        import redis

        cap = limit or self.limit
        try:
            seconds, micros = self.client.time()
            now_ms = int(seconds) * 1000 + int(micros) // 1000
            allowed, wait_ms = self._script(
                keys=[self.prefix + key],
                args=[now_ms, int(self.window * 1000), cap,
                      f"{now_ms}-{secrets.token_hex(4)}"])
        except redis.RedisError:
            log.warning("Redis unreachable for rate limits; counting in this process",
                        exc_info=True)
            return self._fallback.hit(key, cap)
        return Verdict(bool(allowed), round(int(wait_ms) / 1000, 3))

    def reset(self, key: str) -> None:
        self.client.delete(self.prefix + key)
        self._fallback.reset(key)

    def ping(self) -> bool:
        import redis

        try:
            return bool(self.client.ping())
        except redis.RedisError:
            return False


def build_limiter(redis_url: str | None, limit: int, window: float) -> RateLimiter:
    """Redis when a URL is given, else this process's memory."""
    if redis_url:
        return RedisLimiter(redis_url, limit, window)
    return MemoryLimiter(limit, window)


def client_key(address: str | None, secret: str) -> str:
    """A key for a client address that does not reveal it: HMAC-SHA-256 with the server's
    secret, truncated. Nobody without the secret can test a guessed address against it."""
    mac = hmac.new(secret.encode(), (address or "unknown").encode(), hashlib.sha256)
    return "ip:" + mac.hexdigest()[:32]


__all__ = ["MemoryLimiter", "RateLimiter", "RedisLimiter", "Verdict", "build_limiter",
           "client_key"]
