"""Chinese date expressions (simplified and traditional): 2021年9月24日, 今年5月, 上月, 明年初,
上周五, 第三季度.

Chinese writes the unit after the number, so a date is unambiguous once its characters are
found; the work is in relative words (去年, 上月, 同日) and in telling a date from a duration
("三个月" is three months, not March), which the patterns do by requiring the number to sit
directly against 年/月/日.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from .context import Context
from .outcome import Outcome
from .rules import REJECT, Rule
from .units import (
    add_months,
    day_value,
    month_value,
    pick_index,
    pick_year_for_day,
    quarter_value,
    valid_day,
    week_start,
    week_value,
    weekday_near,
    year_value,
)

__all__ = ["RULES", "cn_int"]

_DIGITS = {
    "〇": 0,
    "○": 0,  # U+25CB, the circle Hong Kong government releases write in 二○二四年
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "兩": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}


def cn_int(s: str) -> int | None:
    """Integer of a number in Arabic, full-width or Chinese digits (二〇二一, 二十四, 十二)."""
    s = s.strip()
    if not s:
        return None
    if s.isdigit():
        return int(s)
    if "十" in s:
        tens, _, units = s.partition("十")
        t = _DIGITS.get(tens, 1) if tens else 1
        u = _DIGITS.get(units, 0) if units else 0
        return t * 10 + u
    if all(ch in _DIGITS for ch in s):
        return int("".join(str(_DIGITS[ch]) for ch in s))
    return None


_CN = "〇零一二两兩三四五六七八九十"
_Y = r"(?:(?P<y>(?<!\d)\d{4}|[〇○零一二三四五六七八九]{4})\s*年|(?P<ry>今年|去年|明年|前年|后年|後年|本年|上年|同年|当年|當年))"  # noqa: E501
_MO = r"(?P<mo>1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])\s*月"
_D = r"(?P<d>3[01]|[12]\d|0?[1-9]|[二三]?十[一二三四五六七八九]?|[一二三四五六七八九])\s*[日号號]"
_REL_YEAR = {"今年": 0, "本年": 0, "去年": -1, "上年": -1, "明年": 1, "前年": -2, "后年": 2, "後年": 2}


def _year_of(m: re.Match[str], ctx: Context) -> int | None:
    """The year a match states, in digits or relative to the reference; None if it states none."""
    if m["y"]:
        return cn_int(m["y"])
    ry = m["ry"]
    if ry in ("同年", "当年", "當年"):
        return ctx.last_year if ctx.last_year is not None else (ctx.ref.year if ctx.ref else None)
    if ry and ctx.ref is not None:
        return ctx.ref.year + _REL_YEAR[ry]
    return None


def _has_year(m: re.Match[str]) -> bool:
    return bool(m["y"] or m["ry"])


def _r_ymd(m: re.Match[str], ctx: Context) -> Outcome:
    month, day = cn_int(m["mo"]), cn_int(m["d"])
    if month is None or day is None:
        return REJECT
    if _has_year(m):
        y = _year_of(m, ctx)
        if y is None:
            return None
    else:
        if ctx.ref is None:
            y = ctx.anchor_year()
            return day_value(date(y, month, day)) if y is not None and valid_day(y, month, day) else None
        ref, tense = ctx.frame(m.start(), m.end())
        assert ref is not None  # ctx.ref is set, so the frame is it or a day the text gives
        y = pick_year_for_day(month, day, ref, tense)
        if y is None:
            return REJECT
        if _looks_back(ctx, tense, date(y, month, day) > ref if valid_day(y, month, day) else False, y):
            y -= 1
    return day_value(date(y, month, day)) if valid_day(y, month, day) else REJECT


def _r_md_pair(m: re.Match[str], ctx: Context) -> Outcome:
    """4月24日至25日, 9月24至26日, 3月3日-5日: each day an expression of its own, the second in
    the month and year of the first."""
    first = _r_ymd(m, ctx)
    d1, d2 = cn_int(m["d"]), cn_int(m["d2"])
    if d1 is None or d2 is None or d2 <= d1:
        return REJECT
    if not isinstance(first, tuple):
        return [("first", None), ("d2", None)] if first is None else first
    y, mo = int(first[0][:4]), int(first[0][5:7])
    return [("first", first), ("d2", day_value(date(y, mo, d2)) if valid_day(y, mo, d2) else None)]


def _r_ym(m: re.Match[str], ctx: Context) -> Outcome:
    month = cn_int(m["mo"])
    if month is None or not 1 <= month <= 12:
        return REJECT
    if _has_year(m):
        y = _year_of(m, ctx)
        return month_value(y, month) if y is not None else None
    if ctx.ref is None:
        anchor = ctx.anchor_year()
        return None if anchor is None else month_value(anchor, month)
    ref, tense = ctx.frame(m.start(), m.end())
    assert ref is not None  # ctx.ref is set, so the frame is it or a day the text gives
    ref_idx = ref.year * 12 + ref.month - 1
    idx = pick_index(month - 1, ref_idx, 12, tense)
    if _looks_back(ctx, tense, idx > ref_idx, idx // 12):
        idx -= 12
    return month_value(idx // 12, idx % 12 + 1)


def _looks_back(ctx: Context, tense: str | None, ahead: bool, year: int) -> bool:
    """A yearless date that would lie ahead of the publication, in a clause that does not look
    ahead, in a text whose last written year is the year before: a review of the year just
    ended (「2024年……12月30日……于1月10日批准」 published on 2 January 2025)."""
    return (
        ahead
        and ctx.last_year == year - 1
        and ctx.ref is not None
        and ctx.last_year < ctx.ref.year
        and (tense is None or tense.startswith("past"))
    )


def _r_year(m: re.Match[str], ctx: Context) -> Outcome:
    y = _year_of(m, ctx)
    return year_value(y) if y is not None else None


def _r_quarter(m: re.Match[str], ctx: Context) -> Outcome:
    q = cn_int(m["q"])
    if q is None or not 1 <= q <= 4:
        return REJECT
    if _has_year(m):
        y = _year_of(m, ctx)
        return quarter_value(y, q) if y is not None else None
    if ctx.ref is None:
        return None
    ref_idx = ctx.ref.year * 4 + (ctx.ref.month - 1) // 3
    tense = ctx.tense(m.start(), m.end())
    idx = pick_index(q - 1, ref_idx, 4, tense if tense and tense.startswith("past") else None)
    return quarter_value(idx // 4, idx % 4 + 1)


_REL_MONTH = {
    "上月": -1,
    "上个月": -1,
    "上個月": -1,
    "本月": 0,
    "这个月": 0,
    "這個月": 0,
    "当月": 0,
    "當月": 0,
    "同月": 0,
    "下月": 1,
    "下个月": 1,
    "下個月": 1,
}


def _r_rel_month(m: re.Match[str], ctx: Context) -> Outcome:
    if ctx.ref is None:
        return None
    return month_value(*add_months(ctx.ref.year, ctx.ref.month, _REL_MONTH[m["rm"]]))


def _r_rel_md(m: re.Match[str], ctx: Context) -> Outcome:
    """本月15日, 上月20日, 下月1日: a day of a month named relative to the publication."""
    day = cn_int(m["d"])
    if ctx.ref is None or day is None:
        return None if day is not None else REJECT
    y, mo = add_months(ctx.ref.year, ctx.ref.month, _REL_MONTH[m["rm"]])
    if m["rm"] in ("同月", "当月", "當月") and ctx.last_first is not None:
        y, mo = ctx.last_first.year, ctx.last_first.month
    return day_value(date(y, mo, day)) if valid_day(y, mo, day) else REJECT


_REL_DAY = {
    "即日": 0,
    "今日": 0,
    "今天": 0,
    "本日": 0,
    "昨日": -1,
    "昨天": -1,
    "明日": 1,
    "明天": 1,
    "前日": -2,
    "前天": -2,
    "后天": 2,
    "後天": 2,
}


def _r_rel_day(m: re.Match[str], ctx: Context) -> Outcome:
    word = m["rd"]
    if word in ("同日", "当日", "當日", "当天", "當天", "翌日", "次日"):
        # the day written last, in this paragraph or the one before; else the news day itself
        anchor = ctx.antecedent_day(m.start()) or ctx.ref or ctx.last_day
        if anchor is None:
            return None
        return day_value(anchor + timedelta(days=1 if word in ("翌日", "次日") else 0))
    if (
        word == "即日"
        and ctx.last_day is not None
        and not re.search(r"[。！？\n]", ctx.text[ctx.last_day_pos : m.start()])
    ):
        return day_value(ctx.last_day)  # "昨日发布公告，宣布即日起…": the day of the statement
    if ctx.ref is None:
        return None
    return day_value(ctx.ref + timedelta(days=_REL_DAY[word]))


# 自印发之日起施行 / 自《公告》发布之日起: the day the document itself was issued — the date
# line that signs an official notice (a line holding only a full date), else the publication day.
_SIGNED = re.compile(
    r"^[ \t　]*(?P<y>(?:19|20)\d\d)\s*年\s*(?P<mo>1[0-2]|0?[1-9])\s*月\s*(?P<d>3[01]|[12]\d|0?[1-9])\s*日[ \t　]*$",
    re.M,
)


def _r_issue_day(m: re.Match[str], ctx: Context) -> Outcome:
    signed = None
    for sm in _SIGNED.finditer(ctx.text, m.end()):
        y, mo, d = int(sm["y"]), int(sm["mo"]), int(sm["d"])
        if valid_day(y, mo, d):
            signed = date(y, mo, d)
    if signed is not None:
        return day_value(signed)
    return None if ctx.ref is None else day_value(ctx.ref)


_WD = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}


def _r_weekday(m: re.Match[str], ctx: Context) -> Outcome:
    if ctx.ref is None:
        return None
    wd = _WD[m["wd"]]
    rel = m["rel"] or ""
    monday = week_start(ctx.ref)
    if rel == "上":
        return day_value(monday - timedelta(days=7 - wd))
    if rel == "下":
        return day_value(monday + timedelta(days=7 + wd))
    if rel in ("本", "这", "這", "今"):
        return day_value(monday + timedelta(days=wd))
    ref, tense = ctx.frame(m.start(), m.end())
    return day_value(weekday_near(ref or ctx.ref, wd, tense))


def _r_rel_week(m: re.Match[str], ctx: Context) -> Outcome:
    if ctx.ref is None:
        return None
    shift = {"上": -1, "下": 1}.get(m["rw"][0], 0)
    return week_value(ctx.ref + timedelta(weeks=shift))


def _r_ago(m: re.Match[str], ctx: Context) -> Outcome:
    n = cn_int(m["n"])
    if n is None:
        return REJECT
    if ctx.ref is None:
        return None
    unit = m["u1"] or m["u2"]
    if unit == "年":
        return year_value(ctx.ref.year - n)
    if unit == "月":
        return month_value(*add_months(ctx.ref.year, ctx.ref.month, -n))
    if unit in ("周", "週", "星期"):
        return week_value(ctx.ref - timedelta(weeks=n))
    return day_value(ctx.ref - timedelta(days=n))


def _g_not_name(m: re.Match[str], text: str) -> bool:
    """今日头条 is a company, 明日之星 a title: a day word glued to a name is no date."""
    return not re.match(r"头条|頭條|之星|香港|新闻|新聞|美股|关注|關注", text[m.end() : m.end() + 2])


_c = re.compile
# 3月最后一周, 3月第一周: a part of the month resolves to the month
_MONTH_WEEK = r"(?:的)?(?:最后|最後|第[一二三四1-4])\s*(?:一)?\s*(?:周|週|个星期|個星期|天)"
_WDN = r"(?:星期|周|週|禮拜|礼拜)[一二三四五六日天]"
_NOT_MID = r"(?![国國华華心央文医醫学學共东東西南北部期间間的])"  # 年中 as mid-year, not 年+中国
_SUFFIX = rf"(?:初|底|末|中{_NOT_MID}|内|內|年初|年底|年末|年中{_NOT_MID}|上半年|下半年|前半年|後半年|后半年|全年)?"

RULES: list[Rule] = [
    Rule("zh_ymd", _c(rf"(?:{_Y}\s*)?{_MO}\s*{_D}(?:\s*(?:[（(]{_WDN}[）)]|{_WDN}(?![\d{_CN}])))?"), _r_ymd),
    Rule(
        "zh_md_pair",
        _c(
            rf"(?P<first>(?:{_Y}\s*)?{_MO}\s*(?P<d>3[01]|[12]\d|0?[1-9]|[二三]?十[一二三四五六七八九]?|[一二三四五六七八九])"
            r"\s*[日号號]?)\s*(?:至|到|-|–|—|~|～)\s*"
            r"(?P<d2>3[01]|[12]\d|0?[1-9]|[二三]?十[一二三四五六七八九]?|[一二三四五六七八九])\s*[日号號]"
        ),
        _r_md_pair,
    ),
    Rule("zh_ym", _c(rf"{_Y}\s*{_MO}(?:份|中下旬|上中旬|上旬|中旬|下旬|初|底|末|中|{_MONTH_WEEK})?"), _r_ym),
    Rule(
        "zh_m",
        _c(
            rf"(?<![\d{_CN}年个個第每])(?P<mo>1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])\s*月(?:份|中下旬|上中旬|上旬|中旬|下旬|初|底|末|中|{_MONTH_WEEK})?(?![\d{_CN}]\s*[日号號])(?P<y>)?(?P<ry>)?"
        ),
        _r_ym,
    ),
    Rule("zh_quarter", _c(rf"(?:{_Y}\s*)?(?:第)?(?P<q>[一二三四1-4])\s*季度?(?![\d])"), _r_quarter),
    Rule("zh_year", _c(rf"{_Y}{_SUFFIX}(?!\s*(?:\d|[{_CN}])+\s*(?:月|个|個))(?!以前|前|之前)"), _r_year, _g_not_name),
    Rule(
        "zh_rel_month",
        _c(
            r"(?P<rm>上个月|上個月|这个月|這個月|下个月|下個月|上月|本月|下月|当月|當月|同月)(?:中下旬|上中旬|上旬|中旬|下旬|初|底|末|中)?"
        ),
        _r_rel_month,
    ),
    Rule(
        "zh_rel_md",
        _c(rf"(?P<rm>上个月|上個月|这个月|這個月|下个月|下個月|上月|本月|下月|当月|當月|同月)\s*{_D}"),
        _r_rel_md,
    ),
    Rule(
        "zh_rel_day",
        _c(r"(?P<rd>即日|今日|今天|本日|昨日|昨天|明日|明天|前日|前天|后天|後天|同日|当日|當日|当天|當天|翌日|次日)"),
        _r_rel_day,
        _g_not_name,
    ),
    Rule(
        "zh_issue_day",
        _c(r"(?:印发|印發|发布|發布|公布|公佈|颁布|頒布|发文|發文)之日"),
        _r_issue_day,
    ),
    Rule(
        "zh_weekday",
        _c(r"(?P<rel>上|下|本|这|這|今)?(?:周|週|星期|禮拜|礼拜)(?P<wd>[一二三四五六日天])"),
        _r_weekday,
        lambda m, text: (
            not text.startswith(("每", "逢"), max(0, m.start() - 1))
            and not text.startswith(("黑色", "网络", "網絡"), max(0, m.start() - 2))
        ),
    ),
    Rule(
        "zh_rel_week",
        _c(r"(?P<rw>上周|上週|上星期|本周|本週|这周|這週|下周|下週|下星期)(?![一二三四五六日天])"),
        _r_rel_week,
    ),
    Rule(
        "zh_ago",
        _c(
            rf"(?<![\d{_CN}])(?P<n>\d{{1,2}}|[{_CN}]{{1,3}})\s*(?:(?:个|個)\s*(?P<u1>月|星期)|(?P<u2>年|周|週|天|日))(?:以前|之前|前)"
        ),
        _r_ago,
    ),
]

_NEEDS: dict[str, tuple[str, ...]] = {
    "zh_ymd": ("月",),
    "zh_md_pair": ("月",),
    "zh_ym": ("月",),
    "zh_m": ("月",),
    "zh_quarter": ("季",),
    "zh_year": ("年",),
    "zh_rel_month": ("月",),
    "zh_rel_day": ("日", "天"),
    "zh_issue_day": ("之日",),
    "zh_rel_md": ("月",),
    "zh_weekday": ("周", "週", "星期", "拜"),
    "zh_rel_week": ("周", "週", "星期"),
    "zh_ago": ("前",),
}
RULES = [Rule(r.name, r.pattern, r.resolve, r.guard, r.extend, _NEEDS.get(r.name, ()), full=r.full) for r in RULES]
