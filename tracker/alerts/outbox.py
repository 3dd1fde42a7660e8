"""The alert outbox: queue in the event's transaction, deliver exactly once.

A row is queued per (event, watchlist, kind, revision) in the same transaction that creates
or changes the event, so an event never exists without its alerts, and the unique key makes
queueing idempotent. Delivery is a state machine on the row:

    pending ──claim──▶ sending ──posted──▶ sent
       ▲                  │
       └──retry later─────┤ (429, 5xx, connection error before the request went out)
                          └──▶ failed (permanent: channel_not_found, invalid_auth…)

The claim is a conditional UPDATE committed *before* the post, so a crash or a timeout after
the request went out leaves the row in ``sending``: its outcome is unknown and it is
reconciled (Slack message metadata carries the alert key, found again through
``conversations.history``) before it is ever posted again. Two workers cannot both claim
one row, because only one conditional UPDATE can match it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from tracker.alerts.message import AlertEvent, SlackMessage, build_message
from tracker.alerts.slack import Permanent, RateLimited, Transient, UnknownOutcome
from tracker.alerts.watchlists import Watchlist
from tracker.db import session_scope
from tracker.models import Alert, Event, utcnow
from tracker.timeline import MergeOutcome, event_sources

__all__ = ["alert_event", "queue_alerts", "deliver_pending", "DeliveryReport", "alert_key"]

log = logging.getLogger(__name__)

#: A row left in ``sending`` this long is taken to belong to a crashed delivery.
STALE_SENDING = timedelta(seconds=60)
MAX_ATTEMPTS = 8


def alert_key(alert: Alert) -> str:
    """Stable identity of an alert, carried in Slack message metadata for reconciliation."""
    return f"tracker:{alert.event_id}:{alert.watchlist_id}:{alert.kind}:{alert.revision}"


def alert_event(session: Session, event: Event) -> AlertEvent:
    """The event as the alert stage sees it, with its sources for links."""
    sources: list[tuple[str, str | None]] = []
    for name, url, _evidence in event_sources(session, event.id):
        if (name, url) not in sources:
            sources.append((name, url))
    return AlertEvent(
        event_id=event.id or 0,
        type=event.type,
        jurisdiction=event.jurisdiction,
        date=event.date_value,
        precision=event.precision,
        qualifier=event.qualifier,
        evidence=event.evidence,
        actor=event.actor,
        subject=event.subject,
        confidence=event.confidence,
        sources=tuple(sources),
        first_seen=event.first_seen_at,
        published=event.first_published_at,
        change=event.change,
    )


def _exists(session: Session, event_id: int | None, watchlist_id: str, kind: str, revision: int | None = None) -> bool:
    stmt = select(Alert.id).where(Alert.event_id == event_id, Alert.watchlist_id == watchlist_id, Alert.kind == kind)
    if revision is not None:
        stmt = stmt.where(Alert.revision == revision)
    return session.exec(stmt).first() is not None


def queue_alerts(
    session: Session, outcome: MergeOutcome, watchlists: Sequence[Watchlist], now: datetime | None = None
) -> int:
    """Queue the alerts a new or changed event calls for; returns how many rows were added.

    A new event alerts each watchlist it matches. A change to an event that already alerted
    a watchlist is posted as an update in that alert's thread, whatever the conditions say
    now; a change that makes an event match for the first time alerts it as new.
    """
    now = now or utcnow()
    event = outcome.event
    view = alert_event(session, event)
    added = 0
    for watchlist in watchlists:
        alerted = _exists(session, event.id, watchlist.id, "new")
        if alerted and not outcome.created:
            kind = "update"
        elif not alerted and watchlist.matches(view, now):
            kind = "new"
        else:
            continue
        if _exists(session, event.id, watchlist.id, kind, event.revision):
            continue
        session.add(Alert(event_id=event.id, watchlist_id=watchlist.id, kind=kind, revision=event.revision))
        added += 1
    return added


@dataclass
class DeliveryReport:
    sent: int = 0
    failed: int = 0
    deferred: int = 0
    reconciled: int = 0
    errors: list[str] = field(default_factory=list)


Notifier = object  # SlackNotifier, WebhookNotifier or ConsoleNotifier (duck-typed: post, find_posted)


def _claim(engine: Engine, alert_id: int, expected: str, now: datetime) -> bool:
    """Move a row to ``sending`` if it is still in ``expected``; True if this worker won it."""
    with session_scope(engine) as session:
        result = session.execute(
            update(Alert)
            .where(col(Alert.id) == alert_id, col(Alert.status) == expected)
            .values(status="sending", sending_since=now, attempts=col(Alert.attempts) + 1)
        )
        return result.rowcount == 1


def _finish(engine: Engine, alert_id: int, **values: object) -> None:
    with session_scope(engine) as session:
        session.execute(update(Alert).where(col(Alert.id) == alert_id).values(**values))


def _thread_ts(session: Session, alert: Alert) -> tuple[bool, str | None]:
    """(ready, thread ts): an update waits until its original alert has been sent."""
    if alert.kind == "new":
        return True, None
    original = session.exec(
        select(Alert).where(Alert.event_id == alert.event_id, Alert.watchlist_id == alert.watchlist_id, Alert.kind == "new")
    ).first()
    if original is None or original.status == "failed":
        return True, None
    return original.status == "sent", original.ts


def deliver_pending(
    engine: Engine,
    watchlists: Mapping[str, Watchlist],
    notifier_for: Callable[[Watchlist], tuple[Notifier, str | None]],
    now: Callable[[], datetime] = utcnow,
    pace: Callable[[str], None] | None = None,
    limit: int | None = None,
) -> DeliveryReport:
    """Send every due row once. ``notifier_for`` gives (notifier, channel) per watchlist;
    ``pace(channel)`` blocks until the channel's rate limit allows another message."""
    report = DeliveryReport()
    with session_scope(engine) as session:
        stale = now() - STALE_SENDING
        rows = session.exec(
            select(Alert)
            .where(
                (col(Alert.status) == "pending")
                | ((col(Alert.status) == "sending") & (col(Alert.sending_since) <= stale))
            )
            .order_by(col(Alert.id))
        ).all()
    for alert in rows[:limit] if limit else rows:
        if alert.next_attempt_at and alert.next_attempt_at > now():
            report.deferred += 1
            continue
        watchlist = watchlists.get(alert.watchlist_id)
        if watchlist is None:
            _finish(engine, alert.id or 0, status="failed", last_error=f"watchlist {alert.watchlist_id!r} no longer exists")
            report.failed += 1
            continue
        _deliver_one(engine, alert, watchlist, notifier_for, now, pace, report)
    return report


def _deliver_one(
    engine: Engine,
    alert: Alert,
    watchlist: Watchlist,
    notifier_for: Callable[[Watchlist], tuple[Notifier, str | None]],
    now: Callable[[], datetime],
    pace: Callable[[str], None] | None,
    report: DeliveryReport,
) -> None:
    notifier, channel = notifier_for(watchlist)
    key = alert_key(alert)
    with session_scope(engine) as session:
        ready, thread_ts = _thread_ts(session, alert)
        if not ready:
            report.deferred += 1
            return
        event = session.get(Event, alert.event_id)
        message: SlackMessage = build_message(alert_event(session, event), watchlist.title, alert.kind)
    if alert.status == "sending":  # outcome unknown: look before posting again
        try:
            found = _find_posted(notifier, channel, key, alert, thread_ts)
        except (Transient, RateLimited, UnknownOutcome) as exc:
            _finish(engine, alert.id or 0, sending_since=now(), last_error=f"reconcile failed, will retry: {exc}")
            report.deferred += 1
            return
        if found:
            _finish(engine, alert.id or 0, status="sent", ts=found, thread_ts=thread_ts, sent_at=now(), last_error=None)
            report.reconciled += 1
            return
        if not _claim(engine, alert.id or 0, "sending", now()):
            return
    elif not _claim(engine, alert.id or 0, "pending", now()):
        return  # another worker has it
    if pace is not None and channel:
        pace(channel)
    try:
        ts = notifier.post(channel, message, key, thread_ts=thread_ts)  # type: ignore[attr-defined]
    except RateLimited as exc:
        _retry(engine, alert, now() + timedelta(seconds=exc.retry_after), str(exc))
        report.deferred += 1
    except Transient as exc:
        if getattr(exc, "sent", False):  # Slack had the whole request: reconcile before any retry
            _finish(engine, alert.id or 0, last_error=f"outcome unknown, will reconcile: {exc}")
        else:
            delay = min(3600.0, 2.0 ** min(alert.attempts + 1, 12))
            _retry(engine, alert, now() + timedelta(seconds=delay), str(exc))
        report.deferred += 1
    except UnknownOutcome as exc:
        _finish(engine, alert.id or 0, last_error=f"outcome unknown, will reconcile: {exc}")
        report.deferred += 1
    except Permanent as exc:
        _finish(engine, alert.id or 0, status="failed", last_error=str(exc))
        report.failed += 1
        report.errors.append(f"alert {alert.id} ({watchlist.id}): {exc}")
    else:
        _finish(engine, alert.id or 0, status="sent", ts=ts, thread_ts=thread_ts, sent_at=now(), last_error=None)
        report.sent += 1


def _find_posted(
    notifier: Notifier, channel: str | None, key: str, alert: Alert, thread_ts: str | None
) -> str | None:
    """The ts of the message carrying ``key``, if it was posted; replies are looked up in
    their thread, which conversations.history does not show."""
    if not getattr(notifier, "can_reconcile", False):
        return None  # the console and webhooks cannot be asked; the row is posted again
    oldest = (alert.sending_since or alert.created_at) - timedelta(minutes=5)
    return notifier.find_posted(channel, key, oldest=oldest.timestamp(), thread_ts=thread_ts)  # type: ignore[attr-defined]


def _retry(engine: Engine, alert: Alert, when: datetime, reason: str) -> None:
    if alert.attempts + 1 >= MAX_ATTEMPTS:
        _finish(engine, alert.id or 0, status="failed", last_error=f"gave up after {alert.attempts + 1} attempts: {reason}")
        return
    _finish(engine, alert.id or 0, status="pending", next_attempt_at=when, last_error=reason, sending_since=None)
