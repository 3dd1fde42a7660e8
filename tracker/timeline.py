"""Merging mentions into timeline events (the queries are in tracker.timeline_query).

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
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import ColumnElement, and_, text
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from tracker.identity import Identities, default_identities
from tracker.models import UNPLACED, Document, Event, Mention, utcnow
from tracker.periods import PRECISION_RANK, contains, period_of
from tracker.vocab import STATUSES

__all__ = ["MergeOutcome", "merge_mention", "place_event", "lock_kinds", "STATUSES"]

_STATUS_RANK = {name: rank for rank, name in enumerate(STATUSES)}
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
    event.qualifier = mention.qualifier  # the date's own: "by Q1" refined to "on 15 March" is not "by" it
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
