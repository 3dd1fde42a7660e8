"""Negation and modality: the cue state of a trigger's clause (negated, hedged, demanded,
planned, scheduled, announced, closing), which decides the event's status and confidence.
"""

from __future__ import annotations

import re

from tracker.extract.clauses import clause_of
from tracker.extract.frame import Frame
from tracker.extract.model import Document, Sentence, Trigger
from tracker.rules import Rules

__all__ = ["cue_state", "inherit_modal", "sentence_states", "state_after_date", "state_before_date"]

_TOKEN = re.compile(r"\S+")

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
    end = clause_end if clause_end is not None else len(text)
    inner = text[trig.start : trig.end]
    toks: list[str] = []
    if zh:
        window = text[max(clause_start, trig.start - _ZH_WINDOW) : trig.start]
    else:
        toks = _TOKEN.findall(_PARENTHETICAL.sub(" ", text[clause_start : trig.start]))
        window = " ".join(toks[-_EN_WINDOW:])
    return (
        (_inside_zh(text, clause_start, inner) if zh else _inside_en(text, trig, inner, end))
        or _context_state(text, trig, rules, zh, window, end)
        or _demand_state(text, clause_start, trig, rules, zh, window, toks)
        or _plan_state(text, clause_start, trig, rules, zh, window)
    )


def _inside_zh(text: str, clause_start: int, inner: str) -> str | None:
    """An expectation heading the clause before, or a negation inside the trigger's gap."""
    if _ZH_EXPECT_LEAD.search(text, max(0, clause_start - 12), clause_start):
        return "hedged"  # 业内人士预计，…推出: the expectation scopes over the next clause
    if _NEG_INSIDE_ZH.search(inner[1:]):
        return "negated"
    return None


def _inside_en(text: str, trig: Trigger, inner: str, end: int) -> str | None:
    """A negation or a modal inside the trigger ("was not licensed", "will be granted"), or a
    plan stated after its subject."""
    if _NEG_INSIDE_EN.search(inner):
        return "negated"
    modal = _MODAL_INSIDE_EN.search(inner)
    if not trig.scheduled and modal:
        # "licences will be granted" is a plan; "could be banned" speculation
        return "planned" if modal.group(0).split()[0].lower() in ("will", "would") else "hedged"
    if _POST_PLAN.match(text, trig.end, end):
        return "planned"  # "the first batch of approved issuers is expected in the first quarter"
    return None


def _context_state(text: str, trig: Trigger, rules: Rules, zh: bool, window: str, end: int) -> str | None:
    """An invitation, an unconfirmed report, a negation or a reversal around the trigger."""
    if trig.type == "license_application" and _INVITATION.search(window):
        return "hedged"  # "the SFC welcomes applications from…", 歡迎…提交申請: an invitation, no filing
    tail = text[trig.end : trig.end + 160]
    if _UNCONFIRMED.search(re.split(r"[。！？]|(?<=[.!?])\s", tail, maxsplit=1)[0]):
        return "hedged"
    if rules.negation.search(window):
        return "negated"
    after = text[trig.end : min(end, trig.end + 60)]
    if rules.reversal.search(window[-30:] + ("" if zh else " ")) or rules.reversed_after.match(after):
        return "negated"
    return None


def _lead(text: str, clause_start: int, trig: Trigger, zh: bool) -> str:
    """A few characters of left context, so that a lookbehind in a cue (立法建議 is a noun)
    sees what precedes the window; a cue starting there does not count."""
    if not zh:
        return ""
    return text[max(clause_start, trig.start - _ZH_WINDOW - 3) : max(clause_start, trig.start - _ZH_WINDOW)]


def _demand_state(
    text: str, clause_start: int, trig: Trigger, rules: Rules, zh: bool, window: str, toks: list[str]
) -> str | None:
    """A demand, an announced restrictive policy, a deadline or a hedge in the window."""
    lead = _lead(text, clause_start, trig, zh)
    window_and_trigger = window + " " + text[trig.start : trig.end]
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
    return None


def _plan_state(text: str, clause_start: int, trig: Trigger, rules: Rules, zh: bool, window: str) -> str | None:
    """An intention or a schedule; a forecaster's plan is a prediction, hedged."""
    # an intention verb scopes over its whole complement (计划于今年下半年发布…指引): in
    # Chinese the plan window reaches further back than the hedge window
    # (a few characters of left context again, so that the window's edge does not cut 委員會 to 會)
    plan_lead, plan_window = (
        ("", window)
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


_COORDINATED = re.compile(r"[^,;.]{0,100}?\band\s+(?:\w+ly\s+)?(?:also\s+)?$", re.IGNORECASE)


def inherit_modal(
    text: str, trigs: list[Trigger], states: dict[int, str | None], clause_list: list[tuple[int, int]]
) -> None:
    """A modal scopes over a coordinated verb phrase: in "will publish guidelines and consult
    the public", the consultation is planned too. Only a bare "and" + verb, so a new subject
    ("and the HKMA licensed …") keeps its own state."""
    for prev, t in zip(trigs, trigs[1:], strict=False):
        if (
            states[id(t)] is None
            and states[id(prev)] in ("planned", "scheduled")
            and clause_of(clause_list, prev.start) == clause_of(clause_list, t.start)
            and _COORDINATED.match(text, prev.end, t.start)
        ):
            states[id(t)] = "planned"


# "the consultation closes / runs until X": the deadline of one already reported, not a new one (optional in
# dev), unless opened in the same breath (_OPENED); a past "ended/closed on X" reports the conclusion and stays.
_OPENED = re.compile(r"\b(?:open|launch|start)(?:s|ed|ing)?\s+(?:a|an|the|its)?\s*(?:\S+\s+){0,2}?$", re.IGNORECASE)

_CLOSING_EN = re.compile(
    r"(?:\s+(?:on|for|about|into|regarding|over)\s+[^,.;]{1,60}?)?"
    r"\s*(?:(?:period|paper|exercise|process)\s+)?(?:(?:which|that)\s+)?"
    r"(?:closes|ends|expires|runs\s+(?:until|till|to|through)|lasts\s+until|"
    r"(?:will|is set to|is due to|shall)\s+(?:close|end|expire|run\s+(?:until|till|to|through))|"
    r"(?:is|remains|will remain|will be)\s+open\s+(?:until|till))\b",
    re.IGNORECASE,
)

_INSERTION = re.compile(r"^,[^,;.]{1,120},")

_CLOSING_ZH = re.compile(r"[期]?[^，。；]{0,14}(?:截止|为止|為止)")

_CLOSING_BEFORE = re.compile(
    r"(?:\b(?:deadline|closing date)\s+(?:of|for)\s+(?:the\s+)?(?:\S+\s+)?|截止)$", re.IGNORECASE
)


def closing(text: str, t: Trigger, clause: tuple[int, int], zh: bool) -> bool:
    """Whether a consultation mention only states its closing date."""
    after = text[t.end : clause[1]]
    if not zh:
        after = _INSERTION.sub("", after, count=1)  # "The consultation, run by the SFC, will end on …"
    if (_CLOSING_ZH if zh else _CLOSING_EN).match(after):
        return not _OPENED.search(text, max(clause[0], t.start - 40), t.start)  # "opening a period that runs until"
    return bool(_CLOSING_BEFORE.search(text, max(clause[0], t.start - 40), t.start))


# A tally of licences or applications ("only two platforms were licensed", "so far received
# 40 applications", 至今共收到約40份申請) describes a state, not a grant or a filing.
COUNTED = {"license_grant", "license_application"}

STATIVE = re.compile(
    r"\bonly\s+(?:a handful of|a few|\d+|one|two|three|four|five|six|seven|eight|nine|ten)\b|\bso far\b|\bto date\b|"
    r"至今|迄今|累计|累計|合共|共有|僅有|仅有|只有"
)

# the modal of a deadline governing the date after it ("should contact it by", 應於…前)
DEADLINE_LEAD = re.compile(
    r"(?:\b(?:should|must|shall|need to|are required to|have to)\b|[须須应應](?:当|當)?(?:于|於|在))"
    r"[^,.;，。；]{0,60}$",
    re.IGNORECASE,
)


def sentence_states(
    text: str, trigs: list[Trigger], clause_list: list[tuple[int, int]], rules: Rules, zh: bool
) -> dict[int, str | None]:
    """id(trigger) → cue state of every live trigger of a sentence; in English a modal scopes
    over a coordinated verb ("will publish … and consult")."""
    states: dict[int, str | None] = {}
    for t in trigs:
        c0, c1 = clause_of(clause_list, t.start)
        states[id(t)] = cue_state(text, c0, t, rules, zh, c1)
    if not zh:
        inherit_modal(text, trigs, states, clause_list)
    return states


def state_before_date(doc: Document, sent: Sentence, f: Frame) -> Frame | None:
    """A consultation that only closes; a tally of licences or applications (a state)."""
    t = f.trigger
    if t.type == "consultation" and f.state is None and closing(doc.text, t, f.clause, doc.zh):
        f.state = "closing"
    if f.state is None and t.type in COUNTED and STATIVE.search(doc.text, max(sent.start, t.start - 60), t.start):
        f.state = "hedged"  # "only two platforms were licensed", 至今共收到40份申請: a tally
    return f


def state_after_date(doc: Document, sent: Sentence, f: Frame) -> Frame | None:
    """States that depend on the attached date: a filing deadline under a modal is planned;
    an announced policy is an event dated by the statement."""
    t = f.trigger
    if t.type == "license_application" and f.state is None and f.date is not None and f.date.qualifier == "by":
        if DEADLINE_LEAD.search(doc.text, max(sent.start, t.start - 120), t.start):
            f.state = "planned"  # "firms must signal interest by 31 August and submit applications by …"
    if f.state == "announced":
        f.state = None
        said = [d for d in sent.dates if sent.start <= d.start and d.end <= t.start and d.start >= t.start - 60]
        if said:
            f.date, f.extra = said[-1], None  # "said in March it would shut down … by April"
    return f
