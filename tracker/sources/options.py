"""Kind-specific ``[sources.options]``, declared once as data and validated at config load.

Each option has a type, a default (or ``REQUIRED``) and help text, like the settings table in
tracker/config.py; an unknown key, a wrong type or a bad CSS selector raises ConfigError naming
``sources.<name>.options.<key>``. ``resolved(source)`` gives the options with defaults filled in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tracker.config import SourceConfig
from tracker.errors import ConfigError

__all__ = ["Option", "OPTIONS", "REQUIRED", "validate_options", "resolved"]

REQUIRED = object()


@dataclass(frozen=True)
class Option:
    type: type | tuple[type, ...]
    default: Any
    help: str
    check: str = ""  # "selector", "path", "positive", "date_format"


def _max_items(default: int) -> Option:
    return Option(int, default, "Newest items kept per poll (the rest are ignored).", "positive")


OPTIONS: dict[str, dict[str, Option]] = {
    "feed": {
        "max_items": _max_items(200),
        "fetch_articles": Option(
            bool,
            False,
            "Fetch each new entry's link and extract its main text "
            "(for feeds that carry only titles or short summaries).",
        ),
    },
    "folder": {
        "max_items": _max_items(10_000),
        "recursive": Option(bool, True, "Also read sub-folders."),
    },
    "page": {
        "item": Option(str, REQUIRED, "CSS selector of one listing entry (e.g. 'ul.news li').", "selector"),
        "link": Option(
            str, "a", "CSS selector, inside the entry, of the article link ('' = the entry itself).", "selector?"
        ),
        "link_attr": Option(str, "href", "Attribute of the link element holding the article URL."),
        "title": Option(str, "", "CSS selector of the title inside the entry ('' = the link text).", "selector?"),
        "date": Option(
            str, "", "CSS selector of the date inside the entry ('' = the article's own date).", "selector?"
        ),
        "date_attr": Option(str, "", "Attribute holding the date (e.g. 'datetime'); '' = the element text."),
        "date_format": Option(
            str, "", "strptime format of the date (e.g. '%d %b %Y'); '' = ISO or dateparser.", "date_format"
        ),
        "max_items": _max_items(20),
        "fetch_articles": Option(bool, True, "Fetch each new article and extract its main text."),
    },
    "json": {
        "items": Option(str, "", "Dotted path to the list of items ('' = the document itself).", "path?"),
        "url": Option(str, "url", "Dotted path, inside an item, to its URL.", "path"),
        "title": Option(str, "title", "Dotted path to the title ('' = none).", "path?"),
        "published": Option(str, "published", "Dotted path to the date: ISO 8601, RFC 2822 or epoch.", "path?"),
        "text": Option(str, "text", "Dotted path to the text.", "path"),
        "guid": Option(str, "id", "Dotted path to a stable id ('' = none).", "path?"),
        "html": Option(bool, False, "The text field holds HTML to reduce to text."),
        "base_url": Option(str, "", "Base for relative item URLs ('' = the API URL)."),
        "max_items": _max_items(200),
    },
}


def _type_name(expected: type | tuple[type, ...]) -> str:
    names = {str: "string", bool: "boolean", int: "integer", float: "number"}
    if isinstance(expected, tuple):
        return " or ".join(names.get(t, t.__name__) for t in expected)
    return names.get(expected, expected.__name__)


def _check(key: str, value: Any, option: Option) -> None:
    ok = isinstance(value, option.type) and not (isinstance(value, bool) and option.type is not bool)
    if not ok:
        raise ConfigError(f"{key}: expected {_type_name(option.type)}, got {value!r}")
    check = option.check.rstrip("?")
    if option.check.endswith("?") and value == "":
        return
    if check == "positive" and value <= 0:
        raise ConfigError(f"{key}: expected a positive integer, got {value!r}")
    if check == "selector":
        from selectolax.lexbor import LexborHTMLParser, SelectolaxError

        try:
            LexborHTMLParser("<p></p>").css(value)
        except SelectolaxError:
            raise ConfigError(f"{key}: not a valid CSS selector: {value!r}") from None
    if check == "path" and (not value or any(part == "" for part in value.split("."))):
        raise ConfigError(f"{key}: expected a dotted path such as 'data.items', got {value!r}")
    if check == "date_format" and value and "%" not in value:
        raise ConfigError(f"{key}: expected a strptime format such as '%d %b %Y', got {value!r}")


def validate_options(source: SourceConfig) -> None:
    """Refuse unknown or ill-typed options of ``source`` (and a location unfit for its kind)."""
    where = f"sources.{source.name}"
    declared = OPTIONS.get(source.kind)
    if declared is None:
        raise ConfigError(f"{where}.kind: unknown source kind {source.kind!r}")
    options = source.options or {}
    for key, value in options.items():
        if key not in declared:
            known = ", ".join(declared) or "none"
            raise ConfigError(f"{where}.options.{key}: unknown option for kind {source.kind!r} (known: {known})")
        _check(f"{where}.options.{key}", value, declared[key])
    for key, option in declared.items():
        if option.default is REQUIRED and key not in options:
            raise ConfigError(f"{where}.options.{key}: required for kind {source.kind!r} ({option.help})")
    if source.kind in ("page", "json") and source.is_local:
        raise ConfigError(f"{where}.url: kind {source.kind!r} needs an http(s) URL, got {source.location!r}")


def resolved(source: SourceConfig) -> dict[str, Any]:
    """Options with defaults filled in (validates first, so a poll never sees bad options)."""
    validate_options(source)
    declared = OPTIONS[source.kind]
    return {key: source.options.get(key, option.default) for key, option in declared.items()}
