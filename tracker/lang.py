"""The one language decision: is a text Chinese?

Sources, documents and the date finder ask it. ``detect_lang`` is the document's language
(CJK characters a large share of its letters; the hint when the text is too short to tell);
``has_cjk`` is whether any Chinese appears at all, which is what decides that the Chinese
date rules must run on a mixed text.
"""

from __future__ import annotations

import re

__all__ = ["CJK", "detect_lang", "has_cjk"]

#: a Chinese character (the unified ideographs, their extensions and compatibility forms)
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]")
_COMMON = re.compile(r"[\u4e00-\u9fff]")
#: share of the letters that makes a text Chinese
ZH_SHARE = 0.3


def detect_lang(text: str, hint: str = "en") -> str:
    """ "zh" when CJK characters are a large share of the letters; the hint when text is too short."""
    sample = text[:5000]
    cjk = len(CJK.findall(sample))
    letters = sum(1 for ch in sample if ch.isalpha())
    if letters < 8:
        return hint
    return "zh" if cjk / letters >= ZH_SHARE else "en"


def has_cjk(text: str, limit: int = 4000) -> bool:
    """Whether a common Chinese character appears in the first ``limit`` characters."""
    return _COMMON.search(text, 0, limit) is not None
