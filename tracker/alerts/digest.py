"""Digest delivery: a watchlist's due ``digest`` rows go out as one message, exactly once.

The batch is claimed with one conditional UPDATE that also writes a fresh batch key into
every claimed row's ``payload``; that key is the message's alert key in Slack metadata. So a
crash after the claim leaves the rows ``sending`` with the key that reconciliation looks for
(conversations.history), exactly like a single alert, and a second worker's UPDATE matches
none of the claimed rows. Rows queued after the claim wait for the next period. Posting and
recording the outcome is the outbox's own path (:func:`tracker.alerts.delivery.post_and_record`).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from tracker.alerts.delivery import DeliveryReport, Target, alert_event, post_and_record, reconcile
from tracker.alerts.message import build_digest
from tracker.alerts.notifier import Notifier, RateLimited, Transient, UnknownOutcome
from tracker.alerts.watchlists import Watchlist
from tracker.db import installation_id, rowcount, session_scope
from tracker.models import Alert, Event

__all__ = ["deliver_digests"]


def deliver_digests(
    engine: Engine,
    rows: Sequence[Alert],
    watchlist: Watchlist,
    notifier_for: Callable[[Watchlist], tuple[Notifier, str | None]],
    now: Callable[[], datetime],
    pace: Callable[[str], None] | None,
    report: DeliveryReport,
) -> None:
    """Reconcile stale digest batches, then claim and post the due pending rows as one."""
    notifier, channel = notifier_for(watchlist)
    for key in sorted({r.payload for r in rows if r.status == "sending" and r.payload}):
        since = min(r.sending_since for r in rows if r.payload == key and r.sending_since)
        _take_over(engine, key, since, watchlist, notifier, channel, now, pace, report)
    if any(r.status == "pending" for r in rows):
        key = f"tracker:digest:{watchlist.id}:{installation_id(engine)}:{uuid.uuid4().hex[:16]}"
        claimed_at = now()
        with session_scope(engine) as session:
            claimed = rowcount(session.execute(
                update(Alert)
                .where(
                    col(Alert.watchlist_id) == watchlist.id, col(Alert.kind) == "digest", col(Alert.status) == "pending",  # noqa: E501
                    (col(Alert.next_attempt_at).is_(None)) | (col(Alert.next_attempt_at) <= claimed_at),
                )
                .values(status="sending", sending_since=claimed_at, payload=key, attempts=col(Alert.attempts) + 1)
            ))  # fmt: skip
        if claimed:
            _post(engine, key, claimed_at, watchlist, notifier, channel, now, pace, report)


def _target(engine: Engine, key: str, since: datetime, watchlist: Watchlist) -> tuple[Target, list[Alert]]:
    with session_scope(engine) as session:
        rows = list(session.exec(select(Alert).where(Alert.payload == key).order_by(col(Alert.id))).all())
    target = Target(
        engine=engine, where=col(Alert.payload) == key, key=key, label=f"digest {key} ({watchlist.id})",
        rows=len(rows), attempts=max((r.attempts for r in rows), default=1), since=since, rekey=True,
    )  # fmt: skip
    return target, rows


def _take_over(
    engine: Engine,
    key: str,
    since: datetime,
    watchlist: Watchlist,
    notifier: Notifier,
    channel: str | None,
    now: Callable[[], datetime],
    pace: Callable[[str], None] | None,
    report: DeliveryReport,
) -> None:
    """A batch left ``sending``: find its message before ever posting it again."""
    target, _rows = _target(engine, key, since, watchlist)
    try:
        found = reconcile(notifier, channel, target)
    except (Transient, RateLimited, UnknownOutcome) as exc:
        target.write(sending_since=now(), last_error=f"reconcile failed, will retry: {exc}")
        report.deferred += 1
        return
    if found:
        target.sent(found, now())
        report.reconciled += 1
        return
    taken_at = now()
    with session_scope(engine) as session:  # take the batch over from the dead worker
        won = rowcount(session.execute(
            update(Alert)
            .where(col(Alert.payload) == key, col(Alert.status) == "sending", col(Alert.sending_since) == since)
            .values(sending_since=taken_at)
        ))
    if won:
        _post(engine, key, taken_at, watchlist, notifier, channel, now, pace, report)


def _post(
    engine: Engine,
    key: str,
    since: datetime,
    watchlist: Watchlist,
    notifier: Notifier,
    channel: str | None,
    now: Callable[[], datetime],
    pace: Callable[[str], None] | None,
    report: DeliveryReport,
) -> None:
    target, rows = _target(engine, key, since, watchlist)
    with session_scope(engine) as session:
        events = [e for r in rows if (e := session.get(Event, r.event_id)) is not None]
        message = build_digest([alert_event(session, e) for e in events], watchlist.title)
    post_and_record(target, notifier, channel, message, now, pace, report)
