"""Merging by identity: the timeline never merges two different steps, and it does merge one
step told by several sources, across English and Chinese. Real extraction, real pipeline,
real SQLite files and the real PostgreSQL."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from conftest import ROOT
from sqlalchemy import inspect
from sqlmodel import SQLModel, select

from tracker.config import load_config
from tracker.db import make_engine, session_scope, upgrade
from tracker.identity import default_identities, fold_name, load_identities
from tracker.models import Event, Mention, Source
from tracker.pipeline import ingest_item
from tracker.source_rows import sync_sources
from tracker.sources import Item

HKT = timezone(timedelta(hours=8))
SEPT = datetime(2025, 9, 1, 10, tzinfo=HKT)


def _engine(url: str, tmp_path: Path):
    config_file = tmp_path / "config.toml"
    config_file.write_text(
        (ROOT / "config.toml").read_text(encoding="utf-8").replace('dir = "rules"', f'dir = "{ROOT / "rules"}"'),
        encoding="utf-8",
    )
    config = load_config(config_file, {"TRACKER_DATABASE_URL": url})
    engine = make_engine(config.database_url)
    upgrade(engine)
    sync_sources(engine, config)
    return engine


def _ingest(engine, source_name: str, url: str, text: str, lang: str = "en", published: datetime = SEPT):
    with session_scope(engine) as session:
        source = session.exec(select(Source).where(Source.name == source_name)).one()
        return ingest_item(session, source, Item(url=url, title=None, published=published, text=text, lang=lang))


def _events(engine, kind: str) -> list[Event]:
    with session_scope(engine) as session:
        found = session.exec(select(Event).where(Event.type == kind).order_by(Event.id)).all()
        session.expunge_all()
        return list(found)


@pytest.fixture
def sqlite_engine(tmp_path: Path):
    engine = _engine(f"sqlite:///{tmp_path / 'tracker.db'}", tmp_path)
    yield engine
    engine.dispose()


def _two_firms_licensed_on_one_day(engine) -> None:
    _ingest(engine, "hk-regulators-sample", "https://example.org/lic-a",
            "The Securities and Futures Commission granted a licence to Harbourline Digital Exchange Limited "
            "on 3 June 2024.")  # fmt: skip
    _ingest(engine, "articles-sample", "https://example.org/lic-b",
            "The Securities and Futures Commission granted a licence to Kestrel Markets Limited on 3 June 2024.")  # fmt: skip
    grants = _events(engine, "license_grant")
    assert len(grants) == 2, [g.party for g in grants]
    assert {g.party for g in grants} == {"Harbourline Digital Exchange Limited", "Kestrel Markets Limited"}
    assert all(g.revision == 1 and g.change is None for g in grants)  # no "confirmed by another source"


def test_two_firms_licensed_on_one_day_stay_two_events(sqlite_engine) -> None:
    _two_firms_licensed_on_one_day(sqlite_engine)


@pytest.mark.postgres
def test_two_firms_licensed_on_one_day_stay_two_events_on_postgres(postgres_url: str, tmp_path: Path) -> None:
    engine = _engine(postgres_url, tmp_path)
    try:
        _two_firms_licensed_on_one_day(engine)
    finally:
        engine.dispose()


def test_one_licence_in_english_and_chinese_is_one_event(sqlite_engine) -> None:
    _ingest(sqlite_engine, "hk-regulators-sample", "https://example.org/en",
            "The Securities and Futures Commission granted a licence to Harbourline Digital Exchange Limited "
            "on 3 June 2024.")  # fmt: skip
    _ingest(sqlite_engine, "hk-regulators-sample", "https://example.org/zh",
            "證監會於2024年6月3日向Harbourline Digital Exchange Limited批出牌照。", lang="zh")  # fmt: skip
    (grant,) = _events(sqlite_engine, "license_grant")
    assert grant.document_count == 2 and grant.source_count == 1
    with session_scope(sqlite_engine) as session:
        mentions = session.exec(select(Mention).where(Mention.event_id == grant.id)).all()
        assert {m.evidence[:3] for m in mentions} == {"The", "證監會"}


def test_one_ordinance_named_in_both_scripts_is_one_event(sqlite_engine) -> None:
    _ingest(sqlite_engine, "hk-regulators-sample", "https://example.org/ord-en",
            "The Stablecoins Ordinance took effect on 1 August 2025.")  # fmt: skip
    _ingest(sqlite_engine, "mainland-news-sample", "https://example.org/ord-zh",
            "《稳定币条例》于2025年8月1日正式生效。", lang="zh")  # fmt: skip
    (ordinance,) = _events(sqlite_engine, "ordinance")
    assert ordinance.source_count == 2 and ordinance.document_count == 2
    assert ordinance.party == "Stablecoins Ordinance"  # the Chinese name is the same party, not a second one


def test_consultations_by_two_regulators_on_one_day_stay_two(sqlite_engine) -> None:
    _ingest(sqlite_engine, "hk-regulators-sample", "https://example.org/c1",
            "The Hong Kong Monetary Authority launched a consultation on custody rules on 5 May 2025.")  # fmt: skip
    _ingest(sqlite_engine, "articles-sample", "https://example.org/c2",
            "The Securities and Futures Commission launched a consultation on staking rules on 5 May 2025.")  # fmt: skip
    consultations = _events(sqlite_engine, "consultation")
    assert len(consultations) == 2
    assert {c.actor for c in consultations} == {"Hong Kong Monetary Authority", "Securities and Futures Commission"}


def test_one_regulator_named_in_both_scripts_is_one_actor(sqlite_engine) -> None:
    _ingest(sqlite_engine, "hk-regulators-sample", "https://example.org/c-en",
            "The Securities and Futures Commission launched a consultation on staking rules on 5 May 2025.")  # fmt: skip
    _ingest(sqlite_engine, "articles-sample", "https://example.org/c-zh",
            "證監會於2025年5月5日就質押規則展開諮詢。", lang="zh")  # fmt: skip
    (consultation,) = _events(sqlite_engine, "consultation")
    assert consultation.source_count == 2


def test_since_2021_ban_and_the_dated_notice_become_one_refined_event(sqlite_engine) -> None:
    _ingest(sqlite_engine, "mainland-news-sample", "https://example.org/since",
            "The People's Bank of China said the ban on cryptocurrency trading, in force on the mainland since "
            "2021, remains.", published=datetime(2025, 6, 10, 9, tzinfo=HKT))  # fmt: skip
    _ingest(sqlite_engine, "articles-sample", "https://example.org/notice",
            "中国人民银行等十部门于2021年9月24日发布通知，全面禁止虚拟货币交易炒作。", lang="zh",
            published=datetime(2021, 9, 24, 21, tzinfo=HKT))  # fmt: skip
    bans = [
        b for b in _events(sqlite_engine, "ban") if b.jurisdiction == "CN" and (b.date_value or "").startswith("2021")
    ]
    assert len(bans) == 1
    assert (bans[0].date_value, bans[0].previous_date_value) == ("2021-09-24", "2021")
    assert bans[0].status == "done"  # the original notice, not the restatement, decides


def test_a_planned_step_reported_done_is_one_event_that_changes_status(sqlite_engine) -> None:
    _ingest(sqlite_engine, "hk-regulators-sample", "https://example.org/will",
            "The Stablecoins Ordinance will take effect on 1 August 2025.",
            published=datetime(2025, 7, 1, 9, tzinfo=HKT))  # fmt: skip
    (planned,) = _events(sqlite_engine, "ordinance")
    assert planned.status == "planned"
    outcome = _ingest(sqlite_engine, "articles-sample", "https://example.org/did",
                      "The Stablecoins Ordinance took effect on 1 August 2025.")  # fmt: skip
    assert outcome.events_updated == 1
    (done,) = _events(sqlite_engine, "ordinance")
    assert done.id == planned.id and done.status == "done" and done.revision == 2
    assert "status changed from planned to done" in (done.change or "")


def test_the_gazetteer_examples_hold() -> None:
    ids = default_identities()
    assert ids.examples, "rules/entities.toml carries examples"
    for example in ids.examples:
        same = {ids.of(name) for name in example.same}
        assert same == {example.rule}, (example.rule, same)
        for name in example.different:
            assert ids.of(name) != example.rule, (example.rule, name)


def test_names_fold_suffixes_width_and_quotes() -> None:
    assert fold_name("OSL Digital Limited") == fold_name("OSL Digital Ltd.") == "osl digital"
    assert fold_name("《稳定币条例》") == "稳定币条例"
    assert fold_name("ＨＫＭＡ") == "hkma"


def test_a_bad_entities_file_names_the_file_and_key(tmp_path: Path) -> None:
    bad = tmp_path / "entities.toml"
    bad.write_text('version = 1\n[[entities]]\nid = "x"\nkind = "firm"\nnames = "X Ltd"\n', encoding="utf-8")
    with pytest.raises(Exception) as caught:
        load_identities(bad)
    assert str(caught.value).startswith(f"{tmp_path.name}/entities.toml: entities[0].names:")
    bad.write_text('version = 1\n[[entities]]\nid = "x"\nkind = "firm"\nnames = ["X"]\ncolour = 1\n', encoding="utf-8")
    with pytest.raises(Exception) as caught:
        load_identities(bad)
    assert "entities[0].colour" in str(caught.value)


def test_the_migrations_build_the_schema_the_models_declare(tmp_path: Path) -> None:
    """Alembic's scripts and the SQLModel tables agree on every table, column and index."""
    engine = make_engine(f"sqlite:///{tmp_path / 'm.db'}")
    upgrade(engine)
    migrated = inspect(engine)
    for table in SQLModel.metadata.sorted_tables:
        assert set(migrated.get_table_names()) >= {table.name}
        columns = {c["name"] for c in migrated.get_columns(table.name)}
        assert columns == {c.name for c in table.columns}, table.name
        indexes = {i["name"] for i in migrated.get_indexes(table.name)}
        assert indexes == {i.name for i in table.indexes}, table.name
    engine.dispose()


def test_upgrade_from_the_first_schema_places_existing_events(tmp_path: Path) -> None:
    """A database made by revision 0001 keeps its events, now placed for the indexed order."""
    from alembic import command
    from alembic.config import Config as AlembicConfig

    from tracker.db import MIGRATIONS

    path = tmp_path / "old.db"
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", f"sqlite:///{path}")
    command.upgrade(cfg, "0001")
    with sqlite3.connect(path) as conn:
        for i, (start, published) in enumerate(
            (("2021-09-24 00:00:00.000000", None), (None, "2025-08-04 09:30:00.000000"), (None, None))
        ):
            conn.execute(
                "INSERT INTO events (type, jurisdiction, sort_start, first_published_at, evidence, confidence,"
                " source_count, revision, first_seen_at, updated_at, precision)"
                " VALUES ('ban', 'CN', ?, ?, 'x', 0.9, 1, 1, '2025-01-01 00:00:00', '2025-01-01 00:00:00', ?)",
                (start, published, "day" if start else None),
            )
            conn.execute(
                "INSERT INTO sources (name, kind, location, consecutive_failures) VALUES (?, 'folder', 'x', 0)",
                (f"s{i}",),
            )
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    with session_scope(engine) as session:
        events = session.exec(select(Event).order_by(Event.id)).all()
        assert [e.placed_at.year for e in events] == [2021, 2025, 9999]
        assert [e.precision_rank for e in events] == [5, -1, -1]
        assert all(e.status == "done" and e.document_count == 1 for e in events)
    engine.dispose()


def test_an_undated_report_joins_the_dated_step_of_its_party_only(sqlite_engine) -> None:
    _ingest(sqlite_engine, "hk-regulators-sample", "https://example.org/undated",
            "The Securities and Futures Commission has granted a licence to Harbourline Digital Exchange Limited.")  # fmt: skip
    _ingest(sqlite_engine, "articles-sample", "https://example.org/other-firm",
            "The Securities and Futures Commission has granted a licence to Kestrel Markets Limited.")  # fmt: skip
    assert len(_events(sqlite_engine, "license_grant")) == 2
    _ingest(sqlite_engine, "mainland-news-sample", "https://example.org/dated",
            "The Securities and Futures Commission granted a licence to Harbourline Digital Exchange Limited "
            "on 3 June 2024.")  # fmt: skip
    grants = _events(sqlite_engine, "license_grant")
    assert len(grants) == 2
    dated = [g for g in grants if g.date_value]
    assert len(dated) == 1 and dated[0].party == "Harbourline Digital Exchange Limited"
    assert dated[0].date_value == "2024-06-03" and dated[0].previous_date_value is None
    assert dated[0].party_key == "harbourline digital exchange" and dated[0].actor_key == "hk-sfc"


def test_a_refined_date_keeps_the_qualifier_of_its_own_mention(workspace: Path) -> None:
    """"by the end of Q1 2027", then "on 15 March 2027": the event is on 2027-03-15, not "by"
    it, and the update alert says so. Two documents, `run --once` after each."""
    import json

    from conftest import run_cli

    from tracker.alerts.slack import CONSOLE_MARK

    folder = workspace / "news"
    folder.mkdir()
    config = workspace / "config.toml"
    config.write_text(
        '[storage]\ndatabase_url = "sqlite:///tracker.db"\n[rules]\ndir = "rules"\n'
        '[[sources]]\nname = "news"\nkind = "folder"\npath = "news"\ninterval = "1h"\n',
        encoding="utf-8",
    )
    says = "The Hong Kong Monetary Authority said it will grant the first stablecoin issuer licences"
    (folder / "one.txt").write_text(
        f"Published: 2026-11-02T10:00:00+08:00\n\n{says} by the end of Q1 2027.\n", encoding="utf-8"
    )
    first = run_cli("run", "--once", cwd=workspace)
    assert first.returncode == 0, first.stderr
    (event,) = json.loads(run_cli("timeline", "--format", "json", cwd=workspace).stdout)
    assert (event["date"], event["qualifier"]) == ("2027-Q1", "by")
    assert first.stdout.count(CONSOLE_MARK) == 1

    (folder / "two.txt").write_text(
        f"Published: 2026-11-20T10:00:00+08:00\n\n{says} on 15 March 2027.\n", encoding="utf-8"
    )
    second = run_cli("run", "--once", cwd=workspace)
    assert second.returncode == 0, second.stderr
    (event,) = json.loads(run_cli("timeline", "--format", "json", cwd=workspace).stdout)
    assert (event["date"], event["precision"], event["qualifier"]) == ("2027-03-15", "day", None)
    assert second.stdout.count(CONSOLE_MARK) == 1  # the update, in the first alert's thread
    assert "2027-03-15" in second.stdout and "by 2027-03-15" not in second.stdout
