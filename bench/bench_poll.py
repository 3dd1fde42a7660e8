"""Benchmark: one polling cycle over 1,000 feed sources on local HTTP servers.

    .venv/bin/python bench/bench_poll.py [--sources 1000] [--hosts 100] [--workers 16]

Feeds are spread over ``--hosts`` loopback addresses (127.0.1.x), one small HTTP server
each, so the per-host politeness gates work as they would against real sites. It prints:
  1. cycle 1, every feed new (one item each, extraction included)
  2. cycle 2, every feed unchanged (304 Not Modified)
  3. cycle 3, every feed with one new item (extraction included)
and the peak resident memory of the process. Targets (issue 5): 304 cycle ≤ 10 s,
new-item cycle ≤ 60 s, peak memory ≤ 300 MB.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from sqlmodel import select

from tracker.app import open_app, refresh
from tracker.db import session_scope
from tracker.models import Source, utcnow

ROOT = Path(__file__).resolve().parents[1]
TOPICS = [
    "The Securities and Futures Commission granted a licence to {firm} to operate a virtual asset trading platform "
    "in Hong Kong on {day} November 2025.",
    "The People's Bank of China said on {day} November 2025 that {firm} was fined for offering crypto trading "
    "services on the mainland.",
    "The Hong Kong Monetary Authority launched a consultation on stablecoin reserve rules on {day} November 2025, "
    "naming {firm} among the respondents.",
]


class FeedState:
    """What every feed serves: ``version`` items; bumping it adds one item to every feed."""

    def __init__(self) -> None:
        self.version = 1

    def body(self, feed: int) -> bytes:
        items = []
        for v in range(1, self.version + 1):
            text = TOPICS[(feed + v) % len(TOPICS)].format(firm=f"Firm {feed}-{v} Limited", day=(v % 27) + 1)
            items.append(
                f"<item><title>Item {feed}-{v}</title><link>http://feeds.example/{feed}/{v}</link>"
                f"<guid>{feed}-{v}</guid><pubDate>Thu, {(v % 27) + 1:02d} Nov 2025 10:00:00 +0800</pubDate>"
                f"<description>{text}</description></item>"
            )
        return (
            '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
            f"<title>Feed {feed}</title><link>http://feeds.example/{feed}</link><description>bench</description>"
            + "".join(items)
            + "</channel></rss>"
        ).encode()


def make_handler(state: FeedState) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802
            feed = int(self.path.rsplit("/", 1)[-1].split(".")[0])
            etag = f'"{feed}-{state.version}"'
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            body = state.body(feed)
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("ETag", etag)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


def start_servers(hosts: int, state: FeedState) -> list[tuple[ThreadingHTTPServer, str]]:
    servers = []
    for n in range(hosts):
        address = f"127.0.1.{n + 1}"
        server = ThreadingHTTPServer((address, 0), make_handler(state))
        server.daemon_threads = True
        server.request_queue_size = 128
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append((server, f"http://{address}:{server.server_address[1]}"))
    return servers


def write_config(folder: Path, bases: list[str], sources: int) -> Path:
    text = f"""
[storage]
database_url = "sqlite:///bench.db"
[rules]
dir = "{ROOT / "rules"}"
[fetch]
per_host_concurrency = 2
per_host_delay = 0.05
"""
    for n in range(sources):
        base = bases[n % len(bases)]
        text += f'\n[[sources]]\nname = "feed-{n}"\nkind = "feed"\nurl = "{base}/feed/{n}.xml"\ninterval = "1m"\n'
    path = folder / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def cycle(app, workers: int, label: str) -> float:
    with session_scope(app.engine) as session:
        for row in session.exec(select(Source)).all():
            row.next_poll_at = utcnow()
            session.add(row)
    started = time.perf_counter()
    summary = refresh(app, workers=workers)
    elapsed = time.perf_counter() - started
    print(
        f"{label:38} {elapsed:7.2f} s  documents new={summary.documents_new} unchanged={summary.documents_unchanged} "
        f"not_modified={summary.sources_not_modified} events new={summary.events_new} errors={len(summary.errors)}"
    )
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=int, default=1000)
    parser.add_argument("--hosts", type=int, default=100)
    parser.add_argument("--workers", type=int, default=16)
    args = parser.parse_args()
    state = FeedState()
    servers = start_servers(args.hosts, state)
    with tempfile.TemporaryDirectory() as tmp:
        app = open_app(str(write_config(Path(tmp), [b for _, b in servers], args.sources)), environ={})
        print(f"{args.sources} feed sources on {args.hosts} loopback hosts, {args.workers} workers")
        cycle(app, args.workers, "cycle 1: every feed new")
        not_modified = cycle(app, args.workers, "cycle 2: every feed unchanged (304)")
        state.version += 1
        new_items = cycle(app, args.workers, "cycle 3: one new item per feed")
        app.engine.dispose()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (max RSS): {peak_mb:.0f} MB")
    print(
        f"targets: 304 cycle {not_modified:.2f} s (<= 10), new-item cycle {new_items:.2f} s (<= 60), "
        f"memory {peak_mb:.0f} MB (<= 300)"
    )
    for server, _ in servers:
        server.shutdown()


if __name__ == "__main__":
    main()
