"""A real HTTP server on 127.0.0.1 (port 0) in a thread, with configurable routes, for tests.

Routes map a path to a ``Reply`` or to a function ``Request -> Reply``. A reply can be slow
(``delay`` before the headers), trickle its body (``trickle`` seconds between chunks) or never
finish (``hang``: headers and part of the body, then silence until the server stops), so
fetch deadlines are tested against real sockets. Every request is recorded.

    with LocalServer() as server:
        server.route("/feed.xml", Reply(body=b"<rss/>", headers={"ETag": '"v1"'}))
        server.url("/feed.xml")
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest

__all__ = ["Reply", "Request", "LocalServer", "conditional", "local_server"]


@dataclass
class Request:
    method: str
    path: str
    query: str
    headers: dict[str, str]

    def header(self, name: str) -> str | None:
        for key, value in self.headers.items():
            if key.lower() == name.lower():
                return value
        return None


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before the status line
    trickle: float = 0.0  # seconds between body chunks
    chunk_size: int = 65536
    hang: bool = False  # send headers (and the first chunk), then never finish
    content_length: bool = True  # send Content-Length (else close-delimited)


Handler = Callable[[Request], Reply]


def conditional(
    body: bytes, etag: str | None = None, last_modified: str | None = None, content_type: str = "application/rss+xml"
) -> Handler:
    """A handler serving ``body`` with validators, and 304 when the request's validators match."""

    def handle(request: Request) -> Reply:
        headers = {"Content-Type": content_type}
        if etag:
            headers["ETag"] = etag
        if last_modified:
            headers["Last-Modified"] = last_modified
        inm, ims = request.header("If-None-Match"), request.header("If-Modified-Since")
        if (etag and inm == etag) or (not inm and last_modified and ims == last_modified):
            return Reply(304, b"", headers)
        return Reply(200, body, headers)

    return handle


class LocalServer:
    """ThreadingHTTPServer on 127.0.0.1:0; ``close()`` releases hanging handlers at once."""

    def __init__(self) -> None:
        self.routes: dict[str, Reply | Handler] = {}
        self.requests: list[Request] = []
        self._stop = threading.Event()
        self._lock = threading.Lock()
        server = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - quiet tests
                pass

            def do_GET(self) -> None:  # noqa: N802 - http.server naming
                server._serve(self)

        class _Server(ThreadingHTTPServer):
            request_queue_size = 256  # the default (5) drops SYNs under a thread pool's load

        self.httpd = _Server(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        self.httpd.block_on_close = False  # type: ignore[attr-defined]
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    @property
    def base(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    def route(self, path: str, reply: Reply | Handler) -> str:
        """Serve ``reply`` at ``path``; returns the absolute URL."""
        self.routes[path] = reply
        return self.url(path)

    def hits(self, path: str) -> list[Request]:
        with self._lock:
            return [r for r in self.requests if r.path == path]

    def close(self) -> None:
        self._stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> LocalServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _serve(self, handler: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(handler.path)
        request = Request("GET", parts.path, parts.query, dict(handler.headers.items()))
        with self._lock:
            self.requests.append(request)
        route = self.routes.get(parts.path)
        if route is None:
            reply = Reply(404, b"not found", {"Content-Type": "text/plain"})
        else:
            reply = route(request) if callable(route) else route
        try:
            self._send(handler, reply)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (deadline, size cap): expected in these tests

    def _send(self, handler: BaseHTTPRequestHandler, reply: Reply) -> None:
        if reply.delay and self._stop.wait(reply.delay):
            return
        handler.send_response(reply.status)
        for name, value in reply.headers.items():
            handler.send_header(name, value)
        if reply.content_length and reply.status not in (204, 304):
            handler.send_header("Content-Length", str(len(reply.body)))
        if not reply.content_length:
            handler.send_header("Connection", "close")
            handler.close_connection = True
        handler.end_headers()
        chunks: Iterator[bytes] = (
            reply.body[i : i + reply.chunk_size] for i in range(0, len(reply.body), reply.chunk_size)
        )
        for _index, chunk in enumerate(chunks):
            handler.wfile.write(chunk)
            handler.wfile.flush()
            if reply.hang:
                break
            if reply.trickle and self._stop.wait(reply.trickle):
                return
        if reply.hang:
            self._stop.wait()
            handler.close_connection = True


@pytest.fixture
def local_server() -> Iterator[LocalServer]:
    server = LocalServer()
    try:
        yield server
    finally:
        server.close()


def wait_until(predicate: Callable[[], bool], timeout: float = 5.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.01)
    return predicate()


def fetch_settings(**overrides: object):  # noqa: ANN201 - test helper
    """FetchSettings with small timeouts so deadline tests finish fast."""
    from tracker.config import FetchSettings

    values: dict[str, object] = dict(
        user_agent="tracker-test/0.1 (+https://example.invalid/tracker)",
        connect_timeout=1.0,
        read_timeout=0.5,
        deadline=1.5,
        max_body_bytes=1_000_000,
        max_redirects=3,
        per_host_concurrency=4,
        per_host_delay=0.0,
        max_backoff=3600.0,
    )
    values.update(overrides)
    return FetchSettings(**values)  # type: ignore[arg-type]


def make_source(name: str, kind: str, location: str, **overrides: object):  # noqa: ANN201 - test helper
    from tracker.config import SourceConfig

    values: dict[str, object] = dict(name=name, kind=kind, location=location, interval_seconds=900.0, lang="en")
    values.update(overrides)
    return SourceConfig(**values)  # type: ignore[arg-type]
