"""`tracker run` as a real subprocess against a real HTTP feed: a new item reaches the
timeline within two intervals, and SIGTERM stops the daemon cleanly."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import ROOT, run_cli
from httpserver import LocalServer, Reply

FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Local regulator</title><link>http://127.0.0.1/</link>
<description>test</description>{items}</channel></rss>"""
ITEM = """<item><title>{title}</title><link>{link}</link><guid>{guid}</guid>
<pubDate>Mon, 04 Aug 2025 17:30:00 +0800</pubDate><description>{text}</description></item>"""


def _feed(items: list[tuple[str, str, str]], base: str) -> bytes:
    body = "".join(
        ITEM.format(title=title, link=f"{base}/news/{slug}", guid=slug, text=text) for slug, title, text in items
    )
    return FEED.format(items=body).encode("utf-8")


def test_daemon_picks_up_a_new_item_and_stops_on_sigterm(tmp_path: Path) -> None:
    with LocalServer() as server:
        base = server.url("").rstrip("/")
        items = [("one", "SFC consultation", "The Securities and Futures Commission launched a consultation on "
                  "custody of virtual assets in Hong Kong on 30 July 2025.")]  # fmt: skip
        server.route("/feed.xml", Reply(body=_feed(items, base), headers={"Content-Type": "application/rss+xml"}))
        (tmp_path / "config.toml").write_text(
            f"""
[storage]
database_url = "sqlite:///tracker.db"
[rules]
dir = "{ROOT / "rules"}"
[fetch]
per_host_delay = 0
[scheduler]
tick = 0.5
jitter = 0
[[sources]]
name = "local-feed"
kind = "feed"
url = "{base}/feed.xml"
interval = "2s"
""",
            encoding="utf-8",
        )
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "TRACKER_DATABASE_URL"))}
        log = (tmp_path / "daemon.log").open("w+", encoding="utf-8")  # a file: a full pipe would block it
        daemon = subprocess.Popen(
            [sys.executable, "-m", "tracker", "run"], cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            assert _wait_for(lambda: _has(tmp_path, "consultation"), 30), _log(
                tmp_path, "first item never reached the timeline"
            )
            items.append(("two", "HKMA grants licences", "The Hong Kong Monetary Authority granted the first "
                          "stablecoin issuer licences on 4 August 2025."))  # fmt: skip
            server.route("/feed.xml", Reply(body=_feed(items, base), headers={"Content-Type": "application/rss+xml"}))
            added = time.monotonic()
            assert _wait_for(lambda: _has(tmp_path, "license_grant"), 30), _log(
                tmp_path, "new item never reached the timeline"
            )
            # two intervals of 2 s, plus the tick and a process start for the timeline command
            assert time.monotonic() - added < 2 * 2 + 6
        finally:
            daemon.send_signal(signal.SIGTERM)
            try:
                daemon.wait(timeout=30)
            except subprocess.TimeoutExpired:
                daemon.kill()
                raise
            finally:
                log.close()
        err = (tmp_path / "daemon.log").read_text(encoding="utf-8")
        assert daemon.returncode == 0, err
        assert "Traceback" not in err
        assert "daemon stopped" in err


def _log(workspace: Path, message: str) -> str:
    return message + "\n" + (workspace / "daemon.log").read_text(encoding="utf-8")[-3000:]


def _has(workspace: Path, needle: str) -> bool:
    result = run_cli("timeline", "--format", "json", cwd=workspace)
    if result.returncode != 0:
        return False
    return any(needle in (e["type"] + " " + e["evidence"]) for e in json.loads(result.stdout))


def _wait_for(check, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.3)
    return False
