"""HTML fragments → text, for feed summaries and JSON fields that hold HTML.

A summary is already the article body, so it is reduced as it is (fast, no boilerplate
heuristics that would drop a short summary). Whole pages go through tracker.htmlpage.
"""

from __future__ import annotations

import logging
import re

from selectolax.lexbor import LexborHTMLParser as HTMLParser
from selectolax.lexbor import LexborNode as Node

__all__ = ["html_to_text"]

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
