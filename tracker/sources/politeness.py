"""Per-host politeness (concurrency + minimum delay) and the robots.txt cache.

httpx's connection limits are per pool, not per host, and the daemon polls from a thread pool:
without a gate of our own, twenty sources on one regulator's site would hit it at once.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

__all__ = ["HostGates", "RobotsCache", "RobotsVerdict", "host_key"]

log = logging.getLogger(__name__)


def host_key(url: str) -> str:
    """scheme://host:port — the unit of politeness and of robots.txt."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    port = parts.port or (443 if scheme == "https" else 80)
    return f"{scheme}://{(parts.hostname or '').lower()}:{port}"


class _Gate:
    def __init__(self, concurrency: int) -> None:
        self.slots = threading.BoundedSemaphore(max(1, concurrency))
        self.lock = threading.Lock()
        self.next_start = 0.0
        self.extra_delay = 0.0  # robots.txt Crawl-delay, when larger than ours


class HostGates:
    """A semaphore and a minimum spacing of request starts, per host; thread-safe.

    The spacing is reserved under a lock (each caller books the next free start time and sleeps
    outside the lock), so N threads on one host start at least ``delay`` seconds apart.
    """

    def __init__(self, concurrency: int, delay: float, sleep: Callable[[float], None] = time.sleep) -> None:
        self.concurrency = concurrency
        self.delay = max(0.0, delay)
        self._sleep = sleep
        self._gates: dict[str, _Gate] = {}
        self._lock = threading.Lock()

    def _gate(self, key: str) -> _Gate:
        with self._lock:
            gate = self._gates.get(key)
            if gate is None:
                gate = self._gates[key] = _Gate(self.concurrency)
            return gate

    def set_crawl_delay(self, url: str, seconds: float) -> None:
        """Honour a robots.txt Crawl-delay (capped by the caller) for this host."""
        self._gate(host_key(url)).extra_delay = max(0.0, seconds)

    @contextlib.contextmanager
    def slot(self, url: str) -> Iterator[float]:
        """Hold one of the host's slots; yields the seconds waited for politeness."""
        gate = self._gate(host_key(url))
        began = time.monotonic()
        gate.slots.acquire()
        try:
            with gate.lock:
                now = time.monotonic()
                start = max(now, gate.next_start)
                gate.next_start = start + max(self.delay, gate.extra_delay)
            if start > now:
                self._sleep(start - now)
            yield time.monotonic() - began
        finally:
            gate.slots.release()


@dataclass(frozen=True)
class RobotsVerdict:
    allowed: bool
    reason: str


class RobotsCache:
    """robots.txt per host, parsed with Protego, kept for ``ttl`` seconds.

    RFC 9309: a 4xx robots.txt means no restrictions; a 5xx or an unreachable one means
    "disallow everything" for now, kept for a shorter time so that a brief outage heals.
    ``fetch(url)`` returns (status, text) or raises; it is the Fetcher's own GET, so robots.txt
    requests obey the same politeness, timeouts and size cap.
    """

    def __init__(self, user_agent: str, ttl: float = 24 * 3600.0, error_ttl: float = 600.0) -> None:
        self.user_agent = user_agent
        self.ttl = ttl
        self.error_ttl = error_ttl
        self._cache: dict[str, tuple[float, object | None, str]] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()

    def _host_lock(self, key: str) -> threading.Lock:
        with self._lock:
            return self._locks.setdefault(key, threading.Lock())

    def verdict(self, url: str, fetch: Callable[[str], tuple[int, str]]) -> tuple[RobotsVerdict, float | None]:
        """Whether ``url`` may be fetched, and the Crawl-delay for us (None if none)."""
        key = host_key(url)
        with self._host_lock(key):  # one robots.txt fetch per host, even with many threads
            entry = self._cache.get(key)
            if entry is None or entry[0] < time.monotonic():
                entry = self._load(key, fetch)
                self._cache[key] = entry
        _, parser, note = entry
        if parser is None:
            allowed = note.startswith("allow")
            return RobotsVerdict(allowed, f"robots.txt {note}"), None
        allowed = bool(parser.can_fetch(url, self.user_agent))  # type: ignore[attr-defined]
        delay = parser.crawl_delay(self.user_agent)  # type: ignore[attr-defined]
        return RobotsVerdict(allowed, "robots.txt disallows it" if not allowed else "robots.txt allows it"), (
            float(delay) if delay else None
        )

    def _load(self, key: str, fetch: Callable[[str], tuple[int, str]]) -> tuple[float, object | None, str]:
        from protego import Protego

        robots_url = f"{key}/robots.txt"
        now = time.monotonic()
        try:
            status, text = fetch(robots_url)
        except Exception as exc:  # noqa: BLE001 - any failure is "unreachable" per RFC 9309
            log.info("event=robots_unreachable url=%s error=%s", robots_url, " ".join(str(exc).split()))
            return now + self.error_ttl, None, f"unreachable ({type(exc).__name__}): disallow all"
        if 200 <= status < 300:
            return now + self.ttl, Protego.parse(text), "parsed"
        if 400 <= status < 500:
            return now + self.ttl, None, f"allow all (HTTP {status})"
        return now + self.error_ttl, None, f"unavailable (HTTP {status}): disallow all"
