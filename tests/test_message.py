"""Slack messages: header, quoting, links, escaping of scraped text, Block Kit limits."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.alerts.message import (
    MAX_BLOCKS,
    MAX_FALLBACK_CHARS,
    MAX_HEADER_CHARS,
    MAX_SECTION_CHARS,
    AlertEvent,
    build_digest,
    build_message,
    escape,
    ops_message,
    safe_url,
)

HOSTILE = "Breaking <!channel> <!here> @channel <@U123> see <https://evil.example|click> & more"
SOURCE_URL = "https://www.sfc.hk/en/News?ref=1&lang=en"


def make_event(**kw):
    base = dict(
        event_id=7,
        type="ordinance",
        jurisdiction="HK",
        date="2025-08-01",
        precision="day",
        qualifier="from",
        evidence="The Stablecoins Ordinance takes effect on 1 August 2025.",
        actor="HKMA",
        subject="stablecoin issuers",
        confidence=0.92,
        sources=(("HKMA press release", SOURCE_URL),),
        first_seen=datetime(2025, 7, 30, 3, 0, tzinfo=UTC),
        published=datetime(2025, 7, 30, 2, 0, tzinfo=UTC),
        change=None,
    )
    base.update(kw)
    return AlertEvent(**base)


def texts(message):
    """Every text string in the blocks, with the block type."""
    for block in message.blocks:
        if "text" in block:
            yield block["type"], block["text"]
        for el in block.get("elements", []):
            yield block["type"], el


def assert_inert(message, allowed_urls=()):
    """No mention, broadcast or link in the message except links to ``allowed_urls``."""
    for kind, obj in texts(message):
        t = obj["text"]
        for m in re.finditer(r"<([^>]*)>", t):
            inner = m.group(1)
            assert not inner.startswith(("!", "@", "#")), f"{kind}: live mention {m.group(0)!r}"
            url = inner.split("|", 1)[0]
            assert url in allowed_urls, f"{kind}: unexpected link {m.group(0)!r}"
        assert not re.search(r"(?<![\w\u2060])@(channel|here|everyone)\b", t.replace("@\u2060", "@-"))
        if obj["type"] == "mrkdwn":
            assert obj.get("verbatim") is True, f"{kind}: scraped text without verbatim"
    for m in re.finditer(r"<([^>]*)>", message.text):
        assert m.group(1).split("|", 1)[0] in allowed_urls


def assert_within_limits(message):
    assert 1 <= len(message.blocks) <= MAX_BLOCKS
    assert message.text and len(message.text) <= MAX_FALLBACK_CHARS
    for kind, obj in texts(message):
        limit = MAX_HEADER_CHARS if kind == "header" else MAX_SECTION_CHARS
        assert len(obj["text"]) <= limit, (kind, len(obj["text"]))
        if kind == "header":
            assert obj["type"] == "plain_text"


def test_header_shows_jurisdiction_type_and_date_with_qualifier():
    ban = make_event(type="ban", jurisdiction="CN", date="2021", precision="year", qualifier="since")
    msg = build_message(ban, "HK & CN", "new")
    assert msg.blocks[0]["type"] == "header"
    assert msg.blocks[0]["text"]["text"] == "CN · ban · since 2021"
    undated = build_message(make_event(date=None, precision=None, qualifier=None), "W", "new")
    assert undated.blocks[0]["text"]["text"] == "HK · ordinance · date not stated"
    quarter = build_message(make_event(date="2025-Q3", qualifier=None), "W", "new")
    assert quarter.blocks[0]["text"]["text"].endswith("· 2025-Q3")


def test_message_quotes_evidence_links_sources_and_names_watchlist():
    msg = build_message(make_event(), "HK & CN digital assets", "new")
    body = json.dumps(msg.blocks)
    assert "> The Stablecoins Ordinance takes effect on 1 August 2025." in body
    assert "<https://www.sfc.hk/en/News?ref=1&amp;lang=en|HKMA press release>" in body
    assert "HK &amp; CN digital assets" in body
    assert "The Stablecoins Ordinance" in msg.text and "HK &amp; CN digital assets" in msg.text
    assert_inert(msg, allowed_urls={"https://www.sfc.hk/en/News?ref=1&amp;lang=en"})


def test_update_and_reminder_kinds_say_so():
    upd = build_message(make_event(change="date refined from 2025 to 2025-08-01"), "W", "update")
    assert upd.blocks[0]["text"]["text"].startswith("Update: ")
    assert "date refined from 2025 to 2025-08-01" in json.dumps(upd.blocks)
    assert "date refined" in upd.text
    rem = build_message(make_event(), "W", "reminder")
    assert rem.blocks[0]["text"]["text"].startswith("Reminder: ")
    with pytest.raises(ValueError):
        build_message(make_event(), "W", "shout")


def test_hostile_text_is_inert_everywhere():
    ev = make_event(
        evidence=HOSTILE,
        actor="<@U999> actor",
        subject="<#C123|general>",
        change="<!everyone> changed",
        sources=(
            ("<!channel> name|<https://evil.example|x>", "https://evil.example/|<!channel>"),
            ("bad", "javascript:alert(1)"),
        ),
    )
    for kind in ("new", "update", "reminder", "digest"):
        msg = build_message(ev, "<!channel> list", kind)
        assert_inert(msg, allowed_urls={"https://evil.example/%7C%3C!channel%3E"})
        assert "&lt;!channel&gt;" in json.dumps(msg.blocks)
    assert "javascript" not in json.dumps(build_message(ev, "W", "new").blocks).replace("bad", "")


def test_long_evidence_is_truncated_not_rejected():
    sentence = ("The SFC said " + "&<> very long clause, " * 500)[:10_000]
    assert len(sentence) == 10_000
    msg = build_message(make_event(evidence=sentence), "W", "new")
    assert_within_limits(msg)
    quoted = msg.blocks[1]["text"]["text"]
    assert quoted.endswith("…")
    assert not re.search(r"&[a-z]*…", quoted), "an entity was cut in two"


def test_digest_stays_within_block_limit():
    events = [make_event(event_id=i, evidence=f"event {i} " + "x" * 2000) for i in range(120)]
    msg = build_digest(events, "HK & CN")
    assert_within_limits(msg)
    assert len(msg.blocks) == MAX_BLOCKS
    assert "and 72 more events not shown" in json.dumps(msg.blocks)
    assert_inert(msg, allowed_urls={"https://www.sfc.hk/en/News?ref=1&amp;lang=en"})
    empty = build_digest([], "W")
    assert_within_limits(empty)


def test_ops_message_escapes():
    msg = ops_message("source <!channel> failing 5 times")
    assert "<!channel>" not in json.dumps(msg.blocks) + msg.text
    assert_within_limits(msg)


def test_escape_and_safe_url():
    assert escape("a & b <c> @here") == "a &amp; b &lt;c&gt; @\u2060here"
    assert escape(None) == ""
    assert escape("bell\x07\x1b[31m") == "bell  [31m"
    assert safe_url("https://a.example/p?x=1&y=<2>|z") == "https://a.example/p?x=1&amp;y=%3C2%3E%7Cz"
    for bad in (
        "javascript:alert(1)",
        "ftp://a.example/",
        "https://",
        "",
        None,
        "https://a\nb.example/",
        "https://x.example/" + "a" * 3000,
    ):
        assert safe_url(bad) is None


@settings(max_examples=150, deadline=None)
@given(
    evidence=st.text(min_size=0, max_size=6000),
    actor=st.one_of(st.none(), st.text(max_size=400)),
    name=st.text(max_size=300),
    url=st.one_of(st.none(), st.text(max_size=100), st.just("https://ok.example/a")),
    kind=st.sampled_from(["new", "update", "reminder", "digest"]),
)
def test_any_scraped_text_stays_inert_and_within_limits(evidence, actor, name, url, kind):
    ev = make_event(evidence=evidence, actor=actor, sources=((name, url),), change=evidence[:50] or None)
    msg = build_message(ev, "W", kind)
    assert_within_limits(msg)
    allowed = {u for u in [safe_url(url)] if u}
    assert_inert(msg, allowed_urls=allowed)
