"""The timeline's read side: order, filters and paging in SQL, read through the indexes, and
dumps that stream past one page. Real SQLite files built by the real migrations."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from conftest import run_cli
from sqlalchemy import text
from sqlmodel import select

from tracker.db import make_engine, session_scope, upgrade
from tracker.models import Event
from tracker.timeline import place_event
from tracker.timeline_query import TimelineFilter, query_timeline, timeline_statement

BASE = datetime(2020, 1, 1, tzinfo=UTC)


def _fill(db: Path, count: int) -> None:
    engine = make_engine(f"sqlite:///{db}")
    upgrade(engine)
    with session_scope(engine) as session:
        for i in range(count):
            day = BASE + timedelta(days=(i * 37) % 2000)
            dated = i % 5 != 0
            event = Event(
                type=("ban", "ordinance", "consultation")[i % 3],
                jurisdiction=("HK", "CN")[i % 2],
                date_value=f"{day:%Y-%m-%d}" if dated else None,
                precision="day" if dated else None,
                sort_start=day if dated else None,
                sort_end=day + timedelta(hours=23) if dated else None,
                first_published_at=None if i % 50 == 0 else day,
                evidence=f"Event {i} said <here> & there.",
                status=("done", "planned", "restated")[i % 3],
            )
            place_event(event)
            session.add(event)
    engine.dispose()


def test_json_dump_streams_past_one_page_in_timeline_order(workspace: Path) -> None:
    _fill(workspace / "tracker.db", 1234)
    result = run_cli("timeline", "--format", "json", cwd=workspace)
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert len(rows) == 1234 and len({row["id"] for row in rows}) == 1234
    placed = [row["date"] or row["placed"] for row in rows]
    known = [p for p in placed if p]
    assert known == sorted(known)
    assert all(p is None for p in placed[len(known) :])  # placed nowhere: last
    assert {row["status"] for row in rows} == {"done", "planned", "restated"}


def test_filters_and_bounds_run_in_sql(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    _fill(db, 600)
    engine = make_engine(f"sqlite:///{db}")
    since, until = datetime(2022, 1, 1, tzinfo=UTC), datetime(2022, 12, 31, tzinfo=UTC)
    with session_scope(engine) as session:
        every = session.exec(select(Event)).all()
        expected = sorted(
            (e for e in every if e.jurisdiction == "HK" and e.type == "ban" and e.status == "done"
             and (e.placed_at.year == 9999 or since <= (e.sort_end or e.placed_at) and e.placed_at <= until)),
            key=lambda e: (e.placed_at, e.precision_rank, e.id),
        )  # fmt: skip
        flt = TimelineFilter(jurisdictions=("HK",), types=("ban",), statuses=("done",), since=since, until=until)
        assert [e.id for e in query_timeline(session, flt)] == [e.id for e in expected]
        paged = TimelineFilter(jurisdictions=("HK",), limit=7, offset=7)
        whole = [e.id for e in query_timeline(session, TimelineFilter(jurisdictions=("HK",)))]
        assert [e.id for e in query_timeline(session, paged)] == whole[7:14]
    engine.dispose()


def test_the_first_page_is_read_from_an_index_without_sorting(tmp_path: Path) -> None:
    """SQLite's plan for the first page and for a filtered page walks an index in timeline
    order: no temporary B-tree, so the cost does not grow with the timeline."""
    db = tmp_path / "t.db"
    _fill(db, 50)
    engine = make_engine(f"sqlite:///{db}")
    filters = (
        TimelineFilter(limit=50),
        TimelineFilter(jurisdictions=("HK",), types=("ban",), since=datetime(2024, 1, 1, tzinfo=UTC), limit=50),
        TimelineFilter(jurisdictions=("CN",), limit=50),
    )
    with engine.connect() as conn:
        for flt in filters:
            compiled = timeline_statement(flt).compile(engine, compile_kwargs={"literal_binds": True})
            plan = " | ".join(row[-1] for row in conn.execute(text(f"EXPLAIN QUERY PLAN {compiled}")))
            assert "TEMP B-TREE" not in plan, plan
            assert "INDEX ix_events_" in plan, plan
    engine.dispose()
