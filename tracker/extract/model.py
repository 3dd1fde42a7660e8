"""The values that flow between the extraction steps: a trigger match, a gazetteer name, and
the mention the stage hands on (consumed by the pipeline and the timeline).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from tracker.dates import DateExpr
from tracker.rules import Rules

__all__ = ["Document", "Mention", "Name", "Sentence", "Trigger"]


@dataclass(frozen=True, slots=True)
class Trigger:
    """A trigger match: where it is, which type it signals, and how strong it is."""

    start: int
    end: int
    type: str
    weak: bool
    scheduled: bool


@dataclass(frozen=True, slots=True)
class Name:
    """A gazetteer hit: a place or an authority with its jurisdiction code."""

    start: int
    end: int
    text: str
    code: str
    kind: str


@dataclass(frozen=True, slots=True)
class Mention:
    """One event as one document states it."""

    type: str
    jurisdiction: str | None
    date: str | None
    precision: str | None
    qualifier: str | None
    date_text: str | None
    evidence: str
    confidence: float
    actor: str | None
    subject: str | None
    sentence_start: int
    sentence_end: int
    status: str = "done"
    party: str | None = None


@dataclass(frozen=True, slots=True)
class Document:
    """What every step may read about the document: its text, sentences, dates and names,
    found once (each step then slices them by bisection)."""

    text: str
    published: datetime | None
    zh: bool
    rules: Rules
    sentences: list[tuple[int, int, int]]  # (start, end, paragraph start)
    starts: list[int]
    dates: list[DateExpr]
    date_starts: list[int]
    names: list[Name]
    name_starts: list[int]
    title_names: list[Name]
    dominant: str | None
    headline: list[tuple[int, int]]
    parties: dict[tuple[int, int], str | None] = field(default_factory=dict)  # party of a span, asked once


@dataclass(slots=True)
class Sentence:
    """One sentence with its live triggers and their cue states (before the frame steps)."""

    index: int
    start: int
    end: int
    para: int
    clauses: list[tuple[int, int]]
    triggers: list[Trigger]
    states: dict[int, str | None]  # id(trigger) → cue state
    dates: list[DateExpr]  # the dates inside the sentence
    owners: list[Trigger]  # triggers that may own a date: all but the negated
    subjects: list[tuple[int, str]] | None = None  # subject_index, once per sentence when first asked
