"""English compound expressions, resolved whole: "the final quarter of 2009", "the same period
last year", "the year before", "year-end", "the full year", "the 1988 quarter".

Each is one span. A compound that compares with a period a year back ("the same period last
year", "the year-ago quarter") takes the unit the document is reporting on: a quarter when one
has been written, else the year.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from .context import Context
from .lexicon import DAYN, MON, YEAR
from .outcome import Outcome
from .rules import REJECT, Rule
from .units import add_months, day_value, month_value, pick_index, quarter_value, week_value, year_value

__all__ = ["RULES"]

_F = re.IGNORECASE
_ORD = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4, "final": 4, "last": 4}
_REL = {"this": 0, "last": -1, "next": 1, "the previous": -1, "the following": 1}


def _year_named(m: re.Match[str], ctx: Context) -> int | None:
    """The year a compound names: written, relative ("next year"), or the one in discussion."""
    if m["y"]:
        return int(m["y"])
    rel = (m["rel"] or "").lower()
    if rel in ("that", "the same"):
        return ctx.last_year if ctx.last_year is not None else (ctx.ref.year if ctx.ref else None)
    if ctx.ref is None:
        return None
    return ctx.ref.year + _REL.get(re.sub(r"\s+", " ", rel), 0)


def _r_quarter_of(m: re.Match[str], ctx: Context) -> Outcome:
    y = _year_named(m, ctx)
    return None if y is None else quarter_value(y, _ORD[m["ord"].lower()])


def _r_same_period(m: re.Match[str], ctx: Context) -> Outcome:
    """ "the same period last year", "the year-ago quarter", "the corresponding month of 2024"."""
    unit = (m["unit"] or m["unit2"]).lower()
    words = m.group(0).lower()
    if not m["unit2"] and not m["back"] and not re.search(r"year[\s-](?:ago|earlier)|prior[\s-]year", words):
        return REJECT  # "the same period" alone compares with nothing said
    if m["y"]:
        y = int(m["y"])
    elif ctx.last_quarter is not None and unit in ("period", "quarter"):
        y = ctx.last_quarter[0] - 1
    elif ctx.ref is not None:
        y = ctx.ref.year - 1
    else:
        return None
    if unit in ("period", "quarter") and ctx.last_quarter is not None:
        return quarter_value(y, ctx.last_quarter[1])
    if unit == "month" and ctx.last_month is not None:
        return month_value(y, ctx.last_month[1])
    if unit == "month" and ctx.ref is not None:
        return month_value(y, ctx.ref.month)
    return year_value(y)


def _r_unit_before(m: re.Match[str], ctx: Context) -> Outcome:
    """ "the year before", "the month after", "the week prior": one unit off the unit in
    discussion (the year just written), else off the publication's."""
    unit = m["unit"].lower()
    sign = 1 if m["dir"].lower() == "after" else -1
    if unit == "year":
        if ctx.last_year is not None and ctx.last_pos >= 0 and m.start() - ctx.last_pos < 300:
            return year_value(ctx.last_year + sign)
        return year_value(ctx.ref.year + sign) if ctx.ref is not None else None
    if unit == "day":
        anchor = ctx.antecedent_day(m.start()) or ctx.ref
        return None if anchor is None else day_value(anchor + timedelta(days=sign))
    ref = ctx.last_first if ctx.last_first is not None and m.start() - ctx.last_pos < 300 else ctx.ref
    if ref is None:
        return None
    if unit == "month":
        return month_value(*add_months(ref.year, ref.month, sign))
    if unit == "week":
        return week_value(ref + timedelta(weeks=sign))
    idx = ref.year * 4 + (ref.month - 1) // 3 + sign
    return quarter_value(idx // 4, idx % 4 + 1)


def _r_year_end(m: re.Match[str], ctx: Context) -> Outcome:
    """ "by year-end", "around year end", "since year-end": the end of this year, or of the year
    just gone after "since" or early in a year in a past clause."""
    if ctx.ref is None:
        return None
    before = ctx.text[max(0, m.start() - 12) : m.start()].lower()
    tense = (ctx.tense(m.start(), m.end()) or "").rstrip("!")
    back = "since" in before or (tense == "past" and ctx.ref.month <= 3)
    return year_value(ctx.ref.year - 1 if back else ctx.ref.year)


def _r_whole_year(m: re.Match[str], ctx: Context) -> Outcome:
    """ "the full year", "the entire year", "the fiscal year", "the current fiscal year"."""
    if ctx.ref is None:
        return None
    return year_value(ctx.ref.year)


def _r_year_unit(m: re.Match[str], ctx: Context) -> Outcome:
    """ "the 1988 quarter", "the 1989 period": the quarter being reported on, in that year."""
    y = int(m["y"])
    if ctx.last_quarter is not None:
        return quarter_value(y, ctx.last_quarter[1])
    return year_value(y) if m["unit"].lower() == "period" else REJECT


def _r_latest_period(m: re.Match[str], ctx: Context) -> Outcome:
    """ "the latest period", "the period": the quarter the report is about, when it has one."""
    if ctx.last_quarter is not None:
        return quarter_value(*ctx.last_quarter)
    return REJECT


# "by year-end", "around year end": the noun; "year-end net" is an adjective of no date
_PREP_BEFORE = re.compile(
    r"\b(?:by|at|before|until|till|since|around|near|after|to|from|through|of|toward|towards|in)\s+\Z", _F
)


def _r_week_of(m: re.Match[str], ctx: Context) -> Outcome:
    from .english import resolve_month_day

    res = resolve_month_day(m, ctx)
    if not isinstance(res, tuple):
        return res
    d = date.fromisoformat(res[0])
    return week_value(d)


def _r_the_day(m: re.Match[str], ctx: Context) -> Outcome:
    """ "ended the day at", "late in the day", "a second consecutive day": in a market or wire
    report, the day being reported (the day written last in the paragraph), else the news day."""
    anchor = ctx.antecedent_day(m.start()) or ctx.ref
    return None if anchor is None else day_value(anchor)


_DAY_VERB = re.compile(
    r"\b(?:(?:end|finish|start|open)(?:s|es|ed|ing)?|clos(?:e|es|ed|ing)|begin(?:s|ning)?|began|begun|(?:late|early|earlier|later)\s+in|"
    r"(?:gains?|losses?|fell|rose|dropped|climbed|slipped|jumped|[\d.]+\s*%)\s+on|for)\s+\Z",
    _F,
)


def _g_the_day(m: re.Match[str], text: str) -> bool:
    return bool(m["ord"]) or _DAY_VERB.search(text, max(0, m.start() - 24), m.start()) is not None


_SEASON_MONTH = {"spring": 4, "summer": 7, "fall": 10, "autumn": 10, "winter": 1}


def _r_season(m: re.Match[str], ctx: Context) -> Outcome:
    """ "the fall of 2009", "last summer", "this winter": a season resolves to the year that
    holds it (the year of its January for winter), the only unit of the vocabulary that does."""
    if m["y"]:
        return year_value(int(m["y"]))
    if ctx.ref is None:
        return None
    month = _SEASON_MONTH[m["s"].lower()]
    rel = re.sub(r"\s+", " ", (m["rel"] or "").lower())
    ref_idx = ctx.ref.year * 12 + ctx.ref.month - 1
    if rel in ("last", "this past", "past"):
        idx = pick_index(month - 1, ref_idx - 3, 12, "past")
    elif rel in ("next", "this coming", "coming"):
        idx = pick_index(month - 1, ref_idx + 3, 12, "future")
    elif rel == "this":
        idx = pick_index(month - 1, ref_idx, 12, None)
    else:
        _, tense = ctx.frame(m.start(), m.end())
        idx = pick_index(month - 1, ref_idx, 12, tense)
    return year_value(idx // 12)


def _g_season(m: re.Match[str], text: str) -> bool:
    """ "the fall of the Wall", "a fall in prices" and "spring" as a verb are no seasons: a bare
    season needs a determiner and, for "fall", no "of"/"in" unless a year follows."""
    if m["y"]:
        return True
    if re.match(r"\s+of\s+(?:nineteen|twenty|two\s+thousand)\b", text[m.end() : m.end() + 20], _F):
        return False  # "the winter of nineteen ninety-four": the spelled year takes the season as modifier
    if not (m["rel"] or m["det"]):
        return False
    if m["s"].lower() == "fall" and re.match(r"\s+(?:of|in|from|to|back)\b", text[m.end() : m.end() + 6]):
        return False
    return not re.match(
        r"[\s-]+(?:collection|season|term|semester|session|school|camp|olympics|games)\b", text[m.end() :], _F
    )


def _r_weekend(m: re.Match[str], ctx: Context) -> Outcome:
    """ "last weekend", "this weekend", "over the weekend": the Saturday that opens it (the
    day TimeML's weekend values are scored as)."""
    ref = ctx.ref
    if ref is None:
        return None
    rel = re.sub(r"\s+", " ", (m["rel"] or "").lower())
    if ref.weekday() >= 5:  # written during a weekend: that one, or the ones either side
        this = ref - timedelta(days=ref.weekday() - 5)
    else:
        this = ref + timedelta(days=5 - ref.weekday())
    back = this - timedelta(weeks=1)
    if rel in ("last", "this past", "past"):
        return day_value(back)
    if rel in ("next", "this coming", "coming"):
        return day_value(this + timedelta(weeks=1) if ref.weekday() >= 5 else this)
    if rel == "this" or ref.weekday() >= 5:
        return day_value(this)
    _, tense = ctx.frame(m.start(), m.end())
    ahead = (tense or "").rstrip("!") in ("future", "present")
    return day_value(this if ahead else back)


def _c(p: str) -> re.Pattern[str]:
    return re.compile(p, _F)


_OF_YEAR = (
    rf"(?:(?P<y>{YEAR})\b|(?P<rel>this|last|next|that|the\s+previous|the\s+following|the\s+same)\s+year\b"
    r"|the\s+(?:current\s+)?year\b(?P<cur>))"
)

RULES: list[Rule] = [
    Rule(
        "quarter_of",
        _c(
            r"\b(?:the\s+)?(?P<ord>first|second|third|fourth|final|last|1st|2nd|3rd|4th)[\s-]+(?:fiscal[\s-]+)?"
            rf"quarter\s+(?:of\s+|in\s+)(?:fiscal\s+)?{_OF_YEAR}"
        ),
        _r_quarter_of,
        needs=("quarter",),
        triggers=("quarter",),
    ),
    Rule(
        "same_period",
        _c(
            r"\b(?:the\s+)?(?:same|corresponding|comparable|like|year[\s-]ago|year[\s-]earlier|prior[\s-]year)\s+"
            r"(?:year[\s-]ago\s+|year[\s-]earlier\s+)?(?:(?P<unit>period|quarter|month)(?!s\b)"
            rf"(?P<back>\s+(?:a\s+year\s+(?:ago|earlier|before)|(?:of\s+|in\s+)?last\s+year|(?:of|in)\s+(?P<y>{YEAR})\b))?"
            r"|(?P<unit2>time|season)\s+(?:a\s+year\s+(?:ago|earlier|before)|(?:of\s+|in\s+)?last\s+year))(?P<rel>)"
        ),
        _r_same_period,
        needs=(
            "same",
            "corresponding",
            "comparable",
            "like period",
            "like quarter",
            "year-ago",
            "year ago",
            "year-earlier",
            "year earlier",
            "prior-year",
            "prior year",
        ),
        triggers=(
            "same",
            "corresponding",
            "comparable",
            "like period",
            "like quarter",
            "year-ago",
            "year ago",
            "year-earlier",
            "year earlier",
            "prior-year",
            "prior year",
        ),
    ),
    Rule(
        "unit_before",
        _c(
            r"\bthe\s+(?P<unit>year|month|week|quarter|day)\s+(?P<dir>before|after|prior)\b"
            r"(?!\s+(?:last|next|the|a|an|its|his|her|their|\d|[a-z]+ing\b))"
        ),
        _r_unit_before,
        needs=("before", "after", "prior"),
        triggers=tuple(
            f"{u} {d}" for u in ("year", "month", "week", "quarter", "day") for d in ("before", "after", "prior")
        ),
    ),
    Rule(
        "year_end",
        _c(r"\b(?:the\s+)?(?:year(?:['’]s)?[\s-]end|end[\s-]of[\s-]year|year[\s-]?end)\b(?![\s-](?:results|bonus))"),
        _r_year_end,
        lambda m, text: (
            _PREP_BEFORE.search(text, max(0, m.start() - 12), m.start()) is not None
            or not re.match(r"\s+[a-z]", text[m.end() : m.end() + 2])
        ),
        needs=("year-end", "year end", "year's end", "year’s end", "yearend", "end-of-year", "end of year"),
        triggers=("year-end", "year end", "year's end", "year’s end", "yearend", "end-of-year", "end of year"),
    ),
    Rule(
        "whole_year",
        _c(
            r"\bthe\s+(?:(?:entire|whole|full|current|present)\s+)?(?:fiscal|financial|calendar|full|entire|whole)"
            r"\s+year\b(?!\s+(?:ago|earlier|before|after|\d))|\bthe\s+(?:entire|whole|full)\s+year\b"
        ),
        _r_whole_year,
        needs=("year",),
        triggers=("year",),
    ),
    Rule(
        "year_unit",
        _c(rf"\bthe\s+(?P<y>{YEAR})\s+(?P<unit>period|quarter)\b"),
        _r_year_unit,
        needs=("period", "quarter"),
        triggers=("period", "quarter"),
    ),
    Rule(
        "week_of",
        _c(rf"\b(?:the\s+)?week\s+of\s+(?P<mon>{MON})\s*(?P<d>{DAYN})(?:,?\s+(?P<y>{YEAR})\b)?"),
        _r_week_of,
        needs=("week",),
        triggers=("week",),
    ),
    Rule(
        "the_day",
        _c(
            r"\b(?:(?P<ord>(?:a|the)\s+(?:second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d+(?:st|nd|rd|th))"
            r"\s+(?:consecutive|straight|successive)\s+(?:trading\s+)?(?:day|session))|the\s+day)\b"
            r"(?!['’]s|\s+(?:before|after|of|that|when|in\s+which|on\s+which|he|she|they|it|we)\b)"
        ),
        _r_the_day,
        _g_the_day,
        extend=False,
        needs=("the day", "consecutive", "straight", "successive"),
        triggers=("day", "session"),
    ),
    Rule(
        "season",
        _c(
            r"\b(?:(?P<det>the)\s+)?(?:(?P<rel>this\s+past|this\s+coming|this|last|next|past|coming)\s+)?"
            rf"(?:(?:early|late|mid)[\s-]?)?(?P<s>spring|summer|fall|autumn|winter)\b(?:,?\s+(?:of\s+)?(?P<y>{YEAR})\b)?"
        ),
        _r_season,
        _g_season,
        needs=("spring", "summer", "fall", "autumn", "winter"),
        triggers=("spring", "summer", "fall", "autumn", "winter"),
    ),
    Rule(
        "weekend",
        _c(r"\b(?:the|(?P<rel>this\s+past|this\s+coming|this|last|next|past|coming))\s+weekend\b(?!s)"),
        _r_weekend,
        needs=("weekend",),
        triggers=("weekend",),
    ),
    Rule(
        "latest_period",
        _c(r"\bthe\s+(?:latest|most\s+recent|current)\s+period\b"),
        _r_latest_period,
        needs=("latest period", "recent period", "current period"),
        triggers=("period",),
    ),
]
