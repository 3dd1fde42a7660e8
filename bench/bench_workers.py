"""Benchmark: several `tracker run` daemons on one PostgreSQL database, one killed and restarted.

    .venv/bin/python bench/bench_workers.py [--feeds 100] [--hosts 20] [--interval 10]
        [--daemons 3] [--duration 180] [--kill-at 60] [--restart-at 120] [--publish-every 60]
        [--database-url postgresql://postgres@127.0.0.1:5432/test]

The trial of issue 12 on loopback: RSS feeds spread over ``--hosts`` loopback addresses
(127.0.1.x, one HTTP server each, so per-host politeness works as against real sites), each
feed publishing a new item every ``--publish-every`` seconds (staggered); the Slack stand-in
(tests/slack_standin.py) answering 429 above one message a second per channel; ``--daemons``
real daemon subprocesses on a fresh schema of the PostgreSQL database; the first daemon is
SIGKILLed at ``--kill-at`` and started again at ``--restart-at``; at ``--duration`` every
daemon gets SIGTERM. It prints:

- polls/s per phase (all daemons / one killed / restarted), against the feeds' demand;
- missed windows: gaps between two fetches of one feed longer than 2 × interval + 5 s;
- concurrent fetches of one feed (two workers polling one source at once);
- items stored against items published, duplicate documents, crashed polls, tracebacks;
- alerts: rows by status, posts per alert, alerts posted twice, 429s answered;
- takeover: how long the sources the killed daemon held waited, and whether any is still
  leased by it at the end; and how long each daemon took to stop after SIGTERM.

Run with ``--daemons 1`` and ``--daemons 3`` to compare throughput (use more feeds or a
shorter interval than one worker can serve, or both are bound by the feeds' demand).
"""

from __future__ import annotations

import argparse
import email.utils
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from slack_standin import SlackStandIn  # noqa: E402
from sqlalchemy import func, text  # noqa: E402
from sqlmodel import select  # noqa: E402

from tracker.db import make_engine, session_scope, upgrade  # noqa: E402
from tracker.models import Alert, Document, Source  # noqa: E402

TOPICS = [  # (watchlist type, sentence): each item is one event of its watchlist's type
    ("license_grant", "The Securities and Futures Commission granted a licence to {firm} to operate a virtual asset "
                      "trading platform in Hong Kong on {day} November 2025."),
    ("enforcement", "The People's Bank of China said on {day} November 2025 that {firm} was fined for offering "
                    "crypto trading services on the mainland."),
    ("consultation", "The Hong Kong Monetary Authority launched a consultation on stablecoin reserve rules for "
                     "{firm} on {day} November 2025."),
]  # fmt: skip
KEEP = 20  # items a feed lists, newest first, like a real feed


@dataclass
class Feeds:
    """What every feed serves, and every fetch it saw (start, end) per feed."""

    feeds: int
    publish_every: float
    started: float = field(default_factory=time.time)
    lock: threading.Lock = field(default_factory=threading.Lock)
    fetches: dict[int, list[tuple[float, float]]] = field(default_factory=dict)
    in_flight: Counter = field(default_factory=Counter)
    overlaps: int = 0

    def count(self, feed: int, at: float) -> int:
        """Items feed ``feed`` has published by ``at``: one at once, then one a period, staggered."""
        offset = self.publish_every * feed / self.feeds
        return 1 + max(0, int((at - self.started - offset) // self.publish_every))

    def published(self, at: float) -> int:
        return sum(self.count(f, at) for f in range(self.feeds))

    def body(self, feed: int, n: int) -> bytes:
        items = []
        for v in range(n, max(0, n - KEEP), -1):
            _kind, sentence = TOPICS[(feed + v) % len(TOPICS)]
            when = self.started + self.publish_every * (v - 1 + feed / self.feeds)
            text = sentence.format(firm=f"Firm {feed}-{v} Limited", day=(v % 27) + 1)
            items.append(
                f"<item><title>Item {feed}-{v}</title><link>http://feeds.example/{feed}/{v}</link>"
                f"<guid>{feed}-{v}</guid><pubDate>{email.utils.formatdate(when)}</pubDate>"
                f"<description>{text}</description></item>"
            )
        return (
            '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
            f"<title>Feed {feed}</title><link>http://feeds.example/{feed}</link><description>bench</description>"
            + "".join(items)
            + "</channel></rss>"
        ).encode()


def make_handler(feeds: Feeds) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802
            feed = int(self.path.rsplit("/", 1)[-1].split(".")[0])
            start = time.time()
            with feeds.lock:
                feeds.in_flight[feed] += 1
                if feeds.in_flight[feed] > 1:
                    feeds.overlaps += 1
            try:
                n = feeds.count(feed, start)
                etag = f'"{feed}-{n}"'
                if self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                    return
                body = feeds.body(feed, n)
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                self.send_header("ETag", etag)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            finally:
                with feeds.lock:
                    feeds.in_flight[feed] -= 1
                    feeds.fetches.setdefault(feed, []).append((start, time.time()))

    return Handler


def start_servers(hosts: int, feeds: Feeds) -> tuple[list[ThreadingHTTPServer], list[str]]:
    servers, bases = [], []
    for n in range(hosts):
        address = f"127.0.1.{n + 1}"
        server = ThreadingHTTPServer((address, 0), make_handler(feeds))
        server.daemon_threads = True
        server.request_queue_size = 128
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        bases.append(f"http://{address}:{server.server_address[1]}")
    return servers, bases


def write_workspace(root: Path, bases: list[str], feeds: int, interval: float) -> None:
    shutil.copytree(ROOT / "rules", root / "rules", ignore=shutil.ignore_patterns("watchlists"))
    (root / "rules" / "watchlists").mkdir()
    for kind, _sentence in TOPICS:
        (root / "rules" / "watchlists" / f"{kind}.toml").write_text(
            f'id = "{kind}"\ntitle = "Bench {kind}"\n[match]\ntypes = ["{kind}"]\n'
            f'[destination]\nchannel = "#{kind}"\n',
            encoding="utf-8",
        )
    config = (
        '[storage]\ndatabase_url = "sqlite:///unused.db"\n[rules]\ndir = "rules"\n'
        "[fetch]\nper_host_concurrency = 2\nper_host_delay = 0.05\n"
        "[scheduler]\ntick = 1\njitter = 0.1\n"
    )
    for n in range(feeds):
        config += (
            f'\n[[sources]]\nname = "feed-{n}"\nkind = "feed"\nurl = "{bases[n % len(bases)]}/feed/{n}.xml"\n'
            f'interval = "{interval:g}s"\n'
        )
    (root / "config.toml").write_text(config, encoding="utf-8")


class Daemons:
    """The daemon subprocesses, each logging to its own file."""

    def __init__(self, root: Path, env: dict[str, str]) -> None:
        self.root, self.env = root, env
        self.procs: dict[int, subprocess.Popen] = {}
        self.logs: list[Path] = []

    def start(self, slot: int) -> subprocess.Popen:
        log = self.root / f"daemon-{slot}-{len(self.logs)}.log"
        self.logs.append(log)
        with log.open("w", encoding="utf-8") as handle:
            proc = subprocess.Popen([sys.executable, "-m", "tracker", "run"], cwd=self.root, env=self.env,
                                    stdout=handle, stderr=subprocess.STDOUT)  # fmt: skip
        self.procs[slot] = proc
        return proc

    def stop_all(self) -> list[float]:
        """SIGTERM to all at once; seconds each took to exit."""
        asked = time.monotonic()
        for proc in self.procs.values():
            proc.send_signal(signal.SIGTERM)
        took = []
        for proc in self.procs.values():
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            took.append(time.monotonic() - asked)
        return took

    def grep(self, needle: str) -> int:
        return sum(log.read_text(encoding="utf-8", errors="replace").count(needle) for log in self.logs)


def fresh_schema(url: str) -> tuple[str, str]:
    import psycopg

    schema = f"bench_workers_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as admin:
        admin.execute(f'CREATE SCHEMA "{schema}"')
    separator = "&" if "?" in url else "?"
    return schema, f"{url}{separator}options=-csearch_path%3D{schema}"


def drop_schema(url: str, schema: str) -> None:
    import psycopg

    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as admin:
        admin.execute(f'DROP SCHEMA "{schema}" CASCADE')


def leased_by(engine, pid: int, wait: float = 0.0) -> list[str]:
    """Sources whose lease the daemon ``pid`` holds; with ``wait``, until it holds one."""
    deadline = time.monotonic() + wait
    while True:
        with session_scope(engine) as session:
            held = [
                row.name for row in session.exec(select(Source)).all()
                if row.lease_owner and f":{pid}:" in row.lease_owner
            ]  # fmt: skip
        if held or time.monotonic() >= deadline:
            return held
        time.sleep(0.02)


def polls_between(feeds: Feeds, start: float, end: float) -> int:
    with feeds.lock:
        return sum(1 for fetches in feeds.fetches.values() for s, _e in fetches if start <= s < end)


@dataclass
class Run:
    """What the driver saw: the run's span, the kill, and the stop times."""

    t0: float
    end: float
    kill_time: float | None
    killed_pid: int | None
    held_at_kill: list[str]
    stop_times: list[float]


def report(args: argparse.Namespace, feeds: Feeds, engine, standin: SlackStandIn, daemons: Daemons, run: Run) -> None:
    kill = run.kill_time is not None
    demand = args.feeds / args.interval
    trial = f"{args.feeds} feeds on {args.hosts} hosts every {args.interval:g} s (demand {demand:.1f} polls/s)"
    if kill:
        trial += f", kill at {args.kill_at:g} s, restart at {args.restart_at:g} s"
    print(f"trial: {trial}, {args.daemons} daemons, {args.duration:g} s")
    t0 = run.t0
    phases = [("all daemons", t0, t0 + (args.kill_at if kill else args.duration))]
    if kill:
        restart = t0 + args.restart_at
        phases += [("one killed", t0 + args.kill_at, restart), ("restarted", restart, run.end)]
    for label, start, stop in phases:
        polls = polls_between(feeds, start, stop)
        rate = polls / max(stop - start, 1e-9)
        print(f"  polls/s {label:12} {rate:6.2f}  ({polls} polls in {stop - start:.0f} s)")
    warm = t0 + 2 * args.interval
    missed, worst = 0, 0.0
    with feeds.lock:
        for f in range(args.feeds):
            starts = [s for s, _e in feeds.fetches.get(f, []) if s >= warm]
            for a, b in zip(starts, starts[1:], strict=False):
                worst = max(worst, b - a)
                missed += b - a > 2 * args.interval + 5
        never = sum(1 for f in range(args.feeds) if not feeds.fetches.get(f))
    print(f"  missed windows (gap > 2×interval + 5 s): {missed}, longest gap {worst:.1f} s, never fetched {never}")
    print(f"  concurrent fetches of one feed: {feeds.overlaps}")
    published = feeds.published(run.end - args.interval)  # items out for at least one interval
    everything = feeds.published(run.end)
    with session_scope(engine) as session:
        stored = session.exec(select(func.count()).select_from(Document)).one()
        duplicate_docs = session.execute(
            text("SELECT count(*) FROM (SELECT url_key FROM documents GROUP BY url_key HAVING count(*) > 1) d")
        ).scalar_one()
        statuses = Counter(a.status for a in session.exec(select(Alert)).all())
        mark = f":{run.killed_pid}:"
        still_held = [
            row.name for row in session.exec(select(Source)).all()
            if run.killed_pid and mark in (row.lease_owner or "") and row.lease_expires_at is not None
            and row.lease_expires_at.timestamp() > time.time()
        ]  # fmt: skip
    print(f"  stored {stored} documents of {everything} items published, {published} of them ≥ one interval "
          f"before the end ({100 * min(stored, published) / max(published, 1):.1f}% of those), "
          f"duplicate documents {duplicate_docs}")  # fmt: skip
    print(f"  crashed polls {daemons.grep('poll crashed')}, transactions retried "
          f"{daemons.grep('transaction retried')}, tracebacks {daemons.grep('Traceback')}")  # fmt: skip
    keys: Counter = Counter()
    threaded = updates = 0
    for kind, _sentence in TOPICS:
        for message in standin.messages(f"#{kind}"):
            key = message.get("metadata", {}).get("event_payload", {}).get("alert_key")
            keys[key] += 1
            if key and ":update:" in key:
                updates += 1
                threaded += bool(message.get("thread_ts"))
    posted = sum(keys.values())
    twice = sum(n > 1 for n in keys.values())
    print(f"  alerts: {dict(statuses)}; {posted} messages for {len(keys)} alert keys "
          f"({posted / max(len(keys), 1):.3f} posts per alert), posted twice {twice}, "
          f"updates {updates} ({threaded} in their thread), 429s answered {standin.rate_limited_count}")  # fmt: skip
    if kill:
        assert run.kill_time is not None
        waits = []
        with feeds.lock:
            for name in run.held_at_kill:
                f = int(name.split("-")[1])
                after = [s for s, _e in feeds.fetches.get(f, []) if s > run.kill_time]
                waits.append(after[0] - run.kill_time if after else float("inf"))
        longest = max(waits) if waits else 0.0
        print(f"  takeover: {len(run.held_at_kill)} sources leased by the killed daemon, polled again after "
              f"{longest:.1f} s at most; still leased by it at the end: {len(still_held)}")  # fmt: skip
    print(f"  stop after SIGTERM: {', '.join(f'{t:.1f} s' for t in run.stop_times)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=100)
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("--interval", type=float, default=10.0, help="seconds between polls of one feed")
    parser.add_argument("--publish-every", type=float, default=60.0, help="seconds between two items of one feed")
    parser.add_argument("--daemons", type=int, default=3)
    parser.add_argument("--duration", type=float, default=180.0)
    parser.add_argument("--kill-at", type=float, default=60.0)
    parser.add_argument("--restart-at", type=float, default=120.0)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("TRACKER_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test"),
        help="a PostgreSQL database; the run uses a fresh schema of it and drops it afterwards",
    )
    args = parser.parse_args()
    kill = args.daemons > 1 and args.kill_at < args.duration

    schema, url = fresh_schema(args.database_url)
    engine = make_engine(url)
    upgrade(engine)
    feeds = Feeds(args.feeds, args.publish_every)
    servers, bases = start_servers(args.hosts, feeds)
    with SlackStandIn() as standin, tempfile.TemporaryDirectory() as tmp:
        standin.enforce_rate(per_second=1.0, tolerance=0.05)
        root = Path(tmp)
        write_workspace(root, bases, args.feeds, args.interval)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "TRACKER_DATABASE_URL"))}
        env.update({"TRACKER_DATABASE_URL": url, "SLACK_BOT_TOKEN": standin.token, "SLACK_API_URL": standin.api_url})
        daemons = Daemons(root, env)
        feeds.started = t0 = time.time()
        for slot in range(args.daemons):
            daemons.start(slot)
        killed_pid, held_at_kill, kill_time, restarted = None, [], None, False
        stop_times: list[float] = []
        try:
            while (now := time.time()) < t0 + args.duration:
                if kill and killed_pid is None and now >= t0 + args.kill_at:
                    victim = daemons.procs[0]
                    leased_by(engine, victim.pid, wait=10.0)  # kill it mid-poll, holding leases
                    victim.send_signal(signal.SIGKILL)
                    victim.wait()
                    killed_pid, kill_time = victim.pid, time.time()
                    held_at_kill = leased_by(engine, killed_pid)
                if kill and killed_pid is not None and not restarted and now >= t0 + args.restart_at:
                    daemons.start(0)
                    restarted = True
                time.sleep(0.2)
        finally:
            stop_times = daemons.stop_all()
        end = time.time()
        run = Run(t0, end, kill_time, killed_pid, held_at_kill, stop_times)
        report(args, feeds, engine, standin, daemons, run)
    for server in servers:
        server.shutdown()
        server.server_close()
    engine.dispose()
    drop_schema(args.database_url, schema)


if __name__ == "__main__":
    main()
