"""The one backoff formula: exponential in the number of failures, capped, optionally jittered.

Used by failing sources (tracker.pipeline), alert retries (tracker.alerts.delivery) and
transactions retried after a deadlock. Sources use "full jitter" so that sources that failed
together do not all come back at the same moment; alert retries are exact so that a row's
next attempt can be read from its attempts.
"""

from __future__ import annotations

import random

__all__ = ["backoff_delay"]


def backoff_delay(
    failures: int, base: float, cap: float, rng: random.Random | None = None, *, jitter: bool = True
) -> float:
    """Seconds to wait after ``failures`` consecutive failures: ``base * 2**(failures-1)``,
    at most ``cap``; with ``jitter``, uniform between ``base`` and that (the floor of ``base``
    keeps a failing source from being retried at once). ``failures <= 0`` → 0."""
    if failures <= 0:
        return 0.0
    ceiling = min(cap, base * 2.0 ** min(failures - 1, 64))
    if not jitter:
        return ceiling
    return (rng or random.Random()).uniform(min(base, ceiling), ceiling)
