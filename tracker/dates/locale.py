"""Which way round a source writes numeric dates: "7/8/07" is 8 July in the United States and
7 August in Hong Kong, the United Kingdom and mainland China.

The locale is a country code. It comes, first found first, from a per-source setting, the
region of the language tag ("en-US", "zh-HK"), the country domain of the page's URL (".hk",
".co.uk", ".gov"), and the language (Chinese is written day-first). An English text from
nowhere in particular has no locale: a numeric date whose two first numbers could both be
months is then left unresolved, its span still found.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

__all__ = ["date_locale", "month_first", "MONTH_FIRST_COUNTRIES"]

#: Countries that write the month first (7/8/07 is 8 July); every other one writes the day first.
MONTH_FIRST_COUNTRIES = frozenset(("US", "PH", "FM", "MH", "PW", "BZ"))

_TLD_COUNTRY = {"uk": "GB", "gov": "US", "mil": "US", "edu": "US"}


def _country_of_url(url: str) -> str | None:
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return None
    tld = host.rsplit(".", 1)[-1].lower() if "." in host else ""
    if tld in _TLD_COUNTRY:
        return _TLD_COUNTRY[tld]
    return tld.upper() if len(tld) == 2 and tld.isalpha() else None


def date_locale(lang: str | None = None, url: str | None = None, override: str | None = None) -> str | None:
    """The country whose numeric-date order a document follows, or None when nothing says."""
    if override:
        return override.strip().upper()
    if lang:
        region = re.match(r"^[A-Za-z]{2,3}[-_]([A-Za-z]{2})\b", lang)
        if region:
            return region.group(1).upper()
    country = _country_of_url(url) if url else None
    if country:
        return country
    if lang and lang.lower().startswith("zh"):
        return "CN"
    return None


def month_first(locale: str | None) -> bool | None:
    """True when the locale writes the month first, False when the day first, None if unknown."""
    if not locale:
        return None
    return locale.upper() in MONTH_FIRST_COUNTRIES
