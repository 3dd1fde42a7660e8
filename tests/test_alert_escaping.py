"""Hostile scraped text through the whole pipeline — a folder source's document, extraction,
merge, the outbox, slack-sdk, the stand-in — pings nobody, links nowhere, and the recorded
message stays within Block Kit's limits."""

from __future__ import annotations

import json
import re

from slack_standin import SlackStandIn
from test_message import assert_inert, assert_within_limits
from test_outbox import WATCH_ALL, Rig

from tracker.alerts.message import SlackMessage

HOSTILE = ("The Securities and Futures Commission launched a consultation on custody of virtual assets in "
           "Hong Kong on 30 July 2025 <!channel> <@U123> see <https://evil.example|click> & <!here> more.")  # fmt: skip
LONG = (
    "The People's Bank of China reaffirmed the ban on cryptocurrency trading in mainland China on "
    "15 August 2025, " + "<!channel> and <@U123> and <https://evil.example|click> " * 200
)
LONG = LONG[:9_999] + "."


def test_hostile_document_reaches_slack_inert_and_within_limits(tmp_path):
    with SlackStandIn() as standin:
        rig = Rig(tmp_path, standin, {"all": WATCH_ALL})
        assert len(LONG) == 10_000
        (tmp_path / "docs-a" / "hostile.txt").write_text(
            "Title: <!channel> Breaking <@U123>\nPublished: 2025-07-31T10:00:00+08:00\n"
            "URL: https://www.sfc.hk/en/news?a=1&b=<x>\n\n" + HOSTILE + "\n\n" + LONG + "\n",
            encoding="utf-8",
        )
        result = rig.cli("run", "--once")
        assert result.returncode == 0, result.stderr
        posts = rig.posts()
        assert len(posts) == 2, [p.body.get("text", "")[:80] for p in posts]
        headers = sorted(p.body["blocks"][0]["text"]["text"] for p in posts)
        # "reaffirmed the ban" restates a measure: the header says so, so nobody takes it for a new ban
        assert headers == ["CN · ban (restated) · 2025-08-15", "HK · consultation · 2025-07-30"]
        for call in posts:
            raw = call.raw.decode("utf-8")
            for live in ("<!channel>", "<!here>", "<@U123>", "<https://evil.example"):
                assert live not in raw
            assert "&lt;!channel&gt;" in raw  # escaped, still readable
            assert call.body["unfurl_links"] is False and call.body["unfurl_media"] is False
            sent = SlackMessage(text=call.body["text"], blocks=call.body["blocks"])
            links = {m for m in re.findall(r"<([^|>]+)\|", json.dumps(call.body["blocks"]))}
            assert all(link.startswith("https://www.sfc.hk/") for link in links), links
            assert_inert(sent, allowed_urls=links)
            assert_within_limits(sent)
        long_post = next(p for p in posts if "ban" in p.body["text"][:20])
        assert "…" in json.dumps(long_post.body["blocks"], ensure_ascii=False)  # truncated, not rejected
