"""Wiring: a validated config, a migrated database and the loaded rules, ready for a command.

Everything a command needs is built here once and passed in (STYLE: never reach for a
global): the CLI opens an :class:`App`, and ``run --once`` and the daemon call the same
:func:`refresh` and :func:`deliver`.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, TextIO

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError, ProgrammingError

from tracker.alerts.message import ops_message
from tracker.alerts.ratelimit import ChannelRateLimiter, SharedChannelPacer
from tracker.alerts.slack import notifier_from_env
from tracker.alerts.watchlist_file import load_watchlists
from tracker.alerts.watchlists import Destination, Watchlist
from tracker.config import DATABASE_URL_ENV, Config, SourceConfig, load_config
from tracker.db import is_sqlite, make_engine, safe_url, upgrade
from tracker.errors import AlertError, ConfigError
from tracker.models import utcnow
from tracker.rules import Rules, load_rules
from tracker.source_rows import sync_sources

if TYPE_CHECKING:  # the fetch, extraction and delivery stages load only when a command runs them
    from tracker.alerts.outbox import DeliveryReport
    from tracker.pipeline import RefreshSummary
    from tracker.sources import Fetcher

__all__ = [
    "App", "open_app", "naming_errors", "check_rules_dir", "load_rules_dir", "backed_off", "refresh", "deliver",
    "queued_alerts",
]  # fmt: skip

log = logging.getLogger(__name__)


@dataclass
class App:
    config: Config
    engine: Engine
    watchlists: list[Watchlist]
    environ: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    console_stream: TextIO | None = None
    #: a read-only command found no SQLite file: it reads an empty database in memory instead
    #: of creating the file, and says `tracker run --once` comes first
    database_missing: bool = False
    #: per-channel pacing; open_app shares it through the database (every worker, one budget)
    limiter: ChannelRateLimiter | SharedChannelPacer = field(default_factory=ChannelRateLimiter)
    _rules: Rules | None = field(default=None, init=False, repr=False)

    @property
    def rules(self) -> Rules:
        """The extraction rules, loaded and compiled on first use: compiling them takes most
        of a second, and commands that only read the database (`timeline`) never need them."""
        if self._rules is None:
            self._rules = load_rules_dir(self.config)
        return self._rules

    @property
    def watchlists_by_id(self) -> dict[str, Watchlist]:
        return {w.id: w for w in self.watchlists}

    def ops_alert(self, text: str) -> None:
        """An operational alert: to alerts.ops_channel when Slack is configured, else the console."""
        channel = self.config.alerts.ops_channel or None
        notifier = notifier_from_env(self.environ, Destination(channel=channel), stream=self.console_stream)
        try:
            notifier.post(None, ops_message(text), f"tracker:ops:{abs(hash(text))}")
        except AlertError as exc:  # an ops alert that fails must not stop polling
            log.warning("operational alert not delivered: %s", exc)

    def queue_hook(self, now: datetime | None = None) -> Callable[[Any, Any], int]:
        from tracker.alerts.outbox import queue_alerts

        return lambda session, outcome: queue_alerts(session, outcome, self.watchlists, now)


def _check_migrated(engine: Engine) -> None:
    """Servers are migrated on purpose (`tracker db upgrade`), never as a side effect."""
    where = f"storage.database_url: {safe_url(str(engine.url))}"
    try:
        connection = engine.connect()
    except OperationalError as exc:
        reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
        raise ConfigError(f"{where}: cannot connect ({reason})") from None
    try:
        with connection:
            connection.execute(text("SELECT version_num FROM alembic_version")).first()
    except (OperationalError, ProgrammingError):
        raise ConfigError(f"{where}: the database has no tracker tables yet; run `tracker db upgrade`") from None


def open_app(
    config_path: str,
    *,
    environ: Mapping[str, str] | None = None,
    migrate: bool = True,
    console: TextIO | None = None,
    rules: bool = True,
    create: bool = True,
) -> App:
    """Load and validate everything, so that bad input fails before any work starts.

    ``rules=False`` leaves the extraction rules to be loaded on first use, for commands that
    only read the timeline. ``create=False`` (read-only commands) never creates a SQLite file
    that does not exist yet: the command reads an empty database held in memory instead."""
    env = dict(os.environ) if environ is None else dict(environ)
    config = load_config(config_path, env)
    config.check_local_paths()
    check_rules_dir(config)  # every command, even one that never loads the rules (`timeline`)
    loaded = load_rules_dir(config) if rules else None  # a bad rule file fails here, before any poll
    watchlists = load_watchlists(
        config.rules_dir / "watchlists", default_max_age_days=config.alerts.max_age_days or None
    )
    check_notifiers(env, watchlists)
    missing = not create and _sqlite_file_missing(config.database_url)
    with naming_errors(config, database_from_env=bool(env.get(DATABASE_URL_ENV))):
        engine = make_engine(config.database_url) if not missing else _empty_engine()
        if missing:
            _empty_schema(engine)
        elif migrate and is_sqlite(engine):
            upgrade(engine)
        else:
            _check_migrated(engine)
    sync_sources(engine, config)
    app = App(
        config=config, engine=engine, watchlists=watchlists, environ=env, console_stream=console,
        limiter=SharedChannelPacer(engine), database_missing=missing,
    )  # fmt: skip
    app._rules = loaded
    return app


def _sqlite_file_missing(url: str) -> bool:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except ArgumentError:
        return False  # make_engine says why
    database = parsed.database
    return parsed.drivername.startswith("sqlite") and bool(database) and database != ":memory:" and not (
        os.path.exists(database or "")
    )


def _empty_engine() -> Engine:
    """An empty, migrated database in memory, one connection shared by every session."""
    from sqlalchemy import create_engine
    from sqlalchemy.pool import StaticPool

    return create_engine("sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False})


def _empty_schema(engine: Engine) -> None:
    """The tables of the throwaway in-memory database a read-only command reads when there is
    no database file yet: made from the models, since alembic's import alone costs a tenth of a
    second and nothing is ever stored there (every database that keeps data is migrated)."""
    from sqlmodel import SQLModel

    import tracker.models  # noqa: F401  (the tables register on SQLModel.metadata)

    SQLModel.metadata.create_all(engine)


@contextmanager
def naming_errors(config: Config, database_from_env: bool = False) -> Iterator[None]:
    """Put the config file in front of errors raised by code that knows only the key
    (option and database URL checks), so every config error names the file; a database URL
    that came from TRACKER_DATABASE_URL is named as that, not as the file's key."""
    try:
        yield
    except ConfigError as exc:
        message = str(exc)
        if database_from_env and message.startswith("storage.database_url"):
            raise ConfigError(DATABASE_URL_ENV + message.removeprefix("storage.database_url")) from None
        if message.startswith(f"{config.path}:"):
            raise
        raise ConfigError(f"{config.path}: {message}") from None


def check_notifiers(environ: Mapping[str, str], watchlists: list[Watchlist]) -> None:
    """Build each watchlist's notifier once at start-up, so a malformed SLACK_BOT_TOKEN is
    refused (exit 2, masked) before any poll, not when the first alert is pending.
    Building checks the token's form only; nothing is sent."""
    for watchlist in watchlists:
        notifier_from_env(environ, watchlist.destination)
    if environ.get("SLACK_BOT_TOKEN", "").strip():
        notifier_from_env(environ, Destination(channel="ops"))


def check_rules_dir(config: Config) -> None:
    """``rules.dir`` must be a folder: a typo there is bad input for every command."""
    if not config.rules_dir.is_dir():
        raise ConfigError(f"{config.path}: rules.dir: folder {config.rules_dir} does not exist")


def load_rules_dir(config: Config) -> Rules:
    """The event lexicons and gazetteers of ``rules.dir``, validated (errors name file and key)."""
    check_rules_dir(config)
    return load_rules(config.rules_dir)


def backed_off(app: App, sources: list[SourceConfig], now: datetime | None = None) -> dict[str, datetime]:
    """Sources still in failure backoff (or Retry-After), by name, with when they may poll.

    `run --once` is a manual run, so a healthy source polls even before its interval has
    elapsed; but one that failed is left alone until its row's next-poll time, so a server
    that asked for an hour's rest (429, Retry-After: 3600) is not asked again a minute later."""
    from sqlmodel import select

    from tracker.db import session_scope
    from tracker.models import Source

    moment = now or utcnow()
    names = {s.name for s in sources}
    waiting: dict[str, datetime] = {}
    with session_scope(app.engine) as session:
        for row in session.exec(select(Source).where(Source.consecutive_failures > 0)):
            until = row.next_poll_at
            if until is not None and until.tzinfo is None:
                until = until.replace(tzinfo=moment.tzinfo)
            if row.name in names and until is not None and until > moment:
                waiting[row.name] = until
    return waiting


def refresh(
    app: App,
    sources: list[SourceConfig] | None = None,
    fetcher: Fetcher | None = None,
    progress: Callable[[SourceConfig], None] | None = None,
    workers: int = 4,
    on_done: Callable[[SourceConfig, RefreshSummary], None] | None = None,
    stop: threading.Event | None = None,
) -> RefreshSummary:
    """Poll ``sources`` (default: every enabled one) once, ``workers`` at a time;
    ``on_done(source, summary)`` follows each source as it finishes (`run --once` shows it).
    ``stop`` set (Ctrl-C) ends each poll between two documents and skips the sources not
    started yet, as the daemon's stop flag does.

    Polls run in a thread pool so one slow source does not hold up the others; the fetcher's
    per-host gates keep the pool polite to any one host."""
    from tracker.pipeline import RefreshSummary, refresh_source
    from tracker.sources import Fetcher

    own = fetcher is None
    fetcher = fetcher or Fetcher(app.config.fetch)
    chosen = sources if sources is not None else [s for s in app.config.sources if s.enabled]
    total = RefreshSummary()

    def one(source: SourceConfig) -> RefreshSummary:
        if stop is not None and stop.is_set():
            return RefreshSummary()
        return refresh_source(
            app.engine, app.config, source, fetcher, app.queue_hook(), on_failing=app.ops_alert, rules=app.rules,
            stop=stop,
        )  # fmt: skip

    try:
        with ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="refresh") as pool:
            futures = {pool.submit(one, source): source for source in chosen}
            for future in as_completed(futures):
                done = future.result()
                total.add(done)
                if progress:
                    progress(futures[future])
                if on_done:
                    on_done(futures[future], done)
    finally:
        if own:
            fetcher.close()
    return total


def deliver(
    app: App,
    now: Callable[[], datetime] = utcnow,
    stale_before: datetime | None = None,
    limit: int | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> DeliveryReport:
    """Send the outbox's due rows, each watchlist to its own destination.

    ``stale_before``: rows left ``sending`` before this instant belong to a dead process and
    are reconciled at once (the SQLite daemon passes its start time: it is the only worker).
    ``limit`` and ``should_stop`` bound a daemon's pass (see deliver_pending)."""
    from tracker.alerts.outbox import deliver_pending

    cache: dict[str, tuple[Any, str | None]] = {}

    def notifier_for(watchlist: Watchlist) -> tuple[Any, str | None]:
        if watchlist.id not in cache:
            notifier = notifier_from_env(
                app.environ, watchlist.destination, limiter=app.limiter, stream=app.console_stream
            )
            cache[watchlist.id] = (notifier, getattr(notifier, "channel", None))
        return cache[watchlist.id]

    return deliver_pending(
        app.engine, app.watchlists_by_id, notifier_for, now=now, stale_before=stale_before, limit=limit,
        should_stop=should_stop,
    )  # fmt: skip


def queued_alerts(app: App) -> int:
    """Alerts in the outbox not sent yet (pending, or claimed by a pass that was cut short)."""
    from sqlalchemy import func
    from sqlmodel import col, select

    from tracker.db import session_scope
    from tracker.models import Alert

    with session_scope(app.engine) as session:
        return session.exec(
            select(func.count()).select_from(Alert).where(col(Alert.status).in_(("pending", "sending")))
        ).one()
