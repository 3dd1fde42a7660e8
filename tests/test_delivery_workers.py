"""Delivery apart from polling: bounded passes, claims that several workers share out, pacing
shared through the database, and a daemon that stops promptly whatever is queued."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import ROOT
from slack_standin import SlackStandIn
from sqlmodel import select

from tracker.alerts.outbox import MAX_ATTEMPTS, _claim_batch
from tracker.alerts.ratelimit import ChannelBusy, SharedChannelPacer
from tracker.app import deliver, open_app
from tracker.db import installation_id, make_engine, session_scope, upgrade
from tracker.models import Alert, Event, utcnow

CHANNELS = 2


def _workspace(root: Path, database_url: str = "sqlite:///tracker.db") -> None:
    shutil.copytree(ROOT / "rules", root / "rules", ignore=shutil.ignore_patterns("watchlists"))
    (root / "rules" / "watchlists").mkdir()
    for c in range(CHANNELS):
        (root / "rules" / "watchlists" / f"w{c}.toml").write_text(
            f'id = "w{c}"\ntitle = "Watchlist {c}"\n[destination]\nchannel = "#c{c}"\n', encoding="utf-8"
        )
    (root / "docs").mkdir()
    (root / "config.toml").write_text(
        f'[storage]\ndatabase_url = "{database_url}"\n[rules]\ndir = "rules"\n'
        '[[sources]]\nname = "empty"\nkind = "folder"\npath = "docs"\ninterval = "1h"\n',
        encoding="utf-8",
    )


def _queue(app, count: int) -> None:
    with session_scope(app.engine) as session:
        for i in range(count):
            event = Event(type="guidance", jurisdiction="HK", date_value="2025-08-01", precision="day",
                          evidence=f"The SFC issued circular number {i} on 1 August 2025.", confidence=0.9)  # fmt: skip
            session.add(event)
            session.flush()
            session.add(Alert(event_id=event.id, watchlist_id=f"w{i % CHANNELS}", kind="new", revision=1))


def _env(standin: SlackStandIn) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "TRACKER_DATABASE_URL"))}
    env.update({"SLACK_BOT_TOKEN": standin.token, "SLACK_API_URL": standin.api_url, "SLACK_TIMEOUT": "5"})
    return env


def test_daemon_stops_within_10_s_of_sigterm_with_a_full_outbox(tmp_path: Path) -> None:
    with SlackStandIn() as standin:
        _workspace(tmp_path)
        env = _env(standin)
        app = open_app(str(tmp_path / "config.toml"), environ=env)
        _queue(app, 200)  # 100 a channel: at one message a second, 100 s of delivery
        app.engine.dispose()
        hold = standin.hold_next_post("after_answer")
        log = (tmp_path / "daemon.log").open("w+", encoding="utf-8")
        proc = subprocess.Popen([sys.executable, "-m", "tracker", "run"], cwd=tmp_path, env=env,
                                stdout=log, stderr=subprocess.STDOUT)  # fmt: skip
        try:
            assert hold.reached.wait(120), "the daemon never posted"
            proc.send_signal(signal.SIGTERM)
            asked = time.monotonic()
            proc.wait(timeout=60)
            took = time.monotonic() - asked
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait(30)
            log.close()
        output = (tmp_path / "daemon.log").read_text(encoding="utf-8")
        assert proc.returncode == 0, output[-3000:]
        assert took < 10, f"stopped {took:.1f} s after SIGTERM"
        assert "daemon stopped" in output and "Traceback" not in output
        app = open_app(str(tmp_path / "config.toml"), environ=env)
        with session_scope(app.engine) as session:
            rows = session.exec(select(Alert)).all()
        app.engine.dispose()
        posted = sum(len(standin.messages(f"#c{c}")) for c in range(CHANNELS))
        assert sum(r.status == "sent" for r in rows) == posted < len(rows)  # the queue was left, not drained
        assert all(r.claimed_by is None for r in rows)  # the pass gave its claims back


def test_a_429_is_not_an_attempt_and_never_fails_a_row(tmp_path: Path) -> None:
    with SlackStandIn() as standin:
        _workspace(tmp_path)
        app = open_app(str(tmp_path / "config.toml"), environ=_env(standin))
        try:
            _queue(app, 1)
            standin.fail_next("rate_limited", times=MAX_ATTEMPTS + 2, retry_after=3)
            now = utcnow()
            for _ in range(MAX_ATTEMPTS + 2):
                now += timedelta(seconds=3)
                app.limiter = SharedChannelPacer(app.engine, clock=now.timestamp)
                deliver(app, now=lambda at=now: at)
                with session_scope(app.engine) as session:
                    row = session.exec(select(Alert)).one()
                assert row.status == "pending" and row.attempts == 0, row
                assert row.next_attempt_at == now + timedelta(seconds=3)  # Retry-After honoured
            now += timedelta(seconds=3)
            app.limiter = SharedChannelPacer(app.engine, clock=now.timestamp)
            assert deliver(app, now=lambda: now).sent == 1
        finally:
            app.engine.dispose()
        assert len(standin.calls_to("chat.postMessage")) == MAX_ATTEMPTS + 3


def _pg_app(root: Path, url: str):
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    _workspace(root, url)
    return open_app(str(root / "config.toml"), environ={"TRACKER_DATABASE_URL": url})


@pytest.mark.postgres
def test_two_delivery_passes_claim_disjoint_rows_on_postgres(tmp_path: Path, postgres_url: str) -> None:
    app = _pg_app(tmp_path, postgres_url)
    try:
        _queue(app, 30)
        now = utcnow()
        first = _claim_batch(app.engine, "pass-a", now, now, 20)
        second = _claim_batch(app.engine, "pass-b", now, now, 20)
        assert len(first) == 20 and len(second) == 10
        assert not {a.id for a in first} & {a.id for a in second}
        assert _claim_batch(app.engine, "pass-c", now, now, 20) == []
        # claims lapse: a pass that died leaves rows that another takes later
        assert len(_claim_batch(app.engine, "pass-c", now + timedelta(minutes=5), now, 50)) == 30
    finally:
        app.engine.dispose()


@pytest.mark.postgres
def test_workers_share_one_pacing_budget_per_channel(tmp_path: Path, postgres_url: str) -> None:
    """Two processes' pacers (two engines) on one database hand out distinct, spaced slots."""
    app = _pg_app(tmp_path, postgres_url)
    other = make_engine(postgres_url)
    try:
        clock = [1_000_000.0]
        pacers = [
            SharedChannelPacer(engine, max_wait=2.5, clock=lambda: clock[0]) for engine in (app.engine, other)
        ]
        waits = [pacers[n % 2].reserve("#c0") for n in range(3)]
        assert waits == [0.0, 1.0, 2.0]  # one a second, whichever worker asks
        with pytest.raises(ChannelBusy):
            pacers[1].reserve("#c0")  # 3 s away: more than max_wait
        assert pacers[0].reserve("#c1") == 0.0  # another channel has its own budget
        pacers[1].penalize("#c1", 30)  # a 429 seen by one worker holds back the other
        assert pacers[0].delay("#c1") == pytest.approx(30.0)
    finally:
        other.dispose()
        app.engine.dispose()


def test_two_databases_posting_into_one_channel_never_take_each_others_messages(tmp_path: Path) -> None:
    """Event ids repeat across databases; the installation id in the key keeps them apart."""
    with SlackStandIn() as standin:
        apps = []
        for name in ("one", "two"):
            (tmp_path / name).mkdir()
            _workspace(tmp_path / name)
            apps.append(open_app(str(tmp_path / name / "config.toml"), environ=_env(standin)))
        try:
            ids = [installation_id(app.engine) for app in apps]
            assert ids[0] != ids[1]
            for app in apps:
                _queue(app, 1)  # event 1, watchlist w0, channel #c0, in both databases
            now = utcnow()
            assert deliver(apps[0], now=lambda: now).sent == 1
            standin.fail_next("server_error")  # the second database's post fails with a 500...
            report = deliver(apps[1], now=lambda: now)
            # ...and its reconciliation must not take the first database's message for its own
            assert report.reconciled == 0 and report.sent == 0
            later = now + timedelta(minutes=5)
            assert deliver(apps[1], now=lambda: later).sent == 1
            messages = standin.messages("#c0")
            keys = [m["metadata"]["event_payload"]["alert_key"] for m in messages]
            assert len(messages) == 2 and len(set(keys)) == 2
            assert all(ids[n] in keys[n] for n in range(2))
            rows = []
            for app in apps:
                with session_scope(app.engine) as session:
                    rows.append(session.exec(select(Alert)).one())
            assert [r.ts for r in rows] == [m["ts"] for m in messages]
        finally:
            for app in apps:
                app.engine.dispose()
        # made once: the same database keeps its id
        again = open_app(str(tmp_path / "one" / "config.toml"), environ=_env(standin))
        assert installation_id(again.engine) == ids[0]
        again.engine.dispose()
