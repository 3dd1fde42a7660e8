"""Confidence of a mention: the trigger's strength, how its jurisdiction was found, whether
it is dated, and a ceiling for negated, hedged and demanded states.
"""

from __future__ import annotations

__all__ = ["MIN_CONFIDENCE"]

#: Mentions below this confidence (hedged, negated, demanded) are not events.
MIN_CONFIDENCE = 0.5


PENALTY = {"negated": 0.1, "demanded": 0.2, "hedged": 0.3, "closing": 0.3, "unowned_plan": 0.3, "not_event": 0.1}
