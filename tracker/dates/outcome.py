"""What a finder rule's resolver gives back, as one type for the resolvers' annotations."""

from __future__ import annotations

from typing import TypeAlias

from .rules import Parts, _Reject
from .units import Resolved

__all__ = ["Outcome"]

#: a value and its precision, a split into parts, REJECT (not a date after all) or None (no value)
Outcome: TypeAlias = "Resolved | Parts | _Reject | None"
