"""The command line. Only this module turns TrackerError into one line and an exit code:
bad input (config, rules, documents, arguments) exits 2 with a message naming the file, the
key or the argument, and never shows a traceback."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from tracker import __version__
from tracker.errors import InputError, TrackerError

__all__ = ["app", "main"]

app = typer.Typer(
    help="tracker: a timeline of Hong Kong and mainland China digital-asset regulation, with Slack alerts.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,
)
sources_app = typer.Typer(help="Configured sources and their poll state.", invoke_without_command=True)
watchlists_app = typer.Typer(
    help="Watchlists in rules/watchlists/: list, validate, backtest.", invoke_without_command=True
)
alerts_app = typer.Typer(help="The alert outbox: pending, sent and failed alerts.", invoke_without_command=True)
db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)
app.add_typer(sources_app, name="sources")
app.add_typer(watchlists_app, name="watchlists")
app.add_typer(alerts_app, name="alerts")
app.add_typer(db_app, name="db")

ConfigOption = Annotated[Path, typer.Option("--config", help="Path of config.toml.", show_default=True)]
DEFAULT_CONFIG = Path("config.toml")


PIPED_WIDTH = 120


def _width() -> int | None:
    """The width of tables: COLUMNS when set (a terminal or a pipe), the terminal's own
    width on a terminal, and 120 columns when piped without COLUMNS (rich would assume 80)."""
    columns = os.environ.get("COLUMNS", "").strip()
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    return None if sys.stdout.isatty() else PIPED_WIDTH


def _out() -> Console:
    """Standard output, as UTF-8 whatever the locale, so that files written from it are UTF-8."""
    if hasattr(sys.stdout, "reconfigure") and (sys.stdout.encoding or "").lower().replace("-", "") != "utf8":
        sys.stdout.reconfigure(encoding="utf-8", errors="replace")
    return Console(soft_wrap=False, highlight=False, width=_width())


def _version(value: bool) -> None:
    if value:
        typer.echo(f"tracker {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """tracker: regulatory events from sources to a timeline and to Slack."""


# --- run -------------------------------------------------------------------------------------


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

    if not once:
        from tracker.scheduler import run_daemon

        run_daemon(open_app(str(config)))
        return
    import logging

    application = open_app(str(config), console=sys.stdout)
    from tracker.app import backed_off, deliver, refresh

    # the pipeline's own log lines would repeat each failure printed below: the run prints
    # every source's errors once, as the source finishes
    logging.getLogger("tracker.pipeline").addHandler(logging.NullHandler())
    console = _out()
    enabled = [s for s in application.config.sources if s.enabled]
    waiting = {} if force else backed_off(application, enabled)
    enabled = [s for s in enabled if s.name not in waiting]
    for name, until in sorted(waiting.items()):
        stamp = until.strftime("%Y-%m-%d %H:%M:%S UTC")
        typer.echo(f"skipped: source {name} is backing off after failures until {stamp} (--force polls it)", err=True)
    with _RunProgress(len(enabled)) as shown:
        summary = refresh(application, enabled, on_done=shown.source_done)
    delivery = deliver(application)
    for line in summary.warnings:
        typer.echo(f"warning: {line}", err=True)
    for line in delivery.errors:
        typer.echo(f"error: {line}", err=True)
    console.print(
        f"sources polled: {len(enabled)} ({summary.sources_not_modified} not modified, {len(summary.errors)} failed, "
        f"{len(waiting)} skipped while backing off)  "
        f"documents: {summary.documents_new} new, {summary.documents_unchanged} unchanged  "
        f"events: {summary.events_new} new, {summary.events_updated} updated  "
        f"alerts: {delivery.sent} sent, {delivery.failed} failed, {delivery.deferred} deferred"
    )
    if delivery.deferred:
        note = f"note: {delivery.deferred} alerts not sent yet (held, or waiting to retry): see `tracker alerts`"
        typer.echo(note, err=True)
    if summary.errors or delivery.failed:
        raise typer.Exit(1)


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
        self._progress.update(self._task, advance=1, **self._counts)


# --- timeline --------------------------------------------------------------------------------


def _bound(option: str, text: str | None, end: bool) -> object:
    """A --since/--until value ("2021", "2025-Q3", "2025-08-01", "last month") as the start
    or the end of its period."""
    if text is None:
        return None
    from tracker.dates import parse_user_date
    from tracker.periods import period_of

    if re.fullmatch(r"\s*\d{4}[-/].*", text) and period_of(text.strip()) is None:
        # looks like an ISO value but is not one ("2025-13"): never guess what was meant
        raise InputError(f"{option}: not a date: {text!r} (use 2021, 2025-Q3, 2025-08, 2025-W38 or 2025-08-01)")
    try:
        value, _precision = parse_user_date(text)
    except InputError as exc:
        raise InputError(f"{option}: {exc}") from None
    period = period_of(value)
    if period is None:
        raise InputError(f"{option}: not a date: {text!r}")
    return period.end_datetime() if end else period.start_datetime()


@app.command()
def timeline(
    jurisdiction: Annotated[
        list[str] | None, typer.Option("--jurisdiction", "-j", help="HK, CN, … (repeatable).")
    ] = None,
    type_: Annotated[list[str] | None, typer.Option("--type", "-t", help="Event type (repeatable).")] = None,
    since: Annotated[str | None, typer.Option(help="Events dated on or after (2021, 2025-08, 2025-08-01).")] = None,
    until: Annotated[str | None, typer.Option(help="Events dated on or before.")] = None,
    match: Annotated[
        str | None, typer.Option("--match", help="Text in the evidence, subject, actor or party.")
    ] = None,
    status: Annotated[
        list[str] | None, typer.Option("--status", "-s", help="done, planned or restated (repeatable).")
    ] = None,
    min_confidence: Annotated[float, typer.Option(help="Hide events below this confidence.", min=0.0, max=1.0)] = 0.0,
    limit: Annotated[int | None, typer.Option(help="At most this many events.", min=1)] = None,
    offset: Annotated[int, typer.Option(help="Skip this many events first (pages with --limit).", min=0)] = 0,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, json, csv, markdown, ics or html.")] = "table",
    config: ConfigOption = DEFAULT_CONFIG,
) -> None:
    """The timeline, ordered by event date, with filters and several output formats."""
    from sqlmodel import select

    from tracker.app import open_app
    from tracker.db import session_scope
    from tracker.models import Event
    from tracker.render import FORMATS, iter_rows, render
    from tracker.timeline import TimelineFilter
    from tracker.vocab import EVENT_TYPES, STATUSES

    if fmt not in FORMATS:
        raise InputError(f"--format: expected one of {', '.join(FORMATS)}, got {fmt!r}")
    for value in jurisdiction or []:
        if not re.fullmatch(r"[A-Za-z]{2}", value):
            raise InputError(f"--jurisdiction: expected HK, CN, EU or an ISO 3166 alpha-2 code, got {value!r}")
    for value in type_ or []:
        if value not in EVENT_TYPES:
            raise InputError(f"--type: unknown event type {value!r} (known: {', '.join(EVENT_TYPES)})")
    for value in status or []:
        if value not in STATUSES:
            raise InputError(f"--status: unknown status {value!r} (known: {', '.join(STATUSES)})")
    flt = TimelineFilter(
        jurisdictions=tuple(j.upper() for j in jurisdiction or []),
        types=tuple(type_ or []),
        since=_bound("--since", since, end=False),  # type: ignore[arg-type]
        until=_bound("--until", until, end=True),  # type: ignore[arg-type]
        match=match,
        statuses=tuple(status or []),
        min_confidence=min_confidence,
        limit=limit,
        offset=offset,
    )
    application = open_app(str(config), rules=False)  # the timeline extracts nothing
    with session_scope(application.engine) as session:
        shown = render(iter_rows(session, flt), fmt, _out())
        empty = not shown and session.exec(select(Event.id).limit(1)).first() is None
    if empty:
        typer.echo("hint: the timeline is empty: run `tracker run --once` first to poll the sources", err=True)
    elif not shown:
        typer.echo("note: no events match these options", err=True)


# --- extract and dates (contracts used by the scorers) -----------------------------------------


def _documents(
    jsonl: Path | None, file: Path | None, published: str | None, lang: str | None
) -> list[dict[str, object]]:
    from tracker.documents import read_jsonl, read_text_file

    if jsonl is not None and file is not None:
        raise InputError("give either --jsonl FILE or a plain-text FILE, not both")
    if jsonl is not None:
        return read_jsonl(jsonl)
    if file is not None:
        return [read_text_file(file, published, lang)]
    raise InputError("missing input: give --jsonl DOCS.jsonl, or a plain-text FILE with --published")


JsonlOption = Annotated[Path | None, typer.Option("--jsonl", help="JSON Lines documents ('-' for stdin).")]
FileArgument = Annotated[Path | None, typer.Argument(help="A plain-text document.", show_default=False)]
PublishedOption = Annotated[str | None, typer.Option("--published", help="Publication date of FILE (ISO 8601).")]
LangOption = Annotated[str | None, typer.Option("--lang", help="en or zh (default: detected).")]


RulesConfigOption = Annotated[
    Path | None, typer.Option("--config", help="Take rules.dir from this config (default: the bundled rules/).")
]


@app.command()
def extract(
    file: FileArgument = None,
    jsonl: JsonlOption = None,
    published: PublishedOption = None,
    lang: LangOption = None,
    config: RulesConfigOption = None,
) -> None:
    """Regulatory events of each document, one JSON line per document."""
    import json

    from tracker.extract import extract_record

    rules = None
    if config is not None:
        from tracker.app import load_rules_dir
        from tracker.config import load_config

        rules = load_rules_dir(load_config(config))
    docs = _documents(jsonl, file, published, lang)
    lines = [json.dumps(extract_record(doc, rules), ensure_ascii=False) for doc in docs]
    sys.stdout.write("".join(line + "\n" for line in lines))


@app.command()
def dates(
    file: FileArgument = None, jsonl: JsonlOption = None, published: PublishedOption = None, lang: LangOption = None
) -> None:
    """Date expressions of each document, resolved, one JSON line per document."""
    import json

    from tracker.documents import dates_record

    lines = [json.dumps(dates_record(doc), ensure_ascii=False) for doc in _documents(jsonl, file, published, lang)]
    sys.stdout.write("".join(line + "\n" for line in lines))


# --- sources ---------------------------------------------------------------------------------


@sources_app.callback()
def sources_list(ctx: typer.Context, config: ConfigOption = DEFAULT_CONFIG) -> None:
    """Each source with its state: last poll, next poll, failures, last error."""
    if ctx.invoked_subcommand is not None:
        return
    from tracker.app import open_app
    from tracker.views import sources_table

    _out().print(sources_table(open_app(str(config))))


@sources_app.command("check")
def sources_check(name: str, config: ConfigOption = DEFAULT_CONFIG) -> None:
    """Fetch NAME once and show what would be stored, without storing anything."""
    from tracker.app import open_app
    from tracker.views import check_source

    application = open_app(str(config))
    _out().print(check_source(application, application.config.source(name)))


# --- watchlists and alerts -------------------------------------------------------------------


@watchlists_app.callback()
def watchlists_list(ctx: typer.Context, config: ConfigOption = DEFAULT_CONFIG) -> None:
    """List the watchlists (loading them validates every file)."""
    if ctx.invoked_subcommand is not None:
        return
    from tracker.app import open_app
    from tracker.views import watchlists_table

    _out().print(watchlists_table(open_app(str(config))))


@watchlists_app.command("test")
def watchlists_test(
    name: str,
    since: Annotated[str | None, typer.Option(help="Only events published on or after this date.")] = None,
    config: ConfigOption = DEFAULT_CONFIG,
) -> None:
    """Backtest NAME over the stored timeline: which events would have alerted. Sends nothing."""
    from tracker.app import open_app
    from tracker.views import backtest_table

    start = _bound("--since", since, end=False)
    application = open_app(str(config))
    _out().print(backtest_table(application, name, start))  # type: ignore[arg-type]


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
    _out().print(alerts_table(open_app(str(config)), status))


@alerts_app.command("retry")
def alerts_retry(config: ConfigOption = DEFAULT_CONFIG) -> None:
    """Put failed alerts back in the queue and deliver them, and alerts waiting to retry, now."""
    from tracker.app import deliver, open_app
    from tracker.views import requeue_failed

    application = open_app(str(config), console=sys.stdout)
    count = requeue_failed(application)
    report = deliver(application)
    _out().print(f"requeued: {count}  sent: {report.sent}  failed: {report.failed}  deferred: {report.deferred}")
    for line in report.errors:
        typer.echo(f"error: {line}", err=True)


@db_app.command("upgrade")
def db_upgrade(config: ConfigOption = DEFAULT_CONFIG) -> None:
    """Apply the database migrations (SQLite files are also upgraded on every start)."""
    from tracker.config import load_config
    from tracker.db import make_engine, safe_url, schema_revision, upgrade

    settings = load_config(config)
    try:
        engine = make_engine(settings.database_url)
    except TrackerError as exc:
        raise type(exc)(f"{settings.path}: {exc}") from None
    before = schema_revision(engine)
    upgrade(engine)
    after = schema_revision(engine)
    engine.dispose()
    where = safe_url(settings.database_url)
    if before is None:
        _out().print(f"database at {where}: created the schema (revision {after})")
    elif before != after:
        _out().print(f"database at {where}: upgraded the schema from revision {before} to {after}")
    else:
        _out().print(f"database at {where} is at the latest schema (revision {after})")


@app.command()
def schema(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write NAME.schema.json files into this folder.")
    ] = None,
) -> None:
    """JSON Schemas of the files under rules/ that users edit, for editors to validate them."""
    import json

    from tracker.alerts.watchlist_file import WatchlistFile
    from tracker.identity import EntitiesFile

    schemas = {
        "watchlist": WatchlistFile.model_json_schema(),
        "entities": EntitiesFile.model_json_schema(),
    }
    if output is None:
        _out().file.write(json.dumps(schemas, ensure_ascii=False, indent=2) + "\n")
        return
    if output.exists() and not output.is_dir():
        raise InputError(f"--output: {output} is not a folder")
    output.mkdir(parents=True, exist_ok=True)
    for name, body in schemas.items():
        target = output / f"{name}.schema.json"
        partial = target.with_suffix(".json.partial")
        partial.write_text(json.dumps(body, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        partial.replace(target)  # never a half-written schema
        _out().print(f"wrote {target}")


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the command; bad input is one line on stderr and exit code 2."""
    command = typer.main.get_command(app)
    try:
        result = command.main(args=argv, prog_name="tracker", standalone_mode=False)
    except TrackerError as exc:
        typer.echo(f"tracker: {exc}", err=True)
        return 2
    except typer.TyperException as exc:  # usage errors (unknown option, missing argument…)
        ctx = getattr(exc, "ctx", None)
        where = ctx.command_path if ctx is not None else "tracker"
        typer.echo(f"{where}: {exc.format_message()} (see --help)", err=True)
        return exc.exit_code
    except typer.Exit as exc:
        return exc.exit_code
    except (typer.Abort, KeyboardInterrupt):
        typer.echo("tracker: interrupted", err=True)
        return 130
    except BrokenPipeError:
        return 0
    return result if isinstance(result, int) else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
