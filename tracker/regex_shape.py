"""What a regex must contain, read from a small parse of its source (public API only): the
characters a match can start with (the prefilter of ``tracker.regexes.fast``), the strings
every match contains (needles, for skipping scans of long pages), and whether a pattern is
one balanced expression (so that joining rule patterns cannot hide a mistake)."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

__all__ = ["CLASSES", "first_chars", "needles", "well_formed"]


CLASSES = frozenset({"\\d", "\\s", "\\w"})


def first_chars(pattern: str, flags: int) -> set[str] | None:
    r"""The characters a match of ``pattern`` can start with, or None when unbounded.

    Read from a small parse of the pattern (public API only: literals, classes, groups,
    alternation, quantifiers and zero-width items); anything else (".", negated classes,
    backreferences, atomic groups, verbose patterns) gives None, and the caller keeps the
    plain pattern. ``\d``, ``\s`` and ``\w`` stand in the set as their escapes.
    """
    if flags & re.VERBOSE:
        return None
    try:
        parser = _Parser(pattern)
        items = parser.sequence_of(parser.alternatives())
        if parser.pos != len(pattern):
            return None
        return _seq(items)
    except (ValueError, IndexError, KeyError):  # an exotic construct: fall back to the plain pattern
        return None


def well_formed(pattern: str) -> bool:
    """Whether ``pattern`` reads as one balanced expression (groups and classes closed, no
    stray ")"): a cheap check that joining it with others cannot hide a mistake in it."""
    try:
        parser = _Parser(pattern)
        parser.alternatives()
    except (ValueError, IndexError, KeyError):
        return False
    return parser.pos == len(pattern)


# A parsed item: ("lit", ch), ("set", members), ("group", items), ("alt", [items, ...]),
# ("rep", minimum, items), ("zero",) for anchors and lookarounds, ("none",) for what bounds nothing.
_Item = tuple[Any, ...]
_ZERO: _Item = ("zero",)
_NONE: _Item = ("none",)
_QUANT = re.compile(r"\{(\d*)(,(\d*))?\}")
_FLAGS = re.compile(r"[aiLmsux]*(?:-[imsx]+)?")
_SIMPLE = {"n": "\n", "t": "\t", "r": "\r", "f": "\f", "v": "\v", "a": "\a"}
_HEX = {"x": 2, "u": 4, "U": 8}


class _Parser:
    """Recursive descent over Python regex syntax, enough to find where a match can start."""

    def __init__(self, src: str) -> None:
        self.src = src
        self.pos = 0

    def peek(self, n: int = 1) -> str:
        return self.src[self.pos : self.pos + n]

    def alternatives(self) -> list[list[_Item]]:
        alts = [self.sequence()]
        while self.peek() == "|":
            self.pos += 1
            alts.append(self.sequence())
        return alts

    @staticmethod
    def sequence_of(alts: list[list[_Item]]) -> list[_Item]:
        return alts[0] if len(alts) == 1 else [("alt", alts)]

    def sequence(self) -> list[_Item]:
        items: list[_Item] = []
        while self.pos < len(self.src) and self.peek() not in "|)":
            atom = self.atom()
            if atom is not None:
                items.append(self.quantified(atom))
        return items

    def quantified(self, atom: _Item) -> _Item:
        ch = self.peek()
        if ch and ch in "*+?":
            self.pos += 1
            minimum = 1 if ch == "+" else 0
        else:
            m = _QUANT.match(self.src, self.pos)
            if ch != "{" or m is None or (not m.group(1) and not m.group(2)):
                return atom
            self.pos = m.end()
            minimum = int(m.group(1) or 0)
        if self.peek() == "+":  # possessive: bounds nothing here
            self.pos += 1
            return _NONE
        if self.peek() == "?":
            self.pos += 1
        return ("rep", minimum, [atom])

    def atom(self) -> _Item | None:
        ch = self.src[self.pos]
        self.pos += 1
        if ch == "(":
            return self.group()
        if ch == "[":
            return self.char_class()
        if ch == "\\":
            return self.escape(in_class=False)
        if ch == ".":
            return _NONE
        if ch in "^$":
            return _ZERO
        return ("lit", ch)

    def group(self) -> _Item | None:
        if self.peek() != "?":
            return self.closed(("group",))
        self.pos += 1
        head = self.peek()
        if head == "#":
            end = self.src.index(")", self.pos)
            self.pos = end + 1
            return None
        if head == ":" or head == ">":
            self.pos += 1
            return self.closed(("group",) if head == ":" else ("atomic",))
        if self.peek(2) in ("<=", "<!") or head in ("=", "!"):
            self.pos += 2 if head == "<" else 1
            self.closed(("group",))
            return _ZERO
        if self.peek(2) == "P<":
            self.pos = self.src.index(">", self.pos) + 1
            return self.closed(("group",))
        if self.peek(2) == "P=":  # a backreference
            self.pos = self.src.index(")", self.pos) + 1
            return _NONE
        if head == "(":  # a conditional group
            self.pos = self.src.index(")", self.pos) + 1
            self.closed(("group",))
            return _NONE
        m = _FLAGS.match(self.src, self.pos)
        self.pos = m.end() if m is not None else self.pos
        if self.peek() == ")":
            self.pos += 1
            return None  # global flags: no item
        if self.peek() != ":":
            raise ValueError(self.src)
        self.pos += 1
        return self.closed(("group",))

    def closed(self, kind: _Item) -> _Item:
        items = self.sequence_of(self.alternatives())
        if self.peek() != ")":
            raise ValueError(self.src)
        self.pos += 1
        return _NONE if kind == ("atomic",) else ("group", items)

    def escape(self, in_class: bool) -> _Item:
        ch = self.src[self.pos]
        self.pos += 1
        if ch in "dsw":
            return ("set", [("cat", "\\" + ch)])
        if ch in "DSW":
            return _NONE
        if ch in "bBAZ" and not in_class:
            return _ZERO
        if ch == "b":
            return ("lit", "\b")
        if ch in _SIMPLE:
            return ("lit", _SIMPLE[ch])
        if ch in _HEX:
            digits = self.src[self.pos : self.pos + _HEX[ch]]
            self.pos += _HEX[ch]
            return ("lit", chr(int(digits, 16)))
        if ch == "N":
            end = self.src.index("}", self.pos)
            name = self.src[self.pos + 1 : end]
            self.pos = end + 1
            return ("lit", unicodedata.lookup(name))
        if ch.isdigit():
            return _NONE  # an octal escape or a backreference: rare, left unbounded
        if ch.isascii() and ch.isalnum():
            raise ValueError(self.src)
        return ("lit", ch)

    def char_class(self) -> _Item:
        negated = self.peek() == "^"
        if negated:
            self.pos += 1
        members: list[_Item] = []
        first = True
        while first or self.peek() != "]":
            if not self.peek():
                raise ValueError(self.src)
            first = False
            lo = self.class_atom()
            if self.peek() == "-" and self.src[self.pos + 1 : self.pos + 2] not in ("]", ""):
                self.pos += 1
                hi = self.class_atom()
                if lo[0] != "lit" or hi[0] != "lit":
                    raise ValueError(self.src)
                members.append(("range", ord(lo[1]), ord(hi[1])))
            else:
                members.append(lo)
        self.pos += 1
        return _NONE if negated else ("set", members)

    def class_atom(self) -> _Item:
        ch = self.src[self.pos]
        self.pos += 1
        if ch == "\\":
            item = self.escape(in_class=True)
            return ("other",) if item is _NONE else (item[1][0] if item[0] == "set" else item)
        return ("lit", ch)


def needles(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """Strings one of which every match of ``pattern`` contains, or None when unknown.

    Only for case-sensitive patterns (a twin of ``folded``): a text containing none of them
    cannot match, which a substring search tells much faster than a scan of the pattern.
    """
    src = pattern.pattern
    if pattern.flags & (re.IGNORECASE | re.VERBOSE) or re.search(r"\(\?[aLmsux-]*i", src):
        return None
    try:
        parser = _Parser(src)
        items = parser.sequence_of(parser.alternatives())
    except (ValueError, IndexError, KeyError):
        return None
    if parser.pos != len(src):
        return None
    found = _required(items)
    if found is None or not all(found):
        return None
    # a needle that holds another is implied by it: keep the shorter one
    return frozenset(n for n in found if not any(o != n and o in n for o in found))


def _required(items: list[_Item]) -> set[str] | None:
    """The best set of strings one of which any match of the sequence contains."""
    options: list[set[str]] = []
    run = ""
    for item in items:
        if item[0] == "lit":
            run += item[1]
            continue
        if run:
            options.append({run})
            run = ""
        sub: set[str] | None = None
        if item[0] == "group":
            sub = _required(item[1])
        elif item[0] == "alt":
            sub = set()
            for alt in item[1]:
                one = _required(alt)
                if one is None:
                    sub = None
                    break
                sub |= one
        elif item[0] == "rep" and item[1] > 0:
            sub = _required(item[2])
        if sub:
            options.append(sub)
    if run:
        options.append({run})
    if not options:
        return None
    return max(options, key=lambda o: (min(len(s) for s in o), -len(o)))


def _seq(items: list[_Item]) -> set[str] | None:
    """The first characters of a sequence that never matches empty, else None."""
    out: set[str] = set()
    for item in items:
        if item is _ZERO or item == _ZERO:
            continue  # zero-width: the next item decides (a superset is a valid prefilter)
        if item[0] == "rep" and item[1] == 0:
            optional = _seq(item[2])  # (?:刑事)?強制措施: either one may start the match
            if optional is None:
                return None
            out |= optional
            continue
        first = _first(item)
        return None if first is None else out | first
    return None


def _first(item: _Item) -> set[str] | None:
    kind = item[0]
    if kind == "lit":
        return {item[1]}
    if kind == "set":
        out: set[str] = set()
        for member in item[1]:
            if member[0] == "lit":
                out.add(member[1])
            elif member[0] == "range" and member[2] - member[1] <= 200:
                out.update(chr(x) for x in range(member[1], member[2] + 1))
            elif member[0] == "cat":
                out.add(member[1])  # \d, \s, \w: kept as the escape in the lookahead
            else:
                return None
        return out
    if kind == "group":
        return _seq(item[1])
    if kind == "alt":
        out = set()
        for alt in item[1]:
            sub = _seq(alt)
            if sub is None:
                return None
            out |= sub
        return out
    if kind == "rep" and item[1] > 0:
        return _seq(item[2])
    return None
