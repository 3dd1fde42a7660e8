"""SQLModel tables: sources → documents → mentions → events → alerts.

Unique constraints make every stage idempotent, so a re-run or a crash mid-way never
duplicates a row: a document is one row per normalised URL (and per content hash), a
mention is one row per (document, fingerprint), an alert is one row per (event, watchlist,
kind, revision). All datetimes are stored in UTC (SQLite drops offsets) and come back aware.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel, UniqueConstraint

__all__ = ["Source", "Document", "Mention", "Event", "Alert", "ChannelPacing", "Installation", "utcnow", "UNPLACED"]


#: ``Event.placed_at`` of an event placed nowhere (no date, no publication): after every
#: real date on both SQLite and PostgreSQL, which sort NULLs differently.
UNPLACED = datetime(9999, 12, 31, tzinfo=UTC)


def utcnow() -> datetime:
    """Aware UTC now: sqlmodel's UTCDateTime refuses naive datetimes, which is what we want."""
    return datetime.now(UTC)


class Source(SQLModel, table=True):
    """A configured source and its poll state (Miniflux keeps this on the feed row)."""

    __tablename__ = "sources"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, index=True)
    kind: str
    location: str
    etag: str | None = None
    last_modified: str | None = None
    last_poll_at: datetime | None = None
    last_success_at: datetime | None = None
    next_poll_at: datetime | None = Field(default=None, index=True)
    consecutive_failures: int = 0
    last_error: str | None = None
    last_status: str | None = None
    lease_owner: str | None = None
    lease_expires_at: datetime | None = None
    ops_alerted_at: datetime | None = None


class Document(SQLModel, table=True):
    """One fetched document; ``url_key`` is the normalised URL, ``content_hash`` its text's hash."""

    __tablename__ = "documents"
    __table_args__ = (UniqueConstraint("url_key", name="uq_documents_url_key"),)

    id: int | None = Field(default=None, primary_key=True)
    source_id: int = Field(foreign_key="sources.id", index=True)
    url: str | None = None
    url_key: str
    content_hash: str = Field(index=True)
    title: str | None = None
    published_at: datetime | None = None
    published_offset_minutes: int | None = None
    lang: str = "en"
    text: str
    fetched_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class Event(SQLModel, table=True):
    """One real-world event on the timeline, merged from its mentions."""

    __tablename__ = "events"
    # The timeline is read in placed order, whole or by jurisdiction and type; a merge looks
    # its candidates up by kind and date window. Each index serves one of those reads, so
    # that neither grows with the size of the timeline.
    __table_args__ = (
        Index("ix_events_placed", "placed_at", "precision_rank", "id"),
        Index("ix_events_jurisdiction_placed", "jurisdiction", "placed_at", "precision_rank", "id"),
        Index("ix_events_type_placed", "type", "placed_at", "precision_rank", "id"),
        Index("ix_events_kind_placed", "jurisdiction", "type", "placed_at", "precision_rank", "id"),
        Index("ix_events_kind_start", "type", "jurisdiction", "sort_start", "id"),
        Index("ix_events_kind_subject", "type", "jurisdiction", "subject", "id"),
        Index("ix_events_kind_actor", "type", "jurisdiction", "actor_key", "id"),
        Index("ix_events_kind_party", "type", "jurisdiction", "party_key", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    type: str
    jurisdiction: str
    date_value: str | None = None
    precision: str | None = None
    qualifier: str | None = None
    date_text: str | None = None
    sort_start: datetime | None = None
    sort_end: datetime | None = None
    #: where the timeline shows it: sort_start, else first publication, else UNPLACED
    placed_at: datetime = UNPLACED
    #: wider periods first among events placed at one instant (periods.PRECISION_RANK)
    precision_rank: int = -1
    actor: str | None = None
    subject: str | None = None
    #: done, planned or restated: the most realised status of its mentions
    status: str = "done"
    #: the named firm(s) or instrument the step concerns ("A; B"), or None
    party: str | None = None
    #: identities (tracker.identity) of the actor and of the first party, for indexed lookups
    actor_key: str | None = None
    party_key: str | None = None
    evidence: str
    confidence: float = 0.0
    source_count: int = 1
    document_count: int = 1
    revision: int = 1
    previous_date_value: str | None = None
    change: str | None = None
    first_published_at: datetime | None = None
    first_seen_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class Mention(SQLModel, table=True):
    """An event as one document states it, with its provenance (the evidence sentence)."""

    __tablename__ = "mentions"
    __table_args__ = (UniqueConstraint("document_id", "fingerprint", name="uq_mentions_document_fingerprint"),)

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="documents.id", index=True)
    event_id: int | None = Field(default=None, foreign_key="events.id", index=True)
    fingerprint: str
    type: str
    jurisdiction: str
    date_value: str | None = None
    precision: str | None = None
    qualifier: str | None = None
    date_text: str | None = None
    actor: str | None = None
    subject: str | None = None
    status: str = "done"
    party: str | None = None
    evidence: str
    confidence: float = 0.0
    created_at: datetime = Field(default_factory=utcnow)


class Alert(SQLModel, table=True):
    """The outbox: one row per (event, watchlist, kind, revision), delivered exactly once."""

    __tablename__ = "alerts"
    __table_args__ = (UniqueConstraint("event_id", "watchlist_id", "kind", "revision", name="uq_alerts_key"),)

    id: int | None = Field(default=None, primary_key=True)
    event_id: int | None = Field(default=None, foreign_key="events.id", index=True)
    watchlist_id: str = Field(index=True)
    kind: str = "new"
    revision: int = 1
    status: str = Field(default="pending", index=True)
    destination: str | None = None
    attempts: int = 0
    next_attempt_at: datetime | None = None
    sending_since: datetime | None = None
    last_error: str | None = None
    ts: str | None = None
    thread_ts: str | None = None
    payload: str | None = None
    created_at: datetime = Field(default_factory=utcnow)
    sent_at: datetime | None = None
    claimed_by: str | None = None  # the delivery pass holding the row (see alerts.outbox)
    claimed_until: datetime | None = None


class ChannelPacing(SQLModel, table=True):
    """The next moment (epoch seconds) a message may go to a Slack channel, shared by workers."""

    __tablename__ = "channel_pacing"

    channel: str = Field(primary_key=True)
    next_at: float = 0.0


class Installation(SQLModel, table=True):
    """One row: this database's random id, made by migration 0003, part of every alert key."""

    __tablename__ = "installation"

    id: str = Field(primary_key=True)
    created_at: datetime = Field(default_factory=utcnow)
