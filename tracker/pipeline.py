"""One function refreshes one source, calling each stage in order (Miniflux's shape):

    poll (fetch + parse) → store new documents → extract mentions → merge into events
    → queue alerts for the new or changed events

Each document is stored, extracted, merged and queued in one transaction, so a crash leaves
either all of a document's rows or none of them; unique constraints make a re-run a no-op.
The poll state (validators, failures, next poll) lives on the source row.
"""

from __future__ import annotations

import hashlib
import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Session, select

from tracker.config import Config, SourceConfig
from tracker.db import session_scope
from tracker.documents import MAX_TEXT_CHARS
from tracker.errors import FetchError
from tracker.extract import MIN_CONFIDENCE, extract_events
from tracker.models import Document, Mention, Source, utcnow
from tracker.rules import Rules
from tracker.sources import Fetcher, Item, RetryLater, Validators, backoff_delay, normalize_url, poll
from tracker.timeline import lock_kinds, merge_mention

__all__ = ["RefreshSummary", "refresh_source", "ingest_item", "record_failure", "MIN_CONFIDENCE"]

log = logging.getLogger(__name__)

#: Called with (session, outcome) for every new or changed event, inside the document's
#: transaction; the alert stage queues its outbox rows there.
EventHook = Callable[[Session, "object"], int]


@dataclass
class RefreshSummary:
    """Counts for one source's refresh, added up by `tracker run --once`."""

    documents_new: int = 0
    documents_unchanged: int = 0
    events_new: int = 0
    events_updated: int = 0
    alerts_queued: int = 0
    sources_not_modified: int = 0
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def add(self, other: RefreshSummary) -> None:
        for name in ("documents_new", "documents_unchanged", "events_new", "events_updated", "alerts_queued",
                     "sources_not_modified"):  # fmt: skip
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.errors.extend(other.errors)
        self.warnings.extend(other.warnings)


def _content_hash(text: str) -> str:
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


def _to_utc(value: datetime | None) -> tuple[datetime | None, int | None]:
    if value is None:
        return None, None
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC), None
    offset = value.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else None
    return value.astimezone(UTC), minutes


def _is_web_url(url: str) -> bool:
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def ingest_item(
    session: Session, source: Source, item: Item, on_event: EventHook | None = None, rules: Rules | None = None
) -> RefreshSummary:
    """Store ``item`` as a document unless it is known, then extract and merge its events."""
    summary = RefreshSummary()
    content_hash = _content_hash(item.text)
    url, url_key = item.url, normalize_url(item.url) if item.url else f"sha256:{content_hash}"
    refused = None
    if url is not None and not _is_web_url(url):
        # only http(s) URLs are kept, so no output ever carries `javascript:` or a local path;
        # a folder's own file URI still names the file (its identity), any other is content's
        own = source.kind == "folder" and url.startswith("file:")
        url_key = url_key if own else f"sha256:{content_hash}"
        refused, url = (None if own else url), None
    document = session.exec(select(Document).where(Document.url_key == url_key)).first()
    if document is None:
        duplicate = session.exec(select(Document.id).where(Document.content_hash == content_hash)).first()
        if duplicate is not None:
            summary.documents_unchanged += 1
            return summary
        published_utc, offset = _to_utc(item.published)
        if refused is not None:
            shown = refused if len(refused) <= 80 else refused[:77] + "..."
            summary.warnings.append(f"{source.name}: {shown!r} is not an http(s) URL; document stored without one")
            log.warning("url dropped source=%s url=%r reason=not_http", source.name, shown)
        document = Document(
            source_id=source.id or 0,
            url=url,
            url_key=url_key,
            content_hash=content_hash,
            title=item.title,
            published_at=published_utc,
            published_offset_minutes=offset,
            lang=item.lang,
            text=item.text,
        )
        session.add(document)
        session.flush()
    elif document.content_hash == content_hash:
        summary.documents_unchanged += 1
        return summary
    else:
        document.text, document.content_hash, document.title = item.text, content_hash, item.title
        document.updated_at = utcnow()
        session.add(document)
    summary.documents_new += 1
    text = item.text[:MAX_TEXT_CHARS]  # a page longer than this is a dump, not an article
    mentions = [
        m for m in extract_events(text, item.published, item.lang, title=item.title, rules=rules)
        if m.confidence >= MIN_CONFIDENCE and m.jurisdiction
    ]  # fmt: skip
    # every kind this document touches, locked now in one sorted order (no deadlock between
    # two documents naming the same kinds in opposite order; see timeline.lock_kinds)
    lock_kinds(session, [(m.type, m.jurisdiction or "") for m in mentions])
    for mention in mentions:
        fingerprint = "|".join(
            str(part) for part in (mention.type, mention.jurisdiction, mention.date, mention.subject, mention.party)
        )
        known = session.exec(
            select(Mention.id).where(Mention.document_id == document.id, Mention.fingerprint == fingerprint)
        ).first()
        if known is not None:
            continue
        row = Mention(
            document_id=document.id or 0,
            fingerprint=fingerprint,
            type=mention.type,
            jurisdiction=mention.jurisdiction or "",  # mentions without one were left out above
            date_value=mention.date,
            precision=mention.precision,
            qualifier=mention.qualifier,
            date_text=mention.date_text,
            actor=mention.actor,
            subject=mention.subject,
            status=mention.status,
            party=mention.party,
            evidence=mention.evidence,
            confidence=mention.confidence,
        )
        session.add(row)
        session.flush()
        outcome = merge_mention(session, row, source.id or 0, document.published_at)
        session.add(row)
        if outcome.created:
            summary.events_new += 1
        elif outcome.change:
            summary.events_updated += 1
        if (outcome.created or outcome.change) and on_event is not None:
            session.flush()
            summary.alerts_queued += on_event(session, outcome)
    return summary


def _schedule_next(source_cfg: SourceConfig, now: datetime, jitter: float, rng: random.Random) -> datetime:
    spread = source_cfg.interval_seconds * jitter
    return now + timedelta(seconds=source_cfg.interval_seconds + rng.uniform(-spread, spread))


def refresh_source(
    engine: Engine,
    config: Config,
    source_cfg: SourceConfig,
    fetcher: Fetcher,
    on_event: EventHook | None = None,
    rng: random.Random | None = None,
    on_failing: Callable[[str], None] | None = None,
    rules: Rules | None = None,
    stop: threading.Event | None = None,
) -> RefreshSummary:
    """Poll one source and carry its new documents through to queued alerts.

    ``on_failing`` is called once with a message when the source reaches
    ``scheduler.failure_alert_after`` consecutive failures (and again only after it has
    recovered and failed that often anew), so a failing source is never silent. ``stop``
    set (the daemon is stopping) ends the poll between two documents."""
    rng = rng or random.Random()
    summary = RefreshSummary()
    with session_scope(engine) as session:
        source = session.exec(select(Source).where(Source.name == source_cfg.name)).one()
        validators = Validators(etag=source.etag, last_modified=source.last_modified)
    started = utcnow()
    try:
        result = poll(source_cfg, validators, fetcher)
    except FetchError as exc:
        failures = _record_failure(engine, config, source_cfg, exc, started, rng)
        summary.errors.append(str(exc))  # FetchError messages already name the source and URL
        if failures and on_failing is not None:
            on_failing(f"source {source_cfg.name} has failed {failures} times in a row; last error: {exc}")
        log.warning("poll failed source=%s url=%s error=%s", source_cfg.name, source_cfg.location, exc)
        return summary
    summary.sources_not_modified = int(result.not_modified)
    summary.warnings.extend(f"{source_cfg.name}: {w}" for w in result.warnings)
    try:
        for item in result.items:
            if stop is not None and stop.is_set():
                # stopping: the rest waits for the next poll, which fetches again (validators
                # and next poll time are left as they were)
                log.info("poll interrupted source=%s url=%s reason=stopping", source_cfg.name, source_cfg.location)
                return summary
            summary.add(_ingest_with_retry(engine, source_cfg, item, on_event, rules))
    except Exception as exc:  # a bug or a database failure: a failed poll, backed off like any other
        log.exception("poll crashed source=%s url=%s", source_cfg.name, source_cfg.location)
        message = f"source {source_cfg.name}: storing {source_cfg.location} failed: {type(exc).__name__}: {exc}"
        record_failure(engine, config, source_cfg, message.splitlines()[0], started, rng)
        summary.errors.append(message.splitlines()[0])
        return summary
    with session_scope(engine) as session:
        source = session.exec(select(Source).where(Source.name == source_cfg.name)).one()
        source.etag = result.validators.etag
        source.last_modified = result.validators.last_modified
        source.last_poll_at = started
        source.last_success_at = started
        source.consecutive_failures = 0
        source.last_error = None
        source.ops_alerted_at = None
        source.last_status = "not modified" if result.not_modified else f"ok, {len(result.items)} items"
        source.next_poll_at = _schedule_next(source_cfg, utcnow(), config.scheduler.jitter, rng)
        session.add(source)
    log.info(
        "polled source=%s url=%s status=%s new=%d",
        source_cfg.name,
        source_cfg.location,
        "not_modified" if result.not_modified else "ok",
        summary.documents_new,
    )
    return summary


#: SQLSTATEs after which the whole transaction may simply run again: deadlock_detected and
#: serialization_failure (PostgreSQL aborts one of the transactions involved).
RETRYABLE_SQLSTATES = frozenset({"40P01", "40001"})
TRANSACTION_ATTEMPTS = 5


def _retryable(exc: OperationalError) -> bool:
    return getattr(exc.orig, "sqlstate", None) in RETRYABLE_SQLSTATES


def _ingest_with_retry(
    engine: Engine, source_cfg: SourceConfig, item: Item, on_event: EventHook | None, rules: Rules | None
) -> RefreshSummary:
    """One document in one transaction, run again when PostgreSQL aborts it as a deadlock
    victim or a serialization failure: the transaction was rolled back whole, so running it
    again is exactly what the losing worker should do. Any other error propagates."""
    for attempt in range(1, TRANSACTION_ATTEMPTS + 1):
        try:
            with session_scope(engine) as session:
                source = session.exec(select(Source).where(Source.name == source_cfg.name)).one()
                return ingest_item(session, source, item, on_event, rules)
        except IntegrityError:
            return RefreshSummary(documents_unchanged=1)  # another worker stored it first
        except OperationalError as exc:
            if not _retryable(exc) or attempt == TRANSACTION_ATTEMPTS:
                raise
            log.warning(
                "transaction retried source=%s url=%s attempt=%d sqlstate=%s",
                source_cfg.name, item.url, attempt, getattr(exc.orig, "sqlstate", None),
            )  # fmt: skip
            time.sleep(backoff_delay(attempt, base=0.02, cap=0.5))  # jittered: the two losers part
    raise AssertionError("unreachable")  # pragma: no cover


def _record_failure(
    engine: Engine, config: Config, source_cfg: SourceConfig, exc: FetchError, started: datetime, rng: random.Random
) -> int:
    return record_failure(engine, config, source_cfg, str(exc), started, rng, exc)


def record_failure(
    engine: Engine,
    config: Config,
    source_cfg: SourceConfig,
    message: str,
    started: datetime,
    rng: random.Random | None = None,
    exc: Exception | None = None,
) -> int:
    """Keep the failure on the source row; back off with jitter, never before Retry-After.

    A poll that crashed (a bug, a lost database connection) comes here too, so it backs off
    like a failed fetch instead of being claimed again a tick later.
    Returns the failure count when an operational alert is now due (once per failing
    streak: ``ops_alerted_at`` is set here and cleared by the next success), else 0."""
    rng = rng or random.Random()
    with session_scope(engine) as session:
        source = session.exec(select(Source).where(Source.name == source_cfg.name)).one()
        source.consecutive_failures += 1
        source.last_error = message[:500]
        source.last_status = "error"
        source.last_poll_at = started
        delay = backoff_delay(source.consecutive_failures, source_cfg.interval_seconds, config.fetch.max_backoff, rng)
        if isinstance(exc, RetryLater) and exc.retry_after is not None:
            delay = max(delay, exc.retry_after)
        source.next_poll_at = utcnow() + timedelta(seconds=delay)
        due = source.consecutive_failures >= config.scheduler.failure_alert_after and source.ops_alerted_at is None
        if due:
            source.ops_alerted_at = utcnow()
        session.add(source)
        return source.consecutive_failures if due else 0
