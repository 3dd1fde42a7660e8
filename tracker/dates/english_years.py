"""English years: bare years, year pairs, '25, spelled-out years, and the guards that tell a
year from a count, an amount, a name or an index ("1,000 people", "$2025", "Rule 2025").
Also the guard of deictic words ("today" in "today's markets" is no date)."""

from __future__ import annotations

import re

from .context import Context
from .lexicon import (
    FUNCTION_WORDS,
    MONTHS,
    NUMBERS,
)
from .outcome import Outcome
from .rules import REJECT, Guard
from .units import (
    year_value,
)

__all__ = [
    "COUNT_NOUN", "prev_not", "g_year", "r_year", "g_year_pair", "r_year_pair", "g_apos_year", "r_apos_year",
    "r_spelled_year", "g_deictic",
]  # fmt: skip

_F = re.IGNORECASE

COUNT_NOUN = re.compile(
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
    r"\s*(?:[余餘多号號个個元万萬亿億人家件宗名股次位项項条條张張台部倍户戶间間只枚]|美元|港元|港币|港幣|指数|指數)"
)
_YEAR_PREP = re.compile(
    r"(?i)(?:\b(?:in|since|by|from|of|until|till|to|before|after|during|early|late|mid|the|and|or|a|an|its|"
    r"their|his|her|our|whose|"
    r"through|throughout|around|circa|fiscal|year|end|start|beginning|for)|[,(–—-])\s*$"
)


def prev_not(chars: str, letters: bool = True) -> Guard:
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


def g_year(m: re.Match[str], text: str) -> bool:
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
    if COUNT_NOUN.match(after):
        return False
    if re.match(r"\s+[a-z]+s\b", after) and not _YEAR_PREP.search(before):
        return False  # "seized 2000 phones": a count followed by a plural noun
    return not _MONEY_BEFORE.search(before)


def r_year(m: re.Match[str], ctx: Context) -> Outcome:
    return year_value(int(m["yr"]))


def r_year_pair(m: re.Match[str], ctx: Context) -> Outcome:
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


def g_year_pair(m: re.Match[str], text: str) -> bool:
    s = m.start()
    return (s == 0 or not (text[s - 1].isalnum() and text[s - 1].isascii()) and text[s - 1] not in "$€£¥#/.-") and not (
        _MONEY_BEFORE.search(text[max(0, s - 16) : s]) or _names_thing(text, m.end(), text[max(0, s - 30) : s])
    )


def r_apos_year(m: re.Match[str], ctx: Context) -> Outcome:
    """ "'82": the year of that century nearest the reference, never more than ten years ahead."""
    yy = int(m["yy"])
    ref_year = ctx.ref.year if ctx.ref is not None else 2000 + 10
    y = ref_year - ref_year % 100 + yy
    if y > ref_year + 10:
        y -= 100
    return year_value(y)


def g_apos_year(m: re.Match[str], text: str) -> bool:
    """An apostrophe that elides a century, after a space or an opening bracket, and not the
    closing half of a quotation ("a 'B' rating", "''60 Minutes")."""
    s = m.start()
    return (
        (s == 0 or text[s - 1] in " \t\n(")
        and not text.startswith(("'", "’"), m.end())
        and not COUNT_NOUN.match(text, m.end())
    )


# spelled-out years ("two thousand and twenty-one"): the tens and units of the shared lexicon
_SPELLED_TENS = {
    word: n for word, n in NUMBERS.items() if 10 <= n <= 90 and (n < 20 or n % 10 == 0) and " " not in word
}
_UNITS = {word: n for word, n in NUMBERS.items() if 1 <= n <= 9 and word not in ("a", "an") and " " not in word}


def r_spelled_year(m: re.Match[str], ctx: Context) -> Outcome:
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


def g_deictic(m: re.Match[str], text: str) -> bool:
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
