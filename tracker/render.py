"""The timeline as a table, JSON, CSV, Markdown, iCalendar or an HTML page (tracker.page).

Rows are built once (:func:`timeline_rows`) and every format prints the same fields, so a
date is shown at its precision everywhere: "2021" stays "2021", and an undated event says
that it is placed at its publication date.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text
from sqlmodel import Session

from tracker import __version__
from tracker.periods import period_of
from tracker.timeline_query import EventRow, TimelineFilter, iter_timeline, page_provenance

__all__ = ["FORMATS", "ReaderGone", "timeline_rows", "iter_rows", "render"]

FORMATS = ("table", "json", "csv", "markdown", "ics", "html")
FIELDS = (
    "id", "date", "precision", "qualifier", "placed", "jurisdiction", "type", "status", "party", "subject",
    "actor", "evidence", "documents", "sources", "first_url", "urls", "confidence", "revision", "change",
)  # fmt: skip


def _date_label(row: dict[str, Any]) -> str:
    if row["date"]:
        return f"{row['qualifier']} {row['date']}" if row["qualifier"] else row["date"]
    return f"undated (published {row['placed']})" if row["placed"] else "undated"


def _kind_label(row: dict[str, Any], sep: str = " ") -> str:
    """The type, with the status when the step is not simply done: a restated ban must not
    read as a new ban, nor a planned ordinance as one in force."""
    return row["type"] if row["status"] == "done" else f"{row['type']}{sep}({row['status']})"


def _counts_label(row: dict[str, Any]) -> str:
    """Documents and sources: an English and a Chinese notice from one folder are 2/1."""
    return f"{row['documents']}/{row['sources']}"


def _evidence_url(links: list[str | None], said: list[str], evidence: str) -> str | None:
    """The link of the mention whose sentence is shown, else the first link."""
    for url, sentence in zip(links, said, strict=True):
        if url and sentence == evidence:
            return url
    return next((url for url in links if url), None)


def timeline_rows(session: Session, events: Sequence[EventRow]) -> list[dict[str, Any]]:
    """The rows of a page of events; their provenance comes in one query for the whole page.

    A dump runs this a million times, so the loop reads each value once and calls little."""
    provenance = page_provenance(session, [event.id for event in events if event.id is not None])
    rows = []
    for event in events:
        mentions = provenance.get(event.id or 0, ())
        # only http(s) links go out (ingest stores no other; rows stored before it did are skipped)
        links = [m.url if _web(m.url) else None for m in mentions]
        first = event.first_published_at
        date_value = event.date_value
        rows.append(
            {
                "id": event.id,
                "date": date_value,
                "precision": event.precision,
                "qualifier": event.qualifier,
                "placed": None if date_value else (first.date().isoformat() if first else None),
                "jurisdiction": event.jurisdiction,
                "type": event.type,
                "status": event.status,
                "party": event.party,
                "subject": event.subject,
                "actor": event.actor,
                "evidence": event.evidence,
                # an English and a Chinese notice from one folder are two documents of one source
                "documents": len({m.document_id for m in mentions}) or event.document_count,
                "sources": len({m.source for m in mentions}) or event.source_count,
                "first_url": _evidence_url(links, [m.evidence for m in mentions], event.evidence),
                "urls": list(dict.fromkeys(url for url in links if url)),
                "confidence": round(event.confidence, 2),
                "revision": event.revision,
                "change": event.change,
            }
        )
    return rows


def _web(url: str | None) -> bool:
    return url is not None and url.strip().lower().startswith(_SAFE_SCHEMES)


def iter_rows(session: Session, flt: TimelineFilter, page: int = 500) -> Iterator[dict[str, Any]]:
    """Every row ``flt`` selects, built a page at a time, so dumps stream in bounded memory."""
    for events in iter_timeline(session, flt, page):
        yield from timeline_rows(session, events)


def _link(url: str) -> Text:
    """A URL on one line, cut with an ellipsis rather than folded into pieces; on terminals
    that support hyperlinks the whole URL stays clickable."""
    style = f"blue link {url}" if url.startswith(("http://", "https://")) else "blue"
    return Text(url, style=style, no_wrap=True, overflow="ellipsis")


def _table(rows: list[dict[str, Any]], console: Console) -> None:
    """A table that fits ``console.width``, with the evidence given the widest share and
    wrapped at words. Below 100 columns the subject is dropped and the link moves under the
    evidence, because a link column of a dozen characters shows nothing usable."""
    narrow = console.width < 100
    title = f"Timeline ({len(rows)} {'event' if len(rows) == 1 else 'events'})"
    table = Table(title=title, caption="src: documents/sources", show_lines=narrow, expand=True)
    if narrow:  # "(published" and "2025-08-01)" each fit on a line, never cut
        table.add_column("date", style="bold", width=11, overflow="fold")
    else:
        table.add_column("date", style="bold", ratio=2, min_width=11, overflow="fold")
    table.add_column("where", style="cyan", no_wrap=True)
    table.add_column("type", style="magenta", no_wrap=True)
    if not narrow:
        table.add_column("about", ratio=2, overflow="fold")
    table.add_column("evidence", ratio=7, min_width=24, overflow="fold")
    table.add_column("src", style="green", justify="right", no_wrap=True)
    if not narrow:
        table.add_column("first link", ratio=4, min_width=16, no_wrap=True, overflow="ellipsis")
    for row in rows:
        evidence = row["evidence"] if len(row["evidence"]) <= 160 else row["evidence"][:159] + "…"
        url = row["first_url"] or ""
        cells: list[Any] = [_date_label(row), row["jurisdiction"], _kind_label(row, "\n")]
        if narrow:
            cells += [Group(Text(evidence), _link(url)) if url else Text(evidence), _counts_label(row)]
        else:
            about = "; ".join(part for part in (row["party"], row["subject"]) if part)
            cells += [about, Text(evidence), _counts_label(row), _link(url)]
        table.add_row(*cells)
    console.print(table)


_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_SAFE_SCHEMES = ("http://", "https://")


def _md_text(value: Any) -> str:
    """Scraped text as inert Markdown: one line, no HTML, no link, emphasis or code span.

    A source is untrusted; a ``|`` would split the cell, ``[x](y)`` would become a link and
    ``<script>`` raw HTML in every renderer that allows it."""
    text = " ".join(str(value if value is not None else "").split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", text)


def _md_link(url: str | None) -> str:
    """A link cell, only for http(s) URLs (never ``javascript:``), with the characters that
    would end the link target or the cell percent-encoded."""
    if not url or not url.lower().startswith(_SAFE_SCHEMES):
        return ""
    target = quote(url, safe=":/?#@!$&'*+,;=%~.-_")
    return f"[link]({target})"


def _markdown(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    yield "| date | jurisdiction | type | status | party | subject | evidence | documents/sources | first link |\n"
    yield "| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n"
    for row in rows:
        cells = (
            _date_label(row), row["jurisdiction"], row["type"], row["status"], row["party"], row["subject"],
            row["evidence"], _counts_label(row),
        )  # fmt: skip
        yield "| " + " | ".join(_md_text(v) for v in cells) + f" | {_md_link(row['first_url'])} |\n"


def _ics(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    """The calendar as icalendar writes it (escaping, folding at 75 octets, CRLF), an event at
    a time as the rows come: the VCALENDAR header and footer come from an empty calendar, and
    each VEVENT is serialised on its own, so a million events never make one object."""
    import icalendar

    stamp = datetime.now(UTC).replace(microsecond=0)
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//tracker//{__version__}//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    empty = calendar.to_ical().decode("utf-8")
    footer = "END:VCALENDAR\r\n"
    yield empty.removesuffix(footer)
    for row in rows:
        period = period_of(row["date"]) or period_of(row["placed"])
        if period is None:
            continue
        event = icalendar.Event()
        event.add("uid", f"tracker-event-{row['id']}@tracker")
        event.add("dtstamp", stamp)
        event.add("dtstart", period.first)
        event.add("dtend", period.last + timedelta(days=1))
        event.add("summary", f"{row['jurisdiction']} · {_kind_label(row)} · {_date_label(row)}")
        event.add("description", row["evidence"] or "")
        if row["first_url"]:
            event.add("url", row["first_url"])
        yield event.to_ical().decode("utf-8")
    yield footer


#: A row's members as ``json.dumps(..., indent=2)`` lays them out two levels deep, written by
#: the C encoder in one call (it takes no ``indent``, but these separators give the same text;
#: the pure-Python indenting encoder cost two thirds of a million-event dump)
_ROW_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",\n    ", ": ")).encode
_LIST_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",\n      ", ": ")).encode
_URLS_KEY = '"urls": '


def _json_row(row: dict[str, Any]) -> str:
    """One row, ``{`` to ``}``, as ``json.dumps(row, indent=2)`` writes it one level deep.

    Rows hold scalars and one list (``urls``), which the row's separators would put on lines
    of the wrong depth: that one value is written again at its own depth. ``"urls": `` occurs
    once in the text, as the key: in JSON an unescaped quote only opens or closes a string,
    and only a key is followed by ``: ``."""
    text = _ROW_ENCODE(row)
    urls = row.get("urls")
    if urls:
        nested = "[\n      " + _LIST_ENCODE(urls)[1:-1] + "\n    ]"
        text = text.replace(_URLS_KEY + _ROW_ENCODE(urls), _URLS_KEY + nested, 1)
    return "{\n    " + text[1:-1] + "\n  }"


def _json(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    """The text of ``json.dumps(list(rows), ensure_ascii=False, indent=2)``, a row at a time.

    Non-ASCII stays readable (Chinese evidence is not turned into ``\\uXXXX``)."""
    first = True
    for row in rows:
        yield ("[\n  " if first else ",\n  ") + _json_row(row)
        first = False
    yield "[]\n" if first else "\n]\n"


#: A cell a spreadsheet would run as a formula starts with one of these (OWASP, "CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _inert_cell(value: Any) -> Any:
    """Text from sources opens in spreadsheets: a leading quote keeps "=HYPERLINK(…)" a string."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _csv(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        cells = {**row, "urls": " ".join(row["urls"])}
        writer.writerow({key: _inert_cell(value) for key, value in cells.items()})
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def render(rows: Iterable[dict[str, Any]], fmt: str, console: Console) -> int:
    """Print ``rows`` in ``fmt`` to ``console`` (plain text for every format but the table)
    and return how many there were. Every format but the table is written row by row as the
    rows come, never built whole; the table needs them all first to size its columns."""
    if fmt == "table":
        materialised = list(rows)
        _table(materialised, console)
        return len(materialised)
    count = 0

    def counted() -> Iterator[dict[str, Any]]:
        nonlocal count
        for row in rows:
            count += 1
            yield row

    if fmt == "json":
        chunks = _json(counted())
    elif fmt == "csv":
        chunks = _csv(counted())
    elif fmt == "markdown":
        chunks = _markdown(counted())
    elif fmt == "html":
        from tracker.page import page_chunks  # only this format pays for reading the page's assets

        chunks = page_chunks(counted())
    else:
        chunks = _ics(counted())
    out = console.file
    try:
        for chunk in chunks:
            if chunk:
                out.write(chunk)
        out.flush()
    except BrokenPipeError:  # `| head`: the reader has all it wanted, which is no failure
        _silence(out)
        raise ReaderGone from None
    return count


class ReaderGone(Exception):
    """The pipe the output went to was closed by its reader (`| head`): stop, quietly."""


def _silence(out: Any) -> None:
    """Point a closed pipe at /dev/null, so that the flush at exit does not fail again."""
    try:
        fileno = out.fileno()
    except (AttributeError, OSError, ValueError):
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fileno)
    os.close(devnull)
