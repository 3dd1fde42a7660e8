"""The frame of a trigger: who acts (actor), whom or what it concerns (party, subject).

Negation and modality live in tracker.extract.cues, status and party in
tracker.extract.status; this module reads the actor and the subject of one trigger.
"""

from __future__ import annotations

import re

from tracker.extract.model import Name, Trigger
from tracker.extract.status import find_party
from tracker.rules import Rules

__all__ = ["actor_of", "party_of", "subject_index", "subject_of"]


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


_BY = re.compile(r"(?:\bby\s+(?:the\s+)?|由)$", re.IGNORECASE)


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
    by = [n for n in named if 0 <= n.start - t.end <= 30 and _BY.search(text, max(s, n.start - 9), n.start)]
    return before[-1].text if before else (by[0].text if by else None)


def party_of(
    cache: dict[tuple[int, int], str | None], text: str, span: tuple[int, int], rules: Rules, zh: bool
) -> str | None:
    """find_party of a clause or sentence, once per span (every trigger of a sentence asks)."""
    if span not in cache:
        cache[span] = find_party(text[span[0] : span[1]], rules, zh)
    return cache[span]
