"""What a date expression needs from its surroundings: the reference day, the tense of its
clause, the preposition that qualifies it, and what the document has already dated.

Partial dates ("August 1", "in March", "Friday", "the third quarter") carry no year, and the
year is settled by the clause: "passed on August 1" looks back, "will take effect on January 1"
looks forward. The document state lets "the same day" or "a year earlier" lean on the dates
written before them, the way a reader does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

__all__ = ["Context", "tense_of", "qualifier_of"]

_SENT_END = re.compile(r"[.!?;]\s|[。！？；\n]")

_CLAUSE_JOIN = re.compile(r"(?i),\s+(?:and|but|while|whereas)\s+")
_FUTURE = re.compile(
    r"(?i)\b(?:will|won't|shall|going to|expected|expects?|scheduled|set to|is due|are due|plans?|"
    r"planned|planning|intends?|intended|aims?|aimed|would|should|must|may|might|could|hopes?|"
    r"upcoming|forthcoming|coming|next|to take effect|to come into|to start|to begin|to launch|"
    r"to be|deadline|until|ahead of|in time for)\b|'ll\b|将|將|预计|預計|计划|計劃|拟于|擬於|拟将|擬將|"
    r"应于|應於|必须|必須|须于|須於|明年|下月|下周|下週|即将|即將"
)
_PAST = re.compile(
    r"(?i)\b(?:was|were|had|did|ago|last|earlier|previously|said|says|took|came|began|rose|fell|"
    r"saw|made|won|gave|got|went|became|left|ran|held|told|brought|sent|since|has been|have been|"
    r"(?!(?:ne|spe|inde|hundr|r|b|fe|se|de|embe|bre|gree|she|wee|limit|unit|relat|bas|unprecedent|"
    r"expect|schedul|plann|propos|intend|aim)ed\b)[a-z]{2,}ed)\b|已|曾|了|去年|上月|上周|上週"
)


def _clause(text: str, start: int, end: int) -> tuple[str, str]:
    """The text of the sentence to the left and to the right of a span (bounded windows)."""
    left = text[max(0, start - 90):start]
    cuts = list(_SENT_END.finditer(left)) + list(_CLAUSE_JOIN.finditer(left))
    if cuts:
        left = left[max(c.end() for c in cuts):]
    right = text[end:end + 60]
    cut = _SENT_END.search(right)
    if cut:
        right = right[:cut.start()]
    return left, right


_PRESENT = re.compile(
    r"(?i)\b(?:apply|applies|takes?\s+effect|comes?\s+into|expires|runs|closes|begins|starts|"
    r"opens|is|are|remains|becomes)\b|生效|施行|实施|實施"
)
_SINCE_BEFORE = re.compile(r"(?i)\bsince\s+(?:the\s+)?$|[自从從]\s*$")
_PARTICIPLE_PENALTY = 6


def tense_of(text: str, start: int, end: int) -> str | None:
    """"past", "future", "present" or None for the clause around text[start:end]; "past!"
    when a past verb stands right before the date, so that the date cannot lie ahead.

    The marker nearest to the date decides: in "said it will list on Monday" the nearer
    "will" outranks the reporting verb "said". Markers on the left weigh more than those on
    the right, which often belong to the next clause.
    """
    left, right = _clause(text, start, end)
    if _SINCE_BEFORE.search(left) or re.match(r"\s*(?:以来|以來)", right):
        return "past"
    best: tuple[float, str] | None = None
    near = left[-16:]
    if _PAST.search(near) and not _FUTURE.search(left[-30:]):
        return "past!"  # "took effect on", "was passed on": the verb right before the date
    for regex, label, bias in ((_FUTURE, "future", 0.5), (_PAST, "past", 0.0), (_PRESENT, "present", -8.0)):
        hits = list(regex.finditer(left))
        if hits:
            hit = hits[-1]
            dist = len(left) - hit.end() - bias + (_PARTICIPLE_PENALTY if hit.group(0).endswith("ed") and label == "past" else 0)
            if best is None or dist < best[0]:
                best = (dist, label)
        hit = regex.search(right)
        if hit:
            dist = 3 * hit.start() + 20 - bias
            if best is None or dist < best[0]:
                best = (dist, label)
    return best[1] if best else None


_QUAL_EN = re.compile(
    r"(?i)(?:\b(?P<since>since|ever since)|\b(?P<from>from|starting(?: on| from)?|beginning(?: on)?|"
    r"effective(?: from| on)?|with effect from|as from|after|commencing(?: on)?)|\b(?P<until>until|till|"
    r"through|up to|to)|\b(?P<by>by|before|no later than|not later than|as of|as at|ahead of|prior to))"
    r"\s+(?:the\s+)?$"
)
_QUAL_ZH_BEFORE = re.compile(r"(?P<since>自|從|从|由)\s*$|(?P<until>截至|截止|直至|直到)\s*$")
_QUAL_ZH_AFTER = re.compile(r"^\s*(?P<since>以來|以来)|^\s*(?P<from>起|开始|開始)|^\s*(?P<by>前|之前|或之前)")


def qualifier_of(text: str, start: int, end: int, span_text: str) -> str | None:
    """The relation the text states between an event and the date at text[start:end]."""
    before = text[max(0, start - 24):start]
    after = text[end:end + 6]
    zb = _QUAL_ZH_BEFORE.search(before)
    za = _QUAL_ZH_AFTER.search(after)
    if zb or za:
        if zb and zb.lastgroup == "since":
            return "since"
        if zb:
            return "until"
        assert za is not None
        return za.lastgroup
    m = _QUAL_EN.search(before)
    if not m:
        return None
    if m.lastgroup == "until" and m.group("until").lower() == "to":
        # "to" only bounds a range that opened with "from"
        return "until" if re.search(r"(?i)\bfrom\b", text[max(0, start - 60):start]) else None
    return m.lastgroup


@dataclass(slots=True)
class Context:
    """Per-document state: the reference day and what has already been dated."""

    text: str
    ref: date | None
    last_day: date | None = None
    last_year: int | None = None
    last_quarter: tuple[int, int] | None = None
    last_quarter_pos: int | None = None
    seen: list[str] = field(default_factory=list)

    def tense(self, start: int, end: int) -> str | None:
        return tense_of(self.text, start, end)
