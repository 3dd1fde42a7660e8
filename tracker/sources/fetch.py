"""One shared httpx client, used politely and defensively.

httpx alone reads with a per-chunk timeout, follows no redirects and keeps any body size:
this module adds the overall deadline, manual redirects (http/https only, loop detection),
a cap on the decoded body (compressed bodies included), conditional GET, Retry-After, per-host
politeness and robots.txt. Errors are FetchError subclasses with one-line messages.
"""

from __future__ import annotations

import email.utils
import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from urllib.parse import urljoin

import httpx

from tracker.config import FetchSettings
from tracker.sources.charset import decode_body
from tracker.sources.compression import CorruptBody, TooLarge, UnsupportedEncoding, decoded_chunks
from tracker.sources.errors import (
    BodyTooLarge,
    FetchError,
    FetchTimeout,
    HTTPStatusError,
    RedirectError,
    RetryLater,
    RobotsDisallowed,
    one_line,
)
from tracker.sources.model import Validators
from tracker.sources.politeness import HostGates, RobotsCache
from tracker.sources.urls import is_http_url

__all__ = ["Fetcher", "Response", "parse_retry_after"]

log = logging.getLogger(__name__)

_REDIRECTS = (301, 302, 303, 307, 308)
_MAX_CRAWL_DELAY = 60.0
_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/html;q=0.9, "
    "application/json;q=0.9, */*;q=0.5"
)


@dataclass(frozen=True)
class Response:
    """A fully read response. ``text`` is decoded with the declared charset (see charset.py)."""

    status: int
    headers: httpx.Headers
    body: bytes
    url: str  # the final URL, after redirects
    elapsed: float = 0.0

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def content_type(self) -> str:
        return str(self.headers.get("content-type", ""))

    @cached_property
    def _decoded(self) -> tuple[str, str]:
        return decode_body(self.body, self.headers.get("content-type"))

    @property
    def text(self) -> str:
        return self._decoded[0]

    @property
    def encoding(self) -> str:
        return self._decoded[1]

    @property
    def validators(self) -> Validators:
        return Validators(etag=self.headers.get("etag"), last_modified=self.headers.get("last-modified"))


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Retry-After as seconds from now: delta-seconds or an HTTP date; None when unusable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    now = time.time() if now is None else now
    return max(0.0, when.timestamp() - now)


class Fetcher:
    """Shared by every poll of a process; thread-safe (httpx.Client is, the gates lock).

    Pass ``client`` to aim at a test transport; otherwise one is built from ``settings`` and
    closed by ``close()``.
    """

    def __init__(self, settings: FetchSettings, client: httpx.Client | None = None) -> None:
        self.settings = settings
        self._own_client = client is None
        self.client = client or httpx.Client(
            http2=False,
            follow_redirects=False,
            limits=httpx.Limits(max_connections=64, max_keepalive_connections=32),
            trust_env=False,
        )
        self.gates = HostGates(settings.per_host_concurrency, settings.per_host_delay)
        self.robots = RobotsCache(settings.user_agent)

    def close(self) -> None:
        if self._own_client:
            self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- public -------------------------------------------------------------------------------

    def get(
        self,
        url: str,
        validators: Validators | None = None,
        *,
        respect_robots: bool = False,
        raise_for_status: bool = True,
        source: str = "-",
    ) -> Response:
        """GET ``url``, following redirects; 304 comes back as a Response (``not_modified``).

        Raises RetryLater on 429/503, HTTPStatusError on other 4xx/5xx (unless
        ``raise_for_status`` is False), FetchTimeout, BodyTooLarge, RedirectError,
        RobotsDisallowed, or FetchError for anything else at the transport level.
        ``source`` only labels the log lines.
        """
        if not is_http_url(url):
            raise FetchError(f"GET {url}: only http and https URLs can be fetched")
        seen: set[str] = set()
        current = url
        for _hop in range(self.settings.max_redirects + 1):
            if respect_robots:
                self._check_robots(current, source)
            response = self._once(current, validators, source)
            if response.status in _REDIRECTS and "location" in response.headers:
                seen.add(current)
                target = urljoin(current, response.headers["location"].strip())
                if not is_http_url(target):
                    raise RedirectError(f"GET {url}: redirect to a non-http(s) URL {target}", url=url)
                if target in seen:
                    raise RedirectError(f"GET {url}: redirect loop at {target}", url=url)
                log.debug("event=redirect source=%s url=%s to=%s status=%d", source, current, target, response.status)
                current = target
                continue
            return self._check_status(url, response, raise_for_status)
        raise RedirectError(f"GET {url}: more than {self.settings.max_redirects} redirects", url=url)

    # -- internals ----------------------------------------------------------------------------

    def _check_status(self, url: str, response: Response, raise_for_status: bool) -> Response:
        status = response.status
        if status in (429, 503):
            retry_after = parse_retry_after(response.headers.get("retry-after"))
            hint = f", retry after {retry_after:.0f}s" if retry_after is not None else ""
            raise RetryLater(f"GET {url}: HTTP {status}{hint}", url=url, status=status, retry_after=retry_after)
        if raise_for_status and status >= 400:
            reason = httpx.codes.get_reason_phrase(status)
            raise HTTPStatusError(f"GET {url}: HTTP {status} {reason}".rstrip(), url=url, status=status)
        return response

    def _check_robots(self, url: str, source: str) -> None:
        def fetch_robots(robots_url: str) -> tuple[int, str]:
            response = self._once(robots_url, None, source)
            return response.status, response.text

        verdict, crawl_delay = self.robots.verdict(url, fetch_robots)
        if crawl_delay:
            self.gates.set_crawl_delay(url, min(crawl_delay, _MAX_CRAWL_DELAY))
        if not verdict.allowed:
            log.info("event=robots_disallowed source=%s url=%s reason=%s", source, url, verdict.reason)
            raise RobotsDisallowed(f"GET {url}: {verdict.reason} (set robots = false to override)", url=url)

    def _headers(self, validators: Validators | None) -> dict[str, str]:
        headers = {
            "User-Agent": self.settings.user_agent,
            "Accept": _ACCEPT,
            "Accept-Encoding": "gzip, deflate",
        }
        if validators is not None:
            if validators.etag:
                headers["If-None-Match"] = validators.etag
            if validators.last_modified:
                headers["If-Modified-Since"] = validators.last_modified
        return headers

    def _once(self, url: str, validators: Validators | None, source: str) -> Response:
        """One request, no redirects: politeness slot, deadline, decoded-size cap."""
        s = self.settings
        with self.gates.slot(url):
            started = time.monotonic()
            deadline = started + s.deadline
            timeout = httpx.Timeout(
                connect=min(s.connect_timeout, s.deadline),
                read=min(s.read_timeout, s.deadline),
                write=min(s.read_timeout, s.deadline),
                pool=s.deadline,
            )
            try:
                with self.client.stream("GET", url, headers=self._headers(validators), timeout=timeout) as r:
                    body = self._read_body(url, r, deadline)
                    response = Response(r.status_code, r.headers, body, str(r.url), time.monotonic() - started)
            except httpx.TimeoutException as exc:
                raise FetchTimeout(f"GET {url}: timed out ({type(exc).__name__})", url=url) from None
            except httpx.HTTPError as exc:
                raise FetchError(f"GET {url}: {type(exc).__name__}: {one_line(exc) or 'connection failed'}") from None
        log.debug(
            "event=fetched source=%s url=%s status=%d bytes=%d elapsed=%.3f",
            source,
            url,
            response.status,
            len(response.body),
            response.elapsed,
        )
        return response

    def _read_body(self, url: str, r: httpx.Response, deadline: float) -> bytes:
        cap = self.settings.max_body_bytes
        if r.status_code in (204, 304) or r.status_code in _REDIRECTS:
            return b""
        encoding = r.headers.get("content-encoding")
        length = r.headers.get("content-length", "")
        if not encoding and length.isdigit() and int(length) > cap:
            raise BodyTooLarge(f"GET {url}: body of {int(length)} bytes is larger than the cap ({cap})", url=url)
        parts: list[bytes] = []
        try:
            # A Response built in memory (httpx.MockTransport with content=) is already read.
            raw = [r.content] if r.is_stream_consumed else r.iter_raw()
            for piece in decoded_chunks(raw, encoding, cap):
                parts.append(piece)
                if time.monotonic() > deadline:
                    raise FetchTimeout(
                        f"GET {url}: deadline of {self.settings.deadline:g}s passed while reading the body", url=url
                    )
        except TooLarge:
            raise BodyTooLarge(f"GET {url}: body larger than the cap ({cap} bytes, decoded)", url=url) from None
        except UnsupportedEncoding as exc:
            raise FetchError(f"GET {url}: unsupported Content-Encoding {exc}") from None
        except CorruptBody as exc:
            raise FetchError(f"GET {url}: corrupt {encoding} body ({exc})") from None
        return b"".join(parts)


def http_date(when: datetime) -> str:
    """An HTTP date (for Last-Modified-like validators of local files)."""
    return email.utils.format_datetime(when.astimezone(UTC), usegmt=True)
