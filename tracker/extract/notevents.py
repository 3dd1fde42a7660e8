"""Trigger matches that state no step (ANNOTATION.md §1, "Not events").

A trigger word is in the text, but the sentence describes what a rule already says, quotes a
penalty, educates investors, reports a firm's own denial, tallies applications, comments on a
step told elsewhere, or names an actor that is no authority (an industry association). Each
class is a named lexicon in rules/event_types.toml (``[lexicons]``, rule id
``lexicons.NAME``); rules/cues.toml ``[[not_events]]`` says where in the sentence each is
looked for, and for which events; this module looks.
"""

from __future__ import annotations

import re
from functools import lru_cache

from tracker.extract.frame import Frame
from tracker.extract.model import Document, Name, Sentence, Trigger
from tracker.rules import Rules

__all__ = ["echoes_earlier_step", "mark_not_event", "not_an_event"]

_LEAD = 80


@lru_cache(maxsize=2048)
def _found(pattern: re.Pattern[str], span: str) -> bool:
    """A lexicon searched in a span; sentence and clause spans recur for every trigger in them."""
    return pattern.search(span) is not None


def _scope(text: str, scope: str, t: Trigger, clause: tuple[int, int], sent: tuple[int, int]) -> tuple[int, int]:
    if scope == "lead":
        return max(clause[0], t.start - _LEAD), t.start
    if scope == "upto":
        return max(clause[0], t.start - _LEAD), t.end
    if scope == "clause":
        return clause
    if scope == "before":
        return sent[0], t.start
    return sent


def not_an_event(
    text: str,
    t: Trigger,
    clause: tuple[int, int],
    sent: tuple[int, int],
    rules: Rules,
    dated: bool,
    names_before: list[Name],
    sentence_dated: bool = False,
) -> str | None:
    """The id of the lexicon that says this trigger states no step, or None."""
    named = any(n.kind == "authority" for n in names_before)
    for c in rules.not_events:
        if (c.types and t.type not in c.types) or (c.undated and dated) or (c.actorless and named):
            continue
        if c.quiet and sentence_dated:
            continue
        lo, hi = _scope(text, c.scope, t, clause, sent)
        if _found(rules.lexicon(c.lexicon), text[lo:hi]):
            return f"lexicons.{c.lexicon}"
    if _summary_item(text, sent, rules):
        return "lexicons.summary_item"
    return _non_authority_actor(text, t, sent, rules, names_before)


_BULLET = re.compile(r"[ \t]*(?:[-–•·*▪●]|\(?(?:[0-9]{1,2}|[一二三四五六七八九十]{1,2})[.、)）]|\(?[a-h]\))\s")
_MAX_ITEMS = 30


def _summary_item(text: str, sent: tuple[int, int], rules: Rules) -> bool:
    """A bulleted line under an intro that ends with a colon and names a rule or a duty: an
    item of a rule summary, whatever its verbs (a transitional date there is the rule's
    content, not a step)."""
    start = text.rfind("\n", 0, sent[0]) + 1
    if not _BULLET.match(text, start):
        return False
    for _ in range(_MAX_ITEMS):  # up over the sibling items and blank lines to the intro
        if start == 0:
            return False
        prev = text.rfind("\n", 0, start - 1) + 1
        line = text[prev : start - 1]
        start = prev
        if line.strip() and not _BULLET.match(line):
            return rules.lexicon("summary_item").search(line) is not None
    return False


def _non_authority_actor(text: str, t: Trigger, sent: tuple[int, int], rules: Rules, before: list[Name]) -> str | None:
    """Industry associations acting alone are no authority ("three industry associations
    issued a notice", 三家行业协会发布公告); a firm launching its own product, or issuing its
    own statement (JPEX於14日發聲明), is business."""
    assoc = rules.lexicon("association")
    authorities = [n for n in before if n.kind == "authority"]
    if authorities and all(assoc.search(n.text) for n in authorities):
        return "lexicons.association"
    if not authorities and assoc.search(text, sent[0], t.start):
        return "lexicons.association"
    # a statement's own clause decides ("JPEX與證監會發生爭議,JPEX於14日發聲明": JPEX speaks);
    # a prohibition anywhere in a sentence naming an authority is its content (人民银行发布通知，银行不得…)
    marks = () if t.type == "ban" else ",，;；"
    clause_start = max([sent[0], *(text.rfind(mark, sent[0], t.start) + 1 for mark in marks)])
    if (
        t.type in ("launch", "guidance", "ban")
        and not [n for n in authorities if n.start >= clause_start]
        and rules.lexicon("firm_subject").search(text[max(sent[0], clause_start - 1) : t.start])
    ):
        return "lexicons.firm_subject"  # a firm's own launch, statement or notice is business
    return None


def echoes_earlier_step(
    text: str,
    t: Trigger,
    clause: tuple[int, int],
    earlier: list[Trigger],
    dated_in_clause: bool,
    rules: Rules,
) -> bool:
    """Whether ``t`` sits in a reporting participle clause (", saying it would …") after a
    strong trigger of the same sentence, with no date of its own: it elaborates that step."""
    if dated_in_clause or not any(o.end <= clause[0] and not o.weak for o in earlier):
        return False
    return rules.lexicon("reporting_participle").search(text[clause[0] : t.start]) is not None


def mark_not_event(doc: Document, sent: Sentence, f: Frame) -> Frame | None:
    """State ``not_event`` for a factual or planned trigger that states no step."""
    if f.state not in (None, "planned", "scheduled"):
        return f
    t, text, clause, span = f.trigger, doc.text, f.clause, (sent.start, sent.end)
    dated_clause = any(clause[0] <= d.start < clause[1] for d in sent.dates)
    if not_an_event(text, t, clause, span, doc.rules, f.date is not None, f.named_before, bool(sent.dates)) or (
        not doc.zh and echoes_earlier_step(text, t, clause, sent.triggers, dated_clause, doc.rules)
    ):
        f.state = "not_event"
    return f
