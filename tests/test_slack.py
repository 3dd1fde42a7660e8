"""Notifiers against a real HTTP stand-in for Slack, with slack-sdk's own clients; rate limiter."""

from __future__ import annotations

import io
import json
import logging
import threading
import time
from datetime import UTC, datetime

import pytest
from slack_standin import SlackStandIn
from test_message import HOSTILE, assert_inert, assert_within_limits, make_event

from tracker.alerts.message import build_message, ops_message
from tracker.alerts.ratelimit import ChannelRateLimiter
from tracker.alerts.slack import (
    CONSOLE_MARK,
    ConsoleNotifier,
    Permanent,
    RateLimited,
    SlackNotifier,
    Transient,
    UnknownOutcome,
    WebhookNotifier,
    _Masking,
    mask_secret,
    notifier_from_env,
)
from tracker.alerts.watchlists import Destination
from tracker.errors import AlertError, ConfigError

MSG = ops_message("hello from the tests")


@pytest.fixture
def standin():
    with SlackStandIn() as s:
        yield s


@pytest.fixture
def slack(standin):
    return SlackNotifier(standin.token, base_url=standin.api_url, timeout=0.5)


# ---------------------------------------------------------------- chat.postMessage


def test_post_returns_ts_and_sends_what_slack_needs(standin, slack):
    ts = slack.post("#reg", MSG, "alert:1:w:new")
    (call,) = standin.calls_to("chat.postMessage")
    assert call.headers["authorization"] == f"Bearer {standin.token}"
    body = call.body
    assert body["channel"] == "#reg" and body["text"] == MSG.text and body["blocks"] == MSG.blocks
    assert body["unfurl_links"] is False and body["unfurl_media"] is False
    assert body["metadata"] == {"event_type": "tracker_alert", "event_payload": {"alert_key": "alert:1:w:new"}}
    assert [m["ts"] for m in standin.messages("#reg")] == [ts]
    assert slack.check()["bot_id"] == "B000BOT"


def test_update_goes_in_the_thread_and_can_be_reconciled_there(standin, slack):
    start = time.time() - 1
    root = slack.post("#reg", MSG, "k:new")
    reply = slack.post("#reg", MSG, "k:update", thread_ts=root)
    assert standin.calls_to("chat.postMessage")[1].body["thread_ts"] == root
    assert slack.find_posted("#reg", "k:update", start) is None  # replies are not in history
    assert slack.find_posted("#reg", "k:update", start, thread_ts=root) == reply
    assert slack.find_posted("#reg", "k:new", start) == root


def test_429_is_rate_limited_with_retry_after_and_no_hidden_retry(standin, slack):
    standin.fail_next("rate_limited", retry_after=7)
    with pytest.raises(RateLimited) as info:
        slack.post("#reg", MSG, "k")
    assert info.value.retry_after == 7.0
    assert len(standin.calls_to("chat.postMessage")) == 1
    assert standin.messages("#reg") == []


def test_500_is_transient_and_not_retried_by_the_sdk(standin, slack):
    standin.fail_next("server_error")
    with pytest.raises(Transient) as info:
        slack.post("#reg", MSG, "k")
    assert info.value.sent is True
    assert len(standin.calls_to("chat.postMessage")) == 1
    assert slack.post("#reg", MSG, "k")  # the next call goes through


@pytest.mark.parametrize("error", ["channel_not_found", "not_in_channel", "is_archived", "msg_too_long"])
def test_ok_false_is_permanent_with_reason(standin, slack, error):
    standin.fail_next("error", error=error)
    with pytest.raises(Permanent) as info:
        slack.post("#reg", MSG, "k")
    assert info.value.reason == error
    assert isinstance(info.value, AlertError)


def test_wrong_token_and_unknown_channel_are_permanent(standin):
    bad = SlackNotifier("xoxb-not-the-right-one", base_url=standin.api_url, timeout=0.5)
    with pytest.raises(Permanent) as info:
        bad.post("#reg", MSG, "k")
    assert info.value.reason == "invalid_auth"
    with SlackStandIn(channels={"#reg"}) as strict:
        n = SlackNotifier(strict.token, base_url=strict.api_url, timeout=0.5)
        with pytest.raises(Permanent, match="channel_not_found"):
            n.post("#nope", MSG, "k")


def test_timeout_after_accept_is_unknown_then_reconciled_without_double_post(standin, slack):
    oldest = time.time() - 1
    standin.fail_next("timeout_after_accept", delay=2.0)
    with pytest.raises(UnknownOutcome):
        slack.post("#reg", MSG, "alert:9:w:new")
    # The outbox reconciles BEFORE any retry: the message is there, so it is not re-posted.
    ts = slack.find_posted("#reg", "alert:9:w:new", oldest)
    assert ts is not None and ts == standin.messages("#reg")[0]["ts"]
    history = standin.calls_to("conversations.history")[-1]
    assert history.body["include_all_metadata"] in ("1", "true", "True")
    assert len(standin.calls_to("chat.postMessage")) == 1
    assert len(standin.messages("#reg")) == 1
    assert slack.find_posted("#reg", "alert:10:w:new", oldest) is None


def test_disconnect_after_accept_is_unknown_and_never_retried_by_the_sdk(standin, slack):
    # slack-sdk's default ConnectionErrorRetryHandler would retry this and post twice.
    standin.fail_next("disconnect_after_accept")
    with pytest.raises(UnknownOutcome):
        slack.post("#reg", MSG, "k")
    assert len(standin.calls_to("chat.postMessage")) == 1
    assert len(standin.messages("#reg")) == 1
    assert slack.find_posted("#reg", "k", 0) == standin.messages("#reg")[0]["ts"]


def test_find_posted_pages_through_history(standin, slack):
    oldest = time.time() - 1
    first = slack.post("#busy", MSG, "the-first")
    for i in range(205):
        slack.post("#busy", MSG, f"filler-{i}")
    assert slack.find_posted("#busy", "the-first", oldest) == first
    assert len(standin.calls_to("conversations.history")) == 2
    assert slack.find_posted("#busy", "the-first", float(first)) is None  # oldest is exclusive


def test_connection_refused_is_transient_not_sent():
    n = SlackNotifier("xoxb-x", base_url="http://127.0.0.1:9/api/", timeout=0.5)
    with pytest.raises(Transient) as info:
        n.post("#reg", MSG, "k")
    assert info.value.sent is False


def test_escaping_end_to_end_through_slack_sdk(standin, slack):
    sentence = "The SFC warned " + "<!channel> & <@U123> <https://evil.example|click> " * 200
    sentence = (sentence + "x" * 10_000)[:10_000]
    for evidence in (HOSTILE, sentence):
        ev = make_event(evidence=evidence, actor="<@U123>", sources=(("<!channel>", "https://www.sfc.hk/a?b=1&c=2"),))
        for kind in ("new", "update", "digest"):
            slack.post("#reg", build_message(ev, "<!here> watch", kind), f"k-{kind}")
    for call in standin.calls_to("chat.postMessage"):
        raw = call.raw.decode("utf-8")
        for live in ("<!channel>", "<!here>", "<@U123>", "<https://evil.example"):
            assert live not in raw
        sent = type(MSG)(text=call.body["text"], blocks=call.body["blocks"])
        assert_inert(sent, allowed_urls={"https://www.sfc.hk/a?b=1&amp;c=2"})
        assert_within_limits(sent)


# ---------------------------------------------------------------- webhook


def test_webhook_posts_blocks_and_text(standin):
    hook = WebhookNotifier(standin.webhook_url, timeout=0.5)
    ident = hook.post(None, build_message(make_event(), "W", "new"), "k")
    assert ident.startswith("webhook:")
    (body,) = standin.webhook_messages
    assert body["text"] and body["blocks"][0]["type"] == "header"
    assert body["unfurl_links"] is False and body["unfurl_media"] is False
    assert hook.find_posted(None, "k", 0) is None and hook.can_reconcile is False


@pytest.mark.parametrize(
    "mode, exc",
    [
        ("rate_limited", RateLimited),
        ("server_error", Transient),
        ("error", Permanent),
        ("timeout_after_accept", UnknownOutcome),
    ],
)
def test_webhook_errors_are_typed(standin, mode, exc):
    hook = WebhookNotifier(standin.webhook_url, timeout=0.5)
    standin.fail_next(mode, retry_after=4, error="channel_not_found", delay=2.0)
    with pytest.raises(exc) as info:
        hook.post(None, MSG, "k")
    if mode == "rate_limited":
        assert info.value.retry_after == 4.0
    if mode == "error":
        assert info.value.reason == "channel_not_found"
    assert len(standin.calls_to("webhook")) == 1


# ---------------------------------------------------------------- building from the environment, secrets


def test_notifier_from_env_order(standin):
    dest = Destination(channel_env="SLACK_CHANNEL", webhook_env="HK_WEBHOOK")
    env = {"SLACK_BOT_TOKEN": standin.token, "SLACK_API_URL": standin.api_url, "SLACK_CHANNEL": "#hk"}
    n = notifier_from_env(env, dest, timeout=0.5)
    assert isinstance(n, SlackNotifier) and n.channel == "#hk"
    n.post(None, MSG, "k")  # the bound channel
    assert standin.messages("#hk")
    n = notifier_from_env({"SLACK_BOT_TOKEN": standin.token, "HK_WEBHOOK": standin.webhook_url}, dest)
    assert isinstance(n, WebhookNotifier)  # token but no channel: the watchlist's webhook
    n = notifier_from_env({"SLACK_WEBHOOK_URL": standin.webhook_url}, Destination(channel="#x"))
    assert isinstance(n, WebhookNotifier)
    assert isinstance(notifier_from_env({}, dest), ConsoleNotifier)
    assert isinstance(notifier_from_env({}, None), ConsoleNotifier)


def test_notifiers_check_what_they_need_when_built():
    with pytest.raises(ConfigError, match="does not look like a Slack token"):
        SlackNotifier("hunter2-secret")
    with pytest.raises(ConfigError, match="SLACK_API_URL"):
        SlackNotifier("xoxb-1", base_url="ftp://x/")
    with pytest.raises(ConfigError, match="not an http"):
        WebhookNotifier("hooks.slack.com/services/T/B/secretpart")


def test_secrets_are_masked(caplog):
    token, url = "xoxb-1111-2222-supersecret", "https://hooks.slack.com/services/T1/B2/supersecret"
    assert "supersecret" not in repr(SlackNotifier(token)) + repr(WebhookNotifier(url))
    assert mask_secret(token) == "xoxb-****" and mask_secret(url) == "https://hooks.slack.com/****"
    with pytest.raises(ConfigError) as info:
        WebhookNotifier("hooks.example/supersecret")
    assert "supersecret" not in str(info.value)
    dead = WebhookNotifier("http://127.0.0.1:9/services/T/B/supersecret", timeout=0.5)
    with caplog.at_level(logging.DEBUG):
        with pytest.raises(Transient) as err:
            dead.post(None, MSG, "k")
    assert "supersecret" not in str(err.value) + caplog.text
    record = logging.LogRecord("x", logging.DEBUG, __file__, 1, "url: %s", (url,), None)
    _Masking(url).filter(record)
    assert "supersecret" not in record.getMessage()


def test_console_notifier_is_clearly_marked():
    out = io.StringIO()
    n = ConsoleNotifier(out, channel="#reg")
    ev = make_event(evidence="Fees & charges <b>", published=datetime(2025, 7, 30, tzinfo=UTC))
    assert n.post(None, build_message(ev, "HK & CN", "new"), "k").startswith("console:")
    text = out.getvalue()
    assert text.startswith(CONSOLE_MARK + " (for #reg)\n")
    assert "== HK · ordinance · from 2025-08-01 ==" in text
    assert "Fees & charges <b>" in text and "HKMA press release (https://www.sfc.hk/en/News?ref=1&lang=en)" in text


# ---------------------------------------------------------------- rate limiter


class FakeClock:
    def __init__(self):
        self.now = 1000.0
        self.sleeps = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


def test_limiter_paces_one_channel_at_one_per_second():
    clock = FakeClock()
    limiter = ChannelRateLimiter(1.0, 1, clock=clock, sleep=clock.sleep)
    sent = []
    for _ in range(1000):
        limiter.acquire("#reg")
        sent.append(clock())
    gaps = [b - a for a, b in zip(sent, sent[1:], strict=False)]
    assert min(gaps) == pytest.approx(1.0) and max(gaps) == pytest.approx(1.0)
    assert sent[-1] - sent[0] == pytest.approx(999.0)


def test_limiter_channels_are_independent_and_burst_and_idle_work():
    clock = FakeClock()
    limiter = ChannelRateLimiter(1.0, 3, clock=clock, sleep=clock.sleep)
    assert [limiter.reserve("#a") for _ in range(5)] == [0, 0, 0, pytest.approx(1.0), pytest.approx(2.0)]
    assert limiter.reserve("#b") == 0
    clock.now += 100  # idle: the bucket refills, but never beyond the burst
    assert [limiter.reserve("#a") for _ in range(4)] == [0, 0, 0, pytest.approx(1.0)]


def test_limiter_penalize_pushes_the_next_slot_back():
    clock = FakeClock()
    limiter = ChannelRateLimiter(1.0, 1, clock=clock, sleep=clock.sleep)
    limiter.acquire("#a")
    limiter.penalize("#a", 30)
    assert limiter.delay("#a") == pytest.approx(30)
    assert limiter.acquire("#a") == pytest.approx(30)
    assert limiter.delay("#b") == 0


def test_limiter_gives_threads_distinct_slots():
    clock = FakeClock()  # frozen: every reservation is made at the same instant
    limiter = ChannelRateLimiter(10.0, 1, clock=clock, sleep=lambda s: None)
    waits, lock = [], threading.Lock()

    def worker():
        for _ in range(50):
            w = limiter.reserve("#reg")
            with lock:
                waits.append(w)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(round(w, 6) for w in waits) == [round(i * 0.1, 6) for i in range(400)]


def test_paced_posts_get_zero_429s_from_an_enforcing_standin(standin):
    standin.enforce_rate(per_second=20, tolerance=0.2)
    unpaced = SlackNotifier(standin.token, base_url=standin.api_url, timeout=2)
    with pytest.raises(RateLimited):  # the stand-in really enforces: unpaced posts bounce
        for i in range(5):
            unpaced.post("#control", MSG, f"c{i}")
    before = standin.rate_limited_count
    assert before >= 1
    limiter = ChannelRateLimiter(20.0, 1)
    paced = SlackNotifier(standin.token, base_url=standin.api_url, timeout=2, limiter=limiter)
    start = time.monotonic()
    for i in range(20):
        for channel in ("#a", "#b"):
            paced.post(channel, MSG, f"{channel}-{i}")
    elapsed = time.monotonic() - start
    assert standin.rate_limited_count == before
    assert len(standin.messages("#a")) == len(standin.messages("#b")) == 20
    assert 19 / 20 * 0.95 <= elapsed < 1.9  # paced per channel: ~0.95 s, not ~1.95 s


def test_rate_limited_post_penalizes_the_limiter(standin):
    limiter = ChannelRateLimiter(100.0, 1)
    n = SlackNotifier(standin.token, base_url=standin.api_url, timeout=1, limiter=limiter)
    standin.fail_next("rate_limited", retry_after=5)
    with pytest.raises(RateLimited):
        n.post("#reg", MSG, "k")
    assert 4.5 < limiter.delay("#reg") <= 5.0


def test_standin_records_json_for_inspection(standin, slack):
    slack.post("#reg", MSG, "k")
    assert json.loads(standin.calls_to("chat.postMessage")[0].raw)["channel"] == "#reg"


def test_limiter_counts_the_interval_from_the_end_of_a_slow_request():
    from tracker.alerts.ratelimit import ChannelRateLimiter

    clock = [100.0]
    limiter = ChannelRateLimiter(rate=1.0, clock=lambda: clock[0], sleep=lambda s: clock.__setitem__(0, clock[0] + s))
    assert limiter.acquire("#c") == 0.0
    clock[0] += 0.8  # the request takes 0.8 s in flight
    limiter.completed("#c")
    # the next request may not start until a full interval after the slow one finished
    assert abs(limiter.acquire("#c") - 1.0) < 1e-9
