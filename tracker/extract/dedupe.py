"""One event stated twice in one document is one event.

Mentions of the same type and jurisdiction fold together when their dates are compatible
(equal, nested, or one missing) and their subjects and actors do not disagree; the most
precise, most confident statement is kept. Kept apart from ``tracker.extract.events`` so that the
rules for "same event" read in one place.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from dataclasses import replace
from functools import lru_cache

from tracker.extract.confidence import MIN_CONFIDENCE
from tracker.extract.model import Mention
from tracker.rules import Rules

__all__ = ["dedupe"]


def _compatible(a: str | None, b: str | None) -> bool:
    generic = {None, "crypto_trading"}
    return a in generic or b in generic or a == b


def _distinct_actors(a: Mention, b: Mention) -> bool:
    """Two sentences, two named actors: "the PBoC banned X on Friday. The same day, the NDRC
    banned Y" are two events although type, place and date agree."""
    return (
        a.sentence_start != b.sentence_start
        and a.actor is not None
        and b.actor is not None
        and a.actor.lower() != b.actor.lower()
        and a.subject != b.subject
    )


def _another_actors_step(m: Mention, k: Mention) -> bool:
    """An undated step its own named authority takes ("The PBoC has issued a notice barring
    banks from handling bitcoin") does not restate a step of another sentence that this
    authority is not named taking: a dated one ("In 2009 the government outlawed gold
    farming"), or an undated one another authority takes (青海省工信厅… then 四川省发改委…)."""
    if m.date is not None or m.actor is None or k.sentence_start == m.sentence_start:
        return False
    if k.date is None and k.actor is None:
        return False  # a first, actorless statement the named one spells out
    return (k.actor or "").lower() != m.actor.lower()


def _another_step(m: Mention, k: Mention, rules: Rules) -> bool:
    """ "The SFC also launched a consultation on advisers", 另外…亦: a sentence that says it
    adds a step states a new one, not the one told before."""
    return k.sentence_start != m.sentence_start and rules.pattern("additive").search(m.evidence) is not None


def _self_dated(m: Mention, rules: Rules) -> bool:
    """Dated by the document's own issue ("自发布之日起施行"), or undated in a sentence that says
    so ("takes effect from the date of issue": no date expression to resolve)."""
    if m.date is None:
        return not m.date_text and _says_self_dated(m.evidence, rules.pattern("self_dated"))
    return bool(m.date_text) and _says_self_dated(m.date_text, rules.pattern("self_dated"))


@lru_cache(maxsize=4096)
def _says_self_dated(text: str, pattern: re.Pattern[str]) -> bool:
    return pattern.search(text) is not None


def _undated(m: Mention, rules: Rules) -> bool:
    return m.date is None or _self_dated(m, rules)


def _unresolved_apart(a: Mention, b: Mention, rules: Rules) -> bool:
    """Two mentions dated by phrases that did not resolve (no publication date) and differ:
    two steps, not one step told twice."""
    if a.date is not None or b.date is not None or not a.date_text or not b.date_text:
        return False
    prep = rules.pattern("leading_preposition")
    return prep.sub("", a.date_text.strip().lower()) != prep.sub("", b.date_text.strip().lower())


def _nested(a: str | None, b: str | None) -> bool:
    """Whether one date value contains the other ("2021" contains "2021-09")."""
    if not a or not b or a == b:
        return False
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return long_.startswith(short + "-") and "Q" not in long_ and "W" not in long_


def dedupe(
    mentions: list[Mention], rules: Rules, refs: AbstractSet[int] = frozenset(), sequels: AbstractSet[int] = frozenset()
) -> list[Mention]:
    """One mention per event: same type, jurisdiction and date with a compatible subject.

    "the 2021 ban … since the 2021 ban … in September 2021": a date used attributively
    (``refs``) that contains another's date (2021 ⊃ 2021-09) restates that event; the most
    precise mention is kept.

    A sequel (``sequels``: "passed in May and later gazetted", 其後刊憲) is a step of its own
    and never folds.

    An undated mention folds into a dated one of the same type, jurisdiction and subject: a
    restatement ("China's ongoing ban") adds no event to a document that dates it. Confident
    mentions are placed first, so a hedged echo never replaces a stated fact.
    """
    order = sorted(
        mentions, key=lambda m: (m.confidence < MIN_CONFIDENCE, _undated(m, rules), -m.confidence, m.sentence_start)
    )
    kept: list[Mention] = []
    index = _Index(rules)
    undated = _Undated(kept, rules)
    for m in order:
        if id(m) in sequels:
            pos = None
        elif m.date is None and not _self_dated(m, rules):
            pos = undated.first(m)  # what _twin finds, without a scan of every kept mention
            if pos is not None and (_another_actors_step(m, kept[pos]) or _another_step(m, kept[pos], rules)):
                pos = undated.same_sentence(m)  # not another sentence's step; its own sentence's, still
        else:
            pos = _twin(m, kept, index, refs, rules)
        if pos is None:
            index.add(m, len(kept))
            undated.add(len(kept), m)
            kept.append(m)
            continue
        twin = kept[pos]
        if (
            m.date
            and twin.date
            and len(m.date) > len(twin.date)
            and m.confidence >= MIN_CONFIDENCE
            and not _self_dated(m, rules)
        ):
            kept[pos] = replace(m, subject=m.subject or twin.subject)  # the precise restatement
            index.add(kept[pos], pos)
            undated.add(pos, kept[pos])
        elif twin.subject is None and m.subject is not None and twin.date == m.date:
            kept[pos] = replace(twin, subject=m.subject)
            undated.add(pos, kept[pos])
    kept.sort(key=lambda m: (m.sentence_start, m.type))
    return kept


class _Index:
    """Kept mentions by (type, jurisdiction), and by date and date prefix within it, so a
    dated mention is compared only with the kept ones whose date can equal or nest its own:
    the cost stays linear in the number of mentions on long pages."""

    def __init__(self, rules: Rules) -> None:
        self.rules = rules
        self.bucket: dict[tuple[str, str | None], list[int]] = {}
        self.by_date: dict[tuple[str, str | None, str], list[int]] = {}
        self.by_prefix: dict[tuple[str, str | None, str], list[int]] = {}
        self.by_place: dict[str | None, list[int]] = {}

    def add(self, m: Mention, pos: int) -> None:
        key = (m.type, m.jurisdiction)
        bucket = self.bucket.setdefault(key, [])
        if not bucket or bucket[-1] < pos:
            bucket.append(pos)  # a replaced mention keeps its place
            self.by_place.setdefault(m.jurisdiction, []).append(pos)
        if m.date:
            self.by_date.setdefault((*key, m.date), []).append(pos)
            for prefix in _prefixes(m.date):
                self.by_prefix.setdefault((*key, prefix), []).append(pos)

    def candidates(self, m: Mention) -> list[int]:
        """Positions of the kept mentions ``m`` may restate, in kept order."""
        key = (m.type, m.jurisdiction)
        if m.date is None or _self_dated(m, self.rules):
            return self.bucket.get(key, [])
        found = set(self.by_date.get((*key, m.date), ()))
        found.update(self.by_prefix.get((*key, m.date), ()))  # kept dates nested in m's
        for prefix in _prefixes(m.date):  # kept dates containing m's
            found.update(self.by_date.get((*key, prefix), ()))
        return sorted(found)


_GENERIC_SUBJECTS = (None, "crypto_trading")


def _status_class(m: Mention) -> str:
    return m.status if m.status in ("planned", "restated") else ""


class _Undated:
    """The kept mention an undated mention restates, found as ``_twin`` would find it (the
    first in kept order that passes its tests) but by lookup, so long pages stay linear.

    For an undated mention, ``_twin`` asks of a kept one only its status class, subject,
    whether it is dated, its unresolved date phrase and its sentence: kept positions are
    filed under those keys, each list in kept order, and the answer is the smallest first
    position over the lists whose keys pass. A replaced mention is filed again under its
    new keys; an entry whose mention no longer has its list's keys is dropped when met.
    """

    def __init__(self, kept: list[Mention], rules: Rules) -> None:
        self.kept = kept
        self.rules = rules
        self.lists: dict[tuple[object, ...], list[int]] = {}
        self.subjects: dict[tuple[object, ...], set[str | None]] = {}  # (place key, class, dated) → subjects

    def _keys(self, m: Mention) -> list[tuple[object, ...]]:
        base = (m.type, m.jurisdiction, _status_class(m))
        if m.date is not None:
            return [(*base, "dated", m.subject)]
        keys: list[tuple[object, ...]] = [(*base, "undated", m.subject), (*base, "phrase", m.subject, self._phrase(m))]
        keys.append((m.type, m.jurisdiction, "sentence", m.sentence_start))
        return keys

    def _phrase(self, m: Mention) -> str | None:
        if not m.date_text:
            return None
        prep = self.rules.pattern("leading_preposition")
        return prep.sub("", m.date_text.strip().lower())

    def add(self, pos: int, m: Mention) -> None:
        for key in self._keys(m):
            found = self.lists.setdefault(key, [])
            if not found or found[-1] < pos:
                found.append(pos)
            else:
                bisect.insort(found, pos)
        self.subjects.setdefault((m.type, m.jurisdiction, _status_class(m), m.date is not None), set()).add(m.subject)

    def _head(self, key: tuple[object, ...], valid: Callable[[Mention], bool]) -> int | None:
        """The first position of a list whose mention still has the list's keys."""
        found = self.lists.get(key)
        while found:
            if valid(self.kept[found[0]]) and key in self._keys(self.kept[found[0]]):
                return found[0]
            found.pop(0)
        return None

    def first(self, m: Mention) -> int | None:
        base = (m.type, m.jurisdiction, _status_class(m))
        subjects = self.subjects.get((*base, False), set()) | self.subjects.get((*base, True), set())
        if m.subject not in _GENERIC_SUBJECTS:
            subjects &= {*_GENERIC_SUBJECTS, m.subject}
        heads: list[int | None] = []
        phrase = self._phrase(m)
        for subject in subjects:
            if phrase is None:
                heads.append(self._head((*base, "undated", subject), _always))
            else:  # kept phrases that differ are another step ("In June" and "On June 1")
                heads.append(self._head((*base, "phrase", subject, None), _always))
                heads.append(self._head((*base, "phrase", subject, phrase), _always))
        if not self.rules.pattern("reaffirm").search(m.evidence):  # "reiterated its ban": never a dated one
            elaborates = self.rules.pattern("elaboration").match(m.evidence) is not None
            dated = self.subjects.get((*base, True), set()) if elaborates else subjects
            heads += [self._head((*base, "dated", subject), _always) for subject in dated]
        heads.append(self.same_sentence(m))
        found = [h for h in heads if h is not None]
        return min(found) if found else None

    def same_sentence(self, m: Mention) -> int | None:
        """The kept undated mention of ``m``'s sentence it restates: one sentence, one step of
        a type, whatever the status and subject."""
        for pos in self.lists.get((m.type, m.jurisdiction, "sentence", m.sentence_start), []):
            k = self.kept[pos]
            if k.date is None and k.sentence_start == m.sentence_start and not _unresolved_apart(k, m, self.rules):
                return pos
        return None


def _always(m: Mention) -> bool:
    return True


def _prefixes(date: str) -> list[str]:
    """The coarser values that contain ``date`` ("2021-09-24" → "2021", "2021-09")."""
    if "Q" in date or "W" in date:
        return []
    parts = date.split("-")
    return ["-".join(parts[:i]) for i in range(1, len(parts))]


def _twin(m: Mention, kept: list[Mention], index: _Index, refs: AbstractSet[int], rules: Rules) -> int | None:
    """The position of the kept mention that ``m`` states again, or None."""
    if _self_dated(m, rules):
        # "该通知自发布之日起施行": the document named and dated before, whatever type its
        # content gave it (a notice that bans is a ban)
        for pos in index.by_place.get(m.jurisdiction, []):
            k = kept[pos]
            if k.date is not None and not _self_dated(k, rules) and k.sentence_start < m.sentence_start:
                return pos
    for pos in index.candidates(m):
        k = kept[pos]
        # one sentence, one date: a single event even when it lists two subjects
        # (監管指引及打擊洗錢指引)
        same_sentence = k.sentence_start == m.sentence_start and k.date == m.date
        elaborates = (
            m.date is None and k.date is not None and rules.pattern("elaboration").match(m.evidence) is not None
        )
        if (
            _self_dated(m, rules)
            and not _self_dated(k, rules)
            and k.date is not None
            and k.sentence_start < m.sentence_start
        ):
            return pos  # "通知自发布之日起施行": the notice already dated
        if not same_sentence and not elaborates and not _compatible(k.subject, m.subject):
            continue
        if _unresolved_apart(k, m, rules):
            continue  # "In June … issued" and "On June 1 … released" on a page without a date
        if (k.status == "planned") != (m.status == "planned") and not same_sentence:
            continue  # "will publish the conclusions" is another step than the consultation launched
        if (k.status == "restated") != (m.status == "restated") and not same_sentence:
            continue  # "virtual currencies remain illegal": a restatement, dated by itself, not the 2021 ban
        if k.date is not None and k.date == m.date and _distinct_actors(k, m):
            continue
        nested = _nested(k.date, m.date) and (
            k.sentence_start == m.sentence_start  # "banned it in 2021, when … on Sept. 24, 2021"
            or (id(k) in refs if len(k.date or "") < len(m.date or "") else id(m) in refs)
        )
        if m.date is None and k.date is not None and rules.pattern("reaffirm").search(m.evidence):
            continue  # "reiterated its ban", 重申: a new statement, not a restatement of the dated one
        if k.date == m.date or m.date is None or nested:
            return pos
    return None
