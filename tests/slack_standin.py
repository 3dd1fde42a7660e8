"""A real HTTP server on 127.0.0.1 standing in for the Slack Web API and an incoming webhook.

slack-sdk's own clients talk to it (``WebClient(base_url=standin.api_url)``,
``WebhookClient(standin.webhook_url)``), so the tests exercise the real request encoding,
headers, timeouts and error parsing, never slack.com. It implements chat.postMessage,
conversations.history, conversations.replies and auth.test; it records every call with its
parsed body, keeps posted messages (with ts and metadata) per channel, and can be told to
misbehave for the next N calls:

    standin.fail_next("rate_limited", times=2, retry_after=3)
    standin.fail_next("server_error")
    standin.fail_next("error", error="channel_not_found")
    standin.fail_next("timeout_after_accept", delay=2.0)   # stores the message, answers late
    standin.fail_next("disconnect_after_accept")            # stores it, closes without answering
    standin.enforce_rate(per_second=1.0)                    # 429 when a channel goes faster

and can hold the next chat.postMessage at a chosen stage, so that a test acts (kills the
client, say) exactly while a post is in flight instead of guessing when one is:

    hold = standin.hold_next_post("after_store")  # or "before_store", "after_answer"
    assert hold.reached.wait(60)                  # a post is now at that stage
    ...                                           # kill the daemon
    hold.release()

Usage: ``with SlackStandIn() as s: ...`` (also used by bench/ and the crash test).
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

__all__ = ["SlackStandIn", "Call", "Fault", "Hold"]

WEBHOOK_PATH = "/services/T000TEST/B000TEST/standin-webhook-secret"
FAULT_MODES = ("rate_limited", "server_error", "error", "timeout_after_accept", "disconnect_after_accept")
HOLD_STAGES = ("before_store", "after_store", "after_answer")


@dataclass
class Call:
    """One request as the stand-in saw it."""

    method: str  # HTTP method
    path: str
    endpoint: str  # "chat.postMessage", "webhook", ...
    headers: dict[str, str]
    body: dict[str, Any]  # JSON, form and query parameters merged
    raw: bytes
    at: float
    status: int = 0  # filled in when answered


@dataclass
class Fault:
    mode: str
    remaining: int
    endpoints: tuple[str, ...]
    retry_after: float = 1.0
    error: str = "channel_not_found"
    delay: float = 2.0


@dataclass
class Hold:
    """One post held at ``stage``: ``reached`` is set when a post gets there.

    - ``before_store``: the request has arrived and nothing is stored; once released the
      connection is closed unanswered and the message is never stored (the client is gone).
    - ``after_store``: the message is stored and the answer waits for ``release()``.
    - ``after_answer``: the answer has been written; nothing waits.
    """

    stage: str
    reached: threading.Event = field(default_factory=threading.Event)
    released: threading.Event = field(default_factory=threading.Event)

    def release(self) -> None:
        self.released.set()


@dataclass
class _State:
    calls: list[Call] = field(default_factory=list)
    messages: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    webhook_messages: list[dict[str, Any]] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    holds: list[Hold] = field(default_factory=list)
    last_post: dict[str, float] = field(default_factory=dict)
    rate_limited: int = 0
    last_ts: float = 0.0


class SlackStandIn:
    """The server; thread-safe; start/stop or use as a context manager."""

    def __init__(self, token: str = "xoxb-standin-token", channels: set[str] | None = None) -> None:
        self.token = token
        self.channels = channels  # None: every channel exists
        self._state = _State()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._min_interval: float | None = None
        self._tolerance = 0.0
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> SlackStandIn:
        standin = self

        class Handler(_Handler):
            owner = standin

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), name="slack-standin", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # wakes handlers sleeping in timeout_after_accept
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def __enter__(self) -> SlackStandIn:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        assert self._server is not None, "start() first"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def api_url(self) -> str:
        """For ``WebClient(base_url=...)`` and SLACK_API_URL."""
        return self.url + "/api/"

    @property
    def webhook_url(self) -> str:
        return self.url + WEBHOOK_PATH

    # ------------------------------------------------------------------ control
    def fail_next(
        self,
        mode: str,
        times: int = 1,
        *,
        endpoints: tuple[str, ...] = ("chat.postMessage", "webhook"),
        retry_after: float = 1.0,
        error: str = "channel_not_found",
        delay: float = 2.0,
    ) -> None:
        """Answer the next ``times`` calls to ``endpoints`` with a fault (queued in order)."""
        if mode not in FAULT_MODES:
            raise ValueError(f"unknown fault {mode!r} (known: {', '.join(FAULT_MODES)})")
        with self._lock:
            self._state.faults.append(Fault(mode, times, endpoints, retry_after, error, delay))

    def hold_next_post(self, stage: str) -> Hold:
        """Hold the next chat.postMessage at ``stage`` (see Hold); holds queue in order."""
        if stage not in HOLD_STAGES:
            raise ValueError(f"unknown hold stage {stage!r} (known: {', '.join(HOLD_STAGES)})")
        hold = Hold(stage)
        with self._lock:
            self._state.holds.append(hold)
        return hold

    def _take_hold(self, endpoint: str) -> Hold | None:
        if endpoint != "chat.postMessage":
            return None
        with self._lock:
            return self._state.holds.pop(0) if self._state.holds else None

    def _wait_release(self, hold: Hold) -> None:
        """Wait for release() or for the server to stop, whichever comes first."""
        while not hold.released.wait(0.05) and not self._stopping.is_set():
            pass

    def enforce_rate(self, per_second: float | None = 1.0, tolerance: float = 0.05) -> None:
        """Answer 429 to a post that comes sooner than 1/per_second after the channel's last.

        ``tolerance`` is a fraction of the interval forgiven for network jitter; None disables.
        """
        with self._lock:
            self._min_interval = None if per_second is None else 1.0 / per_second
            self._tolerance = tolerance

    def reset(self) -> None:
        with self._lock:
            self._state = _State()

    # ------------------------------------------------------------------ inspection
    @property
    def calls(self) -> list[Call]:
        with self._lock:
            return list(self._state.calls)

    def calls_to(self, endpoint: str) -> list[Call]:
        return [c for c in self.calls if c.endpoint == endpoint]

    def messages(self, channel: str) -> list[dict[str, Any]]:
        """Messages in ``channel``, oldest first (thread replies included)."""
        with self._lock:
            return [dict(m) for m in self._state.messages.get(channel, [])]

    @property
    def webhook_messages(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._state.webhook_messages)

    @property
    def rate_limited_count(self) -> int:
        """How many 429s the rate enforcement (not fail_next) has answered."""
        with self._lock:
            return self._state.rate_limited

    # ------------------------------------------------------------------ internals
    def _take_fault(self, endpoint: str) -> Fault | None:
        for fault in self._state.faults:
            if endpoint in fault.endpoints and fault.remaining > 0:
                fault.remaining -= 1
                if fault.remaining == 0:
                    self._state.faults.remove(fault)
                return fault
        return None

    def _next_ts(self) -> str:
        ts = max(time.time(), self._state.last_ts + 0.000001)
        self._state.last_ts = ts
        return f"{ts:.6f}"

    def _too_fast(self, channel: str, now: float) -> bool:
        if self._min_interval is None:
            return False
        last = self._state.last_post.get(channel)
        if last is not None and now - last < self._min_interval * (1 - self._tolerance):
            return True
        self._state.last_post[channel] = now
        return False

    def handle(self, call: Call) -> tuple[int, dict[str, str], Any, float]:
        """Decide the answer: (status, headers, body, delay before answering)."""
        with self._lock:
            self._state.calls.append(call)
            fault = self._take_fault(call.endpoint)
            if fault and fault.mode == "rate_limited":
                return (
                    429,
                    {"Retry-After": f"{fault.retry_after:g}"},
                    _api_or_text(call, {"ok": False, "error": "ratelimited"}, "rate_limited"),
                    0.0,
                )
            if fault and fault.mode == "server_error":
                return 500, {}, "<html>Internal Server Error</html>", 0.0
            if fault and fault.mode == "error":
                return (
                    (200, {}, {"ok": False, "error": fault.error}, 0.0)
                    if call.endpoint != "webhook"
                    else (404, {}, fault.error, 0.0)
                )
            if call.endpoint == "webhook":
                if self._too_fast("webhook", call.at):
                    self._state.rate_limited += 1
                    return 429, {"Retry-After": "1"}, "rate_limited", 0.0
                self._state.webhook_messages.append(call.body)
                return _accepted(fault, "ok")
            if call.headers.get("authorization") != f"Bearer {self.token}":
                return (
                    200,
                    {},
                    {"ok": False, "error": "invalid_auth" if "authorization" in call.headers else "not_authed"},
                    0.0,
                )
            if call.endpoint == "auth.test":
                return (
                    200,
                    {},
                    {
                        "ok": True,
                        "team": "Stand-in",
                        "team_id": "T000TEST",
                        "user": "tracker",
                        "user_id": "U000BOT",
                        "bot_id": "B000BOT",
                    },
                    0.0,
                )
            channel = str(call.body.get("channel", ""))
            if not channel or (self.channels is not None and channel not in self.channels):
                return 200, {}, {"ok": False, "error": "channel_not_found"}, 0.0
            if call.endpoint == "chat.postMessage":
                if self._too_fast(channel, call.at):
                    self._state.rate_limited += 1
                    return 429, {"Retry-After": "1"}, {"ok": False, "error": "ratelimited"}, 0.0
                return _accepted(fault, self._store(channel, call.body))
            if call.endpoint in ("conversations.history", "conversations.replies"):
                return 200, {}, self._history(channel, call.body, replies=call.endpoint == "conversations.replies"), 0.0
            return 200, {}, {"ok": False, "error": "unknown_method"}, 0.0

    def _store(self, channel: str, body: dict[str, Any]) -> dict[str, Any]:
        ts = self._next_ts()
        msg: dict[str, Any] = {
            "type": "message",
            "ts": ts,
            "text": body.get("text", ""),
            "user": "U000BOT",
            "bot_id": "B000BOT",
        }
        for key in ("blocks", "metadata", "thread_ts"):
            if body.get(key):
                msg[key] = _maybe_json(body[key])
        self._state.messages.setdefault(channel, []).append(msg)
        return {"ok": True, "channel": channel, "ts": ts, "message": msg}

    def _history(self, channel: str, params: dict[str, Any], *, replies: bool) -> dict[str, Any]:
        msgs = self._state.messages.get(channel, [])
        oldest = float(params.get("oldest") or 0)
        if replies:
            root = str(params.get("ts", ""))
            msgs = [m for m in msgs if m["ts"] == root or m.get("thread_ts") == root]
        else:
            msgs = [m for m in msgs if "thread_ts" not in m][::-1]  # newest first, no replies
        msgs = [m for m in msgs if float(m["ts"]) > oldest]
        with_meta = str(params.get("include_all_metadata", "")).lower() in ("1", "true")
        start = int(params.get("cursor") or 0)
        limit = int(params.get("limit") or 100)
        page = [
            m if with_meta else {k: v for k, v in m.items() if k != "metadata"} for m in msgs[start : start + limit]
        ]
        more = start + limit < len(msgs)
        return {
            "ok": True,
            "messages": page,
            "has_more": more,
            "response_metadata": {"next_cursor": str(start + limit) if more else ""},
        }


def _accepted(fault: Fault | None, payload: Any) -> tuple[int, dict[str, str], Any, float]:
    """The answer to a call that was accepted, as the fault (if any) wants it delivered."""
    if fault is not None and fault.mode == "disconnect_after_accept":
        return 0, {}, payload, 0.0  # status 0: close the connection without answering
    return 200, {}, payload, fault.delay if fault else 0.0


def _maybe_json(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _api_or_text(call: Call, api: dict[str, Any], text: str) -> Any:
    return text if call.endpoint == "webhook" else api


class _Handler(BaseHTTPRequestHandler):
    owner: SlackStandIn
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 — keep tests quiet
        pass

    def _serve(self) -> None:
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        body: dict[str, Any] = dict(parse_qsl(parts.query))
        ctype = self.headers.get("Content-Type", "")
        if raw and "json" in ctype:
            body.update(json.loads(raw.decode("utf-8")))
        elif raw:
            body.update(parse_qsl(raw.decode("utf-8")))
        if parts.path == WEBHOOK_PATH:
            endpoint = "webhook"
        elif parts.path.startswith("/api/"):
            endpoint = parts.path[len("/api/") :]
        else:
            endpoint = "unknown"
        headers = {k.lower(): v for k, v in self.headers.items()}
        call = Call(self.command, parts.path, endpoint, headers, body, raw, time.time())
        hold = self.owner._take_hold(endpoint)
        if hold is not None and hold.stage == "before_store":
            with self.owner._lock:
                self.owner._state.calls.append(call)
            hold.reached.set()
            self.owner._wait_release(hold)
            self.close_connection = True  # never stored, never answered
            return
        if endpoint == "unknown":
            status, extra, payload, delay = 404, {}, "not found", 0.0
            with self.owner._lock:
                self.owner._state.calls.append(call)
        else:
            status, extra, payload, delay = self.owner.handle(call)
        if hold is not None and hold.stage == "after_store":
            hold.reached.set()
            self.owner._wait_release(hold)
        if delay and self.owner._stopping.wait(delay):
            return
        call.status = status
        if status == 0:
            self.close_connection = True
            return
        data = (json.dumps(payload) if not isinstance(payload, str) else payload).encode("utf-8")
        try:
            self.send_response(status)
            self.send_header(
                "Content-Type",
                "application/json; charset=utf-8" if not isinstance(payload, str) else "text/plain; charset=utf-8",
            )
            self.send_header("Content-Length", str(len(data)))
            for k, v in extra.items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout_after_accept): that is the point
        finally:
            if hold is not None and hold.stage == "after_answer":
                hold.reached.set()

    do_GET = _serve
    do_POST = _serve
