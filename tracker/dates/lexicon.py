"""Words and regular-expression pieces shared by the English and Chinese finders.

Kept as data so that the grammar in ``english`` and ``chinese`` reads as a list of phrase
shapes rather than a tangle of literals.
"""

from __future__ import annotations

__all__ = [
    "MONTHS",
    "WEEKDAYS",
    "NUMBERS",
    "ORDINALS",
    "MON",
    "MONTH_FULL",
    "DAYN",
    "YEAR",
    "WD",
    "WD_ABBR",
    "month_number",
    "number_value",
    "FUNCTION_WORDS",
]

MONTHS: dict[str, int] = {}
for _i, _names in enumerate(
    [
        ("january", "jan"),
        ("february", "feb", "febr"),
        ("march", "mar"),
        ("april", "apr"),
        ("may",),
        ("june", "jun"),
        ("july", "jul"),
        ("august", "aug"),
        ("september", "sep", "sept"),
        ("october", "oct"),
        ("november", "nov"),
        ("december", "dec"),
    ],
    start=1,
):
    for _n in _names:
        MONTHS[_n] = _i

WEEKDAYS = {
    name: i
    for i, names in enumerate(
        [
            ("monday", "mon"),
            ("tuesday", "tue", "tues"),
            ("wednesday", "wed"),
            ("thursday", "thu", "thur", "thurs"),
            ("friday", "fri"),
            ("saturday", "sat"),
            ("sunday", "sun"),
        ]
    )
    for name in names
}

NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "a couple of": 2,
}

ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}

MON = (  # an abbreviation takes its period; a full name leaves a sentence's period alone ("3 May.")
    r"(?:(?:january|february|march|april|may|june|july|august|september|october|november|december)\b|"
    r"(?:jan|feb|febr|mar|apr|jun|jul|aug|sept?|oct|nov|dec)(?:\.|\b(?:\s\.(?=\s*\d))?))"
)
MONTH_FULL = r"(?:january|february|march|april|may|june|july|august|september|october|november|december)\b"
DAYN = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?![\d%])(?![:.]\d)"
YEAR = r"(?:1[6-9]\d\d|20\d\d)(?![\d%])(?!\.\d)"
WD = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
WD_ABBR = r"(?:mon|tues?|wed|thu(?:rs?)?|fri|sat|sun)\.?"

FUNCTION_WORDS = frozenset(
    "in on by since from until till through to of for at during before after as and or but the "
    "a an this that last next early late mid end since, between around about within than "
    "ends issued updated published date dated posted".split()
)


def month_number(word: str) -> int:
    """Month number of a name or abbreviation ("Sept." -> 9)."""
    return MONTHS[word.lower().rstrip(". ")]


def number_value(word: str) -> int | None:
    """Integer of a count written in digits or words ("six" -> 6)."""
    w = word.lower().strip()
    if w.isdigit():
        return int(w)
    return NUMBERS.get(w)
