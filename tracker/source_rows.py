"""The sources table follows the configuration: one row per configured source, keyed by name.

Every command opens the database through this, `tracker timeline` too, so it lives apart from
the pipeline: a read-only command must not pay for importing the fetch and extraction stages.
"""

from __future__ import annotations

from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine
from sqlmodel import select

from tracker.config import Config
from tracker.db import session_scope
from tracker.models import Source

__all__ = ["sync_sources"]


def sync_sources(engine: Engine, config: Config) -> None:
    """Make one row per configured source (state kept across runs), keyed by name.

    The insert ignores a name that another process inserted first (the daemon and a CLI
    command may start together), so starting never fails on a race."""
    insert = sqlite_insert if engine.dialect.name == "sqlite" else postgresql_insert
    with session_scope(engine) as session:
        for source in config.sources:
            session.execute(
                insert(Source)
                .values(name=source.name, kind=source.kind, location=source.location, consecutive_failures=0)
                .on_conflict_do_nothing(index_elements=["name"])
            )
        for row in session.exec(select(Source)).all():
            configured = next((s for s in config.sources if s.name == row.name), None)
            if configured and (row.kind, row.location) != (configured.kind, configured.location):
                row.kind, row.location = configured.kind, configured.location
                row.etag = row.last_modified = None  # validators of another URL mean nothing here
                session.add(row)
