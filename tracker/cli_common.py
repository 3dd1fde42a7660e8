"""What every command shares: the Typer apps, the --config option, standard output and the
--since/--until reader."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from tracker import __version__
from tracker.errors import InputError

__all__ = [
    "app", "sources_app", "watchlists_app", "alerts_app", "db_app", "ConfigOption", "DEFAULT_CONFIG", "out", "bound",
    "counted", "hint_no_database",
]  # fmt: skip

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


def out() -> Console:
    """Standard output, as UTF-8 whatever the locale, so that files written from it are UTF-8."""
    if hasattr(sys.stdout, "reconfigure") and (sys.stdout.encoding or "").lower().replace("-", "") != "utf8":
        sys.stdout.reconfigure(encoding="utf-8", errors="replace")
    return Console(soft_wrap=False, highlight=False, width=_width())


def counted(count: int, singular: str, plural: str | None = None) -> str:
    """``count`` and its noun, singular for one: "1 event", "2 events"."""
    return f"{count} {singular if count == 1 else plural or singular + 's'}"


def hint_no_database(application: object) -> bool:
    """For a read-only command run before any `run --once`: say so (nothing was created)."""
    if not getattr(application, "database_missing", False):
        return False
    typer.echo("hint: there is no database yet: run `tracker run --once` first to poll the sources", err=True)
    return True


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


def bound(option: str, text: str | None, end: bool) -> object:
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
