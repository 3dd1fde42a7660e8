"""Merging mentions into timeline events, and querying the timeline.

Two mentions are the same real-world event when they agree on type and jurisdiction, their
dates are compatible (equal, one contains the other, or one is unknown) and their subjects do
not disagree. A more precise date refines a vaguer one, and the event records the change and
bumps its revision so that watchlists can post the update in the original alert's thread.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, case, func, or_, text
from sqlmodel import Session, col, select

from tracker.models import Document, Event, Mention, Source, utcnow
from tracker.periods import PRECISION_RANK, contains, period_of

__all__ = [
    "MergeOutcome", "merge_mention", "TimelineFilter", "query_timeline", "iter_timeline", "timeline_statement",
    "Provenance", "page_provenance", "event_sources", "placed_date", "lock_kinds",
]  # fmt: skip


@dataclass(frozen=True)
class MergeOutcome:
    """What a merge did: the event, and whether it is new or changed (and how)."""

    event: Event
    created: bool
    change: str | None


def _rank(precision: str | None) -> int:
    return PRECISION_RANK.get(precision or "", -1)


def _same(a: str | None, b: str | None) -> bool:
    return bool(a and b and a.casefold() == b.casefold())


def _compatible(event: Event, mention: Mention) -> int:
    """How well ``mention`` fits ``event``: 3 same date, 2 nested dates, 1 one date unknown, 0 no.

    Dates are the strong evidence. Where a date is missing on either side, only an explicit
    agreement on the subject (or, lacking subjects, on the actor) joins the two: "The SFC
    banned it" must not swallow every later HK ban, nor lend them its sentence."""
    if event.subject and mention.subject and event.subject != mention.subject:
        return 0
    if event.date_value is None or mention.date_value is None:
        agree = _same(event.subject, mention.subject) or (
            not (event.subject or mention.subject) and _same(event.actor, mention.actor)
        )
        return (3 if event.date_value == mention.date_value else 1) if agree else 0
    if event.date_value == mention.date_value:
        return 3
    if contains(event.date_value, mention.date_value) or contains(mention.date_value, event.date_value):
        return 2
    return 0


def _set_date(event: Event, mention: Mention) -> None:
    period = period_of(mention.date_value)
    event.date_value = mention.date_value
    event.precision = mention.precision
    event.qualifier = mention.qualifier or event.qualifier
    event.date_text = mention.date_text
    event.sort_start = period.start_datetime() if period else None
    event.sort_end = period.end_datetime() if period else None


def _new_event(session: Session, mention: Mention, published: datetime | None) -> Event:
    event = Event(
        type=mention.type,
        jurisdiction=mention.jurisdiction,
        actor=mention.actor,
        subject=mention.subject,
        evidence=mention.evidence,
        confidence=mention.confidence,
        first_published_at=published,
    )
    _set_date(event, mention)
    session.add(event)
    session.flush()
    return event


def lock_kinds(session: Session, kinds: Iterable[tuple[str, str]]) -> None:
    """On PostgreSQL, workers merging mentions of one (type, jurisdiction) take turns, so two
    of them cannot both create the same event; the locks end with the transaction. (SQLite
    already serialises writers: the document insert before the merge holds its write lock.)

    Every (type, jurisdiction) of a document is locked here at once, in one sorted order:
    two documents that name the same two kinds in opposite order would otherwise each hold
    one lock and wait for the other's (a deadlock). Locking a kind again later in the same
    transaction returns at once, so :func:`merge_mention` may lock its own kind again."""
    bind = session.get_bind()
    if bind.dialect.name != "postgresql":
        return
    keys = sorted(
        {int.from_bytes(hashlib.blake2b(f"{t}|{j}".encode(), digest_size=8).digest(), "big", signed=True)
         for t, j in kinds}
    )  # fmt: skip
    for key in keys:
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


def _lock_candidates(session: Session, mention: Mention) -> None:
    lock_kinds(session, [(mention.type, mention.jurisdiction)])


def merge_mention(session: Session, mention: Mention, source_id: int, published: datetime | None) -> MergeOutcome:
    """Attach ``mention`` (already added to the session) to its event, creating or refining it."""
    _lock_candidates(session, mention)
    candidates = session.exec(
        select(Event).where(Event.type == mention.type, Event.jurisdiction == mention.jurisdiction)
    ).all()
    scored = [(score, event) for event in candidates if (score := _compatible(event, mention))]
    if not scored:
        event = _new_event(session, mention, published)
        mention.event_id = event.id
        return MergeOutcome(event, True, None)
    scored.sort(key=lambda pair: (-pair[0], pair[1].id or 0))
    event = scored[0][1]
    mention.event_id = event.id
    changes: list[str] = []
    if mention.date_value and (
        event.date_value is None
        or (_rank(mention.precision) > _rank(event.precision) and contains(event.date_value, mention.date_value))
    ):
        before = event.date_value
        _set_date(event, mention)
        event.evidence = mention.evidence  # the sentence shown is the one that gives the date shown
        event.previous_date_value = before
        changes.append(f"date refined from {before or 'unknown'} to {event.date_value}")
    other_sources = session.exec(
        select(Document.source_id)
        .join(Mention, col(Mention.document_id) == col(Document.id))
        .where(Mention.event_id == event.id, Mention.id != mention.id)
    ).all()
    if source_id not in set(other_sources):
        changes.append("confirmed by another source")
    event.source_count = _count_sources(session, event.id)
    event.confidence = max(event.confidence, mention.confidence)
    event.actor = event.actor or mention.actor
    event.subject = event.subject or mention.subject
    if published and (event.first_published_at is None or published < event.first_published_at):
        event.first_published_at = published
    if changes:
        event.revision += 1
        event.change = "; ".join(changes)
        event.updated_at = utcnow()
    session.add(event)
    return MergeOutcome(event, False, event.change if changes else None)


def _count_sources(session: Session, event_id: int | None) -> int:
    rows = session.exec(
        select(Document.source_id)
        .join(Mention, col(Mention.document_id) == col(Document.id))
        .where(Mention.event_id == event_id)
        .distinct()
    ).all()
    return max(1, len(rows))


@dataclass(frozen=True)
class TimelineFilter:
    """Filters of `tracker timeline`; dates are period bounds already resolved by the CLI."""

    jurisdictions: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    since: datetime | None = None
    until: datetime | None = None
    match: str | None = None
    min_confidence: float = 0.0
    limit: int | None = None
    offset: int = 0


def placed_date(event: Event) -> datetime | None:
    """Where the event sits on the timeline: its date's period, else its first publication."""
    return event.sort_start or event.first_published_at


def _placed_column() -> ColumnElement[datetime]:
    """:func:`placed_date` in SQL, so that the database filters and orders by it."""
    return func.coalesce(col(Event.sort_start), col(Event.first_published_at))


def _rank_column() -> ColumnElement[int]:
    """The rank of an event's precision in SQL (wider periods first), as :func:`_rank` gives it."""
    return case(*((col(Event.precision) == name, rank) for name, rank in PRECISION_RANK.items()), else_=-1)


def timeline_statement(flt: TimelineFilter) -> Select:
    """The SELECT of the events ``flt`` asks for, in timeline order, filtered, ordered and
    paged by the database: loading every event into Python costs seconds at 100k events.

    Order: by the start of the date's period (else the first publication), wider periods
    first, then by id; events placed nowhere come last. An event without any date passes
    the --since and --until bounds, as it always has."""
    placed = _placed_column()
    stmt = select(Event)
    if flt.jurisdictions:
        stmt = stmt.where(col(Event.jurisdiction).in_(flt.jurisdictions))
    if flt.types:
        stmt = stmt.where(col(Event.type).in_(flt.types))
    if flt.min_confidence:
        stmt = stmt.where(col(Event.confidence) >= flt.min_confidence)
    if flt.match:
        like = f"%{flt.match.lower()}%"
        stmt = stmt.where(
            or_(
                col(Event.evidence).ilike(like),
                col(Event.subject).ilike(like),
                col(Event.actor).ilike(like),
            )
        )
    if flt.since:
        # a period that ends on or after the bound overlaps it; undated events count from publication
        reach = func.coalesce(col(Event.sort_end), placed)
        stmt = stmt.where(or_(reach.is_(None), reach >= flt.since))
    if flt.until:
        stmt = stmt.where(or_(placed.is_(None), placed <= flt.until))
    stmt = stmt.order_by(placed.is_(None), placed, _rank_column(), col(Event.id))
    if flt.offset:
        stmt = stmt.offset(flt.offset)
    if flt.limit:
        stmt = stmt.limit(flt.limit)
    return stmt


def query_timeline(session: Session, flt: TimelineFilter) -> list[Event]:
    """Events in timeline order: by the start of their date's period, wider periods first,
    undated events at their publication date."""
    return list(session.exec(timeline_statement(flt)).all())


def iter_timeline(session: Session, flt: TimelineFilter, page: int = 500) -> Iterator[list[Event]]:
    """The same events as :func:`query_timeline`, a page at a time from one streamed query,
    so that a dump of a million events never holds them all in memory."""
    result = session.exec(timeline_statement(flt).execution_options(yield_per=page))
    yield from (list(part) for part in result.partitions(page))


@dataclass(frozen=True)
class Provenance:
    """One mention of an event: where it was said and how."""

    document_id: int
    source: str
    url: str | None
    evidence: str


def page_provenance(session: Session, event_ids: Sequence[int]) -> dict[int, list[Provenance]]:
    """The mentions of every event of a page, oldest first, in one query (not one per event)."""
    found: dict[int, list[Provenance]] = {event_id: [] for event_id in event_ids}
    if not event_ids:
        return found
    rows = session.exec(
        select(Mention.event_id, Document.id, Source.name, Document.url, Mention.evidence)
        .join(Document, col(Document.id) == col(Mention.document_id))
        .join(Source, col(Source.id) == col(Document.source_id))
        .where(col(Mention.event_id).in_(event_ids))
        .order_by(col(Mention.id))
    ).all()
    for event_id, document_id, name, url, evidence in rows:
        found[event_id].append(Provenance(document_id, name, url, evidence))
    return found


def event_sources(session: Session, event_id: int | None) -> list[tuple[str, str | None, str]]:
    """(source name, URL, evidence) of every mention of the event, oldest first."""
    if event_id is None:
        return []
    return [(p.source, p.url, p.evidence) for p in page_provenance(session, [event_id])[event_id]]
