"""Event-frame helpers for tracker.events: clauses, cues, and which date and subject belong
to a trigger (which place, in tracker.places).

Kept apart from events.py so that each file stays about one thing: events.py runs the
pipeline over a document; this module holds the attachment heuristics, which are what one
tunes when a real page is misread.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tracker.dates import DateExpr
from tracker.rules import Rules

__all__ = [
    "Name",
    "Trigger",
    "choose_date",
    "clauses",
    "cue_state",
    "quote_spans",
    "subject_of",
]

# Clause boundaries: a date or a place on the far side of one usually belongs to another verb.
_CLAUSE_EN = re.compile(
    r",\s+(?:and|but|or|while|whereas|although|though|because|as|after which|before which|following|after|"
    r"(?:a|one|two|three|four|five|six|several|\d+)\s+(?:days?|weeks?|months?|years?|hours?)\s+(?:after|before)|"
    r"days\s+after|weeks\s+after|months\s+after|"
    r"in the wake of|on the heels of)\s+|;\s*|:\s+|\s+[—–]\s+|"
    # a participle clause (", abruptly ending a craze that …", ", saying it would …") has its own verb
    r",\s+(?=(?:\w+ly\s+)?(?!(?:including|according|excluding|concerning|regarding|during|following|pending|notwithstanding)\b)[a-z]\w+ing\s)"
)
_CLAUSE_ZH = re.compile(r"[，；：,;]")
_TIMED_CLAUSE = re.compile(
    r",\s+(?:(?:a|one|two|three|four|five|six|several|\d+)\s+(?:days?|weeks?|months?|years?|hours?)|days|weeks|months)"
    r"\s+(?:after|before)\s+$",
    re.IGNORECASE,
)
_TOKEN = re.compile(r"\S+")
# 按照2021年…联合发布的《通知》要求，坚决打击…: a date inside a modifier of a document (…发布的《…》)
# dates that document, not a verb after it
_ZH_ATTRIBUTIVE_DATE = re.compile(r"[^，。；]{0,30}?(?:发布|發布|印发|印發|公布|公佈|出台|颁布|頒布)的\s*《")
_SUBORDINATE_LEAD = re.compile(
    r"\s*(?:while|although|though|whereas|as|since|because|despite|even as|even though|if|once|unless|when|"
    r"after|before)\b",
    re.IGNORECASE,
)
_SCHEDULE_MODALS = {"will", "shall", "将", "將"}
_DEADLINE_MODALS = {"must", "should", "须", "須", "应", "應"}
# who predicts rather than decides: their "expect" is no authority's plan
_FORECASTER = re.compile(
    r"\b(?:analysts?|economists?|observers?|traders?|investors?|the market|markets|market participants|"
    r"industry (?:insiders?|participants|executives|watchers)|commentators?|experts?)\b|"
    r"业内人士|業內人士|业界|業界|市场人士|市場人士|分析师|分析師|投资者|投資者|专家|專家|"
    r"市[场場](?![监監])[^，。]{0,4}?(?:预期|預期|预计|預計|估计|估計|相信)",
    re.IGNORECASE,
)
_LEADING_MAX = 90
# "SHANGHAI, Sept 24 (Reuters) - …": the dateline dates the report, never the event.
_DATELINE_DATE = re.compile(r"\s*(?:[(（][^)）]{0,30}[)）]\s*)?(?:[-–—]\s|[-–—]$)")
_ADJACENT = re.compile(r"\s*[)）]?\s*(?:\w+ly\s+)?(?:(?:has|have|had|was|were)\s+)?(?:\w+ly\s+)?$")
# A date right after a reporting verb that follows the event ("…, Reuters reported on
# Wednesday", "…, a spokesman said on Monday") dates the report, not the event. A reporting
# verb before the event ("X said on Monday that…") is left alone: the dev annotation dates
# such restatements by the report when the event has no date of its own.
_REPORTED = re.compile(
    r"\b(?:said|says|reported|reports|told\s+(?:\S+\s+){0,2}?|announced|confirmed|stated|added|wrote|noted|according to\s+(?:\S+\s+){0,4}?)"  # noqa: E501
    r"(?:\s*(?:on|in|at|late|early|last|this)\b)?\s*$",
    re.IGNORECASE,
)


# "reminds the public that the period will end on 1 June": a date inside a that-clause with
# its own finite verb belongs to that verb, not to the verb reporting it
_COMPLEMENT = re.compile(
    r"\bthat\s+(?:[^,;]*?\s)?(?:will|would|shall|is|are|was|were|has|have|had|must|can|could|may)\s",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Trigger:
    """A trigger match: where it is, which type it signals, and how strong it is."""

    start: int
    end: int
    type: str
    weak: bool
    scheduled: bool


@dataclass(frozen=True, slots=True)
class Name:
    """A gazetteer hit: a place or an authority with its jurisdiction code."""

    start: int
    end: int
    text: str
    code: str
    kind: str


def clauses(text: str, start: int, end: int, zh: bool) -> list[tuple[int, int]]:
    """Clause offsets of the sentence ``text[start:end]``."""
    pattern = _CLAUSE_ZH if zh else _CLAUSE_EN
    out = []
    pos = start
    for m in pattern.finditer(text, start, end):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, end))
    return out


def clause_of(clause_list: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    for s, e in clause_list:
        if s <= pos < e:
            return s, e
    return clause_list[-1]


def quote_spans(text: str, start: int, end: int, min_chars: int) -> list[tuple[int, int]]:
    """Long quotations (reported speech): a trigger inside one is somebody's opinion."""
    out = []
    for m in re.finditer(r"“[^”]*”|\"[^\"]*\"|「[^」]{" + str(min_chars) + ",}」", text[start:end]):
        if m.end() - m.start() >= min_chars:
            out.append((start + m.start(), start + m.end()))
    return out


_PARENTHETICAL = re.compile(r",[^,]{1,80},")
_NEG_INSIDE_EN = re.compile(r"\b(?:not|never|no longer)\b|n't\b", re.IGNORECASE)
_NEG_INSIDE_ZH = re.compile(r"未|不|没有|沒有|并无|並無|尚无|尚無")
_MODAL_INSIDE_EN = re.compile(r"\b(?:will|would|could|might|may|should|to)\s+be\b", re.IGNORECASE)
_ZH_WINDOW = 12
# a plan stated after its subject ("the first licensed issuers are expected in March")
_POST_PLAN = re.compile(
    r"(?:\s+[^\s,;.]+){0,4}?\s+(?:is|are)\s+(?:now\s+|still\s+)?(?:expected|due|scheduled|slated)\b(?!\s+to\s+(?:have|be\s+made))",
    re.IGNORECASE,
)
_ZH_EXPECT_LEAD = re.compile(r"(?:预计|預計|预期|預期|估计|估計|料|猜测|猜測|相信|预料|預料|不排除)[，,]\s*$")
_EN_WINDOW = 6
# a report the sentence itself calls unconfirmed ("…, but the report has not been confirmed", 消息未獲證實)
_UNCONFIRMED = re.compile(
    r"未(?:獲|获|經|经|得到|有)?(?:證實|证实|核實|核实)|\b(?:unconfirmed|unverified)\b|"
    r"\b(?:has|have|had|could|can)\s+not\s+(?:yet\s+)?(?:been\s+|be\s+)?(?:independently\s+)?(?:confirmed|verified)\b",
    re.IGNORECASE,
)
# An authority announcing a restrictive measure ("said on Friday it would crack down on
# mining", "vowed to ban") states a policy: the dev annotation and both audits count it.
_ANNOUNCEABLE = {"ban", "enforcement", "guidance"}
_ANNOUNCED = re.compile(
    r"\b(?:said|says|announced|declared|stated|pledged|promised|warned)\b(?:\s+(?:on|in|last|this)\s+[\w.]+(?:,?\s+\d+){0,2},?)?"
    r"\s+(?:that\s+)?(?:it|they)\s+would(?:\s+\w+ly)?(?:\s+(?:continue|keep\s+up|step\s+up\s+efforts)(?:\s+to)?)?"
    r"(?:\s+(?:publish|issue|release)\s+(?:a|an|the|its)?)?\s*$",
    re.IGNORECASE,
)


# A regulator inviting applications ("welcomes applications", 歡迎合資格的平台提交申請) states
# no firm's filing.
_INVITATION = re.compile(
    r"\b(?:welcom(?:e|es|ed|ing)|invit(?:e|es|ed|ing)|encourag(?:e|es|ed|ing))\b|歡迎|欢迎|鼓勵|鼓励|邀請|邀请",
    re.IGNORECASE,
)


def cue_state(
    text: str, clause_start: int, trig: Trigger, rules: Rules, zh: bool, clause_end: int | None = None
) -> str | None:
    """'negated', 'demanded', 'hedged', 'planned' (an intention or schedule: an event with
    status planned), 'announced' (a restrictive policy an authority said it would carry out: an
    event, dated by the statement) or None, from the clause around the trigger.

    Speculation, conditions and wishes (rules' hedge cues) outrank a plan cue: "could be
    banned if" is no plan. A plan whose subject is a forecaster (analysts, the market) is a
    prediction, hedged. An application "must"/"should" be filed by a date: a deadline, planned.

    The window before the trigger is short (six words, twelve characters of Chinese, both
    inside the clause) so that a modal in an earlier part of the clause does not hedge a
    later, factual verb; comma-delimited insertions are skipped, so "is expected, according
    to people familiar with the matter, to ban" is still hedged. A negation inside the
    trigger's own gap ("was not licensed", "獲…未批准") negates it. A reversal ("lifted its
    ban", "the ban was repealed", 解除禁令) states the end of the event, not the event.
    """
    inner = text[trig.start : trig.end]
    if zh:
        window = text[max(clause_start, trig.start - _ZH_WINDOW) : trig.start]
        if _ZH_EXPECT_LEAD.search(text, max(0, clause_start - 12), clause_start):
            return "hedged"  # 业内人士预计，…推出: the expectation scopes over the next clause
        if _NEG_INSIDE_ZH.search(inner[1:]):
            return "negated"
    else:
        before = _PARENTHETICAL.sub(" ", text[clause_start : trig.start])
        toks = _TOKEN.findall(before)
        window = " ".join(toks[-_EN_WINDOW:])
        if _NEG_INSIDE_EN.search(inner):
            return "negated"
        modal = _MODAL_INSIDE_EN.search(inner)
        if not trig.scheduled and modal:
            # "licences will be granted" is a plan; "could be banned" speculation
            return "planned" if modal.group(0).split()[0].lower() in ("will", "would") else "hedged"
        if _POST_PLAN.match(text, trig.end, clause_end if clause_end is not None else len(text)):
            return "planned"  # "the first batch of approved issuers is expected in the first quarter"
    if trig.type == "license_application" and _INVITATION.search(window):
        return "hedged"  # "the SFC welcomes applications from…", 歡迎…提交申請: an invitation, no filing
    window_and_trigger = window + " " + inner
    tail = text[trig.end : trig.end + 160]
    if _UNCONFIRMED.search(re.split(r"[。！？]|(?<=[.!?])\s", tail, maxsplit=1)[0]):
        return "hedged"
    if rules.negation.search(window):
        return "negated"
    after = text[trig.end : min(clause_end if clause_end is not None else len(text), trig.end + 60)]
    if rules.reversal.search(window[-30:] + ("" if zh else " ")) or rules.reversed_after.match(after):
        return "negated"
    # a few characters of left context, so that a lookbehind in a cue (立法建議 is a noun)
    # sees what precedes the window; a cue starting there does not count
    lead = (
        ""
        if not zh
        else text[max(clause_start, trig.start - _ZH_WINDOW - 3) : max(clause_start, trig.start - _ZH_WINDOW)]
    )
    if any(m.start() >= len(lead) for m in rules.demand.finditer(lead + window_and_trigger)):
        return "demanded"
    if not zh and trig.type in _ANNOUNCEABLE and _ANNOUNCED.search(" ".join(toks[-_EN_WINDOW - 8 :])):
        return "announced"  # "X said on Friday it would crack down": a policy announced, dated by the statement
    lead_window = lead + window
    # a cue cut by the window's edge (證監會 → 會) is seen with its lookbehind
    hedges = [m.group(0).lower() for m in rules.hedge.finditer(lead_window) if m.start() >= len(lead)]
    if hedges and trig.type == "license_application" and _DEADLINE_MODALS.intersection(hedges):
        return "planned"  # "must apply by 29 February", "firms wishing to be considered should apply by": a deadline
    if hedges:
        return "hedged"
    # an intention verb scopes over its whole complement (计划于今年下半年发布…指引): in
    # Chinese the plan window reaches further back than the hedge window
    # (a few characters of left context again, so that the window's edge does not cut 委員會 to 會)
    plan_lead, plan_window = (
        (lead, window)
        if not zh
        else (
            text[max(clause_start, trig.start - 27) : max(clause_start, trig.start - 24)],
            text[max(clause_start, trig.start - 24) : trig.start],
        )
    )
    for m in rules.plan.finditer(plan_lead + plan_window):
        if m.start() < len(plan_lead):
            continue
        if _FORECASTER.search(text, max(clause_start, trig.start - 80), trig.start):
            return "hedged"  # "analysts expect the first licences…": a prediction, no step
        if trig.scheduled and m.group(0).lower() in _SCHEDULE_MODALS:
            return "scheduled"  # "will take effect on 1 August": a schedule; planned unless its date has passed
        return "planned"
    return None


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


def _subordinate_end(text: str, sent: tuple[int, int], zh: bool) -> int:
    """The comma closing a leading subordinate clause ("While …, the …"), or the sentence end."""
    if zh or not _SUBORDINATE_LEAD.match(text, sent[0]):
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
        and (d is entry or not (d.start - sent[0] < 50 and _DATELINE_DATE.match(text, d.end)))
    ]
    if not in_sent:
        return None, None
    lead = None
    first = in_sent[0]
    head = text[sent[0] : first.start]
    if first.start - sent[0] < _LEADING_MAX and (
        "," in text[first.end : first.end + _LEADING_MAX] or "，" in text[first.end : first.end + 40]
    ):
        comma = min(
            [i for i in (text.find(",", first.end, sent[1]), text.find("，", first.end, sent[1])) if i >= 0], default=-1
        )
        if comma >= 0 and not _blocked(sent[0], comma, active, trig) and "," not in head and "，" not in head:
            lead = first
    sub_end = _subordinate_end(text, sent, zh)
    if sub_end < trig.start:
        # "While China has banned crypto since 2021, the latest warning …": the dates of a leading
        # subordinate clause are its own, not the main clause's
        in_sent = [d for d in in_sent if d.start >= sub_end]
        if lead is not None and lead.start < sub_end:
            lead = None
    if lead is not None and not zh and _TIMED_CLAUSE.search(text, max(sent[0], clause[0] - 40), clause[0]):
        lead = None  # ", two days after Beijing banned them": dated from the main clause, not by its date
    chosen: DateExpr | None = None
    if zh:
        # Chinese stacks manner phrases between date and verb (上月已通过窗口指导方式，要求…暂停):
        # a trigger in between does not own the date unless it has none of its own.
        before = [d for d in in_sent if d.end <= trig.start and not _ZH_ATTRIBUTIVE_DATE.match(text, d.end, trig.start)]
        inside = [d for d in in_sent if d.start < trig.end and d.end > trig.start]
        if inside:
            chosen = inside[0]
        elif before:
            chosen = before[-1]
        else:
            after = [d for d in in_sent if clause[0] <= d.start < clause[1] and d.start >= trig.end]
            after = [d for d in after if not _blocked(trig.end, d.start, active, trig)]
            chosen = after[0] if after else None
    else:
        in_clause = [d for d in in_sent if clause[0] <= d.start and d.end <= clause[1]]
        after = [
            d
            for d in in_clause
            if d.start >= trig.end
            and not _blocked(trig.end, d.start, active, trig)
            and not _REPORTED.search(text, max(trig.end, d.start - 45), d.start)
            and not _COMPLEMENT.search(text, trig.end, d.start)
        ]
        before = [d for d in in_clause if d.end <= trig.start and not _blocked(d.end, trig.start, active, trig)]
        inside = [d for d in in_clause if d.start < trig.end and d.end > trig.start]
        # "LegCo on Wednesday passed the bill, …which will begin on June 1": a date right
        # before the verb is its own; a later one far off belongs to another verb.
        adjacent = [d for d in before if _ADJACENT.match(text[d.end : trig.start])]
        if inside:
            chosen = inside[0]
        elif adjacent and (not after or after[0].start - trig.end > 30):
            chosen = adjacent[-1]
        elif after:
            chosen = after[0]
        elif before:
            chosen = before[-1]
        elif lead is not None:
            chosen = lead
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


def subject_index(text: str, lo: int, hi: int, rules: Rules) -> list[tuple[int, str]]:
    """(start, subject) of every subject term in ``text[lo:hi]`` (a sentence), in text order:
    found once per sentence, not once per trigger."""
    found = [(m.start(), name) for name, pat in rules.subjects for m in pat.finditer(text, lo, hi)]
    found.sort()
    return found


def subject_of(
    text: str,
    trig: Trigger,
    clause: tuple[int, int],
    sent: tuple[int, int],
    rules: Rules,
    index: list[tuple[int, str]] | None = None,
) -> str | None:
    """What the event is about (stablecoin, mining, ico…): the subject term nearest the trigger,
    in its clause first, then in its sentence. ``index`` is ``subject_index`` of the sentence."""
    if index is None:
        index = subject_index(text, sent[0], sent[1], rules)
    order = {name: i for i, (name, _) in enumerate(rules.subjects)}
    for lo, hi in (clause, sent):
        best, best_d = None, 1e9
        for start, name in index:
            if lo <= start < hi:
                d = abs(start - trig.start)
                if d < best_d or (d == best_d and best is not None and order[name] < order[best]):
                    best, best_d = name, d
        if best is not None:
            return best
    return None
