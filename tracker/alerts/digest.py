"""Digest delivery: a watchlist's due ``digest`` rows go out as one message, exactly once.

The batch is claimed with one conditional UPDATE that also writes a fresh batch key into
every claimed row's ``payload``; that key is the message's alert key in Slack metadata. So a
crash after the claim leaves the rows ``sending`` with the key that reconciliation looks for
(conversations.history), exactly like a single alert, and a second worker's UPDATE matches
none of the claimed rows. Rows queued after the claim wait for the next period.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import update
from sqlmodel import col, select

from tracker.alerts.message import build_digest
from tracker.alerts.ratelimit import ChannelBusy
from tracker.alerts.slack import Permanent, RateLimited, Transient, UnknownOutcome
from tracker.alerts.watchlists import Watchlist
from tracker.db import installation_id, session_scope
from tracker.models import Alert, Event

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from tracker.alerts.outbox import DeliveryReport

__all__ = ["deliver_digests"]


def deliver_digests(
    engine: Engine,
    rows: Sequence[Alert],
    watchlist: Watchlist,
    notifier_for: Callable[[Watchlist], tuple[object, str | None]],
    now: Callable[[], datetime],
    pace: Callable[[str], None] | None,
    report: DeliveryReport,
) -> None:
    """Reconcile stale digest batches, then claim and post the due pending rows as one."""
    notifier, channel = notifier_for(watchlist)
    for key in sorted({r.payload for r in rows if r.status == "sending" and r.payload}):
        since = min(r.sending_since for r in rows if r.payload == key and r.sending_since)
        _reconcile(engine, key, since, watchlist, notifier, channel, now, pace, report)
    if any(r.status == "pending" for r in rows):
        key = f"tracker:digest:{watchlist.id}:{installation_id(engine)}:{uuid.uuid4().hex[:16]}"
        with session_scope(engine) as session:
            claimed = session.execute(
                update(Alert)
                .where(
                    col(Alert.watchlist_id) == watchlist.id, col(Alert.kind) == "digest", col(Alert.status) == "pending",  # noqa: E501
                    (col(Alert.next_attempt_at).is_(None)) | (col(Alert.next_attempt_at) <= now()),
                )
                .values(status="sending", sending_since=now(), payload=key, attempts=col(Alert.attempts) + 1)
            ).rowcount  # fmt: skip
        if claimed:
            _post(engine, key, watchlist, notifier, channel, now, pace, report)


def _batch(engine: Engine, key: str) -> list[Alert]:
    with session_scope(engine) as session:
        return list(session.exec(select(Alert).where(Alert.payload == key).order_by(col(Alert.id))).all())


def _set(engine: Engine, key: str, **values: object) -> None:
    with session_scope(engine) as session:
        session.execute(update(Alert).where(col(Alert.payload) == key).values(**values))


def _reconcile(engine, key, since, watchlist, notifier, channel, now, pace, report) -> None:  # type: ignore[no-untyped-def]
    """A batch left ``sending``: find its message before ever posting it again."""
    if getattr(notifier, "can_reconcile", False):
        try:
            found = notifier.find_posted(channel, key, oldest=(since - timedelta(minutes=5)).timestamp())
        except (Transient, RateLimited, UnknownOutcome) as exc:
            _set(engine, key, sending_since=now(), last_error=f"reconcile failed, will retry: {exc}")
            report.deferred += 1
            return
        if found:
            _set(engine, key, status="sent", ts=found, sent_at=now(), last_error=None)
            report.reconciled += 1
            return
    with session_scope(engine) as session:  # take the batch over from the dead worker
        won = session.execute(
            update(Alert)
            .where(col(Alert.payload) == key, col(Alert.status) == "sending", col(Alert.sending_since) == since)
            .values(sending_since=now())
        ).rowcount
    if won:
        _post(engine, key, watchlist, notifier, channel, now, pace, report)


def _post(engine, key, watchlist, notifier, channel, now, pace, report) -> None:  # type: ignore[no-untyped-def]
    from tracker.alerts.outbox import MAX_ATTEMPTS, alert_event

    rows = _batch(engine, key)
    with session_scope(engine) as session:
        events = [e for r in rows if (e := session.get(Event, r.event_id)) is not None]
        message = build_digest([alert_event(session, e) for e in events], watchlist.title)
    if pace is not None and channel:
        pace(channel)
    try:
        ts = notifier.post(channel, message, key)  # type: ignore[attr-defined]
    except (RateLimited, ChannelBusy) as exc:
        # nothing was posted, and it is not an attempt: back to pending, keyed afresh next time
        _set(engine, key, status="pending", sending_since=None, payload=None, last_error=str(exc),
             attempts=col(Alert.attempts) - 1, next_attempt_at=now() + timedelta(seconds=exc.retry_after))  # fmt: skip
        report.deferred += len(rows)
    except Transient as exc:
        if exc.sent:
            _set(engine, key, last_error=f"outcome unknown, will reconcile: {exc}")
        elif max(r.attempts for r in rows) >= MAX_ATTEMPTS:
            _set(engine, key, status="failed", last_error=f"gave up after {MAX_ATTEMPTS} attempts: {exc}")
        else:
            wait = min(3600.0, 2.0 ** min(rows[0].attempts, 12))
            # back to pending, keyed afresh next time: a batch that never went out has no message
            _set(engine, key, status="pending", sending_since=None, payload=None, last_error=str(exc),
                 next_attempt_at=now() + timedelta(seconds=wait))  # fmt: skip
        report.deferred += len(rows)
    except UnknownOutcome as exc:
        _set(engine, key, last_error=f"outcome unknown, will reconcile: {exc}")
        report.deferred += len(rows)
    except Permanent as exc:
        _set(engine, key, status="failed", last_error=str(exc))
        report.failed += len(rows)
        report.errors.append(f"digest {key} ({watchlist.id}): {exc}")
    else:
        _set(engine, key, status="sent", ts=ts, sent_at=now(), last_error=None)
        report.sent += len(rows)
