"""Merging mentions into timeline events, and querying the timeline.

Two mentions are the same real-world event only when nothing tells them apart and their
dates fit: the same type and jurisdiction; dates equal, nested, or one unknown; and no
disagreement on the party (two firms licensed on one day are two licences), the actor (an
HKMA consultation is not the SFC's) or the subject. Names are compared as identities from
rules/entities.toml, so "證監會" and "the SFC" agree. A more precise date refines a vaguer
one, and a planned step that is reported done becomes done; either records the change and
bumps the revision so that watchlists post the update in the original alert's thread.

Candidates are looked up through indexes (kind and a date window, or kind and subject for
undated mentions) and counts are kept on the event, so a merge costs the same at a million
events as at a thousand.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Protocol, cast

from sqlalchemy import ColumnElement, and_, func, or_, text
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from tracker.identity import Identities, default_identities
from tracker.models import UNPLACED, Document, Event, Mention, Source, utcnow
from tracker.periods import PRECISION_RANK, contains, period_of
from tracker.vocab import STATUSES

__all__ = [
    "MergeOutcome", "merge_mention", "TimelineFilter", "query_timeline", "iter_timeline", "timeline_statement",
    "EventFields", "Provenance", "page_provenance", "event_sources", "placed_date", "place_event", "STATUSES",
    "lock_kinds",
]  # fmt: skip

_STATUS_RANK = {name: rank for rank, name in enumerate(STATUSES)}
#: The widest period a date can name (a year): a containing event starts at most this early.
_WIDEST = timedelta(days=366)
#: Each candidate lookup reads at most this many events (the most recent undated ones, the
#: first ones inside a year): a scan that grows with the timeline would make ingest O(N²).
_CANDIDATES = 50


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


def _told_apart(event: Event, mention: Mention, ids: Identities) -> bool:
    """A named difference: other firms or instrument, another authority, another subject."""
    if event.subject and mention.subject and event.subject != mention.subject:
        return True
    return ids.parties_differ(event.party, mention.party) or ids.actors_differ(event.actor, mention.actor)


def _agree(event: Event, mention: Mention, ids: Identities) -> bool:
    """An explicit agreement: a shared party, the same subject, or (lacking subjects) the same actor."""
    if ids.parties(event.party) & ids.parties(mention.party):
        return True
    if _same(event.subject, mention.subject):
        return True
    return not (event.subject or mention.subject) and ids.same_actor(event.actor, mention.actor)


def _compatible(event: Event, mention: Mention, ids: Identities) -> int:
    """How well ``mention`` fits ``event``: 3 same date, 2 nested dates, 1 one date unknown, 0 no.

    Dates are the strong evidence. Where a date is missing on either side, only an explicit
    agreement joins the two: "The SFC banned it" must not swallow every later HK ban, nor
    lend them its sentence."""
    if _told_apart(event, mention, ids):
        return 0
    if event.date_value is None or mention.date_value is None:
        if not _agree(event, mention, ids):
            return 0
        return 3 if event.date_value == mention.date_value else 1
    if event.date_value == mention.date_value:
        return 3
    if contains(event.date_value, mention.date_value) or contains(mention.date_value, event.date_value):
        return 2
    return 0


def place_event(event: Event) -> None:
    """Store where the timeline shows ``event`` (see :attr:`Event.placed_at`)."""
    event.placed_at = event.sort_start or event.first_published_at or UNPLACED
    event.precision_rank = _rank(event.precision)


def _set_date(event: Event, mention: Mention) -> None:
    period = period_of(mention.date_value)
    event.date_value = mention.date_value
    event.precision = mention.precision
    event.qualifier = mention.qualifier or event.qualifier
    event.date_text = mention.date_text
    event.sort_start = period.start_datetime() if period else None
    event.sort_end = period.end_datetime() if period else None
    place_event(event)


def _new_event(session: Session, mention: Mention, published: datetime | None, ids: Identities) -> Event:
    event = Event(
        type=mention.type,
        jurisdiction=mention.jurisdiction,
        actor=mention.actor,
        subject=mention.subject,
        status=mention.status,
        party=mention.party,
        evidence=mention.evidence,
        confidence=mention.confidence,
        first_published_at=published,
    )
    _set_date(event, mention)
    _set_keys(event, ids)
    session.add(event)
    session.flush()
    return event


def _containing_starts(first: date) -> list[datetime]:
    """Where every period that can contain the day ``first`` starts: its year, half,
    quarter, month and ISO week, and the day itself. A containing event starts at one of
    these, so an equality lookup finds it without scanning a year of the timeline."""
    days = {
        date(first.year, 1, 1),
        date(first.year, 1 if first.month <= 6 else 7, 1),
        date(first.year, 3 * ((first.month - 1) // 3) + 1, 1),
        first.replace(day=1),
        first - timedelta(days=first.weekday()),
        first,
    }
    return [datetime(d.year, d.month, d.day, tzinfo=UTC) for d in sorted(days)]


def _candidates(session: Session, mention: Mention, ids: Identities) -> list[Event]:
    """The events ``mention`` could join, through the kind indexes, each lookup bounded:
    for a dated mention, those whose period may contain its own (by their start), those
    inside it, and the recent undated ones that may agree with it; for an undated mention,
    the recent ones that may agree with it."""
    kind = and_(col(Event.type) == mention.type, col(Event.jurisdiction) == mention.jurisdiction)
    found: dict[int | None, Event] = {}

    def add(stmt: SelectOfScalar[Event]) -> None:
        for event in session.exec(stmt).all():
            found.setdefault(event.id, event)

    period = period_of(mention.date_value)
    if period is not None:
        start, end = period.start_datetime(), period.end_datetime()
        containing = col(Event.sort_start).in_(_containing_starts(period.first))
        add(select(Event).where(kind, containing).order_by(col(Event.id)).limit(_CANDIDATES))
        inside = and_(col(Event.sort_start) >= start, col(Event.sort_start) <= end)
        add(select(Event).where(kind, inside).order_by(col(Event.sort_start), col(Event.id)).limit(_CANDIDATES))
        for agreeing in _agreeing(mention, ids):
            stmt = select(Event).where(kind, col(Event.sort_start).is_(None), agreeing)
            add(stmt.order_by(col(Event.id).desc()).limit(_CANDIDATES))
        return list(found.values())
    for agreeing in _agreeing(mention, ids):
        add(select(Event).where(kind, agreeing).order_by(col(Event.id).desc()).limit(_CANDIDATES))
    return list(found.values())


def _agreeing(mention: Mention, ids: Identities) -> list[ColumnElement[bool]]:
    """One indexed condition per way :func:`_agree` can hold: the same subject, the same
    first party, or (without subjects) the same actor. Without a date only an agreement
    joins two mentions, and each way is its own index range, never a scan of the kind."""
    ways: list[ColumnElement[bool]] = []
    if mention.subject:
        ways.append(col(Event.subject) == mention.subject)
    party = _first_party_key(mention.party, ids)
    if party:
        ways.append(col(Event.party_key) == party)
    actor = ids.of(mention.actor)
    if actor and not mention.subject:
        ways.append(and_(col(Event.actor_key) == actor, col(Event.subject).is_(None)))
    return ways


def _first_party_key(party: str | None, ids: Identities) -> str | None:
    return ids.of(party.split(";")[0]) if party else None


def _set_keys(event: Event, ids: Identities) -> None:
    event.actor_key = ids.of(event.actor)
    event.party_key = _first_party_key(event.party, ids)


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


def merge_mention(
    session: Session,
    mention: Mention,
    source_id: int,
    published: datetime | None,
    identities: Identities | None = None,
) -> MergeOutcome:
    """Attach ``mention`` (already added to the session) to its event, creating or refining it."""
    ids = identities if identities is not None else default_identities()
    _lock_candidates(session, mention)
    candidates = _candidates(session, mention, ids)
    scored = [(score, event) for event in candidates if (score := _compatible(event, mention, ids))]
    if not scored:
        event = _new_event(session, mention, published, ids)
        mention.event_id = event.id
        return MergeOutcome(event, True, None)
    scored.sort(key=lambda pair: (-pair[0], pair[1].id or 0))
    event = scored[0][1]
    mention.event_id = event.id
    changes = _refine_date(event, mention) + _advance_status(event, mention)
    changes += _count_provenance(session, event, mention, source_id)
    event.confidence = max(event.confidence, mention.confidence)
    event.actor = event.actor or mention.actor
    event.subject = event.subject or mention.subject
    event.party = _joined_party(event.party, mention.party, ids)
    _set_keys(event, ids)
    if published and (event.first_published_at is None or published < event.first_published_at):
        event.first_published_at = published
        place_event(event)
    if changes:
        event.revision += 1
        event.change = "; ".join(changes)
        event.updated_at = utcnow()
    session.add(event)
    return MergeOutcome(event, False, event.change if changes else None)


def _refine_date(event: Event, mention: Mention) -> list[str]:
    """A more precise date inside the event's own replaces it, with its sentence."""
    if not mention.date_value:
        return []
    if event.date_value is not None and not (
        _rank(mention.precision) > _rank(event.precision) and contains(event.date_value, mention.date_value)
    ):
        return []
    before = event.date_value
    _set_date(event, mention)
    event.evidence = mention.evidence  # the sentence shown is the one that gives the date shown
    event.previous_date_value = before
    return [f"date refined from {before or 'unknown'} to {event.date_value}"]


def _advance_status(event: Event, mention: Mention) -> list[str]:
    """A planned step reported as done (or in force) has happened: that is news. A restated
    measure matched to its original notice becomes done quietly: nothing new happened."""
    if _STATUS_RANK.get(mention.status, 2) <= _STATUS_RANK.get(event.status, 2):
        return []
    before, event.status = event.status, mention.status
    return [f"status changed from {before} to {mention.status}"] if before == "planned" else []


def _count_provenance(session: Session, event: Event, mention: Mention, source_id: int) -> list[str]:
    """Bump the event's source and document counts when this mention brings a new one; one
    indexed probe each instead of re-reading every mention of the event."""
    others = select(Mention.id).where(Mention.event_id == event.id, Mention.id != mention.id)
    same_document = session.exec(others.where(Mention.document_id == mention.document_id).limit(1)).first()
    if same_document is None:
        event.document_count = (event.document_count or 0) + 1
    same_source = session.exec(
        others.join(Document, col(Document.id) == col(Mention.document_id))
        .where(Document.source_id == source_id)
        .limit(1)
    ).first()
    if same_source is not None:
        return []
    event.source_count = (event.source_count or 0) + 1
    return ["confirmed by another source"]


def _joined_party(current: str | None, new: str | None, ids: Identities) -> str | None:
    """The event's parties plus any the mention names that it lacks."""
    if not new:
        return current
    if not current:
        return new
    known = ids.parties(current)
    extra = [part.strip() for part in new.split(";") if ids.of(part) not in known]
    return "; ".join([current, *extra]) if extra else current


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
        stmt = stmt.where(placed >= flt.since - _WIDEST, reach >= flt.since)
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


class EventFields(Protocol):
    """What a timeline row reads of an event: an :class:`Event`, or a plain row of its table."""

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


def iter_timeline(session: Session, flt: TimelineFilter, page: int = 500) -> Iterator[Sequence[EventFields]]:
    """The same events as :func:`query_timeline`, a page at a time from one streamed query,
    as plain rows of the events table: a dump of a million events never holds them all, and
    skips the cost of building an ORM object for each."""
    table = Event.__table__.c  # type: ignore[attr-defined]
    stmt = timeline_statement(flt).with_only_columns(*(table[name] for name in EventFields.__annotations__))
    result = session.connection().execution_options(yield_per=page).execute(stmt)
    for part in result.partitions(page):
        yield cast(Sequence[EventFields], part)


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
    # five columns: past what sqlmodel's select is typed for, so the session's connection runs it
    rows = session.connection().execute(
        select(col(Mention.event_id), col(Document.id), col(Source.name), col(Document.url))
        .add_columns(col(Mention.evidence))
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
