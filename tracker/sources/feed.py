"""The ``feed`` kind: RSS 0.9x/1.0/2.0 and Atom, fetched by us, parsed by feedparser.

feedparser given a URL fetches with no timeout, and given a short ``bytes``/``str`` may even
open it as a file name: we always hand it a BytesIO. The body is first decoded with our charset
rules (GB2312 → gb18030, Big5 → big5hkscs) and re-encoded as UTF-8, because feedparser trusts a
"gb2312" declaration strictly and loses characters outside it.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import feedparser

from tracker.config import SourceConfig
from tracker.isotime import parse_datetime
from tracker.lang import detect_lang
from tracker.sources.charset import decode_body
from tracker.sources.errors import FetchError, ParseError, one_line
from tracker.sources.fetch import Fetcher
from tracker.sources.local import signature
from tracker.sources.model import Item, PollResult, Validators
from tracker.sources.options import FeedOptions, resolved
from tracker.sources.textutil import html_to_text
from tracker.sources.urls import normalize_url

__all__ = ["poll_feed", "parse_feed"]

log = logging.getLogger(__name__)

_XML_DECL_ENCODING = re.compile(r"""^(\s*<\?xml[^>]*?encoding\s*=\s*)["'][\w.:-]+["']""", re.I)


def poll_feed(
    source: SourceConfig, validators: Validators, fetcher: Fetcher, seen: Callable[[str], bool] | None = None
) -> PollResult:
    """Fetch (or read) the feed and parse it; 304 or an unchanged local file → not_modified.

    With ``fetch_articles``, each entry ``seen`` does not know has its link fetched and its
    main text extracted; a failed article keeps the feed's own text, with a warning.
    """
    options = resolved(source, FeedOptions)
    if source.is_local:
        path = Path(source.location)
        new_validators = signature([path])
        if validators.etag and validators.etag == new_validators.etag:
            return PollResult(True, [], validators, [])
        try:
            body = path.read_bytes()
        except OSError as exc:
            raise FetchError(f"cannot read {path}: {exc.strerror or exc}") from None
        content_type, base = None, path.as_uri()
    else:
        response = fetcher.get(source.location, validators, respect_robots=False, source=source.name)
        if response.not_modified:
            return PollResult(True, [], _keep(validators, response.validators), [])
        body, content_type, base = response.body, response.content_type, response.url
        new_validators = response.validators
    items, warnings = parse_feed(body, content_type, base, source.lang, source.location)
    items = items[: options.max_items]
    if options.fetch_articles:
        items = [_with_article(source, item, fetcher, seen, warnings) for item in items]
    log.debug("event=feed_parsed source=%s url=%s items=%d", source.name, source.location, len(items))
    return PollResult(False, items, new_validators, warnings)


def _with_article(
    source: SourceConfig, item: Item, fetcher: Fetcher, seen: Callable[[str], bool] | None, warnings: list[str]
) -> Item:
    if not item.url or not item.url.startswith(("http://", "https://")) or (seen is not None and seen(item.url)):
        return item
    from tracker.sources.page import Listing, fetch_article

    try:
        article = fetch_article(source, Listing(item.url, item.title, item.published), fetcher, warnings)
    except FetchError as exc:
        warnings.append(f"article not fetched, feed text kept: {exc}")
        return item
    if len(article.text) <= len(item.text):
        return item
    return replace(article, guid=item.guid)


def _keep(old: Validators, new: Validators) -> Validators:
    """A 304 may omit the validators; keep the stored ones then."""
    return Validators(etag=new.etag or old.etag, last_modified=new.last_modified or old.last_modified)


def parse_feed(
    body: bytes, content_type: str | None, base_url: str, lang_hint: str, label: str
) -> tuple[list[Item], list[str]]:
    """Items of a feed document; ParseError when it is malformed and nothing could be read."""
    text, _ = decode_body(body, content_type)
    text = _XML_DECL_ENCODING.sub(r'\1"utf-8"', text, count=1)
    headers = {"content-type": "application/xml; charset=utf-8", "content-location": base_url}
    parsed = feedparser.parse(io.BytesIO(text.encode("utf-8")), response_headers=headers)
    warnings: list[str] = []
    if not parsed.get("bozo") and not parsed.entries and not parsed.get("version"):
        raise ParseError(f"{label}: not an RSS or Atom feed", url=base_url)
    feed_lang = (parsed.feed.get("language") or "")[:2].lower()
    hint = feed_lang if feed_lang in ("en", "zh") else lang_hint
    items = []
    for entry in parsed.entries:
        item = _item(entry, hint)
        if item is not None:
            items.append(item)
    if parsed.get("bozo"):
        reason = one_line(parsed.get("bozo_exception") or "unknown error")
        # feedparser may return empty shells of entries from a truncated document
        if not items:
            raise ParseError(f"{label}: malformed feed, no entries could be read ({reason})", url=base_url)
        warnings.append(f"malformed feed (bozo): {reason}; {len(items)} entries still read")
    return items, warnings


def _entry_html(entry: Any) -> tuple[str, bool]:
    """The fullest body of an entry: the longest content, else the summary; and whether HTML."""
    best, is_html = "", True
    for content in entry.get("content") or []:
        value = content.get("value") or ""
        if len(value) > len(best):
            best, is_html = value, "html" in (content.get("type") or "text/html")
    summary = entry.get("summary") or ""
    if len(summary) > len(best):
        detail = entry.get("summary_detail") or {}
        best, is_html = summary, "html" in (detail.get("type") or "text/html")
    return best, is_html


def _published(entry: Any) -> datetime | None:
    """The entry's own date string, keeping its offset; feedparser's UTC tuple as a fallback."""
    for key in ("published", "updated", "created"):
        raw = entry.get(key)
        if raw:
            when = parse_datetime(raw)
            if when is not None:
                return when
        parsed = entry.get(f"{key}_parsed")
        if parsed:
            year, month, day, hour, minute, second = parsed[:6]
            return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    return None


def _item(entry: Any, hint: str) -> Item | None:
    body, is_html = _entry_html(entry)
    text = html_to_text(body) if is_html else " ".join(body.split())
    link = entry.get("link") or None
    title = " ".join((entry.get("title") or "").split()) or None
    if not text and not title:
        return None
    if not text:  # title-only feeds (common with regulators): the headline is all there is
        text = title or ""
    entry_lang = (entry.get("language") or "")[:2].lower()
    lang = detect_lang(f"{title or ''} {text}", entry_lang if entry_lang in ("en", "zh") else hint)
    return Item(
        url=normalize_url(link) if link else None,
        title=title,
        published=_published(entry),
        text=text,
        lang=lang,
        guid=entry.get("id") or None,
    )
