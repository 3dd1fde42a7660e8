"""Slack messages for alerts: Block Kit with a plain-text fallback, safe against scraped text.

Everything that comes from a source (evidence, actor, subject, source names, even the event
type and date fields, which extraction derived from scraped text) is untrusted. Slack reads
``<!channel>``, ``<@U123>`` and ``<https://evil.example|click>`` as a channel ping, a mention
and a disguised link, so every piece of that text goes through :func:`escape` (``&``, ``<``,
``>`` become entities) and sections holding it are sent with ``verbatim: true`` so Slack does
not auto-link bare URLs or ``#channel`` names in them either. The only links in a message are
the ones this module builds itself, from source URLs that passed :func:`safe_url`.

Block Kit rejects a whole message that breaks one of its limits (50 blocks, 3,000 characters
in a section, 150 in a header), so long text is truncated with an ellipsis, never rejected.
Truncation happens on escaped text without ever cutting an entity such as ``&amp;`` in two.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import quote, urlsplit

__all__ = [
    "AlertEvent",
    "SlackMessage",
    "KINDS",
    "MAX_BLOCKS",
    "MAX_SECTION_CHARS",
    "MAX_HEADER_CHARS",
    "MAX_FALLBACK_CHARS",
    "escape",
    "safe_url",
    "format_date",
    "build_message",
    "build_digest",
    "ops_message",
]

KINDS = ("new", "update", "reminder", "digest")
MAX_BLOCKS = 50
MAX_SECTION_CHARS = 3000
MAX_HEADER_CHARS = 150
MAX_CONTEXT_CHARS = 2000  # a context element's text has its own, lower, limit
MAX_FALLBACK_CHARS = 3000  # Slack accepts more, but notifications show a few lines at most
MAX_SOURCES = 10
MAX_URL_CHARS = 2000  # longer "URLs" are dropped, so a link never has to be truncated
ELLIPSIS = "…"

_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
# "@channel" typed as plain text does not ping through the API today, but a word joiner after
# the "@" keeps it inert even if a client or a future parse mode starts to read it.
_BROADCAST = re.compile(r"@(channel|here|everyone)\b", re.IGNORECASE)
_WORD_JOINER = "\u2060"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class AlertEvent:
    """The part of a timeline event an alert needs; built by the storage layer, free of it."""

    event_id: int
    type: str
    jurisdiction: str
    date: str | None
    precision: str | None
    qualifier: str | None
    evidence: str
    actor: str | None
    subject: str | None
    confidence: float
    sources: tuple[tuple[str, str | None], ...]
    first_seen: datetime
    published: datetime | None = None
    change: str | None = None
    status: str = "done"
    party: str | None = None


@dataclass(frozen=True)
class SlackMessage:
    """What a notifier posts: Block Kit blocks and the plain-text fallback Slack always wants."""

    text: str
    blocks: list[dict[str, Any]] = field(default_factory=list)


def escape(text: str | None) -> str:
    """Make scraped text inert in Slack mrkdwn: entities for ``&<>``, broadcasts defused."""
    if not text:
        return ""
    text = _CONTROL.sub(" ", text)
    text = "".join(_ESCAPES.get(ch, ch) for ch in text)
    return _BROADCAST.sub(lambda m: "@" + _WORD_JOINER + m.group(1), text)


def _truncate(escaped: str, limit: int) -> str:
    """Cut already-escaped text to ``limit`` characters, ending in an ellipsis.

    An entity (``&amp;``, ``&lt;``, ``&gt;``) at the cut is dropped whole rather than split,
    because half an entity would show as garbage and could combine with the next text.
    """
    if len(escaped) <= limit:
        return escaped
    cut = escaped[: max(limit - len(ELLIPSIS), 0)]
    amp = cut.rfind("&")
    if amp != -1 and ";" not in cut[amp:]:
        cut = cut[:amp]
    return cut.rstrip() + ELLIPSIS


def _clip(text: str | None, limit: int) -> str:
    """Escape then truncate: the one way scraped text enters a message."""
    return _truncate(escape(text), limit)


def safe_url(url: str | None) -> str | None:
    """Return the URL ready to sit inside ``<url|name>``, or None if it is not http(s).

    Characters that would end the link syntax early (``|``, ``<``, ``>``, spaces) are
    percent-encoded and ``&`` becomes ``&amp;``, as Slack asks for URLs in mrkdwn.
    """
    if not url or len(url) > MAX_URL_CHARS:
        return None
    url = url.strip()
    if re.search(r"[\x00-\x1f\x7f]", url):  # a newline or control character: not a real URL
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    quoted = quote(url, safe="!#$%&'()*+,-./:;=?@[]_~")
    return quoted.replace("&", "&amp;")


def format_date(date: str | None, qualifier: str | None = None) -> str:
    """The date as its precision states it ("2021", "2025-Q3", "2025-08-01"), with qualifier."""
    if not date:
        return "date not stated"
    return f"{qualifier} {date}" if qualifier else date


def _header_text(event: AlertEvent, kind: str) -> str:
    prefix = {"update": "Update: ", "reminder": "Reminder: "}.get(kind, "")
    kind_label = event.type or "other"
    if event.status != "done":  # a restated ban must not read as a new ban, nor a plan as done
        kind_label += f" ({event.status})"
    parts = [event.jurisdiction or "??", kind_label, format_date(event.date, event.qualifier)]
    # plain_text is not parsed for mentions, but these fields came from scraped text too.
    return _clip(prefix + " · ".join(parts), MAX_HEADER_CHARS)


def _quote(escaped: str) -> str:
    """mrkdwn block quote: every line starts with "&gt; " once it is escaped (the real ">")."""
    return "\n".join(">" + " " + line for line in escaped.splitlines() or [""])


def _sources_mrkdwn(sources: Sequence[tuple[str, str | None]], limit: int) -> str:
    items: list[str] = []
    for name, url in sources[:MAX_SOURCES]:
        label = escape(name or url or "source").replace("|", "¦")
        label = _truncate(label, 120)
        link = safe_url(url)
        items.append(f"<{link}|{label}>" if link else label)
    if len(sources) > MAX_SOURCES:
        items.append(f"and {len(sources) - MAX_SOURCES} more")
    text = "*Sources:* " + (", ".join(items) if items else "none recorded")
    if len(text) <= limit:
        return text
    # Never cut inside a link: drop whole items until it fits.
    while items and len("*Sources:* " + ", ".join(items) + ", …") > limit:
        items.pop()
    return "*Sources:* " + ", ".join(items) + ", …"


def _section(text: str, *, verbatim: bool = True) -> dict[str, Any]:
    return {
        "type": "section",
        "text": {"type": "mrkdwn", "text": _truncate(text, MAX_SECTION_CHARS), "verbatim": verbatim},
    }


def _context(text: str) -> dict[str, Any]:
    return {
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": _truncate(text, MAX_CONTEXT_CHARS), "verbatim": True}],
    }


def _details(event: AlertEvent) -> str:
    bits = []
    if event.party:
        bits.append(f"*Party:* {_clip(event.party, 300)}")
    if event.actor:
        bits.append(f"*Actor:* {_clip(event.actor, 300)}")
    if event.subject:
        bits.append(f"*Subject:* {_clip(event.subject, 300)}")
    bits.append(f"*Confidence:* {event.confidence:.2f}")
    if event.published:
        bits.append(f"*Published:* {event.published:%Y-%m-%d %H:%M %Z}".rstrip())
    return " · ".join(bits)


def _fallback(text: str) -> str:
    return _truncate(text, MAX_FALLBACK_CHARS)


def build_message(event: AlertEvent, watchlist_title: str, kind: str) -> SlackMessage:
    """One alert as Block Kit plus fallback text; ``kind`` is one of :data:`KINDS`."""
    if kind not in KINDS:
        raise ValueError(f"unknown alert kind {kind!r} (known: {', '.join(KINDS)})")
    if kind == "digest":
        return build_digest([event], watchlist_title)
    header = _header_text(event, kind)
    evidence = _clip(event.evidence, MAX_SECTION_CHARS - 200)
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": header, "emoji": False}},
    ]
    if kind == "update" and event.change:
        blocks.append(_section(f"*Changed:* {_clip(event.change, 1000)}"))
    if kind == "reminder" and event.date:
        blocks.append(_section(f"*Coming up:* {escape(format_date(event.date, event.qualifier))}"))
    blocks.append(_section(_quote(evidence)))
    blocks.append(_context(_details(event)))
    blocks.append(_section(_sources_mrkdwn(event.sources, MAX_SECTION_CHARS)))
    blocks.append(_context(f"Watchlist: {_clip(watchlist_title, 200)} · event #{event.event_id}"))
    change = f" ({escape(event.change)})" if kind == "update" and event.change else ""
    text = f"{header}{change}: {evidence} — {_clip(watchlist_title, 200)}"
    return SlackMessage(text=_fallback(text), blocks=blocks)


def build_digest(events: Iterable[AlertEvent], watchlist_title: str) -> SlackMessage:
    """Several events in one message: one section each, within the 50-block limit."""
    events = list(events)
    title = _clip(
        f"Digest: {watchlist_title} · {len(events)} event" + ("" if len(events) == 1 else "s"), MAX_HEADER_CHARS
    )
    blocks: list[dict[str, Any]] = [{"type": "header", "text": {"type": "plain_text", "text": title, "emoji": False}}]
    room = MAX_BLOCKS - 2  # the header, and a context line saying how many did not fit
    lines: list[str] = []
    for event in events[:room]:
        head = _header_text(event, "new")
        link = next((safe_url(u) for _, u in event.sources if safe_url(u)), None)
        evidence = _clip(event.evidence, 600)
        body = f"*{head}*\n{_quote(evidence)}"
        if link:
            body += f"\n<{link}|source>"
        blocks.append(_section(body))
        lines.append(f"• {head}: {evidence}")
    if len(events) > room:
        blocks.append(_context(f"and {len(events) - room} more events not shown"))
    if not events:
        blocks.append(_section("No new events."))
    text = f"{title}\n" + "\n".join(lines)
    return SlackMessage(text=_fallback(text), blocks=blocks)


def ops_message(text: str) -> SlackMessage:
    """An operational alert (a failing source, a stuck outbox): short, escaped, no links."""
    body = _clip(text, MAX_SECTION_CHARS - 40)
    return SlackMessage(
        text=_fallback(f"tracker: {body}"),
        blocks=[_section(f":warning: *tracker:* {body}")],
    )
