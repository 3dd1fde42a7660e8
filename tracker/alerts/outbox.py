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

Time decides too (see :mod:`tracker.alerts.schedule`): ``next_attempt_at`` holds a row
through quiet hours, until its digest period ends, or until its reminder's day. A watchlist
with a digest queues ``digest`` rows; all of a watchlist's due digest rows are claimed in one
UPDATE, share one alert key (kept in ``payload``) and go out as one message
(:mod:`tracker.alerts.digest`).
"""

from __future__ import annotations

import logging
import os
import socket
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from tracker.alerts.delivery import MAX_ATTEMPTS, DeliveryReport, Target, alert_event, post_and_record, reconcile
from tracker.alerts.digest import deliver_digests
from tracker.alerts.message import AlertEvent, SlackMessage, build_message
from tracker.alerts.notifier import Notifier, RateLimited, Transient, UnknownOutcome
from tracker.alerts.schedule import first_attempt_at, quiet_hold, reminder_schedule
from tracker.alerts.watchlists import Watchlist
from tracker.db import installation_id, rowcount, session_scope
from tracker.models import Alert, Event, utcnow
from tracker.timeline import MergeOutcome

__all__ = [
    "alert_event",
    "queue_alerts",
    "deliver_pending",
    "requeue_failed",
    "DeliveryReport",
    "alert_key",
    "STALE_SENDING",
    "MAX_ATTEMPTS",
]

log = logging.getLogger(__name__)

#: A row left in ``sending`` this long is taken to belong to a crashed delivery.
STALE_SENDING = timedelta(seconds=60)


def alert_key(alert: Alert, installation: str) -> str:
    """Stable identity of an alert, carried in Slack message metadata for reconciliation.

    ``installation`` (:func:`tracker.db.installation_id`) keeps keys of two databases apart:
    event ids repeat across databases, and a key that matched another installation's message
    in a shared channel would mark an alert sent that was never posted."""
    return f"tracker@{installation}:{alert.event_id}:{alert.watchlist_id}:{alert.kind}:{alert.revision}"


#: Kinds that announce an event for the first time to a watchlist; updates thread under them.
FIRST_KINDS = ("new", "digest")


def _original(session: Session, event_id: int | None, watchlist_id: str) -> Alert | None:
    """The row that first announced the event to the watchlist (a ``new`` or ``digest`` row)."""
    return session.exec(
        select(Alert)
        .where(Alert.event_id == event_id, Alert.watchlist_id == watchlist_id, col(Alert.kind).in_(FIRST_KINDS))
        .order_by(col(Alert.id))
    ).first()


def _exists(session: Session, event_id: int | None, watchlist_id: str, kind: str, revision: int) -> bool:
    stmt = select(Alert.id).where(
        Alert.event_id == event_id, Alert.watchlist_id == watchlist_id, Alert.kind == kind, Alert.revision == revision
    )
    return session.exec(stmt).first() is not None


def queue_alerts(
    session: Session, outcome: MergeOutcome, watchlists: Sequence[Watchlist], now: datetime | None = None
) -> int:
    """Queue the alerts a new or changed event calls for; returns how many rows were added.

    A new event alerts each watchlist it matches (a ``digest`` row when the watchlist has a
    digest). A change to an event that already alerted a watchlist is posted as an update in
    that alert's thread, whatever the conditions say now — unless the event still waits in an
    unsent digest, which will show its latest state anyway. A change that makes an event match
    for the first time alerts it as new. An announced event on a future day also gets its
    reminders, one row per days-before (the row's revision), so re-queueing is a no-op.
    """
    now = now or utcnow()
    event = outcome.event
    view = alert_event(session, event)
    added = 0
    for watchlist in watchlists:
        original = _original(session, event.id, watchlist.id)
        kind: str | None = None
        if original is not None and not outcome.created:
            if not (original.kind == "digest" and original.status in ("pending", "sending")):
                kind = "update"
        elif original is None and watchlist.matches(view, now):
            kind = "digest" if watchlist.digest else "new"
        if kind is not None and not _exists(session, event.id, watchlist.id, kind, event.revision):
            session.add(
                Alert(
                    event_id=event.id, watchlist_id=watchlist.id, kind=kind, revision=event.revision,
                    next_attempt_at=first_attempt_at(watchlist, kind, view, now),
                )
            )  # fmt: skip
            added += 1
        if original is None and kind is None:
            continue  # never announced to this watchlist: no reminders either
        for days, when in reminder_schedule(watchlist, view, now):
            if not _exists(session, event.id, watchlist.id, "reminder", days):
                session.add(
                    Alert(
                        event_id=event.id,
                        watchlist_id=watchlist.id,
                        kind="reminder",
                        revision=days,
                        next_attempt_at=when,
                    )
                )
                added += 1
    return added


def _claim(engine: Engine, alert: Alert, now: datetime) -> bool:
    """Move a row to ``sending`` if it is still as this worker read it; True if it won it.

    A ``sending`` row is matched on its ``sending_since`` too: two workers (or two threads)
    that both reconciled a stale row and found nothing must not both re-post it.
    """
    cond = [col(Alert.id) == alert.id, col(Alert.status) == alert.status]
    if alert.status == "sending":
        cond.append(col(Alert.sending_since) == alert.sending_since)
    with session_scope(engine) as session:
        result = session.execute(
            update(Alert).where(*cond).values(status="sending", sending_since=now, attempts=col(Alert.attempts) + 1)
        )
        return rowcount(result) == 1


def _finish(engine: Engine, alert_id: int, **values: object) -> None:
    with session_scope(engine) as session:
        session.execute(update(Alert).where(col(Alert.id) == alert_id).values(**values))


def _thread_ts(session: Session, alert: Alert) -> tuple[bool, str | None]:
    """(ready, thread ts): an update waits until its original alert has been sent."""
    if alert.kind != "update":
        return True, None  # new alerts, digests and reminders start their own message
    original = _original(session, alert.event_id, alert.watchlist_id)
    if original is None or original.status == "failed":
        return True, None
    return original.status == "sent", original.ts


#: How long a delivery pass holds the rows it claimed; a pass that dies leaves claims that
#: lapse after this, and a pass that runs this long stops taking rows.
CLAIM_FOR = timedelta(seconds=30)


def _claim_batch(
    engine: Engine, owner: str, now: datetime, stale: datetime, limit: int | None, dead_before: datetime | None = None
) -> list[Alert]:
    """Claim up to ``limit`` due rows for this pass; returns them in id order.

    On PostgreSQL the rows are picked ``FOR UPDATE SKIP LOCKED`` and marked with the pass's
    ``claimed_by`` in the same statement, so passes of several workers take disjoint rows
    instead of all walking the same queue head. The claim is only a partition of the work:
    the conditional UPDATE to ``sending`` (:func:`_claim`) still decides who posts.
    Claims made before ``dead_before`` belong to a dead process and are taken over at once.
    """
    due = (
        (col(Alert.status) == "pending")
        & ((col(Alert.next_attempt_at).is_(None)) | (col(Alert.next_attempt_at) <= now))
    ) | ((col(Alert.status) == "sending") & (col(Alert.sending_since) <= stale))
    lapsed = now if dead_before is None else max(now, dead_before + CLAIM_FOR)
    free = (col(Alert.claimed_until).is_(None)) | (col(Alert.claimed_until) < lapsed)
    picked = select(Alert.id).where(due, free).order_by(col(Alert.id))
    if limit:
        picked = picked.limit(limit)
    if engine.dialect.name == "postgresql":
        picked = picked.with_for_update(skip_locked=True)
    with session_scope(engine) as session:
        ids = [
            row[0]
            for row in session.execute(
                update(Alert)
                .where(col(Alert.id).in_(picked.scalar_subquery()))
                .values(claimed_by=owner, claimed_until=now + CLAIM_FOR)
                .returning(col(Alert.id))
            ).all()
        ]
        if not ids:
            return []
        return list(session.exec(select(Alert).where(col(Alert.id).in_(ids)).order_by(col(Alert.id))).all())


def _unclaim(engine: Engine, owner: str) -> None:
    with session_scope(engine) as session:
        session.execute(
            update(Alert).where(col(Alert.claimed_by) == owner).values(claimed_by=None, claimed_until=None)
        )


def _waiting(engine: Engine, now: datetime) -> int:
    """Pending rows not due yet (quiet hours, digests, Retry-After): reported as deferred."""
    from sqlalchemy import func

    with session_scope(engine) as session:
        return session.exec(
            select(func.count())
            .select_from(Alert)
            .where(col(Alert.status) == "pending", col(Alert.next_attempt_at) > now)
        ).one()


def deliver_pending(
    engine: Engine,
    watchlists: Mapping[str, Watchlist],
    notifier_for: Callable[[Watchlist], tuple[Notifier, str | None]],
    now: Callable[[], datetime] = utcnow,
    pace: Callable[[str], None] | None = None,
    limit: int | None = None,
    stale_before: datetime | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> DeliveryReport:
    """Send the due rows once: all of them, or at most ``limit`` (the daemon's bounded pass).
    ``notifier_for`` gives (notifier, channel) per watchlist; ``pace(channel)`` blocks until
    the channel's rate limit allows another message; ``should_stop()`` true ends the pass
    between two rows (the daemon is stopping: the rest is claimed by the next start).

    A ``sending`` row is another worker's until STALE_SENDING has passed. ``stale_before``
    lets a worker that knows it is alone (SQLite mode, at start-up) take over at once every
    row left ``sending`` before that instant, i.e. by a process that has died.
    """
    report = DeliveryReport()
    stale = now() - STALE_SENDING
    if stale_before is not None and stale_before > stale:
        stale = stale_before - timedelta(microseconds=1)
    owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
    started = time.monotonic()
    rows = _claim_batch(engine, owner, now(), stale, limit, stale_before)
    report.deferred += _waiting(engine, now())
    try:
        digests: dict[str, list[Alert]] = {}
        for alert in rows:
            if should_stop is not None and should_stop():
                break
            if time.monotonic() - started > CLAIM_FOR.total_seconds() / 2:
                break  # the claims are lapsing: leave the rest to the next pass
            _route(engine, alert, watchlists, notifier_for, now, pace, report, digests)
        for watchlist_id, batch in digests.items():
            if should_stop is not None and should_stop():
                break
            deliver_digests(engine, batch, watchlists[watchlist_id], notifier_for, now, pace, report)
    finally:
        _unclaim(engine, owner)
    return report


def _route(
    engine: Engine,
    alert: Alert,
    watchlists: Mapping[str, Watchlist],
    notifier_for: Callable[[Watchlist], tuple[Notifier, str | None]],
    now: Callable[[], datetime],
    pace: Callable[[str], None] | None,
    report: DeliveryReport,
    digests: dict[str, list[Alert]],
) -> None:
    """One claimed row: failed if its watchlist is gone, gathered if a digest, else sent."""
    watchlist = watchlists.get(alert.watchlist_id)
    if watchlist is None:
        _finish(engine, alert.id or 0, status="failed", last_error=f"watchlist {alert.watchlist_id!r} no longer exists")
        report.failed += 1
        return
    if alert.kind == "digest":
        digests.setdefault(watchlist.id, []).append(alert)
        return
    _deliver_one(engine, alert, watchlist, notifier_for, now, pace, report)


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
    if _channel_spent(notifier, channel, report):
        report.deferred += 1
        return
    prepared = _prepare(engine, alert, watchlist, report)
    if prepared is None:
        return
    message, view, thread_ts = prepared
    hold = quiet_hold(watchlist, alert.kind, view, now()) if alert.status == "pending" else None
    if hold is not None:  # quiet hours began after it was queued (or it is a retry): hold it
        _finish(engine, alert.id or 0, next_attempt_at=hold)
        report.deferred += 1
        return
    target = Target(
        engine=engine, where=col(Alert.id) == alert.id, key=alert_key(alert, installation_id(engine)),
        label=f"alert {alert.id} ({watchlist.id})", rows=1, attempts=alert.attempts + 1,
        since=alert.sending_since or alert.created_at, thread_ts=thread_ts,
    )  # fmt: skip
    if alert.status == "sending" and _reconciled(target, notifier, channel, now, report):
        return
    if not _claim(engine, alert, now()):
        return  # another worker has it
    post_and_record(target, notifier, channel, message, now, pace, report)


def _channel_spent(notifier: Notifier, channel: str | None, report: DeliveryReport) -> bool:
    """True if the channel's budget is spent for now (by any worker): its rows wait for a later pass."""
    limiter = getattr(notifier, "limiter", None)
    if limiter is None or not channel or limiter.max_wait is None:
        return False
    if channel in report.busy_channels or limiter.delay(channel) > limiter.max_wait:
        report.busy_channels.add(channel)
        return True
    return False


def _prepare(
    engine: Engine, alert: Alert, watchlist: Watchlist, report: DeliveryReport
) -> tuple[SlackMessage, AlertEvent, str | None] | None:
    """The row's message, its event and its thread; None (counted) if it cannot go now."""
    with session_scope(engine) as session:
        ready, thread_ts = _thread_ts(session, alert)
        if not ready:
            report.deferred += 1
            return None
        event = session.get(Event, alert.event_id)
        if event is None:
            _finish(engine, alert.id or 0, status="failed", last_error=f"event {alert.event_id} no longer exists")
            report.failed += 1
            return None
        view = alert_event(session, event)
        return build_message(view, watchlist.title, alert.kind), view, thread_ts


def _reconciled(
    target: Target, notifier: Notifier, channel: str | None, now: Callable[[], datetime], report: DeliveryReport
) -> bool:
    """A row left ``sending`` (outcome unknown): look before posting again. True if settled."""
    try:
        found = reconcile(notifier, channel, target)
    except (Transient, RateLimited, UnknownOutcome) as exc:
        target.write(sending_since=now(), last_error=f"reconcile failed, will retry: {exc}")
        report.deferred += 1
        return True
    if found:
        target.sent(found, now())
        report.reconciled += 1
        return True
    return False


def requeue_failed(engine: Engine) -> int:
    """Failed rows go back to pending, and rows waiting for a retry become due now."""
    with session_scope(engine) as session:
        failed = rowcount(session.execute(
            update(Alert)
            .where(col(Alert.status) == "failed")
            .values(status="pending", attempts=0, next_attempt_at=None, last_error=None)
        ))
        session.execute(
            update(Alert)
            .where(col(Alert.status) == "pending", col(Alert.kind).in_(("new", "update")))
            .values(next_attempt_at=None)
        )
        return failed
