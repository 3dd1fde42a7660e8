"""Trigger matches of the rules' event types, and the ones that name a document rather than
state a step (a headline repeating the title, a verb inside 《…》, a notice whose content is a ban).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Set as AbstractSet
from functools import lru_cache

from tracker.extract.clauses import quote_spans
from tracker.extract.model import Document, Trigger
from tracker.regex_shape import needles
from tracker.regexes import ascii_fold, finditer, folded
from tracker.rules import Rules
from tracker.spans import non_overlapping

__all__ = ["by_sentence", "drop_vehicles", "find_triggers", "headline_lines", "in_title", "live_triggers"]


def find_triggers(text: str, rules: Rules) -> list[Trigger]:
    """All trigger matches; where two overlap, the longer (more specific) one wins."""
    found: list[Trigger] = []
    low = text.lower()  # case-sensitive twins run on it: the same matches, faster
    folds = low if len(low) == len(text) and ascii_fold(text) else None
    long_page = folds is not None and len(text) >= _LONG
    for tr in rules.types:
        for pat, weak in ((tr.strong, False), (tr.strong_cased, False), (tr.weak, True)):
            if pat is None or (long_page and _absent(pat, low)):
                continue
            for m in finditer(pat, text, folds):
                if m.end() == m.start():
                    continue
                sched = bool(tr.scheduled and tr.scheduled.search(text[m.start() : m.end()]))
                found.append(Trigger(m.start(), m.end(), tr.name, weak, sched))
    return non_overlapping(sorted(found, key=lambda t: (-(t.end - t.start), t.weak, t.start)))


#: From this length on, a pattern is scanned only when one of its needles is in the text:
#: on a short text the substring searches cost about what the scan does.
_LONG = 50_000


def _absent(pattern: re.Pattern[str], low: str) -> bool:
    """Whether the lower-cased twin of ``pattern`` (the one ``finditer`` runs first) has
    needles and ``low`` holds none of them: then no match, and no scan."""
    found = _twin_needles(pattern)
    return found is not None and not any(n in low for n in found)


@lru_cache(maxsize=256)
def _twin_needles(pattern: re.Pattern[str]) -> frozenset[str] | None:
    twin = folded(pattern)
    return None if twin is None else needles(twin[0])


def drop_vehicles(text: str, trigs: list[Trigger], rules: Rules) -> list[Trigger]:
    """A notice or circular whose content is a prohibition is a ban, not guidance as well:
    "issued a circular on Monday barring banks from …", 發布通知，要求銀行不得…"""
    vehicle, gap = rules.lexicon("vehicle"), rules.lexicon("vehicle_gap")
    drop: set[int] = set()
    for g in trigs:
        if g.type != "guidance" or not vehicle.search(text, g.start, g.end):
            continue
        nxt = next((b for b in trigs if b.start >= g.end), None)
        if nxt is not None and nxt.type in rules.type_sets["content_types"] and gap.search(text[g.end : nxt.start]):
            drop.add(id(g))
        elif any(b.type in rules.type_sets["content_types"] and _same_title(text, b, g) for b in trigs):
            drop.add(id(g))  # 发布《关于整治虚拟货币挖矿活动的通知》: the title says what the notice does
    return [t for t in trigs if id(t) not in drop] if drop else trigs


_ABOUT = ("关于", "關於", "關于", "关於")


def _same_title(text: str, b: Trigger, head: Trigger) -> bool:
    """Whether ``b`` stands inside the official 《关于…》 title that ``head`` (its head noun) closes."""
    if b.end > head.start:
        return False
    o = text.rfind("《", 0, b.start)
    if o < 0 or not text.startswith(_ABOUT, o + 1):
        return False
    return "》" not in text[o : head.start] and text.startswith("》", head.end)


def headline_lines(text: str, title: str | None) -> list[tuple[int, int]]:
    """Lines that repeat the document's title: scraped pages start with the headline, and a
    headline compresses (the mainland "keeps its ban") rather than reports an event."""
    key = " ".join((title or "").split())
    if not 12 <= len(key) <= 160 or key.endswith((".", "。", "!", "！")):
        return []  # a whole lead paragraph given as the title is not a headline
    spans, pos = [], 0
    for line in text.splitlines(keepends=True):
        if " ".join(line.split()) == key:
            spans.append((pos, pos + len(line)))
        pos += len(line)
    return spans


def in_title(
    text: str, t: Trigger, sent_start: int, issuing: re.Pattern[str], content: AbstractSet[str] = frozenset()
) -> bool:
    """A trigger inside a 《title》 names the document, not an action (《打擊洗錢…條例》);
    the title's head noun (《…通知》, 《…指引》) still types the verb that issues it, and so
    does a prohibition the title of an issued notice states (发布《关于整治…挖矿活动的通知》:
    a ban, ANNOTATION.md §2) when ``content`` holds its type."""
    o = text.rfind("《", sent_start, t.start + 1)
    if o < 0 or text.rfind("》", o, t.start) >= 0:
        return False
    c = text.find("》", t.end)
    if c < 0 or "。" in text[t.end : c]:
        return False
    if c - t.end > 2:
        # 《关于…的通知》: an authority's document, not a firm's (關于 as machine conversion writes it)
        official = text.startswith(_ABOUT, o + 1)
        return not (t.type in content and official and issuing.search(text, max(sent_start, o - 8), o))
    # the head noun types an issuing verb before the title (发布《…指引》); with none the title
    # is only named (a headline "《…指引》咨询速读", 根据《…指引》)
    return not issuing.search(text, max(sent_start, o - 8), o)


def by_sentence(doc: Document) -> list[tuple[int, list[Trigger]]]:
    """(sentence index, its triggers) in text order; a trigger across a sentence end, or
    outside the content, belongs to none."""
    out: dict[int, list[Trigger]] = {}
    for t in find_triggers(doc.text, doc.rules):
        i = bisect.bisect_right(doc.starts, t.start) - 1
        if i >= 0 and t.end <= doc.sentences[i][1]:
            out.setdefault(i, []).append(t)
    return sorted(out.items())


def live_triggers(doc: Document, start: int, end: int, trigs: list[Trigger]) -> list[Trigger]:
    """The triggers of a sentence outside long quotations, headline lines and 《titles》."""
    text = doc.text
    quotes = quote_spans(text, start, end, doc.rules.quote_min_chars)
    issuing = doc.rules.lexicon("issuing_verb")
    content = doc.rules.type_sets["content_types"]
    return [
        t
        for t in trigs
        if not any(q0 <= t.start < q1 for q0, q1 in quotes + doc.headline)
        and not in_title(text, t, start, issuing, content)
    ]
