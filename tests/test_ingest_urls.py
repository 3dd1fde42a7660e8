"""Only http(s) URLs are stored: a `javascript:` link in a JSONL document or a feed is dropped
at ingest with a warning, so no output (json, csv, html, markdown) carries it."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from conftest import run_cli

CONFIG = """
[storage]
database_url = "sqlite:///tracker.db"
[rules]
dir = "rules"
[[sources]]
name = "docs"
kind = "folder"
path = "docs"
interval = "1h"
[[sources]]
name = "local-feed"
kind = "feed"
url = "feed.xml"
interval = "1h"
"""
FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>t</title><link>https://www.sfc.hk/</link><description>d</description>
<item><title>SFC consultation</title><link>javascript:alert(2)</link><guid>g1</guid>
<pubDate>Mon, 04 Aug 2025 17:30:00 +0800</pubDate><description>The Securities and Futures Commission
launched a consultation on custody of virtual assets in Hong Kong on 30 July 2025.</description></item>
</channel></rss>"""


def test_non_http_urls_are_dropped_at_ingest(workspace: Path) -> None:
    (workspace / "config.toml").write_text(CONFIG, encoding="utf-8")
    (workspace / "feed.xml").write_text(FEED, encoding="utf-8")
    docs = workspace / "docs"
    docs.mkdir()
    rows = [
        {"id": "a", "published": "2025-08-04T10:00:00+08:00", "url": "javascript:alert(1)",
         "text": "The Hong Kong Monetary Authority granted a stablecoin issuer licence to Anchorpoint Limited "
                 "on 1 August 2025."},
        {"id": "b", "published": "2025-08-05T10:00:00+08:00", "url": "JavaScript:alert(3)",
         "text": "The People's Bank of China banned crypto trading on 24 September 2021, it said again."},
    ]  # fmt: skip
    (docs / "docs.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    (docs / "note.txt").write_text(
        "Published: 2025-08-06T10:00:00+08:00\n\nThe SFC issued guidance on staking in Hong Kong on 6 August 2025.\n",
        encoding="utf-8",
    )

    result = run_cli("run", "--once", cwd=workspace)
    assert result.returncode == 0, result.stderr
    warned = [line for line in result.stderr.splitlines() if "not an http(s) URL" in line]
    assert len(warned) == 3, result.stderr
    assert any("javascript:alert(1)" in w and "docs" in w for w in warned)
    assert any("javascript:alert(2)" in w and "local-feed" in w for w in warned)
    with sqlite3.connect(workspace / "tracker.db") as connection:
        urls = [row[0] for row in connection.execute("SELECT url FROM documents")]
    assert len(urls) == 4 and urls == [None] * 4  # the .txt file's own file: URI is not a link either

    outputs = {}
    for fmt in ("json", "csv", "markdown", "html", "ics"):
        shown = run_cli("timeline", "--format", fmt, cwd=workspace)
        assert shown.returncode == 0, shown.stderr
        outputs[fmt] = shown.stdout
    events = json.loads(outputs["json"])
    assert len(events) >= 3
    assert all(e["first_url"] is None and e["urls"] == [] for e in events)
    for fmt, text in outputs.items():
        assert "javascript:" not in text.lower(), fmt
        assert "file://" not in text, fmt

    again = run_cli("run", "--once", cwd=workspace)  # known documents: nothing new, no warning again
    assert again.returncode == 0, again.stderr
    assert "not an http(s) URL" not in again.stderr and "documents: 0 new" in again.stdout
