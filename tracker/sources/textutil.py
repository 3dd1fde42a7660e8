"""Small text helpers shared by the source kinds: HTML → text, language, dates, HTML metadata.

Feed summaries are already the article body, so they are reduced with selectolax (fast, no
boilerplate heuristics that would drop a short summary). Whole articles go through
``tracker.text.extract_html``; when it finds no text (a page trafilatura cannot read), the
``<article>``/``<main>`` element is reduced with selectolax so the article is not lost.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime

from selectolax.lexbor import LexborHTMLParser as HTMLParser
from selectolax.lexbor import LexborNode as Node

from tracker.isotime import parse_datetime
from tracker.lang import detect_lang
from tracker.text import extract_html

__all__ = [
    "html_to_text",
    "detect_lang",
    "parse_datetime",
    "HtmlMeta",
    "html_meta",
    "extract_article",
    "Article",
]

log = logging.getLogger(__name__)

_BLOCK = frozenset(
    "p div br li ul ol h1 h2 h3 h4 h5 h6 tr table section article header footer blockquote pre dd dt"
    " figcaption hr".split()
)
_DROP = "script, style, noscript, template, svg, iframe, head"
_SPACES = re.compile(r"[ \t\u00a0\u3000]+")


def html_to_text(html: str) -> str:
    """Visible text of an HTML fragment, one paragraph per line, whitespace collapsed."""
    if "<" not in html:
        return _tidy(html)
    tree = HTMLParser(html)
    for node in tree.css(_DROP):
        node.decompose()
    root = tree.body or tree.root
    if root is None:
        return ""
    out: list[str] = []
    _walk(root, out)
    return _tidy("".join(out))


def _walk(node: Node, out: list[str]) -> None:
    child = node.child
    while child is not None:
        tag = child.tag
        if tag == "-text":
            out.append(child.text_content or "")
        elif tag not in ("-comment", "script", "style"):
            block = tag in _BLOCK
            if block:
                out.append("\n")
            _walk(child, out)
            if block:
                out.append("\n")
        child = child.next


def _tidy(text: str) -> str:
    lines = (_SPACES.sub(" ", line).strip() for line in text.replace("\r", "\n").split("\n"))
    return "\n".join(line for line in lines if line)


@dataclass(frozen=True)
class HtmlMeta:
    title: str | None
    published: datetime | None
    url: str | None
    lang: str | None


_DATE_META = (
    'meta[property="article:published_time"]',
    'meta[name="article:published_time"]',
    'meta[itemprop="datePublished"]',
    'meta[name="pubdate"]',
    'meta[name="publishdate"]',
    'meta[name="PubDate"]',
    'meta[name="date"]',
    'meta[name="DC.date"]',
    'meta[name="dc.date"]',
    'meta[name="DC.date.issued"]',
    'meta[name="dcterms.issued"]',
    'meta[name="dcterms.created"]',
)


def html_meta(html: str) -> HtmlMeta:
    """Title, publication date, canonical URL and declared language from an HTML head."""
    tree = HTMLParser(html)
    title = None
    for selector in ('meta[property="og:title"]', 'meta[name="title"]'):
        node = tree.css_first(selector)
        if node and (node.attributes.get("content") or "").strip():
            title = (node.attributes.get("content") or "").strip()
            break
    if title is None:
        node = tree.css_first("title")
        title = _tidy(node.text()) if node else None
    published = None
    for selector in _DATE_META:
        node = tree.css_first(selector)
        if node:
            published = parse_datetime(node.attributes.get("content"))
            if published:
                break
    if published is None:
        node = tree.css_first("time[datetime]")
        published = parse_datetime(node.attributes.get("datetime")) if node else None
    url = None
    for selector, attr in (('link[rel="canonical"]', "href"), ('meta[property="og:url"]', "content")):
        node = tree.css_first(selector)
        if node and (node.attributes.get(attr) or "").startswith(("http://", "https://")):
            url = node.attributes.get(attr)
            break
    html_node = tree.css_first("html")
    lang = (html_node.attributes.get("lang") or "") if html_node else ""
    code = lang.lower()[:2]
    return HtmlMeta(title or None, published, url, code if code in ("en", "zh") else None)


@dataclass(frozen=True)
class Article:
    title: str | None
    text: str
    published: datetime | None


def extract_article(html: str, url: str | None = None) -> Article:
    """Main text of a whole article page: tracker.text.extract_html, else the page's main element."""
    meta = html_meta(html)
    page = extract_html(html, url=url)
    if page.text.strip():
        return Article(page.title or meta.title, page.text, page.published or meta.published)
    tree = HTMLParser(html)
    for node in tree.css("nav, header, footer, aside, form, " + _DROP):
        node.decompose()
    main = tree.css_first("article") or tree.css_first("main") or tree.body
    text = html_to_text(main.html or "") if main is not None else ""
    return Article(meta.title, text, meta.published)
