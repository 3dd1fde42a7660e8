"""The result type of the date finder, shared by every caller (the event extractor, the CLI)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DateExpr"]


@dataclass(frozen=True, slots=True)
class DateExpr:
    """One date expression found in a text.

    ``start``/``end`` are Python string offsets; ``text`` is ``text[start:end]``.
    ``value`` is an ISO partial date whose form is its precision ("2021", "2025-Q3",
    "2025-08", "2025-W38", "2025-08-01") or None when it cannot be resolved.
    ``qualifier`` is the relation the text states: "since", "until", "by", "from", or None.
    """

    start: int
    end: int
    text: str
    value: str | None
    precision: str | None
    qualifier: str | None = None
