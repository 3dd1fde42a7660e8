"""The one reader of machine-written timestamps: ISO 8601, RFC 2822, Unix time, 2025/8/1.

Feeds, JSON APIs, folder headers, HTML metadata and ``--jsonl`` documents all go through
:func:`parse_datetime` (or :func:`parse_iso` where only ISO 8601 is allowed). An offset in the
value gives an aware datetime; no offset gives a naive one (local time at the source, per the
DESIGN contract). Timestamps are UTC by definition, so aware.
"""

from __future__ import annotations

import email.utils
import re
from datetime import UTC, datetime
from typing import Any

__all__ = ["parse_iso", "parse_datetime"]

_YMD = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})(?:日|(?!\d))")


def parse_iso(text: str) -> datetime | None:
    """An ISO 8601 date or datetime ("Z" for UTC), or None."""
    text = text.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def parse_datetime(value: Any) -> datetime | None:
    """ISO 8601 (date or datetime), RFC 2822, a Unix timestamp (s or ms), or a leading
    year-month-day (2025/8/1, 2025年8月1日, "2025-08-01 10:00 HKT") → datetime, else None."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        seconds = value / 1000.0 if value > 1e11 else float(value)
        try:
            return datetime.fromtimestamp(seconds, tz=UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if isinstance(value, datetime):
        return value
    text = str(value).strip()
    if not text:
        return None
    iso = parse_iso(text)
    if iso is not None:
        return iso
    try:
        parsed = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        parsed = None
    if parsed is not None:
        return parsed
    match = _YMD.match(text)
    if match:
        try:
            return datetime(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            return None
    return None
