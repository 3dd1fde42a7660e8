"""The exception hierarchy of tracker, drawn once.

    TrackerError            anything tracker raises on purpose
    ├── ConfigError         config.toml or the environment is invalid
    ├── RuleError           a file under rules/ is invalid (names the file and the key)
    ├── InputError          a document or a CLI argument is unusable (names the line or argument)
    ├── FetchError          a source could not be fetched or parsed
    ├── ExtractError        a document could not be turned into mentions
    └── AlertError          an alert could not be queued or delivered

Only ``tracker.cli`` turns these into a one-line message and an exit code, so that no user
sees a traceback for bad input.
"""

from __future__ import annotations

__all__ = [
    "TrackerError",
    "ConfigError",
    "RuleError",
    "InputError",
    "FetchError",
    "ExtractError",
    "AlertError",
    "json_problem",
]


def json_problem(msg: str, line: int | None = None, column: int | None = None) -> str:
    """What json.loads said, with its position once: its messages end in "at" when they
    expect one ("Unterminated string starting at"), which a caller's own "at column 21"
    would double."""
    where = ", ".join(f"{unit} {n}" for unit, n in (("line", line), ("column", column)) if n is not None)
    text = msg.removesuffix(" at").rstrip()
    return f"{text} at {where}" if where else text


class TrackerError(Exception):
    """Base class: the message is one line meant for the user."""


class ConfigError(TrackerError):
    """config.toml or an environment variable is invalid."""


class RuleError(TrackerError):
    """A rule file under rules/ is invalid."""


class InputError(TrackerError):
    """A document, a JSON line or a CLI argument cannot be used."""


class FetchError(TrackerError):
    """A source could not be fetched or parsed."""


class ExtractError(TrackerError):
    """A document could not be turned into mentions."""


class AlertError(TrackerError):
    """An alert could not be queued or delivered."""
