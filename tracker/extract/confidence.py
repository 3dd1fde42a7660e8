"""Confidence of a mention: the trigger's strength, how its jurisdiction was found, whether
it is dated, and a ceiling for negated, hedged and demanded states.
"""

from __future__ import annotations

from tracker.extract.frame import Frame
from tracker.extract.jurisdiction import acting_place
from tracker.extract.model import Document, Sentence

__all__ = ["MIN_CONFIDENCE", "score", "rounded"]

#: Mentions below this confidence (hedged, negated, demanded) are not events.
MIN_CONFIDENCE = 0.5


PENALTY = {"negated": 0.1, "demanded": 0.2, "hedged": 0.3, "closing": 0.3, "unowned_plan": 0.3, "not_event": 0.1}


def score(doc: Document, sent: Sentence, f: Frame) -> Frame | None:
    """Strength of the trigger times the jurisdiction's factor, plus a bonus for a date; a
    plan nobody owns and the negated, hedged and demanded states are capped."""
    confidence = (0.55 if f.trigger.weak else 0.8) * f.place_factor + (0.1 if f.date is not None else 0.0)
    if f.state == "planned":
        # a plan is an event when someone owns it: a named authority or a date
        # ("licences will be revoked for breaches" is a rule's consequence, no plan)
        if f.date is None and not any(n.kind == "authority" or acting_place(doc.text, n) for n in f.named_before):
            f.state = "unowned_plan"
        else:
            confidence *= 0.9
    if f.state in PENALTY:
        confidence = min(confidence, PENALTY[f.state])
    f.confidence = confidence
    return f


def rounded(confidence: float) -> float:
    """The confidence a mention carries: at most 0.95, three decimals."""
    return round(min(0.95, confidence), 3)
