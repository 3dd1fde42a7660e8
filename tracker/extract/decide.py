"""Type decision: what a trigger's type becomes in context. A scheduled "takes effect" is
legislation only when the thing taking effect is (guidelines are guidance, a licence's own
start is no event); a vehicle word yields only when no strong trigger states the step.
"""

from __future__ import annotations

import re

__all__ = ["effect_type"]

# "X will take effect" is legislation only when X is: guidelines and circulars taking effect
# are guidance. The nearest such noun before the trigger, in its clause, decides.
_LEGISLATION = re.compile(
    r"\b(?:ordinances?|laws?|bills?|regulations?|rules|acts?|amendments?|legislation|regimes?|measures|provisions)\b|"
    r"条例|條例|法案|法律|办法|辦法|规定|規定|新规|新規|规则|規則|制度|(?<![方办辦做])法",
    re.IGNORECASE,
)

_GUIDE_NOUN = re.compile(
    r"\b(?:guidelines?|guidance|circulars?|codes? of (?:conduct|practice)|FAQs?|notices?|handbooks?|manuals?)\b"
    r"|指引|通函|指南|守则|守則|通知|公告",
    re.IGNORECASE,
)

# "The licence takes effect from 20 March": a licence's own start date, not legislation.
_LICENCE_NOUN = re.compile(
    r"\b(?:licen[cs]es?|approvals?|authori[sz]ations?|registrations?)\b|牌照|许可证|許可證|执照|執照", re.IGNORECASE
)


def effect_type(text: str, clause_start: int, pos: int) -> str | None:
    """'guidance' when the thing taking effect is a guideline or circular, None when it is a
    licence (its own validity, no legislation), else 'ordinance'. The nearest noun decides."""
    before = text[max(clause_start, pos - 160) : pos]
    legis = max((m.end() for m in _LEGISLATION.finditer(before)), default=-1)
    guide = max((m.end() for m in _GUIDE_NOUN.finditer(before)), default=-1)
    licence = max((m.end() for m in _LICENCE_NOUN.finditer(before)), default=-1)
    if licence > max(legis, guide):
        return None
    if guide > legis:
        return "guidance"
    return "ordinance"
