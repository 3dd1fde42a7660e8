"""The timeline's output side through the real CLI and real functions on real SQLite files:
escaping, encoding, the empty-timeline hint, document counts, widths, SQL paging."""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest
from conftest import run_cli
from sqlalchemy import event as sa_event

from tracker.db import make_engine, session_scope
from tracker.models import Event
from tracker.periods import PRECISION_RANK
from tracker.render import timeline_rows
from tracker.timeline_query import EventRow, TimelineFilter, query_timeline

HOSTILE = "a | b [click](javascript:alert(1)) <script>alert(2)</script> `rm -rf` *bold*\nsecond line"


@pytest.fixture
def filled(workspace: Path) -> Path:
    """The default workspace after `tracker run --once` on the bundled samples."""
    result = run_cli("run", "--once", cwd=workspace)
    assert result.returncode == 0, result.stderr
    return workspace


def _json(workspace: Path, *args: str, env: dict[str, str] | None = None) -> list[dict]:
    result = run_cli("timeline", "--format", "json", *args, cwd=workspace, env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_markdown_escapes_scraped_text(filled: Path) -> None:
    with sqlite3.connect(filled / "tracker.db") as conn:
        conn.execute("UPDATE events SET evidence = ?, subject = ? WHERE id = (SELECT MIN(id) FROM events)",
                     (HOSTILE, "x|y"))  # fmt: skip
        conn.execute("UPDATE documents SET url = ? WHERE id = (SELECT MIN(id) FROM documents)",
                     ("https://example.org/a)b|c d",))  # fmt: skip
        count = conn.execute("SELECT COUNT(*) FROM events").fetchone()[0]
    out = run_cli("timeline", "--format", "markdown", cwd=filled)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert len(lines) == count + 2  # the newline did not start a new row
    for line in lines:
        assert len(re.findall(r"(?<!\\)\|", line)) == 10, line  # nine cells, no more
    assert "<script>" not in out.stdout and "&lt;script&gt;" in out.stdout
    assert not re.search(r"(?<!\\)\]\(javascript", out.stdout)  # no link made of scraped text
    assert "\\[click\\]" in out.stdout and "\\`rm -rf\\`" in out.stdout
    assert "(https://example.org/a%29b%7Cc%20d)" in out.stdout


def test_csv_cells_never_run_as_spreadsheet_formulas(filled: Path) -> None:
    import csv
    import io

    formula = '=HYPERLINK("http://evil.example","click") The SFC granted a licence.'
    with sqlite3.connect(filled / "tracker.db") as conn:
        conn.execute("UPDATE events SET evidence = ?, subject = ? WHERE id = (SELECT MIN(id) FROM events)",
                     (formula, "@SUM(A1:A9)"))  # fmt: skip
    out = run_cli("timeline", "--format", "csv", cwd=filled)
    assert out.returncode == 0, out.stderr
    cells = [cell for row in csv.reader(io.StringIO(out.stdout)) for cell in row]
    assert "'" + formula in cells and "'@SUM(A1:A9)" in cells  # kept readable, made inert
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)


def test_json_is_utf8_and_readable_whatever_the_locale(filled: Path) -> None:
    result = run_cli("timeline", "--format", "json", cwd=filled, env={"PYTHONIOENCODING": "ascii"})
    assert result.returncode == 0, result.stderr
    assert "中国人民银行" in result.stdout
    assert "\\u4e2d" not in result.stdout
    rows = json.loads(result.stdout)
    # streamed row by row, yet byte for byte what json.dumps of the whole list gives
    assert result.stdout == json.dumps(rows, ensure_ascii=False, indent=2) + "\n"


def test_empty_timeline_hints_at_run_once(workspace: Path) -> None:
    for fmt in ("table", "json"):
        result = run_cli("timeline", "--format", fmt, cwd=workspace)
        assert result.returncode == 0, result.stderr
        assert "tracker run --once" in result.stderr
    assert json.loads(run_cli("timeline", "--format", "json", cwd=workspace).stdout) == []


def test_src_counts_documents_and_sources(filled: Path) -> None:
    with sqlite3.connect(filled / "tracker.db") as conn:
        docs = dict(conn.execute("SELECT event_id, COUNT(DISTINCT document_id) FROM mentions GROUP BY event_id"))
        names = dict(
            conn.execute(
                "SELECT m.event_id, COUNT(DISTINCT d.source_id) FROM mentions m "
                "JOIN documents d ON d.id = m.document_id GROUP BY m.event_id"
            )
        )
    assert any(docs[e] > names[e] for e in docs), "the samples must hold an event with two documents of one source"
    rows = _json(filled)
    assert {row["id"]: row["documents"] for row in rows} == {e: docs[e] for e in (row["id"] for row in rows)}
    assert {row["id"]: row["sources"] for row in rows} == {e: names[e] for e in (row["id"] for row in rows)}


def test_table_fits_80_columns_and_keeps_links_whole(filled: Path) -> None:
    result = run_cli("timeline", cwd=filled, env={"COLUMNS": "80"})
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    header = next(line for line in lines if "evidence" in line)
    cells = header.split("┃")
    evidence = next(cell for cell in cells if "evidence" in cell)
    assert len(evidence) >= 30, header  # evidence gets the widest share
    assert any("https://example.org/" in line for line in lines)  # a link is never folded
    assert not any(re.search(r"│ +(org/|\.org)", line) for line in lines)


def test_piped_table_honours_columns_else_120(filled: Path) -> None:
    wide = run_cli("timeline", cwd=filled, env={"COLUMNS": "150"}).stdout.splitlines()
    assert max(len(line) for line in wide) == 150
    plain = run_cli("timeline", cwd=filled, env={"COLUMNS": ""}).stdout.splitlines()
    assert max(len(line) for line in plain) == 120


def _reference(events: list[Event], flt: TimelineFilter) -> list[int]:
    """The timeline order and filters as they were computed in Python before they moved to SQL."""
    chosen = [
        e for e in events
        if (not flt.jurisdictions or e.jurisdiction in flt.jurisdictions)
        and (not flt.types or e.type in flt.types)
        and e.confidence >= flt.min_confidence
    ]  # fmt: skip

    def placed(e: Event) -> datetime | None:
        return e.sort_start or e.first_published_at

    if flt.since:
        chosen = [e for e in chosen if (e.sort_end or placed(e) or flt.since) >= flt.since]
    if flt.until:
        chosen = [e for e in chosen if (placed(e) or flt.until) <= flt.until]
    far = datetime.max

    def key(e: Event) -> tuple:
        p = placed(e)
        return (p.replace(tzinfo=None) if p else far, PRECISION_RANK.get(e.precision or "", -1), e.id)

    ids = [e.id for e in sorted(chosen, key=key)]
    end = flt.offset + flt.limit if flt.limit else None
    return ids[flt.offset : end]  # type: ignore[misc]


def test_sql_query_matches_the_python_definition(filled: Path) -> None:
    engine = make_engine(f"sqlite:///{filled / 'tracker.db'}")
    since, until = (
        datetime.fromisoformat("2025-08-01T00:00:00+00:00"),
        datetime.fromisoformat("2021-12-31T23:59:59+00:00"),
    )
    filters = [
        TimelineFilter(),
        TimelineFilter(jurisdictions=("HK",)),
        TimelineFilter(types=("ban", "ordinance"), min_confidence=0.5),
        TimelineFilter(since=since),
        TimelineFilter(until=until),
        TimelineFilter(limit=3, offset=2),
        TimelineFilter(since=until, limit=4, offset=1),
    ]
    with session_scope(engine) as session:
        from sqlmodel import select

        events = list(session.exec(select(Event)).all())
        assert len(events) > 6
        for flt in filters:
            assert [e.id for e in query_timeline(session, flt)] == _reference(events, flt), flt
    engine.dispose()


def test_offset_pages_through(filled: Path) -> None:
    everything = [row["id"] for row in _json(filled)]
    pages = [[row["id"] for row in _json(filled, "--limit", "3", "--offset", str(o))] for o in range(0, len(everything) + 3, 3)]
    assert len(everything) > 3 and pages[-1] == []
    assert sum(pages, []) == everything


def test_provenance_takes_one_query_per_page(filled: Path) -> None:
    engine = make_engine(f"sqlite:///{filled / 'tracker.db'}")
    statements: list[str] = []
    sa_event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    with session_scope(engine) as session:
        events = [EventRow.of(event) for event in query_timeline(session, TimelineFilter())]
        statements.clear()
        rows = timeline_rows(session, events)
    assert len(rows) == len(events) > 6
    assert len([s for s in statements if "FROM mentions" in s]) == 1, statements
    engine.dispose()


@pytest.mark.parametrize("fmt", ["json", "csv", "ics"])
def test_a_reader_that_stops_early_is_no_failure(filled: Path, fmt: str) -> None:
    """`tracker timeline -f json | head -c 10`: the pipe closes before the dump ends; that is
    the reader's choice, so the exit code is 0 and nothing is printed."""
    import os
    import subprocess
    import sys

    read_end, write_end = os.pipe()
    os.close(read_end)  # closed before the first write: every write meets a broken pipe
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "TRACKER_DATABASE_URL"))}
    try:
        proc = subprocess.run([sys.executable, "-m", "tracker", "timeline", "--format", fmt], cwd=filled,
                              stdout=write_end, stderr=subprocess.PIPE, text=True, env=env, timeout=60)  # fmt: skip
    finally:
        os.close(write_end)
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr


def test_paging_past_the_end_says_how_many_match_and_an_inverted_range_is_refused(filled: Path) -> None:
    total = len(_json(filled))
    past = run_cli("timeline", "--offset", str(total + 5), cwd=filled)
    assert past.returncode == 0 and f"note: {total} events match these options, all before --offset" in past.stderr
    inverted = run_cli("timeline", "--since", "2026", "--until", "2025", cwd=filled)
    assert inverted.returncode == 2 and "--since 2026 is after --until 2025" in inverted.stderr
