"""The watchlist file, declared once: rules/watchlists/*.toml as pydantic models.

The models say what a file may hold; :func:`parse_watchlist` turns a valid one into the
frozen :class:`~tracker.alerts.watchlists.Watchlist` the matcher uses. Every error is one
line naming the file and the key (``hk-cn.toml: match.types[2]: unknown event type 'bann'
(known: …)``), so a typo is caught when the daemon starts rather than silently matching
nothing for weeks. The documented schema lives at the top of
rules/watchlists/hk-cn-digital-assets.toml, and `tracker schema` writes the JSON Schema.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import time
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, Field, model_validator

from tracker.alerts.watchlists import (
    DEFAULT_TIMEZONE,
    Destination,
    Digest,
    Match,
    QuietHours,
    Reminders,
    Watchlist,
    normalise_keyword,
)
from tracker.errors import RuleError
from tracker.schema import FileModel, read_toml, validate_file
from tracker.vocab import EVENT_TYPES, STATUSES

__all__ = ["WatchlistFile", "load_watchlists", "parse_watchlist"]

_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_JURISDICTION = re.compile(r"^[A-Z]{2}$")
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


def _event_type(value: str) -> str:
    if value not in EVENT_TYPES:
        raise ValueError(f"unknown event type {value!r} (known: {', '.join(EVENT_TYPES)})")
    return value


def _status(value: str) -> str:
    if value not in STATUSES:
        raise ValueError(f"unknown status {value!r} (known: {', '.join(STATUSES)})")
    return value


def _jurisdiction(value: str) -> str:
    if not _JURISDICTION.match(value):
        raise ValueError(f"{value!r} is not HK, CN, EU or an ISO 3166 alpha-2 code")
    return value


def _keyword(value: str) -> str:
    if not value.strip():
        raise ValueError("empty keyword")
    return value


def _env_name(value: str) -> str:
    if not _ENV_NAME.match(value):
        raise ValueError(f"{value!r} is not an environment variable name")
    return value


def _hhmm(value: str) -> str:
    if not _HHMM.match(value):
        raise ValueError(f'{value!r} is not a time "HH:MM" (24-hour)')
    return value


def _zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {value!r} (an IANA name such as 'Asia/Hong_Kong')") from None
    return value


def _days(value: int) -> int:
    if not 0 <= value <= 366:
        raise ValueError(f"must be between 0 and 366, got {value}")
    return value


def _unit(value: float) -> float:
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"must be between 0 and 1, got {value}")
    return value


def _not_negative(value: int) -> int:
    if value < 0:
        raise ValueError(f"must be 0 or more, got {value}")
    return value


EventType = Annotated[str, AfterValidator(_event_type)]
Status = Annotated[str, AfterValidator(_status)]
Keyword = Annotated[str, AfterValidator(_keyword)]
Clock = Annotated[str, AfterValidator(_hhmm)]
Zone = Annotated[str, AfterValidator(_zone)]


class MatchSection(FileModel):
    jurisdictions: list[Annotated[str, AfterValidator(_jurisdiction)]] = []
    types: list[EventType] = []
    statuses: list[Status] = []
    keywords_any: list[Keyword] = []
    keywords_all: list[Keyword] = []
    keywords_none: list[Keyword] = []
    actors: list[Keyword] = []
    parties_any: list[Keyword] = []
    min_confidence: Annotated[float, AfterValidator(_unit)] = 0.0
    max_age_days: Annotated[int, AfterValidator(_not_negative)] | None = None
    max_report_age_days: Annotated[int, AfterValidator(_not_negative)] | None = None


class DestinationSection(FileModel):
    channel_env: Annotated[str, AfterValidator(_env_name)] | None = None
    channel: Annotated[str, AfterValidator(_keyword)] | None = None
    webhook_env: Annotated[str, AfterValidator(_env_name)] | None = None


class DigestSection(FileModel):
    every: Literal["hourly", "daily"] = "daily"
    at: Clock = "09:00"
    timezone: Zone = DEFAULT_TIMEZONE


class RemindersSection(FileModel):
    days_before: list[Annotated[int, AfterValidator(_days)]] = [7, 1]
    at: Clock = "09:00"
    timezone: Zone = DEFAULT_TIMEZONE


class QuietHoursSection(FileModel):
    start: Clock
    end: Clock
    timezone: Zone = DEFAULT_TIMEZONE
    urgent_types: list[EventType] = []

    @model_validator(mode="after")
    def _window(self) -> QuietHoursSection:
        if self.start == self.end:
            raise ValueError("end: must differ from start")
        return self


class WatchlistFile(FileModel):
    """One rules/watchlists/*.toml file."""

    id: Annotated[str, Field(description="lowercase letters, digits, '-' and '_'")]
    title: Annotated[str, AfterValidator(_keyword)]
    description: str = ""
    match: MatchSection = MatchSection()
    destination: DestinationSection = DestinationSection()
    digest: DigestSection | None = None
    reminders: RemindersSection | None = None
    quiet_hours: QuietHoursSection | None = None

    @model_validator(mode="after")
    def _id_shape(self) -> WatchlistFile:
        if not _ID.match(self.id):
            raise ValueError(f"id: {self.id!r} must be lowercase letters, digits, '-' or '_' (at most 64)")
        return self


def _clock(value: str) -> time:
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def _relocated(message: str, label: str) -> RuleError:
    """A model-level check names its own key ("id: …"); put it after the section's path."""
    head, _, rest = message.partition(": ")
    path, _, text = rest.partition(": ")
    if text.startswith(("id: ", "end: ")):
        key, _, text = text.partition(": ")
        path = key if path == "(top level)" else f"{path}.{key}"
    return RuleError(f"{head}: {path}: {text}" if head == label else message)


def parse_watchlist(data: Mapping[str, Any], label: str, *, default_max_age_days: int | None = None) -> Watchlist:
    """Validate one parsed file; ``label`` (the file as the user knows it) prefixes every error."""
    try:
        parsed = validate_file(WatchlistFile, data, label, RuleError)
    except RuleError as exc:
        raise _relocated(str(exc), label) from None
    m = parsed.match
    match = Match(
        jurisdictions=tuple(m.jurisdictions),
        types=tuple(m.types),
        keywords_any=tuple(normalise_keyword(k) for k in m.keywords_any),
        keywords_all=tuple(normalise_keyword(k) for k in m.keywords_all),
        keywords_none=tuple(normalise_keyword(k) for k in m.keywords_none),
        actors=tuple(normalise_keyword(k) for k in m.actors),
        parties_any=tuple(normalise_keyword(k) for k in m.parties_any),
        statuses=tuple(m.statuses),
        min_confidence=m.min_confidence,
        max_age_days=m.max_age_days if "max_age_days" in m.model_fields_set else default_max_age_days,
        max_report_age_days=m.max_report_age_days,
    )
    d = parsed.destination
    destination = Destination(d.channel_env, d.channel, d.webhook_env)
    digest = reminders = quiet = None
    if parsed.digest is not None:
        digest = Digest(parsed.digest.every, _clock(parsed.digest.at), ZoneInfo(parsed.digest.timezone))
    if parsed.reminders is not None:
        r = parsed.reminders
        reminders = Reminders(tuple(r.days_before), _clock(r.at), ZoneInfo(r.timezone))
    if parsed.quiet_hours is not None:
        q = parsed.quiet_hours
        quiet = QuietHours(_clock(q.start), _clock(q.end), ZoneInfo(q.timezone), tuple(q.urgent_types))
    return Watchlist(
        id=parsed.id,
        title=parsed.title.strip(),
        description=parsed.description.strip(),
        match=match,
        destination=destination,
        digest=digest,
        reminders=reminders,
        quiet_hours=quiet,
        source=label,
    )


def _label(path: Path) -> str:
    """The file as the user knows it: relative to the working directory when possible."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def load_watchlists(directory: Path, *, default_max_age_days: int | None = None) -> list[Watchlist]:
    """Load and validate every ``*.toml`` in ``directory``; ids must be unique across files.

    ``default_max_age_days`` (config.toml's alerts.max_age_days, when non-zero) applies to
    watchlists that do not set their own.
    """
    if not directory.is_dir():
        return []
    seen: dict[str, str] = {}
    result = []
    for path in sorted(directory.glob("*.toml")):
        label = _label(path)
        wl = parse_watchlist(read_toml(path, label, RuleError), label, default_max_age_days=default_max_age_days)
        if wl.id in seen:
            raise RuleError(f"{label}: id: duplicate watchlist id {wl.id!r} (also in {seen[wl.id]})")
        seen[wl.id] = label
        result.append(wl)
    return result
