"""Date expressions: find spans in English and Chinese text, resolve them against the
publication date, and say how precise each one is.

    find_dates(text, published, lang, locale) -> list[DateExpr]   every date expression, in order
    date_locale(lang, url, override) -> country code       how a source writes 7/8/07
    parse_user_date(s) -> (value, precision)               a date typed by a user (CLI filters)

The finder is the project's own (patterns compiled once at import); dateparser only
normalises free-form user input that the patterns do not cover.
"""

from __future__ import annotations

from .finder import find_dates
from .locale import date_locale
from .model import DateExpr
from .user import parse_user_date

__all__ = ["DateExpr", "date_locale", "find_dates", "parse_user_date"]
