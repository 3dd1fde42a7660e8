"""Merges from several workers: no deadlock on the real PostgreSQL, and a poll that crashes
while storing counts as a failure with backoff instead of being re-polled a tick later."""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import ROOT
from sqlalchemy import text
from sqlmodel import Session, func, select

from tracker.app import open_app
from tracker.config import load_config
from tracker.db import make_engine, session_scope, upgrade
from tracker.models import Event, Source, utcnow
from tracker.pipeline import ingest_item, refresh_source
from tracker.source_rows import sync_sources
from tracker.sources import Fetcher, Item
from tracker.timeline import lock_kinds

BAN_HK = "The Securities and Futures Commission banned crypto lending in Hong Kong on 1 August 2025."
CIRCULAR_CN = "The People's Bank of China issued a circular on stablecoins in mainland China on 2 August 2025."
KINDS = [("ban", "HK"), ("guidance", "CN")]


def _waiting_advisory_locks(engine) -> int:
    """Backends of this database waiting for an advisory lock, i.e. blocked on a merge lock."""
    with engine.connect() as connection:
        return connection.execute(
            text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND pid <> pg_backend_pid()")
        ).scalar_one()


@pytest.mark.postgres
def test_two_documents_with_the_same_kinds_in_opposite_order_do_not_deadlock(
    postgres_url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config_file = tmp_path / "config.toml"
    config_file.write_text(
        (ROOT / "config.toml").read_text(encoding="utf-8").replace('dir = "rules"', f'dir = "{ROOT / "rules"}"'),
        encoding="utf-8",
    )
    config = load_config(config_file, {"TRACKER_DATABASE_URL": postgres_url})
    engine = make_engine(config.database_url)
    upgrade(engine)
    sync_sources(engine, config)
    published = datetime(2025, 8, 3, tzinfo=UTC)
    items = [
        Item(url="https://example.org/a", title=None, published=published, text=f"{BAN_HK} {CIRCULAR_CN}", lang="en"),
        Item(url="https://example.org/b", title=None, published=published, text=f"{CIRCULAR_CN} {BAN_HK}", lang="en"),
    ]
    errors: list[BaseException] = []

    def ingest(item: Item) -> None:
        try:
            with session_scope(engine) as session:
                source = session.exec(select(Source).where(Source.name == "hk-regulators-sample")).one()
                ingest_item(session, source, item)
        except BaseException as exc:  # noqa: BLE001 — reported by the assert below
            errors.append(exc)

    caplog.set_level(logging.WARNING, logger="tracker")
    try:
        # A third transaction holds both kinds, so both documents are parked on their first
        # lock; released together, the old per-mention order had each take one kind and wait
        # for the other's. Sorted up-front locks make them queue on the same first lock.
        with Session(engine) as blocker:
            lock_kinds(blocker, KINDS)
            threads = [threading.Thread(target=ingest, args=(item,)) for item in items]
            for thread in threads:
                thread.start()
            deadline = datetime.now(UTC) + timedelta(seconds=60)
            while _waiting_advisory_locks(engine) < 2 and datetime.now(UTC) < deadline:
                threading.Event().wait(0.05)
            assert _waiting_advisory_locks(engine) >= 2, "the two documents never waited for the merge locks"
            blocker.commit()
        for thread in threads:
            thread.join(120)
        assert not any(thread.is_alive() for thread in threads)
        assert errors == []
        assert "transaction retried" not in caplog.text  # no deadlock victim had to run again
        with session_scope(engine) as session:
            for type_, jurisdiction in KINDS:
                count = session.exec(
                    select(func.count()).select_from(Event).where(Event.type == type_, Event.jurisdiction == jurisdiction)
                ).one()
                assert count == 1, (type_, jurisdiction)
    finally:
        engine.dispose()


def test_a_poll_that_crashes_while_storing_backs_off_on_the_source_row(workspace: Path) -> None:
    app = open_app(str(workspace / "config.toml"), environ={})
    source = app.config.source("hk-regulators-sample")

    def broken_hook(_session, _outcome) -> int:
        raise RuntimeError("alert stage bug")

    fetcher = Fetcher(app.config.fetch)
    try:
        before = utcnow()
        summary = refresh_source(app.engine, app.config, source, fetcher, broken_hook, rules=app.rules)
    finally:
        fetcher.close()
        app.engine.dispose()
    assert len(summary.errors) == 1 and "alert stage bug" in summary.errors[0]
    app = open_app(str(workspace / "config.toml"), environ={})
    with session_scope(app.engine) as session:
        row = session.exec(select(Source).where(Source.name == source.name)).one()
    app.engine.dispose()
    assert row.consecutive_failures == 1 and row.last_status == "error"
    assert "RuntimeError: alert stage bug" in (row.last_error or "")
    # backed off by at least one interval, not re-polled at the next tick
    assert row.next_poll_at is not None and row.next_poll_at >= before + timedelta(seconds=source.interval_seconds)
