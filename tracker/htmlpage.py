"""The one page parser: an HTML page's main text, title, date, canonical URL and language.

A page is parsed once, with lxml. Its head is read against one metadata table (``_META``),
then trafilatura's ``bare_extraction`` runs on the same tree for the main text, the title and
the date (precision mode, no comments, no tables: tables on news pages are mostly prices);
the head fills in what trafilatura does not find. The head's timestamp wins over
trafilatura's date because it carries the time and the offset, which trafilatura (htmldate)
cuts to the day. When trafilatura finds no text, the page's
``<article>``/``<main>``/``<body>`` blocks are taken instead, so an article is never lost.
Listing pages are not pages in this sense: their CSS selectors run on selectolax
(tracker/sources/page.py).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tracker.isotime import parse_datetime
from tracker.text import clean_text

__all__ = ["Page", "parse_page"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Page:
    """What one HTML page says about itself. ``url`` is its canonical http(s) URL and
    ``lang`` its declared language (en or zh), when the head gives them."""

    title: str | None
    text: str
    published: datetime | None
    url: str | None = None
    lang: str | None = None


# (what, xpath of the value): the head metadata, in the order they are trusted
_META: tuple[tuple[str, str], ...] = (
    ("title", '//meta[@property="og:title"]/@content'),
    ("title", '//meta[@name="title"]/@content'),
    ("title", "//title/text()"),
    *(
        ("published", f'//meta[@{attr}="{name}"]/@content')
        for attr, name in (
            ("property", "article:published_time"),
            ("name", "article:published_time"),
            ("itemprop", "datePublished"),
            ("name", "pubdate"),
            ("name", "publishdate"),
            ("name", "PubDate"),
            ("name", "publish-date"),
            ("name", "date"),
            ("name", "DC.date"),
            ("name", "dc.date"),
            ("name", "DC.date.issued"),
            ("name", "dcterms.issued"),
            ("name", "dcterms.created"),
            ("property", "og:published_time"),
            ("name", "parsely-pub-date"),
            ("name", "sailthru.date"),
        )
    ),
    ("published", "//time/@datetime"),
    ("url", '//link[@rel="canonical"]/@href'),
    ("url", '//meta[@property="og:url"]/@content'),
    ("lang", "/html/@lang"),
)
_SPACES = re.compile(r"\s+")
_CHROME = ("script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "figure")


def _head(tree: Any) -> dict[str, Any]:
    """The first usable value of each kind in ``_META``."""
    found: dict[str, Any] = {}
    for what, path in _META:
        if what in found:
            continue
        for raw in tree.xpath(path):
            text = _SPACES.sub(" ", str(raw)).strip()
            value: object = text
            if what == "published":
                value = parse_datetime(text)
            elif what == "url" and not text.startswith(("http://", "https://")):
                value = ""
            elif what == "lang":
                value = text.lower()[:2] if text.lower()[:2] in ("en", "zh") else ""
            if value:
                found[what] = value
                break
    return found


def _extraction(tree: Any, url: str | None) -> Any:
    import trafilatura

    try:
        return trafilatura.bare_extraction(
            tree,
            url=url,
            with_metadata=True,
            favor_precision=True,
            include_comments=False,
            include_tables=False,
            # no cross-page cache: a re-fetched, updated article must keep its known paragraphs
            deduplicate=False,
            date_extraction_params={"original_date": True, "extensive_search": False},
        )
    except Exception as exc:  # noqa: BLE001 - odd markup: the page's own blocks below cover it
        log.debug("trafilatura failed url=%s error=%s", url, exc)
        return None


def _blocks(html: str) -> str:
    """The page's headings, paragraphs and list items, without page chrome; else its main
    element's whole text (a page that keeps its text in bare <div>s)."""
    from trafilatura.utils import load_html

    tree = load_html(html)
    if tree is None:
        return ""
    for node in tree.xpath("|".join(f"//{tag}" for tag in _CHROME)):
        node.drop_tree()
    roots = tree.xpath("//article") or tree.xpath("//main") or tree.xpath("//body") or [tree]
    root = roots[0]
    blocks = [
        _SPACES.sub(" ", " ".join(t.strip() for t in node.itertext() if t.strip()))
        for node in root.xpath(".//h1|.//h2|.//h3|.//p|.//li|.//blockquote")
    ]
    text = "\n\n".join(b for b in blocks if b)
    if text:
        return clean_text(text)
    lines = (_SPACES.sub(" ", line).strip() for line in root.text_content().splitlines())
    return "\n".join(line for line in lines if line)


def parse_page(html: str, url: str | None = None) -> Page:
    """Main text, title, publication date, canonical URL and declared language of a page."""
    from trafilatura.utils import load_html

    tree = load_html(html) if html.strip() else None
    if tree is None:
        return Page(None, "", None)
    head = _head(tree)
    doc = _extraction(tree, url)
    text = (getattr(doc, "text", None) or "").strip()
    text = clean_text(text) if text else _blocks(html)
    title = (getattr(doc, "title", None) or "").strip() or head.get("title")
    published = head.get("published") or parse_datetime(getattr(doc, "date", None))
    return Page(title=title, text=text, published=published, url=head.get("url"), lang=head.get("lang"))
