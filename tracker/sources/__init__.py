"""Fetching and parsing of sources: no database here, only values for the lead's storage.

``poll(source, validators, fetcher)`` runs one source of any kind and returns a PollResult;
failures are FetchError subclasses (see ``tracker.sources.errors``) whose one-line message names
the source and the URL. Kinds: feed (RSS/Atom), page (a listing page + its articles), json (an
API with dotted paths), folder (local .html/.txt/.jsonl).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from tracker.backoff import backoff_delay
from tracker.config import SourceConfig
from tracker.errors import FetchError
from tracker.sources.errors import (
    BodyTooLarge,
    FetchTimeout,
    HTTPStatusError,
    ParseError,
    RedirectError,
    RetryLater,
    RobotsDisallowed,
    with_prefix,
)
from tracker.sources.fetch import Fetcher, Response
from tracker.sources.model import Item, PollResult, Validators
from tracker.sources.options import OPTION_MODELS, check_options
from tracker.sources.urls import normalize_url

__all__ = [
    "Item",
    "Validators",
    "PollResult",
    "Fetcher",
    "Response",
    "poll",
    "normalize_url",
    "backoff_delay",
    "check_options",
    "OPTION_MODELS",
    "FetchError",
    "HTTPStatusError",
    "RetryLater",
    "FetchTimeout",
    "BodyTooLarge",
    "RedirectError",
    "RobotsDisallowed",
    "ParseError",
]

log = logging.getLogger(__name__)


def poll(
    source: SourceConfig,
    validators: Validators,
    fetcher: Fetcher,
    seen: Callable[[str], bool] | None = None,
) -> PollResult:
    """Poll ``source`` once.

    ``seen(normalized_url)`` tells the page kind (and feeds with ``fetch_articles``) which
    articles are already stored, so that only new ones are fetched; other kinds ignore it. Errors are re-raised with
    ``source NAME:`` in front (the inner message names the URL), type and attributes (``retry_after``) kept.
    """
    validators = validators or Validators()
    try:
        if source.kind == "feed":
            from tracker.sources.feed import poll_feed

            result = poll_feed(source, validators, fetcher, seen)
        elif source.kind == "folder":
            from tracker.sources.folder import poll_folder

            result = poll_folder(source, validators, fetcher)
        elif source.kind == "page":
            from tracker.sources.page import poll_page

            result = poll_page(source, validators, fetcher, seen)
        elif source.kind == "json":
            from tracker.sources.jsonapi import poll_json

            result = poll_json(source, validators, fetcher)
        else:
            raise FetchError(f"unknown source kind {source.kind!r}")
    except FetchError as exc:
        log.info(
            "event=poll_failed source=%s url=%s error_type=%s error=%s",
            source.name,
            source.location,
            type(exc).__name__,
            exc,
        )
        raise with_prefix(exc, f"source {source.name}") from exc
    log.info(
        "event=polled source=%s url=%s not_modified=%s items=%d warnings=%d",
        source.name,
        source.location,
        result.not_modified,
        len(result.items),
        len(result.warnings),
    )
    return result
