"""Type decision: what a trigger's type becomes in context. A scheduled "takes effect" is
legislation only when the thing taking effect is (guidelines are guidance, a licence's own
start is no event); a vehicle word yields only when no strong trigger states the step.
"""

from __future__ import annotations

import re
from dataclasses import replace

from tracker.extract.clauses import clause_of
from tracker.extract.frame import Frame
from tracker.extract.model import Document, Sentence, Trigger

__all__ = ["decide_type", "effect_type", "outranked"]

_SUBORDINATE = re.compile(r",\s+(?:following|after|in the wake of|on the heels of)\s+$", re.IGNORECASE)


def outranked(
    text: str, trigs: list[Trigger], clause_list: list[tuple[int, int]], start: int, zh: bool
) -> list[Trigger]:
    """The triggers of a sentence without the weak ones a strong trigger outranks.

    A vehicle word yields only when no strong trigger is in the sentence outside a
    subordinate clause: "published the Guideline, following a consultation launched in May"
    keeps both events. A launch verb (推出, 啟動) is an action of its own, not a vehicle: only
    a strong trigger in its own clause outranks it (沙盒於3月推出，至今共收到40份申請).
    """
    strong_clauses = {
        c
        for c in (clause_of(clause_list, t.start) for t in trigs if not t.weak)
        if not (not zh and c[0] > start and _SUBORDINATE.search(text, max(start, c[0] - 20), c[0]))
    }
    return [
        t
        for t in trigs
        if not t.weak
        or not strong_clauses
        or (t.type == "launch" and clause_of(clause_list, t.start) not in strong_clauses)
    ]


def decide_type(doc: Document, sent: Sentence, f: Frame) -> Frame | None:
    """The event type of the frame, or None when the trigger states no typed step ("other",
    a licence's own start date)."""
    t = f.trigger
    if t.type == "other":
        return None
    if t.type == "ordinance" and t.scheduled:
        effect = effect_type(doc.text, f.clause[0], t.start)
        if effect is None:
            return None
        f.trigger = replace(t, type=effect)
    return f


# "X will take effect" is legislation only when X is: guidelines and circulars taking effect
# are guidance. The nearest such noun before the trigger, in its clause, decides.
_LEGISLATION = re.compile(
    r"\b(?:ordinances?|laws?|bills?|regulations?|rules|acts?|amendments?|legislation|regimes?|measures|provisions)\b|"
    r"条例|條例|法案|法律|办法|辦法|规定|規定|新规|新規|规则|規則|制度|(?<![方办辦做])法",
    re.IGNORECASE,
)

_GUIDE_NOUN = re.compile(
    r"\b(?:guidelines?|guidance|circulars?|codes? of (?:conduct|practice)|FAQs?|notices?|handbooks?|manuals?)\b"
    r"|指引|通函|指南|守则|守則|通知|公告",
    re.IGNORECASE,
)

# "The licence takes effect from 20 March": a licence's own start date, not legislation.
_LICENCE_NOUN = re.compile(
    r"\b(?:licen[cs]es?|approvals?|authori[sz]ations?|registrations?)\b|牌照|许可证|許可證|执照|執照", re.IGNORECASE
)


def effect_type(text: str, clause_start: int, pos: int) -> str | None:
    """'guidance' when the thing taking effect is a guideline or circular, None when it is a
    licence (its own validity, no legislation), else 'ordinance'. The nearest noun decides."""
    before = text[max(clause_start, pos - 160) : pos]
    legis = max((m.end() for m in _LEGISLATION.finditer(before)), default=-1)
    guide = max((m.end() for m in _GUIDE_NOUN.finditer(before)), default=-1)
    licence = max((m.end() for m in _LICENCE_NOUN.finditer(before)), default=-1)
    if licence > max(legis, guide):
        return None
    if guide > legis:
        return "guidance"
    return "ordinance"
