"""Alerts: watchlist matching, Slack messages, notifiers and pacing — the database-free half.

The outbox (tracker.alerts.outbox) queues and delivers rows using these pieces:
``load_watchlists`` → ``Watchlist.matches`` → ``build_message`` → ``notifier_from_env(...).post``,
paced by ``ChannelRateLimiter`` and reconciled with ``find_posted`` after an ``UnknownOutcome``.
"""

# Nothing is re-exported: every caller imports from the module that owns the name, so the
# package never imports its heavier halves (slack-sdk, the outbox) just to be named.
