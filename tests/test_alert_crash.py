"""Crash test: `tracker run` (the real daemon, a subprocess) delivers 100 alerts while it is
killed with SIGKILL 20 times and restarted each time; the Slack stand-in must have received
every alert exactly once (counted by the alert key in message metadata).

Every kill lands while a post is in flight, whatever the machine's load: the stand-in holds
the next chat.postMessage at a chosen stage and signals it, and the test kills the daemon
then. The stages rotate through the three outcomes a crash can leave behind: the request
arrived but nothing was stored (the restart must post it), the message was stored but the
answer never reached the daemon (the restart must find it, not post it again), and the
answer was written but perhaps not recorded (either way, once).

The alerts go to ten channels (ten watchlists), so the per-channel pacing of about one
message a second still lets the whole run finish in well under a minute.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from conftest import ROOT
from slack_standin import HOLD_STAGES, SlackStandIn
from sqlmodel import select

from tracker.app import open_app
from tracker.db import session_scope
from tracker.models import Alert, Event

ALERTS, CHANNELS, KILLS = 100, 10, 20


def _workspace(root: Path) -> None:
    import shutil

    shutil.copytree(ROOT / "rules", root / "rules", ignore=shutil.ignore_patterns("watchlists"))
    (root / "rules" / "watchlists").mkdir()
    for c in range(CHANNELS):
        (root / "rules" / "watchlists" / f"w{c}.toml").write_text(
            f'id = "w{c}"\ntitle = "Watchlist {c}"\n[destination]\nchannel = "#c{c}"\n', encoding="utf-8"
        )
    (root / "docs").mkdir()
    (root / "config.toml").write_text(
        '[storage]\ndatabase_url = "sqlite:///tracker.db"\n[rules]\ndir = "rules"\n'
        '[[sources]]\nname = "empty"\nkind = "folder"\npath = "docs"\ninterval = "1h"\n',
        encoding="utf-8",
    )


def _queue(root: Path, env: dict[str, str]) -> None:
    """100 events, each queued for one watchlist, interleaved across the channels."""
    app = open_app(str(root / "config.toml"), environ=env)
    with session_scope(app.engine) as session:
        for i in range(ALERTS):
            event = Event(type="guidance", jurisdiction="HK", date_value="2025-08-01", precision="day",
                          evidence=f"The SFC issued circular number {i} on 1 August 2025.", confidence=0.9)  # fmt: skip
            session.add(event)
            session.flush()
            session.add(Alert(event_id=event.id, watchlist_id=f"w{i % CHANNELS}", kind="new", revision=1))
    app.engine.dispose()


def _statuses(root: Path, env: dict[str, str]) -> Counter:
    app = open_app(str(root / "config.toml"), environ=env)
    with session_scope(app.engine) as session:
        counts = Counter(a.status for a in session.exec(select(Alert)).all())
    app.engine.dispose()
    return counts


def test_sigkill_20_times_while_delivering_100_alerts_each_arrives_once(tmp_path: Path) -> None:
    with SlackStandIn() as standin:
        _workspace(tmp_path)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "TRACKER_DATABASE_URL"))}
        env.update({"SLACK_BOT_TOKEN": standin.token, "SLACK_API_URL": standin.api_url, "SLACK_TIMEOUT": "2"})
        _queue(tmp_path, env)

        log = (tmp_path / "daemons.log").open("ab")

        def start() -> subprocess.Popen:
            return subprocess.Popen([sys.executable, "-m", "tracker", "run"], cwd=tmp_path, env=env,
                                    stdout=subprocess.DEVNULL, stderr=log)  # fmt: skip

        stages_hit: Counter[str] = Counter()
        for kill in range(KILLS):
            hold = standin.hold_next_post(HOLD_STAGES[kill % len(HOLD_STAGES)])
            proc = start()
            try:
                # a liveness bound, not a timing assumption: the daemon posts as soon as it is up
                assert hold.reached.wait(120), f"kill {kill}: the daemon never posted"
                proc.send_signal(signal.SIGKILL)
                proc.wait(timeout=30)
                stages_hit[hold.stage] += 1
            finally:
                hold.release()
                if proc.poll() is None:
                    proc.kill()
                    proc.wait(timeout=30)
        proc = start()
        try:
            deadline = time.monotonic() + 180
            while time.monotonic() < deadline and _statuses(tmp_path, env)["sent"] < ALERTS:
                time.sleep(0.5)
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=20)

        keys = Counter(
            m["metadata"]["event_payload"]["alert_key"] for c in range(CHANNELS) for m in standin.messages(f"#c{c}")
        )
        log.close()
        tail = (tmp_path / "daemons.log").read_text(encoding="utf-8", errors="replace")[-3000:]
        assert len(keys) == ALERTS, f"{ALERTS - len(keys)} alerts never arrived; {_statuses(tmp_path, env)}; daemons:\n{tail}"
        assert [k for k, n in keys.items() if n > 1] == [], "some alerts arrived twice"
        assert _statuses(tmp_path, env) == Counter({"sent": ALERTS})
        # every kill hit a post in flight, at each of the three stages
        assert sum(stages_hit.values()) == KILLS and set(stages_hit) == set(HOLD_STAGES)
