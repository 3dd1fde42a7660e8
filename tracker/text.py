"""Main text: boilerplate removal for scraped text, and sentences (HTML pages: tracker.htmlpage).

Why this module exists: the dates and events of a "related stories" block, a price ticker or
a teaser belong to other articles. Extracting from them is the main source of spurious
events, so boilerplate goes before anything else looks at the text. Removal works on whole
lines and keeps the survivors verbatim, so every sentence of the cleaned text is still a
substring of the input (the extract contract's ``evidence``) and offsets can point into it.
"""

from __future__ import annotations

import re

from tracker.regexes import ascii_fold, fast, folded

__all__ = ["ascii_fold", "clean_text", "content_spans", "join_wrapped", "split_sentences", "wrapped"]


# ---------------------------------------------------------------- boilerplate lines

_RELATED_HEADING = re.compile(
    r"^(?:you (?:may|might) also like|related(?: stories| articles| news| posts| reading| coverage)?|"
    r"read (?:next|more|also)|more (?:from|stories|news|on this)|recommended(?: for you| stories)?|"
    r"trending(?: now| stories)?|popular(?: posts| stories| now)?|latest (?:news|stories)|further reading|"
    r"see also|most read|top stories|相关阅读|相關閱讀|延伸阅读|延伸閱讀|推荐阅读|推薦閱讀|热门文章|熱門文章|"
    r"相关新闻|相關新聞|猜你喜欢|猜你喜歡|more for you|read more(?: about)?|related (?:topics|content|links)|"
    r"editor'?s picks?|what to read next|don't miss|你可能感兴趣|你可能感興趣|你可能喜欢|你可能喜歡|"
    r"更多新闻|更多新聞|相关文章|相關文章|相关报道|相關報道|相關報導|热门新闻|熱門新聞|热读|熱讀|推荐|推薦|精选|精選)"
    r"\s*[:：]?\s*$",
    re.IGNORECASE,
)
_DROP_LINE = re.compile(
    r"^(?:disclaimer\b|risk warning\b|免责声明|免責聲明|share(?: this(?: article| story)?)?\s*[:|𝕏]|share\s*$|"
    r"tags?\s*:|topics\s*:|advertisement\b|sponsored\b|newsletter\s*:|subscribe\b|download the\b|sign up\b|"
    r"follow us\b|©|copyright\b|\(c\)\s|all rights reserved|by [^.|]{1,60}\|\s*(?:updated|published)|"
    r"published \d{1,2} \w{3,9} \d{4}|updated \d{4}-\d\d-\d\d|trending\s*:|"
    r"[【\[]?\s*(?:风险提示|風險提示|免责声明|免責聲明|特别声明|特別聲明|版权声明|版權聲明)\s*[】\]:：]|版权所有|版權所有)",
    re.IGNORECASE,
)
_DROP_ANYWHERE = re.compile(
    r"cookies?\b|does not constitute (?:financial|investment|legal)|not (?:financial|investment) advice|"
    r"for informational purposes only|\b\d+ min read\b|\|\s*source\s*:|all rights reserved|"
    r"(?:is|are) for (?:general )?information(?:al)? (?:purposes )?only|should not be (?:construed|taken) as (?:\w+ )?advice|"  # noqa: E501
    r"不构成(?:任何)?投资建议|不構成(?:任何)?投資建議|(?:仅|僅)代表作者|未经(?:授权|许可)[^。]{0,10}转载|未經(?:授權|許可)[^。]{0,10}轉載|"
    r"转载请注明|轉載請註明|"
    r"\b\d{4}/\d\d/\d\d \d\d:\d\d\s*$|·\s*\d\d:\d\d\s*(?:HKT|GMT|UTC|SGT)?\s*$",
    re.IGNORECASE,
)
# the case-sensitive twin of _DROP_ANYWHERE, for lower-cased lines
_TWIN = folded(_DROP_ANYWHERE)
_DROP_ANYWHERE_L = fast(_TWIN[0].pattern) if _TWIN is not None and _TWIN[1] else None
_PRICE = re.compile(r"[+\-−]\s?\d[\d,]*(?:\.\d+)?\s?%|\$\s?\d[\d,]*\.\d{2,}")
_NAV_SPLIT = re.compile(r"\s*[|·•▾☰»›]\s*|\s{2,}")
_TERMINAL = re.compile(r"[.!?。！？;；:：”\"』」)）]\s*$")


# "Hong Kong Spot Bitcoin ETFs See Muted Debut   Apr 30, 2024", "— 證監會警告…　2024-07-12":
# another story's headline with its date, the shape of every related-stories list.
_HEADLINE_DATED = re.compile(
    r"(?:\s{2,}|\u3000|\t|\s[|·•]\s?)\s*(?:"
    r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?:\s+\d\d:\d\d)?|\d{4}年\d{1,2}月\d{1,2}日|\d{1,2}月\d{1,2}日|"
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.? \d{1,2},? \d{4}|\d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]* \d{4}"  # noqa: E501
    r")\s*$"
)
_SENTENCE_INSIDE = re.compile(r"[。！？]|[.!?](?=\s+[A-Z])")


def _is_dated_headline(line: str) -> bool:
    if len(line) > 160:
        return False
    m = _HEADLINE_DATED.search(line)
    return m is not None and m.start() >= 6 and not _SENTENCE_INSIDE.search(line[: m.start()])


def _teaser_cut(line: str) -> int:
    """Offset of a truncation mark ("…" or "...") in ``line``, or -1."""
    cuts = [i for i in (line.find("…"), line.find("...")) if i >= 0]
    return min(cuts) if cuts else -1


def _is_nav(line: str) -> bool:
    """Menus and breadcrumbs: many short items separated by pipes, bullets or wide gaps."""
    if _TERMINAL.search(line):
        return False
    parts = [p for p in _NAV_SPLIT.split(line) if p]
    return len(parts) >= 4 and all(len(p.split()) <= 3 for p in parts)


def _is_ticker(line: str) -> bool:
    """Price tickers: several signed percentages or prices on one line."""
    return len(_PRICE.findall(line)) >= 2 or bool(re.fullmatch(r"[\s$€¥£+\-−\d.,%A-Z()]+", line))


_SENTENCE_END = re.compile(r"[.!?。！？;；:：][\"'”’」』]?\s*$")


def _short(line: str) -> bool:
    return len(line.split()) <= 10 and len(line) <= 80 and not _SENTENCE_END.search(line)


def _lines(text: str) -> list[tuple[int, int]]:
    """Non-blank lines as (start, end) offsets, stripped of surrounding spaces."""
    out = []
    for m in re.finditer(r"[^\n]+", text):
        s, e = m.start(), m.end()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            out.append((s, e))
    return out


def _drop_anywhere(line: str) -> bool:
    low = line.lower()
    if _DROP_ANYWHERE_L is not None and len(low) == len(line) and ascii_fold(line):
        return _DROP_ANYWHERE_L.search(low) is not None
    return _DROP_ANYWHERE.search(line) is not None


def content_spans(text: str) -> list[tuple[int, int]]:
    """Offsets of the lines of ``text`` that are article content, in order.

    A line goes when it is navigation, a ticker, a cookie notice, a disclaimer, a byline,
    share/tag chrome, a truncated teaser repeated later, an exact repeat, or part of a run of
    three or more short unpunctuated lines (logos, prices, headline lists). A bare
    "related stories" heading past the first third of the text ends the article.
    """
    lines = _lines(text)
    drop = _chrome(text, lines)
    _drop_short_runs(text, lines, drop)
    _drop_repeats(text, lines, drop)
    return [span for span, d in zip(lines, drop, strict=False) if not d]


def _chrome(text: str, lines: list[tuple[int, int]]) -> list[bool]:
    """Lines that are page chrome on their own; everything after a late "related" heading."""
    drop = [False] * len(lines)
    n = len(text)
    for i, (s, e) in enumerate(lines):
        line = text[s:e]
        if _RELATED_HEADING.match(line):
            if s > 0.3 * n:
                for j in range(i, len(lines)):
                    drop[j] = True
                break
            drop[i] = True
            continue
        drop[i] = (
            bool(_DROP_LINE.match(line))
            or (len(line) < 600 and _drop_anywhere(line))
            or _is_nav(line)
            or _is_ticker(line)
            or _is_dated_headline(line)
            or (_after_advertisement(text, lines, i) and len(line.split()) < 25)
        )
    return drop


def _after_advertisement(text: str, lines: list[tuple[int, int]], i: int) -> bool:
    return i > 0 and text[lines[i - 1][0] : lines[i - 1][1]].strip().upper() == "ADVERTISEMENT"


def _drop_short_runs(text: str, lines: list[tuple[int, int]], drop: list[bool]) -> None:
    """Runs of three or more short unpunctuated (or dropped) lines: logos, prices, headline lists."""
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and (drop[j] or _short(text[lines[j][0] : lines[j][1]])):
            j += 1
        if j - i >= 3:
            for k in range(i, j):
                drop[k] = True
        i = max(j, i + 1)


def _drop_repeats(text: str, lines: list[tuple[int, int]], drop: list[bool]) -> None:
    """Truncated teasers whose text appears again, and exact repeats of a long line."""
    seen: set[str] = set()
    for i, (s, e) in enumerate(lines):
        if drop[i]:
            continue
        line = text[s:e]
        cut = _teaser_cut(line)
        if cut >= 40 and text.count(line[max(0, cut - 80) : cut]) > 1:
            drop[i] = True
            continue
        if len(line) > 30:
            if line in seen:
                drop[i] = True
            seen.add(line)


def clean_text(text: str) -> str:
    """``text`` without its boilerplate lines; paragraphs stay separated by blank lines."""
    parts: list[str] = []
    prev_end = None
    for s, e in content_spans(text):
        if prev_end is not None:
            parts.append("\n\n" if "\n\n" in text[prev_end:s] or text[prev_end:s].count("\n") > 1 else "\n")
        parts.append(text[s:e])
        prev_end = e
    return "".join(parts)


# ---------------------------------------------------------------- sentences

_ABBREV = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "st",
    "no",
    "nos",
    "vs",
    "inc",
    "ltd",
    "co",
    "corp",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "gov",
    "rep",
    "sen",
    "jr",
    "sr",
    "u.s",
    "u.k",
    "e.g",
    "i.e",
    "approx",
    "fig",
    "art",
    "para",
    "cap",
    "mt",
    "gen",
    "hon",
    "cf",
}
_COMPANY_SUFFIX = frozenset(("ltd", "inc", "corp", "co", "plc", "llc"))
# a word that opens a sentence, never a firm's name going on after its suffix
_OPENER = re.compile(
    r"\s+(?:The|A|An|It|Its|This|That|These|Those|They|He|She|We|In|On|At|As|However|Meanwhile|"
    r"But|Separately|Under|Since|After|Before|Earlier|Later|Last|Next|Police|Regulators)\b"
)
_CANDIDATE = re.compile(r"[.!?](?=[\"'”’)\]]*\s)|[。！？；!?][”」』）\"']*|\n")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")


def _boundary(text: str, i: int) -> bool:
    """Whether the '.' at i ends a sentence (abbreviations, initials and decimals do not)."""
    m = _WORD_BEFORE.search(text, max(0, i - 12), i)
    if m:
        word = m.group(1).lower()
        if word in _COMPANY_SUFFIX and _OPENER.match(text, i + 1):
            return True  # "… licence of Example Ltd. The new rules …": the firm's name ends the sentence
        if word in _ABBREV or (len(word) == 1 and text[i - 1].isupper()):
            return False
    j = i + 1
    while j < len(text) and text[j] in "\"'”’)]":
        j += 1
    while j < len(text) and text[j] in " \t":
        j += 1
    if j >= len(text) or text[j] == "\n":
        return True
    nxt = text[j]
    return nxt.isupper() or nxt.isdigit() or nxt in "\"'“‘([" or "\u3000" <= nxt <= "\u9fff"


def split_sentences(text: str, lang: str | None = None) -> list[tuple[int, int]]:
    """Sentence offsets ``(start, end)`` into ``text``, whitespace trimmed.

    English: ., ! and ? followed by a capital, digit or quote, except after abbreviations
    ("Oct.", "U.S.", "Mr.", "No.") and initials. Chinese: 。！？； and a closing quote.
    A line break always ends a sentence unless it only wraps a line mid-sentence.
    ``lang`` is accepted for symmetry with the other stages; both scripts are handled.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _CANDIDATE.finditer(text):
        ch = m.group(0)[0]
        end = m.end()
        if ch == "\n":
            if wrapped(text, m.start(), m.end()):
                continue  # a wrapped line inside one sentence
            end = m.start()
        elif ch == "." and not _boundary(text, m.start()):
            continue
        elif ch in "!?" and m.group(0) == ch and m.end() < len(text) and not text[m.end()].isspace():
            continue
        _push(text, start, end, spans)
        start = m.end()
    _push(text, start, len(text), spans)
    return spans


_FUNCTION_WORD = re.compile(
    r"(?:^|\s)(?:on|in|at|by|the|a|an|of|to|that|and|or|for|from|with|since|until|before|after|its|their|"
    r"was|were|is|are|has|have|had|will|would|said|announced)$",
    re.IGNORECASE,
)
_CJK_CHAR = re.compile(r"[\u3400-\u9fff]")


def wrapped(text: str, brk: int, nxt_pos: int) -> bool:
    """Whether the line break ``text[brk:nxt_pos]`` (one newline, maybe with spaces) only wraps a
    line mid-sentence: "announced on\nTuesday", "the rules,\nwhich", 證監會昨日宣布，\n將…; a
    break after a full stop, or after a headline ending in a content word, ends the sentence."""
    prev = text[brk - 1] if brk else ""
    nxt = text[nxt_pos] if nxt_pos < len(text) else ""
    if not prev or not nxt or text.count("\n", brk, nxt_pos) > 1:
        return False
    if (prev.islower() or prev == ",") and nxt.islower():
        return True
    if nxt.isalnum() and _FUNCTION_WORD.search(text, max(0, brk - 12), brk):
        return True
    # Chinese: only after a comma-like mark (a line of characters may be a headline)
    return bool(_CJK_CHAR.match(nxt)) and prev in "，、（“"


def join_wrapped(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Content lines joined where a line break only wraps a sentence (hard-wrapped pages)."""
    out: list[tuple[int, int]] = []
    for s, e in spans:
        if out and text[out[-1][1] : s].strip() == "" and text.count("\n", out[-1][1], s) == 1:
            if wrapped(text, out[-1][1], s):
                out[-1] = (out[-1][0], e)
                continue
        out.append((s, e))
    return out


def _push(text: str, s: int, e: int, spans: list[tuple[int, int]]) -> None:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    if s < e:
        spans.append((s, e))
