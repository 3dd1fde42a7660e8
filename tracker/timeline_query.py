"""Querying the timeline: filters, the ordered and paged SELECT, and provenance per page.

The database filters, orders and pages (loading every event into Python costs seconds at
100k events); ``iter_timeline`` streams pages so a million-event dump never holds them all.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import func, or_
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from tracker.models import UNPLACED, Document, Event, Mention, Source
from tracker.periods import WIDEST

__all__ = [
    "TimelineFilter", "query_timeline", "iter_timeline", "timeline_statement", "EventRow", "Provenance",
    "page_provenance", "event_sources", "placed_date",
]  # fmt: skip


@dataclass(frozen=True)
class TimelineFilter:
    """Filters of `tracker timeline`; dates are period bounds already resolved by the CLI."""

    jurisdictions: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    since: datetime | None = None
    until: datetime | None = None
    match: str | None = None
    min_confidence: float = 0.0
    statuses: tuple[str, ...] = ()
    limit: int | None = None
    offset: int = 0


def placed_date(event: Event) -> datetime | None:
    """Where the event sits on the timeline: its date's period, else its first publication."""
    return event.sort_start or event.first_published_at


def timeline_statement(flt: TimelineFilter) -> SelectOfScalar[Event]:
    """The SELECT of the events ``flt`` asks for, in timeline order, filtered, ordered and
    paged by the database: loading every event into Python costs seconds at 100k events.

    Order: by the start of the date's period (else the first publication), wider periods
    first, then by id; events placed nowhere come last. An event without any date passes
    the --since and --until bounds, as it always has."""
    placed = col(Event.placed_at)
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
                col(Event.party).ilike(like),
            )
        )
    if flt.statuses:
        stmt = stmt.where(col(Event.status).in_(flt.statuses))
    if flt.since:
        # a period that ends on or after the bound overlaps it; no period is wider than a
        # year, so the index range starts a year early and the exact test does the rest
        reach = func.coalesce(col(Event.sort_end), placed)
        stmt = stmt.where(placed >= flt.since - WIDEST, reach >= flt.since)
    if flt.until:
        stmt = stmt.where(or_(placed <= flt.until, placed == UNPLACED))
    stmt = stmt.order_by(placed, col(Event.precision_rank), col(Event.id))
    if flt.offset:
        stmt = stmt.offset(flt.offset)
    if flt.limit:
        stmt = stmt.limit(flt.limit)
    return stmt


def query_timeline(session: Session, flt: TimelineFilter) -> list[Event]:
    """Events in timeline order: by the start of their date's period, wider periods first,
    undated events at their publication date."""
    return list(session.exec(timeline_statement(flt)).all())


class EventRow(NamedTuple):
    """What a timeline row reads of one event, as a plain tuple: what a streamed dump reads.

    A row of the driver read by attribute costs half a microsecond a field in SQLAlchemy's
    Python code, which at a million events and seventeen fields was seconds; a named tuple's
    fields are read in C. ``of`` gives the same fields of an :class:`Event` object."""

    id: int | None
    type: str
    jurisdiction: str
    date_value: str | None
    precision: str | None
    qualifier: str | None
    status: str
    party: str | None
    subject: str | None
    actor: str | None
    evidence: str
    confidence: float
    source_count: int
    document_count: int
    revision: int
    change: str | None
    first_published_at: datetime | None

    @classmethod
    def of(cls, event: Event) -> EventRow:
        return cls._make(getattr(event, name) for name in cls._fields)


def iter_timeline(session: Session, flt: TimelineFilter, page: int = 500) -> Iterator[list[EventRow]]:
    """The same events as :func:`query_timeline`, a page at a time from one streamed query,
    as plain rows of the events table: a dump of a million events never holds them all, and
    skips the cost of building an ORM object for each."""
    table = Event.__table__.c  # type: ignore[attr-defined]
    stmt = timeline_statement(flt).with_only_columns(*(table[name] for name in EventRow._fields))
    result = session.connection().execution_options(yield_per=page).execute(stmt)
    make = EventRow._make
    for part in result.partitions(page):
        yield [make(row) for row in part]


class Provenance(NamedTuple):
    """One mention of an event: where it was said and how (a tuple: a dump builds millions)."""

    document_id: int
    source: str
    url: str | None
    evidence: str


def page_provenance(session: Session, event_ids: Sequence[int]) -> dict[int, list[Provenance]]:
    """The mentions of every event of a page, oldest first, in one query (not one per event)."""
    found: dict[int, list[Provenance]] = {event_id: [] for event_id in event_ids}
    if not event_ids:
        return found
    # five columns: past what sqlmodel's select is typed for, so the session's connection runs it
    rows = session.connection().execute(
        select(col(Document.id), col(Source.name), col(Document.url), col(Mention.evidence))
        .add_columns(col(Mention.event_id))
        .join(Document, col(Document.id) == col(Mention.document_id))
        .join(Source, col(Source.id) == col(Document.source_id))
        .where(col(Mention.event_id).in_(event_ids))
        .order_by(col(Mention.id))
    ).all()
    make = Provenance._make
    for row in rows:
        found[row[4]].append(make(row[:4]))
    return found


def event_sources(session: Session, event_id: int | None) -> list[tuple[str, str | None, str]]:
    """(source name, URL, evidence) of every mention of the event, oldest first."""
    if event_id is None:
        return []
    return [(p.source, p.url, p.evidence) for p in page_provenance(session, [event_id])[event_id]]
