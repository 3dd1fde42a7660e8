"""Reading and checking rule files: the helpers every loader of rules/ shares, so that each
error names the file and the key the same way (``rules/cues.toml: patterns.x: …``)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from tracker.errors import RuleError
from tracker.regex_shape import first_chars, well_formed
from tracker.regexes import fast_source

__all__ = ["check_pattern", "compile_union", "read_rule_file", "reject_unknown", "strings_of", "table_of"]


def read_rule_file(path: Path, label: str) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise RuleError(f"{label}: file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise RuleError(f"{label}: not valid TOML: {exc}") from None

def strings_of(value: Any, label: str, key: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RuleError(f"{label}: {key}: expected a list of strings, got {type(value).__name__}")
    return value

def table_of(value: Any, label: str, key: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise RuleError(f"{label}: {key}: expected a table, got {type(value).__name__}")
    return value

def reject_unknown(data: dict[str, Any], allowed: set[str], label: str, prefix: str) -> None:
    for key in data:
        if key not in allowed:
            where = f"{prefix}.{key}" if prefix else key
            raise RuleError(f"{label}: {where}: unknown key (allowed: {', '.join(sorted(allowed))})")

def compile_union(patterns: list[str], label: str, key: str) -> re.Pattern[str] | None:
    """One alternation per list: a single scan of the text instead of one per pattern."""
    if not patterns:
        return None
    for i, pat in enumerate(patterns):
        if not well_formed(pat):  # compiled one by one only when in doubt: compiling is most of a load
            check_pattern(pat, label, f"{key}[{i}]")
    # Latin alternatives nearly all open on a word boundary: grouping them behind one \b
    # rejects every position inside a word at once, instead of once per alternative.
    bounded = [p for p in patterns if p.startswith("\\b")]
    rest = [p for p in patterns if not p.startswith("\\b")]
    parts: list[tuple[str, set[str] | None]] = []
    for group, prefix in ((bounded, "\\b"), (rest, "")):
        if group:
            alternation = "|".join(f"(?:{p[len(prefix):]})" for p in group)
            first = first_chars(alternation, re.IGNORECASE)
            parts.append((prefix + fast_source(alternation, re.IGNORECASE, first), first))
    if len(parts) == 1:
        source = parts[0][0]
    else:
        # the first characters of the union are those of its parts (None when one is unbounded)
        union: set[str] | None = set()
        for _, first in parts:
            union = None if union is None or first is None else union | first
        source = fast_source("|".join(f"(?:{p})" for p, _ in parts), re.IGNORECASE, union)
    try:
        return re.compile(source, re.IGNORECASE)
    except re.error as exc:
        for i, pat in enumerate(patterns):
            check_pattern(pat, label, f"{key}[{i}]")
        raise RuleError(f"{label}: {key}: the patterns do not combine into one expression: {exc}") from None

def check_pattern(pattern: str, label: str, key: str) -> None:
    try:
        re.compile(pattern)
    except re.error as exc:
        raise RuleError(f"{label}: {key}: invalid regular expression {pattern!r}: {exc}") from None
