"""Sentences and clauses: the units the other steps look inside.

A date or a place on the far side of a clause boundary usually belongs to another verb; a
trigger inside a long quotation is somebody's opinion.
"""

from __future__ import annotations

import re

from tracker.rules import Rules

__all__ = ["clause_of", "clauses", "quote_spans"]


_CLAUSE_ZH = re.compile(r"[，；：,;]")


def clauses(text: str, start: int, end: int, zh: bool, rules: Rules) -> list[tuple[int, int]]:
    """Clause offsets of the sentence ``text[start:end]``."""
    pattern = _CLAUSE_ZH if zh else rules.pattern("clause_en")
    out = []
    pos = start
    for m in pattern.finditer(text, start, end):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, end))
    return out


def clause_of(clause_list: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    for s, e in clause_list:
        if s <= pos < e:
            return s, e
    return clause_list[-1]


def quote_spans(text: str, start: int, end: int, min_chars: int) -> list[tuple[int, int]]:
    """Long quotations (reported speech): a trigger inside one is somebody's opinion."""
    out = []
    for m in re.finditer(r"“[^”]*”|\"[^\"]*\"|「[^」]{" + str(min_chars) + ",}」", text[start:end]):
        if m.end() - m.start() >= min_chars:
            out.append((start + m.start(), start + m.end()))
    return out
