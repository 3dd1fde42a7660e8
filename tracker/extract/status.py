"""Status and party of one extracted event (the DESIGN.md contract fields).

Status says whether the step happened (``done``), is an authority's plan or deadline
(``planned``) or reaffirms a standing measure (``restated``). It is decided from the cue
state of the trigger's clause, the restatement cues of rules/, and the event's own date:
a step dated after publication has not happened yet, whatever the verb.

Party is the named firm(s) or the named instrument the step concerns. It is read from the
clause, never from the authority acting: "the SFC licensed OSL Digital Limited" has the party
"OSL Digital Limited", and "the Stablecoins Ordinance took effect" the party "Stablecoins
Ordinance". Regulators in the jurisdiction gazetteer are never parties.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime

from tracker.periods import period_of
from tracker.rules import Rules

__all__ = ["decide_status", "find_party"]

_TITLE_ZH = re.compile(r"《([^》]{2,60})》")


def decide_status(
    state: str | None,
    date_value: str | None,
    published: datetime | None,
    clause_text: str,
    rules: Rules,
    qualifier: str | None = None,
    original: bool = False,
) -> str:
    """``planned``, ``restated`` or ``done`` (see the module docstring). ``original``: the date
    is the one a restatement gives the measure it restates ("originally implemented in 2013").

    A deadline ("by the end of this month", 本月底前) whose period has not ended at
    publication is planned, even when the period has begun.
    """
    if state in ("planned", "unowned_plan"):
        return "planned"  # a plan nobody named owns scores low, but if it stands it is still a plan
    if rules.restated.search(clause_text):
        # "its ban, in place since 2021, remains in force": the date after "since" is the
        # original measure, a done event of its own; the restatement is the other date
        # (ANNOTATION.md §3)
        original = original or qualifier in ("since", "from")  # "bans from 2013 and 2017" too
        return "done" if original and date_value is not None else "restated"
    period = period_of(date_value)
    if state == "scheduled" and (period is None or published is None):
        return "planned"  # "will come into operation on a date to be appointed"
    if period is not None and published is not None:
        if period.first > published.date():
            return "planned"  # "takes effect on 1 August" in a July article
        if qualifier == "by" and period.last > published.date():
            return "planned"
    return "done"


def find_party(
    clause_text: str, rules: Rules, zh: bool, authorities: list[tuple[int, int]] | None = None
) -> str | None:
    """The named firms or instrument of the clause, joined by "; ", or None. ``authorities``:
    where the clause names authorities, when the caller already knows (else they are found)."""
    found: list[str] = []
    if authorities is None:
        authorities = _authority_spans(clause_text, rules)
    if zh:
        found += [m.group(1) for m in _TITLE_ZH.finditer(clause_text)]
        if not found:
            found += _outside(rules.pattern("firm_zh").finditer(clause_text), authorities, rules)
    else:
        found += _outside(rules.pattern("instrument_en").finditer(clause_text), authorities, rules)
    if not found:  # Latin firm names stand in Chinese text too ("向OSL Digital Limited批出牌照")
        found += _outside(rules.pattern("firm_en").finditer(clause_text), authorities, rules)
    if not found and zh:  # 针对JPEX发出警告: a name in Latin capitals that is no acronym
        stop = set(rules.words["latin_not_firm"])
        named = _outside(rules.pattern("latin_name_zh").finditer(clause_text), authorities, rules)
        found += [name for name in named if name not in stop]
    parties: list[str] = []
    for name in found:
        name = name.strip(" ,.")
        if not name or _is_authority(name, rules):
            continue
        if name not in parties:
            parties.append(name)
    return "; ".join(parties[:3]) or None


def _authority_spans(text: str, rules: Rules) -> list[tuple[int, int]]:
    """Where the gazetteer's authorities are named: "The Securities and Futures Commission"
    ends a firm pattern at "Securities", and that word is no firm."""
    spans = []
    for m in rules.name_pattern.finditer(text):
        hit = rules.names.get(m.group(0)) or rules.names.get(m.group(0).lower())
        if hit is not None and hit.kind in ("authority", "generic"):
            spans.append((m.start(), m.end()))
    return spans


def _outside(matches: Iterator[re.Match[str]], spans: list[tuple[int, int]], rules: Rules) -> list[str]:
    """The names of ``matches`` that do not overlap an authority's name."""
    return [
        rules.pattern("leading_article").sub("", m.group(1))
        for m in matches
        if not any(m.start(1) < end and start < m.end(1) for start, end in spans)
    ]


def _is_authority(name: str, rules: Rules) -> bool:
    """A regulator of the gazetteer ("People's Bank of China" ends like a firm). Instruments
    listed there to place an event ("Stablecoins Ordinance" → HK) stay parties."""
    hit = rules.names.get(name) or rules.names.get(name.lower())
    return hit is not None and hit.kind in ("authority", "generic")
