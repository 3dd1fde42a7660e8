"""Every setting of config.toml, declared once as pydantic models of the schema layer.

A section is a :class:`~tracker.schema.FileModel` whose fields carry their default, their
bounds and their help text (``description``), the way datasette declares its settings; the
loader (tracker/config.py), the error messages and the README test all read these models.
A source's ``options`` table is declared the same way, one model per kind, and validated at
load: an unknown key, a wrong type or a bad CSS selector is one line naming the file and
``sources.<name>.options.<key>``.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field

from tracker.schema import FileModel

__all__ = [
    "SOURCE_KINDS",
    "StorageSettings",
    "RulesSettings",
    "FetchSection",
    "SchedulerSettings",
    "AlertsSettings",
    "ConfigFile",
    "SECTIONS",
    "SourceEntry",
    "FeedOptions",
    "FolderOptions",
    "PageOptions",
    "JsonOptions",
    "SourceOptions",
    "OPTION_MODELS",
    "parse_interval",
]

SOURCE_KINDS = ("feed", "page", "json", "folder")

_INTERVAL = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d)\s*$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_interval(text: str) -> float:
    """'15m' → 900.0. Raises ValueError on anything else, so callers can name the key."""
    match = _INTERVAL.match(text)
    if not match or float(match.group(1)) <= 0:
        raise ValueError(f"expected a duration such as 30s, 15m, 2h or 1d, got {text!r}")
    return float(match.group(1)) * _UNIT_SECONDS[match.group(2)]


def _interval(value: str) -> str:
    parse_interval(value)
    return value


def _country(value: str) -> str:
    if value.strip() and not re.fullmatch(r"[A-Z]{2}", value.strip().upper()):
        raise ValueError(f"expected a two-letter country code such as 'US' or 'HK', got {value!r}")
    return value


def _name(value: str) -> str:
    if not value:
        raise ValueError("required")
    return value


# ---------------------------------------------------------------------------------------------
# config.toml sections


class StorageSettings(FileModel):
    database_url: str = Field(
        "sqlite:///tracker.db",
        description="SQLAlchemy URL. A relative SQLite path is relative to config.toml. "
        "TRACKER_DATABASE_URL overrides it.",
    )


class RulesSettings(FileModel):
    dir: str = Field("rules", description="Folder of rule files (event_types.toml, jurisdictions.toml, watchlists/).")


class FetchSection(FileModel):
    user_agent: str = Field("tracker/{version} (regulatory timeline; +{contact})", description="User-Agent header.")
    contact: str = Field("https://example.invalid/tracker", description="Contact address put in the User-Agent.")
    connect_timeout: float = Field(10.0, gt=0, description="Seconds to open a connection.")
    read_timeout: float = Field(20.0, gt=0, description="Seconds to wait for each chunk of a response.")
    deadline: float = Field(60.0, gt=0, description="Seconds for a whole request, body included.")
    max_body_bytes: int = Field(10_000_000, ge=1, description="Largest response body kept, after decompression.")
    max_redirects: int = Field(5, ge=0, le=50, description="Redirects followed before giving up.")
    per_host_concurrency: int = Field(2, ge=1, description="Requests in flight to one host at once.")
    per_host_delay: float = Field(1.0, ge=0, description="Seconds between two requests to one host.")
    max_backoff: float = Field(6 * 3600.0, gt=0, description="Cap, in seconds, of the backoff after failures.")


class SchedulerSettings(FileModel):
    tick: float = Field(5.0, gt=0, description="Seconds between two looks for due sources in the daemon.")
    jitter: float = Field(0.1, ge=0, le=0.5, description="Fraction of an interval added or removed at random.")
    lease: float = Field(
        30.0, gt=0, description="Seconds a source's lease lasts unless its poller renews it (every third of it)."
    )
    failure_alert_after: int = Field(
        5, ge=1, description="Consecutive failures of a source before an operational alert."
    )


class AlertsSettings(FileModel):
    ops_channel: str = Field("", description="Slack channel for operational alerts (empty: the console).")
    max_age_days: int = Field(0, ge=0, description="Default age limit of events that alert; 0 means no limit.")


class ConfigFile(FileModel):
    """The whole config.toml. Each ``[[sources]]`` table is a :class:`SourceEntry`, validated
    one by one so that its errors can name the source (``sources.<name>.key``)."""

    storage: StorageSettings = StorageSettings()
    rules: RulesSettings = RulesSettings()
    fetch: FetchSection = FetchSection()
    scheduler: SchedulerSettings = SchedulerSettings()
    alerts: AlertsSettings = AlertsSettings()
    sources: list[dict[str, Any]] = Field([], description="The [[sources]] tables.")


#: the settings tables of config.toml, by section name (README documents every field)
SECTIONS: dict[str, type[FileModel]] = {
    "storage": StorageSettings,
    "rules": RulesSettings,
    "fetch": FetchSection,
    "scheduler": SchedulerSettings,
    "alerts": AlertsSettings,
}


class SourceEntry(FileModel):
    """One ``[[sources]]`` table."""

    name: Annotated[str, AfterValidator(_name)] = Field(description="Unique name of the source.")
    kind: Literal["feed", "page", "json", "folder"] = Field(description="feed, page, json or folder.")
    url: str | None = Field(None, description="http(s) URL, or a path relative to config.toml for local feeds.")
    path: str | None = Field(None, description="Folder of .html, .txt or .jsonl documents (kind = folder).")
    interval: Annotated[str, AfterValidator(_interval)] = Field(
        "15m", description="How often to poll: 30s, 15m, 2h, 1d."
    )
    lang: Literal["en", "zh"] = Field("en", description="Language hint: en or zh.")
    enabled: bool = Field(True, description="Set false to keep a source without polling it.")
    robots: bool = Field(True, description="Respect robots.txt (page sources).")
    options: dict[str, Any] = Field({}, description="Options of the source kind (selectors, JSON paths).")
    date_locale: Annotated[str, AfterValidator(_country)] = Field(
        "",
        description="Country whose numeric dates the source writes: US reads 7/8/07 as July 8; "
        "GB, HK, CN as 7 August.",
    )


# ---------------------------------------------------------------------------------------------
# options of each source kind


def _positive(value: int) -> int:
    if value <= 0:
        raise ValueError(f"expected a positive integer, got {value!r}")
    return value


def _selector(value: str) -> str:
    from selectolax.lexbor import LexborHTMLParser, SelectolaxError

    try:
        LexborHTMLParser("<p></p>").css(value)
    except SelectolaxError:
        raise ValueError(f"not a valid CSS selector: {value!r}") from None
    return value


def _optional_selector(value: str) -> str:
    return _selector(value) if value else value


def _path(value: str) -> str:
    if not value or any(part == "" for part in value.split(".")):
        raise ValueError(f"expected a dotted path such as 'data.items', got {value!r}")
    return value


def _optional_path(value: str) -> str:
    return _path(value) if value else value


def _date_format(value: str) -> str:
    if value and "%" not in value:
        raise ValueError(f"expected a strptime format such as '%d %b %Y', got {value!r}")
    return value


MaxItems = Annotated[int, AfterValidator(_positive)]
Selector = Annotated[str, AfterValidator(_selector)]
OptionalSelector = Annotated[str, AfterValidator(_optional_selector)]
DottedPath = Annotated[str, AfterValidator(_path)]
OptionalPath = Annotated[str, AfterValidator(_optional_path)]
_MAX_ITEMS = "Newest items kept per poll (the rest are ignored)."


class FeedOptions(FileModel):
    max_items: MaxItems = Field(200, description=_MAX_ITEMS)
    fetch_articles: bool = Field(
        False,
        description="Fetch each new entry's link and extract its main text "
        "(for feeds that carry only titles or short summaries).",
    )


class FolderOptions(FileModel):
    max_items: MaxItems = Field(10_000, description=_MAX_ITEMS)
    recursive: bool = Field(True, description="Also read sub-folders.")


class PageOptions(FileModel):
    item: Selector = Field(description="CSS selector of one listing entry (e.g. 'ul.news li').")
    link: OptionalSelector = Field(
        "a", description="CSS selector, inside the entry, of the article link ('' = the entry itself)."
    )
    link_attr: str = Field("href", description="Attribute of the link element holding the article URL.")
    title: OptionalSelector = Field("", description="CSS selector of the title inside the entry ('' = the link text).")
    date: OptionalSelector = Field(
        "", description="CSS selector of the date inside the entry ('' = the article's own date)."
    )
    date_attr: str = Field("", description="Attribute holding the date (e.g. 'datetime'); '' = the element text.")
    date_format: Annotated[str, AfterValidator(_date_format)] = Field(
        "", description="strptime format of the date (e.g. '%d %b %Y'); '' = ISO or dateparser."
    )
    max_items: MaxItems = Field(20, description=_MAX_ITEMS)
    fetch_articles: bool = Field(True, description="Fetch each new article and extract its main text.")


class JsonOptions(FileModel):
    items: OptionalPath = Field("", description="Dotted path to the list of items ('' = the document itself).")
    url: DottedPath = Field("url", description="Dotted path, inside an item, to its URL.")
    title: OptionalPath = Field("title", description="Dotted path to the title ('' = none).")
    published: OptionalPath = Field(
        "published", description="Dotted path to the date: ISO 8601, RFC 2822 or epoch."
    )
    text: DottedPath = Field("text", description="Dotted path to the text.")
    guid: OptionalPath = Field("id", description="Dotted path to a stable id ('' = none).")
    html: bool = Field(False, description="The text field holds HTML to reduce to text.")
    base_url: str = Field("", description="Base for relative item URLs ('' = the API URL).")
    max_items: MaxItems = Field(200, description=_MAX_ITEMS)


SourceOptions = FeedOptions | FolderOptions | PageOptions | JsonOptions

#: the options model of each source kind
OPTION_MODELS: dict[str, type[FileModel]] = {
    "feed": FeedOptions,
    "folder": FolderOptions,
    "page": PageOptions,
    "json": JsonOptions,
}
