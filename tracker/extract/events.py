"""Regulatory events from text: sentences → triggers (rules/) → frames (type, jurisdiction,
date, actor, subject) → one mention per real event of the document.

Each step is a module of this package (clauses, triggers, cues and frame, attach,
jurisdiction, decide, confidence, dedupe); the lexicons live in rules/. This module runs
the steps in order and owns the contract line of ``tracker extract --jsonl``
(``extract_record``).
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from tracker.dates import DateExpr, find_dates
from tracker.errors import InputError
from tracker.extract.anchors import anchor_month_days
from tracker.extract.attach import attach_date, date_fields, is_reference
from tracker.extract.clauses import clause_of, clauses
from tracker.extract.confidence import MIN_CONFIDENCE, rounded, score
from tracker.extract.cues import sentence_states, state_after_date, state_before_date
from tracker.extract.decide import decide_type, named_warning, outranked
from tracker.extract.dedupe import dedupe
from tracker.extract.frame import Frame, attach_actor, attach_party
from tracker.extract.jurisdiction import attach_place, dominant_code, find_names, resolve_generic
from tracker.extract.model import Document, Mention, Sentence, Trigger
from tracker.extract.notevents import mark_not_event
from tracker.extract.status import decide_status
from tracker.extract.triggers import by_sentence, drop_vehicles, headline_lines, live_triggers
from tracker.isotime import parse_iso
from tracker.lang import detect_lang
from tracker.rules import Rules, cached_rules
from tracker.text import content_spans, join_wrapped, split_sentences

__all__ = ["STEPS", "extract_events", "extract_record"]


Step = Callable[[Document, Sentence, Frame], "Frame | None"]

#: The frame steps, in order: each fills its fields of the frame, or drops it (None).
STEPS: tuple[Step, ...] = (
    decide_type,
    state_before_date,
    attach_date,
    state_after_date,
    attach_place,
    attach_actor,
    mark_not_event,
    score,
    attach_party,
    named_warning,
)


def _is_zh(text: str, lang: str | None) -> bool:
    """The document's language: the caller's when given, else the one language decision."""
    if lang:
        return lang.lower().startswith("zh")
    return detect_lang(text) == "zh"


def extract_events(
    text: str,
    published: datetime | None,
    lang: str | None = None,
    title: str | None = None,
    rules: Rules | str | Path | None = None,
) -> list[Mention]:
    """The regulatory events stated in ``text``, one mention per event, in text order.

    ``rules`` is a loaded Rules, a rules directory, or None for the project's rules/.
    Negated, hedged and demanded actions are kept with a confidence below MIN_CONFIDENCE.
    """
    if not isinstance(rules, Rules):
        rules = cached_rules(None if rules is None else str(rules))
    if not text or not text.strip():
        return []
    doc = _document(text, published, lang, title, rules)
    if doc is None:
        return []
    mentions: list[Mention] = []
    refs: set[int] = set()
    sequels: set[int] = set()
    for i, trigs in by_sentence(doc):
        sent = _sentence(doc, i, trigs)
        if sent is None:
            continue
        for t in sent.triggers:
            f = _run_steps(doc, sent, Frame(t, clause_of(sent.clauses, t.start), sent.states[id(t)]))
            if f is not None:
                _emit(doc, sent, f, mentions, refs, sequels)
    return dedupe(mentions, rules, {id(mentions[i]) for i in refs}, {id(mentions[i]) for i in sequels})


def _run_steps(doc: Document, sent: Sentence, frame: Frame) -> Frame | None:
    """The frame after every step, or None when a step drops it."""
    f: Frame | None = frame
    for step in STEPS:
        if f is None:
            return None
        f = step(doc, sent, f)
    return f


def _document(
    text: str, published: datetime | None, lang: str | None, title: str | None, rules: Rules
) -> Document | None:
    """Sentences, dates and gazetteer names of the document, found once; None without content."""
    zh = _is_zh(text, lang)
    blocks = join_wrapped(text, content_spans(text))
    if not blocks:
        return None
    sentences: list[tuple[int, int, int]] = []  # (start, end, paragraph start)
    for s, e in blocks:
        for a, b in split_sentences(text[s:e], lang):
            sentences.append((s + a, s + b, s))
    starts = [s for s, _, _ in sentences]
    dates = find_dates(text, published, "zh" if zh else (lang or "en"))
    if published is None:
        dates = anchor_month_days(text, dates, rules)
    names = [n for n in find_names(text, rules) if _in_content(n.start, sentences, starts)]
    title_names = [n for n in (find_names(title, rules) if title else []) if n.kind not in ("generic", "ambiguous")]
    # a dated headline ("Lawmakers approve the custody bill today") states its event
    headline = [h for h in headline_lines(text, title) if not any(h[0] <= d.start < h[1] for d in dates)]
    dominant = dominant_code(text, names, title_names, sentences[0][0] if sentences else 0)
    names = resolve_generic(names, sentences, dominant, text)
    return Document(
        text=text,
        published=published,
        zh=zh,
        rules=rules,
        sentences=sentences,
        starts=starts,
        dates=dates,
        date_starts=[d.start for d in dates],
        names=names,
        name_starts=[n.start for n in names],
        title_names=title_names,
        dominant=dominant,
        headline=headline,
    )


def _sentence(doc: Document, i: int, trigs: list[Trigger]) -> Sentence | None:
    """Sentence ``i`` with its live triggers and their cue states, or None when none is left."""
    text, zh = doc.text, doc.zh
    s, e, para = doc.sentences[i]
    trigs = live_triggers(doc, s, e, trigs)
    clause_list = clauses(text, s, e, zh, doc.rules)
    trigs = drop_vehicles(text, outranked(text, trigs, clause_list, s, zh, doc.rules), doc.rules)
    if not trigs:
        return None
    states = sentence_states(text, trigs, clause_list, doc.rules, zh)
    # a hedged verb still owns the date after it ("which could begin trading later this month")
    owners = [t for t in trigs if states[id(t)] != "negated"]
    in_sent = doc.dates[bisect.bisect_left(doc.date_starts, s) : bisect.bisect_right(doc.date_starts, e)]
    return Sentence(i, s, e, para, clause_list, trigs, states, in_sent, owners)


def _emit(doc: Document, sent: Sentence, f: Frame, mentions: list[Mention], refs: set[int], sequels: set[int]) -> None:
    """One mention per date of the frame (the chosen one and a second, if any)."""
    text, zh, t = doc.text, doc.zh, f.trigger
    # a Chinese reporting head scopes over the clauses after its comma (会议重申，…属于非法金融活动)
    cue_text = text[sent.start : f.clause[1]] if zh else text[f.clause[0] : f.clause[1]]
    for d in [f.date] + ([f.extra] if f.extra is not None else []):
        value, precision, qualifier, date_text = date_fields(d, text, zh, doc.rules)
        if d is not None and is_reference(text, d, t, zh, doc.rules):
            refs.add(len(mentions))  # "the 2021 ban": a reference to an event told elsewhere
        if f.sequel is not None:
            sequels.add(len(mentions))
        mentions.append(
            Mention(
                type=t.type,
                jurisdiction=f.place.code if f.place else None,
                date=value,
                precision=precision,
                qualifier=qualifier,
                date_text=date_text or f.sequel,  # a sequel keeps its word ("其後"), with no value
                evidence=evidence_of(text, sent.start, sent.end, t.start, t.end),
                confidence=rounded(f.confidence, doc.rules),
                actor=f.actor,
                subject=f.subject,
                sentence_start=sent.start,
                sentence_end=sent.end,
                status=decide_status(f.state, value, doc.published, cue_text, doc.rules, qualifier, _original(doc, d)),
                party=f.party,
            )
        )


def _original(doc: Document, d: DateExpr | None) -> bool:
    """Whether ``d`` is the date a restatement gives the original measure (rules/cues.toml
    ``original_date``: "bans originally implemented in 2013")."""
    if d is None:
        return False
    return doc.rules.pattern("original_date").search(doc.text, max(0, d.start - 40), d.start) is not None


#: The longest evidence kept: a sentence of real text is far shorter, and a page without full
#: stops (a scraped table, a 4 MB run-on line) must not make a megabyte of evidence per event.
MAX_EVIDENCE = 600


def evidence_of(text: str, start: int, end: int, trig_start: int, trig_end: int) -> str:
    """The sentence that states the step, or, when it runs longer than MAX_EVIDENCE, a window
    of it around the trigger, cut at spaces where there are any and marked with "…"."""
    if end - start <= MAX_EVIDENCE:
        return text[start:end]
    lo = max(start, min(trig_start - MAX_EVIDENCE // 3, end - MAX_EVIDENCE))
    hi = min(end, max(lo + MAX_EVIDENCE, trig_end))
    if lo > start:
        space = text.find(" ", lo, trig_start)
        lo = space + 1 if space != -1 else lo
    if hi < end:
        space = text.rfind(" ", trig_end, hi)
        hi = space if space != -1 else hi
    return ("…" if lo > start else "") + text[lo:hi].strip() + ("…" if hi < end else "")


def _in_content(pos: int, sentences: list[tuple[int, int, int]], starts: list[int]) -> bool:
    i = bisect.bisect_right(starts, pos) - 1
    return i >= 0 and pos < sentences[i][1]


def _published(value: Any) -> datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value
    parsed = parse_iso(str(value))
    if parsed is None:
        raise InputError(f"published: not an ISO 8601 datetime: {value!r}")
    return parsed


def extract_record(doc: dict[str, Any], rules: Rules | str | Path | None = None) -> dict[str, Any]:
    """The ``tracker extract --jsonl`` line for one input document (DESIGN.md contract)."""
    if "id" not in doc:
        raise InputError("document has no 'id'")
    text = doc.get("text")
    if not isinstance(text, str):
        raise InputError(f"document {doc['id']!r}: 'text' must be a string")
    mentions = extract_events(text, _published(doc.get("published")), doc.get("lang"), doc.get("title"), rules)
    events = [
        {
            "type": m.type,
            "jurisdiction": m.jurisdiction,
            "date": m.date,
            "precision": m.precision,
            "qualifier": m.qualifier,
            "date_text": m.date_text,
            "evidence": m.evidence,
            "confidence": m.confidence,
            "status": m.status,
            "party": m.party,
        }
        for m in mentions
        if m.confidence >= MIN_CONFIDENCE and m.jurisdiction
    ]
    return {"id": doc["id"], "events": events}
