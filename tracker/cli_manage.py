"""The sources, watchlists, alerts and db command groups."""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from tracker.cli_common import (
    DEFAULT_CONFIG,
    ConfigOption,
    alerts_app,
    bound,
    db_app,
    hint_no_database,
    out,
    sources_app,
    watchlists_app,
)
from tracker.errors import InputError

__all__ = [
    "sources_list", "sources_check", "watchlists_list", "watchlists_test", "alerts_list", "alerts_retry", "db_upgrade",
]  # fmt: skip

@sources_app.callback()
def sources_list(ctx: typer.Context, config: ConfigOption = DEFAULT_CONFIG) -> None:
    """Each source with its state: last poll, next poll, failures, last error."""
    if ctx.invoked_subcommand is not None:
        return
    from tracker.app import open_app
    from tracker.views import sources_table

    application = open_app(str(config), create=False)
    console = out()
    console.print(sources_table(application, console.width))
    hint_no_database(application)


@sources_app.command("check")
def sources_check(name: str, config: ConfigOption = DEFAULT_CONFIG) -> None:
    """Fetch NAME once and show what would be stored, without storing anything."""
    from tracker.app import open_app
    from tracker.views import check_source

    application = open_app(str(config))
    out().print(check_source(application, application.config.source(name)))


# --- watchlists and alerts -------------------------------------------------------------------


@watchlists_app.callback()
def watchlists_list(ctx: typer.Context, config: ConfigOption = DEFAULT_CONFIG) -> None:
    """List the watchlists (loading them validates every file)."""
    if ctx.invoked_subcommand is not None:
        return
    from tracker.app import open_app
    from tracker.views import watchlists_table

    out().print(watchlists_table(open_app(str(config))))


@watchlists_app.command("test")
def watchlists_test(
    name: Annotated[str, typer.Argument(metavar="ID", help="The watchlist's id (`tracker watchlists` lists them).")],
    since: Annotated[str | None, typer.Option(help="Only events published on or after this date.")] = None,
    config: ConfigOption = DEFAULT_CONFIG,
) -> None:
    """Backtest watchlist ID over the stored timeline: which events would have alerted. Sends nothing."""
    from tracker.app import open_app
    from tracker.views import backtest_table

    start = bound("--since", since, end=False)
    application = open_app(str(config), create=False)
    out().print(backtest_table(application, name, start))  # type: ignore[arg-type]
    hint_no_database(application)


@alerts_app.callback()
def alerts_list(
    ctx: typer.Context,
    status: Annotated[str | None, typer.Option(help="pending, sending, sent or failed.")] = None,
    config: ConfigOption = DEFAULT_CONFIG,
) -> None:
    """The outbox: every alert with its status and, for failures, the reason."""
    if ctx.invoked_subcommand is not None:
        return
    from tracker.app import open_app
    from tracker.views import alerts_table

    if status is not None and status not in ("pending", "sending", "sent", "failed"):
        raise InputError(f"--status: expected pending, sending, sent or failed, got {status!r}")
    application = open_app(str(config), create=False)
    console = out()
    console.print(alerts_table(application, status, console.width))
    hint_no_database(application)


@alerts_app.command("retry")
def alerts_retry(config: ConfigOption = DEFAULT_CONFIG) -> None:
    """Put failed alerts back in the queue and deliver them, and alerts waiting to retry, now."""
    from tracker.alerts.outbox import requeue_failed
    from tracker.app import deliver, open_app

    application = open_app(str(config), console=sys.stdout)
    count = requeue_failed(application.engine)
    report = deliver(application)
    out().print(f"requeued: {count}  sent: {report.sent}  failed: {report.failed}  deferred: {report.deferred}")
    for line in report.errors:
        typer.echo(f"error: {line}", err=True)
    if report.failed:
        raise typer.Exit(1)  # as `run --once` does: an alert failed


@db_app.command("upgrade")
def db_upgrade(config: ConfigOption = DEFAULT_CONFIG) -> None:
    """Apply the database migrations (SQLite files are also upgraded on every start)."""
    from tracker.app import naming_errors
    from tracker.config import DATABASE_URL_ENV, load_config
    from tracker.db import make_engine, safe_url, schema_revision, upgrade

    settings = load_config(config)
    with naming_errors(settings, database_from_env=bool(os.environ.get(DATABASE_URL_ENV))):
        engine = make_engine(settings.database_url)
        before = schema_revision(engine)
        upgrade(engine)
        after = schema_revision(engine)
    engine.dispose()
    where = safe_url(settings.database_url)
    if before is None:
        out().print(f"database at {where}: created the schema (revision {after})")
    elif before != after:
        out().print(f"database at {where}: upgraded the schema from revision {before} to {after}")
    else:
        out().print(f"database at {where} is at the latest schema (revision {after})")
