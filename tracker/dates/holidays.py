"""Holidays and named days, English and Chinese, resolved to their day in the right year:
Easter and the days around it, Labour Day, Lunar New Year / 春节, National Day / 国庆,
Mid-Autumn / 中秋, Dragon Boat / 端午, Golden Week, and lunar dates written as such (农历八月十五).

A holiday without a year is the occurrence nearest the publication in the direction of its
clause ("shops will close over Easter" looks ahead, "sales over Christmas rose" looks back).
A holiday that lasts several days ("Golden Week", 国庆假期) resolves to the month holding it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from .context import Context
from .holiday_calendar import EN_DAYS, EN_SPANS, fixed, labour_day, lunar, pick_occurrence, qingming
from .lexicon import YEAR
from .lunar import lunar_to_solar
from .outcome import Outcome
from .rules import REJECT, Rule
from .units import day_value, month_value, week_value

__all__ = ["RULES"]


def _value(d: date, unit: str) -> Outcome:
    if unit == "week":
        return week_value(d)
    if unit == "month":
        return month_value(d.year, d.month)
    return day_value(d)


def _resolve(
    day_in: Callable[[int], date | None], unit: str, year: int | None, m: re.Match[str], ctx: Context
) -> Outcome:
    if year is not None:
        d = day_in(year)
        return None if d is None else _value(d, unit)
    if ctx.ref is None:
        return None
    d = pick_occurrence(day_in, ctx.ref, ctx.tense(m.start(), m.end()))
    return None if d is None else _value(d, unit)


_REL = {"this": 0, "last": -1, "next": 1, "今年": 0, "去年": -1, "明年": 1, "本年": 0, "前年": -2, "后年": 2, "後年": 2}


def _year_of(m: re.Match[str], ctx: Context) -> int | None | object:
    """The year a holiday's match writes (digits or "this/last/next"), None when it writes none,
    REJECT when it is relative and there is no reference."""
    if m["y"]:
        return int(m["y"])
    rel = (m["rel"] or "").lower()
    if rel:
        return REJECT if ctx.ref is None else ctx.ref.year + _REL[rel]
    return None


def _r_en(m: re.Match[str], ctx: Context) -> Outcome:
    name = re.sub(r"\s+", " ", m["h"].lower()).replace("’", "'").replace("labor", "labour")
    if name.startswith("labour day") and name != "labour day golden week":
        spelling = "labor" if "labor" in m["h"].lower() else "labour"
        day_in, unit = labour_day(spelling, ctx.locale), "day"
    elif name in EN_SPANS:
        day_in, unit = EN_SPANS[name]
    else:
        day_in, unit = EN_DAYS[name], "day"
    owner = _OWNER.search(ctx.text, max(0, m.start() - 30), m.start())
    if name.startswith(("national day", "golden week")) and owner is not None:
        country = owner.group(1).lower()
        if country.startswith("japan") and name == "golden week":
            day_in, unit = fixed(5, 1), "month"  # Japan's Golden Week: late April to early May
        elif not country.startswith(_CHINA):
            return None  # another country's National Day: a day of its own calendar
    elif name.startswith("national day") and ctx.locale not in (None, "CN", "HK", "MO"):
        return None
    year = _year_of(m, ctx)
    if year is REJECT:
        return None
    return _resolve(day_in, unit, year if isinstance(year, int) else None, m, ctx)


# "Singapore's National Day", "Japan's Golden Week": whose holiday it is
_OWNER = re.compile(r"\b([A-Z][A-Za-z]+(?:\s+[A-Z][a-z]+)?['’]s|[A-Z][a-z]+(?:ese|ean|ian|ish))\s+(?:the\s+)?\Z")
_CHINA = ("china", "chinese", "prc", "hong kong", "macau", "macao", "beijing", "mainland")


_EN_NAMES = sorted(
    set(EN_DAYS) | set(EN_SPANS) | {"labour day", "labor day"},
    key=len,
    reverse=True,
)
_EN_ALT = "|".join(re.escape(n).replace(r"\ ", r"\s+").replace("'", "['’]").replace(r"\-", r"[\s-]") for n in _EN_NAMES)


def _g_en(m: re.Match[str], text: str) -> bool:
    """Capitalised, as holiday names are ("national day" in lower case is any country's);
    "Easter" before "Island", "egg" or "Rising" names no day."""
    word = text[m.start("h") : m.end("h")]
    if not word[:1].isupper():
        return False
    return not re.match(r"\s+(?:Island|eggs?|Rising|bunny|Parade|Rally|Party)\b", text[m.end("h") : m.end("h") + 10])


# ---- Chinese ----------------------------------------------------------------------------

_ZH_DAYS: dict[str, tuple[Callable[[int], date | None], str]] = {
    "春节": (lunar(1, 1), "day"),
    "春節": (lunar(1, 1), "day"),
    "农历新年": (lunar(1, 1), "day"),
    "農曆新年": (lunar(1, 1), "day"),
    "大年初一": (lunar(1, 1), "day"),
    "除夕": (lunar(1, 1, -1), "day"),
    "元宵节": (lunar(1, 15), "day"),
    "元宵節": (lunar(1, 15), "day"),
    "端午节": (lunar(5, 5), "day"),
    "端午節": (lunar(5, 5), "day"),
    "中秋节": (lunar(8, 15), "day"),
    "中秋節": (lunar(8, 15), "day"),
    "中秋": (lunar(8, 15), "day"),
    "清明节": (qingming, "day"),
    "清明節": (qingming, "day"),
    "清明假期": (qingming, "day"),
    "佛诞": (lunar(4, 8), "day"),
    "佛誕": (lunar(4, 8), "day"),
    "重阳节": (lunar(9, 9), "day"),
    "重陽節": (lunar(9, 9), "day"),
    "国庆节": (fixed(10, 1), "day"),
    "國慶節": (fixed(10, 1), "day"),
    "国庆日": (fixed(10, 1), "day"),
    "國慶日": (fixed(10, 1), "day"),
    "国庆": (fixed(10, 1), "day"),
    "國慶": (fixed(10, 1), "day"),
    "劳动节": (fixed(5, 1), "day"),
    "勞動節": (fixed(5, 1), "day"),
    "元旦": (fixed(1, 1), "day"),
    "圣诞节": (fixed(12, 25), "day"),
    "聖誕節": (fixed(12, 25), "day"),
    "平安夜": (fixed(12, 24), "day"),
    # holidays of several days resolve to their month
    "国庆假期": (fixed(10, 1), "month"),
    "國慶假期": (fixed(10, 1), "month"),
    "国庆长假": (fixed(10, 1), "month"),
    "國慶長假": (fixed(10, 1), "month"),
    "国庆黄金周": (fixed(10, 1), "month"),
    "國慶黃金周": (fixed(10, 1), "month"),
    "十一黄金周": (fixed(10, 1), "month"),
    "十一黃金周": (fixed(10, 1), "month"),
    "十一长假": (fixed(10, 1), "month"),
    "十一假期": (fixed(10, 1), "month"),
    "十一長假": (fixed(10, 1), "month"),
    "黄金周": (fixed(10, 1), "month"),
    "黃金周": (fixed(10, 1), "month"),
    "五一黄金周": (fixed(5, 1), "month"),
    "五一黃金周": (fixed(5, 1), "month"),
    "五一假期": (fixed(5, 1), "month"),
    "五一长假": (fixed(5, 1), "month"),
    "五一": (fixed(5, 1), "day"),
}
_ZH_ALT = "|".join(sorted(map(re.escape, _ZH_DAYS), key=len, reverse=True))


def _r_zh(m: re.Match[str], ctx: Context) -> Outcome:
    day_in, unit = _ZH_DAYS[m["h"]]
    year = _year_of(m, ctx)
    if year is REJECT:
        return None
    return _resolve(day_in, unit, year if isinstance(year, int) else None, m, ctx)


def _g_zh(m: re.Match[str], text: str) -> bool:
    """国庆 is National Day, but not in 国庆节目 (a programme) or 国庆阅兵 is still the day; 五一 only
    as a holiday (五一假期, 五一期间), never inside a number (五一二)."""
    e = m.end()
    if m["h"] == "五一" and not re.match(
        r"\s*(?:期间|期間|前|后|後|假|当天|當天|节|節|小长假|黄金周|黃金周)", text[e : e + 4]
    ):
        return False
    return not text.startswith(("目", "节目", "節目"), e)


_LUNAR_MONTH = {"正": 1, "冬": 11, "腊": 12, "臘": 12}
_CN_NUM = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def _cn_small(s: str) -> int | None:
    """1–30 in the forms lunar dates use: 初五, 十五, 廿三, 二十, 三十, 8."""
    s = s.removeprefix("初")
    if s.isdigit():
        return int(s)
    if s.startswith("廿"):
        return 20 + (_CN_NUM.get(s[1:], 0) if s[1:] else 0)
    if "十" in s:
        tens, _, units = s.partition("十")
        return (_CN_NUM.get(tens, 1) if tens else 1) * 10 + (_CN_NUM.get(units, 0) if units else 0)
    return _CN_NUM.get(s)


def _r_lunar_date(m: re.Match[str], ctx: Context) -> Outcome:
    mo_s = m["mo"]
    month = _LUNAR_MONTH.get(mo_s) or _cn_small(mo_s)
    day = _cn_small(m["d"])
    if month is None or day is None or not 1 <= month <= 12 or not 1 <= day <= 30:
        return REJECT
    leap = bool(m["leap"])
    year = _year_of(m, ctx)
    if year is REJECT:
        return None

    def day_in(y: int) -> date | None:
        return lunar_to_solar(y, month, day, leap)

    return _resolve(day_in, "day", year if isinstance(year, int) else None, m, ctx)


def _c(p: str, flags: int = 0) -> re.Pattern[str]:
    return re.compile(p, flags)


_ZH_YEAR = r"(?:(?P<y>(?:19|20)\d\d)\s*年\s*|(?P<rel>今年|去年|明年|本年|前年|后年|後年))?"
_LUNAR_DAY = (
    r"初[一二三四五六七八九十]|廿[一二三四五六七八九]?|三十|二十[一二三四五六七八九]?|十[一二三四五六七八九]?"
    r"|[一二三四五六七八九]|[12]\d|30|0?[1-9]"
)
_LUNAR_MO = r"(?P<mo>正|冬|腊|臘|十[一二]?|[一二三四五六七八九]|1[0-2]|0?[1-9])"

RULES: list[Rule] = [
    Rule(
        "holiday_named",
        _c(
            rf"\b(?:(?P<rel>this|last|next)\s+)?(?P<h>{_EN_ALT})\b(?:,?\s+(?P<y>{YEAR})\b)?",
            re.IGNORECASE,
        ),
        _r_en,
        _g_en,
        needs=(
            "ching ming",
            "qingming",
            "tomb",
            "buddha",
            "establishment day",
            "easter",
            "good friday",
            "holy saturday",
            "labour day",
            "labor day",
            "may day",
            "election day",
            "new year",
            "festival",
            "national day",
            "mid-autumn",
            "mid autumn",
            "golden week",
        ),
        triggers=(
            "ching ming",
            "qingming",
            "tomb",
            "buddha",
            "establishment day",
            "easter",
            "good friday",
            "holy saturday",
            "labour day",
            "labor day",
            "may day",
            "election day",
            "new year",
            "festival",
            "national day",
            "mid-autumn",
            "mid autumn",
            "golden week",
        ),
    ),
    Rule("zh_holiday", _c(rf"{_ZH_YEAR}(?P<h>{_ZH_ALT})"), _r_zh, _g_zh, needs=tuple(_ZH_DAYS)),
    Rule(
        "zh_lunar_date",
        _c(
            rf"(?:(?:农历|農曆|阴历|陰曆)\s*{_ZH_YEAR}(?P<leap>闰|閏)?{_LUNAR_MO}\s*月"
            rf"\s*(?P<d>{_LUNAR_DAY})(?![\d十])\s*日?)"
        ),
        _r_lunar_date,
        needs=("农历", "農曆", "阴历", "陰曆"),
    ),
    Rule(
        "zh_lunar_bare",
        _c(rf"(?P<y>)(?P<rel>)(?P<leap>)(?P<mo>正|冬|腊|臘)月\s*(?P<d>{_LUNAR_DAY})(?![\d十])"),
        _r_lunar_date,
        needs=("正月", "冬月", "腊月", "臘月"),
    ),
]
