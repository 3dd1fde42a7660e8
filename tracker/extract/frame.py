"""The frame of a trigger: one ``Frame`` per trigger flows through the extraction steps,
each filling its own fields (type, cue state, dates, jurisdiction, actor, party, subject,
confidence), as a spaCy component fills its layer of a Doc.

This module holds the frame and the steps that read who acts (actor) and whom or what the
step concerns (party, subject). Negation and modality are in tracker.extract.cues, the
status and the party finder in tracker.extract.status.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from tracker.dates import DateExpr
from tracker.extract.model import Document, Name, Sentence, Trigger
from tracker.extract.status import find_party
from tracker.rules import Rules

__all__ = ["Frame", "actor_of", "attach_actor", "attach_party", "party_of", "subject_index", "subject_of"]


@dataclass(slots=True)
class Frame:
    """One trigger of a sentence and what the steps found about it."""

    trigger: Trigger
    clause: tuple[int, int]
    state: str | None  # the cue state (tracker.extract.cues), then the status decision's input
    date: DateExpr | None = None
    extra: DateExpr | None = None  # a second date the statement carries (a gapped verb, an earlier deadline)
    sequel: str | None = None  # the sequel word ("later", 其後) of an undated later step
    place: Name | None = None
    place_factor: float = 0.5  # how telling the jurisdiction's evidence is (confidence)
    actor: str | None = None
    named_before: list[Name] = field(default_factory=list)  # gazetteer names of the sentence before the trigger
    confidence: float = 0.0
    party: str | None = None
    subject: str | None = None


def attach_actor(doc: Document, sent: Sentence, f: Frame) -> Frame | None:
    """The actor and the names written before the trigger in its sentence."""
    in_sentence = doc.names[
        bisect.bisect_left(doc.name_starts, sent.start) : bisect.bisect_left(doc.name_starts, sent.end)
    ]
    f.actor = actor_of(doc.text, f.trigger, in_sentence, doc.rules, sent.start)
    f.named_before = [n for n in in_sentence if n.end <= f.trigger.start]
    return f


def attach_party(doc: Document, sent: Sentence, f: Frame) -> Frame | None:
    """The party (clause first, then sentence) and the subject of the step."""
    text, rules = doc.text, doc.rules
    span = (sent.start, sent.end)
    f.party = party_of(doc, f.clause) or party_of(doc, span)
    if sent.subjects is None:
        sent.subjects = subject_index(text, sent.start, sent.end, rules)
    f.subject = subject_of(text, f.trigger, f.clause, span, rules, sent.subjects)
    return f


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


def actor_of(text: str, t: Trigger, in_sentence: list[Name], rules: Rules, s: int) -> str | None:
    """The authority written before the verb ("the legislature approved the bill, setting up a
    regime run by the HKMA": not the HKMA), else a passive's "by …"; never a contextual actor
    ("the city", 央行) resolved to an authority."""
    named = [
        n
        for n in in_sentence
        if n.kind == "authority" and (rules.names.get(n.text) or rules.names.get(n.text.lower()) or n).kind != "generic"
    ]
    before = [n for n in named if n.end <= t.start]
    by = [
        n
        for n in named
        if 0 <= n.start - t.end <= 30 and rules.pattern("passive_by").search(text, max(s, n.start - 9), n.start)
    ]
    found = before[-1].text if before else (by[0].text if by else None)
    return None if found is None else found.replace("\u2019", "'")  # one spelling, whatever the page's apostrophe


def party_of(doc: Document, span: tuple[int, int]) -> str | None:
    """find_party of a clause or sentence, once per span (every trigger of a sentence asks);
    the authorities it must not take for firms are the document's names already found."""
    cache = doc.parties
    if span not in cache:
        lo, hi = span
        named = doc.names[bisect.bisect_left(doc.name_starts, lo) : bisect.bisect_left(doc.name_starts, hi)]
        authorities = [(n.start - lo, n.end - lo) for n in named if n.kind in ("authority", "generic")]
        cache[span] = find_party(doc.text[lo:hi], doc.rules, doc.zh, authorities)
    return cache[span]
