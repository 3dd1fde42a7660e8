"""The shape shared by every finder rule, and the selection of non-overlapping spans.

A rule is a compiled pattern, an optional guard that looks only at the text (so a rejected
match never hides a shorter, valid one) and a resolver that turns the match into a value with
the document context. Selection keeps the longest candidates, so "October 13, 2025" wins over
"October 13" and "2025".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from tracker.regexes import folded
from tracker.spans import non_overlapping

from .context import Context
from .units import Resolved

__all__ = ["Rule", "Candidate", "select", "REJECT", "Parts"]


class _Reject:
    """Sentinel: the resolver decided the span is not a date after all."""

    def __repr__(self) -> str:
        return "REJECT"


REJECT = _Reject()

# a resolver may split its match: [(group name, value of that part), ...] ("2009-2010")
Parts = list[tuple[str, "Resolved | None"]]
Resolver = Callable[[re.Match[str], Context], "Resolved | Parts | None | _Reject"]
Guard = Callable[[re.Match[str], str], bool]


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    pattern: re.Pattern[str]
    resolve: Resolver
    guard: Guard | None = None
    extend: bool = True  # may a modifier ("the end of", "mid-", "earlier") widen the span?
    needs: tuple[str, ...] = ()  # substrings (of the lower-cased text) without which no match is possible
    full: bool = False  # scan the whole text (patterns that start with a character class are fast)
    folded: re.Pattern[str] | None = None  # the case-sensitive twin, run on lower-cased text
    # words of its own around which the rule alone scans ("fall", "easter"): kept out of the
    # shared trigger words, which would widen the windows of every rule
    triggers: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # Case-insensitive matching is about twice as slow in `re`; the finder lower-cases the
        # text once and runs this twin instead, where tracker.regexes.folded finds it exact
        # (a case-sensitive part such as (?-i:May) keeps the pattern itself).
        if self.pattern.flags & re.IGNORECASE and self.folded is None:
            twin = folded(self.pattern)
            if twin is not None and twin[1]:
                object.__setattr__(self, "folded", twin[0])


@dataclass(frozen=True, slots=True)
class Candidate:
    start: int
    end: int
    rule: Rule
    match: re.Match[str]


def select(cands: list[Candidate]) -> list[Candidate]:
    """Longest-first, non-overlapping, returned in text order."""
    return non_overlapping(sorted(cands, key=lambda c: (c.start - c.end, c.start)))
