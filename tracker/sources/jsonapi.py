"""The ``json`` kind: a JSON API whose items' fields are reached by simple dotted paths.

``items = "data.list"``, ``url = "link"``, ``published = "meta.date"``, list indices as numbers
(``"authors.0.name"``). A missing path gives None; an item without text nor title is a warning.
"""

from __future__ import annotations

import json
import logging
from typing import Any
from urllib.parse import urljoin

from tracker.config import SourceConfig
from tracker.errors import json_problem
from tracker.isotime import parse_datetime
from tracker.lang import detect_lang
from tracker.sources.errors import ParseError
from tracker.sources.fetch import Fetcher
from tracker.sources.model import Item, PollResult, Validators
from tracker.sources.options import JsonOptions, resolved
from tracker.sources.textutil import html_to_text
from tracker.sources.urls import is_http_url, normalize_url

__all__ = ["poll_json", "dig", "parse_items"]

log = logging.getLogger(__name__)


def dig(value: Any, path: str) -> Any:
    """Follow a dotted path through dicts and lists; None as soon as a step is missing."""
    if not path:
        return value
    for step in path.split("."):
        if isinstance(value, dict):
            value = value.get(step)
        elif isinstance(value, list) and step.lstrip("-").isdigit() and -len(value) <= int(step) < len(value):
            value = value[int(step)]
        else:
            return None
    return value


def _string(value: Any) -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return None


def poll_json(source: SourceConfig, validators: Validators, fetcher: Fetcher) -> PollResult:
    options = resolved(source, JsonOptions)
    response = fetcher.get(source.location, validators, source=source.name)
    if response.not_modified:
        return PollResult(True, [], validators, [])
    try:
        document = json.loads(response.text)
    except json.JSONDecodeError as exc:
        raise ParseError(
            f"GET {source.location}: not JSON ({json_problem(exc.msg, line=exc.lineno)})", url=source.location
        ) from None
    items, warnings = parse_items(document, options, options.base_url or response.url, source.lang, source.location)
    for warning in warnings:
        log.warning("event=json_warning source=%s url=%s warning=%s", source.name, source.location, warning)
    return PollResult(False, items, response.validators, warnings)


def parse_items(
    document: Any, options: JsonOptions, base_url: str, lang_hint: str, label: str
) -> tuple[list[Item], list[str]]:
    raw_items = dig(document, options.items)
    if not isinstance(raw_items, list):
        where = f"options.items {options.items!r}" if options.items else "the document"
        raise ParseError(f"GET {label}: {where} is not a list (got {type(raw_items).__name__})", url=label)
    items: list[Item] = []
    warnings: list[str] = []
    for index, raw in enumerate(raw_items[: options.max_items]):
        if not isinstance(raw, dict):
            warnings.append(f"item {index}: not an object; skipped")
            continue
        title = _string(dig(raw, options.title)) if options.title else None
        text = _string(dig(raw, options.text)) or ""
        if options.html:
            text = html_to_text(text)
        if not text and not title:
            warnings.append(f"item {index}: no text at {options.text!r} nor title; skipped")
            continue
        link = _string(dig(raw, options.url))
        url = None
        if link:
            absolute = urljoin(base_url, link)
            url = normalize_url(absolute) if is_http_url(absolute) else None
        published_raw = dig(raw, options.published) if options.published else None
        published = parse_datetime(published_raw)
        if published_raw not in (None, "") and published is None:
            warnings.append(f"item {index}: unreadable date {published_raw!r}")
        guid = _string(dig(raw, options.guid)) if options.guid else None
        body = text or title or ""
        items.append(Item(url, title, published, body, detect_lang(body, lang_hint), guid=guid))
    return items, warnings
