"""When each named day falls, year by year: Easter, the lunar festivals, Qingming, Labour
Day by locale, and the English names of holidays with the rule that dates them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from .lunar import lunar_to_solar
from .units import TENSE_WEIGHT

__all__ = ["easter", "pick_occurrence", "fixed", "lunar", "qingming", "labour_day", "EN_DAYS", "EN_SPANS"]


def easter(year: int) -> date:
    """Easter Sunday of the Gregorian calendar (the anonymous algorithm, as in Meeus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    x = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * x) // 451
    month, day = divmod(h + x - 7 * m + 114, 31)
    return date(year, month, day + 1)


def pick_occurrence(day_in: Callable[[int], date | None], ref: date, tense: str | None) -> date | None:
    """Of a yearly day's occurrences around ``ref``, the one the clause points to: the latest
    gone by or the next one for a governing verb ("past!", "future!"), else the nearest, with
    the direction of a weaker tense tilting the choice."""
    options = [
        d for d in (day_in(y) for y in (ref.year - 1, ref.year, ref.year + 1) if 1 <= y <= 9999) if d is not None
    ]
    if not options:
        return None
    if tense == "past!":
        past = [d for d in options if d <= ref]
        return past[-1] if past else None
    if tense == "future!":
        ahead = [d for d in options if d >= ref]
        return ahead[0] if ahead else None
    base = tense.rstrip("!") if tense else None

    def cost(d: date) -> float:
        dist: float = abs((d - ref).days)
        forward = d > ref
        if (base == "past" and not forward) or (base in ("future", "present") and forward):
            dist *= TENSE_WEIGHT
        return dist

    return min(options, key=cost)


def fixed(month: int, day: int) -> Callable[[int], date | None]:
    return lambda y: date(y, month, day)


def lunar(month: int, day: int, shift: int = 0) -> Callable[[int], date | None]:
    def day_in(y: int) -> date | None:
        d = lunar_to_solar(y, month, day)
        return None if d is None else d + timedelta(days=shift)

    return day_in


def _first_monday_of_september(y: int) -> date:
    first = date(y, 9, 1)
    return first + timedelta(days=(7 - first.weekday()) % 7)


def qingming(y: int) -> date | None:
    """Qingming (清明, Ching Ming), the solar term on 4, 5 or 6 April: the usual closed form
    (the year's last two digits times 0.2422, plus a century constant) for 1901-2099."""
    if not 1901 <= y <= 2099:
        return None
    yy = y % 100
    c = 5.59 if y < 2000 else 4.81
    return date(y, 4, int(yy * 0.2422 + c) - (yy // 4 if y >= 2000 else (yy - 1) // 4))


def _us_election_day(y: int) -> date:
    """The Tuesday after the first Monday of November."""
    first = date(y, 11, 1)
    return first + timedelta(days=(7 - first.weekday()) % 7 + 1)


def labour_day(spelling: str, locale: str | None) -> Callable[[int], date | None]:
    """May 1 in Hong Kong, China and most of the world; the first Monday of September in the
    United States and Canada, and for the American spelling "Labor Day" by default."""
    if locale in ("US", "CA") or (locale is None and spelling == "labor"):
        return _first_monday_of_september
    return fixed(5, 1)


EN_DAYS: dict[str, Callable[[int], date | None]] = {
    "easter": easter,
    "easter sunday": easter,
    "easter day": easter,
    "good friday": lambda y: easter(y) - timedelta(days=2),
    "holy saturday": lambda y: easter(y) - timedelta(days=1),
    "easter monday": lambda y: easter(y) + timedelta(days=1),
    "may day": fixed(5, 1),
    "election day": _us_election_day,
    "lunar new year": lunar(1, 1),
    "chinese new year": lunar(1, 1),
    "spring festival": lunar(1, 1),
    "lunar new year's eve": lunar(1, 1, -1),
    "chinese new year's eve": lunar(1, 1, -1),
    "lantern festival": lunar(1, 15),
    "national day": fixed(10, 1),
    "mid-autumn festival": lunar(8, 15),
    "mid-autumn": lunar(8, 15),
    "mid autumn festival": lunar(8, 15),
    "moon festival": lunar(8, 15),
    "dragon boat festival": lunar(5, 5),
    "tuen ng festival": lunar(5, 5),
    "chung yeung festival": lunar(9, 9),
    "buddha's birthday": lunar(4, 8),
    "ching ming festival": qingming,
    "qingming festival": qingming,
    "tomb-sweeping day": qingming,
    "tomb sweeping day": qingming,
    "hksar establishment day": fixed(7, 1),
    "establishment day": fixed(7, 1),
}
# holidays of several days: the unit that holds them
EN_SPANS: dict[str, tuple[Callable[[int], date | None], str]] = {
    "easter week": (easter, "week"),
    "easter holiday": (easter, "week"),
    "easter holidays": (easter, "week"),
    "golden week": (fixed(10, 1), "month"),
    "national day golden week": (fixed(10, 1), "month"),
    "national day holiday": (fixed(10, 1), "month"),
    "national day holidays": (fixed(10, 1), "month"),
    "lunar new year holiday": (lunar(1, 1), "day"),
    "lunar new year holidays": (lunar(1, 1), "day"),
    "may day golden week": (fixed(5, 1), "month"),
    "labour day golden week": (fixed(5, 1), "month"),
}
