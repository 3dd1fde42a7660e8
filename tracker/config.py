"""config.toml + environment → validated settings.

Every setting is declared once, as data, with its type, default and help text (the way
datasette declares its settings), so that validation, the error messages and the
documentation test all read the same table. An unknown key or a wrong type is refused with
a message that names the file, the key, the expected type and the value received.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tracker.errors import ConfigError

__all__ = [
    "Setting",
    "SETTINGS",
    "SOURCE_KEYS",
    "SOURCE_KINDS",
    "Config",
    "SourceConfig",
    "FetchSettings",
    "load_config",
    "parse_interval",
]

DATABASE_URL_ENV = "TRACKER_DATABASE_URL"
SOURCE_KINDS = ("feed", "page", "json", "folder")


@dataclass(frozen=True)
class Setting:
    """One declared setting: ``section.key``, its Python type, default, help text and range."""

    type: type | tuple[type, ...]
    default: Any
    help: str
    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: bool = False

    def check_range(self, file: Path, key: str, value: Any) -> None:
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            return
        low = self.minimum
        if low is not None and (value <= low if self.exclusive_minimum else value < low):
            bound = f"more than {low:g}" if self.exclusive_minimum else f"at least {low:g}"
            raise ConfigError(f"{file}: {key}: must be {bound}, got {value!r}")
        if self.maximum is not None and value > self.maximum:
            raise ConfigError(f"{file}: {key}: must be at most {self.maximum:g}, got {value!r}")


SETTINGS: dict[str, dict[str, Setting]] = {
    "storage": {
        "database_url": Setting(
            str,
            "sqlite:///tracker.db",
            "SQLAlchemy URL. A relative SQLite path is relative to config.toml. TRACKER_DATABASE_URL overrides it.",
        ),
    },
    "rules": {
        "dir": Setting(str, "rules", "Folder of rule files (event_types.toml, jurisdictions.toml, watchlists/)."),
    },
    "fetch": {
        "user_agent": Setting(str, "tracker/{version} (regulatory timeline; +{contact})", "User-Agent header."),
        "contact": Setting(str, "https://example.invalid/tracker", "Contact address put in the User-Agent."),
        "connect_timeout": Setting((int, float), 10.0, "Seconds to open a connection.", 0, exclusive_minimum=True),
        "read_timeout": Setting(
            (int, float), 20.0, "Seconds to wait for each chunk of a response.", 0, exclusive_minimum=True
        ),
        "deadline": Setting(
            (int, float), 60.0, "Seconds for a whole request, body included.", 0, exclusive_minimum=True
        ),
        "max_body_bytes": Setting(int, 10_000_000, "Largest response body kept, after decompression.", 1),
        "max_redirects": Setting(int, 5, "Redirects followed before giving up.", 0, 50),
        "per_host_concurrency": Setting(int, 2, "Requests in flight to one host at once.", 1),
        "per_host_delay": Setting((int, float), 1.0, "Seconds between two requests to one host.", 0),
        "max_backoff": Setting(
            (int, float), 6 * 3600.0, "Cap, in seconds, of the backoff after failures.", 0, exclusive_minimum=True
        ),
    },
    "scheduler": {
        "tick": Setting(
            (int, float), 5.0, "Seconds between two looks for due sources in the daemon.", 0, exclusive_minimum=True
        ),
        "jitter": Setting((int, float), 0.1, "Fraction of an interval added or removed at random.", 0, 0.5),
        "lease": Setting(
            (int, float), 30.0, "Seconds a source's lease lasts unless its poller renews it (every third of it).",
            0, exclusive_minimum=True,
        ),
        "failure_alert_after": Setting(int, 5, "Consecutive failures of a source before an operational alert.", 1),
    },
    "alerts": {
        "ops_channel": Setting(str, "", "Slack channel for operational alerts (empty: the console)."),
        "max_age_days": Setting(int, 0, "Default age limit of events that alert; 0 means no limit.", 0),
    },
}

SOURCE_KEYS: dict[str, Setting] = {
    "name": Setting(str, None, "Unique name of the source."),
    "kind": Setting(str, None, "feed, page, json or folder."),
    "url": Setting(str, None, "http(s) URL, or a path relative to config.toml for local feeds."),
    "path": Setting(str, None, "Folder of .html, .txt or .jsonl documents (kind = folder)."),
    "interval": Setting(str, "15m", "How often to poll: 30s, 15m, 2h, 1d."),
    "lang": Setting(str, "en", "Language hint: en or zh."),
    "enabled": Setting(bool, True, "Set false to keep a source without polling it."),
    "robots": Setting(bool, True, "Respect robots.txt (page sources)."),
    "options": Setting(dict, {}, "Options of the source kind (selectors, JSON paths)."),
    "date_locale": Setting(
        str, "", "Country whose numeric dates the source writes: US reads 7/8/07 as July 8; GB, HK, CN as 7 August."
    ),
}


@dataclass(frozen=True)
class SourceConfig:
    """One source as configured; ``location`` is the URL or the resolved local path."""

    name: str
    kind: str
    location: str
    interval_seconds: float
    lang: str
    enabled: bool = True
    robots: bool = True
    options: dict[str, Any] = field(default_factory=dict)
    date_locale: str | None = None  # None: from the language and the URL (tracker.dates.locale)

    @property
    def is_local(self) -> bool:
        return not self.location.startswith(("http://", "https://"))


@dataclass(frozen=True)
class FetchSettings:
    """What the fetcher needs, taken from the [fetch] table."""

    user_agent: str
    connect_timeout: float
    read_timeout: float
    deadline: float
    max_body_bytes: int
    max_redirects: int
    per_host_concurrency: int
    per_host_delay: float
    max_backoff: float


@dataclass(frozen=True)
class Config:
    """The validated configuration. ``path`` is the config file; ``root`` its folder."""

    path: Path
    root: Path
    database_url: str
    rules_dir: Path
    fetch: FetchSettings
    scheduler: dict[str, Any]
    alerts: dict[str, Any]
    sources: tuple[SourceConfig, ...]

    def check_local_paths(self) -> None:
        """Refuse an enabled source whose local feed file or folder does not exist.

        Checked when a command opens the app (exit 2, naming file and key), not found out at
        the first poll as a failing source (exit 1). Disabled sources are not checked, so a
        configuration can keep one whose folder is made later."""
        for source in self.sources:
            if source.enabled and source.is_local and not Path(source.location).exists():
                key = "path" if source.kind == "folder" else "url"
                raise ConfigError(f"{self.path}: sources.{source.name}.{key}: {source.location} does not exist")

    def source(self, name: str) -> SourceConfig:
        for source in self.sources:
            if source.name == name:
                return source
        raise ConfigError(f"{self.path}: no source named {name!r} (see `tracker sources`)")


_INTERVAL = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d)\s*$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_interval(text: str) -> float:
    """'15m' → 900.0. Raises ValueError on anything else, so callers can name the key."""
    match = _INTERVAL.match(text)
    if not match or float(match.group(1)) <= 0:
        raise ValueError(f"expected a duration such as 30s, 15m, 2h or 1d, got {text!r}")
    return float(match.group(1)) * _UNIT_SECONDS[match.group(2)]


def _type_name(expected: type | tuple[type, ...]) -> str:
    if isinstance(expected, tuple):
        return "number" if float in expected else " or ".join(t.__name__ for t in expected)
    return {str: "string", bool: "boolean", int: "integer", dict: "table"}.get(expected, expected.__name__)


def _check_type(file: Path, key: str, value: Any, expected: type | tuple[type, ...]) -> Any:
    ok = isinstance(value, expected)
    if (
        isinstance(value, bool)
        and expected is not bool
        and (expected in (int, float) or (isinstance(expected, tuple) and bool not in expected))
    ):
        ok = False  # TOML true is not a number
    if not ok:
        raise ConfigError(f"{file}: {key}: expected {_type_name(expected)}, got {value!r}")
    return value


def _section(file: Path, raw: dict[str, Any], name: str) -> dict[str, Any]:
    table = raw.get(name, {})
    if not isinstance(table, dict):
        raise ConfigError(f"{file}: {name}: expected a table, got {table!r}")
    declared = SETTINGS[name]
    for key in table:
        if key not in declared:
            raise ConfigError(f"{file}: {name}.{key}: unknown key (known: {', '.join(declared)})")
    values = {}
    for key, setting in declared.items():
        value = table.get(key, setting.default)
        values[key] = _check_type(file, f"{name}.{key}", value, setting.type)
        setting.check_range(file, f"{name}.{key}", value)
    return values


def _resolve_local(root: Path, value: str) -> str:
    if value.startswith(("http://", "https://")):
        return value
    if value.startswith("file://"):
        value = value[len("file://") :]
    path = Path(value).expanduser()
    return str(path if path.is_absolute() else (root / path))


def _source(file: Path, root: Path, index: int, raw: Any) -> SourceConfig:
    where = f"sources[{index}]"
    if not isinstance(raw, dict):
        raise ConfigError(f"{file}: {where}: expected a table, got {raw!r}")
    name = raw.get("name")
    if isinstance(name, str) and name:
        where = f"sources.{name}"
    for key in raw:
        if key not in SOURCE_KEYS:
            raise ConfigError(f"{file}: {where}.{key}: unknown key (known: {', '.join(SOURCE_KEYS)})")
    values = {
        k: _check_type(file, f"{where}.{k}", raw.get(k, s.default), s.type)
        for k, s in SOURCE_KEYS.items()
        if raw.get(k, s.default) is not None
    }
    if not values.get("name"):
        raise ConfigError(f"{file}: {where}.name: required")
    kind = values.get("kind")
    if kind not in SOURCE_KINDS:
        raise ConfigError(f"{file}: {where}.kind: expected one of {', '.join(SOURCE_KINDS)}, got {kind!r}")
    key = "path" if kind == "folder" else "url"
    location = values.get(key)
    if not location:
        raise ConfigError(f"{file}: {where}.{key}: required for kind = {kind!r}")
    scheme = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*)://", location)
    if scheme and scheme.group(1).lower() not in ("http", "https", "file"):
        # "ftp://host/x" read as a relative path would be garbled into a folder that never exists
        raise ConfigError(
            f"{file}: {where}.{key}: unsupported URL scheme {scheme.group(1)!r} (use http://, https:// or a local path)"
        )
    resolved = _resolve_local(root, location)
    try:
        interval = parse_interval(values["interval"])
    except ValueError as exc:
        raise ConfigError(f"{file}: {where}.interval: {exc}") from None
    if values["lang"] not in ("en", "zh"):
        raise ConfigError(f"{file}: {where}.lang: expected 'en' or 'zh', got {values['lang']!r}")
    date_locale = values["date_locale"].strip().upper()
    if date_locale and not re.fullmatch(r"[A-Z]{2}", date_locale):
        raise ConfigError(
            f"{file}: {where}.date_locale: expected a two-letter country code such as 'US' or 'HK', "
            f"got {values['date_locale']!r}"
        )
    return SourceConfig(
        name=values["name"],
        kind=kind,
        location=resolved,
        interval_seconds=interval,
        lang=values["lang"],
        enabled=values["enabled"],
        robots=values["robots"],
        options=dict(values["options"]),
        date_locale=date_locale or None,
    )


def _database_url(root: Path, configured: str, environ: dict[str, str]) -> str:
    url = environ.get(DATABASE_URL_ENV) or configured
    prefix = "sqlite:///"
    if url.startswith(prefix) and url != "sqlite:///:memory:":
        path = Path(url[len(prefix) :])
        if not path.is_absolute():
            url = prefix + str(root / path)
    return url


def load_config(path: str | Path, environ: dict[str, str] | None = None) -> Config:
    """Read, validate and resolve ``path``. Every problem raises ConfigError naming file and key."""
    from tracker import __version__

    file = Path(path)
    environ = dict(os.environ) if environ is None else environ
    try:
        raw = tomllib.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{file}: no such config file (pass --config PATH)") from None
    except IsADirectoryError:
        raise ConfigError(f"{file}: is a folder, not a config file") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{file}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{file}: not valid TOML: {exc}") from None
    known = set(SETTINGS) | {"sources"}
    for key in raw:
        if key not in known:
            raise ConfigError(f"{file}: {key}: unknown key (known: {', '.join(sorted(known))})")
    root = file.resolve().parent
    sections = {name: _section(file, raw, name) for name in SETTINGS}
    raw_sources = raw.get("sources", [])
    if not isinstance(raw_sources, list):
        raise ConfigError(f"{file}: sources: expected an array of tables ([[sources]]), got {raw_sources!r}")
    sources = tuple(_source(file, root, i, s) for i, s in enumerate(raw_sources))
    names = [s.name for s in sources]
    for name in names:
        if names.count(name) > 1:
            raise ConfigError(f"{file}: sources.{name}: the name is used twice")
    fetch = sections["fetch"]
    user_agent = fetch["user_agent"].format(version=__version__, contact=fetch["contact"])
    return Config(
        path=file,
        root=root,
        database_url=_database_url(root, sections["storage"]["database_url"], environ),
        rules_dir=Path(_resolve_local(root, sections["rules"]["dir"])),
        fetch=FetchSettings(
            user_agent=user_agent,
            connect_timeout=float(fetch["connect_timeout"]),
            read_timeout=float(fetch["read_timeout"]),
            deadline=float(fetch["deadline"]),
            max_body_bytes=fetch["max_body_bytes"],
            max_redirects=fetch["max_redirects"],
            per_host_concurrency=fetch["per_host_concurrency"],
            per_host_delay=float(fetch["per_host_delay"]),
            max_backoff=float(fetch["max_backoff"]),
        ),
        scheduler=sections["scheduler"],
        alerts=sections["alerts"],
        sources=sources,
    )
