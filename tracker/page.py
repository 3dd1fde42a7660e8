"""The timeline as one self-contained HTML page (``tracker timeline --format html``).

The page is a file people open and pass around, so it needs nothing but itself: the styles and
the script are inline (``page.css``, ``page.js`` next to this module), and a Content Security
Policy forbids every fetch, so no CDN, font or image is ever asked for.

Every string from a source is untrusted. None of it is written as HTML: the rows travel as JSON
inside ``<script type="application/json">`` with ``<``, ``>`` and ``&`` written as ``\\u003c``
and so on, so evidence saying ``</script>`` cannot end the element, and the script builds the
page with ``textContent`` only; links are made for http and https URLs only. The script is
allowed by its hash, so even an injected inline handler would not run.

Rows are written one at a time as they come from the database, like the JSON dump.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime
from functools import cache
from importlib.resources import files
from typing import Any

from tracker import __version__
from tracker.periods import period_of
from tracker.vocab import EVENT_TYPES

__all__ = ["STATUSES", "TYPE_COLOURS", "page_chunks", "page_event", "script_json"]

STATUSES = ("done", "planned", "restated")

#: One colour per contract type, told apart on white and as outlines (planned steps are hollow).
TYPE_COLOURS = {
    "ban": "#d9342b",
    "ordinance": "#1f6fd1",
    "license_grant": "#2b9a48",
    "license_pause": "#ee8a00",
    "license_revoke": "#9c1f4f",
    "license_application": "#7cb518",
    "consultation": "#7048e8",
    "guidance": "#0b8a9c",
    "enforcement": "#e0488f",
    "launch": "#c79a00",
    "other": "#7d8791",
}

#: Lane titles for the jurisdictions the tracker follows; any other code is its own title.
JURISDICTION_NAMES = {
    "HK": "Hong Kong",
    "CN": "Mainland China",
    "MO": "Macao",
    "TW": "Taiwan",
    "EU": "European Union",
    "GB": "United Kingdom",
    "US": "United States",
    "SG": "Singapore",
    "JP": "Japan",
    "KR": "South Korea",
    "AE": "UAE",
    "CH": "Switzerland",
    "AU": "Australia",
}

_EPOCH = date(1970, 1, 1)


def script_json(value: Any) -> str:
    """JSON that is inert inside a ``<script>`` element: no ``<``, ``>`` or ``&`` survives
    (each becomes its ``\\uXXXX`` escape, which JSON.parse reads back unchanged)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for raw, escaped in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e")):
        text = text.replace(raw, escaped)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _days(day: date) -> int:
    return (day - _EPOCH).days


def page_event(row: dict[str, Any]) -> dict[str, Any]:
    """The fields of one timeline row that the page draws and shows, with the period it
    covers as day numbers (``a`` first day, ``b`` the day after the last).

    An undated event is placed, as a point, on its publication day; ``status`` defaults to
    ``done`` for rows written before the field existed."""
    period = period_of(row.get("date"))
    undated = period is None
    if undated:
        period = period_of(row.get("placed"))
    precision = None if period is None else ("day" if undated else period.precision)
    status = row.get("status") or "done"
    return {
        "id": row["id"],
        "t": row["type"],
        "j": row["jurisdiction"],
        "s": status if status in STATUSES else "done",
        "d": row.get("date"),
        "p": precision,
        "q": row.get("qualifier"),
        "pl": row.get("placed") if undated else None,
        "a": _days(period.first) if period is not None else None,
        "b": _days(period.last) + 1 if period is not None else None,
        "e": row.get("evidence") or "",
        "party": row.get("party"),
        "subject": row.get("subject"),
        "actor": row.get("actor"),
        "n": row.get("sources"),
        "m": row.get("documents"),
        "u": [u for u in row.get("urls") or [] if isinstance(u, str)],
        "c": row.get("confidence"),
        "ch": row.get("change"),
    }


@cache
def _asset(name: str) -> str:
    return files("tracker").joinpath(name).read_text(encoding="utf-8")


def _csp(script: str) -> str:
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    return (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
        f"script-src 'sha256-{digest}'; base-uri 'none'; form-action 'none'"
    )


def page_chunks(rows: Iterable[dict[str, Any]], generated: datetime | None = None) -> Iterator[str]:
    """The page, as pieces of text: the head, then the events a row at a time, then the script."""
    when = generated or datetime.now(UTC)
    script = _asset("page.js")
    meta = {
        "version": __version__,
        "generated": when.strftime("%Y-%m-%d %H:%M UTC"),
        "today": _days(when.date()),
        "types": list(EVENT_TYPES),
        "colours": TYPE_COLOURS,
        "statuses": list(STATUSES),
        "names": JURISDICTION_NAMES,
    }
    title = "Regulatory timeline"
    yield (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{html.escape(_csp(script))}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="tracker {html.escape(__version__)}">\n'
        f"<title>{html.escape(title)}</title>\n<style>\n{_asset('page.css')}</style>\n</head>\n<body>\n"
        f"{_asset('page.html')}"
        f'<script type="application/json" id="tl-data">{{"meta":{script_json(meta)},"events":['
    )
    first = True
    for row in rows:
        yield ("" if first else ",\n") + script_json(page_event(row))
        first = False
    yield f"]}}</script>\n<script>{script}</script>\n</body>\n</html>\n"
