"""`run --once` honours a failing source's backoff and Retry-After, and says so."""

from __future__ import annotations

from pathlib import Path

from conftest import run_cli
from httpserver import LocalServer, Reply, local_server  # noqa: F401 - the fixture

FEED = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
<item><title>HKMA update</title><link>https://example.org/a</link><guid>a</guid>
<pubDate>Mon, 04 Aug 2025 10:00:00 +0800</pubDate><description>Nothing new.</description></item>
</channel></rss>"""


def _only_source(workspace: Path, url: str) -> None:
    config = workspace / "config.toml"
    head = config.read_text(encoding="utf-8").split("[[sources]]", 1)[0]
    config.write_text(
        head + f'[[sources]]\nname = "busy"\nkind = "feed"\nurl = "{url}"\ninterval = "1m"\n', encoding="utf-8"
    )


def test_run_once_skips_a_source_that_asked_to_retry_later(workspace: Path, local_server: LocalServer) -> None:
    local_server.route("/busy.xml", Reply(429, b"slow down", {"Retry-After": "3600"}))
    _only_source(workspace, local_server.url("/busy.xml"))
    first = run_cli("run", "--once", cwd=workspace)
    assert first.returncode == 1, first.stderr
    assert len(local_server.hits("/busy.xml")) == 1

    second = run_cli("run", "--once", cwd=workspace)
    assert second.returncode == 0, second.stderr
    assert len(local_server.hits("/busy.xml")) == 1  # not asked again within the hour
    assert "skipped: source busy is backing off after failures until" in second.stderr
    assert "1 skipped while backing off" in second.stdout

    local_server.route("/busy.xml", Reply(200, FEED, {"Content-Type": "application/rss+xml"}))
    forced = run_cli("run", "--once", "--force", cwd=workspace)
    assert forced.returncode == 0, forced.stderr
    assert len(local_server.hits("/busy.xml")) == 2


def test_run_once_polls_a_healthy_source_before_its_interval(workspace: Path, local_server: LocalServer) -> None:
    local_server.route("/ok.xml", Reply(200, FEED, {"Content-Type": "application/rss+xml"}))
    _only_source(workspace, local_server.url("/ok.xml"))
    for _ in range(2):
        result = run_cli("run", "--once", cwd=workspace)
        assert result.returncode == 0, result.stderr
    assert len(local_server.hits("/ok.xml")) == 2  # a manual run is not held to the 1m interval
