"""Confidence of a mention: the trigger's strength, how its jurisdiction was found, whether
it is dated, and a ceiling for negated, hedged and demanded states.
"""

from __future__ import annotations

from tracker.extract.frame import Frame
from tracker.extract.jurisdiction import acting_place
from tracker.extract.model import Document, Sentence
from tracker.rules import Rules

__all__ = ["MIN_CONFIDENCE", "score", "rounded"]

#: Mentions below this confidence (hedged, negated, demanded) are not events.
MIN_CONFIDENCE = 0.5


def score(doc: Document, sent: Sentence, f: Frame) -> Frame | None:
    """Strength of the trigger times the jurisdiction's factor, plus a bonus for a date; a
    plan nobody owns and the negated, hedged and demanded states are capped."""
    w = doc.rules.weights
    weight = w["weights.weak"] if f.trigger.weak else w["weights.strong"]
    confidence = weight * f.place_factor + (w["weights.dated"] if f.date is not None else 0.0)
    if f.state == "planned":
        # a plan is an event when someone owns it: a named authority or a date
        # ("licences will be revoked for breaches" is a rule's consequence, no plan)
        named = f.named_before
        if f.date is None and not any(n.kind == "authority" or acting_place(doc.text, n, doc.rules) for n in named):
            f.state = "unowned_plan"
        else:
            confidence *= w["weights.owned_plan"]
    cap = w.get(f"caps.{f.state}")
    if cap is not None:
        confidence = min(confidence, cap)
    f.confidence = confidence
    return f


def rounded(confidence: float, rules: Rules) -> float:
    """The confidence a mention carries: at most the ceiling, three decimals."""
    return round(min(rules.weights["weights.ceiling"], confidence), 3)
