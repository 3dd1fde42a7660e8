"""What the outbox needs from a destination: the Notifier protocol and the delivery errors.

Delivery errors are typed so the outbox can act on each without reading messages:

    AlertError
    ├── RateLimited(retry_after)  429: keep the row pending until Retry-After
    ├── Transient(sent)           5xx, or the connection failed while connecting/sending;
    │                             ``sent`` is True when the server got the whole request (5xx),
    │                             so reconciling before the retry is worth one history call
    ├── UnknownOutcome            timeout / reset while waiting for the answer: the message
    │                             may be in the channel; reconcile with find_posted, never
    │                             re-post blindly
    └── Permanent(reason)         channel_not_found, invalid_auth, not_in_channel, ...
"""

from __future__ import annotations

from typing import Protocol
from urllib.parse import urlsplit

from tracker.alerts.message import SlackMessage
from tracker.errors import AlertError

__all__ = ["RateLimited", "Transient", "UnknownOutcome", "Permanent", "Notifier", "mask_secret"]


class RateLimited(AlertError):
    """Slack answered 429: nothing was posted; try again after ``retry_after`` seconds."""

    def __init__(self, retry_after: float, what: str = "chat.postMessage") -> None:
        super().__init__(f"{what}: rate limited, retry after {retry_after:g}s")
        self.retry_after = retry_after


class Transient(AlertError):
    """A failure worth retrying with backoff; ``sent`` tells whether Slack got the request."""

    def __init__(self, message: str, *, sent: bool) -> None:
        super().__init__(message)
        self.sent = sent


class UnknownOutcome(AlertError):
    """The request went out but no answer came back: the message may or may not exist."""


class Permanent(AlertError):
    """Retrying will not help until someone fixes the configuration; ``reason`` is Slack's code."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"Slack refused the message: {reason}")
        self.reason = reason


class Notifier(Protocol):
    """What the outbox needs from a destination."""

    kind: str  # "slack", "webhook" or "console"
    channel: str | None  # the channel this notifier was resolved for, if any
    can_reconcile: bool  # find_posted can resolve an UnknownOutcome

    def post(self, channel: str | None, message: SlackMessage, alert_key: str, thread_ts: str | None = None) -> str: ...

    def find_posted(
        self, channel: str | None, alert_key: str, oldest: float, thread_ts: str | None = None
    ) -> str | None: ...


def mask_secret(secret: str) -> str:
    """A form of a token or webhook URL that identifies its kind but reveals nothing usable."""
    if not secret:
        return ""
    if "://" in secret:
        parts = urlsplit(secret)
        return f"{parts.scheme}://{parts.hostname or '?'}/****"
    prefix = secret.split("-", 1)[0] if "-" in secret[:6] else ""
    return f"{prefix}-****" if prefix else "****"
