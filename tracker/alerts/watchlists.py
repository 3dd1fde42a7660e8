"""Watchlists: which events alert, where, and when — read from rules/watchlists/*.toml.

A watchlist is data, like a Sigma rule. Its file is declared and checked in
:mod:`tracker.alerts.watchlist_file`; this module holds the validated watchlist and what it
decides.

Everything here is a pure function of the watchlist, the event and a ``now`` the caller passes
in, so that matching, quiet hours, digests and reminders can be tested with a controlled clock
and backtested over the stored timeline without sending anything.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from tracker.alerts.message import AlertEvent
from tracker.periods import period_of
from tracker.vocab import EVENT_TYPES

__all__ = [
    "EVENT_TYPES",
    "DEFAULT_TIMEZONE",
    "Match",
    "Destination",
    "Digest",
    "Reminders",
    "QuietHours",
    "Watchlist",
    "normalise_keyword",
    "date_bounds",
    "event_age_days",
    "report_age_days",
    "in_quiet_hours",
    "quiet_until",
    "hold_until",
    "next_digest_at",
]

DEFAULT_TIMEZONE = "Asia/Hong_Kong"


_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Match:
    """Conditions, all of which must hold; an empty list means "no condition"."""

    jurisdictions: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    keywords_any: tuple[str, ...] = ()
    keywords_all: tuple[str, ...] = ()
    keywords_none: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    parties_any: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    min_confidence: float = 0.0
    max_age_days: int | None = None
    max_report_age_days: int | None = None


@dataclass(frozen=True)
class Destination:
    """Where alerts go. Names of environment variables, so no secret sits in a rule file."""

    channel_env: str | None = None
    channel: str | None = None
    webhook_env: str | None = None

    def channel_from(self, environ: Mapping[str, str]) -> str | None:
        """The Slack channel: the variable named by channel_env if set, else ``channel``."""
        if self.channel_env and environ.get(self.channel_env, "").strip():
            return environ[self.channel_env].strip()
        return self.channel

    def webhook_from(self, environ: Mapping[str, str]) -> str | None:
        """The watchlist's own incoming-webhook URL, if its variable is set."""
        if self.webhook_env and environ.get(self.webhook_env, "").strip():
            return environ[self.webhook_env].strip()
        return None


@dataclass(frozen=True)
class Digest:
    """``every`` is "hourly" (at the minute of ``at``) or "daily" (at ``at``), local time."""

    every: str
    at: time
    timezone: ZoneInfo


@dataclass(frozen=True)
class Reminders:
    """Reminders ``days_before`` a day-precision future date, at ``at`` local time."""

    days_before: tuple[int, ...]
    at: time
    timezone: ZoneInfo


@dataclass(frozen=True)
class QuietHours:
    """A local-time window (may wrap midnight) that holds alerts, except ``urgent_types``."""

    start: time
    end: time
    timezone: ZoneInfo
    urgent_types: tuple[str, ...] = ()


@dataclass(frozen=True)
class Watchlist:
    """One validated watchlist file."""

    id: str
    title: str
    description: str
    match: Match
    destination: Destination
    digest: Digest | None = None
    reminders: Reminders | None = None
    quiet_hours: QuietHours | None = None
    source: str = ""  # the file it came from, as shown in messages

    def matches(self, event: AlertEvent, now: datetime) -> bool:
        """Whether ``event`` should alert on this watchlist at ``now``."""
        return self.mismatch(event, now) is None

    def mismatch(self, event: AlertEvent, now: datetime) -> str | None:
        """Why ``event`` does not match (for backtests and logs), or None when it does.
        The conditions are checked in order; the first that fails is the reason."""
        for check in (_fields, _party, _confidence, _actor, _keywords, _ages):
            reason = check(self.match, event, now)
            if reason is not None:
                return reason
        return None


def _fields(m: Match, event: AlertEvent, now: datetime) -> str | None:
    if m.jurisdictions and event.jurisdiction not in m.jurisdictions:
        return f"jurisdiction {event.jurisdiction} not in {list(m.jurisdictions)}"
    if m.types and event.type not in m.types:
        return f"type {event.type} not in {list(m.types)}"
    if m.statuses and event.status not in m.statuses:
        return f"status {event.status} not in {list(m.statuses)}"
    return None


def _party(m: Match, event: AlertEvent, now: datetime) -> str | None:
    if m.parties_any and not any(p in _norm(event.party or "") for p in m.parties_any):
        return f"party {event.party!r} matches none of parties_any {list(m.parties_any)}"
    return None


def _confidence(m: Match, event: AlertEvent, now: datetime) -> str | None:
    if event.confidence < m.min_confidence:
        return f"confidence {event.confidence:.2f} below {m.min_confidence:.2f}"
    return None


def _actor(m: Match, event: AlertEvent, now: datetime) -> str | None:
    if m.actors and not any(a in _norm(event.actor or "") for a in m.actors):
        return f"actor {event.actor!r} not in {list(m.actors)}"
    return None


def _keywords(m: Match, event: AlertEvent, now: datetime) -> str | None:
    if not (m.keywords_any or m.keywords_all or m.keywords_none):
        return None
    hay = _norm(" \n ".join(x for x in (event.evidence, event.subject, event.actor) if x))
    if m.keywords_any and not any(k in hay for k in m.keywords_any):
        return f"none of keywords_any {list(m.keywords_any)}"
    missing = [k for k in m.keywords_all if k not in hay]
    if missing:
        return f"keywords_all missing {missing}"
    excluded = [k for k in m.keywords_none if k in hay]
    if excluded:
        return f"keywords_none present {excluded}"
    return None


def _ages(m: Match, event: AlertEvent, now: datetime) -> str | None:
    if m.max_age_days is not None:
        age = event_age_days(event, now)
        if age > m.max_age_days:
            return f"event was {age} days old when reported, older than max_age_days {m.max_age_days}"
    if m.max_report_age_days is not None:
        report_age = report_age_days(event, now)
        if report_age > m.max_report_age_days:
            return f"reported {report_age} days ago, older than max_report_age_days {m.max_report_age_days}"
    return None


def normalise_keyword(text: str) -> str:
    """Case- and whitespace-insensitive form used on both keywords and the event text."""
    return _SPACES.sub(" ", text).strip().casefold()


_norm = normalise_keyword  # the short name the matcher reads best with


def _aware(now: datetime) -> datetime:
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware (UTC)")
    return now


def date_bounds(value: str | None) -> tuple[date, date] | None:
    """First and last day an ISO partial date covers ("2025-Q3" → Jul 1 .. Sep 30), or None."""
    period = period_of(value)
    return (period.first, period.last) if period else None


def _reported(event: AlertEvent, now: datetime) -> datetime:
    """When the event was first reported: its earliest publication, else first seen, never after now."""
    when = event.published or event.first_seen
    when = when.replace(tzinfo=UTC) if when.tzinfo is None else when  # stored UTC, maybe naive (SQLite)
    return min(when.astimezone(UTC), now)


def event_age_days(event: AlertEvent, now: datetime) -> int:
    """Days from the event to when it was first reported; negative for future dates.

    The age is the news value of the event in the article that reports it, so a 2025 article
    repeating the 2017 ICO ban is old news, and the answer does not change with the day the
    command runs. A partial date counts from its LAST day, so "2025" is still recent in
    December 2025. An event with no usable date counts from when tracker first saw it.
    """
    now = _reported(event, _aware(now).astimezone(UTC))
    bounds = date_bounds(event.date)
    if bounds is not None:
        return (now.date() - bounds[1]).days
    seen = event.first_seen
    seen = seen.replace(tzinfo=UTC) if seen.tzinfo is None else seen  # stored UTC, maybe naive (SQLite)
    return (now - seen).days


def report_age_days(event: AlertEvent, now: datetime) -> int:
    """Days since the event was first reported: large for old articles read in a backfill."""
    now = _aware(now).astimezone(UTC)
    return (now - _reported(event, now)).days


def in_quiet_hours(watchlist: Watchlist, now: datetime) -> bool:
    """Whether ``now`` falls in the watchlist's quiet window (start inclusive, end exclusive)."""
    q = watchlist.quiet_hours
    if q is None:
        return False
    t = _aware(now).astimezone(q.timezone).time().replace(tzinfo=None)
    if q.start < q.end:
        return q.start <= t < q.end
    return t >= q.start or t < q.end


def quiet_until(watchlist: Watchlist, now: datetime) -> datetime | None:
    """When the current quiet window ends (UTC), or None if ``now`` is not in one."""
    q = watchlist.quiet_hours
    if q is None or not in_quiet_hours(watchlist, now):
        return None
    local = now.astimezone(q.timezone)
    end = datetime.combine(local.date(), q.end, q.timezone)
    if end <= local:
        end = datetime.combine(local.date() + timedelta(days=1), q.end, q.timezone)
    return end.astimezone(UTC)


def hold_until(watchlist: Watchlist, event: AlertEvent, now: datetime) -> datetime | None:
    """When a non-urgent alert may go out (end of quiet hours), or None to send it now."""
    q = watchlist.quiet_hours
    if q is not None and event.type in q.urgent_types:
        return None
    return quiet_until(watchlist, now)


def next_digest_at(watchlist: Watchlist, after: datetime) -> datetime | None:
    """The first digest time strictly after ``after`` (UTC), or None without a digest."""
    d = watchlist.digest
    if d is None:
        return None
    local = _aware(after).astimezone(d.timezone)
    if d.every == "hourly":
        candidate = local.replace(minute=d.at.minute, second=0, microsecond=0).astimezone(UTC)
        while candidate <= after:
            candidate += timedelta(hours=1)
        return candidate
    day = local.date()
    while True:
        candidate = datetime.combine(day, d.at, d.timezone).astimezone(UTC)
        if candidate > after:
            return candidate
        day += timedelta(days=1)
