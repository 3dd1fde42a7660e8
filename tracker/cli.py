"""The command line. Only this module turns TrackerError into one line and an exit code:
bad input (config, rules, documents, arguments) exits 2 with a message naming the file, the
key or the argument, and never shows a traceback; a source that could not be fetched
(`sources check`) exits 1, as a failed source does in `run --once`.

The commands live in cli_run (run, timeline), cli_text (extract, dates, schema) and
cli_manage (sources, watchlists, alerts, db); importing them registers them on ``app``.
"""

from __future__ import annotations

import sys

import typer

from tracker import cli_manage, cli_run, cli_text
from tracker.cli_common import app
from tracker.errors import FetchError, TrackerError

__all__ = ["app", "main"]

COMMANDS = (cli_run, cli_text, cli_manage)  # registered on import


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the command; bad input is one line on stderr and exit code 2, a
    source that failed exit code 1."""
    command = typer.main.get_command(app)
    try:
        result = command.main(args=argv, prog_name="tracker", standalone_mode=False)
    except FetchError as exc:  # the input was fine; the source failed
        typer.echo(f"tracker: {exc}", err=True)
        return 1
    except TrackerError as exc:
        typer.echo(f"tracker: {exc}", err=True)
        return 2
    except typer.TyperException as exc:  # usage errors (unknown option, missing argument…)
        if type(exc).__name__ == "NoArgsIsHelpError":  # bare `tracker`: the help, as --help shows it
            typer.echo(exc.format_message())
            return 0
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
