"""FetchError subclasses raised by the sources package.

    FetchError (tracker.errors)
    ├── HTTPStatusError     the server answered 4xx/5xx (``.status``)
    │   └── RetryLater      429 or 503: wait ``.retry_after`` seconds (None: use the backoff)
    ├── FetchTimeout        connect/read timeout or the overall deadline
    ├── BodyTooLarge        body (after decompression) above ``max_body_bytes``
    ├── RedirectError       too many redirects, a loop, or a non-http(s) target
    ├── RobotsDisallowed    robots.txt forbids the URL for our User-Agent
    └── ParseError          the bytes arrived but are not a usable feed, page or JSON

The scheduler needs the *kind* of failure (a 429 must not be retried straight into the limit),
the user needs one line naming the source and the URL: ``with_prefix`` adds the source name
without losing the type or the attributes.
"""

from __future__ import annotations

import copy
from typing import TypeVar

from tracker.errors import FetchError

__all__ = [
    "FetchError",
    "HTTPStatusError",
    "RetryLater",
    "FetchTimeout",
    "BodyTooLarge",
    "RedirectError",
    "RobotsDisallowed",
    "ParseError",
    "with_prefix",
    "one_line",
]

E = TypeVar("E", bound=BaseException)


def one_line(text: object, limit: int = 300) -> str:
    """Collapse whitespace so an error from a library (feedparser, json) stays on one line."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


class _SourceError(FetchError):
    def __init__(self, message: str, *, url: str | None = None) -> None:
        super().__init__(one_line(message, 1000))
        self.url = url


class HTTPStatusError(_SourceError):
    """The server answered with an error status."""

    def __init__(self, message: str, *, url: str | None = None, status: int = 0) -> None:
        super().__init__(message, url=url)
        self.status = status


class RetryLater(HTTPStatusError):
    """429 or 503. ``retry_after`` is the server's Retry-After in seconds, None when absent."""

    def __init__(
        self, message: str, *, url: str | None = None, status: int = 429, retry_after: float | None = None
    ) -> None:
        super().__init__(message, url=url, status=status)
        self.retry_after = retry_after


class FetchTimeout(_SourceError):
    """A connect/read timeout or the overall deadline of one request."""


class BodyTooLarge(_SourceError):
    """The body, counted after decompression, exceeded the cap."""


class RedirectError(_SourceError):
    """Too many redirects, a redirect loop, or a redirect to a scheme other than http(s)."""


class RobotsDisallowed(_SourceError):
    """robots.txt disallows the URL (set ``robots = false`` on the source to override)."""


class ParseError(_SourceError):
    """The response arrived but could not be parsed as the source kind expects."""


def with_prefix(exc: E, prefix: str) -> E:
    """A copy of ``exc`` whose message starts with ``prefix`` (type and attributes kept)."""
    new = copy.copy(exc)
    message = str(exc)
    if not message.startswith(prefix):
        new.args = (f"{prefix}: {message}",)
    return new
