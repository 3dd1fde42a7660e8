"""Read-only views for the CLI: sources, watchlists, backtests and the outbox, as rich tables."""

from __future__ import annotations

from datetime import datetime

from rich.table import Table
from sqlmodel import col, select

from tracker.alerts.delivery import alert_event
from tracker.app import App
from tracker.config import SourceConfig
from tracker.db import session_scope
from tracker.errors import ConfigError
from tracker.models import Alert, Document, Event, Source
from tracker.pipeline import MIN_CONFIDENCE
from tracker.sources import Fetcher, Validators, normalize_url, poll

__all__ = ["sources_table", "check_source", "watchlists_table", "backtest_table", "alerts_table"]


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%SZ") if value else "—"


def _interval(seconds: float) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{int(seconds // size)}{unit}"
    return f"{seconds:g}s"


#: Below this width a table keeps its telling columns whole and drops the others, instead of
#: folding every cell into pieces ("enab/led", a timestamp over six lines)
NARROW = 110


def _columns(
    table: Table, names: tuple[str, ...], whole: frozenset[str], narrow: bool, drop: frozenset[str]
) -> list[str]:
    """Add the columns of ``names`` the width allows; short values (``whole``) never fold, and
    free text wraps between words."""
    kept = [name for name in names if not (narrow and name in drop)]
    for name in kept:
        if name == names[0] or (narrow and name in whole):  # the key column (name, id) is never folded
            table.add_column(name, no_wrap=True)
        else:
            table.add_column(name, overflow="fold")  # wraps between words; folds only a longer word
    return kept


def sources_table(app: App, width: int | None = None) -> Table:
    table = Table(title="Sources")
    narrow = width is not None and width < NARROW
    # a source's name is what people grep for and pass to `sources check`: never folded
    names = ("name", "kind", "every", "enabled", "last poll", "next poll", "failures", "status", "last error")
    whole = frozenset(("name", "kind", "every", "enabled", "last poll", "next poll", "failures", "status"))
    kept = _columns(table, names, whole, narrow, frozenset(("kind", "every", "enabled", "next poll")))
    when = _short_when if narrow else _when
    with session_scope(app.engine) as session:
        rows = {row.name: row for row in session.exec(select(Source)).all()}
    for source in app.config.sources:
        row = rows.get(source.name)
        failures = row.consecutive_failures if row else 0
        cells = {
            "name": source.name,
            "kind": source.kind,
            "every": _interval(source.interval_seconds),
            "enabled": "yes" if source.enabled else "no",
            "last poll": when(row.last_poll_at if row else None),
            "next poll": when(row.next_poll_at if row else None) if source.enabled else "—",
            "failures": f"[red]{failures}[/red]" if failures else "0",
            "status": (row.last_status if row else None) or "never polled",
            "last error": (row.last_error if row else None) or "",
        }
        table.add_row(*(cells[name] for name in kept))
    return table


def _short_when(value: datetime | None) -> str:
    return value.strftime("%m-%d %H:%M") if value else "—"


def check_source(app: App, source: SourceConfig) -> Table:
    """Poll ``source`` once, unconditionally, and show each item as it would be stored."""
    from tracker.extract import extract_events

    with Fetcher(app.config.fetch) as fetcher:
        result = poll(source, Validators(), fetcher)
    table = Table(title=f"{source.name}: {len(result.items)} items (nothing stored)")
    for name in ("state", "published", "title", "url", "chars", "events"):
        table.add_column(name, overflow="fold")
    with session_scope(app.engine) as session:
        for item in result.items:
            known = (
                item.url
                and session.exec(select(Document.id).where(Document.url_key == normalize_url(item.url))).first()
            )
            mentions = [
                m for m in extract_events(item.text, item.published, item.lang, title=item.title, rules=app.rules)
                if m.confidence >= MIN_CONFIDENCE and m.jurisdiction
            ]  # fmt: skip
            summary = ", ".join(f"{m.jurisdiction}·{m.type}·{m.date or 'undated'}" for m in mentions)
            table.add_row(
                "known" if known else "new",
                item.published.isoformat() if item.published else "—",
                item.title or "",
                item.url or "",
                str(len(item.text)),
                summary,
            )
    for warning in result.warnings:
        table.caption = (table.caption or "") + f"warning: {warning}\n"
    return table


def watchlists_table(app: App) -> Table:
    table = Table(title=f"Watchlists ({len(app.watchlists)}, all valid)")
    table.add_column("id", no_wrap=True)  # the name `watchlists test ID` takes: never folded
    for name in ("title", "jurisdictions", "types", "min conf.", "max age", "destination"):
        table.add_column(name, overflow="fold")
    for wl in app.watchlists:
        dest = wl.destination
        if dest.channel_from(app.environ) and app.environ.get("SLACK_BOT_TOKEN"):
            where = f"Slack {dest.channel_from(app.environ)}"
        elif dest.webhook_from(app.environ) or app.environ.get("SLACK_WEBHOOK_URL"):
            where = "Slack webhook"
        else:
            where = "console (no Slack settings in the environment)"
        table.add_row(
            wl.id,
            wl.title,
            ", ".join(wl.match.jurisdictions) or "any",
            ", ".join(wl.match.types) or "any",
            f"{wl.match.min_confidence:g}",
            f"{wl.match.max_age_days} d" if wl.match.max_age_days else "—",
            where,
        )
    return table


def backtest_table(app: App, name: str, since: datetime | None) -> Table:
    """Which stored events would have alerted ``name``, judged as of their first publication."""
    watchlist = next((w for w in app.watchlists if w.id == name), None)
    if watchlist is None:
        known = ", ".join(w.id for w in app.watchlists)
        raise ConfigError(f"watchlists: no watchlist named {name!r} (known: {known})")
    table = Table(title=f"Backtest of {watchlist.id} (nothing is sent)")
    for column in ("event", "date", "where", "type", "would alert", "why not"):
        table.add_column(column, overflow="fold")
    with session_scope(app.engine) as session:
        events = session.exec(select(Event).order_by(col(Event.id))).all()
        hits = 0
        for event in events:
            as_of = event.first_published_at or event.first_seen_at
            if since and as_of < since:
                continue
            reason = watchlist.mismatch(alert_event(session, event), as_of)
            hits += reason is None
            table.add_row(
                str(event.id), event.date_value or "undated", event.jurisdiction, event.type,
                "yes" if reason is None else "no", reason or "",
            )  # fmt: skip
    table.caption = f"{hits} events would have alerted"
    return table


def alerts_table(app: App, status: str | None, width: int | None = None) -> Table:
    table = Table(title="Alert outbox")
    narrow = width is not None and width < NARROW
    names = ("id", "status", "watchlist", "kind", "event", "attempts", "next attempt", "sent", "ts", "reason")
    whole = frozenset(("id", "status", "kind", "event", "attempts", "next attempt", "sent"))
    kept = _columns(table, names, whole, narrow, frozenset(("watchlist", "kind", "attempts", "next attempt", "ts")))
    when = _short_when if narrow else _when
    with session_scope(app.engine) as session:
        stmt = select(Alert, Event).join(Event, col(Event.id) == col(Alert.event_id)).order_by(col(Alert.id))
        if status:
            stmt = stmt.where(Alert.status == status)
        for alert, event in session.exec(stmt).all():
            colour = {"failed": "red", "pending": "yellow", "sending": "yellow", "sent": "green"}[alert.status]
            cells = {
                "id": str(alert.id), "status": f"[{colour}]{alert.status}[/{colour}]", "watchlist": alert.watchlist_id,
                "kind": alert.kind, "event": f"{event.jurisdiction}·{event.type}·{event.date_value or 'undated'}",
                "attempts": str(alert.attempts), "next attempt": when(alert.next_attempt_at),
                "sent": when(alert.sent_at), "ts": alert.ts or "", "reason": alert.last_error or "",
            }  # fmt: skip
            table.add_row(*(cells[name] for name in kept))
    return table
