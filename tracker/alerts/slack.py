"""Notifiers: Slack Web API (bot token), incoming webhook, and the console.

Each notifier checks what it needs when it is built (apprise style) — a token that looks like
one, an http(s) URL — so a misconfiguration fails at start, not when the first alert is due,
and each masks its secret in ``repr`` and in slack-sdk's own log lines.

Delivery errors and the Notifier protocol are in tracker.alerts.notifier.

slack-sdk's retry handlers are switched off: its connection-error handler retries on a reset
*after* the request was sent (a double post, since chat.postMessage has no idempotency key),
and its rate-limit handler sleeps in the calling thread. The outbox owns retries.
Every post carries message metadata ``{"event_type": "tracker_alert", "event_payload":
{"alert_key": ...}}`` so :meth:`SlackNotifier.find_posted` can find it again through
conversations.history (or conversations.replies for a thread reply); the bot needs the
channels:history (groups:history for private channels) scope for that.
"""

from __future__ import annotations

import html
import http.client
import itertools
import logging
import re
import sys
import time
from collections.abc import Mapping
from typing import Any, TextIO
from urllib.error import URLError
from urllib.parse import urlsplit

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.webhook import WebhookClient

from tracker.alerts.message import SlackMessage
from tracker.alerts.notifier import Notifier, Permanent, RateLimited, Transient, UnknownOutcome, mask_secret
from tracker.alerts.ratelimit import ChannelRateLimiter, SharedChannelPacer
from tracker.alerts.watchlists import Destination
from tracker.errors import AlertError, ConfigError

__all__ = [
    "RateLimited",
    "Transient",
    "UnknownOutcome",
    "Permanent",
    "Notifier",
    "SlackNotifier",
    "WebhookNotifier",
    "ConsoleNotifier",
    "CONSOLE_MARK",
    "METADATA_EVENT_TYPE",
    "notifier_from_env",
    "mask_secret",
]

log = logging.getLogger(__name__)
CONSOLE_MARK = "[console alert — no Slack token set]"
METADATA_EVENT_TYPE = "tracker_alert"
# ok:false errors after which the message may exist: Slack's docs say "it's possible some
# aspect of the operation succeeded before the error was raised".
_MAYBE_POSTED = {"internal_error", "fatal_error"}
_RETRYABLE = {"service_unavailable", "request_timeout", "ratelimited"}


class _Masking(logging.Filter):
    """Rewrites any record that would carry the secret (slack-sdk logs URLs at debug level)."""

    def __init__(self, secret: str) -> None:
        super().__init__()
        self._secret, self._masked = secret, mask_secret(secret)

    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        if self._secret in text:
            record.msg, record.args = text.replace(self._secret, self._masked), None
        return True


def _sdk_logger(secret: str) -> logging.Logger:
    """A private logger for one slack-sdk client: masks the secret and stays quiet.

    slack-sdk logs every failure at ERROR before raising; the typed error we raise carries the
    same cause, so its own lines would only double the noise (and its debug lines hold URLs).
    """
    lg = logging.Logger("tracker.alerts.slack.sdk", logging.CRITICAL)
    lg.parent = log  # propagates to tracker's handlers without touching the global registry
    lg.addFilter(_Masking(secret))
    return lg


def _transport_error(exc: BaseException, what: str) -> AlertError:
    """Map urllib's failures by *when* they happened; see the module docstring."""
    if isinstance(exc, URLError):  # urllib wraps errors raised while connecting or sending
        return Transient(f"{what}: connection failed before the request was sent: {exc.reason}", sent=False)
    if isinstance(exc, (TimeoutError, ConnectionError, http.client.HTTPException, OSError)):
        return UnknownOutcome(f"{what}: no answer after the request was sent ({type(exc).__name__})")
    if isinstance(exc, SlackClientError):
        return Permanent(f"client_error: {exc}")
    return UnknownOutcome(f"{what}: unexpected {type(exc).__name__}")


def _retry_after(headers: Mapping[str, Any]) -> float:
    for key in ("Retry-After", "retry-after"):
        value = headers.get(key)
        if isinstance(value, list):
            value = value[0] if value else None
        if value is not None:
            try:
                return max(float(value), 0.0)
            except ValueError:
                break
    return 1.0


def _api_error(exc: SlackApiError, what: str) -> AlertError:
    resp = exc.response
    status = resp.status_code
    error = resp.get("error") if isinstance(resp.data, dict) else None
    if status == 429 or error == "ratelimited":
        return RateLimited(_retry_after(resp.headers), what)
    if status >= 500:
        return Transient(f"{what}: HTTP {status}", sent=True)
    if error in _MAYBE_POSTED:
        return UnknownOutcome(f"{what}: Slack reported {error}")
    if error in _RETRYABLE:
        return Transient(f"{what}: Slack reported {error}", sent=error != "request_timeout")
    return Permanent(str(error or f"http_{status}"))


def check_token(token: str) -> None:
    """Refuse a SLACK_BOT_TOKEN that cannot be a bot token (masked in the message)."""
    if not token or not token.startswith("xox") or any(c.isspace() for c in token):
        raise ConfigError(f"SLACK_BOT_TOKEN: {mask_secret(token)!r} does not look like a Slack token (xoxb-...)")


class SlackNotifier:
    """chat.postMessage with a bot token; the only notifier that can thread and reconcile."""

    kind = "slack"
    can_reconcile = True

    def __init__(
        self,
        token: str,
        base_url: str | None = None,
        timeout: float = 10,
        *,
        channel: str | None = None,
        limiter: ChannelRateLimiter | SharedChannelPacer | None = None,
    ) -> None:
        check_token(token)
        if base_url is not None:
            if urlsplit(base_url).scheme not in ("http", "https"):
                raise ConfigError(f"SLACK_API_URL: {base_url!r} is not an http(s) URL")
            base_url = base_url if base_url.endswith("/") else base_url + "/"
        if timeout <= 0:
            raise ConfigError(f"Slack timeout must be positive, got {timeout}")
        self._token = token
        self.base_url = base_url
        self.timeout = timeout
        self.channel = channel
        self.limiter = limiter
        kwargs: dict[str, Any] = {"base_url": base_url} if base_url else {}
        # timeout is typed int in slack-sdk but handed to urllib, which takes fractions.
        self._client = WebClient(token=token, timeout=timeout, retry_handlers=[], logger=_sdk_logger(token), **kwargs)  # type: ignore[arg-type]

    def __repr__(self) -> str:
        return (
            f"SlackNotifier(token={mask_secret(self._token)!r}, base_url={self.base_url!r}, channel={self.channel!r})"
        )

    def _channel(self, channel: str | None) -> str:
        target = channel or self.channel
        if not target:
            raise Permanent("no_channel_configured")
        return target

    def check(self) -> dict[str, Any]:
        """auth.test: who the token belongs to (a cheap start-up check that costs no message)."""
        try:
            resp = self._client.auth_test()
        except SlackApiError as exc:
            raise _api_error(exc, "auth.test") from None
        except Exception as exc:  # noqa: BLE001 — mapped to a typed error
            raise _transport_error(exc, "auth.test") from None
        return {k: resp.get(k) for k in ("team", "team_id", "user", "user_id", "bot_id")}

    def post(self, channel: str | None, message: SlackMessage, alert_key: str, thread_ts: str | None = None) -> str:
        """Post once (no retries here) and return Slack's ``ts``; errors are typed."""
        target = self._channel(channel)
        if self.limiter is not None:
            self.limiter.acquire(target)
        kwargs: dict[str, Any] = {
            "channel": target,
            "text": message.text,
            "blocks": message.blocks,
            "unfurl_links": False,
            "unfurl_media": False,
            "metadata": {"event_type": METADATA_EVENT_TYPE, "event_payload": {"alert_key": alert_key}},
        }
        if thread_ts:
            kwargs["thread_ts"] = thread_ts
        try:
            resp = self._client.chat_postMessage(**kwargs)
        except SlackApiError as exc:
            err = _api_error(exc, "chat.postMessage")
            if isinstance(err, RateLimited) and self.limiter is not None:
                self.limiter.penalize(target, err.retry_after)
            raise err from None
        except Exception as exc:  # noqa: BLE001 — mapped to a typed error
            raise _transport_error(exc, "chat.postMessage") from None
        finally:
            if self.limiter is not None:
                self.limiter.completed(target)
        ts = resp.get("ts")
        if not isinstance(ts, str) or not ts:
            raise UnknownOutcome("chat.postMessage: ok without a ts")
        log.info("slack posted channel=%s alert_key=%s ts=%s", target, alert_key, ts)
        return ts

    def find_posted(
        self, channel: str | None, alert_key: str, oldest: float, thread_ts: str | None = None
    ) -> str | None:
        """The ``ts`` of a message this tracker posted with ``alert_key`` since ``oldest``, or None.

        Call it after an UnknownOutcome, before any retry: None means the post did not land
        (Slack's history is consistent once chat.postMessage has answered or timed out).
        Thread replies are not in conversations.history, so pass ``thread_ts`` for them.
        """
        target = self._channel(channel)
        method = "conversations.replies" if thread_ts else "conversations.history"
        cursor: str | None = None
        for _ in range(100):  # 100 pages of 200: far more than any reconcile window holds
            params: dict[str, Any] = {
                "channel": target,
                "oldest": f"{oldest:.6f}",
                "limit": 200,
                "include_all_metadata": True,
            }
            if thread_ts:
                params["ts"] = thread_ts
            if cursor:
                params["cursor"] = cursor
            try:
                resp = self._client.api_call(method, http_verb="GET", params=params)
            except SlackApiError as exc:
                raise _api_error(exc, method) from None
            except Exception as exc:  # noqa: BLE001 — mapped to a typed error
                raise _transport_error(exc, method) from None
            for msg in resp.get("messages") or []:
                meta = msg.get("metadata") or {}
                payload = meta.get("event_payload") or {}
                if meta.get("event_type") == METADATA_EVENT_TYPE and payload.get("alert_key") == alert_key:
                    return str(msg["ts"])
            cursor = (resp.get("response_metadata") or {}).get("next_cursor") or None
            if not cursor:
                return None
        return None


class WebhookNotifier:
    """An incoming webhook: one fixed channel, no ts, no threads, no way to reconcile."""

    kind = "webhook"
    can_reconcile = False

    def __init__(self, url: str, timeout: float = 10, *, channel: str | None = None) -> None:
        parts = urlsplit(url or "")
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ConfigError(f"webhook URL {mask_secret(url)!r} is not an http(s) URL")
        self._url = url
        self.channel = channel
        self._client = WebhookClient(url, timeout=timeout, retry_handlers=[], logger=_sdk_logger(url))  # type: ignore[arg-type]
        self._seq = itertools.count(1)

    def __repr__(self) -> str:
        return f"WebhookNotifier(url={mask_secret(self._url)!r})"

    def post(self, channel: str | None, message: SlackMessage, alert_key: str, thread_ts: str | None = None) -> str:
        """Send once; returns a local id ("webhook:…"), since webhooks give no ts."""
        try:
            resp = self._client.send(
                text=message.text, blocks=message.blocks, unfurl_links=False, unfurl_media=False,
                metadata={"event_type": METADATA_EVENT_TYPE, "event_payload": {"alert_key": alert_key}},
            )  # fmt: skip
        except Exception as exc:  # noqa: BLE001 — mapped to a typed error
            raise _transport_error(exc, "webhook") from None
        if resp.status_code == 429:
            raise RateLimited(_retry_after(resp.headers or {}), "webhook")
        if resp.status_code >= 500:
            raise Transient(f"webhook: HTTP {resp.status_code}", sent=True)
        if resp.status_code != 200:
            reason = re.sub(r"[^a-z0-9_]+", "_", (resp.body or "").strip().lower())[:60] or f"http_{resp.status_code}"
            raise Permanent(reason)
        log.info("webhook posted alert_key=%s", alert_key)
        return f"webhook:{time.time():.6f}:{next(self._seq)}"

    def find_posted(
        self, channel: str | None, alert_key: str, oldest: float, thread_ts: str | None = None
    ) -> str | None:
        """Webhooks cannot read the channel: always None; check ``can_reconcile`` first."""
        return None


_LINK = re.compile(r"<([^|<>]+)\|([^<>]*)>")


class ConsoleNotifier:
    """Prints alerts, clearly marked, when no Slack destination is configured."""

    kind = "console"
    can_reconcile = False

    def __init__(self, stream: TextIO | None = None, *, channel: str | None = None) -> None:
        self._stream = stream  # None: sys.stdout at post time, so redirection and capture work
        self.channel = channel
        self._seq = itertools.count(1)

    def __repr__(self) -> str:
        return "ConsoleNotifier()"

    def render(self, message: SlackMessage) -> str:
        """The message as terminal text: links as "name (url)", Slack entities decoded."""
        lines = []
        for block in message.blocks:
            texts = (
                [block["text"]["text"]] if "text" in block else [e.get("text", "") for e in block.get("elements", [])]
            )
            for t in texts:
                t = _LINK.sub(lambda m: f"{m[2]} ({m[1]})", t)
                lines.append(f"== {t} ==" if block.get("type") == "header" else t)
        # entities are decoded only here, for a terminal; control characters were stripped
        return html.unescape("\n".join(lines) if lines else message.text)

    def post(self, channel: str | None, message: SlackMessage, alert_key: str, thread_ts: str | None = None) -> str:
        stream = self._stream or sys.stdout
        where = f" (for {channel or self.channel})" if channel or self.channel else ""
        stream.write(f"{CONSOLE_MARK}{where}\n{self.render(message)}\n\n")
        stream.flush()
        return f"console:{next(self._seq)}"

    def find_posted(
        self, channel: str | None, alert_key: str, oldest: float, thread_ts: str | None = None
    ) -> str | None:
        return None


def notifier_from_env(
    environ: Mapping[str, str],
    destination: Destination | None,
    *,
    timeout: float = 10,
    limiter: ChannelRateLimiter | SharedChannelPacer | None = None,
    stream: TextIO | None = None,
) -> SlackNotifier | WebhookNotifier | ConsoleNotifier:
    """Pick the destination's notifier: bot token + channel, then a webhook, then the console.

    Order: SLACK_BOT_TOKEN with the destination's channel (SLACK_API_URL overrides the API
    base URL, for stand-ins); the destination's own webhook_env; SLACK_WEBHOOK_URL; console.
    SLACK_TIMEOUT (seconds) overrides ``timeout``.
    """
    token = environ.get("SLACK_BOT_TOKEN", "").strip()
    channel = destination.channel_from(environ) if destination else None
    raw_timeout = environ.get("SLACK_TIMEOUT", "").strip()
    if raw_timeout:  # seconds to wait for Slack's answer; tests and stand-ins shorten it
        try:
            timeout = float(raw_timeout)
        except ValueError:
            raise ConfigError(f"SLACK_TIMEOUT: expected a number of seconds, got {raw_timeout!r}") from None
        if not 0 < timeout <= 300:
            raise ConfigError(f"SLACK_TIMEOUT: must be between 0 and 300 seconds, got {raw_timeout!r}")
    if token and channel:
        base_url = environ.get("SLACK_API_URL", "").strip() or None
        return SlackNotifier(token, base_url, timeout, channel=channel, limiter=limiter)
    if token and not channel:
        check_token(token)  # a malformed token is the problem to report, not the missing channel
        log.warning("SLACK_BOT_TOKEN is set but the destination has no channel; trying webhooks")
    hook = (destination.webhook_from(environ) if destination else None) or environ.get("SLACK_WEBHOOK_URL", "").strip()
    if hook:
        return WebhookNotifier(hook, timeout, channel=channel)
    return ConsoleNotifier(stream, channel=channel)
