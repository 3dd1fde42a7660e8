"""ISO partial dates ("2021", "2025-Q3", "2025-08", "2025-W38", "2025-08-01") as periods.

The timeline sorts and merges by the period a value covers, never by a made-up day: "2021"
covers the whole of 2021, so it contains "2021-09-24", and a more precise mention can refine it.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

__all__ = ["Period", "period_of", "contains", "PRECISION_RANK", "WIDEST"]

#: The widest period a date can name (a year): an event containing a day starts at most this early.
WIDEST = timedelta(days=366)

PRECISION_RANK = {"year": 0, "half": 1, "quarter": 2, "month": 3, "week": 4, "day": 5}

_PATTERNS = (
    (re.compile(r"^(\d{4})$"), "year"),
    (re.compile(r"^(\d{4})-Q([1-4])$"), "quarter"),
    (re.compile(r"^(\d{4})-W(\d{2})$"), "week"),
    (re.compile(r"^(\d{4})-(\d{2})$"), "month"),
    (re.compile(r"^(\d{4})-(\d{2})-(\d{2})$"), "day"),
)


class Period(tuple[date, date, str]):
    """(first day, last day, precision) of a value."""

    @property
    def first(self) -> date:
        return self[0]

    @property
    def last(self) -> date:
        return self[1]

    @property
    def precision(self) -> str:
        return self[2]

    def start_datetime(self) -> datetime:
        return datetime(self.first.year, self.first.month, self.first.day, tzinfo=UTC)

    def end_datetime(self) -> datetime:
        last = self.last
        return datetime(last.year, last.month, last.day, 23, 59, 59, tzinfo=UTC)


def _month_end(year: int, month: int) -> date:
    following = date(year + (month == 12), month % 12 + 1, 1)
    return following - timedelta(days=1)


def period_of(value: str | None) -> Period | None:
    """The period ``value`` covers, or None when it is not an ISO partial date we know."""
    if not value:
        return None
    for pattern, precision in _PATTERNS:
        match = pattern.match(value)
        if not match:
            continue
        try:
            year = int(match.group(1))
            if precision == "year":
                return Period((date(year, 1, 1), date(year, 12, 31), precision))
            if precision == "quarter":
                q = int(match.group(2))
                return Period((date(year, 3 * q - 2, 1), _month_end(year, 3 * q), precision))
            if precision == "week":
                monday = date.fromisocalendar(year, int(match.group(2)), 1)
                return Period((monday, monday + timedelta(days=6), precision))
            if precision == "month":
                month = int(match.group(2))
                return Period((date(year, month, 1), _month_end(year, month), precision))
            day = date(year, int(match.group(2)), int(match.group(3)))
            return Period((day, day, precision))
        except ValueError:
            return None
    return None


def contains(outer: str | None, inner: str | None) -> bool:
    """True when the period of ``outer`` contains the period of ``inner``."""
    a, b = period_of(outer), period_of(inner)
    return bool(a and b and a.first <= b.first and b.last <= a.last)
