"""English date expressions: the phrase shapes, what guards them, and how each resolves.

Spans follow the TempEval convention: prepositions ("on", "since", "by") stay outside, while
modifiers ("the end of", "mid-", "earlier this") and determiners of the unit ("the third
quarter") stay inside. Vague parts of a unit resolve to the unit that contains them, so
"mid-2026" is "2026" and "late May" is the month.
"""

from __future__ import annotations

import re
from datetime import date

from .context import Context
from .english_relative import (
    REL_SHIFT,
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
from .lexicon import (
    DAYN,
    FUNCTION_WORDS,
    MON,
    MONTH_FULL,
    MONTHS,
    NUMBERS,
    ORDINALS,
    WD,
    WD_ABBR,
    WEEKDAYS,
    YEAR,
    month_number,
)
from .locale import month_first
from .outcome import Outcome
from .rules import REJECT, Guard, Rule
from .units import (
    day_value,
    month_value,
    pick_index,
    pick_year_for_day,
    quarter_value,
    valid_day,
    year_value,
)

__all__ = ["RULES", "MODIFIER", "resolve_month_day"]

_F = re.IGNORECASE


def _c(p: str, flags: int = _F) -> re.Pattern[str]:
    return re.compile(p, flags)


# A modifier written before a unit keeps the unit's value but belongs to the span.
MODIFIER = _c(
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


def _r_iso(m: re.Match[str], ctx: Context) -> Outcome:
    return _ymd(int(m["y"]), int(m["m"]), int(m["d"]))


def _r_numeric_dmy(m: re.Match[str], ctx: Context) -> Outcome:
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
        y = ctx.narrative_year(m.start(), month, day)
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


def _r_day_month(m: re.Match[str], ctx: Context) -> Outcome:
    month, day = month_number(m["mon"]), _leading_int(m["d"])
    if not m["y"] and _EVENT_AFTER.match(ctx.text, m.end()):
        return _event_day(month, day, m, ctx)
    return _partial_day(month, day, m, ctx)


def _r_mdy(m: re.Match[str], ctx: Context) -> Outcome:
    """A month-day, or two days of one month ("April 24 and 25", "March 3-5, 2026"): each day
    is then an expression of its own, the second in the month and year of the first."""
    first = _r_day_month(m, ctx)
    if "d2" not in m.re.groupindex or not m["d2"]:
        return first
    d1, d2 = _leading_int(m["d"]), _leading_int(m["d2"])
    if d2 <= d1 or _COUNT_NOUN.match(ctx.text, m.end()):
        return REJECT
    if not isinstance(first, tuple):
        return [("d", None), ("d2", None)] if first is None else first
    y, mo = int(first[0][:4]), int(first[0][5:7])
    return [("d", first), ("d2", day_value(date(y, mo, d2)) if valid_day(y, mo, d2) else None)]


def _r_dmy_pair(m: re.Match[str], ctx: Context) -> Outcome:
    """ "3-5 March 2025", "24 and 25 April": each day its own expression, the first in the
    month and year of the second."""
    second = _r_day_month(m, ctx)
    d0, d1 = _leading_int(m["d0"]), _leading_int(m["d"])
    if d0 >= d1:
        return REJECT
    if not isinstance(second, tuple):
        return [("d0", None), ("d", None)] if second is None else second
    y, mo = int(second[0][:4]), int(second[0][5:7])
    return [("d0", day_value(date(y, mo, d0)) if valid_day(y, mo, d0) else None), ("d", second)]


resolve_month_day = _r_mdy  # for compounds that hold a month-day ("the week of March 6")


def _month_only(month: int, m: re.Match[str], ctx: Context, rel: str | None = None) -> Outcome:
    ref, tense = ctx.frame(m.start(), m.end())
    if ref is None:
        return None
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


def _r_my(m: re.Match[str], ctx: Context) -> Outcome:
    month = month_number(m["mon"])
    if m["y"]:
        return month_value(int(m["y"]), month)
    if ctx.ref is None:
        return None
    return month_value(_year_shift(m["rel"], ctx.ref), month)


def _r_rel_month(m: re.Match[str], ctx: Context) -> Outcome:
    return _month_only(month_number(m["mon"]), m, ctx, m["rel"])


def _r_month(m: re.Match[str], ctx: Context) -> Outcome:
    return _month_only(month_number(m["mon"]), m, ctx)


_GENERIC_AFTER = re.compile(
    r"(?:\s+(?:has|is|was|have))?\s+(?:historically|typically|usually|traditionally|"
    r"generally|tends?\s+to|always|often)\b"
)


# after these a month name is the month ("in May it returned", "since June we have")
_MONTH_PREPS = frozenset(("in", "since", "until", "till", "during", "by", "from", "early", "late", "mid", "through"))


def _g_month(m: re.Match[str], text: str) -> bool:
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


def _capital_verb_month(m: re.Match[str], text: str) -> bool:
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


def _r_q_explicit(m: re.Match[str], ctx: Context) -> Outcome:
    q = int(m["q1"] or m["q2"] or m["q3"])
    y = int(m["y1"] or m["y2"] or m["y3"])
    return quarter_value(y, q)


def _r_quarter(m: re.Match[str], ctx: Context) -> Outcome:
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


def _r_q_bare(m: re.Match[str], ctx: Context) -> Outcome:
    return _quarter_near(int(m["q"]), m, ctx)


def _r_half(m: re.Match[str], ctx: Context) -> Outcome:
    if m["y"]:
        return year_value(int(m["y"]))
    if ctx.ref is None:
        return None
    return year_value(_year_shift(m["rel"], ctx.ref))


# ---- years ------------------------------------------------------------------------------

_COUNT_NOUN = re.compile(
    r"\s*(?:-\s*)?(?:people|persons|workers|employees|staff|jobs|shares|units|troops|soldiers|cars|"
    r"vehicles|homes|houses|tons|tonnes|barrels|points|miles|kilomet(?:er|re)s|km|feet|met(?:er|re)s|"
    r"votes|members|companies|firms|banks|cases|times|students|deaths|pages|words|hours|hrs|minutes|"
    r"seconds|dollars|yuan|euros|pounds|yen|rupees|acres|square|cents|bitcoins?|coins|tokens|investors|"
    r"users|accounts|applications|transactions|contracts|customers|stores|branches|sites|plants|rooms|"
    r"beds|copies|items|products|patients|children|refugees|prisoners|passengers|flights|kg|lbs?|mg|ml|"
    r"mm|cm|bp|ounces|oz|degrees|mw|gw|gmt|utc|hkt|est|edt|pst|h|a\.m\.|p\.m\.|am|pm|percent|per\s*cent|"
    r"[-‐]?strong|residents|cities|countries|games|matches|wins|goals|runs|yards|lines|rows)\b",
    _F,
)
_MONEY_BEFORE = re.compile(
    r"(?:[$€£¥#+]|US\$|HK\$|RMB|USD|HKD|EUR|CNY|\bNos?\.|\bnumber|\bCap\.?|\bChapter|\bRule|\bArticle|"
    r"\bSection|\bFlight|\bRoute|\bRoom|\bSuite|\bUnit|\bversion|\bv\.?|\bmodel|\bForm|\bISO|\bcode|"
    r"\bthan|\bapproximately|\bnearly|\balmost|\bat\s+least|\bup\s+to|\bDow|\bNasdaq|\bindex|\bS&P|"
    r"\bNikkei|\bHang\s+Seng|\bclosed\s+at|\bSt\.|\bStreet|\bAvenue|\bRoad|\bsome|\btotal\s+of|"
    r"\bpriced\s+at|\blevel\s+of)\s*$",
    _F,
)


_CJK_COUNT = re.compile(
    r"\s*(?:[号號个個元万萬亿億人家件宗名股次位项項条條张張台部倍户戶间間只枚]|美元|港元|港币|港幣|指数|指數)"
)
_YEAR_PREP = re.compile(
    r"(?i)(?:\b(?:in|since|by|from|of|until|till|to|before|after|during|early|late|mid|the|and|or|a|an|its|"
    r"their|his|her|our|whose|"
    r"through|throughout|around|circa|fiscal|year|end|start|beginning|for)|[,(–—-])\s*$"
)


def _prev_not(chars: str, letters: bool = True) -> Guard:
    """Guard: the character before the match is no letter, digit or one of ``chars``.

    Written as a guard rather than a look-behind so that each pattern starts with a character
    class, which lets `re` skip ahead quickly over text that cannot start a match."""

    def guard(m: re.Match[str], text: str) -> bool:
        s = m.start()
        c = text[s - 1] if s else ""
        return s == 0 or not (c.isdigit() or c in chars or (letters and ((c.isascii() and c.isalpha()) or c == "_")))

    return guard


_TITLE_YEAR = re.compile(r"\b(?:Bill|Ordinance|Act|Regulations|Rules)\s\Z")


# a capitalised word right before a number makes it part of a name ("Russell 2000", "Windows
# 2000", "Vision 2030"), unless the word is one that dates ("Summer 2009", "Fiscal 2021")
_NAME_BEFORE = re.compile(r"(?<![.!?:;\"“])\b(?P<w>[A-Z][A-Za-z&]*[A-Za-z])\s\Z")
_DATING_WORDS = frozenset(
    "spring summer autumn fall winter fiscal fy christmas easter ramadan circa class year years early late "
    "mid end beginning start since in by from until till through during before after around about of "
    "and or the a an this that its their his her our as at on for to than ce ad bc ac".split()
)
# capitalised words that open a sentence before a year and name nothing ("Between 2005 and 2008")
_SENTENCE_OPENERS = frozenset(
    "between around throughout circa like unlike including except over under beyond within versus vs "
    "per toward towards into onto upon amid amidst despite following ahead prior starting beginning "
    "ending effective as at also only even just not then since when while if unless once".split()
)
_COPYRIGHT = re.compile(r"©|\(c\)|\bcopyright\b", _F)
_INDEX_AFTER = re.compile(r"\s+(?:index|indices|indexes|stock\s+index|benchmark)\b", _F)


def _names_thing(text: str, e: int, before: str) -> bool:
    """ "the Russell 2000", "Windows 2000", "the 2000 index": a number that names something."""
    name = _NAME_BEFORE.search(before)
    if (
        name is not None
        and name["w"].lower() not in _DATING_WORDS
        and name["w"].lower() not in FUNCTION_WORDS
        and name["w"].lower() not in _SENTENCE_OPENERS
        and not _is_month_word(name["w"])
    ):
        return not _COPYRIGHT.search(before)  # "© BlockPulse Asia 2025" is the copyright year
    return _INDEX_AFTER.match(text, e) is not None


def _is_month_word(word: str) -> bool:
    return word.lower().rstrip(".") in MONTHS


def _g_year(m: re.Match[str], text: str) -> bool:
    """A bare four-digit number is a year unless money, a count, a code or part of a number."""
    s, e = m.start("yr"), m.end("yr")
    if s > 0 and ((text[s - 1].isascii() and text[s - 1].isalnum()) or text[s - 1] in "_$€£¥#"):
        return False  # CJK characters are not letters here: "在2022北京冬奥会" holds a year
    if _CJK_COUNT.match(text, e) or (s > 0 and text[s - 1] in "第编號号"):
        return False  # 2000人, 2021元, 第2021号
    if s > 0 and (text[s - 1] == "〔" or text[s - 1] in "[［" and re.match(r"[\]］]\s*\d", text[e : e + 4])):
        return False  # document numbers: 银发〔2021〕237号, [2021] 12号
    before, after = text[max(0, s - 16) : s], text[e : e + 24]
    if re.search(r"[\d,.:]\Z|\d[\s-]\Z", before):
        return False  # 12,2021 / phone numbers "2810 2021"
    if re.match(r"[,.:]\d|/\d|-\d(?!\d\d\d\b)|\s\d|[A-Za-z0-9]|s\b", after):
        return False  # 2021.5 / 2021/22 / 2021 1222 / 1990s ("2021-2023" stays a year)
    if _TITLE_YEAR.search(before):
        return False  # "the (Amendment) Bill 2022": part of the legislation's name
    if _names_thing(text, e, text[max(0, s - 30) : s]):
        return False
    if _COUNT_NOUN.match(after):
        return False
    if re.match(r"\s+[a-z]+s\b", after) and not _YEAR_PREP.search(before):
        return False  # "seized 2000 phones": a count followed by a plural noun
    return not _MONEY_BEFORE.search(before)


def _r_year(m: re.Match[str], ctx: Context) -> Outcome:
    return year_value(int(m["yr"]))


def _r_year_pair(m: re.Match[str], ctx: Context) -> Outcome:
    """ "2009-2010", "1957-58", "2024/25", "2024-25年度": each year is an expression of its own.

    The resolver returns one (group, value) per part; the finder gives each its own span."""
    y1, y2s = int(m["y1"]), m["y2"]
    if len(y2s) == 2:
        y2 = y1 - y1 % 100 + int(y2s)
        if y2 <= y1:
            y2 += 100  # "1999-00"
    else:
        y2 = int(y2s)
    if not y1 < y2 <= y1 + 10:
        return REJECT
    if len(y2s) == 2 and m["sep"].strip() == "-" and int(y2s) <= 12 and y2 != y1 + 1:
        return REJECT  # "2021-05" is a month (iso_month), not a range
    return [("y1", year_value(y1)), ("y2", year_value(y2))]


def _g_year_pair(m: re.Match[str], text: str) -> bool:
    s = m.start()
    return (s == 0 or not (text[s - 1].isalnum() and text[s - 1].isascii()) and text[s - 1] not in "$€£¥#/.-") and not (
        _MONEY_BEFORE.search(text[max(0, s - 16) : s]) or _names_thing(text, m.end(), text[max(0, s - 30) : s])
    )


def _r_apos_year(m: re.Match[str], ctx: Context) -> Outcome:
    """ "'82": the year of that century nearest the reference, never more than ten years ahead."""
    yy = int(m["yy"])
    ref_year = ctx.ref.year if ctx.ref is not None else 2000 + 10
    y = ref_year - ref_year % 100 + yy
    if y > ref_year + 10:
        y -= 100
    return year_value(y)


def _g_apos_year(m: re.Match[str], text: str) -> bool:
    """An apostrophe that elides a century, after a space or an opening bracket, and not the
    closing half of a quotation ("a 'B' rating", "''60 Minutes")."""
    s = m.start()
    return (
        (s == 0 or text[s - 1] in " \t\n(")
        and not text.startswith(("'", "’"), m.end())
        and not _COUNT_NOUN.match(text, m.end())
    )


# spelled-out years ("two thousand and twenty-one"): the tens and units of the shared lexicon
_SPELLED_TENS = {
    word: n for word, n in NUMBERS.items() if 10 <= n <= 90 and (n < 20 or n % 10 == 0) and " " not in word
}
_UNITS = {word: n for word, n in NUMBERS.items() if 1 <= n <= 9 and word not in ("a", "an") and " " not in word}


def _r_spelled_year(m: re.Match[str], ctx: Context) -> Outcome:
    if m["thousand"] is not None:
        unit = m["tu"]
        return year_value(
            2000 + (_UNITS.get(unit.lower(), 0) if unit else 0) + (_SPELLED_TENS.get((m["tt"] or "").lower(), 0))
        )
    century = 1900 if m["cent"].lower() == "nineteen" else 2000
    val = _SPELLED_TENS[m["tens"].lower()] + (_UNITS[m["unit"].lower()] if m["unit"] else 0)
    return year_value(century + val)


# "today's world", "the people of tomorrow": the present or the future in general, no day
_GENERIC_TODAY = re.compile(
    r"['’]s\s+(?:world|society|youth|generation|children|kids|economy|standards|technology|culture|age|era|"
    r"times|young|consumers?|workers|families|politics|media|business\s+world)\b",
    _F,
)
_OF_TOMORROW = re.compile(r"\b(?:of|for)\s+\Z", _F)


def _g_deictic(m: re.Match[str], text: str) -> bool:
    """ "Today's Press Releases | Back to top": a navigation label, not a date. Only a
    capitalised "Today's" opening a line that is no sentence (no final stop) is rejected.
    "USA Today", "VOA Today" (a capitalised word before a capitalised Today) name a paper or a
    programme; "today's world" and "the people of tomorrow" name no day."""
    s = m.start()
    word = text[s : m.end()]  # the pattern runs on lower-cased text: read the case here
    if _GENERIC_TODAY.match(text, s + len(word.split("'")[0].split("’")[0])):
        return False
    if word.lower().startswith(("tomorrow", "today")) and not word.lower().endswith("'s"):
        if _OF_TOMORROW.search(text, max(0, s - 5), s) and re.match(
            r"[\s,.;:!?'\"”]", text[m.end() : m.end() + 1] or "."
        ):
            if word.lower().startswith("tomorrow"):
                return False
    if (
        word[0] == "T"
        and s > 1
        and text[s - 1] == " "
        and re.search(r"\b[A-Z][A-Za-z]+\Z", text[max(0, s - 20) : s - 1])
    ):
        before = text[max(0, s - 40) : s - 1].rstrip()
        if (
            before
            and before[-1] not in ".!?:;\"“”'"
            and not re.search(r"(?:^|\s)(?:On|By|Until|Since|From|As\s+of)\Z", before)
        ):
            return False
    if text[s] != "T" or not word.endswith("'s") or (s and text[s - 1] != "\n"):
        return True
    if text[s] != "T" or not word.endswith("'s") or (s and text[s - 1] != "\n"):
        return True
    eol = text.find("\n", s)
    line = text[s : eol if eol >= 0 else len(text)].rstrip()
    return line.endswith((".", "!", "?", ":", '"', "”")) or not re.match(r"\s+[A-Z]", text[m.end() : m.end() + 3])


# ---- the grammar --------------------------------------------------------------------------

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
        _c(r"(?P<y>(?:1[6-9]|20)\d\d)(?P<sep>[-/.])(?P<m>[01]?\d)(?P=sep)(?P<d>[0-3]?\d)(?![\d/.-]\d|\d)"),
        _r_iso,
        _prev_not("/.-", letters=False),
        full=True,
    ),
    Rule(
        "iso_week",
        _c(r"(?P<y>(?:19|20)\d\d)-?W(?P<w>[0-5]\d)\b", 0),
        lambda m, ctx: (f"{m['y']}-W{m['w']}", "week") if 1 <= int(m["w"]) <= 53 else REJECT,
        _prev_not(""),
        full=True,
    ),
    Rule(
        "iso_q",
        _c(r"(?P<y3>(?:19|20)\d\d)-Q(?P<q3>[1-4])\b(?P<q1>)?(?P<q2>)?(?P<y1>)?(?P<y2>)?", 0),
        _r_q_explicit,
        _prev_not(""),
        full=True,
    ),
    Rule(
        "iso_month",
        _c(r"(?P<y>(?:19|20)\d\d)-(?P<m>0[1-9]|1[0-2])(?![\d/-])"),
        lambda m, ctx: month_value(int(m["y"]), int(m["m"])),
        _prev_not("/.-", letters=False),
        full=True,
    ),
    Rule(
        "num_dmy",
        _c(r"(?P<a>\d\d?)(?P<sep>[/.-])(?P<b>\d\d?)(?P=sep)(?P<y>(?:19|20)\d\d)(?![\d/.-]\d|\d)"),
        _r_numeric_dmy,
        _prev_not("/.-", letters=False),
        full=True,
    ),
    Rule(
        "num_dmy_yy",
        _c(r"(?P<a>\d\d?)/(?P<b>\d\d?)/(?P<yy>\d\d)(?![\d/]|\.\d)"),
        _r_numeric_dmy,
        _prev_not("/.-$", letters=False),
        full=True,
    ),
    Rule(
        "mdy",
        _c(
            rf"\b{_WDP}(?P<mon>{MON})\s*(?P<d>{DAYN})"
            # "April 24 and 25", "March 3-5": a second day of the same month, an expression of its own
            rf"(?:\s*(?:-|–|—|and|or|to|through|&)\s*(?P<d2>{DAYN})"
            r"(?!\s*(?:a\.?m\b|p\.?m\b|o['’]clock|per\s*cent|percent|others?\b|more\b|of\b|people\b)))?"
            rf"(?:(?:\s*,\s*|\s+)(?P<y>{YEAR})\b|\s*,?\s+(?P<rel>this|last|next)\s+year\b)?"
        ),
        _r_mdy,
    ),
    Rule(
        "dmy_pair",
        _c(
            rf"(?<![\d$€£¥#.,/])\b(?P<d0>{DAYN})\s*(?:-|–|—|to|and|&)\s*(?P<d>{DAYN})(?:\s+of)?\s+(?P<mon>{MON})"
            rf"(?:\s*,?\s+(?P<y>{YEAR})\b)?(?P<rel>)(?P<wd>)"
        ),
        _r_dmy_pair,
    ),
    Rule(
        "dmy",
        _c(
            rf"(?<![\d$€£¥#.,/])\b{_WDP}(?P<d>{DAYN})(?:\s+of)?\s+(?P<mon>{MON})(?:\s*,?\s+(?P<y>{YEAR})\b|,?\s+(?P<rel>this|last|next)\s+year\b)?"
        ),
        _r_day_month,
    ),
    Rule(
        "my",
        _c(rf"\b(?P<mon>{MON})(?:,?\s+(?:of\s+)?(?P<y>{YEAR})\b|,?\s+(?:of\s+)?(?P<rel>this|last|next)\s+year\b)"),
        _r_my,
    ),
    Rule(
        "rel_month",
        _c(rf"\b(?P<rel>this\s+past|this\s+coming|last|next|this|past|coming|that)\s+(?P<mon>{MONTH_FULL}|sept\.?)"),
        _r_rel_month,
        lambda m, text: _capital_verb_month(m, text),
    ),
    Rule("month", _c(rf"\b(?P<mon>{MONTH_FULL})(?!-)"), _r_month, _g_month),
    Rule(
        "q_explicit",
        _c(rf"Q(?P<q1>[1-4])\s*(?:FY\s*)?(?P<y1>{YEAR})\b(?P<y2>)?(?P<q2>)?(?P<q3>)?(?P<y3>)?"),
        _r_q_explicit,
        _prev_not(""),
        full=True,
    ),
    Rule(
        "year_q",
        _c(rf"(?P<y2>{YEAR})\s*Q(?P<q2>[1-4])\b(?P<q1>)?(?P<y1>)?(?P<q3>)?(?P<y3>)?"),
        _r_q_explicit,
        _prev_not(""),
        full=True,
    ),
    Rule(
        "quarter",
        _c(
            rf"\b(?:(?P<det>the|this|last|next|its|this\s+year's|last\s+year's|next\s+year's|the\s+year's)\s+)?"
            rf"(?:(?:fiscal|calendar)[\s-]+)?(?:(?P<y>{YEAR})\s+)?(?:fiscal[\s-]+)?(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)"
            rf"[\s-]+(?:fiscal[\s-]+)?quarter(?!ly)(?:\s+(?:of\s+)?(?:(?P<yy>{YEAR})\b|(?P<rel>this|last|next)\s+year\b))?"
        ),
        _r_quarter,
    ),
    Rule("q_bare", _c(r"Q(?P<q>[1-4])\b(?!\s*(?:FY\s*)?\d)", 0), _r_q_bare, _prev_not(""), full=True),
    Rule(
        "half",
        _c(
            rf"\b(?:the\s+)?(?:first|second|latter|last|1st|2nd|back|front)\s+half\s+of\s+(?:(?P<y>{YEAR})\b|(?P<rel>this|last|next)\s+year\b|the\s+year\b)"
        ),
        _r_half,
        extend=False,
    ),
    Rule("half_h", _c(rf"H[12]\s*(?P<y>{YEAR})\b(?P<rel>)?", 0), _r_half, _prev_not(""), full=True),
    Rule("year", _c(r"(?P<yr>1[89]\d\d|20\d\d)(?![\d%])"), _r_year, _g_year, full=True),
    Rule(
        "year_pair",
        _c(
            r"(?P<y1>1[89]\d\d|20\d\d)(?P<sep>\s?[-–—/~～]\s?|\s*[至到]\s*)(?P<y2>1[89]\d\d|20\d\d|\d\d)"
            r"(?:\s*年(?:度)?)?(?![\d%]|[-/.:]\d|\s*[-–/]\s*\d)"
        ),
        _r_year_pair,
        _g_year_pair,
        full=True,
    ),
    Rule("apos_year", _c(r"['’](?P<yy>\d\d)(?![\d%]|s\b|['’]s\b)"), _r_apos_year, _g_apos_year, full=True),
    Rule(
        "spelled_year",
        _c(
            r"\b(?:the\s+year\s+)?(?:(?P<cent>nineteen|twenty)[\s-](?P<tens>ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
            r"seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-](?P<unit>one|two|three|four|"
            r"five|six|seven|eight|nine))?|(?P<thousand>two\s+thousand)(?:\s+(?:and\s+)?(?:(?P<tt>ten|eleven|twelve|twenty)|(?P<tu>one|two|three|four|five|six|seven|eight|nine)))?)\b"
        ),
        _r_spelled_year,
        lambda m, text: (
            not re.match(r"\s+(?:years?|more|people|dollars|of)\b", text[m.end() : m.end() + 12])
            and not _COUNT_NOUN.match(text, m.end())
        ),
    ),
    Rule(
        "deictic",
        _c(
            r"\b(?:(?:the\s+)?day\s+before\s+yesterday|(?:the\s+)?day\s+after\s+tomorrow|today|tonight|yesterday|tomorrow)(?:'s)?\b"
        ),
        r_deictic,
        _g_deictic,
    ),
    Rule(
        "same_day",
        _c(
            r"\b(?:the\s+(?:very\s+)?same\s+(?:day|date)|that\s+(?:same\s+|very\s+)?day|the\s+(?:following|next|previous|preceding)\s+day)\b(?!\s*(?:-|of\b|or\b|and\s+night))"
        ),
        r_same_day,
    ),
    Rule(
        "weekday",
        _c(
            rf"\b(?:(?P<rel>last|next|this\s+coming|this\s+past|this|coming|past|the\s+previous|the\s+following|the\s+next)\s+)?(?P<wd>{WD})\b"
        ),
        r_weekday,
        g_weekday,
    ),
    Rule(
        "rel_unit",
        _c(rf"\b{_DET}\s+(?P<unit>(?:fiscal\s+)?year|month|week|(?:fiscal\s+)?quarter)\b(?![-‐])"),
        r_rel_unit,
        g_rel_unit,
    ),
    Rule(
        "ago",
        _c(
            rf"\b(?:(?:about|nearly|almost|roughly|some|more\s+than|just|only|exactly|around)\s+)?(?P<n>{_NUMW})\s+(?P<unit>day|week|month|quarter|year|decade)s?\s+(?P<dir>ago|earlier|later|from\s+now|hence)\b"
        ),
        r_ago,
    ),
    Rule(
        "year_ago",
        _c(
            r"\b(?:the\s+)?(?:comparable\s+)?(?:a\s+)?year[\s-](?:ago|earlier)(?:\s+(?:(?:first|second|third|fourth)[\s-]+)?(?P<q>quarter|period))?(?![\w-])"
        ),
        r_year_ago,
    ),
    Rule(
        "holiday",
        _c(
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
