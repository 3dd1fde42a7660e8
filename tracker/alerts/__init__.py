"""Alerts: watchlist matching, Slack messages, notifiers and pacing — the database-free half.

The outbox (tracker.alerts.outbox) queues and delivers rows using these pieces:
``load_watchlists`` → ``Watchlist.matches`` → ``build_message`` → ``notifier_from_env(...).post``,
paced by ``ChannelRateLimiter`` and reconciled with ``find_posted`` after an ``UnknownOutcome``.
"""

from __future__ import annotations

from tracker.alerts.message import (
    AlertEvent,
    SlackMessage,
    build_digest,
    build_message,
    escape,
    format_date,
    ops_message,
    safe_url,
)
from tracker.alerts.ratelimit import ChannelRateLimiter
from tracker.alerts.slack import (
    CONSOLE_MARK,
    ConsoleNotifier,
    Notifier,
    Permanent,
    RateLimited,
    SlackNotifier,
    Transient,
    UnknownOutcome,
    WebhookNotifier,
    mask_secret,
    notifier_from_env,
)
from tracker.alerts.watchlists import (
    EVENT_TYPES,
    Destination,
    Digest,
    Match,
    QuietHours,
    Reminders,
    Watchlist,
    date_bounds,
    event_age_days,
    hold_until,
    in_quiet_hours,
    load_watchlists,
    next_digest_at,
    parse_watchlist,
    quiet_until,
    reminder_times,
)

__all__ = [
    "AlertEvent",
    "SlackMessage",
    "build_message",
    "build_digest",
    "ops_message",
    "escape",
    "safe_url",
    "format_date",
    "EVENT_TYPES",
    "Watchlist",
    "Match",
    "Destination",
    "Digest",
    "Reminders",
    "QuietHours",
    "load_watchlists",
    "parse_watchlist",
    "date_bounds",
    "event_age_days",
    "in_quiet_hours",
    "quiet_until",
    "hold_until",
    "next_digest_at",
    "reminder_times",
    "Notifier",
    "SlackNotifier",
    "WebhookNotifier",
    "ConsoleNotifier",
    "CONSOLE_MARK",
    "notifier_from_env",
    "mask_secret",
    "RateLimited",
    "Transient",
    "UnknownOutcome",
    "Permanent",
    "ChannelRateLimiter",
]
