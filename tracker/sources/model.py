"""The values the sources package hands to the lead's storage: items, validators, poll results.

No database here: a poll returns plain frozen values, and the caller decides what is new.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

__all__ = ["Item", "Validators", "PollResult"]


@dataclass(frozen=True)
class Item:
    """One document found by a source.

    ``guid`` is excluded from equality and hashing on purpose: feeds regenerate GUIDs, and two
    items with the same normalised URL, title, date and text are the same document.
    ``published`` is tz-aware when the source gives an offset; naive means local time at the
    source (the DESIGN contract), None when the source gives no date (a file's mtime is not one).
    """

    url: str | None
    title: str | None
    published: datetime | None
    text: str
    lang: str
    guid: str | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Validators:
    """Conditional-GET state the lead keeps on the source row (or a local file's signature)."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class PollResult:
    """What one poll found. ``not_modified``: 304 (or an unchanged local file): nothing to parse."""

    not_modified: bool
    items: list[Item]
    validators: Validators
    warnings: list[str] = field(default_factory=list)
