"""Benchmark: the timeline's read side on a synthetic SQLite database of N events.

    .venv/bin/python bench/bench_timeline.py [N]      (default 100000)

Builds the database through the project's own migrations (alembic), with 1-3 mentions per
event over a spread of types, jurisdictions, dates and precisions, in a temporary folder;
then times `query_timeline` (limit 50) in-process; `tracker timeline` as whole processes
(interpreter start-up and the CLI's imports included) against the same command on an empty
database, with each one's peak memory; and the ingest of 40 new documents through the real
pipeline (extraction, merge), in ms per document.
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
RANKS = {"year": 0, "quarter": 2, "month": 3, "day": 5}
INGEST_TEXTS = (
    "The Securities and Futures Commission granted a licence to Bench Firm {i} Limited on {d} March 2025.",
    "The Hong Kong Monetary Authority launched a consultation on stablecoin rule {i} on {d} May 2025.",
    "中国人民银行于2025年6月{d}日发布通知，禁止第{i}类虚拟货币业务。",
    "The People's Bank of China said the ban on crypto trading, in force since 2021, remains ({i}).",
)


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
            placed = _stamp(start or day)
            events.append((event_id, kind, place, value, precision, start and _stamp(start), end and _stamp(end),
                           evidence, round(rng.uniform(0.3, 1.0), 2), _stamp(day), now, now, placed,
                           RANKS.get(precision or "", -1)))  # fmt: skip
            for _ in range(rng.randint(1, 3)):
                doc_id += 1
                mention_id += 1
                url = f"https://example.org/{doc_id}"
                documents.append((doc_id, 1, url, f"k{doc_id}", f"h{doc_id}", "t", now, now))
                mentions.append((mention_id, doc_id, event_id, f"f{mention_id}", kind, place, evidence, now))
        conn.executemany(
            "INSERT INTO events (id, type, jurisdiction, date_value, precision, sort_start, sort_end, evidence,"
            " confidence, first_published_at, first_seen_at, updated_at, placed_at, precision_rank, source_count,"
            " revision, status, document_count) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,1,1,'done',1)",
            events,
        )
        conn.executemany(
            "INSERT INTO documents (id, source_id, url, url_key, content_hash, text, fetched_at, updated_at, lang)"
            " VALUES (?,?,?,?,?,?,?,?,'en')",
            documents,
        )
        conn.executemany(
            "INSERT INTO mentions (id, document_id, event_id, fingerprint, type, jurisdiction, evidence, confidence,"
            " created_at, status) VALUES (?,?,?,?,?,?,?,0.5,?,'done')",
            mentions,
        )


def _timed_cli(cwd: Path, args: tuple[str, ...]) -> tuple[float, float]:
    """Wall time and peak RSS (MB) of one `tracker timeline` process, output discarded."""
    code = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "p = subprocess.run([sys.executable, '-m', 'tracker', 'timeline', *sys.argv[1:]],"
        " stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={'COLUMNS': '120', 'PATH': ''})\n"
        "assert p.returncode == 0, p.stderr\n"
        "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    out = subprocess.run([sys.executable, "-c", code, *args], cwd=cwd, capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(f"tracker timeline {' '.join(args)} failed: {out.stderr.strip()[-2000:]}")
    seconds, peak_kb = out.stdout.split()
    return float(seconds), int(peak_kb) / 1024


def _ingest(folder: Path, db: Path, count: int = 40) -> float:
    """ms per document to ingest ``count`` new documents through the real pipeline."""
    from sqlmodel import select

    from tracker.db import make_engine, session_scope
    from tracker.models import Source
    from tracker.pipeline import ingest_item
    from tracker.rules import load_rules
    from tracker.sources import Item

    rules = load_rules(folder / "rules")
    engine = make_engine(f"sqlite:///{db}")
    items = [
        Item(url=f"https://example.org/ingest/{i}", title=None, published=datetime(2025, 7, 1, tzinfo=UTC),
             text=INGEST_TEXTS[i % len(INGEST_TEXTS)].format(i=i, d=1 + i % 27), lang="zh" if i % 4 == 2 else "en")
        for i in range(count)
    ]  # fmt: skip
    started = time.perf_counter()
    for item in items:
        with session_scope(engine) as session:
            source = session.exec(select(Source).where(Source.name == "bench")).one()
            ingest_item(session, source, item, rules=rules)
    elapsed = time.perf_counter() - started
    engine.dispose()
    return elapsed * 1000 / count


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
        from tracker.timeline_query import TimelineFilter, query_timeline

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
        ingest_ms = _ingest(folder, db)
        print(f"ingest of 40 new documents: {ingest_ms:.1f} ms per document")
        empty = folder / "empty"
        empty.mkdir()
        for name in ("config.toml",):
            shutil.copy(ROOT / name, empty / name)
        for name in ("examples", "rules"):
            shutil.copytree(ROOT / name, empty / name)
        hk_ban = ("--jurisdiction", "HK", "--type", "ban", "--since", "2024-01", "--limit", "50")
        for where, args in (
            (empty, ("--limit", "50")), (folder, ("--limit", "50")), (folder, hk_ban),
            (folder, ("--format", "json")),
        ):  # fmt: skip
            seconds, peak_mb = _timed_cli(where, args)
            label = "empty database" if where == empty else f"{n} events"
            print(f"tracker timeline {' '.join(args)} ({label}): {seconds:.2f} s, peak {peak_mb:.0f} MB")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
