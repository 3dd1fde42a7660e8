"""Watchlists: which events alert, where, and when — read from rules/watchlists/*.toml.

A watchlist is data, like a Sigma rule: the schema is declared once below (``_SCHEMA``), every
file is checked against it on load, and every error is one line naming the file and the key
(``rules/watchlists/hk-cn.toml: match.types[2]: unknown event type 'bann' (known: ...)``), so a
typo is caught when the daemon starts rather than silently matching nothing for weeks. The
documented schema lives at the top of rules/watchlists/hk-cn-digital-assets.toml.

Everything here is a pure function of the watchlist, the event and a ``now`` the caller passes
in, so that matching, quiet hours, digests and reminders can be tested with a controlled clock
and backtested over the stored timeline without sending anything.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tracker.alerts.message import AlertEvent
from tracker.errors import RuleError
from tracker.periods import period_of
from tracker.vocab import EVENT_TYPES, STATUSES

__all__ = [
    "EVENT_TYPES",
    "DEFAULT_TIMEZONE",
    "Match",
    "Destination",
    "Digest",
    "Reminders",
    "QuietHours",
    "Watchlist",
    "load_watchlists",
    "parse_watchlist",
    "date_bounds",
    "event_age_days",
    "report_age_days",
    "in_quiet_hours",
    "quiet_until",
    "hold_until",
    "next_digest_at",
]

DEFAULT_TIMEZONE = "Asia/Hong_Kong"


_STR, _FLOAT, _INT, _STRS, _INTS = "a string", "a number", "an integer", "a list of strings", "a list of integers"
# section -> key -> expected kind. Top-level keys live under section "".
_SCHEMA: dict[str, dict[str, str]] = {
    "": {"id": _STR, "title": _STR, "description": _STR},
    "match": {
        "jurisdictions": _STRS, "types": _STRS, "keywords_any": _STRS, "keywords_all": _STRS,
        "keywords_none": _STRS, "actors": _STRS, "parties_any": _STRS, "statuses": _STRS,
        "min_confidence": _FLOAT, "max_age_days": _INT,
        "max_report_age_days": _INT,
    },
    "destination": {"channel_env": _STR, "channel": _STR, "webhook_env": _STR},
    "digest": {"every": _STR, "at": _STR, "timezone": _STR},
    "reminders": {"days_before": _INTS, "at": _STR, "timezone": _STR},
    "quiet_hours": {"start": _STR, "end": _STR, "timezone": _STR, "urgent_types": _STRS},
}  # fmt: skip
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_JURISDICTION = re.compile(r"^[A-Z]{2}$")
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
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
        """Why ``event`` does not match (for backtests and logs), or None when it does."""
        m = self.match
        if m.jurisdictions and event.jurisdiction not in m.jurisdictions:
            return f"jurisdiction {event.jurisdiction} not in {list(m.jurisdictions)}"
        if m.types and event.type not in m.types:
            return f"type {event.type} not in {list(m.types)}"
        if m.statuses and event.status not in m.statuses:
            return f"status {event.status} not in {list(m.statuses)}"
        if m.parties_any:
            party = _norm(event.party or "")
            if not any(p in party for p in m.parties_any):
                return f"party {event.party!r} matches none of parties_any {list(m.parties_any)}"
        if event.confidence < m.min_confidence:
            return f"confidence {event.confidence:.2f} below {m.min_confidence:.2f}"
        if m.actors:
            actor = _norm(event.actor or "")
            if not any(a in actor for a in m.actors):
                return f"actor {event.actor!r} not in {list(m.actors)}"
        if m.keywords_any or m.keywords_all or m.keywords_none:
            hay = _norm(" \n ".join(x for x in (event.evidence, event.subject, event.actor) if x))
            if m.keywords_any and not any(k in hay for k in m.keywords_any):
                return f"none of keywords_any {list(m.keywords_any)}"
            missing = [k for k in m.keywords_all if k not in hay]
            if missing:
                return f"keywords_all missing {missing}"
            excluded = [k for k in m.keywords_none if k in hay]
            if excluded:
                return f"keywords_none present {excluded}"
        if m.max_age_days is not None:
            age = event_age_days(event, now)
            if age > m.max_age_days:
                return f"event was {age} days old when reported, older than max_age_days {m.max_age_days}"
        if m.max_report_age_days is not None:
            report_age = report_age_days(event, now)
            if report_age > m.max_report_age_days:
                return f"reported {report_age} days ago, older than max_report_age_days {m.max_report_age_days}"
        return None


def _norm(text: str) -> str:
    """Case- and whitespace-insensitive form used on both keywords and the event text."""
    return _SPACES.sub(" ", text).strip().casefold()


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


def load_watchlists(directory: Path, *, default_max_age_days: int | None = None) -> list[Watchlist]:
    """Every ``*.toml`` in ``directory`` (sorted by name), validated; ids unique across files.

    A missing directory means no watchlists. ``default_max_age_days`` (config.toml's
    alerts.max_age_days, when non-zero) applies to watchlists that do not set their own.
    """
    if not directory.is_dir():
        return []
    seen: dict[str, str] = {}
    result = []
    for path in sorted(directory.glob("*.toml")):
        label = _label(path)
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise RuleError(f"{label}: cannot read: {exc}") from None
        except tomllib.TOMLDecodeError as exc:
            raise RuleError(f"{label}: invalid TOML: {exc}") from None
        wl = parse_watchlist(data, label, default_max_age_days=default_max_age_days)
        if wl.id in seen:
            raise RuleError(f"{label}: id: duplicate watchlist id {wl.id!r} (also in {seen[wl.id]})")
        seen[wl.id] = label
        result.append(wl)
    return result


def _label(path: Path) -> str:
    """The file as the user knows it: relative to the working directory when possible."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def parse_watchlist(data: Mapping[str, Any], label: str, *, default_max_age_days: int | None = None) -> Watchlist:
    """Validate one parsed file against ``_SCHEMA``; ``label`` prefixes every error."""

    def fail(key: str, msg: str) -> RuleError:
        return RuleError(f"{label}: {key}: {msg}")

    sections: dict[str, dict[str, Any]] = {"": {}}
    for key, value in data.items():
        if key in _SCHEMA and key:
            if not isinstance(value, dict):
                raise fail(key, f"expected a table [{key}], got {_show(value)}")
            sections[key] = value
        elif key in _SCHEMA[""]:
            sections[""][key] = value
        else:
            known = sorted([*_SCHEMA[""], *(s for s in _SCHEMA if s)])
            raise fail(key, f"unknown key (known: {', '.join(known)})")
    for section, values in sections.items():
        for key, value in values.items():
            path = f"{section}.{key}" if section else key
            kind = _SCHEMA[section].get(key)
            if kind is None:
                raise fail(path, f"unknown key (known: {', '.join(_SCHEMA[section])})")
            _check_type(value, kind, path, fail)

    top = sections[""]
    for key in ("id", "title"):
        if not str(top.get(key, "")).strip():
            raise fail(key, "required, a non-empty string")
    if not _ID.match(top["id"]):
        raise fail("id", f"{top['id']!r} must be lowercase letters, digits, '-' or '_' (at most 64)")

    m = sections.get("match", {})
    for i, j in enumerate(m.get("jurisdictions", [])):
        if not _JURISDICTION.match(j):
            raise fail(f"match.jurisdictions[{i}]", f"{j!r} is not HK, CN, EU or an ISO 3166 alpha-2 code")
    types = _check_types(m.get("types", []), "match.types", fail)
    for i, status in enumerate(m.get("statuses", [])):
        if status not in STATUSES:
            raise fail(f"match.statuses[{i}]", f"unknown status {status!r} (known: {', '.join(STATUSES)})")
    min_conf = float(m.get("min_confidence", 0.0))
    if not 0.0 <= min_conf <= 1.0:
        raise fail("match.min_confidence", f"must be between 0 and 1, got {min_conf}")
    max_age = m.get("max_age_days", default_max_age_days)
    if max_age is not None and max_age < 0:
        raise fail("match.max_age_days", f"must be 0 or more, got {max_age}")
    max_report_age = m.get("max_report_age_days")
    if max_report_age is not None and max_report_age < 0:
        raise fail("match.max_report_age_days", f"must be 0 or more, got {max_report_age}")
    match = Match(
        jurisdictions=tuple(m.get("jurisdictions", [])),
        types=types,
        keywords_any=_keywords(m, "keywords_any", fail),
        keywords_all=_keywords(m, "keywords_all", fail),
        keywords_none=_keywords(m, "keywords_none", fail),
        actors=_keywords(m, "actors", fail),
        parties_any=_keywords(m, "parties_any", fail),
        statuses=tuple(m.get("statuses", [])),
        min_confidence=min_conf,
        max_age_days=max_age,
        max_report_age_days=max_report_age,
    )

    dst = sections.get("destination", {})
    for key in ("channel_env", "webhook_env"):
        if key in dst and not _ENV_NAME.match(dst[key]):
            raise fail(f"destination.{key}", f"{dst[key]!r} is not an environment variable name")
    if "channel" in dst and not dst["channel"].strip():
        raise fail("destination.channel", "must not be empty")
    destination = Destination(dst.get("channel_env"), dst.get("channel"), dst.get("webhook_env"))

    digest = None
    if "digest" in sections:
        d = sections["digest"]
        every = d.get("every", "daily")
        if every not in ("hourly", "daily"):
            raise fail("digest.every", f"{every!r} must be 'hourly' or 'daily'")
        digest = Digest(every, _hhmm(d, "digest", "09:00", fail), _zone(d, "digest", fail))

    reminders = None
    if "reminders" in sections:
        r = sections["reminders"]
        days = r.get("days_before", [7, 1])
        for i, n in enumerate(days):
            if not 0 <= n <= 366:
                raise fail(f"reminders.days_before[{i}]", f"must be between 0 and 366, got {n}")
        reminders = Reminders(tuple(days), _hhmm(r, "reminders", "09:00", fail), _zone(r, "reminders", fail))

    quiet = None
    if "quiet_hours" in sections:
        q = sections["quiet_hours"]
        for key in ("start", "end"):
            if key not in q:
                raise fail(f"quiet_hours.{key}", 'required, "HH:MM"')
        start, end = _hhmm(q, "quiet_hours", "", fail, "start"), _hhmm(q, "quiet_hours", "", fail, "end")
        if start == end:
            raise fail("quiet_hours.end", "must differ from start")
        urgent = _check_types(q.get("urgent_types", []), "quiet_hours.urgent_types", fail)
        quiet = QuietHours(start, end, _zone(q, "quiet_hours", fail), urgent)

    return Watchlist(
        id=top["id"],
        title=top["title"].strip(),
        description=top.get("description", "").strip(),
        match=match,
        destination=destination,
        digest=digest,
        reminders=reminders,
        quiet_hours=quiet,
        source=label,
    )


def _show(value: Any) -> str:
    return f"{type(value).__name__} {value!r}"[:80]


def _check_type(value: Any, kind: str, path: str, fail: Any) -> None:
    def ok(v: Any, want: str) -> bool:
        if want == _STR:
            return isinstance(v, str)
        if want == _INT:
            return isinstance(v, int) and not isinstance(v, bool)
        return isinstance(v, (int, float)) and not isinstance(v, bool)

    if kind in (_STRS, _INTS):
        if not isinstance(value, list):
            raise fail(path, f"expected {kind}, got {_show(value)}")
        for i, item in enumerate(value):
            if not ok(item, _STR if kind == _STRS else _INT):
                raise fail(
                    f"{path}[{i}]", f"expected {'a string' if kind == _STRS else 'an integer'}, got {_show(item)}"
                )
    elif not ok(value, kind):
        raise fail(path, f"expected {kind}, got {_show(value)}")


def _check_types(values: list[str], path: str, fail: Any) -> tuple[str, ...]:
    for i, t in enumerate(values):
        if t not in EVENT_TYPES:
            raise fail(f"{path}[{i}]", f"unknown event type {t!r} (known: {', '.join(EVENT_TYPES)})")
    return tuple(values)


def _keywords(m: Mapping[str, Any], key: str, fail: Any) -> tuple[str, ...]:
    words = []
    for i, w in enumerate(m.get(key, [])):
        if not w.strip():
            raise fail(f"match.{key}[{i}]", "empty keyword")
        words.append(_norm(w))
    return tuple(words)


def _hhmm(values: Mapping[str, Any], section: str, default: str, fail: Any, key: str = "at") -> time:
    raw = values.get(key, default)
    m = _HHMM.match(raw)
    if not m:
        raise fail(f"{section}.{key}", f'{raw!r} is not a time "HH:MM" (24-hour)')
    return time(int(m[1]), int(m[2]))


def _zone(values: Mapping[str, Any], section: str, fail: Any) -> ZoneInfo:
    name = values.get("timezone", DEFAULT_TIMEZONE)
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise fail(
            f"{section}.timezone", f"unknown time zone {name!r} (an IANA name such as 'Asia/Hong_Kong')"
        ) from None
