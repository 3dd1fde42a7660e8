"""When an outbox row may go out: quiet hours, digest periods and reminder times.

These are the outbox's time decisions, built on the pure functions of
:mod:`tracker.alerts.watchlists` and always given ``now`` by the caller, so a test's clock
decides them. They return times; the outbox stores them in ``next_attempt_at``, which is how
a row is *held* (quiet hours, a digest period, a reminder's day) without ever being dropped.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tracker.alerts.message import AlertEvent
from tracker.alerts.watchlists import Watchlist, date_bounds, hold_until, next_digest_at

__all__ = ["HELD_KINDS", "reminder_schedule", "first_attempt_at", "quiet_hold"]

#: Kinds that quiet hours hold. A digest goes out at the time the user chose for it.
HELD_KINDS = ("new", "update", "reminder")


def reminder_schedule(watchlist: Watchlist, event: AlertEvent, now: datetime) -> list[tuple[int, datetime]]:
    """(days before, UTC time) of each reminder still ahead of ``now``, soonest first.

    The days-before number is the row's ``revision``, so each reminder is one row per
    (event, watchlist) and queueing it again is a no-op. Only a planned step on a single
    future day qualifies: "7 days before 2025-Q3" is not a day anyone can act on, and a step
    that is done or restated has nothing left to remind of.
    """
    r = watchlist.reminders
    bounds = date_bounds(event.date)
    if r is None or bounds is None or bounds[0] != bounds[1] or event.status != "planned":
        return []
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware (UTC)")
    out = []
    for days in sorted(set(r.days_before), reverse=True):
        when = datetime.combine(bounds[0] - timedelta(days=days), r.at, r.timezone).astimezone(UTC)
        if when > now:
            out.append((days, when))
    return sorted(out, key=lambda pair: pair[1])


def quiet_hold(watchlist: Watchlist, kind: str, event: AlertEvent | None, now: datetime) -> datetime | None:
    """Until when quiet hours hold a row of ``kind`` about ``event`` at ``now`` (None: send)."""
    if kind not in HELD_KINDS or watchlist.quiet_hours is None:
        return None
    if event is None:
        return None
    return hold_until(watchlist, event, now)


def first_attempt_at(watchlist: Watchlist, kind: str, event: AlertEvent, now: datetime) -> datetime | None:
    """``next_attempt_at`` for a row queued at ``now``: a digest waits for its period's end,
    an alert in quiet hours for the window's end; otherwise None (send at once)."""
    if kind == "digest":
        return next_digest_at(watchlist, now)
    return quiet_hold(watchlist, kind, event, now)
