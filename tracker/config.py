"""config.toml + environment → validated settings.

The settings are declared once, as pydantic models (tracker/settings.py), and read through the
schema layer (tracker/schema.py) like every other file a user edits: an unknown key or a wrong
type is one line naming the file and the key (``config.toml: fetch.max_redirects: expected an
integer, got bool True``). This module resolves what the models cannot know alone: paths
relative to the file, the environment's database URL, the User-Agent and each source's location.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tracker.errors import ConfigError
from tracker.schema import read_toml, validate_file
from tracker.settings import (
    OPTION_MODELS,
    SOURCE_KINDS,
    AlertsSettings,
    ConfigFile,
    SchedulerSettings,
    SourceEntry,
    parse_interval,
)

__all__ = [
    "SOURCE_KINDS",
    "Config",
    "SourceConfig",
    "FetchSettings",
    "load_config",
    "parse_interval",
    "check_options",
]

DATABASE_URL_ENV = "TRACKER_DATABASE_URL"


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
    options: Mapping[str, Any] = field(default_factory=dict)  # as configured; checked by check_options
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
    scheduler: SchedulerSettings
    alerts: AlertsSettings
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


def _resolve_local(root: Path, value: str) -> str:
    if value.startswith(("http://", "https://")):
        return value
    if value.startswith("file://"):
        value = value[len("file://") :]
    path = Path(value).expanduser()
    return str(path if path.is_absolute() else (root / path))


def check_options(source: SourceConfig, label: str) -> None:
    """Refuse options unfit for ``source``'s kind (and a local location for a kind that needs
    http), in one line naming ``label`` (the config file) and ``sources.<name>.options.<key>``."""
    model = OPTION_MODELS.get(source.kind)
    if model is None:
        raise ConfigError(f"{label}: sources.{source.name}.kind: unknown source kind {source.kind!r}")
    validate_file(model, dict(source.options), label, ConfigError, at=("sources", source.name, "options"))
    if source.kind in ("page", "json") and source.is_local:
        raise ConfigError(
            f"{label}: sources.{source.name}.url: kind {source.kind!r} needs an http(s) URL, got {source.location!r}"
        )


def _source(file: Path, root: Path, index: int, raw: Any) -> SourceConfig:
    name = raw.get("name") if isinstance(raw, dict) else None
    at: tuple[int | str, ...] = ("sources", name) if isinstance(name, str) and name else ("sources", index)
    if not isinstance(raw, dict):
        raise ConfigError(f"{file}: sources[{index}]: expected a table, got {raw!r}")
    entry = validate_file(SourceEntry, raw, str(file), ConfigError, at=at)
    where = f"sources.{entry.name}"
    key = "path" if entry.kind == "folder" else "url"
    location = entry.path if entry.kind == "folder" else entry.url
    if not location:
        raise ConfigError(f"{file}: {where}.{key}: required for kind = {entry.kind!r}")
    scheme = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*)://", location)
    if scheme and scheme.group(1).lower() not in ("http", "https", "file"):
        # "ftp://host/x" read as a relative path would be garbled into a folder that never exists
        raise ConfigError(
            f"{file}: {where}.{key}: unsupported URL scheme {scheme.group(1)!r} (use http://, https:// or a local path)"
        )
    source = SourceConfig(
        name=entry.name,
        kind=entry.kind,
        location=_resolve_local(root, location),
        interval_seconds=parse_interval(entry.interval),
        lang=entry.lang,
        enabled=entry.enabled,
        robots=entry.robots,
        options=dict(entry.options),
        date_locale=entry.date_locale.strip().upper() or None,
    )
    check_options(source, str(file))
    return source


def _database_url(root: Path, configured: str, environ: Mapping[str, str]) -> str:
    url = environ.get(DATABASE_URL_ENV) or configured
    prefix = "sqlite:///"
    if url.startswith(prefix) and url != "sqlite:///:memory:":
        path = Path(url[len(prefix) :])
        if not path.is_absolute():
            url = prefix + str(root / path)
    return url


def load_config(path: str | Path, environ: Mapping[str, str] | None = None) -> Config:
    """Read, validate and resolve ``path``. Every problem raises ConfigError naming file and key."""
    from tracker import __version__

    file = Path(path)
    env = dict(os.environ) if environ is None else dict(environ)
    if file.is_dir():
        raise ConfigError(f"{file}: is a folder, not a config file")
    if not file.exists():
        raise ConfigError(f"{file}: no such config file (pass --config PATH)")
    parsed = validate_file(ConfigFile, read_toml(file, str(file), ConfigError), str(file), ConfigError)
    root = file.resolve().parent
    sources = tuple(_source(file, root, i, s) for i, s in enumerate(parsed.sources))
    names = [s.name for s in sources]
    for name in names:
        if names.count(name) > 1:
            raise ConfigError(f"{file}: sources.{name}: the name is used twice")
    fetch = parsed.fetch
    return Config(
        path=file,
        root=root,
        database_url=_database_url(root, parsed.storage.database_url, env),
        rules_dir=Path(_resolve_local(root, parsed.rules.dir)),
        fetch=FetchSettings(
            user_agent=fetch.user_agent.format(version=__version__, contact=fetch.contact),
            connect_timeout=fetch.connect_timeout,
            read_timeout=fetch.read_timeout,
            deadline=fetch.deadline,
            max_body_bytes=fetch.max_body_bytes,
            max_redirects=fetch.max_redirects,
            per_host_concurrency=fetch.per_host_concurrency,
            per_host_delay=fetch.per_host_delay,
            max_backoff=fetch.max_backoff,
        ),
        scheduler=parsed.scheduler,
        alerts=parsed.alerts,
        sources=sources,
    )
