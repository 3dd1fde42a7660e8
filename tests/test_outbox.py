"""The outbox end to end: real documents through extraction and merge into queued rows, then
delivery with slack-sdk's WebClient against the Slack stand-in, on a real SQLite file.

Time is the test's: every queue and delivery call gets an explicit ``now``.
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import ROOT, run_cli
from slack_standin import SlackStandIn
from sqlmodel import col, select

from tracker.alerts.ratelimit import ChannelRateLimiter
from tracker.app import App, deliver, open_app
from tracker.db import session_scope
from tracker.models import Alert, Source
from tracker.pipeline import ingest_item
from tracker.sources import Item

T0 = datetime(2025, 9, 1, 4, 0, tzinfo=UTC)  # 12:00 in Hong Kong

ORDINANCE_MONTH = "The Stablecoins Ordinance will take effect in August 2026, the Hong Kong Monetary Authority said."
ORDINANCE_DAY = "The Stablecoins Ordinance will take effect on 1 August 2026 in Hong Kong, the HKMA said."
CONSULTATION = "The Securities and Futures Commission launched a consultation on custody of virtual assets in Hong Kong on 30 July 2025."
CN_BAN = "The People's Bank of China reaffirmed the ban on cryptocurrency trading in mainland China on 15 August 2025."

WATCH_ALL = """
id = "all"
title = "HK & CN"
[match]
jurisdictions = ["HK", "CN"]
[destination]
channel_env = "SLACK_CHANNEL"
"""


class Rig:
    """A workspace (config, rules, SQLite file) whose Slack is the stand-in; two folder sources."""

    def __init__(
        self, root: Path, standin: SlackStandIn, watchlists: dict[str, str], env: dict[str, str] | None = None
    ):
        self.root, self.standin = root, standin
        rules = root / "rules"
        shutil.copytree(ROOT / "rules", rules, ignore=shutil.ignore_patterns("watchlists"))
        (rules / "watchlists").mkdir()
        for name, text in watchlists.items():
            (rules / "watchlists" / f"{name}.toml").write_text(text, encoding="utf-8")
        for d in ("docs-a", "docs-b"):
            (root / d).mkdir()
        (root / "config.toml").write_text(
            '[storage]\ndatabase_url = "sqlite:///tracker.db"\n[rules]\ndir = "rules"\n'
            '[[sources]]\nname = "source-a"\nkind = "folder"\npath = "docs-a"\ninterval = "1h"\n'
            '[[sources]]\nname = "source-b"\nkind = "folder"\npath = "docs-b"\ninterval = "1h"\n',
            encoding="utf-8",
        )
        self.env = {
            "SLACK_BOT_TOKEN": standin.token, "SLACK_API_URL": standin.api_url, "SLACK_CHANNEL": "#reg",
            "SLACK_TIMEOUT": "0.5", **(env or {}),
        }  # fmt: skip
        self.app: App = open_app(str(root / "config.toml"), environ=self.env)
        # The pacing itself is tested in test_slack; here a 429's penalty must not sleep for real.
        self.app.limiter = ChannelRateLimiter(1000.0, sleep=lambda seconds: None)
        self._n = 0

    def ingest(self, text: str, now: datetime, source: str = "source-a", published: datetime | None = None) -> int:
        """One document through extraction, merge and queueing; returns the alerts queued."""
        self._n += 1
        item = Item(url=f"https://example.org/{source}/{self._n}", title=None, published=published or now,
                    text=text, lang="en")  # fmt: skip
        with session_scope(self.app.engine) as session:
            row = session.exec(select(Source).where(Source.name == source)).one()
            return ingest_item(session, row, item, self.app.queue_hook(now)).alerts_queued

    def deliver(self, now: datetime, **kw):
        return deliver(self.app, now=lambda: now, **kw)

    def rows(self, kind: str | None = None) -> list[Alert]:
        with session_scope(self.app.engine) as session:
            stmt = select(Alert).order_by(col(Alert.id))
            if kind:
                stmt = stmt.where(Alert.kind == kind)
            return list(session.exec(stmt).all())

    def posts(self):
        return self.standin.calls_to("chat.postMessage")

    def cli(self, *args: str, env: dict[str, str] | None = None):
        return run_cli(*args, cwd=self.root, env={**self.env, **(env or {})})


@pytest.fixture
def standin():
    with SlackStandIn() as s:
        yield s


def key_of(call) -> str:
    return call.body["metadata"]["event_payload"]["alert_key"]


# ---------------------------------------------------------------- new, re-run, update in thread


def test_new_event_posts_once_and_an_update_goes_in_its_thread(tmp_path, standin):
    rig = Rig(tmp_path, standin, {"all": WATCH_ALL})
    assert rig.ingest(ORDINANCE_MONTH, T0) == 1
    assert rig.deliver(T0).sent == 1
    (first,) = rig.posts()
    assert first.body["channel"] == "#reg" and first.body["text"].startswith("HK · ordinance (planned) · 2026-08")
    root_ts = standin.messages("#reg")[0]["ts"]

    assert rig.ingest(ORDINANCE_MONTH, T0) == 0  # the same document again: nothing queued
    assert rig.deliver(T0 + timedelta(minutes=1)).sent == 0
    assert len(rig.posts()) == 1

    # another source states the day: the event is refined and confirmed → one update, threaded
    assert rig.ingest(ORDINANCE_DAY, T0 + timedelta(hours=1), source="source-b") >= 1
    rig.deliver(T0 + timedelta(hours=1))
    updates = [c for c in rig.posts() if ":update:" in key_of(c)]
    assert len(updates) == 1
    assert updates[0].body["thread_ts"] == root_ts
    assert updates[0].body["text"].startswith("Update: HK · ordinance (planned) · 2026-08-01")
    assert "date refined from 2026-08 to 2026-08-01" in updates[0].body["text"]
    assert rig.deliver(T0 + timedelta(hours=2)).sent == 0
    assert len([c for c in rig.posts() if ":update:" in key_of(c)]) == 1


def test_update_waits_for_its_original_then_threads(tmp_path, standin):
    rig = Rig(tmp_path, standin, {"all": WATCH_ALL})
    rig.ingest(ORDINANCE_MONTH, T0)
    standin.fail_next("rate_limited", retry_after=30)
    rig.deliver(T0)  # the original is rate limited
    rig.ingest(ORDINANCE_DAY, T0 + timedelta(seconds=1), source="source-b")
    rig.deliver(T0 + timedelta(seconds=2))
    assert len(rig.posts()) == 1  # only the 429: the update did not jump ahead of its original
    rig.deliver(T0 + timedelta(seconds=31))
    new, update = rig.posts()[1:]
    assert ":new:" in key_of(new) and update.body["thread_ts"] == standin.messages("#reg")[0]["ts"]


# ---------------------------------------------------------------- failures


def test_429_keeps_the_row_pending_until_retry_after(tmp_path, standin):
    rig = Rig(tmp_path, standin, {"all": WATCH_ALL})
    rig.ingest(CONSULTATION, T0)
    standin.fail_next("rate_limited", retry_after=30)
    report = rig.deliver(T0)
    assert report.deferred == 1 and report.sent == 0
    (row,) = rig.rows()
    assert row.status == "pending" and row.next_attempt_at == T0 + timedelta(seconds=30)
    assert "retry after 30s" in row.last_error
    rig.deliver(T0 + timedelta(seconds=29))
    assert len(rig.posts()) == 1  # not asked again before Retry-After
    assert rig.deliver(T0 + timedelta(seconds=30)).sent == 1
    assert len(standin.messages("#reg")) == 1 and rig.rows()[0].status == "sent"


def test_500_is_reconciled_then_retried_with_backoff(tmp_path, standin):
    rig = Rig(tmp_path, standin, {"all": WATCH_ALL})
    rig.ingest(CONSULTATION, T0)
    standin.fail_next("server_error", times=2)
    rig.deliver(T0)
    (row,) = rig.rows()
    assert row.status == "pending" and row.next_attempt_at == T0 + timedelta(seconds=2)
    assert "HTTP 500" in row.last_error
    assert len(standin.calls_to("conversations.history")) == 1  # looked before retrying
    rig.deliver(T0 + timedelta(seconds=1))
    assert len(rig.posts()) == 1
    rig.deliver(T0 + timedelta(seconds=2))  # second 500: the backoff doubles
    assert rig.rows()[0].next_attempt_at == T0 + timedelta(seconds=2 + 4)
    assert rig.deliver(T0 + timedelta(seconds=6)).sent == 1
    assert len(rig.posts()) == 3 and len(standin.messages("#reg")) == 1


def test_connection_refused_is_retried_with_growing_backoff(tmp_path, standin):
    rig = Rig(tmp_path, standin, {"all": WATCH_ALL}, env={"SLACK_API_URL": "http://127.0.0.1:9/api/"})
    rig.ingest(CONSULTATION, T0)
    rig.deliver(T0)
    first = rig.rows()[0]
    rig.deliver(first.next_attempt_at)
    second = rig.rows()[0]
    assert first.status == second.status == "pending" and "connection failed" in second.last_error
    assert second.next_attempt_at - first.next_attempt_at == timedelta(seconds=4)


@pytest.mark.parametrize("case", ["channel_not_found", "invalid_auth"])
def test_permanent_errors_fail_with_reason_shown_by_the_cli(tmp_path, case):
    with SlackStandIn(channels={"#reg"}) as standin:
        env = {"SLACK_CHANNEL": "#gone"} if case == "channel_not_found" else {"SLACK_BOT_TOKEN": "xoxb-revoked-token"}
        rig = Rig(tmp_path, standin, {"all": WATCH_ALL}, env=env)
        rig.ingest(CONSULTATION, T0)
        report = rig.deliver(T0)
        assert report.failed == 1 and case in report.errors[0]
        (row,) = rig.rows()
        assert row.status == "failed" and row.last_error == f"Slack refused the message: {case}"
        rig.deliver(T0 + timedelta(days=1))
        assert len(rig.posts()) == 1  # a failed row is not retried on its own

        shown = rig.cli("alerts", "--status", "failed")
        assert shown.returncode == 0, shown.stderr
        assert "failed" in shown.stdout and case in shown.stdout
        assert "xoxb-revoked-token" not in shown.stdout + shown.stderr

        again = rig.cli("alerts", "retry")  # nothing fixed: it fails again, and says so by its exit code
        assert again.returncode == 1, again.stderr
        assert "requeued: 1  sent: 0  failed: 1" in again.stdout and case in again.stderr

        fixed = rig.cli("alerts", "retry", env={"SLACK_CHANNEL": "#reg", "SLACK_BOT_TOKEN": standin.token})
        assert fixed.returncode == 0, fixed.stderr
        assert "requeued: 1  sent: 1" in fixed.stdout
        assert len(standin.messages("#reg")) == 1


def test_timeout_after_accept_is_reconciled_never_reposted(tmp_path, standin):
    rig = Rig(tmp_path, standin, {"all": WATCH_ALL})
    rig.ingest(CONSULTATION, T0)
    standin.fail_next("timeout_after_accept", delay=1.5)  # stored, answered after our 0.5 s timeout
    report = rig.deliver(T0)
    assert report.deferred == 1
    (row,) = rig.rows()
    assert row.status == "sending" and "outcome unknown" in row.last_error
    rig.deliver(T0 + timedelta(seconds=30))  # another worker may still own it: hands off
    assert len(rig.posts()) == 1 and not standin.calls_to("conversations.history")
    report = rig.deliver(T0 + timedelta(seconds=61))
    assert report.reconciled == 1 and report.sent == 0
    (row,) = rig.rows()
    assert row.status == "sent" and row.ts == standin.messages("#reg")[0]["ts"]
    assert len(rig.posts()) == 1 and len(standin.messages("#reg")) == 1
    assert standin.calls_to("conversations.history")[-1].body["include_all_metadata"] in ("1", "true", "True")


def test_a_lone_worker_reconciles_rows_left_sending_at_once(tmp_path, standin):
    rig = Rig(tmp_path, standin, {"all": WATCH_ALL})
    rig.ingest(CONSULTATION, T0)
    rig.ingest(CN_BAN, T0)
    standin.fail_next("disconnect_after_accept")  # the first lands; the process "dies" unaware
    rig.deliver(T0)
    assert [r.status for r in rig.rows()] == ["sending", "sent"]
    # a restarted SQLite daemon: everything `sending` before its start is a dead process's
    report = rig.deliver(T0 + timedelta(seconds=5), stale_before=T0 + timedelta(seconds=5))
    assert report.reconciled == 1
    assert len(standin.messages("#reg")) == 2 and len(rig.posts()) == 2
    # a row claimed after the start is this process's own, in flight: never taken over
    rig.ingest(ORDINANCE_MONTH, T0)
    standin.fail_next("disconnect_after_accept")
    rig.deliver(T0 + timedelta(seconds=6))
    rig.deliver(T0 + timedelta(seconds=7), stale_before=T0 + timedelta(seconds=5))
    assert rig.rows()[-1].status == "sending" and len(standin.calls_to("conversations.history")) == 1


def test_a_stale_row_found_missing_is_posted_once_even_by_two_deliveries(tmp_path, standin):
    rig = Rig(tmp_path, standin, {"all": WATCH_ALL})
    rig.ingest(CONSULTATION, T0)
    # craft the crash: claimed, then the process died before posting
    from sqlalchemy import update

    with session_scope(rig.app.engine) as session:
        session.execute(update(Alert).values(status="sending", sending_since=T0, attempts=1))
    later = T0 + timedelta(seconds=61)
    assert rig.deliver(later).sent == 1
    assert rig.deliver(later).sent == 0
    assert len(standin.messages("#reg")) == 1
    assert len(standin.calls_to("conversations.history")) == 1


# ---------------------------------------------------------------- routing, quiet hours, digests, reminders


def test_watchlists_route_by_their_conditions(tmp_path, standin):
    hk = (
        WATCH_ALL.replace('"all"', '"hk"')
        .replace('["HK", "CN"]', '["HK"]')
        .replace('channel_env = "SLACK_CHANNEL"', 'channel = "#hk"')
    )
    cn = 'id = "cn"\ntitle = "CN bans"\n[match]\njurisdictions = ["CN"]\ntypes = ["ban"]\nmax_age_days = 365\n[destination]\nchannel = "#cn"\n'
    rig = Rig(tmp_path, standin, {"hk": hk, "cn": cn})
    rig.ingest(CONSULTATION, T0)
    rig.ingest(CN_BAN, T0)
    rig.ingest("The People's Bank of China banned initial coin offerings in mainland China on 4 September 2017.", T0)
    rig.deliver(T0)
    assert [m["text"][:25] for m in standin.messages("#hk")] == ["HK · consultation · 2025-"]
    assert [m["text"][:20] for m in standin.messages("#cn")] == ["CN · ban (restated) "]  # 2017 is old news


QUIET = (
    WATCH_ALL
    + """
[quiet_hours]
start = "22:00"
end = "07:00"
timezone = "Asia/Hong_Kong"
urgent_types = ["ban"]
"""
)


def test_quiet_hours_hold_non_urgent_alerts_until_the_window_ends(tmp_path, standin):
    rig = Rig(tmp_path, standin, {"all": QUIET})
    night = datetime(2025, 9, 1, 15, 0, tzinfo=UTC)  # 23:00 in Hong Kong
    morning = datetime(2025, 9, 1, 23, 0, tzinfo=UTC)  # 07:00
    rig.ingest(CONSULTATION, night)
    rig.ingest(CN_BAN, night)
    consultation, ban = rig.rows()
    assert consultation.next_attempt_at == morning and ban.next_attempt_at is None
    rig.deliver(night)
    assert [m["text"][:9] for m in standin.messages("#reg")] == ["CN · ban "]  # urgent: at once
    rig.deliver(morning - timedelta(seconds=1))
    assert len(standin.messages("#reg")) == 1  # held, not dropped
    rig.deliver(morning)
    assert len(standin.messages("#reg")) == 2 and rig.rows()[0].status == "sent"


def test_quiet_hours_also_hold_a_row_that_falls_due_inside_them(tmp_path, standin):
    rig = Rig(tmp_path, standin, {"all": QUIET})
    evening = datetime(2025, 9, 1, 13, 0, tzinfo=UTC)  # 21:00 in Hong Kong: not quiet yet
    rig.ingest(CONSULTATION, evening)
    assert rig.rows()[0].next_attempt_at is None
    rig.deliver(evening + timedelta(hours=1, minutes=30))  # 22:30: the delivery is late, now quiet
    assert not rig.posts()
    assert rig.rows()[0].next_attempt_at == datetime(2025, 9, 1, 23, 0, tzinfo=UTC)


DIGEST = (
    WATCH_ALL
    + """
[digest]
every = "daily"
at = "09:00"
timezone = "Asia/Hong_Kong"
"""
)


def test_digest_collects_a_periods_events_into_one_message(tmp_path, standin):
    rig = Rig(tmp_path, standin, {"all": DIGEST})
    due = datetime(2025, 9, 2, 1, 0, tzinfo=UTC)  # 09:00 next day in Hong Kong
    rig.ingest(CONSULTATION, T0)
    rig.ingest(CN_BAN, T0 + timedelta(hours=2))
    assert [(r.kind, r.next_attempt_at) for r in rig.rows()] == [("digest", due), ("digest", due)]
    rig.deliver(due - timedelta(seconds=1))
    assert not rig.posts()  # nothing posted one by one
    report = rig.deliver(due)
    assert report.sent == 2
    (post,) = rig.posts()
    assert post.body["text"].startswith("Digest: HK &amp; CN · 2 events")
    assert key_of(post).startswith("tracker:digest:all:")
    rows = rig.rows()
    assert {r.status for r in rows} == {"sent"} and rows[0].ts == rows[1].ts == standin.messages("#reg")[0]["ts"]
    rig.deliver(due + timedelta(hours=1))
    assert len(rig.posts()) == 1
    # an event after the digest went out waits for the next period
    rig.ingest(ORDINANCE_MONTH, due + timedelta(minutes=5))
    assert rig.rows()[-1].next_attempt_at == due + timedelta(days=1)
    # and an update to an event that was in the digest is threaded under the digest message
    rig.ingest(
        CONSULTATION.replace("Securities and Futures Commission", "SFC"), due + timedelta(minutes=6), source="source-b"
    )
    rig.deliver(due + timedelta(minutes=7))
    (update,) = [c for c in rig.posts() if ":update:" in key_of(c)]
    assert update.body["thread_ts"] == standin.messages("#reg")[0]["ts"]


def test_a_digest_interrupted_after_posting_is_reconciled_not_reposted(tmp_path, standin):
    rig = Rig(tmp_path, standin, {"all": DIGEST})
    due = datetime(2025, 9, 2, 1, 0, tzinfo=UTC)
    rig.ingest(CONSULTATION, T0)
    rig.ingest(CN_BAN, T0)
    standin.fail_next("timeout_after_accept", delay=1.5)
    rig.deliver(due)
    assert {r.status for r in rig.rows()} == {"sending"}
    report = rig.deliver(due + timedelta(seconds=61))
    assert report.reconciled == 1
    assert {r.status for r in rig.rows()} == {"sent"} and len(standin.messages("#reg")) == 1


def test_a_digest_that_gets_a_500_is_reconciled_then_retried_like_one_alert(tmp_path, standin):
    """Digests go through the outbox's delivery path: a 5xx is looked up at once, and the
    batch goes back to pending with the same backoff as a single alert."""
    rig = Rig(tmp_path, standin, {"all": DIGEST})
    due = datetime(2025, 9, 2, 1, 0, tzinfo=UTC)
    rig.ingest(CONSULTATION, T0)
    rig.ingest(CN_BAN, T0)
    standin.fail_next("server_error")
    report = rig.deliver(due)
    assert report.deferred == 2 and not standin.messages("#reg")
    assert len(standin.calls_to("conversations.history")) == 1  # looked before retrying
    rows = rig.rows()
    assert {r.status for r in rows} == {"pending"} and {r.payload for r in rows} == {None}
    assert {r.next_attempt_at for r in rows} == {due + timedelta(seconds=2)}
    assert all("HTTP 500" in (r.last_error or "") for r in rows)
    assert rig.deliver(due + timedelta(seconds=2)).sent == 2
    assert len(standin.messages("#reg")) == 1 and {r.status for r in rig.rows()} == {"sent"}


REMIND = (
    WATCH_ALL
    + """
[reminders]
days_before = [7, 1]
at = "09:00"
timezone = "Asia/Hong_Kong"
"""
)


def test_reminders_before_a_future_day_once_each(tmp_path, standin):
    rig = Rig(tmp_path, standin, {"all": REMIND})
    now = datetime(2026, 7, 1, 4, 0, tzinfo=UTC)
    rig.ingest(ORDINANCE_MONTH, now)  # month precision: no reminders
    assert [r.kind for r in rig.rows()] == ["new"]
    rig.deliver(now)
    rig.ingest(ORDINANCE_DAY, now + timedelta(hours=1), source="source-b")  # refined to 2026-08-01
    week, day = datetime(2026, 7, 25, 1, 0, tzinfo=UTC), datetime(2026, 7, 31, 1, 0, tzinfo=UTC)
    assert [(r.kind, r.revision, r.next_attempt_at) for r in rig.rows("reminder")] == [
        ("reminder", 7, week),
        ("reminder", 1, day),
    ]
    rig.ingest(ORDINANCE_DAY, now + timedelta(hours=2))  # the same again from source-a: no new reminders
    assert len(rig.rows("reminder")) == 2
    rig.deliver(now + timedelta(hours=2))
    assert [key_of(c).split(":")[3] for c in rig.posts()] == ["new", "update"]
    rig.deliver(week)
    (reminder,) = [c for c in rig.posts() if ":reminder:" in key_of(c)]
    assert (
        reminder.body["text"].startswith("Reminder: HK · ordinance (planned) · 2026-08-01") and "thread_ts" not in reminder.body
    )
    rig.deliver(day)
    assert [key_of(c).split(":")[3:] for c in rig.posts() if ":reminder:" in key_of(c)] == [
        ["reminder", "7"],
        ["reminder", "1"],
    ]
