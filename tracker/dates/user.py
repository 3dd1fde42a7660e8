"""Dates typed by people (CLI filters such as ``tracker timeline --since``)."""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from typing import Any

from ..errors import InputError
from ..periods import period_of
from .finder import find_dates

__all__ = ["parse_user_date"]


def _iso_partial(s: str) -> tuple[str, str] | None:
    period = period_of(s)
    return (s, period.precision) if period else None


@lru_cache(maxsize=8)
def _parser(base: date) -> Any:
    """A dateparser parser per reference day: its settings are fixed when it is built, and
    building one costs far more than parsing with it."""
    from dateparser.date import DateDataParser

    return DateDataParser(
        languages=["en", "zh"],
        settings={
            "PREFER_DAY_OF_MONTH": "first",
            "RELATIVE_BASE": datetime(base.year, base.month, base.day, 12),
        },
    )


def _via_dateparser(s: str, today: date) -> tuple[str, str] | None:
    """Fallback for phrases the finder does not cover; precision comes from dateparser's period."""
    data = _parser(today).get_date_data(s)
    if data is None or data.date_obj is None:
        return None
    d = data.date_obj.date()
    period = data.period or "day"
    if period == "year":
        return f"{d.year:04d}", "year"
    if period == "month":
        return f"{d.year:04d}-{d.month:02d}", "month"
    if period == "week":
        iso = d.isocalendar()
        return f"{iso[0]:04d}-W{iso[1]:02d}", "week"
    return d.isoformat(), "day"


def parse_user_date(s: str, today: date | None = None) -> tuple[str, str]:
    """(value, precision) of a date typed by a user: "2025", "2025-Q3", "2025-08",
    "2025-W38", "2025-08-01", or a phrase such as "last month", "Q3 2025", "2021年9月".

    Raises InputError naming the input when nothing in it is a date.
    """
    text = (s or "").strip()
    if not text:
        raise InputError("empty date")
    iso = _iso_partial(text)
    if iso:
        return iso
    today = today or date.today()
    found = [e for e in find_dates(text, datetime(today.year, today.month, today.day)) if e.value]
    if len(found) == 1 and len(found[0].text) >= len(text) * 0.6:
        return found[0].value, found[0].precision  # type: ignore[return-value]
    via = _via_dateparser(text, today)
    if via:
        return via
    raise InputError(f"not a date: {s!r} (try 2025, 2025-Q3, 2025-08, 2025-W38 or 2025-08-01)")
