"""Every failure mode of a real HTTP server, through the whole refresh: what is stored, what
the source row shows, and that the healthy sources are polled on time regardless."""

from __future__ import annotations

import gzip
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import ROOT
from httpserver import LocalServer, Reply, conditional
from sqlmodel import select

from tracker.app import open_app, refresh
from tracker.db import session_scope
from tracker.models import Document, Source, utcnow

RSS = b"""<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>t</title>
<link>http://127.0.0.1/</link><description>d</description>
<item><title>SFC consultation</title><link>http://127.0.0.1/news/1</link>
<pubDate>Thu, 30 Oct 2025 18:00:00 +0800</pubDate>
<description>The Securities and Futures Commission launched a consultation on custody rules in Hong Kong.</description>
</item></channel></rss>"""

GBK_PAGE = """<html><head><meta charset="gbk"><title>公告</title></head><body><article>
<p>中国人民银行于2021年9月24日发布通知，全面禁止虚拟货币交易炒作，相关业务活动属于非法金融活动。</p>
</article></body></html>""".encode("gbk")


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with LocalServer() as local:
        yield local


def _config(tmp_path: Path, server: LocalServer) -> Path:
    bomb = gzip.compress(b"<rss>" + b" " * 30_000_000 + b"</rss>")
    server.route("/good.xml", conditional(RSS, etag='"v1"', last_modified="Thu, 30 Oct 2025 10:00:00 GMT"))
    server.route("/error.xml", Reply(500, b"oops"))
    server.route("/busy.xml", Reply(429, b"slow down", {"Retry-After": "120"}))
    server.route("/hang.xml", Reply(200, b"<rss>" + b" " * 100_000, hang=True))
    server.route(
        "/broken.xml", Reply(200, b"<rss><channel><item><title>unclosed", {"Content-Type": "application/rss+xml"})
    )
    server.route("/bomb.xml", Reply(200, bomb, {"Content-Encoding": "gzip", "Content-Type": "application/rss+xml"}))
    server.route("/huge.xml", Reply(200, b"<rss>" + b"x" * 3_000_000 + b"</rss>"))
    server.route("/loop-a", Reply(302, b"", {"Location": "/loop-b"}))
    server.route("/loop-b", Reply(302, b"", {"Location": "/loop-a"}))
    server.route("/robots.txt", Reply(200, b"User-agent: *\nDisallow: /private/\n", {"Content-Type": "text/plain"}))
    server.route("/private/list.html", Reply(200, b"<html><body><a class='x' href='/a'>a</a></body></html>"))
    server.route("/gbk/list.html", Reply(200, b"<html><body><ul><li><a href='/gbk/notice.html'>notice</a></li></ul></body></html>",
                                         {"Content-Type": "text/html"}))  # fmt: skip
    server.route("/gbk/notice.html", Reply(200, GBK_PAGE, {"Content-Type": "text/html"}))
    sources = [
        ("good", "feed", "/good.xml", ""),
        ("error", "feed", "/error.xml", ""),
        ("busy", "feed", "/busy.xml", ""),
        ("hang", "feed", "/hang.xml", ""),
        ("broken", "feed", "/broken.xml", ""),
        ("bomb", "feed", "/bomb.xml", ""),
        ("huge", "feed", "/huge.xml", ""),
        ("loop", "feed", "/loop-a", ""),
        ("private", "page", "/private/list.html", 'item = "a.x"'),
        ("gbk", "page", "/gbk/list.html", 'item = "li"\nlang_hint = "zh"'.replace('\nlang_hint = "zh"', "")),
    ]
    text = f"""
[storage]
database_url = "sqlite:///tracker.db"
[rules]
dir = "{ROOT / "rules"}"
[fetch]
connect_timeout = 1
read_timeout = 0.5
deadline = 1.5
max_body_bytes = 1000000
max_redirects = 3
per_host_concurrency = 16
per_host_delay = 0
[scheduler]
failure_alert_after = 1
"""
    for name, kind, path, options in sources:
        text += f'\n[[sources]]\nname = "{name}"\nkind = "{kind}"\nurl = "{server.url(path)}"\ninterval = "10m"\n'
        if options:
            text += f"[sources.options]\n{options}\n"
    config = tmp_path / "config.toml"
    config.write_text(text, encoding="utf-8")
    return config


def _rows(app) -> dict[str, Source]:
    with session_scope(app.engine) as session:
        return {row.name: row for row in session.exec(select(Source)).all()}


def test_every_failure_is_recorded_and_nothing_blocks(tmp_path: Path, server: LocalServer, capsys) -> None:
    app = open_app(str(_config(tmp_path, server)), environ={})
    started = time.monotonic()
    summary = refresh(app, workers=8)
    elapsed = time.monotonic() - started
    # the hanging source costs one deadline; it does not hold the others up
    assert elapsed < 10, elapsed
    rows = _rows(app)
    good = rows["good"]
    assert good.consecutive_failures == 0 and good.last_error is None
    assert good.etag == '"v1"' and good.last_modified
    assert good.next_poll_at and good.next_poll_at > utcnow() + timedelta(minutes=8)
    expectations = {
        "error": "500",
        "busy": "429",
        "hang": "",
        "broken": "",
        "bomb": "",
        "huge": "",
        "loop": "redirect",
        "private": "robots",
    }
    for name, needle in expectations.items():
        row = rows[name]
        assert row.consecutive_failures == 1, (name, row.last_error)
        assert row.last_error and needle.lower() in row.last_error.lower(), (name, row.last_error)
        assert "\n" not in row.last_error
    # Retry-After is honoured: no poll before 120 s
    assert rows["busy"].next_poll_at >= utcnow() + timedelta(seconds=115)
    # failing sources are never silent: an operational alert on the console
    assert "failed 1 times in a row" in capsys.readouterr().out
    # the GBK article is decoded and its event extracted
    with session_scope(app.engine) as session:
        docs = session.exec(select(Document)).all()
        texts = " ".join(d.text for d in docs)
    assert "全面禁止虚拟货币交易炒作" in texts
    assert summary.documents_new == len(docs) == 2
    assert len(summary.errors) == len(expectations)

    # second cycle: the good feed answers 304, nothing is parsed or written but the poll state
    with session_scope(app.engine) as session:
        for row in session.exec(select(Source)).all():
            row.next_poll_at = utcnow()
            session.add(row)
    before = len(server.requests)
    again = refresh(app, [app.config.source("good")])
    assert again.sources_not_modified == 1 and again.documents_new == 0
    assert server.requests[before].header("If-None-Match") == '"v1"'
    assert _rows(app)["good"].last_status == "not modified"
    app.engine.dispose()
