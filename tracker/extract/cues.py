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

_PARENTHETICAL = re.compile(r",[^,]{1,80},")


_ZH_WINDOW = 12
_EN_WINDOW = 6


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
        (_inside_zh(text, clause_start, inner, rules) if zh else _inside_en(text, trig, inner, end, rules))
        or _context_state(text, trig, rules, zh, window, end)
        or _demand_state(text, clause_start, trig, rules, zh, window, toks)
        or _plan_state(text, clause_start, trig, rules, zh, window)
    )


def _inside_zh(text: str, clause_start: int, inner: str, rules: Rules) -> str | None:
    """An expectation heading the clause before, or a negation inside the trigger's gap."""
    if rules.pattern("zh_expect_lead").search(text, max(0, clause_start - 12), clause_start):
        return "hedged"  # 业内人士预计，…推出: the expectation scopes over the next clause
    if rules.pattern("neg_inside_zh").search(inner[1:]):
        return "negated"
    return None


def _inside_en(text: str, trig: Trigger, inner: str, end: int, rules: Rules) -> str | None:
    """A negation or a modal inside the trigger ("was not licensed", "will be granted"), or a
    plan stated after its subject."""
    if rules.pattern("neg_inside_en").search(inner):
        return "negated"
    modal = rules.pattern("modal_inside_en").search(inner)
    if not trig.scheduled and modal:
        # "licences will be granted" is a plan; "could be banned" speculation
        return "planned" if modal.group(0).split()[0].lower() in ("will", "would") else "hedged"
    if rules.pattern("post_plan").match(text, trig.end, end):
        return "planned"  # "the first batch of approved issuers is expected in the first quarter"
    return None


def _context_state(text: str, trig: Trigger, rules: Rules, zh: bool, window: str, end: int) -> str | None:
    """An invitation, an unconfirmed report, a negation or a reversal around the trigger."""
    if trig.type == "license_application" and rules.pattern("invitation").search(window):
        return "hedged"  # "the SFC welcomes applications from…", 歡迎…提交申請: an invitation, no filing
    tail = text[trig.end : trig.end + 160]
    if rules.pattern("unconfirmed").search(re.split(r"[。！？]|(?<=[.!?])\s", tail, maxsplit=1)[0]):
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
    if (
        not zh
        and trig.type in rules.type_sets["announceable"]
        and rules.pattern("announced").search(" ".join(toks[-_EN_WINDOW - 8 :]))
    ):
        return "announced"  # "X said on Friday it would crack down": a policy announced, dated by the statement
    lead_window = lead + window
    # a cue cut by the window's edge (證監會 → 會) is seen with its lookbehind
    hedges = [m.group(0).lower() for m in rules.hedge.finditer(lead_window) if m.start() >= len(lead)]
    deadline_type = trig.type in ("license_application", "consultation")
    if hedges and deadline_type and rules.words["deadline_modals"].intersection(hedges):
        return "planned"  # "must apply by 29 February", "comments must be submitted by": a deadline
    if hedges and _reported_plan(text, trig, rules, hedges):
        return "planned"  # "the SFC may approve the ETFs as soon as Friday, people familiar said"
    if hedges:
        return "hedged"
    return None


def _reported_plan(text: str, trig: Trigger, rules: Rules, hedges: list[str]) -> bool:
    """A step an authority "may" take soon, reported by people who know of it: a plan reported
    by unnamed sources, which ANNOTATION.md §3 counts as planned (an analyst's "could" stays
    a prediction)."""
    if not rules.words["reported_modals"].issuperset(hedges):
        return False
    tail = re.split(r"(?<=[.!?。！？])\s", text[trig.end : trig.end + 240], maxsplit=1)[0]
    return rules.pattern("reported_plan").search(tail) is not None


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
        if rules.pattern("forecaster").search(text, max(clause_start, trig.start - 80), trig.start):
            return "hedged"  # "analysts expect the first licences…": a prediction, no step
        if trig.scheduled and m.group(0).lower() in rules.words["schedule_modals"]:
            return "scheduled"  # "will take effect on 1 August": a schedule; planned unless its date has passed
        return "planned"
    if not zh and _coordinated_intention(text, clause_start, trig, rules):
        return "planned"
    return None


def _coordinated_intention(text: str, clause_start: int, trig: Trigger, rules: Rules) -> bool:
    """ "Hong Kong plans to complete the proposals … and submit the rules to LegCo in 2026":
    an intention verb earlier in the clause governs the verb coordinated after "and"."""
    if rules.pattern("past_verb_en").match(text, trig.start):
        return False  # "plans to review its rules and granted two licences": a step taken
    lead = text[max(clause_start, trig.start - 160) : trig.start]
    return rules.pattern("coordinated_intention").search(lead) is not None



def inherit_modal(
    text: str,
    trigs: list[Trigger],
    states: dict[int, str | None],
    clause_list: list[tuple[int, int]],
    rules: Rules,
) -> None:
    """A modal scopes over a coordinated verb phrase: in "will publish guidelines and consult
    the public", the consultation is planned too. Only a bare "and" + verb, so a new subject
    ("and the HKMA licensed …") keeps its own state."""
    for prev, t in zip(trigs, trigs[1:], strict=False):
        if (
            states[id(t)] is None
            and states[id(prev)] in ("planned", "scheduled")
            and clause_of(clause_list, prev.start) == clause_of(clause_list, t.start)
            and rules.pattern("coordinated").match(text, prev.end, t.start)
        ):
            states[id(t)] = "planned"


_INSERTION = re.compile(r"^,[^,;.]{1,120},")


def closing(text: str, t: Trigger, clause: tuple[int, int], zh: bool, rules: Rules) -> bool:
    """Whether a consultation mention only states its closing date."""
    after = text[t.end : clause[1]]
    if not zh:
        after = _INSERTION.sub("", after, count=1)  # "The consultation, run by the SFC, will end on …"
    if (rules.pattern("closing_zh") if zh else rules.pattern("closing_en")).match(after):
        return not rules.pattern("opened").search(
            text, max(clause[0], t.start - 40), t.start
        )  # "opening a period that runs until"
    return bool(rules.pattern("closing_before").search(text, max(clause[0], t.start - 40), t.start))


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
        inherit_modal(text, trigs, states, clause_list, rules)
    else:
        inherit_plan_zh(text, trigs, states, clause_list, rules)
    return states


def inherit_plan_zh(
    text: str,
    trigs: list[Trigger],
    states: dict[int, str | None],
    clause_list: list[tuple[int, int]],
    rules: Rules,
) -> None:
    """In Chinese a future 将 scopes over the verb phrases chained after its comma, which share
    its subject: in 有关部门将加强监测，依法严厉打击…, the crackdown is planned too. Only a
    clause that opens with no subject of its own (patterns.coordinated_zh: 并, 依法, 严厉…) and
    has no past marker before its verb inherits the plan."""
    for t in trigs:
        if states[id(t)] is not None:
            continue
        clause = clause_of(clause_list, t.start)
        i = clause_list.index(clause) if clause in clause_list else 0
        if i == 0:
            continue
        lead = text[clause[0] : t.start]
        if not rules.pattern("coordinated_zh").match(lead) or rules.pattern("past_zh").search(lead):
            continue
        prev = clause_list[i - 1]
        plan = rules.plan.search(text, prev[0], prev[1])
        if plan is None or rules.pattern("forecaster").search(text, prev[0], prev[1]):
            continue
        if any(states[id(o)] in ("negated", "hedged", "demanded") for o in trigs if prev[0] <= o.start < prev[1]):
            continue
        states[id(t)] = "planned"


def state_before_date(doc: Document, sent: Sentence, f: Frame) -> Frame | None:
    """A consultation that only closes; a tally of licences or applications (a state)."""
    t, rules = f.trigger, doc.rules
    if t.type == "consultation" and f.state is None and closing(doc.text, t, f.clause, doc.zh, doc.rules):
        f.state = "closing"
    if (
        f.state is None
        and t.type in rules.type_sets["counted"]
        and rules.pattern("stative").search(doc.text, max(sent.start, t.start - 60), t.start)
    ):
        f.state = "hedged"  # "only two platforms were licensed", 至今共收到40份申請: a tally
    return f


def state_after_date(doc: Document, sent: Sentence, f: Frame) -> Frame | None:
    """States that depend on the attached date: a filing deadline under a modal is planned;
    an announced policy is an event dated by the statement."""
    t, rules = f.trigger, doc.rules
    if t.type == "license_application" and f.state is None and f.date is not None and f.date.qualifier == "by":
        if rules.pattern("deadline_lead").search(doc.text, max(sent.start, t.start - 120), t.start):
            f.state = "planned"  # "firms must signal interest by 31 August and submit applications by …"
    if f.state == "announced":
        f.state = None
        said = [d for d in sent.dates if sent.start <= d.start and d.end <= t.start and d.start >= t.start - 60]
        if said:
            f.date, f.extra = said[-1], None  # "said in March it would shut down … by April"
    return f
