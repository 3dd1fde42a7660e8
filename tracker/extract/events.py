"""Regulatory events from text: sentences → triggers (rules/) → frames (type, jurisdiction,
date, actor, subject) → one mention per real event of the document.

Each step is a module of this package (clauses, triggers, cues and frame, attach,
jurisdiction, decide, confidence, dedupe); the lexicons live in rules/. This module runs
the steps in order and owns the contract line of ``tracker extract --jsonl``
(``extract_record``).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from tracker.dates import find_dates
from tracker.errors import InputError
from tracker.extract.anchors import anchor_month_days
from tracker.extract.attach import (
    ATTRIBUTIVE,
    ATTRIBUTIVE_ZH,
    DETERMINER,
    MEETING_BACK,
    choose_date,
    date_fields,
    dated_in,
    earlier_deadline,
    gapped_date,
    meeting_date,
    sequel_word,
)
from tracker.extract.clauses import clause_of, clauses, quote_spans
from tracker.extract.confidence import MIN_CONFIDENCE, PENALTY
from tracker.extract.cues import COUNTED, DEADLINE_LEAD, STATIVE, closing, cue_state, inherit_modal
from tracker.extract.decide import effect_type
from tracker.extract.dedupe import dedupe
from tracker.extract.frame import actor_of, party_of, subject_index, subject_of
from tracker.extract.jurisdiction import acting_place, choose_jurisdiction, dominant_code, find_names, resolve_generic
from tracker.extract.model import Mention, Trigger
from tracker.extract.notevents import echoes_earlier_step, not_an_event
from tracker.extract.status import decide_status
from tracker.extract.triggers import drop_vehicles, find_triggers, headline_lines, in_title
from tracker.rules import Rules, cached_rules
from tracker.text import content_spans, join_wrapped, split_sentences

__all__ = ["extract_events", "extract_record"]

_CJK = re.compile(r"[\u3400-\u9fff]")
_SUBORDINATE = re.compile(r",\s+(?:following|after|in the wake of|on the heels of)\s+$", re.IGNORECASE)


def _is_zh(text: str, lang: str | None) -> bool:
    if lang:
        return lang.lower().startswith("zh")
    sample = text[:2000]
    return len(_CJK.findall(sample)) > 0.2 * max(1, len(sample.strip()))


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
    zh = _is_zh(text, lang)
    blocks = join_wrapped(text, content_spans(text))
    if not blocks:
        return []
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
    names = resolve_generic(names, sentences, dominant)
    name_starts = [n.start for n in names]
    date_starts = [d.start for d in dates]
    by_sentence: dict[int, list[Trigger]] = {}
    for t in find_triggers(text, rules):
        i = bisect.bisect_right(starts, t.start) - 1
        if i >= 0 and t.end <= sentences[i][1]:
            by_sentence.setdefault(i, []).append(t)

    issuing = rules.lexicon("issuing_verb")
    mentions: list[Mention] = []
    refs: set[int] = set()
    sequels: set[int] = set()
    parties: dict[tuple[int, int], str | None] = {}
    for i, trigs in sorted(by_sentence.items()):
        s, e, para = sentences[i]
        sent = (s, e)
        quotes = quote_spans(text, s, e, rules.quote_min_chars)
        trigs = [
            t
            for t in trigs
            if not any(q0 <= t.start < q1 for q0, q1 in quotes + headline) and not in_title(text, t, s, issuing)
        ]
        clause_list = clauses(text, s, e, zh)
        # a vehicle word yields only when no strong trigger is in the sentence outside a
        # subordinate clause: "published the Guideline, following a consultation launched in
        # May" keeps both events
        strong_clauses = {
            c
            for c in (clause_of(clause_list, t.start) for t in trigs if not t.weak)
            if not (not zh and c[0] > s and _SUBORDINATE.search(text, max(s, c[0] - 20), c[0]))
        }
        # a launch verb (推出, 啟動) is an action of its own, not a vehicle: only a strong
        # trigger in its own clause outranks it (沙盒於3月推出，至今共收到40份申請)
        trigs = [
            t
            for t in trigs
            if not t.weak
            or not strong_clauses
            or (t.type == "launch" and clause_of(clause_list, t.start) not in strong_clauses)
        ]
        trigs = drop_vehicles(text, trigs, rules)
        if not trigs:
            continue
        states = {}
        for t in trigs:
            c0, c1 = clause_of(clause_list, t.start)
            states[id(t)] = cue_state(text, c0, t, rules, zh, c1)
        if not zh:
            inherit_modal(text, trigs, states, clause_list)
        # a hedged verb still owns the date after it ("which could begin trading later this month")
        owners = [t for t in trigs if states[id(t)] != "negated"]
        in_sent_dates = dates[bisect.bisect_left(date_starts, s) : bisect.bisect_right(date_starts, e)]
        subjects: list[tuple[int, str]] | None = None
        for t in trigs:
            if t.type == "other":
                continue
            clause = clause_of(clause_list, t.start)
            state = states[id(t)]
            if t.type == "ordinance" and t.scheduled:
                effect = effect_type(text, clause[0], t.start)
                if effect is None:
                    continue
                t = replace(t, type=effect)
            if t.type == "consultation" and state is None and closing(text, t, clause, zh):
                state = "closing"
            if state is None and t.type in COUNTED and STATIVE.search(text, max(s, t.start - 60), t.start):
                state = "hedged"  # "only two platforms were licensed", 至今共收到40份申請: a tally
            chosen, extra = choose_date(t, sent, clause, in_sent_dates, owners, text, zh)
            if chosen is None and i > 0 and MEETING_BACK.match(text, s):
                chosen = meeting_date(text, sentences[i - 1], dates, date_starts)
            earlier_step = any(o.start < t.start for o in trigs if o is not t)
            sequel = sequel_word(text, chosen, t, rules) if earlier_step else None
            if sequel is not None:
                chosen, extra = None, None
            if t.type == "license_application" and extra is None:
                extra = earlier_deadline(text, chosen, t, in_sent_dates, trigs)
            if t.type == "license_application" and state is None and chosen is not None and chosen.qualifier == "by":
                if DEADLINE_LEAD.search(text, max(s, t.start - 120), t.start):
                    state = "planned"  # "firms must signal interest by 31 August and submit applications by …"
            if extra is None and not zh:
                extra = gapped_date(text, chosen, t, in_sent_dates, trigs)
            if state == "announced":
                state = None
                said = [d for d in in_sent_dates if s <= d.start and d.end <= t.start and d.start >= t.start - 60]
                if said:
                    chosen, extra = said[-1], None  # "said in March it would shut down … by April"
            name, factor = choose_jurisdiction(
                t, sent, clause, names, para, title_names, zh, dominant, name_starts, text
            )
            in_sentence = names[bisect.bisect_left(name_starts, s) : bisect.bisect_left(name_starts, e)]
            actor = actor_of(text, t, in_sentence, rules, s)
            named_before = [n for n in in_sentence if n.end <= t.start]
            if state in (None, "planned", "scheduled") and (
                not_an_event(text, t, clause, sent, rules, chosen is not None, named_before, bool(in_sent_dates))
                or (not zh and echoes_earlier_step(text, t, clause, trigs, dated_in(in_sent_dates, clause), rules))
            ):
                state = "not_event"
            confidence = (0.55 if t.weak else 0.8) * factor + (0.1 if chosen is not None else 0.0)
            if state == "planned":
                # a plan is an event when someone owns it: a named authority or a date
                # ("licences will be revoked for breaches" is a rule's consequence, no plan)
                if chosen is None and not any(n.kind == "authority" or acting_place(text, n) for n in named_before):
                    state = "unowned_plan"
                else:
                    confidence *= 0.9
            if state in PENALTY:
                confidence = min(confidence, PENALTY[state])
            clause_text = text[clause[0] : clause[1]]
            # a Chinese reporting head scopes over the clauses after its comma (会议重申，…属于非法金融活动)
            cue_text = text[s : clause[1]] if zh else clause_text
            party = party_of(parties, text, clause, rules, zh) or party_of(parties, text, sent, rules, zh)
            if subjects is None:
                subjects = subject_index(text, s, e, rules)
            subject = subject_of(text, t, clause, sent, rules, subjects)
            for d in [chosen] + ([extra] if extra is not None else []):
                value, precision, qualifier, date_text = date_fields(d, text, zh)
                date_text = date_text or sequel  # a sequel keeps its word ("其後"), with no value
                if (
                    d is not None
                    and d.end <= t.start
                    and (
                        (
                            not zh
                            and DETERMINER.search(text, max(0, d.start - 12), d.start)
                            and ATTRIBUTIVE.match(text, d.end, t.start)
                        )
                        or (zh and ATTRIBUTIVE_ZH.match(text, d.end, t.start))
                    )
                ):
                    refs.add(len(mentions))  # "the 2021 ban": a reference to an event told elsewhere
                if sequel is not None:
                    sequels.add(len(mentions))
                mentions.append(
                    Mention(
                        type=t.type,
                        jurisdiction=name.code if name else None,
                        date=value,
                        precision=precision,
                        qualifier=qualifier,
                        date_text=date_text,
                        evidence=text[s:e],
                        confidence=round(min(0.95, confidence), 3),
                        actor=actor,
                        subject=subject,
                        sentence_start=s,
                        sentence_end=e,
                        status=decide_status(state, value, published, cue_text, rules, qualifier),
                        party=party,
                    )
                )
    return dedupe(mentions, {id(mentions[i]) for i in refs}, {id(mentions[i]) for i in sequels})


def _in_content(pos: int, sentences: list[tuple[int, int, int]], starts: list[int]) -> bool:
    i = bisect.bisect_right(starts, pos) - 1
    return i >= 0 and pos < sentences[i][1]


def _published(value: Any) -> datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise InputError(f"published: not an ISO 8601 datetime: {value!r}") from None


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
