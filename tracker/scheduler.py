"""The daemon: APScheduler 3.11 ticks, the database decides what is due.

A tick job claims the sources whose ``next_poll_at`` has come and whose lease is free, and
hands each to a thread pool; a delivery thread of its own makes one bounded pass over the
outbox twice a second (polls only queue alerts, so pacing never holds up polling). The schedule
lives on the source rows, not in APScheduler's job store, because 3.x cannot share a job
store between processes: leases on the rows let several workers share one PostgreSQL
database (``FOR UPDATE SKIP LOCKED`` there; SQLite mode is one worker).

- Never two polls of one source at once: the lease is taken before the poll and released
  after it. Leases are short and a heartbeat renews those in flight, so the sources of a
  worker that dies are taken over one lease later (30 s by default), not after a long wait.
- A stuck source cannot block the others: each poll runs in its own pool thread, with the
  fetcher's overall deadline.
- No run is silently dropped: ``misfire_grace_time=None`` and ``coalesce=True``.
- After a restart, sources that became due while it was down are spread over a window
  instead of all firing at once.
- SIGTERM or Ctrl-C stop the ticks, end the delivery pass and the polls between two steps,
  and exit within seconds, whatever is still queued (it stays in the outbox).
- A crashed poll is a failed poll: recorded on the source row, backed off.
"""

from __future__ import annotations

import logging
import os
import random
import signal
import socket
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import update
from sqlmodel import col, select

from tracker.alerts.ratelimit import SharedChannelPacer
from tracker.app import App, deliver
from tracker.db import is_sqlite, one_daemon, rowcount, session_scope
from tracker.models import Source, utcnow
from tracker.pipeline import record_failure, refresh_source
from tracker.sources import Fetcher

__all__ = ["claim_due", "release", "renew", "spread_overdue", "run_daemon", "Daemon"]

log = logging.getLogger(__name__)


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


def spread_overdue(app: App, now: datetime, window: float, rng: random.Random) -> int:
    """Give overdue and never-polled sources a random time in the next ``window`` seconds.

    Each row is moved by one conditional UPDATE, never by writing back what was read: a
    worker already running may have polled the source a moment ago and set its next poll
    time (or hold its lease right now), and that must win over a start-up reschedule."""
    moved = 0
    with session_scope(app.engine) as session:
        for source in app.config.sources:
            if not source.enabled:
                continue
            spread = min(window, source.interval_seconds)
            moved += rowcount(session.execute(
                update(Source)
                .where(
                    col(Source.name) == source.name,
                    (col(Source.next_poll_at).is_(None)) | (col(Source.next_poll_at) <= now),
                    (col(Source.lease_expires_at).is_(None)) | (col(Source.lease_expires_at) < now),
                )
                .values(next_poll_at=now + timedelta(seconds=rng.uniform(0, spread)))
            ))
    return moved


def renew(app: App, owner: str, names: list[str], now: datetime) -> int:
    """The heartbeat: push on the leases ``owner`` still holds on ``names``; returns how many.

    Leases are short (``scheduler.lease``, 30 s by default) so that a dead worker's sources
    are taken over soon, and the living poller keeps its own alive by renewing them every
    third of a lease; a lease already taken over by another worker is not renewed."""
    if not names:
        return 0
    expires = now + timedelta(seconds=app.config.scheduler.lease)
    with session_scope(app.engine) as session:
        return rowcount(session.execute(
            update(Source)
            .where(col(Source.name).in_(names), col(Source.lease_owner) == owner)
            .values(lease_expires_at=expires)
        ))


def claim_due(app: App, owner: str, now: datetime, limit: int) -> list[str]:
    """Take the lease of up to ``limit`` due sources; returns their names."""
    enabled = [s.name for s in app.config.sources if s.enabled]
    if not enabled:
        return []
    expires = now + timedelta(seconds=app.config.scheduler.lease)
    with session_scope(app.engine) as session:
        due = (
            select(Source.id)
            .where(
                col(Source.name).in_(enabled),
                col(Source.next_poll_at) <= now,
                (col(Source.lease_expires_at).is_(None)) | (col(Source.lease_expires_at) < now),
            )
            .order_by(col(Source.next_poll_at))
            .limit(limit)
        )
        if not is_sqlite(app.engine):
            due = due.with_for_update(skip_locked=True)
        result = session.execute(
            update(Source)
            .where(col(Source.id).in_(due.scalar_subquery()))
            .values(lease_owner=owner, lease_expires_at=expires)
            .returning(col(Source.name))
        )
        return [name for (name,) in result.all()]


def release(app: App, name: str, owner: str) -> None:
    with session_scope(app.engine) as session:
        session.execute(
            update(Source)
            .where(col(Source.name) == name, col(Source.lease_owner) == owner)
            .values(lease_owner=None, lease_expires_at=None)
        )


class Daemon:
    """The scheduler, the poll pool and the stop flag, wired together."""

    #: rows one delivery pass claims at most: a pass stays short, so a stop never waits on it
    DELIVERY_BATCH = 50
    #: seconds a pass waits for a channel's free slot: none, it moves on to other channels
    #: (one waiting channel must not hold up the rest) and the next pass comes soon
    PACING_WAIT = 0.0

    def __init__(self, app: App, *, workers: int = 4, deliver_every: float = 0.5) -> None:
        self.app = app
        self.owner = worker_id()
        self.stopping = threading.Event()
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="poll")
        self.fetcher = Fetcher(app.config.fetch)
        self.in_flight: set[str] = set()
        self.lock = threading.Lock()
        self.claiming = threading.Lock()
        self.workers = workers
        # SQLite mode is one worker: whatever was left `sending` before this start belongs to
        # a process that died, and is reconciled on the first delivery, not after STALE_SENDING.
        self.started_at = utcnow()
        self.recover_before = self.started_at if is_sqlite(app.engine) else None
        self.scheduler = BackgroundScheduler(
            job_defaults={"misfire_grace_time": None, "coalesce": True, "max_instances": 1}, timezone="UTC"
        )
        tick = app.config.scheduler.tick
        self.scheduler.add_job(self.tick, "interval", seconds=tick, id="tick", next_run_time=utcnow())
        # Delivery has its own thread: a poll only queues rows, so a channel paced at one
        # message a second never holds up polling, and a stop only waits for one short pass.
        self.deliver_every = deliver_every
        self.delivery = threading.Thread(target=self._deliver_loop, name="deliver", daemon=True)
        self.polls_done = threading.Event()  # set once the last poll has ended, at stop
        self.heartbeat = threading.Thread(target=self._heartbeat_loop, name="heartbeat", daemon=True)
        limiter = app.limiter
        if isinstance(limiter, SharedChannelPacer):
            limiter.max_wait = self.PACING_WAIT
            limiter.sleep = self.stopping.wait  # a stop cuts a pacing wait short

    def tick(self) -> None:
        """Fill the free pool threads with due sources (the scheduler's tick, and each poll's end)."""
        if self.stopping.is_set():
            return
        with self.claiming:  # one claim at a time, so two callers never overfill the pool
            with self.lock:
                free = self.workers - len(self.in_flight)
            if free <= 0:
                return
            for name in claim_due(self.app, self.owner, utcnow(), free):
                with self.lock:
                    self.in_flight.add(name)
                try:
                    self.pool.submit(self._poll, name)
                except RuntimeError:  # the pool shut down (stopping) between the check and now
                    release(self.app, name, self.owner)
                    with self.lock:
                        self.in_flight.discard(name)

    def _poll(self, name: str) -> None:
        try:
            source = self.app.config.source(name)
            summary = refresh_source(
                self.app.engine, self.app.config, source, self.fetcher, self.app.queue_hook(),
                on_failing=self.app.ops_alert, rules=self.app.rules, stop=self.stopping,
            )  # fmt: skip
            if summary.documents_new or summary.errors:
                log.info("refreshed source=%s new=%d errors=%s", name, summary.documents_new, summary.errors)
        except Exception as exc:  # a bug in one poll must not stop the daemon, nor re-poll at once
            log.exception("poll crashed source=%s", name)
            try:
                record_failure(
                    self.app.engine, self.app.config, self.app.config.source(name),
                    f"source {name}: poll crashed: {type(exc).__name__}: {exc}".splitlines()[0], utcnow(),
                )  # fmt: skip
            except Exception:
                log.exception("could not record the crash source=%s", name)
        finally:
            release(self.app, name, self.owner)
            with self.lock:
                self.in_flight.discard(name)
            # claim the next due source now, not at the next tick: with a tick of 1 s and four
            # pool threads, waiting for the tick capped a daemon at four polls a second
            try:
                self.tick()
            except Exception:
                log.exception("claiming the next source failed")

    def deliver(self) -> None:
        """One bounded pass over the outbox (it ends early when the daemon is stopping)."""
        try:
            report = deliver(
                self.app, stale_before=self.recover_before, limit=self.DELIVERY_BATCH, should_stop=self.stopping.is_set
            )
            if report.sent or report.failed or report.reconciled:
                log.info("delivered sent=%d failed=%d reconciled=%d", report.sent, report.failed, report.reconciled)
        except Exception:
            log.exception("delivery failed")

    def _heartbeat_loop(self) -> None:
        """Renew the leases of the polls in flight every third of a lease, until they end."""
        every = self.app.config.scheduler.lease / 3
        while not self.polls_done.wait(every):
            with self.lock:
                names = sorted(self.in_flight)
            try:
                renew(self.app, self.owner, names, utcnow())
            except Exception:  # a missed beat is retried; the lease has two more in hand
                log.exception("lease renewal failed sources=%s", names)

    def _deliver_loop(self) -> None:
        self.deliver()
        while not self.stopping.wait(self.deliver_every):
            self.deliver()

    def start(self) -> None:
        window = self.app.config.scheduler.tick * 6
        moved = spread_overdue(self.app, utcnow(), window=window, rng=random.Random())
        if moved:
            log.info("sources due=%d first polls spread over the next %.0f s", moved, window)
        self.scheduler.start()
        self.delivery.start()
        self.heartbeat.start()

    def stop(self) -> None:
        """Stop ticking, end the delivery pass and the polls between two steps, close.

        Whatever is still queued stays in the outbox for the next start (or another worker):
        a stop waits for at most one post and one document per poll, never for the queue."""
        self.stopping.set()
        self.scheduler.shutdown(wait=True)
        self.delivery.join()
        self.pool.shutdown(wait=True)
        self.polls_done.set()
        self.fetcher.close()


def run_daemon(app: App) -> None:
    """`tracker run`: until SIGTERM or Ctrl-C."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    # APScheduler logs every run of every job at INFO: two lines a second of noise
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    with one_daemon(app.engine):
        _run(app)


def _run(app: App) -> None:
    daemon = Daemon(app)
    done = threading.Event()

    def on_signal(signum: int, _frame: object) -> None:
        log.info("signal=%s stopping after the current polls", signal.Signals(signum).name)
        done.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    daemon.start()
    log.info("daemon started worker=%s sources=%d", daemon.owner, sum(s.enabled for s in app.config.sources))
    try:
        while not done.wait(1.0):
            pass
    finally:
        daemon.stop()
        log.info("daemon stopped")
