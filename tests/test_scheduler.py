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
from tracker.scheduler import claim_due, release, spread_overdue


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
    later = now + timedelta(seconds=float(app.config.scheduler["lease"]) + 1)
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
