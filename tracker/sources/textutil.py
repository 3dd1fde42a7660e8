"""HTML fragments → text, for feed summaries and JSON fields that hold HTML.

A summary is already the article body, so it is reduced as it is (fast, no boilerplate
heuristics that would drop a short summary). Whole pages go through tracker.htmlpage.
"""

from __future__ import annotations

import logging
import re
from typing import Any

__all__ = ["html_to_text"]

log = logging.getLogger(__name__)

_BLOCK = frozenset(
    "p div br li ul ol h1 h2 h3 h4 h5 h6 tr table section article header footer blockquote pre dd dt"
    " figcaption hr".split()
)
_DROP = frozenset("script style noscript template svg iframe head".split())
_SPACES = re.compile(r"[ \t\u00a0\u3000]+")


def html_to_text(html: str) -> str:
    """Visible text of an HTML fragment, one paragraph per line, whitespace collapsed."""
    if "<" not in html:
        return _tidy(html)
    from lxml import etree
    from lxml import html as lxml_html

    try:
        document = lxml_html.document_fromstring(html)
    except (etree.ParserError, ValueError):  # nothing but markup, or no document at all
        return ""
    root = document.body if document.find("body") is not None else document
    out: list[str] = [root.text or ""]
    _walk(root, out)
    return _tidy("".join(out))


def _walk(node: Any, out: list[str]) -> None:
    for child in node:
        tag = child.tag
        if isinstance(tag, str) and tag.lower() not in _DROP:
            block = tag.lower() in _BLOCK
            if block:
                out.append("\n")
            out.append(child.text or "")
            _walk(child, out)
            if block:
                out.append("\n")
        out.append(child.tail or "")


def _tidy(text: str) -> str:
    lines = (_SPACES.sub(" ", line).strip() for line in text.replace("\r", "\n").split("\n"))
    return "\n".join(line for line in lines if line)
