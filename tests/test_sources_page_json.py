"""The page and json kinds against a real local server, and option validation."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from httpserver import LocalServer, Reply, conditional, fetch_settings, local_server, make_source  # noqa: F401

from tracker.errors import ConfigError
from tracker.sources import (
    Fetcher,
    FetchError,
    ParseError,
    RobotsDisallowed,
    Validators,
    check_options,
    poll,
)

LISTING = """<html><head><title>Press releases</title></head><body>
<nav><a href="/">Home</a></nav>
<ul class="news">
  <li><a href="/press/2025/0801.html?utm_source=home">HKMA grants first stablecoin licences</a>
      <span class="date">1 Aug 2025</span></li>
  <li><a href="/press/2025/0715.html">SFC consults on staking</a><span class="date">15 Jul 2025</span></li>
  <li><a href="/press/2025/0701.pdf">Annual report</a><span class="date">1 Jul 2025</span></li>
  <li><span>an entry without a link</span></li>
</ul></body></html>"""

ARTICLE = """<html><head><title>{title} - HKMA</title></head><body>
<header><nav>Home | About | Contact</nav></header>
<article><h1>{title}</h1><p>{body}</p><p>Second paragraph of the announcement, with enough words.</p></article>
<footer>Copyright notice and site links</footer></body></html>"""

PAGE_OPTIONS = {"item": "ul.news li", "link": "a", "date": "span.date", "date_format": "%d %b %Y"}


@pytest.fixture
def fetcher():
    f = Fetcher(fetch_settings())
    yield f
    f.close()


def serve_site(server: LocalServer) -> str:
    server.route("/press/", conditional(LISTING.encode(), etag='"list-1"', content_type="text/html; charset=utf-8"))
    for path, title, body in [
        ("/press/2025/0801.html", "HKMA grants first stablecoin licences", "The HKMA today granted two licences."),
        ("/press/2025/0715.html", "SFC consults on staking", "The SFC launched a consultation."),
    ]:
        server.route(path, Reply(200, ARTICLE.format(title=title, body=body).encode(), {"Content-Type": "text/html"}))
    server.route("/press/2025/0701.pdf", Reply(200, b"%PDF-1.4", {"Content-Type": "application/pdf"}))
    return server.url("/press/")


def test_page_listing_articles_and_304(local_server: LocalServer, fetcher: Fetcher) -> None:
    url = serve_site(local_server)
    source = make_source("hkma-press", "page", url, options=PAGE_OPTIONS)
    result = poll(source, Validators(), fetcher)
    assert [i.url for i in result.items] == [
        local_server.url("/press/2025/0801.html"),
        local_server.url("/press/2025/0715.html"),
        local_server.url("/press/2025/0701.pdf"),
    ]
    first = result.items[0]
    assert first.title == "HKMA grants first stablecoin licences" and first.published == datetime(2025, 8, 1)
    assert "The HKMA today granted two licences." in first.text and "Copyright" not in first.text
    assert result.items[2].text == "Annual report"  # a PDF keeps its title, with a warning
    assert any("application/pdf" in w for w in result.warnings)
    assert any("entry 4: no link" in w for w in result.warnings)
    assert result.validators.etag == '"list-1"'
    assert poll(source, result.validators, fetcher).not_modified


def test_page_fetches_only_unseen_articles(local_server: LocalServer, fetcher: Fetcher) -> None:
    url = serve_site(local_server)
    source = make_source("hkma-press", "page", url, options=PAGE_OPTIONS)
    known = {local_server.url("/press/2025/0801.html"), local_server.url("/press/2025/0701.pdf")}
    result = poll(source, Validators(), fetcher, seen=known.__contains__)
    assert [i.title for i in result.items] == ["SFC consults on staking"]
    assert local_server.hits("/press/2025/0801.html") == []


def test_page_respects_robots_unless_overridden(local_server: LocalServer, fetcher: Fetcher) -> None:
    url = serve_site(local_server)
    local_server.route("/robots.txt", Reply(200, b"User-agent: *\nDisallow: /press/\n"))
    with pytest.raises(RobotsDisallowed) as info:
        poll(make_source("blocked", "page", url, options=PAGE_OPTIONS), Validators(), fetcher)
    assert str(info.value).startswith("source blocked: GET " + url)
    assert local_server.hits("/press/") == []
    result = poll(make_source("override", "page", url, robots=False, options=PAGE_OPTIONS), Validators(), fetcher)
    assert len(result.items) == 3


def test_page_article_failure_is_a_warning_and_drops_validators(local_server: LocalServer, fetcher: Fetcher) -> None:
    url = serve_site(local_server)
    local_server.route("/press/2025/0715.html", Reply(500))
    result = poll(make_source("p", "page", url, options=PAGE_OPTIONS), Validators(), fetcher)
    assert len(result.items) == 2 and any("HTTP 500" in w for w in result.warnings)
    assert result.validators == Validators()  # next poll re-reads the listing and retries


def test_page_selector_matching_nothing_is_an_error(local_server: LocalServer, fetcher: Fetcher) -> None:
    url = serve_site(local_server)
    with pytest.raises(ParseError, match="no element matches options.item"):
        poll(make_source("p", "page", url, options={"item": "div.gone"}), Validators(), fetcher)


def test_page_in_big5_with_iso_dates(local_server: LocalServer, fetcher: Fetcher) -> None:
    listing = """<html><head><meta charset="big5"></head><body><div class="list">
<div class="row"><a href="a1.html"><span class="t">證監會就虛擬資產交易平台發出通函 嘅</span></a>
<time datetime="2025-08-01T09:00:00+08:00">2025年8月1日</time></div></div></body></html>"""
    local_server.route("/zh/list.html", Reply(200, listing.encode("big5hkscs"), {"Content-Type": "text/html"}))
    article = (
        "<html><head><meta charset='big5'></head><body><article><p>證監會今日發出通函。</p></article></body></html>"
    )
    local_server.route("/zh/a1.html", Reply(200, article.encode("big5hkscs"), {"Content-Type": "text/html"}))
    options = {"item": "div.row", "title": "span.t", "date": "time", "date_attr": "datetime"}
    item = poll(
        make_source("sfc-zh", "page", local_server.url("/zh/list.html"), lang="zh", options=options),
        Validators(),
        fetcher,
    ).items[0]
    assert item.title == "證監會就虛擬資產交易平台發出通函 嘅" and item.lang == "zh"
    assert "證監會今日發出通函。" in item.text
    assert item.published is not None and item.published.utcoffset() is not None


API = {
    "data": {
        "list": [
            {
                "id": 17,
                "link": "/notice/17?utm_campaign=x",
                "title": "关于防范虚拟货币交易炒作风险的公告",
                "pubDate": "2025-08-01 10:00:00",
                "content": "<p>虚拟货币不具有与法定货币等同的法律地位。</p>",
            },
            {
                "id": 18,
                "link": "https://other.example/18",
                "title": "Epoch dated",
                "pubDate": 1754013600,
                "content": "Plain English text.",
            },
            {"id": 19, "title": "", "content": ""},
            "not an object",
        ]
    }
}


def test_json_api_with_dotted_paths(local_server: LocalServer, fetcher: Fetcher) -> None:
    url = local_server.route(
        "/api/notices",
        conditional(json.dumps(API, ensure_ascii=False).encode(), etag='"j1"', content_type="application/json"),
    )
    options = {
        "items": "data.list",
        "url": "link",
        "title": "title",
        "published": "pubDate",
        "text": "content",
        "html": True,
    }
    source = make_source("pboc-api", "json", url, lang="zh", options=options)
    result = poll(source, Validators(), fetcher)
    first, second = result.items
    assert first.url == local_server.url("/notice/17") and first.guid == "17" and first.lang == "zh"
    assert first.text == "虚拟货币不具有与法定货币等同的法律地位。"
    assert first.published == datetime(2025, 8, 1, 10, 0)
    assert second.published == datetime(2025, 8, 1, 2, 0, tzinfo=UTC) and second.lang == "en"
    assert len(result.warnings) == 2
    assert poll(source, result.validators, fetcher).not_modified


def test_json_errors(local_server: LocalServer, fetcher: Fetcher) -> None:
    url = local_server.route("/api/bad", Reply(200, b"{not json", {"Content-Type": "application/json"}))
    with pytest.raises(ParseError, match="source j: GET .*not JSON"):
        poll(make_source("j", "json", url), Validators(), fetcher)
    url = local_server.route("/api/obj", Reply(200, b'{"data": {}}', {"Content-Type": "application/json"}))
    with pytest.raises(FetchError, match="options.items 'data.list' is not a list"):
        poll(make_source("j", "json", url, options={"items": "data.list"}), Validators(), fetcher)


@pytest.mark.parametrize(
    ("kind", "options", "message"),
    [
        ("page", {}, "sources.s.options.item: required"),
        ("page", {"item": "li", "colour": "red"}, "sources.s.options.colour: unknown key (known: item, link,"),
        ("page", {"item": "::::"}, "sources.s.options.item: not a valid CSS selector"),
        ("page", {"item": "li", "max_items": 0}, "sources.s.options.max_items: expected a positive integer"),
        ("page", {"item": "li", "max_items": True}, "sources.s.options.max_items: expected an integer, got bool True"),
        ("page", {"item": "li", "date_format": "dd/mm"}, "sources.s.options.date_format: expected a strptime"),
        ("json", {"url": ""}, "sources.s.options.url: expected a dotted path"),
        ("json", {"items": "a..b"}, "sources.s.options.items: expected a dotted path"),
        ("json", {"html": "yes"}, "sources.s.options.html: expected true or false, got str 'yes'"),
        ("json", {"base_url": 3}, "sources.s.options.base_url: expected a string, got int 3"),
        ("feed", {"item": "li"}, "sources.s.options.item: unknown key (known: max_items, fetch_articles)"),
        ("folder", {"recursive": 1}, "sources.s.options.recursive: expected true or false, got int 1"),
    ],
)
def test_option_validation_names_the_key(kind: str, options: dict, message: str) -> None:
    location = "/tmp" if kind == "folder" else "https://example.org/x"
    with pytest.raises(ConfigError) as info:
        check_options(make_source("s", kind, location, options=options), "config.toml")
    assert str(info.value).startswith(f"config.toml: {message}")
    assert "\n" not in str(info.value)


def test_valid_options_pass_and_page_needs_http() -> None:
    check_options(make_source("s", "page", "https://example.org/", options=PAGE_OPTIONS), "config.toml")
    check_options(make_source("s", "feed", "/tmp/feed.xml"), "config.toml")
    with pytest.raises(ConfigError, match="^config.toml: sources.s.url: kind 'page' needs an http"):
        check_options(make_source("s", "page", "/tmp/list.html", options={"item": "li"}), "config.toml")
