"""The timeline as a table, JSON, CSV, Markdown or iCalendar.

Rows are built once (:func:`timeline_rows`) and every format prints the same fields, so a
date is shown at its precision everywhere: "2021" stays "2021", and an undated event says
that it is placed at its publication date.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from rich.console import Console
from rich.table import Table
from sqlmodel import Session

from tracker import __version__
from tracker.models import Event
from tracker.periods import period_of
from tracker.timeline import event_sources

__all__ = ["FORMATS", "timeline_rows", "render"]

FORMATS = ("table", "json", "csv", "markdown", "ics")
FIELDS = (
    "id", "date", "precision", "qualifier", "placed", "jurisdiction", "type", "subject", "actor",
    "evidence", "sources", "first_url", "urls", "confidence", "revision", "change",
)  # fmt: skip


def _date_label(row: dict[str, Any]) -> str:
    if row["date"]:
        return f"{row['qualifier']} {row['date']}" if row["qualifier"] else row["date"]
    return f"undated (published {row['placed']})" if row["placed"] else "undated"


def _evidence_url(provenance: list[tuple[str, str | None, str]], evidence: str) -> str | None:
    """The link of the mention whose sentence is shown, else the first link."""
    for _, url, said in provenance:
        if url and said == evidence:
            return url
    return next((url for _, url, _ in provenance if url), None)


def timeline_rows(session: Session, events: Sequence[Event]) -> list[dict[str, Any]]:
    rows = []
    for event in events:
        provenance = event_sources(session, event.id)
        first = event.first_published_at
        rows.append(
            {
                "id": event.id,
                "date": event.date_value,
                "precision": event.precision,
                "qualifier": event.qualifier,
                "placed": None if event.date_value else (first.date().isoformat() if first else None),
                "jurisdiction": event.jurisdiction,
                "type": event.type,
                "subject": event.subject,
                "actor": event.actor,
                "evidence": event.evidence,
                "sources": len({name for name, _, _ in provenance}) or event.source_count,
                "first_url": _evidence_url(provenance, event.evidence),
                "urls": list(dict.fromkeys(url for _, url, _ in provenance if url)),
                "confidence": round(event.confidence, 2),
                "revision": event.revision,
                "change": event.change,
            }
        )
    return rows


def _table(rows: list[dict[str, Any]], console: Console) -> None:
    table = Table(title=f"Timeline ({len(rows)} events)", show_lines=False, expand=False)
    for name, style in (("date", "bold"), ("where", "cyan"), ("type", "magenta"), ("subject", ""),
                        ("evidence", ""), ("src", "green"), ("first link", "blue")):  # fmt: skip
        table.add_column(name, style=style or None, overflow="fold")
    for row in rows:
        evidence = row["evidence"] if len(row["evidence"]) <= 160 else row["evidence"][:159] + "…"
        table.add_row(
            _date_label(row), row["jurisdiction"], row["type"], row["subject"] or "", evidence,
            str(row["sources"]), row["first_url"] or "",
        )  # fmt: skip
    console.print(table)


def _markdown(rows: list[dict[str, Any]]) -> str:
    def cell(value: Any) -> str:
        return str(value if value is not None else "").replace("|", "\\|").replace("\n", " ")

    lines = ["| date | jurisdiction | type | subject | evidence | sources | first link |",
             "| --- | --- | --- | --- | --- | --- | --- |"]  # fmt: skip
    for row in rows:
        link = f"[link]({row['first_url']})" if row["first_url"] else ""
        lines.append(
            "| " + " | ".join(cell(v) for v in (_date_label(row), row["jurisdiction"], row["type"],
                                                 row["subject"], row["evidence"], row["sources"])) + f" | {link} |"
        )  # fmt: skip
    return "\n".join(lines) + "\n"


def _ics_text(value: str) -> str:
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """RFC 5545 lines are at most 75 octets; continuation lines start with a space."""
    out, current = [], ""
    for ch in line:
        if len((current + ch).encode("utf-8")) > 75:
            out.append(current)
            current = " " + ch
        else:
            current += ch
    out.append(current)
    return "\r\n".join(out)


def _ics(rows: list[dict[str, Any]]) -> str:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:-//tracker//{__version__}//EN", "CALSCALE:GREGORIAN"]
    for row in rows:
        period = period_of(row["date"]) or period_of(row["placed"])
        if period is None:
            continue
        summary = f"{row['jurisdiction']} · {row['type']} · {_date_label(row)}"
        lines += [
            "BEGIN:VEVENT",
            f"UID:tracker-event-{row['id']}@tracker",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{period.first:%Y%m%d}",
            f"DTEND;VALUE=DATE:{period.last + timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{_ics_text(summary)}",
            f"DESCRIPTION:{_ics_text(row['evidence'])}",
        ]
        if row["first_url"]:
            lines.append(f"URL:{row['first_url']}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"


def render(rows: list[dict[str, Any]], fmt: str, console: Console) -> None:
    """Print ``rows`` in ``fmt`` to ``console`` (plain text for every format but the table)."""
    if fmt == "table":
        _table(rows, console)
        return
    if fmt == "json":
        text = json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    elif fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows({**row, "urls": " ".join(row["urls"])} for row in rows)
        text = buffer.getvalue()
    elif fmt == "markdown":
        text = _markdown(rows)
    else:
        text = _ics(rows)
    console.file.write(text)
    console.file.flush()
