"""The contract vocabulary of DESIGN.md: event types, scored jurisdictions, precisions."""

from __future__ import annotations

__all__ = ["EVENT_TYPES", "PRECISIONS", "QUALIFIERS", "STATUSES"]

EVENT_TYPES = (
    "ban",
    "ordinance",
    "license_grant",
    "license_pause",
    "license_revoke",
    "license_application",
    "consultation",
    "guidance",
    "enforcement",
    "launch",
    "other",
)
PRECISIONS = ("year", "quarter", "month", "week", "day")
QUALIFIERS = ("since", "until", "by", "from")
#: Least realised first: a restated measure has happened, a planned one not yet.
STATUSES = ("planned", "restated", "done")
