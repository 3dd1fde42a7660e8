"""Chinese dates that lean on their surroundings: a bare day of the month (「28日召开」,
「今日（21日）」, 「今（25）日」) and vague periods (年内, 上半年, 月底, 年底, 周末, 过去一年).

A bare N日 names a day of the month the reader already has in mind: the month of the date
written last in the same paragraph, else the news month (a dateline's, else the publication's),
stepping back a month when the day has not come yet and the clause does not look ahead.
Vague periods resolve to the unit that contains them (年内 → the year, 月底 → the month,
周末 → the ISO week of that weekend).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from .context import Context
from .outcome import Outcome
from .rules import REJECT, Guard, Rule
from .units import add_months, day_value, month_value, quarter_value, valid_day, week_value, year_value

__all__ = ["RULES"]

_CN = "〇零一二两兩三四五六七八九十"


def _month_for_day(day: int, pos: int, end: int, ctx: Context) -> tuple[int, int] | None:
    """The (year, month) a bare day of the month belongs to."""
    if ctx.last_month is not None and ctx.last_month_pos >= 0 and "\n" not in ctx.text[ctx.last_month_pos : pos]:
        return ctx.last_month
    ref = ctx.ref
    if ref is None:
        return None
    tense = (ctx.tense(pos, end) or "").rstrip("!")
    if day > ref.day and tense != "future":
        return add_months(ref.year, ref.month, -1)  # 「（28日）召开」 in a paper of the 3rd
    if day < ref.day and tense == "future" and ref.day - day > 7:
        return add_months(ref.year, ref.month, 1)  # 「将于3日举行」 written on the 28th
    return ref.year, ref.month


def _r_bare_day(m: re.Match[str], ctx: Context) -> Outcome:
    day = int(m["d"])
    if not 1 <= day <= 31:
        return REJECT
    ym = _month_for_day(day, m.start(), m.end(), ctx)
    if ym is None:
        return None
    return day_value(date(ym[0], ym[1], day)) if valid_day(ym[0], ym[1], day) else REJECT


_SHIFT = {"今": 0, "昨": -1, "明": 1, "前": -2}


def _r_paren_day(m: re.Match[str], ctx: Context) -> Outcome:
    """今（25）日: the deictic word fixes the day, the number confirms it."""
    day = int(m["d"])
    if ctx.ref is not None:
        d = ctx.ref + timedelta(days=_SHIFT[m["w"]])
        if d.day == day:
            return day_value(d)
    return _r_bare_day(m, ctx)


_COUNT_BEFORE = re.compile(r"(?:为期|為期|共|连续|連續|逾|约|約|满|滿|至少|超过|超過|近|数|數|第|每|隔|历时|歷時)\s*$")


def _g_bare_day(m: re.Match[str], text: str) -> bool:
    """A day of the month, not a count of days (「为期30日」, 「30日内」) nor part of a number."""
    s = m.start()
    if s and (text[s - 1].isdigit() or text[s - 1] in "月.-/:：年"):
        return False
    if _COUNT_BEFORE.search(text, max(0, s - 3), s):
        return False
    return True


def _r_trading_day(m: re.Match[str], ctx: Context) -> Outcome:
    """连续第二个交易日: in a market report, the day being reported, else the news day."""
    anchor = ctx.antecedent_day(m.start()) or ctx.ref
    return None if anchor is None else day_value(anchor)


def _r_same_period(m: re.Match[str], ctx: Context) -> Outcome:
    """去年同期 / 上年同期: the period a year back — the quarter being reported on, else the month
    just written, else the year."""
    back = 2 if m["w"] == "前年" else 1
    if ctx.last_quarter is not None:
        return quarter_value(ctx.last_quarter[0] - back, ctx.last_quarter[1])
    if ctx.ref is None:
        return None
    if ctx.last_month is not None and ctx.last_month_pos >= 0 and m.start() - ctx.last_month_pos < 200:
        return month_value(ctx.last_month[0] - back, ctx.last_month[1])
    return year_value(ctx.ref.year - back)


def _r_year_shift(m: re.Match[str], ctx: Context) -> Outcome:
    """前一年 / 上一年 (the year before), 次年 / 翌年 / 第二年 (the year after): off the year just
    written, else off the publication's."""
    sign = -1 if m["w"] in ("前一年", "上一年") else 1
    if ctx.last_year is not None and ctx.last_pos >= 0 and m.start() - ctx.last_pos < 200:
        return year_value(ctx.last_year + sign)
    return year_value(ctx.ref.year + sign) if ctx.ref is not None else None


def _r_first_part(m: re.Match[str], ctx: Context) -> Outcome:
    """前三季度, 今年前8个月, 2024年前两个季度: the first part of a year resolves to the year."""
    y = m["y"]
    if y:
        return year_value(int(y))
    if ctx.ref is None:
        return None
    shift = {"今年": 0, "本年": 0, "去年": -1, "上年": -1, "明年": 1}.get(m["ry"] or "今年", 0)
    return year_value(ctx.ref.year + shift)


def _r_year_in(m: re.Match[str], ctx: Context) -> Outcome:
    return year_value(ctx.ref.year) if ctx.ref is not None else None


def _r_past_year(m: re.Match[str], ctx: Context) -> Outcome:
    return year_value(ctx.ref.year - 1) if ctx.ref is not None else None


def _r_month_part(m: re.Match[str], ctx: Context) -> Outcome:
    return month_value(ctx.ref.year, ctx.ref.month) if ctx.ref is not None else None


def _r_weekend(m: re.Match[str], ctx: Context) -> Outcome:
    ref = ctx.ref
    if ref is None:
        return None
    rel = m["rel"] or ""
    if rel == "上":
        return week_value(ref - timedelta(weeks=1))
    if rel == "下":
        return week_value(ref + timedelta(weeks=1))
    if rel or ref.weekday() >= 5:
        return week_value(ref)
    tense = (ctx.tense(m.start(), m.end()) or "").rstrip("!")
    return week_value(ref if tense in ("future", "present") else ref - timedelta(weeks=1))


def _not_after(chars: str) -> Guard:
    def guard(m: re.Match[str], text: str) -> bool:
        s = m.start()
        return s == 0 or not (text[s - 1].isdigit() or text[s - 1] in chars)

    return guard


_c = re.compile
_NOT_YEAR = _CN + "年个個多半几幾每近两兩数數今去明本同当當前后後"

RULES: list[Rule] = [
    Rule(
        "zh_bare_day",
        _c(r"(?P<d>3[01]|[12]\d|0?[1-9])\s*日(?![内內後后间間左以制元游遊均线線期]|年化)"),
        _r_bare_day,
        _g_bare_day,
        needs=("日",),
    ),
    Rule(
        "zh_paren_day",
        _c(r"(?P<w>[今昨明前])\s*[（(]\s*(?P<d>3[01]|[12]\d|0?[1-9])\s*[）)]\s*日"),
        _r_paren_day,
        needs=("日",),
    ),
    Rule(
        "zh_trading_day",
        _c(r"连续\s*(?:第)?\s*(?:[二三四五六七八九十两兩]|\d{1,2})\s*(?:个|個)?\s*(?:交易日|交易时段|交易時段)"),
        _r_trading_day,
        needs=("交易",),
    ),
    Rule(
        "zh_first_part",
        _c(
            r"(?:(?P<y>(?:19|20)\d\d)\s*年|(?P<ry>今年|本年|去年|上年|明年))?\s*前\s*"
            r"(?:(?:[二三两兩2-3])\s*(?:个|個)?\s*季度|(?:1[01]|[2-9]|十[一]?|[二三四五六七八九两兩])\s*(?:个|個)\s*月)"
        ),
        _r_first_part,
        needs=("前",),
    ),
    Rule(
        "zh_same_period",
        _c(r"(?P<w>去年|上年|前年)\s*同期"),
        _r_same_period,
        needs=("同期",),
    ),
    Rule(
        "zh_year_shift",
        _c(r"(?P<w>前一年|上一年|次年|翌年|第二年)(?![度\d])"),
        _r_year_shift,
        _not_after(_CN + "每"),
        needs=("一年", "次年", "翌年", "二年"),
    ),
    Rule(
        "zh_whole_year",
        _c(r"全年(?!龄|齡|无休|無休|不间断|不間斷|\d)"),
        _r_year_in,
        _not_after(_NOT_YEAR),
        needs=("全年",),
    ),
    Rule("zh_year_in", _c(r"年\s*[内內](?![容地外])"), _r_year_in, _not_after(_NOT_YEAR), needs=("年",)),
    Rule(
        "zh_half_year",
        _c(r"[上下]半年(?:度)?"),
        _r_year_in,
        _not_after(_CN + "年个個多几幾每近两兩数數前后後"),
        needs=("半年",),
    ),
    Rule(
        "zh_year_part",
        _c(r"年\s*(?:[底初末](?![\d])|中(?![国國华華心央文医醫学學共东東西南北部期间間的]))"),
        _r_year_in,
        _not_after(_NOT_YEAR + "上下"),
        needs=("年",),
    ),
    Rule(
        "zh_past_year",
        _c(r"(?:过去|過去)(?:的)?\s*(?:一|1)\s*年(?![\d多半内內])"),
        _r_past_year,
        needs=("过去", "過去"),
    ),
    Rule(
        "zh_month_part",
        _c(r"月\s*(?:[底初末]|中旬|上旬|下旬)(?![\d])"),
        _r_month_part,
        _not_after(_CN + "上下本当當同个個每这這年岁歲"),
        needs=("月",),
    ),
    Rule(
        "zh_weekend",
        _c(r"(?P<rel>上|下|本|这|這|今)?(?:周|週)末"),
        _r_weekend,
        _not_after("每"),
        needs=("周末", "週末"),
    ),
]
