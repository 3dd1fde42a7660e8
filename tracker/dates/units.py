"""Calendar arithmetic on the units of the date vocabulary (year, quarter, month, week, day).

Every value leaves this module as an ISO partial string whose form is its precision, so the
rest of the package never formats dates by hand and never invents precision it does not have.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

__all__ = [
    "Resolved",
    "day_value",
    "month_value",
    "quarter_value",
    "week_value",
    "year_value",
    "add_months",
    "valid_day",
    "first_day",
    "pick_year_for_day",
    "pick_index",
    "weekday_near",
    "week_start",
]

Resolved = tuple[str, str]
"""(value, precision), e.g. ("2025-08", "month")."""

_MIN_YEAR, _MAX_YEAR = 1, 9999


def _year_ok(year: int) -> bool:
    return _MIN_YEAR <= year <= _MAX_YEAR


def year_value(year: int) -> Resolved | None:
    return (f"{year:04d}", "year") if _year_ok(year) else None


def quarter_value(year: int, quarter: int) -> Resolved | None:
    return (f"{year:04d}-Q{quarter}", "quarter") if _year_ok(year) and 1 <= quarter <= 4 else None


def month_value(year: int, month: int) -> Resolved | None:
    return (f"{year:04d}-{month:02d}", "month") if _year_ok(year) and 1 <= month <= 12 else None


def day_value(d: date) -> Resolved:
    return (d.isoformat(), "day")


def week_value(d: date) -> Resolved:
    iso = d.isocalendar()
    return (f"{iso[0]:04d}-W{iso[1]:02d}", "week")


def first_day(value: str, precision: str) -> date | None:
    """The first calendar day of a resolved value ("2025-Q3" -> 1 July 2025)."""
    y = int(value[:4])
    if precision == "day":
        return date.fromisoformat(value)
    if precision == "month":
        return date(y, int(value[5:7]), 1)
    if precision == "quarter":
        return date(y, 3 * int(value[-1]) - 2, 1)
    if precision == "week":
        return date.fromisocalendar(y, int(value[-2:]), 1)
    return date(y, 1, 1) if precision == "year" else None


def valid_day(year: int, month: int, day: int) -> bool:
    """True when the triple names a real calendar day (29 February only in leap years)."""
    if not (_year_ok(year) and 1 <= month <= 12 and day >= 1):
        return False
    return day <= calendar.monthrange(year, month)[1]


def add_months(year: int, month: int, n: int) -> tuple[int, int]:
    """Shift a (year, month) pair by n months."""
    idx = year * 12 + (month - 1) + n
    return idx // 12, idx % 12 + 1


def week_start(d: date) -> date:
    """Monday of the ISO week of d."""
    return d - timedelta(days=d.weekday())


def pick_index(target: int, ref: int, period: int, tense: str | None) -> int:
    """Choose the occurrence of a cyclic unit nearest to ``ref`` in the direction of the tense.

    Units are counted on one integer axis (months as year*12+m, quarters as year*4+q). The
    text names the position inside the cycle (``target`` modulo ``period``); the clause's tense
    says whether the occurrence lies before ("past") or after ("future") the reference; with no
    tense the nearest occurrence wins, ties going to the past, the usual case in news.
    """
    tense = tense.rstrip("!") if tense else None
    base = ref - ((ref - target) % period)  # latest occurrence at or before ref
    nxt = base + period if base < ref else base
    if tense == "past":
        return base
    if tense == "future":
        return nxt
    if tense == "present":  # schedules: "takes effect on", "expires in" lean forward
        return base if ref - base < (nxt - ref) / 2 else nxt
    return base if ref - base <= nxt - ref else nxt


TENSE_WEIGHT = 0.35
"""How much nearer an occurrence in the direction of the clause's tense counts (a factor on its
distance). Tense detection from a few words is noisy ("payable Dec. 15" after "declared"), so
it tilts the choice instead of forcing it: "passed on August 1" in September stays this year's,
while a far-off occurrence that only the tense favours loses to a near one."""


def pick_year_for_day(month: int, day: int, ref: date, tense: str | None) -> int | None:
    """The year of a month-day written without one.

    A tense read from a verb governing the date ("past!", "future!") is a hard constraint:
    "approved ... on Jan. 10" in a 30 December article is the January just gone, "will take
    effect on January 1" in December the one ahead. A weaker tense signal only tilts the
    choice toward its direction; with none the nearest occurrence wins."""
    options = [y for y in (ref.year - 1, ref.year, ref.year + 1) if valid_day(y, month, day)]
    if not options:
        return None
    if tense == "past!":
        past = [y for y in options if date(y, month, day) <= ref]
        if past or (month, day) != (2, 29):
            return past[-1] if past else None
    if tense == "future!":
        ahead = [y for y in options if date(y, month, day) >= ref]
        if ahead or (month, day) != (2, 29):
            return ahead[0] if ahead else None
    # 29 February exists in one year of four: the nearest leap year, whatever the tense
    base = tense.rstrip("!") if tense else None

    def cost(y: int) -> tuple[float, bool]:
        d = date(y, month, day)
        dist: float = abs((d - ref).days)
        forward = d > ref
        if (base == "past" and not forward) or (base in ("future", "present") and forward):
            dist *= TENSE_WEIGHT if base != "present" else 0.5
        return dist, forward

    return min(options, key=cost)


def weekday_near(ref: date, weekday: int, tense: str | None, shift: int = 0) -> date:
    """The date of a weekday named without a date.

    ``shift`` is -1 for "last", +1 for "next", 0 for a bare name or "this". A bare name in the
    publication's own weekday is the publication day; otherwise news mostly reports the past
    week, so a bare name goes back unless the clause speaks of the future.
    """
    tense = tense.rstrip("!") if tense else None
    delta = weekday - ref.weekday()
    if shift < 0:
        back = (ref.weekday() - weekday) % 7 or 7
        return ref - timedelta(days=back)
    if shift > 0:
        fwd = (weekday - ref.weekday()) % 7 or 7
        return ref + timedelta(days=fwd)
    if delta == 0:
        return ref
    if tense in ("future", "present"):
        return ref + timedelta(days=delta % 7)
    return ref - timedelta(days=(-delta) % 7)
