"""The values that flow between the extraction steps: a trigger match, a gazetteer name, and
the mention the stage hands on (consumed by the pipeline and the timeline).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Mention", "Name", "Trigger"]


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
