"""`tracker run` (a poll, or the daemon) and `tracker timeline`."""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Annotated

import typer
from rich.console import Console

from tracker.cli_common import (
    DEFAULT_CONFIG,
    ConfigOption,
    app,
    bound,
    counted,
    hint_no_database,
    out,
)
from tracker.errors import InputError
from tracker.vocab import EVENT_TYPES

__all__ = ["run", "timeline"]

@app.command()
def run(
    once: Annotated[bool, typer.Option("--once", help="Poll every source once, deliver alerts, and exit.")] = False,
    force: Annotated[
        bool, typer.Option("--force", help="With --once: also poll sources still backing off after failures.")
    ] = False,
    config: ConfigOption = DEFAULT_CONFIG,
) -> None:
    """Poll the sources (the daemon, or once with --once), extract, merge, and alert."""
    from tracker.app import open_app

    if force and not once:
        raise InputError("--force: only with --once (the daemon polls each source when its backoff ends)")
    if not once:
        from tracker.scheduler import run_daemon

        run_daemon(open_app(str(config)))
        return
    import logging

    application = open_app(str(config), console=sys.stdout)
    from tracker.app import backed_off, deliver, refresh

    # the pipeline's and the folder source's own log lines would repeat each failure and
    # warning printed below: the run prints every source's errors and warnings once
    for logger in ("tracker.pipeline", "tracker.sources.folder"):
        logging.getLogger(logger).addHandler(logging.NullHandler())
    console = out()
    enabled = [s for s in application.config.sources if s.enabled]
    waiting = {} if force else backed_off(application, enabled)
    enabled = [s for s in enabled if s.name not in waiting]
    for name, until in sorted(waiting.items()):
        stamp = until.strftime("%Y-%m-%d %H:%M:%S UTC")
        typer.echo(f"skipped: source {name} is backing off after failures until {stamp} (--force polls it)", err=True)
    with _RunProgress(len(enabled)) as shown, _interruptible() as stop:
        summary = refresh(application, enabled, on_done=shown.source_done, stop=stop)
        delivery = deliver(application, should_stop=stop.is_set) if not stop.is_set() else None
    if delivery is None or stop.is_set():
        # Ctrl-C: every document stored so far is whole (one transaction each); what was
        # queued waits in the outbox for the next run
        from tracker.app import queued_alerts

        for line in summary.warnings:
            typer.echo(f"warning: {line}", err=True)
        stored = counted(summary.documents_new, "document")
        queued = counted(queued_alerts(application), "alert")
        typer.echo(f"interrupted: {stored} stored, {queued} still queued for the next run", err=True)
        raise typer.Exit(130)
    for line in summary.warnings:
        typer.echo(f"warning: {line}", err=True)
    for line in delivery.errors:
        typer.echo(f"error: {line}", err=True)
    console.print(
        f"sources polled: {len(enabled)} ({summary.sources_not_modified} not modified, {len(summary.errors)} failed, "
        f"{len(waiting)} skipped while backing off)  "
        f"documents: {summary.documents_new} new, {summary.documents_unchanged} unchanged  "
        f"events: {summary.events_new} new, {summary.events_updated} updated  "
        f"alerts: {delivery.sent} sent, {delivery.failed} failed, {delivery.deferred} deferred",
        soft_wrap=True,  # one line to grep in a log, whatever the width
    )
    if delivery.deferred:
        held = counted(delivery.deferred, "alert")
        note = f"note: {held} not sent yet (held, or waiting to retry): see `tracker alerts`"
        typer.echo(note, err=True)
    if summary.errors or delivery.failed:
        raise typer.Exit(1)


@contextmanager
def _interruptible() -> Iterator[threading.Event]:
    """While the block runs, the first Ctrl-C (SIGINT) only sets the returned flag, so the
    polls stop between two documents and the run ends cleanly; a second one interrupts at
    once. Outside the main thread (no signals there) the flag is simply never set."""
    stop = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield stop
        return

    def on_sigint(_signum: int, _frame: object) -> None:
        stop.set()  # nothing printed here: the main thread may be in the middle of a write
        signal.signal(signal.SIGINT, previous)

    previous = signal.signal(signal.SIGINT, on_sigint)
    try:
        yield stop
    finally:
        signal.signal(signal.SIGINT, previous)


class _RunProgress:
    """`run --once` on a terminal: a live line of sources polled, documents and events so far
    (rich, on stderr, gone when the run ends). Each source's errors are printed once, when
    it finishes, above the line; piped, only those lines are written."""

    def __init__(self, total: int) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self._console = Console(stderr=True, highlight=False, soft_wrap=True)
        self._progress = Progress(
            TextColumn("polling"), BarColumn(bar_width=20), MofNCompleteColumn(), TextColumn("sources polled"),
            TextColumn("({task.fields[failed]} failed) · documents: {task.fields[documents]} new"),
            TextColumn("· events: {task.fields[events]} new, {task.fields[updated]} updated"), TimeElapsedColumn(),
            console=self._console, transient=True, disable=not self._console.is_terminal,
        )  # fmt: skip
        self._task = self._progress.add_task("polling", total=total, documents=0, events=0, updated=0, failed=0)
        self._counts = {"documents": 0, "events": 0, "updated": 0, "failed": 0}

    def __enter__(self) -> _RunProgress:
        self._progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._progress.stop()

    def source_done(self, _source: object, summary: object) -> None:
        from tracker.pipeline import RefreshSummary

        assert isinstance(summary, RefreshSummary)
        self._counts["documents"] += summary.documents_new
        self._counts["events"] += summary.events_new
        self._counts["updated"] += summary.events_updated
        self._counts["failed"] += bool(summary.errors)
        for line in summary.errors:
            self._console.print(f"error: {line}", markup=False, highlight=False)
        self._progress.update(self._task, advance=1, **self._counts)  # type: ignore[arg-type]  # fields of the task


def _listed(option: str, values: list[str] | None, upper: bool = False) -> tuple[str, ...]:
    """Repeated options and comma lists alike (`-j HK -j CN`, `-j HK,CN`, as in the page's
    address), each value stripped; an empty one (`HK,`) is refused."""
    listed: list[str] = []
    for value in values or []:
        for part in value.split(","):
            if not part.strip():
                raise InputError(f"--{option.lstrip('-')}: empty value in {value!r}")
            listed.append(part.strip().upper() if upper else part.strip())
    return tuple(dict.fromkeys(listed))


# --- timeline --------------------------------------------------------------------------------


@app.command()
def timeline(
    jurisdiction: Annotated[
        list[str] | None, typer.Option("--jurisdiction", "-j", help="HK, CN, … (repeatable, or HK,CN).")
    ] = None,
    type_: Annotated[
        list[str] | None,
        typer.Option("--type", "-t", help=f"{', '.join(EVENT_TYPES)} (repeatable, or ban,guidance)."),
    ] = None,
    since: Annotated[str | None, typer.Option(help="Events dated on or after (2021, 2025-08, 2025-08-01).")] = None,
    until: Annotated[str | None, typer.Option(help="Events dated on or before.")] = None,
    match: Annotated[
        str | None, typer.Option("--match", help="Text in the evidence, subject, actor or party.")
    ] = None,
    status: Annotated[
        list[str] | None, typer.Option("--status", "-s", help="done, planned or restated (repeatable, or a,b).")
    ] = None,
    min_confidence: Annotated[float, typer.Option(help="Hide events below this confidence.", min=0.0, max=1.0)] = 0.0,
    limit: Annotated[int | None, typer.Option(help="At most this many events.", min=1)] = None,
    offset: Annotated[int, typer.Option(help="Skip this many events first (pages with --limit).", min=0)] = 0,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, json, csv, markdown, ics or html.")] = "table",
    config: ConfigOption = DEFAULT_CONFIG,
) -> None:
    """The timeline, ordered by event date, with filters and several output formats."""
    from sqlmodel import func, select

    from tracker.app import open_app
    from tracker.db import session_scope
    from tracker.models import Event
    from tracker.render import FORMATS, ReaderGone, iter_rows, render
    from tracker.timeline_query import TimelineFilter, timeline_statement
    from tracker.vocab import JURISDICTION_CODES, STATUSES

    fmt = fmt.strip().lower()  # "-f JSON" as readily as "-j hk"
    if fmt not in FORMATS:
        raise InputError(f"--format: expected one of {', '.join(FORMATS)}, got {fmt!r}")
    jurisdictions = _listed("--jurisdiction", jurisdiction, upper=True)
    for value in jurisdictions:
        if value not in JURISDICTION_CODES:
            raise InputError(f"--jurisdiction: expected HK, CN, EU or an ISO 3166 alpha-2 code, got {value!r}")
    types = _listed("--type", type_)
    for value in types:
        if value not in EVENT_TYPES:
            raise InputError(f"--type: unknown event type {value!r} (known: {', '.join(EVENT_TYPES)})")
    statuses = _listed("--status", status)
    for value in statuses:
        if value not in STATUSES:
            raise InputError(f"--status: unknown status {value!r} (known: {', '.join(STATUSES)})")
    flt = TimelineFilter(
        jurisdictions=jurisdictions,
        types=types,
        since=bound("--since", since, end=False),  # type: ignore[arg-type]
        until=bound("--until", until, end=True),  # type: ignore[arg-type]
        match=match,
        statuses=statuses,
        min_confidence=min_confidence,
        limit=limit,
        offset=offset,
    )
    if flt.since is not None and flt.until is not None and flt.since > flt.until:
        raise InputError(f"--since {since} is after --until {until}: no date lies between them")
    application = open_app(str(config), rules=False, create=False)  # it extracts and writes nothing
    with session_scope(application.engine) as session:
        try:
            shown = render(iter_rows(session, flt), fmt, out())
        except ReaderGone:
            return  # `| head` read what it wanted: no failure, and no note about the count
        empty = not shown and session.exec(select(Event.id).limit(1)).first() is None
        skipped = 0
        if not shown and not empty and offset:  # paged past the end: say how many there are
            matching = timeline_statement(replace(flt, limit=None, offset=0)).order_by(None).subquery()
            skipped = session.exec(select(func.count()).select_from(matching)).one()
    if hint_no_database(application):
        pass
    elif empty:
        typer.echo("hint: the timeline is empty: run `tracker run --once` first to poll the sources", err=True)
    elif skipped:
        typer.echo(f"note: {skipped} events match these options, all before --offset {offset}", err=True)
    elif not shown:
        typer.echo("note: no events match these options", err=True)


# --- extract and dates (contracts used by the scorers) -----------------------------------------
