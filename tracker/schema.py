"""One way to read a data file: TOML into a pydantic model, and one error formatter.

Every file a user edits (config.toml and its sources' options, watchlists, the entities
gazetteer, and in time the rule files) is declared once as a pydantic model. A problem becomes one line,
``FILE: key.path[2]: message``, in words a user understands ("expected a list of strings,
got str 'crypto'") rather than pydantic's ("Input should be a valid list"); the CLI turns it
into exit 2. The same models give the JSON Schemas `tracker schema` writes for editors.
"""

from __future__ import annotations

import tomllib
import types
import typing
from pathlib import Path
from typing import Any, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, ValidationError
from pydantic_core import ErrorDetails

__all__ = ["FileModel", "read_toml", "validate_file", "error_line"]

M = TypeVar("M", bound=BaseModel)


class FileModel(BaseModel):
    """Base of every file model: unknown keys are errors (a typo must not match nothing for
    weeks) and values are taken as written (no "1.5" read as a number, no true as 1)."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


def read_toml(path: Path, label: str, error: type[Exception]) -> dict[str, Any]:
    """The parsed file; an unreadable or invalid file raises ``error`` naming it."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise error(f"{label}: file not found") from None
    except UnicodeDecodeError as exc:
        raise error(f"{label}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise error(f"{label}: cannot read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise error(f"{label}: invalid TOML: {exc}") from None


def validate_file(
    model: type[M], data: Any, label: str, error: type[Exception], *, at: tuple[int | str, ...] = ()
) -> M:
    """``data`` as ``model``, or ``error`` with the first problem as one line.

    ``at`` is where ``data`` sits in the file (``("sources", "hkma", "options")``), put in
    front of the key the message names."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise error(error_line(model, exc.errors(include_url=False)[0], label, at=at)) from None


def _path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def _show(value: Any) -> str:
    return f"{type(value).__name__} {value!r}"[:80]


def _unwrap(annotation: Any) -> Any:
    """The model or list inside Optional/Annotated wrappers."""
    while True:
        origin = get_origin(annotation)
        if origin is typing.Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            inner = [a for a in get_args(annotation) if a is not type(None)]
            annotation = inner[0] if len(inner) == 1 else annotation
            if len(inner) != 1:
                return annotation
        else:
            return annotation


def _annotation_at(model: type[BaseModel], loc: tuple[int | str, ...]) -> Any:
    """The declared type at ``loc`` (for messages that name what was expected)."""
    current: Any = model
    for part in loc:
        current = _unwrap(current)
        if isinstance(part, int):
            args = get_args(current)
            current = args[0] if args else Any
        elif isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(part)
            if field is None:
                return None
            current = field.annotation
        else:
            return None
    return _unwrap(current)


def _known(model: type[BaseModel], loc: tuple[int | str, ...]) -> str:
    parent = _annotation_at(model, loc[:-1]) if loc[:-1] else model
    if isinstance(parent, type) and issubclass(parent, BaseModel):
        return ", ".join(parent.model_fields)
    return ""


def _expected(annotation: Any) -> str:
    names = {str: "a string", int: "an integer", float: "a number", bool: "true or false"}
    if get_origin(annotation) in (list, tuple):
        inner = _unwrap(get_args(annotation)[0]) if get_args(annotation) else Any
        if inner in (str, int):
            return f"a list of {'strings' if inner is str else 'integers'}"
        if get_origin(inner) is dict or (isinstance(inner, type) and issubclass(inner, BaseModel)):
            return "an array of tables"
        return "a list"
    if get_origin(annotation) is dict or (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
        return "a table"
    return names.get(annotation, "")


_BOUNDS = {
    "greater_than": ("gt", "more than"),
    "greater_than_equal": ("ge", "at least"),
    "less_than": ("lt", "less than"),
    "less_than_equal": ("le", "at most"),
}


def error_line(model: type[BaseModel], error: ErrorDetails, label: str, *, at: tuple[int | str, ...] = ()) -> str:
    """``FILE: key.path[2]: message`` for one pydantic error (``at``: see validate_file)."""
    loc = tuple(error["loc"])
    kind, value = error["type"], error.get("input")
    if kind == "missing":
        message = "required"
    elif kind == "extra_forbidden":
        known = _known(model, loc)
        message = f"unknown key (known: {known})" if known else "unknown key"
    elif kind == "literal_error":
        message = f"{value!r} must be {error.get('ctx', {}).get('expected', 'one of the allowed values')}"
    elif kind in _BOUNDS:
        name, words = _BOUNDS[kind]
        bound = error.get("ctx", {}).get(name)
        shown = f"{bound:g}" if isinstance(bound, (int, float)) else str(bound)
        message = f"must be {words} {shown}, got {value!r}"
    elif kind in ("value_error", "assertion_error"):
        message = str(error["msg"]).removeprefix("Value error, ").removeprefix("Assertion failed, ")
    else:
        expected = _expected(_annotation_at(model, loc))
        message = f"expected {expected}, got {_show(value)}" if expected else str(error["msg"])
    return f"{label}: {_path(at + loc)}: {message}"
