"""Type decision: what a trigger's type becomes in context. A scheduled "takes effect" is
legislation only when the thing taking effect is (guidelines are guidance, a licence's own
start is no event); a vehicle word yields only when no strong trigger states the step.
"""

from __future__ import annotations

from dataclasses import replace

from tracker.extract.clauses import clause_of
from tracker.extract.frame import Frame
from tracker.extract.model import Document, Sentence, Trigger
from tracker.rules import Rules

__all__ = ["decide_type", "effect_type", "named_warning", "outranked"]


def outranked(
    text: str, trigs: list[Trigger], clause_list: list[tuple[int, int]], start: int, zh: bool, rules: Rules
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
        if not (not zh and c[0] > start and rules.pattern("subordinate").search(text, max(start, c[0] - 20), c[0]))
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
        effect = effect_type(doc.text, f.clause[0], t.start, doc.rules)
        if effect is None:
            return None
        f.trigger = replace(t, type=effect)
    return f


def effect_type(text: str, clause_start: int, pos: int, rules: Rules) -> str | None:
    """'guidance' when the thing taking effect is a guideline or circular, None when it is a
    licence (its own validity, no legislation), else 'ordinance'. The nearest noun decides."""
    before = text[max(clause_start, pos - 160) : pos]
    legis = max((m.end() for m in rules.pattern("legislation_noun").finditer(before)), default=-1)
    guide = max((m.end() for m in rules.pattern("guide_noun").finditer(before)), default=-1)
    licence = max((m.end() for m in rules.pattern("licence_noun").finditer(before)), default=-1)
    if licence > max(legis, guide):
        return None
    if guide > legis:
        return "guidance"
    return "ordinance"


def named_warning(doc: Document, sent: Sentence, f: Frame) -> Frame | None:
    """A warning whose party is a named firm is enforcement, not guidance (ANNOTATION.md §2:
    "證監會於9月13日發出警告聲明…JPEX", "the SFC issued a warning; Bitcuped …"); a warning
    about an instrument or about unnamed risks stays guidance. Runs after the party step."""
    t, rules = f.trigger, doc.rules
    if t.type != "guidance" or not f.party or not rules.lexicon("warning_word").search(doc.text, t.start, t.end):
        return f
    first = f.party.split("; ")[0]
    instrument = f"《{first}》" in doc.text or rules.pattern("instrument_en").fullmatch(first) is not None
    if not instrument:
        f.trigger = replace(t, type="enforcement")
    return f
