"""English relative expressions: "today", "last Friday", "this quarter", "two years ago",
"a year earlier", holidays.

They resolve against the reference day and the document context; a bare weekday leans to the
past (news reports what happened) unless its clause speaks of the future.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from .context import _SENT_END, Context
from .lexicon import WEEKDAYS, number_value
from .outcome import Outcome
from .rules import REJECT
from .units import (
    add_months,
    day_value,
    month_value,
    pick_year_for_day,
    quarter_value,
    valid_day,
    week_value,
    weekday_near,
    year_value,
)

__all__ = [
    "r_same_day",
    "REL_SHIFT",
    "r_deictic",
    "r_weekday",
    "g_weekday",
    "r_rel_unit",
    "g_rel_unit",
    "r_ago",
    "r_year_ago",
    "r_holiday",
]

REL_SHIFT = {
    "this": 0,
    "the current": 0,
    "current": 0,
    "the present": 0,
    "the": 0,
    "last": -1,
    "the past": -1,
    "past": -1,
    "the previous": -1,
    "previous": -1,
    "the last": -1,
    "this past": -1,
    "next": 1,
    "the coming": 1,
    "coming": 1,
    "the following": 1,
    "the next": 1,
    "this coming": 1,
}


_DEICTIC = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}


def r_deictic(m: re.Match[str], ctx: Context) -> Outcome:
    if ctx.ref is None:
        return None
    word = m.group(0).lower()
    if "before yesterday" in word:
        shift = -2
    elif "after tomorrow" in word:
        shift = 2
    else:
        shift = _DEICTIC[word.split("'")[0]]
    return day_value(ctx.ref + timedelta(days=shift))


def r_weekday(m: re.Match[str], ctx: Context) -> Outcome:
    if ctx.ref is None:
        return None
    wd = WEEKDAYS[m["wd"].lower()]
    rel = (m["rel"] or "").lower()
    if rel in ("last", "this past", "past", "the previous", "the last"):
        return day_value(weekday_near(ctx.ref, wd, None, -1))
    if rel in ("next", "the next", "the following", "coming", "this coming"):
        return day_value(weekday_near(ctx.ref, wd, None, 1))
    if rel == "this":
        tense: str | None = "future"
    elif m.group(0).endswith(("'s", "’s")) or ctx.text.startswith(("'s", "’s"), m.end()):
        # "Wednesday's ruling" names something that has happened, unless the clause looks
        # ahead ("Sunday's vote will decide", "ahead of Friday's meeting")
        clause = (ctx.tense(m.start(), m.end()) or "").rstrip("!")
        tense = "future" if clause == "future" else "past"
    else:
        ref, tense = ctx.frame(m.start(), m.end())
        return day_value(weekday_near(ref, wd, tense)) if ref else None
    return day_value(weekday_near(ctx.ref, wd, tense))


# "Black Monday", "Cyber Monday", "Super Tuesday": a capitalised word makes the weekday an
# event's name, not a day of this week
_NAMED_WEEKDAY = re.compile(r"\b(?:Black|Cyber|Blue|Bloody|Super|Manic|Ash|Holy|Maundy|Shrove|Giving|Fat|Spy)\s+\Z")


def g_weekday(m: re.Match[str], text: str) -> bool:
    nxt = text[m.end() : m.end() + 20]
    if not m["rel"] and _NAMED_WEEKDAY.search(text, max(0, m.start() - 10), m.start()):
        return False
    if not m["rel"] and re.search(r"(?i)\b(?:every|each)\s+$", text[max(0, m.start() - 8) : m.start()]):
        return False  # "every Monday" is a set, not a date
    return not re.match(
        r"\s+(?:Times|Telegraph|Post|Express|Mirror|Herald|Tribune|Mail|Independent|Star|"
        r"Observer|Sport|Business|Morning Post|School|Club)\b",
        nxt,
    )


def r_same_day(m: re.Match[str], ctx: Context) -> Outcome:
    """ "the same day", "that day", "the following day": the day written last (in this paragraph
    or the one before), shifted; "the same day" with none is the news day, "that day" is then
    no date at all ("trades made that day")."""
    words = m.group(0).lower()
    shift = (
        1 if ("following" in words or "next" in words) else -1 if ("previous" in words or "preceding" in words) else 0
    )
    anchor = ctx.antecedent_day(m.start())
    if anchor is None:
        if words.startswith("that") or ctx.ref is None:
            return REJECT if words.startswith("that") else None
        anchor = ctx.ref
    return day_value(anchor + timedelta(days=shift))


def r_rel_unit(m: re.Match[str], ctx: Context) -> Outcome:
    det = re.sub(r"\s+", " ", m["det"].lower())
    unit = m["unit"].lower().split()[-1]
    ref = ctx.ref
    if det in ("that", "the same"):
        if unit == "year" and ctx.last_year is not None:
            return year_value(ctx.last_year)
        if unit == "quarter" and ctx.last_quarter:
            return quarter_value(*ctx.last_quarter)
        if unit == "month" and ctx.last_month is not None:
            return month_value(*ctx.last_month)  # "later that month": the month just written
    if ref is None:
        return None
    if det in ("the following", "the previous") and unit == "year" and ctx.last_year is not None:
        return year_value(ctx.last_year + REL_SHIFT[det])
    if det in ("the following", "the previous") and ctx.last_first is not None and unit in ("month", "week"):
        ref = ctx.last_first  # "the following month": the month after the one just written
    shift = REL_SHIFT.get(det, 0)
    if unit == "year":
        return year_value(ref.year + shift)
    if unit == "month":
        y, mo = add_months(ref.year, ref.month, shift)
        return month_value(y, mo)
    if unit == "week":
        return week_value(ref + timedelta(weeks=shift))
    # quarter: "the quarter"/"the latest quarter" is the one the document is reporting on
    if ctx.last_quarter and det in ("the", "the latest", "this", "the current"):
        return quarter_value(*ctx.last_quarter)
    if det == "the latest":
        shift = -1
    idx = ref.year * 4 + (ref.month - 1) // 3 + shift
    return quarter_value(idx // 4, idx % 4 + 1)


_OF_DATE = re.compile(
    r"\s+of\s+(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|(?:19|20)\d\d\b|"
    r"(?:this|last|next|that)\s+(?:year|month)\b|the\s+(?:year|month)\b)",
    re.IGNORECASE,
)


def g_rel_unit(m: re.Match[str], text: str) -> bool:
    det = m["det"].lower()
    unit = text[m.start("unit") : m.end("unit")]
    if unit[:1].isupper() and text[m.start()].isupper() and text[max(0, m.start() - 1) : m.start()] in ('"', "“", "‘"):
        return False  # ABC's "This Week": a programme's title
    if m["unit"].lower().endswith(("week", "month")) and _OF_DATE.match(text, m.end()):
        return False  # "the last week of March": a part of the month, which the modifier widens
    if det == "the":
        before = text[max(0, m.start() - 20) : m.start()].lower()
        after = text[m.end() : m.end() + 20].lower()
        unit = m["unit"].lower()
        generic = (
            r"a|per|each|every|all|of|over|throughout|within"
            if unit.endswith("quarter")
            else r"a|per|each|every|all|over|during|throughout|within"
            if unit.endswith("year")
            else r"a|per|each|every|all|of|for|over|during|throughout|within"
        )
        if re.search(rf"\b(?:{generic})\s+$", before) and not re.search(
            r"(?:end|half|rest|part|start|beginning|middle|close)\s+of\s+$", before
        ):
            return False
        if (
            unit.endswith("year")
            and re.search(r"\b(?:for|of)\s+$", before)
            and not re.search(r"(?:end|half|rest|part|start|beginning|middle|close|turn)\s+of\s+$", before)
        ):
            # "for the year ended Sept. 30", "a high for the year", "nine months of the year": the
            # year reported on; "one of the year's", "time of the year" are no date
            if not re.search(
                r"(?:months|weeks|days|high|low|results|earnings|profit|net|loss|sales)\s+(?:for|of)\s+$|"
                r"(?:^|[.,;]\s*|\n)for\s+$",
                before,
            ):
                return False
        if re.match(r"\s*(?:before|after|ago|earlier|to date|-|’s|'s|a\s+year\s+(?:ago|earlier))", after):
            return False
    return True


def r_ago(m: re.Match[str], ctx: Context) -> Outcome:
    n = number_value(m["n"])
    unit = m["unit"].lower()
    if n is None or ctx.ref is None or unit == "decade":
        return REJECT if n is None or unit == "decade" else None
    if m["dir"].lower() == "later":
        return REJECT  # "Twelve years later": an offset from a narrative time, not from the news day
    sign = 1 if m["dir"].lower() in ("later", "from now", "hence") else -1
    ref = ctx.ref
    if unit == "day":
        return day_value(ref + timedelta(days=sign * n))
    if unit == "week":
        return week_value(ref + timedelta(weeks=sign * n))
    if unit == "month":
        return month_value(*add_months(ref.year, ref.month, sign * n))
    if unit == "quarter":
        idx = ref.year * 4 + (ref.month - 1) // 3 + sign * n
        return quarter_value(idx // 4, idx % 4 + 1)
    if n == 1 and sign < 0 and unit == "year":
        back = _year_before_compared(m, ctx)
        if back is not None:
            return back
    if n == 1 and sign < 0 and ctx.last_quarter:
        return quarter_value(ctx.last_quarter[0] - 1, ctx.last_quarter[1])
    return year_value(ref.year + sign * n)


def _year_before_compared(m: re.Match[str], ctx: Context) -> Outcome:
    """The month or day a year before the one written just before in the same sentence, if any."""
    d = ctx.last_first
    if d is None or not 0 <= m.start() - ctx.last_pos < 120 or _SENT_END.search(ctx.text, ctx.last_pos, m.start()):
        return None
    if ctx.last_precision == "month":
        return month_value(d.year - 1, d.month)
    if ctx.last_precision == "day":
        return day_value(
            d.replace(year=d.year - 1, day=28) if (d.month, d.day) == (2, 29) else d.replace(year=d.year - 1)
        )
    return None


def r_year_ago(m: re.Match[str], ctx: Context) -> Outcome:
    """ "a year earlier", "a year ago": a year back from the date the sentence compares with —
    the month or day written just before in the same sentence ("sales in September fell from a
    year earlier" is September of last year), else the quarter being reported, else the year."""
    back = None if m["q"] else _year_before_compared(m, ctx)
    if back is not None:
        return back
    if ctx.last_quarter and (ctx.ref is None or ctx.last_quarter[0] >= ctx.ref.year - 1):
        return quarter_value(ctx.last_quarter[0] - 1, ctx.last_quarter[1])
    if ctx.ref is None:
        return None
    if m["q"]:
        idx = ctx.ref.year * 4 + (ctx.ref.month - 1) // 3 - 1 - 4
        return quarter_value(idx // 4, idx % 4 + 1)
    return year_value(ctx.ref.year - 1)


_HOLIDAYS = {
    "christmas": (12, 25),
    "christmas day": (12, 25),
    "christmas eve": (12, 24),
    "new year's day": (1, 1),
    "new year's eve": (12, 31),
    "boxing day": (12, 26),
    "valentine's day": (2, 14),
    "halloween": (10, 31),
    "independence day": (7, 4),
}


def r_holiday(m: re.Match[str], ctx: Context) -> Outcome:
    name = re.sub(r"\s+", " ", m["h"].lower()).replace("’", "'")
    y = int(m["y"]) if m["y"] else None
    if name.startswith("thanksgiving"):

        def thanks(year: int) -> date:
            first = date(year, 11, 1)
            return first + timedelta(days=(3 - first.weekday()) % 7 + 21)

        if y is None:
            if ctx.ref is None:
                return None
            y = ctx.ref.year if thanks(ctx.ref.year) <= ctx.ref + timedelta(days=60) else ctx.ref.year - 1
        return day_value(thanks(y))
    month, day = _HOLIDAYS[name]
    if y is None:
        if ctx.ref is None:
            return None
        y = pick_year_for_day(month, day, ctx.ref, ctx.tense(m.start(), m.end()))
    return day_value(date(y, month, day)) if y and valid_day(y, month, day) else None
