"""Date attachment: which date expression of the sentence belongs to a trigger.

English puts the date after the verb or in a leading adverbial, Chinese before the verb; a
date another trigger stands closer to belongs to that trigger. Also the second dates one
statement can carry (a gapped verb, an earlier deadline) and the contract's date fields.
"""

from __future__ import annotations

import bisect
import re

from tracker.dates import DateExpr
from tracker.extract.frame import Frame
from tracker.extract.model import Document, Sentence, Trigger
from tracker.rules import Rules

__all__ = ["attach_date", "choose_date", "date_fields", "is_reference"]


_LEADING_MAX = 90

# "SHANGHAI, Sept 24 (Reuters) - …": the dateline dates the report, never the event.
_DATELINE_DATE = re.compile(r"\s*(?:[(（][^)）]{0,30}[)）]\s*)?(?:[-–—]\s|[-–—]$)")
# "the Notice on … (2013 Notice)", "(the “2017 Announcement”)": a year that labels the short
# name a text defines is no date of the step
_ALIAS_BEFORE = re.compile(r"\((?:the\s+)?[“\"']?$")
_ALIAS_AFTER = re.compile(r"\s+(?-i:[A-Z])[\w ]{0,24}?[”\"']?\)")
# "IT之家12月11日消息", "《科创板日报》12日讯", "新华社北京6月9日电": the Chinese dateline, the same
_DATELINE_ZH = re.compile(r"\s*(?:消息|讯|訊|电(?!子|视|視|话|話|力|网|網)|電(?!子|視|話|力|網))")


# A timeline or "key dates" entry: the line opens with its date, then a separator
# ("2017: …", "- June 1, 2023 – …", "2013 - …"); that date is the entry's event date.
_ENTRY_LEAD = re.compile(r"\s*(?:[-–—•·*▪●]\s*)?")

_ENTRY_SEP = re.compile(r"\s*(?:[:：|]|[-–—](?:\s|$))(?!\s*[(（])")  # "20 May 2024 – (Hong Kong)": a dateline


def _entry_head(text: str, sent: tuple[int, int], dates: list[DateExpr]) -> DateExpr | None:
    for d in dates:
        if d.start >= sent[0]:
            if d.end <= sent[1] and _ENTRY_LEAD.fullmatch(text, sent[0], d.start) and _ENTRY_SEP.match(text, d.end):
                return d
            return None
    return None


_JUST_COMMA = re.compile(r"\s*,\s*")
_BULLET_START = re.compile(r"\s*[-–—•·*▪●]\s")
_HEADING_END = re.compile(r"\s*[:：]?\s*")


def _list_heading_date(doc: Document, sent: Sentence) -> DateExpr | None:
    """The date of the heading item a list item sits under ("- July 2024:" then "- The
    Bureau released the conclusions;"): the items before it back to that heading share it."""
    text = doc.text
    if not _BULLET_START.match(text, sent.start):
        return None
    for i in range(sent.index - 1, max(-1, sent.index - 8), -1):
        start, end, _ = doc.sentences[i]
        lo, hi = bisect.bisect_left(doc.date_starts, start), bisect.bisect_left(doc.date_starts, end)
        inside = [d for d in doc.dates[lo:hi] if d.end <= end]
        if (
            len(inside) == 1
            and _ENTRY_LEAD.fullmatch(text, start, inside[0].start)
            and _HEADING_END.fullmatch(text, inside[0].end, end)
        ):
            return inside[0]
        if not _BULLET_START.match(text, start):
            return None
    return None


def _subordinate_end(text: str, sent: tuple[int, int], zh: bool, rules: Rules) -> int:
    """The comma closing a leading subordinate clause ("While …, the …"), or the sentence end."""
    if zh or not rules.pattern("subordinate_lead").match(text, sent[0]):
        return sent[1]
    comma = text.find(",", sent[0], sent[1])
    return comma if comma >= 0 else sent[1]


def _blocked(a: int, b: int, active: list[Trigger], me: Trigger) -> bool:
    """Whether another live trigger sits between offsets a and b (it owns the date)."""
    return any(t is not me and a <= t.start < b for t in active)


def choose_date(
    trig: Trigger,
    sent: tuple[int, int],
    clause: tuple[int, int],
    dates: list[DateExpr],
    active: list[Trigger],
    text: str,
    zh: bool,
    rules: Rules,
) -> tuple[DateExpr | None, DateExpr | None]:
    """The date expression attached to ``trig``, and a leading date of the sentence.

    English puts the date after the verb ("passed the bill on May 21") or in a leading
    adverbial ("In February, the SFC unveiled…"); Chinese before it (证监会于上月…暂停).
    A date that another trigger stands closer to in reading order belongs to that trigger.
    The second value is the sentence's leading date when it differs from the first: a
    standing state ("a ban in place since 2021") restated at a new date yields both.
    """
    entry = _entry_head(text, sent, dates)
    in_sent = [
        d
        for d in dates
        if sent[0] <= d.start
        and d.end <= sent[1]
        and (
            d is entry
            or not (d.start - sent[0] < 50 and (_DATELINE_DATE.match(text, d.end) or _DATELINE_ZH.match(text, d.end)))
        )
        and not (_ALIAS_BEFORE.search(text, max(0, d.start - 6), d.start) and _ALIAS_AFTER.match(text, d.end))
    ]
    if not in_sent:
        return None, None
    lead = _leading_date(trig, sent, in_sent, active, text)
    sub_end = _subordinate_end(text, sent, zh, rules)
    if sub_end < trig.start:
        # "While China has banned crypto since 2021, the latest warning …": the dates of a leading
        # subordinate clause are its own, not the main clause's
        in_sent = [d for d in in_sent if d.start >= sub_end]
        if lead is not None and lead.start < sub_end:
            lead = None
    if (
        lead is not None
        and not zh
        and rules.pattern("timed_clause").search(text, max(sent[0], clause[0] - 40), clause[0])
    ):
        lead = None  # ", two days after Beijing banned them": dated from the main clause, not by its date
    if zh:
        chosen = _chosen_zh(trig, clause, in_sent, active, text, rules)
    else:
        chosen = _chosen_en(trig, clause, in_sent, active, text, lead, rules)
    if chosen is None and entry is not None and entry.end <= trig.start:
        chosen = entry  # "- June 1, 2023 – the regime takes effect": a timeline entry's date
    extra = (
        lead
        if (
            lead is not None
            and chosen is not None
            and chosen is not lead
            and chosen.qualifier == "since"
            and not trig.scheduled  # 1月10日发布…，自2月15日起施行: the commencement date, no restated state
            and trig.start > lead.end
        )
        else None
    )
    return chosen, extra


def _leading_date(
    trig: Trigger, sent: tuple[int, int], in_sent: list[DateExpr], active: list[Trigger], text: str
) -> DateExpr | None:
    """The sentence's first date when it heads the sentence before a comma ("In February, the
    SFC …") and no other trigger comes first."""
    first = in_sent[0]
    head = text[sent[0] : first.start]
    if first.start - sent[0] < _LEADING_MAX and (
        "," in text[first.end : first.end + _LEADING_MAX] or "，" in text[first.end : first.end + 40]
    ):
        comma = min(
            [i for i in (text.find(",", first.end, sent[1]), text.find("，", first.end, sent[1])) if i >= 0], default=-1
        )
        if comma >= 0 and not _blocked(sent[0], comma, active, trig) and "," not in head and "，" not in head:
            return first
    return None


def _chosen_zh(
    trig: Trigger, clause: tuple[int, int], in_sent: list[DateExpr], active: list[Trigger], text: str, rules: Rules
) -> DateExpr | None:
    """Chinese stacks manner phrases between date and verb (上月已通过窗口指导方式，要求…暂停):
    a trigger in between does not own the date unless it has none of its own."""
    before = [
        d
        for d in in_sent
        if d.end <= trig.start and not rules.pattern("zh_attributive_date").match(text, d.end, trig.start)
    ]
    inside = [d for d in in_sent if d.start < trig.end and d.end > trig.start]
    if inside:
        return inside[0]
    if before:
        return before[-1]
    after = [d for d in in_sent if clause[0] <= d.start < clause[1] and d.start >= trig.end]
    after = [d for d in after if not _blocked(trig.end, d.start, active, trig)]
    return after[0] if after else None


def _chosen_en(
    trig: Trigger,
    clause: tuple[int, int],
    in_sent: list[DateExpr],
    active: list[Trigger],
    text: str,
    lead: DateExpr | None,
    rules: Rules,
) -> DateExpr | None:
    """English: a date inside the trigger, one right before it, the first after it in the
    clause, the last before it, else the sentence's leading date."""
    in_clause = [d for d in in_sent if clause[0] <= d.start and d.end <= clause[1]]
    after = [
        d
        for d in in_clause
        if d.start >= trig.end
        and not _blocked(trig.end, d.start, active, trig)
        and not rules.pattern("reported").search(text, max(trig.end, d.start - 45), d.start)
        and not rules.pattern("complement").search(text, trig.end, d.start)
    ]
    before = [d for d in in_clause if d.end <= trig.start and not _blocked(d.end, trig.start, active, trig)]
    inside = [d for d in in_clause if d.start < trig.end and d.end > trig.start]
    # "LegCo on Wednesday passed the bill, …which will begin on June 1": a date right
    # before the verb is its own; a later one far off belongs to another verb.
    adjacent = [d for d in before if rules.pattern("adjacent").match(text[d.end : trig.start])]
    if inside:
        return inside[0]
    if adjacent and (not after or after[0].start - trig.end > 30):
        return adjacent[-1]
    if after:
        return after[0]
    if before:
        return before[-1]
    # "issued a joint notice, dated Friday, ordering mines to shut": the date of the notice
    # whose content the verb states, just across the comma
    prior = [d for d in in_sent if d.end <= trig.start and _JUST_COMMA.fullmatch(text, d.end, trig.start)]
    return prior[-1] if prior else lead


def date_fields(
    d: DateExpr | None, text: str, zh: bool, rules: Rules
) -> tuple[str | None, str | None, str | None, str | None]:
    """(value, precision, qualifier, date_text), with the preposition kept in date_text."""
    if d is None:
        return None, None, None, None
    qualifier = d.qualifier
    date_text = d.text
    if not zh:
        m = rules.pattern("date_preposition").search(text, max(0, d.start - 20), d.start)
        if m:
            date_text = text[m.start() : d.end]
            if qualifier is None:
                qualifier = rules.tables["qualifier"].get(m.group(1).lower())
    return d.value, d.precision, qualifier, date_text


def _sequel_word(text: str, chosen: DateExpr | None, t: Trigger, rules: Rules) -> str | None:
    """The sequel word ("later", 其後) between the date before a verb and the verb: the verb
    states a later step than the dated one ("passed in May and later gazetted"). The caller
    asks only when another step precedes in the sentence: "on the 18th … searched offices and
    subsequently arrested" dates the arrests."""
    if chosen is None or chosen.end > t.start:
        return None
    m = rules.lexicon("sequel").search(text, chosen.end, t.start)
    return m.group(0).lstrip("，,；; ") if m else None


def _earlier_deadline(
    text: str, chosen: DateExpr | None, t: Trigger, dates: list[DateExpr], trigs: list[Trigger], rules: Rules
) -> DateExpr | None:
    """A first deadline of the same applicants before the filing deadline ("should contact it
    by 31 August and apply by 30 September", 應於8月31日前聯絡，並於9月30日前遞交申請): two
    planned steps, two events."""
    if chosen is None or chosen.qualifier != "by":
        return None
    earlier = [d for d in dates if d.end <= min(chosen.start, t.start) and d.qualifier == "by"]
    if not earlier or any(o is not t and earlier[-1].end <= o.start < t.start for o in trigs):
        return None
    d = earlier[-1]
    return d if rules.pattern("deadline_lead").search(text, max(0, d.start - 80), d.start) else None


def _gapped_date(
    text: str, chosen: DateExpr | None, t: Trigger, dates: list[DateExpr], trigs: list[Trigger], rules: Rules
) -> DateExpr | None:
    """The date of a second, gapped step of the same verb ("banned mining in 2021 and crypto
    trading in 2017"): two steps, two events."""
    if chosen is None or chosen.start < t.end:
        return None
    nxt = next((d for d in dates if d.start >= chosen.end), None)
    if nxt is None or any(chosen.end <= o.start < nxt.start for o in trigs):
        return None
    return nxt if rules.pattern("gapped_verb").fullmatch(text, chosen.end, nxt.start) else None


def _meeting_date(
    text: str, prev: tuple[int, int, int], dates: list[DateExpr], date_starts: list[int], rules: Rules
) -> DateExpr | None:
    """The date of the meeting the previous sentence reports (11月28日，…召开…会议), which a
    sentence opening with 会议指出 / "The meeting said" goes on to describe."""
    ps, pe, _ = prev
    if not rules.pattern("meeting").search(text, ps, pe):
        return None
    found = dates[bisect.bisect_left(date_starts, ps) : bisect.bisect_right(date_starts, pe)]
    return found[0] if found else None


_ATTRIBUTIVE = re.compile(r"(?:'s)?\s*(?:[\w-]+\s+){0,2}?$")


_ATTRIBUTIVE_ZH = re.compile(r"的[^，。；]{0,6}$")


def is_reference(text: str, d: DateExpr, t: Trigger, zh: bool, rules: Rules) -> bool:
    """A date used attributively before the trigger ("the 2021 ban", 2021年的禁令): a reference
    to an event told elsewhere (tracker.extract.dedupe folds it into that event)."""
    if d.end > t.start:
        return False
    if zh:
        return _ATTRIBUTIVE_ZH.match(text, d.end, t.start) is not None
    return bool(
        rules.pattern("determiner").search(text, max(0, d.start - 12), d.start)
        and _ATTRIBUTIVE.match(text, d.end, t.start)
    )


def _report_date(
    text: str, t: Trigger, dates: list[DateExpr], active: list[Trigger], rules: Rules
) -> DateExpr | None:
    """The date of a report that closes the sentence stating a step with no date of its own
    ("Qinghai has announced a ban on mining, a government document said Wednesday"): the step
    was made public then. Only for a plain step (not planned, hedged or negated: a report
    dates no step still to come), only when no other step stands between them, and never
    for unnamed sources ("two people said on Monday": the step came at some earlier time)."""
    for d in dates:
        lo = max(t.end, d.start - 45)
        if (
            d.start >= t.end
            and not _blocked(t.end, d.start, active, t)
            and rules.pattern("reported").search(text, lo, d.start)
            and not rules.pattern("anonymous_source").search(text, lo, d.start)
        ):
            return d
    return None


def attach_date(doc: Document, sent: Sentence, f: Frame) -> Frame | None:
    """The date of the trigger (``choose_date``), else the date of the meeting the previous
    sentence reports; none for a sequel; and a second date the statement carries."""
    t, text = f.trigger, doc.text
    rules = doc.rules
    chosen, extra = choose_date(t, (sent.start, sent.end), f.clause, sent.dates, sent.owners, text, doc.zh, rules)
    if chosen is None and sent.index > 0 and rules.pattern("meeting_back").match(text, sent.start):
        chosen = _meeting_date(text, doc.sentences[sent.index - 1], doc.dates, doc.date_starts, rules)
    if chosen is None and not doc.zh and f.state is None:
        chosen = _report_date(text, t, sent.dates, sent.owners, rules)
    if chosen is None and not sent.dates:
        chosen = _list_heading_date(doc, sent)
    earlier_step = any(o.start < t.start for o in sent.triggers if o is not t)
    sequel = _sequel_word(text, chosen, t, rules) if earlier_step else None
    if sequel is not None:
        chosen, extra = None, None
    if t.type == "license_application" and extra is None:
        extra = _earlier_deadline(text, chosen, t, sent.dates, sent.triggers, rules)
    if extra is None and not doc.zh:
        extra = _gapped_date(text, chosen, t, sent.dates, sent.triggers, rules)
    f.date, f.extra, f.sequel = chosen, extra, sequel
    return f
