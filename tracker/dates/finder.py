"""find_dates: run the rules over a text, keep the longest spans, resolve them in order.

Resolution runs left to right because later expressions lean on earlier ones ("同日", "that
year", "a year earlier" after a quarter). Every pattern is compiled at import; a call does no
setup, so the event extractor can call it per sentence.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime

from tracker.lang import has_cjk

from . import chinese, chinese_vague, english, english_compound, english_grammar, holidays
from .context import Context, qualifier_of
from .locale import date_locale
from .model import DateExpr
from .rules import REJECT, Candidate, Parts, Rule, select
from .units import first_day

__all__ = ["find_dates"]

_EN_RULES = english_grammar.RULES + english_compound.RULES + [r for r in holidays.RULES if not r.name.startswith("zh_")]
_ZH_RULES = chinese.RULES + chinese_vague.RULES + [r for r in holidays.RULES if r.name.startswith("zh_")]
_ALL_RULES = _EN_RULES + _ZH_RULES
_ANCHOR_RULES = {"iso", "num_dmy", "mdy", "dmy", "zh_ymd"}
_ANCHOR_WINDOW = 400
_NO_CTX_UPDATE = {"year_ago", "ago", "same_period", "year_unit", "zh_same_period"}
_DATELINE = re.compile(r"\s*(?:专电|專電|电|電|讯|訊)(?=[\s\u3000（(]|$)")


def _rules_for(text: str, lang: str | None) -> list[Rule]:
    if lang and lang.lower().startswith("zh"):
        return _ALL_RULES
    if lang and lang.lower().startswith("en") and not has_cjk(text):
        return _EN_RULES
    return _ALL_RULES if has_cjk(text) else _EN_RULES



# Every date expression contains one of these; the rules only scan windows around them.
# Plain substring search (str.find) is several times faster than one regex over the text.
_TRIGGER_WORDS = (
    "jan",
    "feb",
    "mar",
    "apr",
    "may",
    "jun",
    "jul",
    "aug",
    "sep",
    "oct",
    "nov",
    "dec",
    "day",
    "tonight",
    "tomorrow",
    "year",
    "month",
    "week",
    "quarter",
    "half",
    "christmas",
    "thanksgiving",
    "halloween",
    "valentine",
    "nineteen",
    "thousand",
    "ago",
    "earlier",
    "later",
    "same date",
)
_TRIGGER_CJK = (
    "年",
    "月",
    "日",
    "号",
    "號",
    "周",
    "週",
    "星期",
    "拜",
    "季",
    "今",
    "去",
    "明",
    "昨",
    "同",
    "当",
    "當",
    "翌",
    "次",
    "本",
    "上",
    "下",
    "前",
    "节",
    "節",
    "除夕",
    "元旦",
    "中秋",
    "国庆",
    "國慶",
    "五一",
    "农历",
    "農曆",
    "正月",
    "腊月",
    "臘月",
    "假",
    "除夕",
    "元宵",
    "端午",
)
_BEFORE, _AFTER = 30, 24

# Full-width digits and Latin letters (２０２１年９月) read as their ASCII twins. NFKC maps each
# of them to exactly one character, so the translated text keeps every offset.
_FW = {cp: cp - 0xFEE0 for r in ((0xFF10, 0xFF1A), (0xFF21, 0xFF3B), (0xFF41, 0xFF5B)) for cp in range(*r)}
_FULLWIDTH = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")


def _windows(low: str, cjk: bool, words: tuple[str, ...] | None = None) -> list[tuple[int, int]]:
    """Merged stretches of (lower-cased) text around trigger words: the only places a date can be."""
    hits: list[tuple[int, int]] = []
    find = low.find
    if words is None:
        words = _TRIGGER_WORDS + _TRIGGER_CJK if cjk else _TRIGGER_WORDS
    for word in words:
        i = find(word)
        while i >= 0:
            hits.append((i, i + len(word)))
            i = find(word, i + 1)
    hits.sort()
    out: list[tuple[int, int]] = []
    n = len(low)
    for hs, he in hits:
        s, e = max(0, hs - _BEFORE), min(n, he + _AFTER)
        if out and s <= out[-1][1]:
            if e > out[-1][1]:
                out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def _candidates(text: str, rules: list[Rule]) -> list[Candidate]:
    low = text.lower()
    if len(low) != len(text):  # a few characters change length when lower-cased
        low = ""
    present = low or text.lower()
    windows: list[tuple[int, int]] | None = None  # the shared windows, built when a rule needs them
    out: list[Candidate] = []
    own: dict[tuple[str, ...], list[tuple[int, int]]] = {}  # windows of rules with trigger words of their own
    needed: dict[tuple[str, ...], bool] = {}  # rules that share a needs tuple (the months) test it once
    for rule in rules:
        if rule.needs:
            hit = needed.get(rule.needs)
            if hit is None:
                hit = needed[rule.needs] = any(map(present.__contains__, rule.needs))
            if not hit:
                continue
        if rule.folded is not None and low:
            pattern, subject = rule.folded, low
        else:
            pattern, subject = rule.pattern, text
        guard = rule.guard
        if rule.full:
            spans = [(0, len(text))]
        elif rule.triggers:
            spans = own.get(rule.triggers) or own.setdefault(rule.triggers, _windows(present, False, rule.triggers))
        else:
            if windows is None:
                windows = _windows(present, rules is not _EN_RULES)
            spans = windows
        for ws, we in spans:
            for m in pattern.finditer(subject, ws, we):
                if m.end() > m.start() and (guard is None or guard(m, text)):
                    out.append(Candidate(m.start(), m.end(), rule, m))
    return out


# the word every modifier ends with ("the end of", "early", "mid-", "earlier in"): only then is
# the modifier pattern worth searching
_LAST_WORD = re.compile(r"([A-Za-z]+)[\s\u00a0-]*$")
_MODIFIER_ENDS = frozenset(("of", "early", "late", "mid", "end", "earlier", "later", "in", "sometime"))


def _extend(text: str, chosen: list[Candidate]) -> list[Candidate]:
    """Widen chosen spans leftwards over a modifier ("the end of", "mid-", "earlier"), unless
    that would run into the span before. Done after selection: only kept spans pay for it."""
    out: list[Candidate] = []
    prev_end = 0
    for c in chosen:
        if (
            c.rule.extend
            and c.start > 0
            and text[c.start - 1] in " -\u00a0\n"
            or c.start > 2
            and text[c.start - 3 : c.start].lower() == "mid"
        ):
            last = _LAST_WORD.search(text, max(0, c.start - 12), c.start)
            word = last.group(1).lower() if last else ""
            mod = (
                english.MODIFIER.search(text, max(prev_end, c.start - 40), c.start)
                if word in _MODIFIER_ENDS or word.endswith("mid")
                else None
            )
            if mod is not None and c.rule.extend:
                c = Candidate(mod.start(), c.end, c.rule, c.match)
        out.append(c)
        prev_end = c.end
    return out


def _local_day(published: datetime | date | None) -> date | None:
    """The publication's own calendar day: an offset-aware time keeps its local date."""
    if published is None:
        return None
    if isinstance(published, datetime):
        return published.date()
    return published


def _anchor(text: str, chosen: list[Candidate]) -> date | None:
    """A full date near the top or the bottom of the text (a dateline) stands in for a missing
    publication date, so that "yesterday" in a dated press release still resolves."""
    ctx = Context(text, None)
    n = len(text)
    for c in chosen:
        if c.rule.name in _ANCHOR_RULES and (c.start < _ANCHOR_WINDOW or c.end > n - _ANCHOR_WINDOW):
            res = c.rule.resolve(c.match, ctx)
            if isinstance(res, tuple) and res[1] == "day":
                return date.fromisoformat(res[0])
    return None


def _remember(ctx: Context, c: Candidate, value: str, precision: str) -> None:
    if c.rule.name in _NO_CTX_UPDATE:
        return
    ctx.last_pos, ctx.last_first, ctx.last_precision = c.end, first_day(value, precision), precision
    if precision == "day":
        ctx.last_day = date.fromisoformat(value)
        ctx.last_day_pos = c.end
    if precision in ("day", "month"):
        ctx.last_month, ctx.last_month_pos = (int(value[:4]), int(value[5:7])), c.end
    if precision == "quarter":
        ctx.last_quarter = (int(value[:4]), int(value[-1]))
        ctx.last_quarter_pos = c.start
    written = any(ch.isdigit() for ch in c.match.group(0)) or bool("y" in c.match.re.groupindex and c.match["y"])
    if written and precision in ("year", "month", "day", "quarter"):
        ctx.last_year = int(value[:4])
    if precision == "year" and ctx.story_year is None and _OCCASION.match(ctx.text, c.end):
        ctx.story_year = int(value[:4])


# "the 2026 Budget", "the 2026–27 Budget speech", "the 2025 Policy Address", "2025年施政报告":
# the occasion the story reports on, whose year is the story's
_OCCASION = re.compile(
    r"(?:\s*[-–/]\s*\d{2,4})?\s*(?:年(?:度)?)?\s*(?:Budget|budget|Policy Address|policy address|"
    r"[Cc]onference|[Ss]ummit|[Ff]orum|Fin[Tt]ech Week|[Pp]lenary|"
    r"财政预算案|財政預算案|预算案|預算案|施政报告|施政報告|金融科技周|金融科技週|峰会|峰會|论坛|論壇)"
)


def _parts(text: str, original: str, c: Candidate, parts: Parts, ctx: Context) -> list[DateExpr]:
    """The expressions of a candidate whose resolver split it into named groups; the first
    starts where the candidate does (so a modifier stays in it), the last ends with it."""
    out: list[DateExpr] = []
    for i, (group, res) in enumerate(parts):
        start = c.start if i == 0 else c.match.start(group)
        end = c.end if i == len(parts) - 1 else c.match.end(group)
        value, precision = res if res else (None, None)
        if value is not None and precision is not None:
            _remember(ctx, c, value, precision)
        out.append(DateExpr(start, end, original[start:end], value, precision, qualifier_of(text, start, end)))
    return out


def find_dates(
    text: str, published: datetime | None = None, lang: str | None = None, locale: str | None = None
) -> list[DateExpr]:
    """Return the date expressions of ``text`` in order, non-overlapping.

    ``published`` is the reference for relative and partial dates: its local calendar day is
    used, whatever its offset. Without it, a dateline in the text serves; failing that,
    absolute dates still resolve and relative ones get value None.

    ``lang`` is "en" or "zh", or a tag with a region ("en-US", "zh-HK"). ``locale`` is the
    country whose numeric dates the source writes ("US" month-first; "GB", "HK", "CN"
    day-first); without it, the region of ``lang``, then Chinese (day-first), decide, and an
    English "07/08/2007" stays unresolved.
    """
    if not text:
        return []
    original = text
    if _FULLWIDTH.search(text):
        text = text.translate(_FW)  # one character for one: offsets stay those of the original
    chosen = _extend(text, select(_candidates(text, _rules_for(text, lang))))
    ref = _local_day(published)
    if ref is None:
        ref = _anchor(text, chosen)
    if locale is None:
        locale = date_locale(lang) or ("CN" if lang is None and has_cjk(text) else None)
    ctx = Context(text, ref, locale)
    out: list[DateExpr] = []
    for c in chosen:
        try:
            res = c.rule.resolve(c.match, ctx)
        except (OverflowError, ValueError):  # arithmetic past year 1 or 9999: a span with no value
            res = None
        if res is REJECT:
            continue
        if isinstance(res, list):  # a range written as one token ("2009-2010"): one expression per part
            out.extend(_parts(text, original, c, res, ctx))
            continue
        value, precision = res if isinstance(res, tuple) else (None, None)
        if value is not None and precision is not None:
            _remember(ctx, c, value, precision)
            if precision == "day" and c.rule.name == "zh_ymd" and _DATELINE.match(text, c.end):
                day = date.fromisoformat(value)  # 「北京11月19日电」: the news day of what follows
                if ctx.ref is None or abs((day - ctx.ref).days) <= 7:
                    ctx.ref = day
        out.append(
            DateExpr(
                c.start, c.end, original[c.start : c.end], value, precision, qualifier_of(text, c.start, c.end)
            )
        )
    return _range_years(text, out)


# "between February and April last year", "from 1 March to 30 June 2024", "2月至4月": the
# year written once, on the second end of the range, is the first end's too
_RANGE_JOIN = re.compile(r"\s*(?:and|to|through|till|until|[-–—~～]|至|到|和|及)\s*$", re.IGNORECASE)
_HAS_YEAR = re.compile(r"\d{4}|['’]\d\d\b|年")
_YEAR_WORD = re.compile(r"(?i)\b(?:last|this|next|previous|following)\s+year\b|去年|今年|明年|前年")


def _range_years(text: str, found: list[DateExpr]) -> list[DateExpr]:
    out = list(found)
    for i in range(len(out) - 1):
        first, second = out[i], out[i + 1]
        if (
            first.value is None
            or second.value is None
            or first.precision not in ("month", "day")
            or second.precision not in ("month", "day")
            or _HAS_YEAR.search(first.text)
            or not (_HAS_YEAR.search(second.text) or _YEAR_WORD.search(second.text))
            or not _RANGE_JOIN.fullmatch(text, first.end, second.start)
        ):
            continue
        year = int(second.value[:4]) - (1 if first.value[5:] > second.value[5:] else 0)
        value = f"{year:04d}{first.value[4:]}"
        if value != first.value:
            out[i] = replace(first, value=value)
    return out
