"""The year of a month-day on a page with no publication date (ANNOTATION.md §5).

"On 12 March" resolves against the publication date. Scraped excerpts often have none: then
the month-day takes its year from an explicit anchor in the same text: a full date or a dated
month or quarter ("in the third quarter of 2023"), or a dated occasion ("the 2024 budget",
rules/ ``lexicons.year_anchor``). The nearest anchor before it wins, else the first after it.
A bare year ("since 2017") is background, not an anchor; with no anchor the value stays null.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import replace
from datetime import date

from tracker.dates import DateExpr
from tracker.rules import Rules

__all__ = ["anchor_month_days"]

_MONTHS = {
    m: i
    for i, names in enumerate(
        (
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
            ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sept", "sep"),
            ("october", "oct"), ("november", "nov"), ("december", "dec"),
        ),
        start=1,
    )
    for m in names
}
_MONTH = r"(?P<mon>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_MONTH_DAY = (
    re.compile(r"(?:on\s+)?(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH + r"$", re.IGNORECASE),
    re.compile(r"(?:on\s+)?" + _MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?$", re.IGNORECASE),
    re.compile(r"(?P<mnum>\d{1,2})月(?P<day>\d{1,2})[日号號]$"),
)
_WRITTEN_YEAR = re.compile(r"(?:19|20)\d{2}")


def _month_day(text: str) -> tuple[int, int] | None:
    for pat in _MONTH_DAY:
        m = pat.match(text.strip())
        if m:
            month = int(m["mnum"]) if "mnum" in m.groupdict() else _MONTHS[m["mon"].lower()]
            day = int(m["day"])
            if 1 <= month <= 12 and 1 <= day <= 31:
                return month, day
    return None


def _anchors(text: str, dates: list[DateExpr], rules: Rules) -> list[tuple[int, int]]:
    """(offset, year) of every anchor, in text order."""
    found = [
        (d.start, int(d.value[:4]))
        for d in dates
        if d.value and d.precision in ("day", "month", "quarter") and _WRITTEN_YEAR.search(d.text)
    ]
    for m in rules.lexicon("year_anchor").finditer(text):
        year = _WRITTEN_YEAR.search(m.group(0))
        if year:
            found.append((m.start(), int(year.group(0))))
    return sorted(found)


def anchor_month_days(text: str, dates: list[DateExpr], rules: Rules) -> list[DateExpr]:
    """``dates`` with each unresolved month-day given the year of its anchor (no publication
    date only: the caller decides)."""
    if not any(d.value is None for d in dates):
        return dates
    anchors = _anchors(text, dates, rules)
    if not anchors:
        return dates
    offsets = [a for a, _ in anchors]
    out: list[DateExpr] = []
    for d in dates:
        md = _month_day(d.text) if d.value is None else None
        if md is None:
            out.append(d)
            continue
        i = bisect.bisect_right(offsets, d.start) - 1
        year = anchors[i][1] if i >= 0 else anchors[0][1]
        try:
            value = date(year, md[0], md[1]).isoformat()
        except ValueError:
            out.append(d)
            continue
        out.append(replace(d, value=value, precision="day"))
    return out
