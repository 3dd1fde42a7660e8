"""The ``page`` kind: a regulator's press-release listing, then each new article.

The listing is fetched with conditional GET and robots.txt (unless ``robots = false``); CSS
selectors from the options pick each entry's link, title and date. Only articles that
``seen(url)`` does not know are fetched, so a poll of an unchanged listing costs one request.
One article failing is a warning; the listing's validators are then not kept, so that the
next poll sees the listing again and retries the article instead of getting a 304.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from urllib.parse import urljoin

from selectolax.lexbor import LexborHTMLParser, LexborNode

from tracker.config import SourceConfig
from tracker.htmlpage import parse_page
from tracker.isotime import parse_datetime
from tracker.lang import detect_lang
from tracker.sources.errors import FetchError, ParseError, RetryLater, one_line
from tracker.sources.fetch import Fetcher
from tracker.sources.model import Item, PollResult, Validators
from tracker.sources.options import PageOptions, resolved
from tracker.sources.urls import is_http_url, normalize_url

__all__ = ["poll_page", "parse_listing", "Listing", "parse_date", "fetch_article"]

log = logging.getLogger(__name__)


class Listing:
    """One entry of a listing page (before its article is fetched)."""

    __slots__ = ("url", "title", "published")

    def __init__(self, url: str, title: str | None, published: datetime | None) -> None:
        self.url, self.title, self.published = url, title, published


def parse_date(text: str, date_format: str, lang: str) -> datetime | None:
    """A listing date: the configured strptime format, else ISO/RFC/年月日, else dateparser."""
    text = " ".join(text.split())
    if not text:
        return None
    if date_format:
        try:
            return datetime.strptime(text, date_format)
        except ValueError:
            return None
    when = parse_datetime(text)
    if when is not None:
        return when
    import dateparser  # slow to import: only when a listing needs it

    parsed: datetime | None = dateparser.parse(text, languages=[lang], settings={"PREFER_DAY_OF_MONTH": "first"})
    return parsed


def _text(node: LexborNode | None) -> str:
    return " ".join((node.text(separator=" ") if node is not None else "").split())


def parse_listing(html: str, base_url: str, options: PageOptions, lang: str) -> tuple[list[Listing], list[str]]:
    """Entries of a listing page, in page order, deduplicated by normalised URL."""
    tree = LexborHTMLParser(html)
    base = tree.css_first("base[href]")
    if base is not None:
        base_url = urljoin(base_url, base.attributes.get("href") or "")
    nodes = tree.css(options.item)
    if not nodes:
        raise ParseError(
            f"GET {base_url}: no element matches options.item {options.item!r} (page changed?)", url=base_url
        )
    listings: list[Listing] = []
    warnings: list[str] = []
    known: set[str] = set()
    for index, node in enumerate(nodes, start=1):
        link = node if not options.link else node.css_first(options.link)
        href = (link.attributes.get(options.link_attr) or "").strip() if link is not None else ""
        if not href:
            warnings.append(f"entry {index}: no link ({options.link!r} / {options.link_attr!r}); skipped")
            continue
        url = urljoin(base_url, href)
        if not is_http_url(url):
            continue  # javascript:, mailto:
        url = normalize_url(url)
        if url in known:
            continue
        known.add(url)
        title = _text(node.css_first(options.title)) if options.title else _text(link)
        published = None
        if options.date:
            date_node = node.css_first(options.date)
            raw = ""
            if date_node is not None:
                attr = options.date_attr
                raw = (date_node.attributes.get(attr) or "") if attr else _text(date_node)
            published = parse_date(raw, options.date_format, lang)
            if raw and published is None:
                warnings.append(f"entry {index}: unreadable date {raw!r}")
        listings.append(Listing(url, title or None, published))
        if len(listings) >= options.max_items:
            break
    return listings, warnings


def poll_page(
    source: SourceConfig, validators: Validators, fetcher: Fetcher, seen: Callable[[str], bool] | None = None
) -> PollResult:
    options = resolved(source, PageOptions)
    response = fetcher.get(source.location, validators, respect_robots=source.robots, source=source.name)
    if response.not_modified:
        return PollResult(True, [], validators, [])
    listings, warnings = parse_listing(response.text, response.url, options, source.lang)
    items: list[Item] = []
    failures: list[str] = []
    for listing in listings:
        if seen is not None and seen(listing.url):
            continue
        if not options.fetch_articles:
            text = listing.title or ""
            items.append(Item(listing.url, listing.title, listing.published, text, detect_lang(text, source.lang)))
            continue
        try:
            items.append(fetch_article(source, listing, fetcher, warnings))
        except RetryLater as exc:
            failures.append(str(exc))
            warnings.append(f"{exc}; remaining articles left for the next poll")
            break  # do not hammer a host that asked us to wait
        except FetchError as exc:
            failures.append(str(exc))
            warnings.append(f"article skipped: {exc}")
    if failures and not items:
        raise FetchError(f"GET {source.location}: all {len(failures)} new articles failed; first: {failures[0]}")
    for warning in warnings:
        log.warning("event=page_warning source=%s url=%s warning=%s", source.name, source.location, warning)
    kept = Validators() if failures else response.validators
    return PollResult(False, items, kept, warnings)


def fetch_article(source: SourceConfig, listing: Listing, fetcher: Fetcher, warnings: list[str]) -> Item:
    """Fetch one article and extract its main text; the listing's title and date win if given."""
    response = fetcher.get(listing.url, respect_robots=source.robots, source=source.name)
    content_type = response.content_type.split(";")[0].strip().lower()
    if content_type and "html" not in content_type and not content_type.startswith("text/"):
        warnings.append(f"{listing.url}: {content_type}, not HTML; kept the listing title only")
        text = listing.title or ""
        return Item(listing.url, listing.title, listing.published, text, detect_lang(text, source.lang))
    try:
        article = parse_page(response.text, url=response.url)
    except Exception as exc:  # noqa: BLE001 - the extractor is another module; one page must not stop the poll
        raise ParseError(
            f"GET {listing.url}: text extraction failed ({type(exc).__name__}: {one_line(exc)})", url=listing.url
        ) from None
    text = article.text or listing.title or ""
    return Item(
        url=listing.url,
        title=listing.title or article.title,
        published=listing.published or article.published,
        text=text,
        lang=detect_lang(text, source.lang),
    )
