"""Choosing non-overlapping spans, for date expressions and event triggers alike.

Both finders match many overlapping candidates and keep the best ones in order of
preference (longest first, as a rule). Kept spans never overlap and are held sorted, so one
bisection finds the only kept span that could clash with a candidate: choosing stays
linear-logarithmic even on a megabyte-long page.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from typing import Protocol, TypeVar

__all__ = ["Span", "non_overlapping"]


class Span(Protocol):
    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


S = TypeVar("S", bound=Span)


def non_overlapping(preferred_first: Iterable[S]) -> list[S]:
    """Take each span unless it overlaps one taken before it; return them in text order."""
    kept: list[S] = []
    starts: list[int] = []
    ends: list[int] = []
    for span in preferred_first:
        i = bisect.bisect_left(starts, span.end)
        if i and ends[i - 1] > span.start:
            continue
        starts.insert(i, span.start)
        ends.insert(i, span.end)
        kept.append(span)
    kept.sort(key=lambda s: s.start)
    return kept
