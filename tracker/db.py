"""Engine, sessions and migrations.

SQLite is the default (one worker, WAL and a busy timeout so the CLI can read while the
daemon writes); PostgreSQL when several workers share a database. Both are migrated by
alembic from the same scripts, so the schema never depends on ``create_all``.
"""

from __future__ import annotations

import os
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: one process at a time is the user's job
    fcntl = None  # type: ignore[assignment]

from sqlalchemy import event
from sqlalchemy.engine import CursorResult, Engine, Result, make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlmodel import Session, create_engine

from tracker.errors import ConfigError

__all__ = [
    "make_engine", "upgrade", "schema_revision", "session_scope", "is_sqlite", "safe_url", "one_daemon",
    "installation_id", "rowcount",
]  # fmt: skip

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
#: The newest migration's revision (tests/test_storage.py holds it to alembic's own head):
#: a database already there is not handed to alembic, whose import alone costs a tenth of a
#: second of every `tracker timeline`.
HEAD_REVISION = "0003"


def safe_url(url: str) -> str:
    """The URL with any password masked, for messages and logs, with the scheme a user writes
    (postgresql://, not the driver's postgresql+psycopg://)."""
    try:
        parsed = make_url(url)
        if parsed.drivername == "postgresql+psycopg":
            parsed = parsed.set(drivername="postgresql")
        return parsed.render_as_string(hide_password=True)
    except ArgumentError:
        return "<unparseable database URL>"


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str) -> Engine:
    """Build the engine; psycopg 3 is the PostgreSQL driver whatever the URL's scheme says."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ConfigError(f"storage.database_url: not a database URL: {safe_url(url)}") from None
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if not parsed.drivername.startswith(("sqlite", "postgresql")):
        raise ConfigError(
            f"storage.database_url: {safe_url(url)}: only SQLite (sqlite:///FILE) and PostgreSQL "
            "(postgresql://…) are supported"
        )
    if parsed.drivername.startswith("sqlite"):
        database = parsed.database
        if database and database != ":memory:":
            folder = Path(database).parent
            if not folder.is_dir():
                raise ConfigError(f"storage.database_url: folder {folder} does not exist")
        engine = create_engine(parsed, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    try:
        return create_engine(parsed, pool_pre_ping=True)
    except Exception as exc:  # missing driver, bad options
        raise ConfigError(f"storage.database_url: {safe_url(url)}: {exc}") from None


@contextmanager
def _migration_lock(engine: Engine) -> Iterator[None]:
    """One migration at a time on a SQLite file: the daemon and a CLI command started
    together must not both create the tables. (PostgreSQL runs them in a transaction.)"""
    database = engine.url.database if is_sqlite(engine) else None
    if not database or database == ":memory:" or fcntl is None:
        yield
        return
    with open(f"{database}.lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


_INSTALLATIONS: weakref.WeakKeyDictionary[Engine, str] = weakref.WeakKeyDictionary()


def installation_id(engine: Engine) -> str:
    """This database's random id (made once, by migration 0003), read once per engine.

    It is part of every alert key: two installations posting into one channel must never
    take each other's messages for their own when they reconcile (a lost alert)."""
    if engine not in _INSTALLATIONS:
        from sqlalchemy import text

        with engine.connect() as connection:
            found = connection.execute(text("SELECT id FROM installation ORDER BY created_at, id")).scalar()
        if found is None:
            raise ConfigError(
                f"storage.database_url: {safe_url(str(engine.url))}: the database has no installation id; "
                "run `tracker db upgrade`"
            )
        _INSTALLATIONS[engine] = str(found)
    return _INSTALLATIONS[engine]


@contextmanager
def one_daemon(engine: Engine) -> Iterator[None]:
    """Refuse a second daemon on one SQLite file (ConfigError: one line, exit 2).

    SQLite mode is one worker: a starting daemon takes every row left ``sending`` for a dead
    process's and reconciles it at once, which is only true when no other daemon is alive —
    two daemons on one file posted an alert twice. An exclusive OS lock on ``FILE.daemon``,
    held for the daemon's life, makes that true; the OS drops it when the process dies, even
    by SIGKILL, so a crash never leaves a stale lock behind. PostgreSQL needs none of this:
    its workers share the work through leases and claims."""
    database = engine.url.database if is_sqlite(engine) else None
    if not database or database == ":memory:" or fcntl is None:
        yield
        return
    path = f"{database}.daemon"
    handle = open(path, "a+", encoding="utf-8")  # held open: the lock lives as long as the daemon
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise ConfigError(
                f"{database}: another `tracker run` daemon ({holder}) is using this SQLite database; "
                "SQLite allows one daemon per file (use PostgreSQL for several workers)"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}\n")
        handle.flush()
        yield
    finally:
        handle.close()  # closing releases the lock


def schema_revision(engine: Engine) -> str | None:
    """The alembic revision of the database, or None when it has no tracker tables yet, so
    `tracker db upgrade` can say whether it created, upgraded or left the schema."""
    from sqlalchemy import inspect, text

    try:
        with engine.connect() as connection:
            if not inspect(connection).has_table("alembic_version"):
                return None
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except OperationalError as exc:
        reason = str(exc.orig).splitlines()[0] if exc.orig else str(exc)
        where = f"storage.database_url: cannot use {safe_url(str(engine.url))}"
        raise ConfigError(f"{where}: {reason}") from None


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply alembic migrations up to ``revision`` on ``engine``'s database."""
    if revision == "head" and schema_revision(engine) == HEAD_REVISION:
        return
    from alembic import command
    from alembic.config import Config as AlembicConfig

    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    try:
        with _migration_lock(engine), engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    except OperationalError as exc:
        reason = str(exc.orig).splitlines()[0] if exc.orig else str(exc)
        where = f"storage.database_url: cannot use {safe_url(str(engine.url))}"
        raise ConfigError(f"{where}: {reason}") from None


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session that commits on success and rolls back on any error."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def rowcount(result: Result[Any]) -> int:
    """Rows matched by an UPDATE or DELETE run through ``Session.execute`` (typed as a plain
    Result, which has no rowcount, though what comes back is a CursorResult)."""
    return cast(CursorResult[Any], result).rowcount
