"""The Fetcher against a real local server: deadlines, caps, bombs, redirects, 429, charsets, robots."""

from __future__ import annotations

import email.utils
import gzip
import random
import threading
import time
import tracemalloc

import httpx
import pytest
from httpserver import LocalServer, Reply, fetch_settings, local_server, make_source  # noqa: F401
from hypothesis import given
from hypothesis import strategies as st

from tracker.sources import (
    BodyTooLarge,
    Fetcher,
    FetchError,
    FetchTimeout,
    HTTPStatusError,
    RedirectError,
    RetryLater,
    RobotsDisallowed,
    Validators,
    backoff_delay,
    normalize_url,
    poll,
)
from tracker.sources.fetch import parse_retry_after


@pytest.fixture
def fetcher():
    f = Fetcher(fetch_settings())
    yield f
    f.close()


def test_user_agent_and_conditional_headers(local_server: LocalServer, fetcher: Fetcher) -> None:
    url = local_server.route("/x", Reply(200, b"ok"))
    response = fetcher.get(url, Validators('"e1"', "Fri, 01 Aug 2025 02:00:00 GMT"))
    assert response.status == 200 and response.body == b"ok" and response.url == url
    request = local_server.hits("/x")[0]
    assert request.header("User-Agent") == fetch_settings().user_agent
    assert request.header("If-None-Match") == '"e1"'
    assert request.header("If-Modified-Since") == "Fri, 01 Aug 2025 02:00:00 GMT"


def test_slow_headers_hit_the_read_timeout(local_server: LocalServer, fetcher: Fetcher) -> None:
    url = local_server.route("/slow", Reply(200, b"late", delay=5.0))
    started = time.monotonic()
    with pytest.raises(FetchTimeout, match="timed out"):
        fetcher.get(url)
    assert time.monotonic() - started < 1.5


def test_response_that_never_finishes(local_server: LocalServer, fetcher: Fetcher) -> None:
    url = local_server.route("/hang", Reply(200, b"x" * 200_000, chunk_size=1000, hang=True))
    started = time.monotonic()
    with pytest.raises(FetchTimeout):
        fetcher.get(url)
    assert time.monotonic() - started < 2.0


def test_trickling_body_hits_the_overall_deadline(local_server: LocalServer, fetcher: Fetcher) -> None:
    # each chunk arrives well within the read timeout (0.5 s), but the whole takes ~10 s
    url = local_server.route("/trickle", Reply(200, b"y" * 100, chunk_size=1, trickle=0.1))
    started = time.monotonic()
    with pytest.raises(FetchTimeout, match="deadline of 1.5s"):
        fetcher.get(url)
    assert 1.4 < time.monotonic() - started < 2.5


def test_429_with_retry_after_seconds_and_date(local_server: LocalServer, fetcher: Fetcher) -> None:
    url = local_server.route("/limited", Reply(429, b"slow down", {"Retry-After": "120"}))
    with pytest.raises(RetryLater) as info:
        fetcher.get(url)
    assert info.value.retry_after == 120 and info.value.status == 429
    later = email.utils.formatdate(time.time() + 300, usegmt=True)
    url = local_server.route("/busy", Reply(503, b"", {"Retry-After": later}))
    with pytest.raises(RetryLater) as info:
        fetcher.get(url)
    assert 290 <= info.value.retry_after <= 301 and info.value.status == 503


def test_retry_later_through_poll_names_source_and_keeps_retry_after(
    local_server: LocalServer, fetcher: Fetcher
) -> None:
    url = local_server.route("/feed429", Reply(429, b"", {"Retry-After": "60"}))
    with pytest.raises(RetryLater) as info:
        poll(make_source("busy-feed", "feed", url), Validators(), fetcher)
    assert str(info.value).startswith("source busy-feed: GET " + url) and info.value.retry_after == 60


def test_503_without_retry_after_and_500(local_server: LocalServer, fetcher: Fetcher) -> None:
    url = local_server.route("/down", Reply(503))
    with pytest.raises(RetryLater) as info:
        fetcher.get(url)
    assert info.value.retry_after is None
    url = local_server.route("/err", Reply(500, b"boom"))
    with pytest.raises(HTTPStatusError, match="HTTP 500 Internal Server Error") as err:
        fetcher.get(url)
    assert not isinstance(err.value, RetryLater) and err.value.status == 500


def test_redirects_followed_loops_and_limits(local_server: LocalServer, fetcher: Fetcher) -> None:
    local_server.route("/a", Reply(301, headers={"Location": "/b"}))
    local_server.route("/b", Reply(302, headers={"Location": local_server.url("/final")}))
    local_server.route("/final", Reply(200, b"arrived"))
    response = fetcher.get(local_server.url("/a"))
    assert response.body == b"arrived" and response.url == local_server.url("/final")

    local_server.route("/loop1", Reply(302, headers={"Location": "/loop2"}))
    local_server.route("/loop2", Reply(302, headers={"Location": "/loop1"}))
    with pytest.raises(RedirectError, match="redirect loop"):
        fetcher.get(local_server.url("/loop1"))
    for i in range(6):
        local_server.route(f"/chain{i}", Reply(302, headers={"Location": f"/chain{i + 1}"}))
    with pytest.raises(RedirectError, match="more than 3 redirects"):
        fetcher.get(local_server.url("/chain0"))
    local_server.route("/ftp", Reply(302, headers={"Location": "ftp://example.org/x"}))
    with pytest.raises(RedirectError, match="non-http"):
        fetcher.get(local_server.url("/ftp"))
    with pytest.raises(FetchError, match="only http and https"):
        fetcher.get("file:///etc/passwd")


def test_body_larger_than_the_cap(local_server: LocalServer, fetcher: Fetcher) -> None:
    url = local_server.route("/big", Reply(200, b"z" * 1_500_000))
    with pytest.raises(BodyTooLarge, match="larger than the cap"):
        fetcher.get(url)
    url = local_server.route("/big-stream", Reply(200, b"z" * 1_500_000, content_length=False))
    with pytest.raises(BodyTooLarge):
        fetcher.get(url)


def test_gzip_bomb_is_refused_with_bounded_memory(local_server: LocalServer, fetcher: Fetcher) -> None:
    bomb = gzip.compress(b"\0" * 40_000_000, compresslevel=9)
    assert len(bomb) < 100_000
    url = local_server.route("/bomb", Reply(200, bomb, {"Content-Encoding": "gzip", "Content-Type": "text/xml"}))
    tracemalloc.start()
    try:
        with pytest.raises(BodyTooLarge, match="decoded"):
            fetcher.get(url)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8_000_000  # the cap is 1 MB; 40 MB would mean the bomb went off


def test_gzip_body_within_the_cap_is_decoded(local_server: LocalServer, fetcher: Fetcher) -> None:
    url = local_server.route("/gz", Reply(200, gzip.compress(b"hello " * 1000), {"Content-Encoding": "gzip"}))
    assert fetcher.get(url).body == b"hello " * 1000


@pytest.mark.parametrize(
    ("codec", "content_type", "head"),
    [
        ("gbk", "text/html; charset=gb2312", ""),
        ("gbk", "text/html", '<meta charset="GBK">'),
        ("gb18030", "text/html", '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'),
        ("big5hkscs", "text/html; charset=big5", ""),
        ("big5hkscs", "text/html", '<meta http-equiv="content-type" content="text/html; charset=big5">'),
    ],
)
def test_chinese_pages_are_decoded(
    local_server: LocalServer, fetcher: Fetcher, codec: str, content_type: str, head: str
) -> None:
    text = "證監會警告 嘅 虛擬資產" if codec.startswith("big5") else "中国证监会 朱镕基 虚拟货币"
    html = f"<html><head>{head}<title>{text}</title></head><body><p>{text}</p></body></html>"
    url = local_server.route("/zh", Reply(200, html.encode(codec), {"Content-Type": content_type}))
    response = fetcher.get(url)
    assert text in response.text


def test_undeclared_charset_is_detected() -> None:
    text = "中国人民银行发布关于进一步防范和处置虚拟货币交易炒作风险的通知。" * 5
    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=text.encode("gb18030")))
    with httpx.Client(transport=transport) as client:
        fetcher = Fetcher(fetch_settings(), client=client)
        assert fetcher.get("http://example.test/").text == text


def test_robots_disallow_and_override(local_server: LocalServer, fetcher: Fetcher) -> None:
    local_server.route("/robots.txt", Reply(200, b"User-agent: *\nDisallow: /private/\n"))
    local_server.route("/private/news", Reply(200, b"secret"))
    local_server.route("/public/news", Reply(200, b"public"))
    with pytest.raises(RobotsDisallowed, match="robots.txt disallows"):
        fetcher.get(local_server.url("/private/news"), respect_robots=True)
    assert local_server.hits("/private/news") == []
    assert fetcher.get(local_server.url("/public/news"), respect_robots=True).body == b"public"
    assert fetcher.get(local_server.url("/private/news"), respect_robots=False).body == b"secret"
    assert len(local_server.hits("/robots.txt")) == 1  # cached per host


def test_missing_robots_allows_and_failing_robots_disallows(local_server: LocalServer) -> None:
    local_server.route("/page", Reply(200, b"ok"))
    with Fetcher(fetch_settings()) as fetcher:
        assert fetcher.get(local_server.url("/page"), respect_robots=True).body == b"ok"  # 404 robots
    local_server.route("/robots.txt", Reply(500))
    with Fetcher(fetch_settings()) as fetcher, pytest.raises(RobotsDisallowed, match="unavailable"):
        fetcher.get(local_server.url("/page"), respect_robots=True)


def test_per_host_concurrency_and_delay(local_server: LocalServer) -> None:
    active = {"now": 0, "max": 0}
    starts: list[float] = []
    lock = threading.Lock()

    def handle(request):
        with lock:
            active["now"] += 1
            active["max"] = max(active["max"], active["now"])
            starts.append(time.monotonic())
        time.sleep(0.1)
        with lock:
            active["now"] -= 1
        return Reply(200, b"ok")

    url = local_server.route("/polite", handle)
    with Fetcher(fetch_settings(per_host_concurrency=2, per_host_delay=0.05)) as fetcher:
        threads = [threading.Thread(target=fetcher.get, args=(url,)) for _ in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert active["max"] == 2
    starts.sort()
    assert all(b - a >= 0.04 for a, b in zip(starts, starts[1:], strict=False))


def test_retry_after_parsing() -> None:
    assert parse_retry_after("30") == 30
    assert parse_retry_after("garbage") is None and parse_retry_after(None) is None
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # in the past


@given(st.integers(min_value=1, max_value=2000), st.integers(min_value=0, max_value=2**32))
def test_backoff_is_capped_and_at_least_base(failures: int, seed: int) -> None:
    delay = backoff_delay(failures, 30.0, 3600.0, random.Random(seed))
    assert 30.0 <= delay <= 3600.0
    assert delay <= 30.0 * 2 ** min(failures - 1, 60)


def test_backoff_spreads_sources_out() -> None:
    rng = random.Random(7)
    assert backoff_delay(0, 30, 3600, rng) == 0
    delays = {round(backoff_delay(6, 30, 3600, rng)) for _ in range(50)}
    assert len(delays) > 40


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "HTTPS://WWW.HKMA.GOV.HK:443/eng/news.html?utm_source=x&id=3&fbclid=abc#top",
            "https://www.hkma.gov.hk/eng/news.html?id=3",
        ),
        ("http://example.com", "http://example.com/"),
        ("http://example.com:8080/a?gclid=1", "http://example.com:8080/a"),
        ("http://example.cn/%d6%d0?q=%D6%D0", "http://example.cn/%D6%D0?q=%D6%D0"),
        ("https://x.org/p?b=2&a=1", "https://x.org/p?b=2&a=1"),
    ],
)
def test_normalize_url(raw: str, expected: str) -> None:
    assert normalize_url(raw) == expected


@given(st.text(alphabet="abcxyz0123/-_.", max_size=20), st.sampled_from(["", "?utm_medium=a", "?fbclid=z"]))
def test_normalize_url_is_idempotent(path: str, query: str) -> None:
    once = normalize_url(f"https://Example.org/{path}{query}#frag")
    assert normalize_url(once) == once and "utm_" not in once and "#" not in once
