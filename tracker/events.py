"""Regulatory events from text: sentences → triggers (rules/) → frames (type, jurisdiction,
date, actor, subject) → one mention per real event of the document.

The heuristics that attach a date, a place or a subject to a trigger live in
tracker.frames; the lexicons live in rules/. This module runs the steps in order and owns
the two contracts the rest of the project relies on: ``Mention`` (consumed by the pipeline
and the timeline) and ``extract_record`` (the ``tracker extract --jsonl`` line).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from tracker.anchors import anchor_month_days
from tracker.dates import DateExpr, find_dates
from tracker.dedupe import MIN_CONFIDENCE, dedupe
from tracker.errors import InputError
from tracker.frames import (
    Name,
    Trigger,
    choose_date,
    clause_of,
    clauses,
    cue_state,
    quote_spans,
    subject_index,
    subject_of,
)
from tracker.notevents import echoes_earlier_step, not_an_event
from tracker.places import acting_place, choose_jurisdiction, dominant_code, resolve_generic
from tracker.regexes import finditer
from tracker.rules import Rules, cached_rules
from tracker.spans import non_overlapping
from tracker.status import decide_status, find_party
from tracker.text import ascii_fold, content_spans, join_wrapped, split_sentences

__all__ = ["MIN_CONFIDENCE", "Mention", "extract_events", "extract_record"]

#: extract_record drops mentions below this: negated, hedged and demanded actions score
#: at most 0.3, so they stay available on ``Mention`` but never reach the contract output.

_CJK = re.compile(r"[\u3400-\u9fff]")
_PREP_EN = re.compile(r"(?:\b(since|until|till|by|from|as of|on|in|at|before|after|no later than)\s+)$", re.IGNORECASE)
_QUALIFIER = {"since": "since", "until": "until", "till": "until", "by": "by", "from": "from", "no later than": "by"}
_PENALTY = {"negated": 0.1, "demanded": 0.2, "hedged": 0.3, "closing": 0.3, "unowned_plan": 0.3, "not_event": 0.1}
# "the consultation closes / runs until X": the deadline of one already reported, not a new one (optional in
# dev), unless opened in the same breath (_OPENED); a past "ended/closed on X" reports the conclusion and stays.
_OPENED = re.compile(r"\b(?:open|launch|start)(?:s|ed|ing)?\s+(?:a|an|the|its)?\s*(?:\S+\s+){0,2}?$", re.IGNORECASE)
_CLOSING_EN = re.compile(
    r"(?:\s+(?:on|for|about|into|regarding|over)\s+[^,.;]{1,60}?)?"
    r"\s*(?:(?:period|paper|exercise|process)\s+)?(?:(?:which|that)\s+)?"
    r"(?:closes|ends|expires|runs\s+(?:until|till|to|through)|lasts\s+until|"
    r"(?:will|is set to|is due to|shall)\s+(?:close|end|expire|run\s+(?:until|till|to|through))|"
    r"(?:is|remains|will remain|will be)\s+open\s+(?:until|till))\b",
    re.IGNORECASE,
)
# a sentence that goes on describing a meeting the previous one dated
_MEETING_BACK = re.compile(r"\s*(?:会议|會議|该会议|該會議|会上|會上|the meeting\b|at the meeting\b)", re.IGNORECASE)
_MEETING = re.compile(r"会议|會議|\bmeeting\b", re.IGNORECASE)
_INSERTION = re.compile(r"^,[^,;.]{1,120},")
_CLOSING_ZH = re.compile(r"[期]?[^，。；]{0,14}(?:截止|为止|為止)")
_CLOSING_BEFORE = re.compile(
    r"(?:\b(?:deadline|closing date)\s+(?:of|for)\s+(?:the\s+)?(?:\S+\s+)?|截止)$", re.IGNORECASE
)
# "X will take effect" is legislation only when X is: guidelines and circulars taking effect
# are guidance. The nearest such noun before the trigger, in its clause, decides.
_LEGISLATION = re.compile(
    r"\b(?:ordinances?|laws?|bills?|regulations?|rules|acts?|amendments?|legislation|regimes?|measures|provisions)\b|"
    r"条例|條例|法案|法律|办法|辦法|规定|規定|新规|新規|规则|規則|制度|(?<![方办辦做])法",
    re.IGNORECASE,
)
_GUIDE_NOUN = re.compile(
    r"\b(?:guidelines?|guidance|circulars?|codes? of (?:conduct|practice)|FAQs?|notices?|handbooks?|manuals?)\b"
    r"|指引|通函|指南|守则|守則|通知|公告",
    re.IGNORECASE,
)
# A tally of licences or applications ("only two platforms were licensed", "so far received
# 40 applications", 至今共收到約40份申請) describes a state, not a grant or a filing.
_SUBORDINATE = re.compile(r",\s+(?:following|after|in the wake of|on the heels of)\s+$", re.IGNORECASE)
_ATTRIBUTIVE = re.compile(r"(?:'s)?\s*(?:[\w-]+\s+){0,2}?$")
_DETERMINER = re.compile(r"(?:\b(?:the|its|their|this|that)|'s)\s+$", re.IGNORECASE)
_ATTRIBUTIVE_ZH = re.compile(r"的[^，。；]{0,6}$")
_BY = re.compile(r"(?:\bby\s+(?:the\s+)?|由)$", re.IGNORECASE)
_COUNTED = {"license_grant", "license_application"}
_STATIVE = re.compile(
    r"\bonly\s+(?:a handful of|a few|\d+|one|two|three|four|five|six|seven|eight|nine|ten)\b|\bso far\b|\bto date\b|"
    r"至今|迄今|累计|累計|合共|共有|僅有|仅有|只有"
)
# the modal of a deadline governing the date after it ("should contact it by", 應於…前)
_DEADLINE_LEAD = re.compile(
    r"(?:\b(?:should|must|shall|need to|are required to|have to)\b|[须須应應](?:当|當)?(?:于|於|在))"
    r"[^,.;，。；]{0,60}$",
    re.IGNORECASE,
)
# "The licence takes effect from 20 March": a licence's own start date, not legislation.
_LICENCE_NOUN = re.compile(
    r"\b(?:licen[cs]es?|approvals?|authori[sz]ations?|registrations?)\b|牌照|许可证|許可證|执照|執照", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class Mention:
    """One event as one document states it."""

    type: str
    jurisdiction: str | None
    date: str | None
    precision: str | None
    qualifier: str | None
    date_text: str | None
    evidence: str
    confidence: float
    actor: str | None
    subject: str | None
    sentence_start: int
    sentence_end: int
    status: str = "done"
    party: str | None = None


def _is_zh(text: str, lang: str | None) -> bool:
    if lang:
        return lang.lower().startswith("zh")
    sample = text[:2000]
    return len(_CJK.findall(sample)) > 0.2 * max(1, len(sample.strip()))


def _names(text: str, rules: Rules, lo: int = 0, hi: int | None = None) -> list[Name]:
    out = []
    origin = rules.lexicon("firm_origin")
    for m in rules.name_pattern.finditer(text, lo, len(text) if hi is None else hi):
        hit = rules.names.get(m.group(0)) or rules.names.get(m.group(0).lower())
        if hit is None or hit.kind == "firm":
            continue
        if hit.kind == "place" and origin.match(text, m.end()):
            continue  # "Singapore-based Bybit": where a firm is from, never where a step is taken
        out.append(Name(m.start(), m.end(), m.group(0), hit.code, hit.kind))
    return out


def _triggers(text: str, rules: Rules) -> list[Trigger]:
    """All trigger matches; where two overlap, the longer (more specific) one wins."""
    found: list[Trigger] = []
    low = text.lower()  # case-sensitive twins run on it: the same matches, faster
    folds = low if len(low) == len(text) and ascii_fold(text) else None
    for tr in rules.types:
        for pat, weak in ((tr.strong, False), (tr.strong_cased, False), (tr.weak, True)):
            if pat is None:
                continue
            for m in finditer(pat, text, folds):
                if m.end() == m.start():
                    continue
                sched = bool(tr.scheduled and tr.scheduled.search(text[m.start() : m.end()]))
                found.append(Trigger(m.start(), m.end(), tr.name, weak, sched))
    return non_overlapping(sorted(found, key=lambda t: (-(t.end - t.start), t.weak, t.start)))


def _date_fields(d: DateExpr | None, text: str, zh: bool) -> tuple[str | None, str | None, str | None, str | None]:
    """(value, precision, qualifier, date_text), with the preposition kept in date_text."""
    if d is None:
        return None, None, None, None
    qualifier = d.qualifier
    date_text = d.text
    if not zh:
        m = _PREP_EN.search(text, max(0, d.start - 20), d.start)
        if m:
            date_text = text[m.start() : d.end]
            if qualifier is None:
                qualifier = _QUALIFIER.get(m.group(1).lower())
    return d.value, d.precision, qualifier, date_text


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
    names = [n for n in _names(text, rules) if _in_content(n.start, sentences, starts)]
    title_names = [n for n in (_names(title, rules) if title else []) if n.kind not in ("generic", "ambiguous")]
    # a dated headline ("Lawmakers approve the custody bill today") states its event
    headline = [h for h in _headline_lines(text, title) if not any(h[0] <= d.start < h[1] for d in dates)]
    dominant = dominant_code(text, names, title_names, sentences[0][0] if sentences else 0)
    names = resolve_generic(names, sentences, dominant)
    name_starts = [n.start for n in names]
    date_starts = [d.start for d in dates]
    by_sentence: dict[int, list[Trigger]] = {}
    for t in _triggers(text, rules):
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
            if not any(q0 <= t.start < q1 for q0, q1 in quotes + headline) and not _in_title(text, t, s, issuing)
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
        trigs = _drop_vehicles(text, trigs, rules)
        if not trigs:
            continue
        states = {}
        for t in trigs:
            c0, c1 = clause_of(clause_list, t.start)
            states[id(t)] = cue_state(text, c0, t, rules, zh, c1)
        if not zh:
            _inherit_modal(text, trigs, states, clause_list)
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
                effect = _effect_type(text, clause[0], t.start)
                if effect is None:
                    continue
                t = replace(t, type=effect)
            if t.type == "consultation" and state is None and _closing(text, t, clause, zh):
                state = "closing"
            if state is None and t.type in _COUNTED and _STATIVE.search(text, max(s, t.start - 60), t.start):
                state = "hedged"  # "only two platforms were licensed", 至今共收到40份申請: a tally
            chosen, extra = choose_date(t, sent, clause, in_sent_dates, owners, text, zh)
            if chosen is None and i > 0 and _MEETING_BACK.match(text, s):
                chosen = _meeting_date(text, sentences[i - 1], dates, date_starts)
            sequel = _sequel(text, chosen, t, rules) if any(o.start < t.start for o in trigs if o is not t) else None
            if sequel is not None:
                chosen, extra = None, None
            if t.type == "license_application" and extra is None:
                extra = _earlier_deadline(text, chosen, t, in_sent_dates, trigs)
            if t.type == "license_application" and state is None and chosen is not None and chosen.qualifier == "by":
                if _DEADLINE_LEAD.search(text, max(s, t.start - 120), t.start):
                    state = "planned"  # "firms must signal interest by 31 August and submit applications by …"
            if extra is None and not zh:
                extra = _gapped(text, chosen, t, in_sent_dates, trigs)
            if state == "announced":
                state = None
                said = [d for d in in_sent_dates if s <= d.start and d.end <= t.start and d.start >= t.start - 60]
                if said:
                    chosen, extra = said[-1], None  # "said in March it would shut down … by April"
            name, factor = choose_jurisdiction(
                t, sent, clause, names, para, title_names, zh, dominant, name_starts, text
            )
            in_sentence = names[bisect.bisect_left(name_starts, s) : bisect.bisect_left(name_starts, e)]
            actor = _actor(text, t, in_sentence, rules, s)
            named_before = [n for n in in_sentence if n.end <= t.start]
            if state in (None, "planned", "scheduled") and (
                not_an_event(
                    text, t, clause, sent, rules, chosen is not None, named_before, bool(in_sent_dates)
                )
                or (not zh and echoes_earlier_step(text, t, clause, trigs, _dated(in_sent_dates, clause), rules))
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
            if state in _PENALTY:
                confidence = min(confidence, _PENALTY[state])
            clause_text = text[clause[0] : clause[1]]
            # a Chinese reporting head scopes over the clauses after its comma (会议重申，…属于非法金融活动)
            cue_text = text[s : clause[1]] if zh else clause_text
            party = _party(parties, text, clause, rules, zh) or _party(parties, text, sent, rules, zh)
            if subjects is None:
                subjects = subject_index(text, s, e, rules)
            subject = subject_of(text, t, clause, sent, rules, subjects)
            for d in [chosen] + ([extra] if extra is not None else []):
                value, precision, qualifier, date_text = _date_fields(d, text, zh)
                date_text = date_text or sequel  # a sequel keeps its word ("其後"), with no value
                if (
                    d is not None
                    and d.end <= t.start
                    and (
                        (
                            not zh
                            and _DETERMINER.search(text, max(0, d.start - 12), d.start)
                            and _ATTRIBUTIVE.match(text, d.end, t.start)
                        )
                        or (zh and _ATTRIBUTIVE_ZH.match(text, d.end, t.start))
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


def _party(
    cache: dict[tuple[int, int], str | None], text: str, span: tuple[int, int], rules: Rules, zh: bool
) -> str | None:
    """find_party of a clause or sentence, once per span (every trigger of a sentence asks)."""
    if span not in cache:
        cache[span] = find_party(text[span[0] : span[1]], rules, zh)
    return cache[span]


def _sequel(text: str, chosen: DateExpr | None, t: Trigger, rules: Rules) -> str | None:
    """The sequel word ("later", 其後) between the date before a verb and the verb: the verb
    states a later step than the dated one ("passed in May and later gazetted"). The caller
    asks only when another step precedes in the sentence: "on the 18th … searched offices and
    subsequently arrested" dates the arrests."""
    if chosen is None or chosen.end > t.start:
        return None
    m = rules.lexicon("sequel").search(text, chosen.end, t.start)
    return m.group(0).lstrip("，,；; ") if m else None


def _earlier_deadline(
    text: str, chosen: DateExpr | None, t: Trigger, dates: list[DateExpr], trigs: list[Trigger]
) -> DateExpr | None:
    """A first deadline of the same applicants before the filing deadline ("should contact it
    by 31 August and apply by 30 September", 應於8月31日前聯絡，並於9月30日前遞交申請): two
    planned steps, two events."""
    if chosen is None or chosen.qualifier != "by":
        return None
    earlier = [d for d in dates if d.end <= min(chosen.start, t.start) and d.qualifier == "by"]
    if not earlier or any(o is not t and earlier[-1].end <= o.start < t.start for o in trigs):
        return None
    d = earlier[-1]
    return d if _DEADLINE_LEAD.search(text, max(0, d.start - 80), d.start) else None


_CONTENT_TYPES = {"ban", "license_pause"}


def _drop_vehicles(text: str, trigs: list[Trigger], rules: Rules) -> list[Trigger]:
    """A notice or circular whose content is a prohibition is a ban, not guidance as well:
    "issued a circular on Monday barring banks from …", 發布通知，要求銀行不得…"""
    vehicle, gap = rules.lexicon("vehicle"), rules.lexicon("vehicle_gap")
    drop: set[int] = set()
    for g in trigs:
        if g.type != "guidance" or not vehicle.search(text, g.start, g.end):
            continue
        nxt = next((b for b in trigs if b.start >= g.end), None)
        if nxt is not None and nxt.type in _CONTENT_TYPES and gap.search(text[g.end : nxt.start]):
            drop.add(id(g))
    return [t for t in trigs if id(t) not in drop] if drop else trigs


_COORDINATED = re.compile(r"[^,;.]{0,100}?\band\s+(?:\w+ly\s+)?(?:also\s+)?$", re.IGNORECASE)


def _inherit_modal(
    text: str, trigs: list[Trigger], states: dict[int, str | None], clause_list: list[tuple[int, int]]
) -> None:
    """A modal scopes over a coordinated verb phrase: in "will publish guidelines and consult
    the public", the consultation is planned too. Only a bare "and" + verb, so a new subject
    ("and the HKMA licensed …") keeps its own state."""
    for prev, t in zip(trigs, trigs[1:], strict=False):
        if (
            states[id(t)] is None
            and states[id(prev)] in ("planned", "scheduled")
            and clause_of(clause_list, prev.start) == clause_of(clause_list, t.start)
            and _COORDINATED.match(text, prev.end, t.start)
        ):
            states[id(t)] = "planned"


# "…licensed in December 2020 and Hash Blockchain Limited in November 2022": the verb gapped
_GAP = re.compile(r"\s*,?\s+and\s+(?:[^\s,;.]+\s+){1,5}?(?:in|on|since|from)\s+$")


def _gapped(
    text: str, chosen: DateExpr | None, t: Trigger, dates: list[DateExpr], trigs: list[Trigger]
) -> DateExpr | None:
    """The date of a second, gapped step of the same verb ("banned mining in 2021 and crypto
    trading in 2017"): two steps, two events."""
    if chosen is None or chosen.start < t.end:
        return None
    nxt = next((d for d in dates if d.start >= chosen.end), None)
    if nxt is None or any(chosen.end <= o.start < nxt.start for o in trigs):
        return None
    return nxt if _GAP.fullmatch(text, chosen.end, nxt.start) else None


def _dated(dates: list[DateExpr], clause: tuple[int, int]) -> bool:
    return any(clause[0] <= d.start < clause[1] for d in dates)


def _meeting_date(
    text: str, prev: tuple[int, int, int], dates: list[DateExpr], date_starts: list[int]
) -> DateExpr | None:
    """The date of the meeting the previous sentence reports (11月28日，…召开…会议), which a
    sentence opening with 会议指出 / "The meeting said" goes on to describe."""
    ps, pe, _ = prev
    if not _MEETING.search(text, ps, pe):
        return None
    found = dates[bisect.bisect_left(date_starts, ps) : bisect.bisect_right(date_starts, pe)]
    return found[0] if found else None


def _actor(text: str, t: Trigger, in_sentence: list[Name], rules: Rules, s: int) -> str | None:
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


def _headline_lines(text: str, title: str | None) -> list[tuple[int, int]]:
    """Lines that repeat the document's title: scraped pages start with the headline, and a
    headline compresses (the mainland "keeps its ban") rather than reports an event."""
    key = " ".join((title or "").split())
    if not 12 <= len(key) <= 160 or key.endswith((".", "。", "!", "！")):
        return []  # a whole lead paragraph given as the title is not a headline
    spans, pos = [], 0
    for line in text.splitlines(keepends=True):
        if " ".join(line.split()) == key:
            spans.append((pos, pos + len(line)))
        pos += len(line)
    return spans


def _in_title(text: str, t: Trigger, sent_start: int, issuing: re.Pattern[str]) -> bool:
    """A trigger inside a 《title》 names the document, not an action (《打擊洗錢…條例》);
    the title's head noun (《…通知》, 《…指引》) still types the verb that issues it."""
    o = text.rfind("《", sent_start, t.start + 1)
    if o < 0 or text.rfind("》", o, t.start) >= 0:
        return False
    c = text.find("》", t.end)
    if c < 0 or "。" in text[t.end : c]:
        return False
    if c - t.end > 2:
        return True
    # the head noun types an issuing verb before the title (发布《…指引》); with none the title
    # is only named (a headline "《…指引》咨询速读", 根据《…指引》)
    return not issuing.search(text, max(sent_start, o - 8), o)


def _closing(text: str, t: Trigger, clause: tuple[int, int], zh: bool) -> bool:
    """Whether a consultation mention only states its closing date."""
    after = text[t.end : clause[1]]
    if not zh:
        after = _INSERTION.sub("", after, count=1)  # "The consultation, run by the SFC, will end on …"
    if (_CLOSING_ZH if zh else _CLOSING_EN).match(after):
        return not _OPENED.search(text, max(clause[0], t.start - 40), t.start)  # "opening a period that runs until"
    return bool(_CLOSING_BEFORE.search(text, max(clause[0], t.start - 40), t.start))


def _effect_type(text: str, clause_start: int, pos: int) -> str | None:
    """'guidance' when the thing taking effect is a guideline or circular, None when it is a
    licence (its own validity, no legislation), else 'ordinance'. The nearest noun decides."""
    before = text[max(clause_start, pos - 160) : pos]
    legis = max((m.end() for m in _LEGISLATION.finditer(before)), default=-1)
    guide = max((m.end() for m in _GUIDE_NOUN.finditer(before)), default=-1)
    licence = max((m.end() for m in _LICENCE_NOUN.finditer(before)), default=-1)
    if licence > max(legis, guide):
        return None
    if guide > legis:
        return "guidance"
    return "ordinance"


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
