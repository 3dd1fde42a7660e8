"""Storage and the pipeline's idempotency, on real SQLite files and the real PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from conftest import ROOT
from sqlmodel import func, select

from tracker.alerts.outbox import queue_alerts
from tracker.alerts.watchlist_file import load_watchlists
from tracker.config import load_config
from tracker.db import make_engine, session_scope, upgrade
from tracker.models import Alert, Document, Event, Mention, Source
from tracker.pipeline import ingest_item
from tracker.source_rows import sync_sources
from tracker.sources import Item

HKT = timezone(timedelta(hours=8))


def _count(engine, model) -> int:
    with session_scope(engine) as session:
        return session.exec(select(func.count()).select_from(model)).one()


def _setup(url: str, tmp_path: Path):
    config_file = tmp_path / "config.toml"
    config_file.write_text(
        (ROOT / "config.toml").read_text(encoding="utf-8").replace('dir = "rules"', f'dir = "{ROOT / "rules"}"'),
        encoding="utf-8",
    )
    config = load_config(config_file, {"TRACKER_DATABASE_URL": url})
    engine = make_engine(config.database_url)
    upgrade(engine)
    sync_sources(engine, config)
    watchlists = load_watchlists(ROOT / "rules" / "watchlists")
    return config, engine, watchlists


ORDINANCE = Item(
    url="https://example.org/a?utm_source=feed&id=7",
    title="Ordinance in force",
    published=datetime(2025, 8, 4, 17, 30, tzinfo=HKT),
    text="The Hong Kong Monetary Authority said the Stablecoins Ordinance took effect on August 1.",
    lang="en",
)
BAN_VAGUE = Item(
    url="https://example.org/b",
    title="Ban restated",
    published=datetime(2025, 6, 10, 9, 0, tzinfo=HKT),
    text="The People's Bank of China said the ban on cryptocurrency trading, in force on the mainland since 2021, remains.",
    lang="en",
)
BAN_PRECISE = Item(
    url="https://example.org/c",
    title="十部门通知",
    published=datetime(2021, 9, 24, 21, 30, tzinfo=HKT),
    text="中国人民银行等十部门于2021年9月24日发布通知，全面禁止虚拟货币交易炒作。",
    lang="zh",
)


def _ingest(engine, watchlists, source_name: str, item: Item):
    with session_scope(engine) as session:
        source = session.exec(select(Source).where(Source.name == source_name)).one()
        return ingest_item(session, source, item, lambda s, o: queue_alerts(s, o, watchlists))


def _exercise(url: str, tmp_path: Path) -> None:
    _config, engine, watchlists = _setup(url, tmp_path)
    try:
        _check_idempotency(engine, watchlists)
    finally:
        engine.dispose()


def _check_idempotency(engine, watchlists) -> None:
    first = _ingest(engine, watchlists, "hk-regulators-sample", ORDINANCE)
    assert first.documents_new == 1 and first.events_new >= 1 and first.alerts_queued >= 1
    counts = {m: _count(engine, m) for m in (Document, Mention, Event, Alert)}

    # the same document again, and again under tracking parameters and a new GUID: nothing new
    again = _ingest(engine, watchlists, "hk-regulators-sample", ORDINANCE)
    assert again.documents_new == 0 and again.documents_unchanged == 1
    regenerated = replace(ORDINANCE, url="https://example.org/a?id=7&utm_medium=x", guid="new")
    assert _ingest(engine, watchlists, "hk-regulators-sample", regenerated).documents_new == 0
    assert {m: _count(engine, m) for m in (Document, Mention, Event, Alert)} == counts

    # a vague date, then a precise one from another source: one event, refined, recorded
    _ingest(engine, watchlists, "mainland-news-sample", BAN_VAGUE)
    with session_scope(engine) as session:
        ban = session.exec(select(Event).where(Event.jurisdiction == "CN", Event.type == "ban")).one()
        assert (ban.date_value, ban.precision, ban.qualifier) == ("2021", "year", "since")
        ban_id = ban.id
    _ingest(engine, watchlists, "articles-sample", BAN_PRECISE)
    with session_scope(engine) as session:
        bans = session.exec(select(Event).where(Event.jurisdiction == "CN", Event.type == "ban")).all()
        assert [b.id for b in bans] == [ban_id]
        refined = bans[0]
        assert refined.date_value == "2021-09-24" and refined.previous_date_value == "2021"
        assert refined.revision >= 2 and "refined" in (refined.change or "")
        assert refined.source_count == 2
        kinds = session.exec(select(Alert.kind).where(Alert.event_id == ban_id)).all()
        # at most one "new" alert per watchlist, and an update only follows an alerted event
        assert kinds.count("new") <= len(watchlists)
        assert "update" not in kinds or "new" in kinds


def test_pipeline_is_idempotent_on_sqlite(tmp_path: Path) -> None:
    _exercise(f"sqlite:///{tmp_path / 'tracker.db'}", tmp_path)


@pytest.mark.postgres
def test_pipeline_is_idempotent_on_postgres(postgres_url: str, tmp_path: Path) -> None:
    _exercise(postgres_url, tmp_path)


def test_upgrade_is_repeatable_and_utc(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    upgrade(engine)
    upgrade(engine)
    with session_scope(engine) as session:
        session.add(Source(name="s", kind="feed", location="x", last_poll_at=datetime(2025, 1, 1, 8, tzinfo=HKT)))
    with session_scope(engine) as session:
        stored = session.exec(select(Source)).one().last_poll_at
    assert stored == datetime(2025, 1, 1, 0, tzinfo=UTC)
    assert stored.utcoffset() == timedelta(0)
    engine.dispose()


def test_head_revision_is_alembic_head_and_a_database_behind_it_is_upgraded(tmp_path: Path) -> None:
    """`upgrade` skips alembic for a database at HEAD_REVISION: that must be the real head,
    and a database one migration behind must still be carried to it."""
    from alembic.config import Config as AlembicConfig
    from alembic.script import ScriptDirectory

    from tracker.db import HEAD_REVISION, MIGRATIONS, schema_revision

    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    script = ScriptDirectory.from_config(config)
    assert script.get_heads() == [HEAD_REVISION]
    engine = make_engine(f"sqlite:///{tmp_path / 'behind.db'}")
    previous = script.get_revision(HEAD_REVISION).down_revision
    assert isinstance(previous, str)
    upgrade(engine, previous)
    assert schema_revision(engine) == previous
    upgrade(engine)
    assert schema_revision(engine) == HEAD_REVISION
    engine.dispose()


def test_vague_mentions_do_not_swallow_unrelated_events(tmp_path: Path) -> None:
    _config, engine, watchlists = _setup(f"sqlite:///{tmp_path / 'tracker.db'}", tmp_path)
    items = [
        Item(url="https://example.org/vague", title=None, published=datetime(2025, 8, 4, 9, tzinfo=HKT),
             text="The Securities and Futures Commission banned it.", lang="en"),
        Item(url="https://example.org/dated", title=None, published=datetime(2025, 9, 1, 9, tzinfo=HKT),
             text="The Securities and Futures Commission banned trading of privacy tokens on August 30, 2025.", lang="en"),
        Item(url="https://example.org/other", title=None, published=None,
             text="The Hong Kong Monetary Authority banned stablecoin trading by unlicensed issuers on August 1.", lang="en"),
    ]  # fmt: skip
    for item in items:
        _ingest(engine, watchlists, "articles-sample", item)
    with session_scope(engine) as session:
        bans = session.exec(select(Event).where(Event.type == "ban", Event.jurisdiction == "HK")).all()
        dated = [b for b in bans if b.date_value == "2025-08-30"]
        assert len(dated) == 1
        # the sentence shown is the one that gives the date shown
        assert "August 30, 2025" in dated[0].evidence
        # the HKMA's undated stablecoin ban stays an event of its own
        assert any("Monetary Authority" in b.evidence for b in bans if b.id != dated[0].id)
    engine.dispose()
