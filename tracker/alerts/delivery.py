"""One message's delivery: post it, and map the outcome to the state of the rows it stands for.

A single alert and a digest batch go through the same path (:func:`post_and_record`): a
:class:`Target` names the rows (one alert id, or every row carrying the batch's key) and what
they share. The outcomes, whoever posts:

- posted → ``sent`` with the message's ts;
- 429 or a paced channel → back to ``pending`` after Retry-After; not an attempt;
- a 5xx (Slack had the whole request) → reconciled at once (conversations.history), then
  retried with backoff if the message is not there;
- a connection error before the request went out → retried with backoff, ``failed`` after
  MAX_ATTEMPTS;
- an unknown outcome → left ``sending``, reconciled before it is ever posted again;
- a permanent error (channel_not_found, invalid_auth…) → ``failed``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from tracker.alerts.message import AlertEvent, SlackMessage
from tracker.alerts.notifier import Notifier, Permanent, RateLimited, Transient, UnknownOutcome
from tracker.alerts.ratelimit import ChannelBusy
from tracker.backoff import backoff_delay
from tracker.db import session_scope
from tracker.models import Alert, Event
from tracker.timeline_query import event_sources

__all__ = ["MAX_ATTEMPTS", "DeliveryReport", "Target", "alert_event", "post_and_record", "reconcile"]

MAX_ATTEMPTS = 8
#: a delivery retried after a failure waits 2, 4, 8 … seconds, at most an hour
RETRY_CAP = 3600.0


@dataclass
class DeliveryReport:
    sent: int = 0
    failed: int = 0
    deferred: int = 0
    reconciled: int = 0
    errors: list[str] = field(default_factory=list)
    #: channels found with no free slot during this pass: their other rows wait for the next
    busy_channels: set[str] = field(default_factory=set)


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
        status=event.status,
        party=event.party,
    )


@dataclass(frozen=True)
class Target:
    """The rows one message stands for, as claimed (``sending``) by this worker.

    ``where`` selects them; ``attempts`` counts this one; ``since`` is when the rows went
    ``sending`` (the earliest a posted message can carry ``key``). A digest batch that goes
    back to ``pending`` drops its key (``rekey``): a batch that never went out has no message,
    and the next claim gathers the rows again under a fresh key."""

    engine: Engine
    where: ColumnElement[bool]
    key: str
    label: str
    rows: int
    attempts: int
    since: datetime
    thread_ts: str | None = None
    rekey: bool = False

    def write(self, **values: Any) -> None:
        with session_scope(self.engine) as session:
            session.execute(update(Alert).where(self.where).values(**values))

    def back_to_pending(self, when: datetime, reason: str, **values: Any) -> None:
        extra: dict[str, Any] = {"payload": None} if self.rekey else {}
        self.write(status="pending", sending_since=None, next_attempt_at=when, last_error=reason, **extra, **values)

    def sent(self, ts: str, now: datetime) -> None:
        self.write(status="sent", ts=ts, thread_ts=self.thread_ts, sent_at=now, last_error=None)


def reconcile(notifier: Notifier, channel: str | None, target: Target) -> str | None:
    """The ts of the message carrying the target's key, if it was posted (raises what
    ``find_posted`` raises). Replies are looked up in their thread, which
    conversations.history does not show; a notifier that cannot be asked finds nothing."""
    if not getattr(notifier, "can_reconcile", False):
        return None
    oldest = target.since - timedelta(minutes=5)
    return notifier.find_posted(channel, target.key, oldest=oldest.timestamp(), thread_ts=target.thread_ts)


def post_and_record(
    target: Target,
    notifier: Notifier,
    channel: str | None,
    message: SlackMessage,
    now: Callable[[], datetime],
    pace: Callable[[str], None] | None,
    report: DeliveryReport,
) -> None:
    """Post the claimed target's message once and record what happened to its rows."""
    if pace is not None and channel:
        pace(channel)
    try:
        ts = notifier.post(channel, message, target.key, thread_ts=target.thread_ts)
    except (RateLimited, ChannelBusy) as exc:
        # nothing was posted: not an attempt, so a busy channel can never fail a row
        if channel:
            report.busy_channels.add(channel)
        target.back_to_pending(
            now() + timedelta(seconds=exc.retry_after), str(exc), attempts=col(Alert.attempts) - 1
        )
        report.deferred += target.rows
    except Transient as exc:
        _transient(target, notifier, channel, exc, now, report)
    except UnknownOutcome as exc:
        target.write(last_error=f"outcome unknown, will reconcile: {exc}")
        report.deferred += target.rows
    except Permanent as exc:
        target.write(status="failed", last_error=str(exc))
        report.failed += target.rows
        report.errors.append(f"{target.label}: {exc}")
    else:
        target.sent(ts, now())
        report.sent += target.rows


def _transient(
    target: Target,
    notifier: Notifier,
    channel: str | None,
    exc: Transient,
    now: Callable[[], datetime],
    report: DeliveryReport,
) -> None:
    if exc.sent:  # Slack had the whole request (a 5xx): reconcile now, before any retry
        try:
            found = reconcile(notifier, channel, target)
        except (Transient, RateLimited, UnknownOutcome):
            found, exc_unknown = None, True
        else:
            exc_unknown = not getattr(notifier, "can_reconcile", False)
        if found:
            target.sent(found, now())
            report.reconciled += target.rows
            return
        if exc_unknown:  # cannot tell whether it went out: never blindly post it again
            target.write(last_error=f"outcome unknown, will reconcile: {exc}")
            report.deferred += target.rows
            return
    if target.attempts >= MAX_ATTEMPTS:
        target.write(status="failed", last_error=f"gave up after {target.attempts} attempts: {exc}")
        report.failed += target.rows
        report.errors.append(f"{target.label}: gave up after {target.attempts} attempts: {exc}")
        return
    delay = backoff_delay(target.attempts, base=2.0, cap=RETRY_CAP, jitter=False)
    target.back_to_pending(now() + timedelta(seconds=delay), str(exc))
    report.deferred += target.rows
