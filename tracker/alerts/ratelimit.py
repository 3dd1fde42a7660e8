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

from sqlalchemy import Column, Float, MetaData, String, Table, case, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection, Engine

__all__ = ["ChannelRateLimiter", "SharedChannelPacer", "ChannelBusy"]


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
        self.max_wait: float | None = None  # waits for any slot (see SharedChannelPacer)

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


class ChannelBusy(Exception):
    """The channel's next free slot is further away than the caller will wait: nothing was
    sent, and the row is simply tried again later (it is not a failed attempt)."""

    def __init__(self, channel: str, retry_after: float) -> None:
        super().__init__(f"channel {channel} is paced: next slot in {retry_after:.1f}s")
        self.channel = channel
        self.retry_after = retry_after


class SharedChannelPacer:
    """The same pacing, held in the database, so every worker on it shares one budget.

    Slack's limit is about one message a second *per channel*, whoever sends; per-process
    buckets let three daemons send three a second, and most of those bounce with 429. Here a
    ``channel_pacing`` row holds the channel's next free moment (epoch seconds), and a slot is
    taken with one conditional UPDATE (``next_at`` moves on by one interval), which the
    database serialises: two workers never get the same slot, on SQLite or PostgreSQL.

    ``max_wait``: a slot further away than this is not taken, and :meth:`acquire` raises
    :class:`ChannelBusy` instead of sleeping (the daemon's delivery pass moves on to other
    channels and never blocks a stop); None waits for any slot (`run --once`). ``sleep`` is
    injected so a stopping daemon can cut a wait short.
    """

    def __init__(
        self,
        engine: Engine,
        rate: float = 1.0,
        *,
        max_wait: float | None = None,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], object] = time.sleep,
    ) -> None:
        if rate <= 0:
            raise ValueError(f"rate must be positive, got {rate}")
        self.engine = engine
        self.rate = rate
        self.max_wait = max_wait
        self._interval = 1.0 / rate
        self._clock = clock
        self.sleep = sleep

    def __repr__(self) -> str:
        return f"SharedChannelPacer(rate={self.rate}, max_wait={self.max_wait})"

    def _ensure(self, connection: Connection, channel: str) -> None:
        insert = sqlite_insert if connection.dialect.name == "sqlite" else postgresql_insert
        connection.execute(
            insert(_PACING).values(channel=channel, next_at=0.0).on_conflict_do_nothing(index_elements=["channel"])
        )

    def reserve(self, channel: str) -> float:
        """Take the channel's next slot; return the seconds to wait for it. Raises ChannelBusy
        (taking nothing) when that is more than ``max_wait``."""
        now = self._clock()
        horizon = now + (self.max_wait if self.max_wait is not None else 1e9)
        start = case((_PACING.c.next_at > now, _PACING.c.next_at), else_=now)
        with self.engine.begin() as connection:
            self._ensure(connection, channel)
            slot = connection.execute(
                update(_PACING)
                .where(_PACING.c.channel == channel, _PACING.c.next_at <= horizon)
                .values(next_at=start + self._interval)
                .returning(_PACING.c.next_at)
            ).scalar()
            if slot is None:
                busy = connection.execute(select(_PACING.c.next_at).where(_PACING.c.channel == channel)).scalar()
                raise ChannelBusy(channel, float(busy or now) - now)
        return max(float(slot) - self._interval - now, 0.0)

    def acquire(self, channel: str) -> float:
        """Wait for a slot of ``channel`` (see :meth:`reserve`); return the seconds waited."""
        wait = self.reserve(channel)
        if wait > 0:
            self.sleep(wait)
        return wait

    def delay(self, channel: str) -> float:
        """Seconds until the channel has a free slot, without taking it."""
        with self.engine.connect() as connection:
            busy = connection.execute(select(_PACING.c.next_at).where(_PACING.c.channel == channel)).scalar()
        return max(float(busy or 0.0) - self._clock(), 0.0)

    def completed(self, channel: str) -> None:
        """A request finished: the next may start one interval from now (see ChannelRateLimiter)."""
        self._push(channel, self._clock() + self._interval)

    def penalize(self, channel: str, retry_after: float) -> None:
        """Slack said 429: no worker sends to ``channel`` before ``retry_after`` seconds from now."""
        self._push(channel, self._clock() + max(retry_after, 0.0))

    def _push(self, channel: str, earliest: float) -> None:
        with self.engine.begin() as connection:
            self._ensure(connection, channel)
            connection.execute(
                update(_PACING)
                .where(_PACING.c.channel == channel, _PACING.c.next_at < earliest)
                .values(next_at=earliest)
            )


_PACING = Table(
    "channel_pacing", MetaData(), Column("channel", String, primary_key=True), Column("next_at", Float, nullable=False)
)
