"""The English grammar: each phrase shape as a Rule, its guard and its resolver.

Spans follow the TempEval convention: prepositions ("on", "since", "by") stay outside, while
modifiers ("the end of", "mid-", "earlier this") and determiners of the unit ("the third
quarter") stay inside.
"""

from __future__ import annotations

import re

from .english import (
    capital_verb_month,
    ci_pattern,
    g_month,
    r_day_month,
    r_dmy_pair,
    r_half,
    r_iso,
    r_mdy,
    r_month,
    r_my,
    r_numeric_dmy,
    r_q_bare,
    r_q_explicit,
    r_quarter,
    r_rel_month,
)
from .english_relative import (
    g_rel_unit,
    g_weekday,
    r_ago,
    r_deictic,
    r_holiday,
    r_rel_unit,
    r_same_day,
    r_weekday,
    r_year_ago,
)
from .english_years import (
    COUNT_NOUN,
    g_apos_year,
    g_deictic,
    g_year,
    g_year_pair,
    prev_not,
    r_apos_year,
    r_spelled_year,
    r_year,
    r_year_pair,
)
from .lexicon import (
    DAYN,
    MON,
    MONTH_FULL,
    WD,
    WD_ABBR,
    YEAR,
)
from .rules import REJECT, Rule
from .units import (
    month_value,
)

__all__ = ["RULES"]

# no line break between a weekday and its date: "…on Friday" + "September 18 …" is a headline
# and the line below it
_WDP = rf"(?:(?P<wd>{WD}|{WD_ABBR}),?[ \t\u00a0]+)?"
_NUMW = r"(?:\d{1,3}|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|a\s+couple\s+of)"  # noqa: E501
_DET = (
    r"(?P<det>this\s+past|this\s+coming|this|last|next|the\s+past|the\s+coming|the\s+previous|"
    r"the\s+following|the\s+current|the\s+latest|the\s+same|the\s+present|the\s+last|the\s+next|that|the)"
)

RULES: list[Rule] = [
    Rule(
        "iso",
        ci_pattern(r"(?P<y>(?:1[6-9]|20)\d\d)(?P<sep>[-/.])(?P<m>[01]?\d)(?P=sep)(?P<d>[0-3]?\d)(?![\d/.-]\d|\d)"),
        r_iso,
        prev_not("/.-", letters=False),
        full=True,
    ),
    Rule(
        "iso_week",
        ci_pattern(r"(?P<y>(?:19|20)\d\d)-?W(?P<w>[0-5]\d)\b", 0),
        lambda m, ctx: (f"{m['y']}-W{m['w']}", "week") if 1 <= int(m["w"]) <= 53 else REJECT,
        prev_not(""),
        full=True,
    ),
    Rule(
        "iso_q",
        ci_pattern(r"(?P<y3>(?:19|20)\d\d)-Q(?P<q3>[1-4])\b(?P<q1>)?(?P<q2>)?(?P<y1>)?(?P<y2>)?", 0),
        r_q_explicit,
        prev_not(""),
        full=True,
    ),
    Rule(
        "iso_month",
        ci_pattern(r"(?P<y>(?:19|20)\d\d)-(?P<m>0[1-9]|1[0-2])(?![\d/-])"),
        lambda m, ctx: month_value(int(m["y"]), int(m["m"])),
        prev_not("/.-", letters=False),
        full=True,
    ),
    Rule(
        "num_dmy",
        ci_pattern(r"(?P<a>\d\d?)(?P<sep>[/.-])(?P<b>\d\d?)(?P=sep)(?P<y>(?:19|20)\d\d)(?![\d/.-]\d|\d)"),
        r_numeric_dmy,
        prev_not("/.-", letters=False),
        full=True,
    ),
    Rule(
        "num_dmy_yy",
        ci_pattern(r"(?P<a>\d\d?)/(?P<b>\d\d?)/(?P<yy>\d\d)(?![\d/]|\.\d)"),
        r_numeric_dmy,
        prev_not("/.-$", letters=False),
        full=True,
    ),
    Rule(
        "mdy",
        ci_pattern(
            rf"\b{_WDP}(?P<mon>{MON})\s*(?P<d>{DAYN})"
            # "April 24 and 25", "March 3-5": a second day of the same month, an expression of its own
            rf"(?:\s*(?:-|–|—|and|or|to|through|&)\s*(?P<d2>{DAYN})"
            r"(?!\s*(?:a\.?m\b|p\.?m\b|o['’]clock|per\s*cent|percent|others?\b|more\b|of\b|people\b)))?"
            rf"(?:(?:\s*,\s*|\s+)(?P<y>{YEAR})\b|\s*,?\s+(?P<rel>this|last|next)\s+year\b)?"
        ),
        r_mdy,
    ),
    Rule(
        "dmy_pair",
        ci_pattern(
            rf"(?<![\d$€£¥#.,/])\b(?P<d0>{DAYN})\s*(?:-|–|—|to|and|&)\s*(?P<d>{DAYN})(?:\s+of)?\s+(?P<mon>{MON})"
            rf"(?:\s*,?\s+(?P<y>{YEAR})\b)?(?P<rel>)(?P<wd>)"
        ),
        r_dmy_pair,
    ),
    Rule(
        "dmy",
        ci_pattern(
            rf"(?<![\d$€£¥#.,/])\b{_WDP}(?P<d>{DAYN})(?:\s+of)?\s+(?P<mon>{MON})(?:\s*,?\s+(?P<y>{YEAR})\b|,?\s+(?P<rel>this|last|next)\s+year\b)?"
        ),
        r_day_month,
    ),
    Rule(
        "my",
        ci_pattern(rf"\b(?P<mon>{MON})(?:,?\s+(?:of\s+)?(?P<y>{YEAR})\b|,?\s+(?:of\s+)?(?P<rel>this|last|next)\s+year\b)"),
        r_my,
    ),
    Rule(
        "rel_month",
        ci_pattern(rf"\b(?P<rel>this\s+past|this\s+coming|last|next|this|past|coming|that)\s+(?P<mon>{MONTH_FULL}|sept\.?)"),
        r_rel_month,
        lambda m, text: capital_verb_month(m, text),
    ),
    Rule("month", ci_pattern(rf"\b(?P<mon>{MONTH_FULL})(?!-)"), r_month, g_month),
    Rule(
        "q_explicit",
        ci_pattern(rf"Q(?P<q1>[1-4])\s*(?:FY\s*)?(?P<y1>{YEAR})\b(?P<y2>)?(?P<q2>)?(?P<q3>)?(?P<y3>)?"),
        r_q_explicit,
        prev_not(""),
        full=True,
    ),
    Rule(
        "year_q",
        ci_pattern(rf"(?P<y2>{YEAR})\s*Q(?P<q2>[1-4])\b(?P<q1>)?(?P<y1>)?(?P<q3>)?(?P<y3>)?"),
        r_q_explicit,
        prev_not(""),
        full=True,
    ),
    Rule(
        "quarter",
        ci_pattern(
            rf"\b(?:(?P<det>the|this|last|next|its|this\s+year's|last\s+year's|next\s+year's|the\s+year's)\s+)?"
            rf"(?:(?:fiscal|calendar)[\s-]+)?(?:(?P<y>{YEAR})\s+)?(?:fiscal[\s-]+)?(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)"
            rf"[\s-]+(?:fiscal[\s-]+)?quarter(?!ly)(?:\s+(?:of\s+)?(?:(?P<yy>{YEAR})\b|(?P<rel>this|last|next)\s+year\b))?"
        ),
        r_quarter,
    ),
    Rule("q_bare", ci_pattern(r"Q(?P<q>[1-4])\b(?!\s*(?:FY\s*)?\d)", 0), r_q_bare, prev_not(""), full=True),
    Rule(
        "half",
        ci_pattern(
            rf"\b(?:the\s+)?(?:first|second|latter|last|1st|2nd|back|front)\s+half\s+of\s+(?:(?P<y>{YEAR})\b|(?P<rel>this|last|next)\s+year\b|the\s+year\b)"
        ),
        r_half,
        extend=False,
    ),
    Rule("half_h", ci_pattern(rf"H[12]\s*(?P<y>{YEAR})\b(?P<rel>)?", 0), r_half, prev_not(""), full=True),
    Rule("year", ci_pattern(r"(?P<yr>1[89]\d\d|20\d\d)(?![\d%])"), r_year, g_year, full=True),
    Rule(
        "year_pair",
        ci_pattern(
            r"(?P<y1>1[89]\d\d|20\d\d)(?P<sep>\s?[-–—/~～]\s?|\s*[至到]\s*)(?P<y2>1[89]\d\d|20\d\d|\d\d)"
            r"(?:\s*年(?:度)?)?(?![\d%]|[-/.:]\d|\s*[-–/]\s*\d)"
        ),
        r_year_pair,
        g_year_pair,
        full=True,
    ),
    Rule("apos_year", ci_pattern(r"['’](?P<yy>\d\d)(?![\d%]|s\b|['’]s\b)"), r_apos_year, g_apos_year, full=True),
    Rule(
        "spelled_year",
        ci_pattern(
            r"\b(?:the\s+year\s+)?(?:(?P<cent>nineteen|twenty)[\s-](?P<tens>ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
            r"seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-](?P<unit>one|two|three|four|"
            r"five|six|seven|eight|nine))?|(?P<thousand>two\s+thousand)(?:\s+(?:and\s+)?(?:(?P<tt>ten|eleven|twelve|twenty)|(?P<tu>one|two|three|four|five|six|seven|eight|nine)))?)\b"
        ),
        r_spelled_year,
        lambda m, text: (
            not re.match(r"\s+(?:years?|more|people|dollars|of)\b", text[m.end() : m.end() + 12])
            and not COUNT_NOUN.match(text, m.end())
        ),
    ),
    Rule(
        "deictic",
        ci_pattern(
            r"\b(?:(?:the\s+)?day\s+before\s+yesterday|(?:the\s+)?day\s+after\s+tomorrow|today|tonight|yesterday|tomorrow)(?:'s)?\b"
        ),
        r_deictic,
        g_deictic,
    ),
    Rule(
        "same_day",
        ci_pattern(
            r"\b(?:the\s+(?:very\s+)?same\s+(?:day|date)|that\s+(?:same\s+|very\s+)?day|the\s+(?:following|next|previous|preceding)\s+day)\b(?!\s*(?:-|of\b|or\b|and\s+night))"
        ),
        r_same_day,
    ),
    Rule(
        "weekday",
        ci_pattern(
            rf"\b(?:(?P<rel>last|next|this\s+coming|this\s+past|this|coming|past|the\s+previous|the\s+following|the\s+next)\s+)?(?P<wd>{WD})\b"
        ),
        r_weekday,
        g_weekday,
    ),
    Rule(
        "rel_unit",
        ci_pattern(rf"\b{_DET}\s+(?P<unit>(?:fiscal\s+)?year|month|week|(?:fiscal\s+)?quarter)\b(?![-‐])"),
        r_rel_unit,
        g_rel_unit,
    ),
    Rule(
        "ago",
        ci_pattern(
            rf"\b(?:(?:about|nearly|almost|roughly|some|more\s+than|just|only|exactly|around)\s+)?(?P<n>{_NUMW})\s+(?P<unit>day|week|month|quarter|year|decade)s?\s+(?P<dir>ago|earlier|later|from\s+now|hence)\b"
        ),
        r_ago,
    ),
    Rule(
        "year_ago",
        ci_pattern(
            r"\b(?:the\s+)?(?:comparable\s+)?(?:a\s+)?year[\s-](?:ago|earlier)(?:\s+(?:(?:first|second|third|fourth)[\s-]+)?(?P<q>quarter|period))?(?![\w-])"
        ),
        r_year_ago,
    ),
    Rule(
        "holiday",
        ci_pattern(
            r"\b(?P<h>christmas(?:\s+(?:day|eve))?|new\s+year['’]s\s+(?:day|eve)|boxing\s+day|valentine['’]s\s+day|halloween|thanksgiving(?:\s+day)?)(?:,?\s+(?P<y>(?:19|20)\d\d)\b)?"
        ),
        r_holiday,
    ),
]

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_DIGITS = tuple("0123456789")
_NEEDS: dict[str, tuple[str, ...]] = {
    "iso": ("-", "/", "."),
    "iso_week": ("w",),
    "iso_q": ("-q",),
    "iso_month": ("-",),
    "num_dmy": ("-", "/", "."),
    "num_dmy_yy": ("/",),
    "mdy": _MONTHS,
    "dmy": _MONTHS,
    "dmy_pair": _MONTHS,
    "my": _MONTHS,
    "rel_month": _MONTHS,
    "month": _MONTHS,
    "q_explicit": ("q",),
    "year_q": ("q",),
    "quarter": ("quarter",),
    "q_bare": ("q",),
    "half": ("half",),
    "half_h": ("h",),
    "year": _DIGITS,
    "year_pair": _DIGITS,
    "apos_year": ("'", "’"),
    "spelled_year": ("nineteen", "thousand"),
    "deictic": ("today", "tonight", "yesterday", "tomorrow"),
    "weekday": ("day",),
    "same_day": (
        "same d",
        "that day",
        "that same",
        "that very",
        "following day",
        "next day",
        "previous day",
        "preceding day",
    ),
    "rel_unit": ("year", "month", "week", "quarter"),
    "ago": ("ago", "earlier", "later", "from now", "hence"),
    "year_ago": ("year-", "year ago", "year earlier"),
    "holiday": ("christmas", "new year", "boxing", "valentine", "halloween", "thanksgiving"),
}
# rules anchored on one of a few words scan only around those words, not the shared windows
_TRIGGERS: dict[str, tuple[str, ...]] = {
    "mdy": _MONTHS,
    "dmy": _MONTHS,
    "dmy_pair": _MONTHS,
    "my": _MONTHS,
    "rel_month": _MONTHS,
    "month": _MONTHS,
    "quarter": ("quarter",),
    "spelled_year": ("nineteen", "thousand"),
    "weekday": ("day",),
    "rel_unit": ("year", "month", "week", "quarter"),
    "ago": ("ago", "earlier", "later", "from now", "hence"),
    "deictic": ("today", "tonight", "yesterday", "tomorrow"),
    "same_day": _NEEDS["same_day"],
    "year_ago": ("year",),
    "half": ("half",),
    "holiday": _NEEDS["holiday"],
}
RULES = [
    Rule(
        r.name,
        r.pattern,
        r.resolve,
        r.guard,
        r.extend,
        _NEEDS.get(r.name, ()),
        full=r.full,
        triggers=_TRIGGERS.get(r.name, ()),
    )
    for r in RULES
]
