"""Benchmark: the timeline's read side on a synthetic SQLite database of N events.

    .venv/bin/python bench/bench_timeline.py [N]      (default 100000)

Builds the database through the project's own migrations (alembic), with 1-3 mentions per
event over a spread of types, jurisdictions, dates and precisions, in a temporary folder;
then times `query_timeline` (limit 50) in-process and `tracker timeline --limit 50` as a
whole process (which includes interpreter start-up and the CLI's imports).
"""

from __future__ import annotations

import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

TYPES = ("ban", "ordinance", "license_grant", "consultation", "guidance", "enforcement", "launch")
PLACES = ("HK", "CN", "EU", "US", "SG")
PRECISIONS = ("year", "quarter", "month", "day", None)


def _stamp(value: datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")


def build(db: Path, n: int) -> None:
    """Migrate an empty database, then bulk-insert ``n`` events and their mentions."""
    from tracker.db import make_engine, upgrade

    engine = make_engine(f"sqlite:///{db}")
    upgrade(engine)
    engine.dispose()
    rng = random.Random(11)
    now = _stamp(datetime.now(UTC))
    base = datetime(2015, 1, 1, tzinfo=UTC)
    with sqlite3.connect(db) as conn:
        conn.execute(
            "INSERT INTO sources (id, name, kind, location, consecutive_failures) VALUES (1, 'bench', 'folder', 'x', 0)"
        )
        events, documents, mentions = [], [], []
        doc_id = mention_id = 0
        for event_id in range(1, n + 1):
            day = base + timedelta(days=rng.randrange(4000))
            precision = rng.choice(PRECISIONS)
            if precision is None:
                value = start = end = None
            elif precision == "year":
                value, start, end = f"{day.year}", day.replace(month=1, day=1), day.replace(month=12, day=31)
            elif precision == "quarter":
                q = (day.month - 1) // 3
                value, start = f"{day.year}-Q{q + 1}", day.replace(month=3 * q + 1, day=1)
                end = start + timedelta(days=90)
            elif precision == "month":
                value, start, end = f"{day:%Y-%m}", day.replace(day=1), day.replace(day=28)
            else:
                value, start, end = f"{day:%Y-%m-%d}", day, day + timedelta(hours=23, minutes=59)
            kind, place = rng.choice(TYPES), rng.choice(PLACES)
            evidence = f"Synthetic {kind} number {event_id} in {place}."
            events.append((event_id, kind, place, value, precision, start and _stamp(start), end and _stamp(end),
                           evidence, round(rng.uniform(0.3, 1.0), 2), _stamp(day), now, now))  # fmt: skip
            for _ in range(rng.randint(1, 3)):
                doc_id += 1
                mention_id += 1
                url = f"https://example.org/{doc_id}"
                documents.append((doc_id, 1, url, f"k{doc_id}", f"h{doc_id}", "t", now, now))
                mentions.append((mention_id, doc_id, event_id, f"f{mention_id}", kind, place, evidence, now))
        conn.executemany(
            "INSERT INTO events (id, type, jurisdiction, date_value, precision, sort_start, sort_end, evidence,"
            " confidence, first_published_at, first_seen_at, updated_at, source_count, revision)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,1,1)",
            events,
        )
        conn.executemany(
            "INSERT INTO documents (id, source_id, url, url_key, content_hash, text, fetched_at, updated_at, lang)"
            " VALUES (?,?,?,?,?,?,?,?,'en')",
            documents,
        )
        conn.executemany(
            "INSERT INTO mentions (id, document_id, event_id, fingerprint, type, jurisdiction, evidence, confidence,"
            " created_at) VALUES (?,?,?,?,?,?,?,0.5,?)",
            mentions,
        )


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    folder = Path(tempfile.mkdtemp(prefix="bench-timeline-"))
    try:
        for name in ("config.toml",):
            shutil.copy(ROOT / name, folder / name)
        for name in ("examples", "rules"):
            shutil.copytree(ROOT / name, folder / name)
        db = folder / "tracker.db"
        started = time.perf_counter()
        build(db, n)
        print(f"built {n} events in {time.perf_counter() - started:.1f} s")

        from tracker.db import make_engine, session_scope
        from tracker.timeline import TimelineFilter, query_timeline

        engine = make_engine(f"sqlite:///{db}")
        for label, flt in (
            ("query_timeline, limit 50", TimelineFilter(limit=50)),
            ("query_timeline, HK ban since 2024, limit 50",
             TimelineFilter(jurisdictions=("HK",), types=("ban",), since=datetime(2024, 1, 1, tzinfo=UTC), limit=50)),
        ):  # fmt: skip
            with session_scope(engine) as session:
                started = time.perf_counter()
                got = query_timeline(session, flt)
                print(f"{label}: {len(got)} events in {(time.perf_counter() - started) * 1000:.1f} ms")
        engine.dispose()
        for args in (("--limit", "50"), ("--limit", "50", "--format", "json")):
            started = time.perf_counter()
            proc = subprocess.run([sys.executable, "-m", "tracker", "timeline", *args], cwd=folder,
                                  capture_output=True, text=True, env={"COLUMNS": "120", "PATH": ""})  # fmt: skip
            assert proc.returncode == 0, proc.stderr
            print(f"tracker timeline {' '.join(args)}: {time.perf_counter() - started:.2f} s (whole process)")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
