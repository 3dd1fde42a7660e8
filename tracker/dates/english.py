"""English date expressions: how calendar dates, months, quarters and halves resolve, and
what guards them. The phrase shapes are in english_grammar, years in english_years.

Vague parts of a unit resolve to the unit that contains them, so
"mid-2026" is "2026" and "late May" is the month.
"""

from __future__ import annotations

import re
from datetime import date

from .context import Context
from .english_relative import (
    REL_SHIFT,
)
from .english_years import (
    COUNT_NOUN,
)
from .lexicon import (
    FUNCTION_WORDS,
    ORDINALS,
    WEEKDAYS,
    month_number,
)
from .locale import month_first
from .outcome import Outcome
from .rules import REJECT
from .units import (
    day_value,
    month_value,
    pick_index,
    pick_year_for_day,
    quarter_value,
    valid_day,
    year_value,
)

__all__ = [
    "MODIFIER",
    "resolve_month_day",
    "capital_verb_month",
    "ci_pattern",
    "g_month",
    "r_day_month",
    "r_dmy_pair",
    "r_half",
    "r_iso",
    "r_mdy",
    "r_month",
    "r_my",
    "r_numeric_dmy",
    "r_q_bare",
    "r_q_explicit",
    "r_quarter",
    "r_rel_month",
]

_F = re.IGNORECASE


def ci_pattern(p: str, flags: int = _F) -> re.Pattern[str]:
    return re.compile(p, flags)


# A modifier written before a unit keeps the unit's value but belongs to the span.
MODIFIER = ci_pattern(
    r"(?:\b(?:the\s+)?(?:very\s+)?(?:end|beginning|start|middle|close|turn|first\s+half|second\s+half|"
    r"latter\s+half|last\s+half|remainder|rest|(?:first|last|final)\s+(?:days?|weeks?|months?)|"
    r"spring|summer|fall|autumn|winter)\s+of\s+"
    r"|\b(?:early|late|mid|end)(?:-|\s+)|\bmid|\b(?:earlier|later)\s+(?:in\s+)?|\bsometime\s+(?:in\s+)?)$"
)


def _year_shift(rel: str | None, ref: date) -> int:
    return ref.year + REL_SHIFT.get((rel or "this").lower(), 0)


# ---- absolute and partial calendar dates -------------------------------------------------


def _ymd(y: int, m: int, d: int) -> Outcome:
    return day_value(date(y, m, d)) if valid_day(y, m, d) else REJECT


def _leading_int(text: str) -> int:
    """The number a day group starts with ("25" of "25th")."""
    found = re.match(r"\d+", text)
    assert found is not None  # the group's pattern starts with digits
    return int(found[0])


def r_iso(m: re.Match[str], ctx: Context) -> Outcome:
    return _ymd(int(m["y"]), int(m["m"]), int(m["d"]))


def r_numeric_dmy(m: re.Match[str], ctx: Context) -> Outcome:
    """ "13/10/2025" is decided by its numbers; "07/08/2007" by the locale of the source
    (month-first in the United States, day-first in Hong Kong, the UK and China), and left
    unresolved when the source's locale is unknown."""
    a, b = int(m["a"]), int(m["b"])
    if "y" in m.re.groupindex and m["y"]:
        y = int(m["y"])
    else:
        y = _two_digit_year(int(m["yy"]), ctx)
    if a > 12 and b <= 12:
        return _ymd(y, b, a)
    if b > 12 and a <= 12:
        return _ymd(y, a, b)
    if a == b:
        return _ymd(y, a, a)
    order = month_first(ctx.locale)
    if order is None:
        order = _order_from_document(ctx, y, a, b)
    if order is None:
        return None if valid_day(y, a, b) and valid_day(y, b, a) else REJECT
    return _ymd(y, a, b) if order else _ymd(y, b, a)


_NUMERIC = re.compile(r"(?<![\d/.-])(\d\d?)([/.-])(\d\d?)\2(?:\d\d){1,2}(?![\d/.-]\d|\d)")


def _order_from_document(ctx: Context, y: int, a: int, b: int) -> bool | None:
    """Without a locale, the document may still say which way round it writes: another numeric
    date whose first number is over 12 (day-first) or whose second is (month-first), or the
    publication day itself written one way ("Posted 07/08/2025" on 7 August)."""
    if ctx.numeric_order is None:
        day_first = month_first_seen = False
        for m in _NUMERIC.finditer(ctx.text):
            x, z = int(m.group(1)), int(m.group(3))
            day_first |= 12 < x <= 31 and z <= 12
            month_first_seen |= 12 < z <= 31 and x <= 12
        ctx.numeric_order = (
            "m" if month_first_seen and not day_first else "d" if day_first and not month_first_seen else "?"
        )
    if ctx.numeric_order != "?":
        return ctx.numeric_order == "m"
    ref = ctx.ref
    if ref is not None:
        as_mdy = valid_day(y, a, b) and abs((date(y, a, b) - ref).days) <= 1
        as_dmy = valid_day(y, b, a) and abs((date(y, b, a) - ref).days) <= 1
        if as_mdy != as_dmy:
            return as_mdy
    return None


def _two_digit_year(yy: int, ctx: Context) -> int:
    """ "7/8/07": the year of that century nearest the reference, at most ten years ahead."""
    ref_year = ctx.ref.year if ctx.ref is not None else 2010
    y = ref_year - ref_year % 100 + yy
    return y - 100 if y > ref_year + 10 else y


def _partial_day(month: int, day: int, m: re.Match[str], ctx: Context) -> Outcome:
    year = m["y"] if "y" in m.re.groupindex else None
    if year:
        return _ymd(int(year), month, day)
    ref = ctx.ref
    if ref is None:
        y = ctx.narrative_year(m.start(), month, day) or ctx.anchor_year()
        return None if y is None else _ymd(y, month, day)
    rel = m["rel"] if "rel" in m.re.groupindex else None
    if rel:
        return _ymd(_year_shift(rel, ref), month, day)
    wd = m["wd"] if "wd" in m.re.groupindex else None
    if wd:  # "Saturday, April 25": the year whose April 25 is a Saturday
        target = WEEKDAYS[wd.lower().rstrip(".")]
        for y in (ref.year, ref.year + 1, ref.year - 1):
            if valid_day(y, month, day) and date(y, month, day).weekday() == target:
                return _ymd(y, month, day)
    y = ctx.narrative_year(m.start(), month, day)
    if y is not None:
        return _ymd(y, month, day)
    ref, tense = ctx.frame(m.start(), m.end())
    assert ref is not None  # ctx.ref is set, so the frame is it or a day the text gives
    y = pick_year_for_day(month, day, ref, tense)
    return _ymd(y, month, day) if y else REJECT


_EVENT_AFTER = re.compile(
    r"[,]?\s+(?:terror(?:ist)?\s+)?(?:attacks?|bombings?|hijackings?|hijackers|massacre|movement|incident|"
    r"uprising|riots?|revolution|commission|coup|tragedy|disaster|earthquake|crash|shootings?)\b",
    _F,
)


# month-days that name an event of a known year, whatever the publication's
_FAMOUS_EVENT_DAYS = {(9, 11): 2001, (5, 4): 1919, (6, 4): 1989, (10, 19): 1987}


def _event_day(month: int, day: int, m: re.Match[str], ctx: Context) -> Outcome:
    """ "the September 11 attacks", "the Aug. 7 bombings": a month-day that names an event
    names one that has happened — a famous one in its own year, any other on the latest such
    day before publication, never one ahead."""
    year = _FAMOUS_EVENT_DAYS.get((month, day))
    if year is not None:
        return _ymd(year, month, day)
    if ctx.ref is None:
        return None
    y = pick_year_for_day(month, day, ctx.ref, "past!")
    return _ymd(y, month, day) if y else REJECT


def r_day_month(m: re.Match[str], ctx: Context) -> Outcome:
    month, day = month_number(m["mon"]), _leading_int(m["d"])
    if not m["y"] and _EVENT_AFTER.match(ctx.text, m.end()):
        return _event_day(month, day, m, ctx)
    return _partial_day(month, day, m, ctx)


def r_mdy(m: re.Match[str], ctx: Context) -> Outcome:
    """A month-day, or two days of one month ("April 24 and 25", "March 3-5, 2026"): each day
    is then an expression of its own, the second in the month and year of the first."""
    first = r_day_month(m, ctx)
    if "d2" not in m.re.groupindex or not m["d2"]:
        return first
    d1, d2 = _leading_int(m["d"]), _leading_int(m["d2"])
    if d2 <= d1 or COUNT_NOUN.match(ctx.text, m.end()):
        return REJECT
    if not isinstance(first, tuple):
        return [("d", None), ("d2", None)] if first is None else first
    y, mo = int(first[0][:4]), int(first[0][5:7])
    return [("d", first), ("d2", day_value(date(y, mo, d2)) if valid_day(y, mo, d2) else None)]


def r_dmy_pair(m: re.Match[str], ctx: Context) -> Outcome:
    """ "3-5 March 2025", "24 and 25 April": each day its own expression, the first in the
    month and year of the second."""
    second = r_day_month(m, ctx)
    d0, d1 = _leading_int(m["d0"]), _leading_int(m["d"])
    if d0 >= d1:
        return REJECT
    if not isinstance(second, tuple):
        return [("d0", None), ("d", None)] if second is None else second
    y, mo = int(second[0][:4]), int(second[0][5:7])
    return [("d0", day_value(date(y, mo, d0)) if valid_day(y, mo, d0) else None), ("d", second)]


resolve_month_day = r_mdy  # for compounds that hold a month-day ("the week of March 6")


def _month_only(month: int, m: re.Match[str], ctx: Context, rel: str | None = None) -> Outcome:
    ref, tense = ctx.frame(m.start(), m.end())
    if ref is None:
        anchor = ctx.anchor_year() if not rel else None
        return None if anchor is None else month_value(anchor, month)
    ref_idx = ref.year * 12 + ref.month - 1
    rel = (rel or "").lower()
    if rel in ("last", "this past", "past"):
        idx = pick_index(month - 1, ref_idx - 1, 12, "past")
    elif rel in ("next", "this coming", "coming"):
        idx = pick_index(month - 1, ref_idx + 1, 12, "future")
    elif rel == "this":
        idx = ref.year * 12 + month - 1
    elif rel == "that":  # "that October": the month in the year the text is talking about
        idx = (ctx.last_year if ctx.last_year is not None else ref.year) * 12 + month - 1
    else:
        idx = pick_index(month - 1, ref_idx, 12, tense)
    return month_value(idx // 12, idx % 12 + 1)


def r_my(m: re.Match[str], ctx: Context) -> Outcome:
    month = month_number(m["mon"])
    if m["y"]:
        return month_value(int(m["y"]), month)
    if ctx.ref is None:
        return None
    return month_value(_year_shift(m["rel"], ctx.ref), month)


def r_rel_month(m: re.Match[str], ctx: Context) -> Outcome:
    return _month_only(month_number(m["mon"]), m, ctx, m["rel"])


def r_month(m: re.Match[str], ctx: Context) -> Outcome:
    return _month_only(month_number(m["mon"]), m, ctx)


_GENERIC_AFTER = re.compile(
    r"(?:\s+(?:has|is|was|have))?\s+(?:historically|typically|usually|traditionally|"
    r"generally|tends?\s+to|always|often)\b"
)


# after these a month name is the month ("in May it returned", "since June we have")
_MONTH_PREPS = frozenset(("in", "since", "until", "till", "during", "by", "from", "early", "late", "mid", "through"))


def g_month(m: re.Match[str], text: str) -> bool:
    """A bare month name must be capitalised and not be a name or the verb "may"/"march"."""
    word = text[m.start("mon") : m.end("mon")]
    if not word[0].isupper():
        return False
    before = text[max(0, m.start() - 30) : m.start()]
    prev = re.search(r"([A-Za-z][\w'.-]*)\W*$", before)
    nxt = re.match(r"\s+([A-Za-z][\w'-]*)", text[m.end() : m.end() + 30])
    prev_word = prev.group(1) if prev else ""
    sentence_start = not before.strip() or before.rstrip()[-1:] in '.!?"“:;' or "\n" in before[-3:]
    prev_is_fn = prev_word.lower() in FUNCTION_WORDS
    if prev_word.lower() in ("every", "each") or _GENERIC_AFTER.match(text, m.end()):
        return False  # a set ("every October") or a generic month ("October has historically been")
    if prev_word[:1].isupper() and not prev_is_fn and not sentence_start:
        return False  # "Theresa May", "Hong Kong June" (a headline word run)
    if (
        word.lower() == "may"
        and re.match(r"[^.!?\n]{0,200}\?", text[m.end() :])
        and (sentence_start or prev_word.endswith(":"))
    ):
        return False  # "May companies ...?" is a question
    if nxt and word.lower() in ("may", "april", "june", "august") and prev_word.lower() not in _MONTH_PREPS:
        nw = nxt.group(1)
        if nw.lower() in ("i", "we", "you", "he", "she", "it", "they", "be", "have", "not", "also", "well"):
            return False
        if nw[:1].isupper() and not prev_is_fn:
            return False  # "April Smith", "May Day"
    return True


def capital_verb_month(m: re.Match[str], text: str) -> bool:
    """ "this may involve", "that may", "this march": the months that are also verbs or nouns
    count only when written with a capital. The pattern runs on lower-cased text, so the case
    is read from the original."""
    word = text[m.start("mon") : m.end("mon")]
    return word.lower() not in ("may", "march") or word[0].isupper()


# ---- quarters and halves ------------------------------------------------------------------


def _quarter_near(q: int, m: re.Match[str], ctx: Context, offset: int = 0) -> Outcome:
    last = ctx.last_quarter
    # a quarter written just before lends its year, unless it is history ("the third quarter of 1984")
    if (
        last is not None
        and (ctx.ref is None or last[0] >= ctx.ref.year - 1)
        and ctx.last_quarter_pos is not None
        and m.start() - ctx.last_quarter_pos < 300
    ):
        return quarter_value(last[0] + offset, q)
    ref, tense = ctx.frame(m.start(), m.end())
    if ref is None:
        return None
    ref_idx = ref.year * 4 + (ref.month - 1) // 3
    # a quarter is reported on after it ends, so the tense says little: nearest wins
    idx = pick_index(q - 1, ref_idx, 4, tense if tense and tense.startswith("past") else None)
    return quarter_value(idx // 4 + offset, idx % 4 + 1)


def r_q_explicit(m: re.Match[str], ctx: Context) -> Outcome:
    q = int(m["q1"] or m["q2"] or m["q3"])
    y = int(m["y1"] or m["y2"] or m["y3"])
    return quarter_value(y, q)


def r_quarter(m: re.Match[str], ctx: Context) -> Outcome:
    q = ORDINALS[m["ord"].lower()]
    y = m["y"] or m["yy"]
    if y:
        return quarter_value(int(y), q)
    det = (m["det"] or "").lower()
    rel = m["rel"]
    if ctx.ref is not None and (rel or det.endswith("year's")):
        word = rel or det.split()[0]
        return quarter_value(_year_shift(word, ctx.ref), q)
    if det in ("last", "next") and ctx.ref is not None:
        return _quarter_near(q, m, ctx)
    return _quarter_near(q, m, ctx)


def r_q_bare(m: re.Match[str], ctx: Context) -> Outcome:
    return _quarter_near(int(m["q"]), m, ctx)


def r_half(m: re.Match[str], ctx: Context) -> Outcome:
    if m["y"]:
        return year_value(int(m["y"]))
    if ctx.ref is None:
        return None
    return year_value(_year_shift(m["rel"], ctx.ref))
