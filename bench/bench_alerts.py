"""Benchmark: alert latency through the daemon, and pacing of one busy channel.

    .venv/bin/python bench/bench_alerts.py [--items 10] [--alerts 1000]

(a) latency: `tracker run` (a subprocess) polls a feed on a local HTTP server every second;
    a new item is added every few seconds; the time from the poll that first served the item
    to the message's arrival at the Slack stand-in is reported (median and max).
    Target (issue 6): median ≤ 2 s.
(b) pacing: ``--alerts`` alerts queued for ONE channel are delivered through the outbox with
    slack-sdk against a stand-in that answers 429 to anything faster than 1 message/s.
    Target: zero 429s, at the channel's limit. 1,000 alerts take about 17 minutes;
    ``--alerts 60`` is a quick run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from httpserver import LocalServer, Reply, Request  # noqa: E402
from slack_standin import SlackStandIn  # noqa: E402

from tracker.app import deliver, open_app  # noqa: E402
from tracker.db import session_scope  # noqa: E402
from tracker.models import Alert, Event  # noqa: E402

FEED = ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Bench</title>'
        "<link>http://127.0.0.1/</link><description>bench</description>{items}</channel></rss>")  # fmt: skip
ITEM = ("<item><title>Licence {n}</title><link>{base}/news/{n}</link><guid>g{n}</guid>"
        "<pubDate>Mon, 04 Aug 2025 17:30:00 +0800</pubDate><description>The Securities and Futures "
        "Commission granted a licence to Exchange {n} in Hong Kong on {day} July 2025.</description></item>")  # fmt: skip  # noqa: E501


def _env(standin: SlackStandIn) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "TRACKER_DATABASE_URL"))}
    env.update({"SLACK_BOT_TOKEN": standin.token, "SLACK_API_URL": standin.api_url, "SLACK_CHANNEL": "#bench"})
    return env


def latency(items: int) -> None:
    served: list[tuple[float, int]] = []  # (time, number of items in the feed) per poll
    count = [0]
    lock = threading.Lock()

    with LocalServer() as server, SlackStandIn() as standin, tempfile.TemporaryDirectory() as tmp:
        base = server.url("").rstrip("/")

        def feed(_request: Request) -> Reply:
            with lock:
                n = count[0]
                served.append((time.time(), n))
            body = FEED.format(items="".join(ITEM.format(n=i, base=base, day=i + 1) for i in range(n)))
            return Reply(body=body.encode("utf-8"), headers={"Content-Type": "application/rss+xml"})

        server.route("/feed.xml", feed)
        root = Path(tmp)
        (root / "config.toml").write_text(
            f'[storage]\ndatabase_url = "sqlite:///tracker.db"\n[rules]\ndir = "{ROOT / "rules"}"\n'
            "[fetch]\nper_host_delay = 0\n[scheduler]\ntick = 0.2\njitter = 0\n"
            f'[[sources]]\nname = "bench-feed"\nkind = "feed"\nurl = "{base}/feed.xml"\ninterval = "1s"\n',
            encoding="utf-8",
        )
        proc = subprocess.Popen([sys.executable, "-m", "tracker", "run"], cwd=root, env=_env(standin),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        try:
            time.sleep(3)  # start-up and the first (empty) poll
            for i in range(items):
                with lock:
                    count[0] = i + 1
                time.sleep(2.5)
            time.sleep(3)
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=30)
        posts = standin.calls_to("chat.postMessage")
        lags = []
        for i in range(items):
            seen = next((t for t, n in served if n > i), None)
            post = next((c.at for c in posts if f"Exchange {i} " in c.body.get("text", "")), None)
            if seen is not None and post is not None:
                lags.append(post - seen)
        print(f"(a) latency over {len(lags)}/{items} items: median {statistics.median(lags):.2f} s, "
              f"max {max(lags):.2f} s (poll that served the item → message at the stand-in; target ≤ 2 s)")  # fmt: skip


def pacing(alerts: int) -> None:
    with SlackStandIn() as standin, tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        shutil.copytree(ROOT / "rules", root / "rules", ignore=shutil.ignore_patterns("watchlists"))
        (root / "rules" / "watchlists").mkdir()
        (root / "rules" / "watchlists" / "one.toml").write_text(
            'id = "one"\ntitle = "One channel"\n[destination]\nchannel = "#busy"\n', encoding="utf-8"
        )
        (root / "config.toml").write_text('[storage]\ndatabase_url = "sqlite:///tracker.db"\n[rules]\ndir = "rules"\n')
        app = open_app(str(root / "config.toml"), environ=_env(standin))
        with session_scope(app.engine) as session:
            for i in range(alerts):
                event = Event(type="guidance", jurisdiction="HK", evidence=f"Circular {i}.", confidence=0.9)
                session.add(event)
                session.flush()
                session.add(Alert(event_id=event.id, watchlist_id="one", kind="new"))
        standin.enforce_rate(per_second=1.0, tolerance=0.05)
        start = time.monotonic()
        report = deliver(app)
        elapsed = time.monotonic() - start
        got = len(standin.messages("#busy"))
        rate = (got - 1) / elapsed if elapsed else float("inf")
        print(f"(b) pacing: {got}/{alerts} delivered to one channel in {elapsed:.1f} s = {rate:.3f} msg/s, "
              f"429s: {standin.rate_limited_count}, sent {report.sent}, deferred {report.deferred}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10, help="feed items for the latency run")
    parser.add_argument("--alerts", type=int, default=1000, help="alerts for the one-channel pacing run")
    parser.add_argument("--only", choices=("latency", "pacing"), help="run one part")
    args = parser.parse_args()
    if args.only in (None, "latency"):
        latency(args.items)
    if args.only in (None, "pacing"):
        pacing(args.alerts)


if __name__ == "__main__":
    main()
