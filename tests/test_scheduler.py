"""Leases on source rows: a source is polled by one worker at a time, on SQLite and PostgreSQL."""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from tracker.app import open_app
from tracker.db import make_engine, session_scope, upgrade
from tracker.models import Source, utcnow
from tracker.scheduler import claim_due, release, renew, spread_overdue


@pytest.fixture
def opened() -> Iterator[list]:
    """Apps opened by a test; their engines are disposed afterwards."""
    apps: list = []
    yield apps
    for app in apps:
        app.engine.dispose()


def _app(workspace: Path, opened: list, url: str | None = None):
    env = {"TRACKER_DATABASE_URL": url} if url else {}
    if url and not url.startswith("sqlite"):
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
    app = open_app(str(workspace / "config.toml"), environ=env)
    opened.append(app)
    return app


def _exercise_claims(app) -> None:
    now = utcnow()
    with session_scope(app.engine) as session:
        for row in session.exec(select(Source)).all():
            row.next_poll_at = now - timedelta(seconds=1)
            session.add(row)
    names = sorted(s.name for s in app.config.sources)
    assert sorted(claim_due(app, "w1", now, 10)) == names
    assert claim_due(app, "w2", now, 10) == []  # all leased
    release(app, names[0], "w2")  # not the owner: no effect
    assert claim_due(app, "w2", now, 10) == []
    release(app, names[0], "w1")
    assert claim_due(app, "w2", now, 10) == [names[0]]
    # an expired lease (a dead worker) can be taken over
    later = now + timedelta(seconds=app.config.scheduler.lease + 1)
    assert sorted(claim_due(app, "w3", later, 10)) == names


def test_claims_on_sqlite(workspace: Path, opened: list) -> None:
    _exercise_claims(_app(workspace, opened))


@pytest.mark.postgres
def test_claims_on_postgres_never_overlap(workspace: Path, postgres_url: str, opened: list) -> None:
    app = _app(workspace, opened, postgres_url)
    _exercise_claims(app)
    # many workers racing for the same due sources: each source is won by exactly one
    now = utcnow() + timedelta(days=1)
    won: list[str] = []
    lock = threading.Lock()

    def worker(n: int) -> None:
        got = claim_due(app, f"racer{n}", now, 10)
        with lock:
            won.extend(got)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(won) == sorted(s.name for s in app.config.sources)


def test_restart_spreads_overdue_sources(workspace: Path, opened: list) -> None:
    app = _app(workspace, opened)
    now = utcnow()
    moved = spread_overdue(app, now, window=60, rng=random.Random(7))
    assert moved == len(app.config.sources)
    with session_scope(app.engine) as session:
        times = [row.next_poll_at for row in session.exec(select(Source)).all()]
    assert all(now <= t <= now + timedelta(seconds=60) for t in times)
    assert len(set(times)) == len(times)


def _set(app, **values) -> None:
    with session_scope(app.engine) as session:
        for row in session.exec(select(Source)).all():
            for key, value in values.items():
                setattr(row, key, value)
            session.add(row)


def _rows(app) -> dict[str, Source]:
    with session_scope(app.engine) as session:
        return {row.name: row for row in session.exec(select(Source)).all()}


def test_a_heartbeat_keeps_a_lease_and_a_dead_worker_is_taken_over_one_lease_later(
    workspace: Path, opened: list
) -> None:
    app = _app(workspace, opened)
    lease = timedelta(seconds=app.config.scheduler.lease)
    assert lease <= timedelta(seconds=60)  # a dead worker's sources wait one lease, not ten minutes
    now = utcnow()
    _set(app, next_poll_at=now - timedelta(seconds=1))
    names = sorted(claim_due(app, "alive", now, 10))
    renewed_at = now + lease * 2 / 3
    assert renew(app, "alive", names, renewed_at) == len(names)
    assert claim_due(app, "other", now + lease + timedelta(seconds=1), 10) == []  # renewed: still held
    assert renew(app, "impostor", names, renewed_at) == 0  # only the owner renews
    # the owner dies (no more beats): one lease after its last beat, another worker has them all
    assert sorted(claim_due(app, "other", renewed_at + lease + timedelta(seconds=1), 10)) == names


def test_a_restart_never_overwrites_a_next_poll_another_worker_just_set(workspace: Path, opened: list) -> None:
    app = _app(workspace, opened)
    now = utcnow()
    first, second, third = sorted(s.name for s in app.config.sources)[:3]
    soon = now + timedelta(minutes=14)
    with session_scope(app.engine) as session:
        rows = {row.name: row for row in session.exec(select(Source)).all()}
        rows[first].next_poll_at = soon  # just polled by a running worker
        rows[second].next_poll_at = now - timedelta(hours=1)  # overdue, being polled right now
        rows[second].lease_owner, rows[second].lease_expires_at = "running", now + timedelta(seconds=30)
        rows[third].next_poll_at = now - timedelta(hours=1)  # overdue, free
        for row in rows.values():
            session.add(row)
    spread_overdue(app, now, window=60, rng=random.Random(3))
    after = _rows(app)
    assert after[first].next_poll_at == soon
    assert after[second].next_poll_at == now - timedelta(hours=1)
    assert now <= after[third].next_poll_at <= now + timedelta(seconds=60)
