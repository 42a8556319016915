"""Report rate limits: the same tests on this process's memory and on Redis."""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import Callable, Iterator

import pytest

from wildwatch.engage.ratelimit import MemoryLimiter, RateLimiter, RedisLimiter, client_key

REDIS_URL = os.environ.get("WILDWATCH_TEST_REDIS", "redis://127.0.0.1:6379/0")


Make = Callable[[int, float], RateLimiter]


@pytest.fixture(params=["memory", "redis"])
def make_limiter(request: pytest.FixtureRequest) -> Iterator[Make]:
    made: list[RedisLimiter] = []

    def make(limit: int, window: float) -> RateLimiter:
        if request.param == "memory":
            return MemoryLimiter(limit, window)
        limiter = RedisLimiter(REDIS_URL, limit, window,
                               prefix=f"wildwatch-test:{secrets.token_hex(4)}:")
        if not limiter.ping():
            if os.environ.get("WILDWATCH_REQUIRE_REDIS") == "1":
                pytest.fail(f"Redis is required but not reachable at {REDIS_URL}")
            pytest.skip(f"no Redis at {REDIS_URL}")
        made.append(limiter)
        return limiter

    yield make
    for limiter in made:
        for key in limiter.client.scan_iter(limiter.prefix + "*"):
            limiter.client.delete(key)


def test_a_key_gets_its_limit_then_waits_for_the_window(make_limiter: Make) -> None:
    limiter = make_limiter(3, 1.0)
    assert limiter.hit("ip:a").allowed
    time.sleep(0.5)
    assert [limiter.hit("ip:a").allowed for _ in range(2)] == [True, True]
    refused = limiter.hit("ip:a")
    assert not refused.allowed and 0 < refused.retry_after <= 0.5
    assert limiter.hit("ip:b").allowed, "another key has its own count"
    assert limiter.hit("user:7", 5).allowed, "a larger limit for logged-in people"
    time.sleep(refused.retry_after + 0.05)
    assert limiter.hit("ip:a").allowed, "the first hit has left the window"
    assert not limiter.hit("ip:a").allowed, "the window slides: the later two still count"


def test_refused_attempts_do_not_count(make_limiter: Make) -> None:
    limiter = make_limiter(1, 0.5)
    assert limiter.hit("k").allowed
    for _ in range(5):
        assert not limiter.hit("k").allowed
    time.sleep(0.55)
    assert limiter.hit("k").allowed


def test_reset_forgets_a_key(make_limiter: Make) -> None:
    limiter = make_limiter(1, 60)
    assert limiter.hit("k").allowed and not limiter.hit("k").allowed
    limiter.reset("k")
    assert limiter.hit("k").allowed


def test_redis_away_means_counting_in_this_process() -> None:
    limiter = RedisLimiter("redis://127.0.0.1:1/0", 2, 60)   # nothing listens there
    assert [limiter.hit("k").allowed for _ in range(3)] == [True, True, False]


def test_memory_stays_bounded_by_recent_clients() -> None:
    now = [0.0]
    limiter = MemoryLimiter(1, 10, clock=lambda: now[0])
    for n in range(1000):
        limiter.hit(f"ip:{n}")
    now[0] = 25.0
    limiter.hit("ip:new")
    assert len(limiter._events) == 1


def test_client_addresses_are_never_kept_as_they_are() -> None:
    key = client_key("203.0.113.7", "server-secret")
    assert "203.0.113.7" not in key and key.startswith("ip:")
    assert key == client_key("203.0.113.7", "server-secret")
    assert key != client_key("203.0.113.7", "another-secret")
    assert key != client_key("203.0.113.8", "server-secret")
