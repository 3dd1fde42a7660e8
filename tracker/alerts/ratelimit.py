"""A per-channel rate limiter, so delivery stays under Slack's limit instead of bouncing off it.

Slack allows about one message per second per channel, with short bursts tolerated; every
429 costs a Retry-After wait and an outbox round trip. The limiter is a token bucket written
as GCRA (one "theoretical arrival time" per channel): a caller reserves the next free slot
under a lock and then sleeps *outside* the lock, so threads delivering to other channels never
wait behind it and two threads on one channel get distinct, evenly spaced slots.

The clock and the sleep are injected, so tests run a thousand messages in microseconds with a
fake clock, and a 429's Retry-After can push a channel's next slot back (:meth:`penalize`).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

__all__ = ["ChannelRateLimiter"]


class ChannelRateLimiter:
    """Token bucket per channel: ``rate`` messages a second, bursts of at most ``burst``."""

    def __init__(
        self,
        rate: float = 1.0,
        burst: int = 1,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if rate <= 0:
            raise ValueError(f"rate must be positive, got {rate}")
        if burst < 1:
            raise ValueError(f"burst must be at least 1, got {burst}")
        self.rate = rate
        self.burst = burst
        self._interval = 1.0 / rate
        self._tolerance = (burst - 1) * self._interval
        self._clock = clock
        self._sleep = sleep
        self._tat: dict[str, float] = {}  # channel -> theoretical arrival time of the next message
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"ChannelRateLimiter(rate={self.rate}, burst={self.burst})"

    def reserve(self, channel: str) -> float:
        """Take the channel's next slot and return how long to wait for it (0 if free now)."""
        with self._lock:
            now = self._clock()
            tat = max(self._tat.get(channel, now), now)
            allowed_at = tat - self._tolerance
            self._tat[channel] = tat + self._interval
            return max(allowed_at - now, 0.0)

    def acquire(self, channel: str) -> float:
        """Block until a message may go to ``channel``; return the seconds waited."""
        wait = self.reserve(channel)
        if wait > 0:
            self._sleep(wait)
        return wait

    def delay(self, channel: str) -> float:
        """Seconds until the channel has a free slot, without taking it (for schedulers)."""
        with self._lock:
            now = self._clock()
            tat = max(self._tat.get(channel, now), now)
            return max(tat - self._tolerance - now, 0.0)

    def completed(self, channel: str) -> None:
        """A request to ``channel`` has just finished: the next may start one interval later.

        Slot times alone are not enough: a request delayed in flight arrives late, and the
        next one, sent on time, then reaches Slack less than an interval after it. Counting
        the interval from the moment the previous request *finished* bounds the gap between
        arrivals from below, at the cost of one request latency per message. (With bursts
        allowed the bucket already has slack, and this is skipped.)"""
        if self.burst > 1:
            return
        with self._lock:
            now = self._clock()
            self._tat[channel] = max(self._tat.get(channel, now), now + self._interval)

    def penalize(self, channel: str, retry_after: float) -> None:
        """Slack said 429: no slot for ``channel`` before ``retry_after`` seconds from now."""
        with self._lock:
            now = self._clock()
            earliest = now + max(retry_after, 0.0) + self._tolerance
            self._tat[channel] = max(self._tat.get(channel, now), earliest)
