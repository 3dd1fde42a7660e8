"""The extraction stage: regulatory events from one document's text.

The steps run in order over one document (see ``tracker.extract.events``): clauses →
triggers → frame (cues, actor, party, subject, status) → date attachment → jurisdiction →
type decision → confidence → dedupe. The lexicons, cue lists and weights are data in rules/.
"""

from __future__ import annotations

from tracker.extract.confidence import MIN_CONFIDENCE
from tracker.extract.events import extract_events, extract_record
from tracker.extract.model import Mention

__all__ = ["MIN_CONFIDENCE", "Mention", "extract_events", "extract_record"]
