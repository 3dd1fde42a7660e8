"""Rule files under rules/: load, validate and compile them once.

The lexicons are data (see STYLE.md, "Rule files read like Sigma"): an analyst extends a
trigger list without touching code, so every file is checked on load and an error names
the file and the key, e.g. ``rules/event_types.toml: types.ban.triggers: expected a list
of strings``. Regexes are compiled here, once, so that extraction stays fast.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from tracker.errors import RuleError
from tracker.regexes import fast, fast_source, first_chars, trie, well_formed
from tracker.vocab import EVENT_TYPES  # the contract vocabulary: rule files may not invent types

__all__ = [
    "EVENT_TYPES",
    "Example",
    "JurisdictionName",
    "NotEventClass",
    "Rules",
    "TypeRules",
    "default_rules_dir",
    "load_rules",
]

_CODE = re.compile(r"^(?:[A-Z]{2})$")
_TYPE_KEYS = {"description": str, "triggers": list, "weak": list, "scheduled": list}
_CUE_KEYS = {
    "negation": list,
    "hedge": list,
    "plan": list,
    "restated": list,
    "demand": list,
    "reversal": list,
    "reversed_after": list,
    "quote_min_chars": int,
}
_EXPECT_KEYS = {"type", "jurisdiction", "date", "qualifier", "status"}
_NEVER = re.compile(r"(?!x)x")

# rules/cues.toml: the closed lists of names each table must hold (the steps look them up)
_PATTERN_NAMES = frozenset(
    """clause_en neg_inside_en neg_inside_zh modal_inside_en post_plan zh_expect_lead unconfirmed forecaster
    announced invitation coordinated opened closing_en closing_zh closing_before stative deadline_lead timed_clause
    zh_attributive_date subordinate_lead adjacent reported complement date_preposition gapped_verb meeting_back
    meeting determiner actor_noun passive_by instrument_en firm_en firm_zh leading_article subordinate
    legislation_noun guide_noun licence_noun reaffirm elaboration self_dated leading_preposition
    coordinated_zh past_zh latin_name_zh""".split()
)
_WORD_NAMES = frozenset({"schedule_modals", "deadline_modals", "latin_not_firm"})
_TYPE_SET_NAMES = frozenset({"announceable", "counted", "content_types"})
_TABLE_NAMES = frozenset({"qualifier"})
_SCOPES = frozenset({"lead", "upto", "clause", "sentence", "before"})
# rules/confidence.toml: table → its keys, all required
_WEIGHT_KEYS = {
    "weights": frozenset({"strong", "weak", "dated", "owned_plan", "ceiling"}),
    "jurisdiction": frozenset(
        {"clause", "sentence", "place", "paragraph", "home", "earlier", "title", "later", "none", "after"}
    ),
    "caps": frozenset({"negated", "demanded", "hedged", "closing", "unowned_plan", "not_event"}),
}


@dataclass(frozen=True, slots=True)
class TypeRules:
    """Compiled triggers of one event type."""

    name: str
    strong: re.Pattern[str] | None
    weak: re.Pattern[str] | None
    scheduled: re.Pattern[str] | None
    # the strong triggers with case-sensitive (?-i:…) parts, apart: the rest then runs as an
    # exact lower-cased twin (tracker.regexes.folded), which is much faster
    strong_cased: re.Pattern[str] | None = None


@dataclass(frozen=True, slots=True)
class JurisdictionName:
    """One literal name of the gazetteer and what it stands for."""

    text: str
    code: str
    kind: str  # "authority", "place", "generic" (code: a default, "" when none), "ambiguous" or "firm"


@dataclass(frozen=True, slots=True)
class Example:
    """A regression example carried by a rule file: a sentence and the event it must yield."""

    source: str
    index: int
    text: str
    published: str | None
    lang: str | None
    expect: dict[str, str | None] | None  # None: the sentence must yield no HK/CN event
    rule: str | None = None  # the id of the rule it protects ("lexicons.rule_description")


@dataclass(frozen=True, slots=True)
class NotEventClass:
    """A class of trigger matches that state no step (rules/cues.toml ``[[not_events]]``)."""

    lexicon: str
    types: frozenset[str]  # empty: every type
    scope: str  # "lead", "upto", "clause", "sentence" or "before"
    undated: bool  # only when the mention has no date of its own
    actorless: bool = False  # only when no authority is named before the trigger
    quiet: bool = False  # only when the sentence has no date at all


@dataclass(frozen=True, slots=True)
class Rules:
    """Everything tracker.extract needs from rules/, validated and compiled."""

    types: tuple[TypeRules, ...]
    negation: re.Pattern[str]
    hedge: re.Pattern[str]
    plan: re.Pattern[str]
    restated: re.Pattern[str]
    demand: re.Pattern[str]
    reversal: re.Pattern[str]
    reversed_after: re.Pattern[str]
    quote_min_chars: int
    subjects: tuple[tuple[str, re.Pattern[str]], ...]
    names: dict[str, JurisdictionName]
    name_pattern: re.Pattern[str]
    examples: tuple[Example, ...] = field(default=())
    lexicons: dict[str, re.Pattern[str]] = field(default_factory=dict)
    patterns: dict[str, re.Pattern[str]] = field(default_factory=dict)  # rules/cues.toml [patterns]
    words: dict[str, frozenset[str]] = field(default_factory=dict)
    type_sets: dict[str, frozenset[str]] = field(default_factory=dict)
    tables: dict[str, dict[str, str]] = field(default_factory=dict)
    not_events: tuple[NotEventClass, ...] = ()
    weights: dict[str, float] = field(default_factory=dict)  # rules/confidence.toml, "TABLE.KEY"
    rule_ids: frozenset[str] = frozenset()  # every rule's id: what an example may name

    def lexicon(self, name: str) -> re.Pattern[str]:
        """The compiled ``[lexicons.NAME]`` list; one that never matches when absent."""
        return self.lexicons.get(name, _NEVER)

    def pattern(self, name: str) -> re.Pattern[str]:
        """The compiled ``[patterns.NAME]`` of rules/cues.toml (the loader makes sure it exists)."""
        return self.patterns[name]


def default_rules_dir() -> Path:
    """rules/ next to the package, so the installed tree and the checkout agree."""
    return Path(__file__).resolve().parents[1] / "rules"


def _read(path: Path, label: str) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise RuleError(f"{label}: file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise RuleError(f"{label}: not valid TOML: {exc}") from None


def _strings(value: Any, label: str, key: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RuleError(f"{label}: {key}: expected a list of strings, got {type(value).__name__}")
    return value


def _table(value: Any, label: str, key: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise RuleError(f"{label}: {key}: expected a table, got {type(value).__name__}")
    return value


def _unknown(data: dict[str, Any], allowed: set[str], label: str, prefix: str) -> None:
    for key in data:
        if key not in allowed:
            where = f"{prefix}.{key}" if prefix else key
            raise RuleError(f"{label}: {where}: unknown key (allowed: {', '.join(sorted(allowed))})")


def _compile(patterns: list[str], label: str, key: str) -> re.Pattern[str] | None:
    """One alternation per list: a single scan of the text instead of one per pattern."""
    if not patterns:
        return None
    for i, pat in enumerate(patterns):
        if not well_formed(pat):  # compiled one by one only when in doubt: compiling is most of a load
            _check(pat, label, f"{key}[{i}]")
    # Latin alternatives nearly all open on a word boundary: grouping them behind one \b
    # rejects every position inside a word at once, instead of once per alternative.
    bounded = [p for p in patterns if p.startswith("\\b")]
    rest = [p for p in patterns if not p.startswith("\\b")]
    parts: list[tuple[str, set[str] | None]] = []
    for group, prefix in ((bounded, "\\b"), (rest, "")):
        if group:
            alternation = "|".join(f"(?:{p[len(prefix):]})" for p in group)
            first = first_chars(alternation, re.IGNORECASE)
            parts.append((prefix + fast_source(alternation, re.IGNORECASE, first), first))
    if len(parts) == 1:
        source = parts[0][0]
    else:
        # the first characters of the union are those of its parts (None when one is unbounded)
        union: set[str] | None = set()
        for _, first in parts:
            union = None if union is None or first is None else union | first
        source = fast_source("|".join(f"(?:{p})" for p, _ in parts), re.IGNORECASE, union)
    try:
        return re.compile(source, re.IGNORECASE)
    except re.error as exc:
        for i, pat in enumerate(patterns):
            _check(pat, label, f"{key}[{i}]")
        raise RuleError(f"{label}: {key}: the patterns do not combine into one expression: {exc}") from None


def _check(pattern: str, label: str, key: str) -> None:
    try:
        re.compile(pattern)
    except re.error as exc:
        raise RuleError(f"{label}: {key}: invalid regular expression {pattern!r}: {exc}") from None


def _examples(data: dict[str, Any], label: str, codes: set[str] | None) -> list[Example]:
    raw = data.get("examples", [])
    if not isinstance(raw, list):
        raise RuleError(f"{label}: examples: expected an array of tables")
    out: list[Example] = []
    for i, ex in enumerate(raw):
        key = f"examples[{i}]"
        ex = _table(ex, label, key)
        _unknown(ex, {"text", "published", "lang", "expect", "expect_none", "rule"}, label, key)
        if "rule" in ex and not isinstance(ex["rule"], str):
            raise RuleError(f"{label}: {key}.rule: expected a rule id such as 'lexicons.NAME'")
        if not isinstance(ex.get("text"), str) or not ex["text"].strip():
            raise RuleError(f"{label}: {key}.text: expected a non-empty string")
        for opt in ("published", "lang"):
            if opt in ex and not isinstance(ex[opt], str):
                raise RuleError(f"{label}: {key}.{opt}: expected a string")
        expect: dict[str, str | None] | None
        if ex.get("expect_none") is True:
            if "expect" in ex:
                raise RuleError(f"{label}: {key}: give either expect or expect_none, not both")
            expect = None
        else:
            exp = _table(ex.get("expect"), label, f"{key}.expect")
            _unknown(exp, _EXPECT_KEYS, label, f"{key}.expect")
            if exp.get("type") not in EVENT_TYPES:
                raise RuleError(f"{label}: {key}.expect.type: unknown event type {exp.get('type')!r}")
            if not isinstance(exp.get("jurisdiction"), str):
                raise RuleError(f"{label}: {key}.expect.jurisdiction: expected a string")
            if codes is not None and exp["jurisdiction"] not in codes:
                raise RuleError(f"{label}: {key}.expect.jurisdiction: unknown code {exp['jurisdiction']!r}")
            expect = {k: (None if v is None else str(v)) for k, v in exp.items()}
        out.append(Example(label, i, ex["text"], ex.get("published"), ex.get("lang"), expect, ex.get("rule")))
    return out


def _lexicons(data: dict[str, Any], label: str) -> dict[str, re.Pattern[str]]:
    """``[lexicons]``: named cue lists, each a rule with the id ``lexicons.NAME``."""
    out: dict[str, re.Pattern[str]] = {}
    for name, pats in _table(data.get("lexicons", {}), label, "lexicons").items():
        pat = _compile(_strings(pats, label, f"lexicons.{name}"), label, f"lexicons.{name}")
        out[name] = pat if pat is not None else _NEVER
    return out


@dataclass(frozen=True, slots=True)
class _Cues:
    """What rules/cues.toml holds, validated."""

    patterns: dict[str, re.Pattern[str]]
    words: dict[str, frozenset[str]]
    type_sets: dict[str, frozenset[str]]
    tables: dict[str, dict[str, str]]
    not_events: tuple[NotEventClass, ...]


def _rule_ids(
    types: list[TypeRules],
    cues: dict[str, Any],
    lexicons: dict[str, re.Pattern[str]],
    more: _Cues | None = None,
    weights: dict[str, float] | None = None,
) -> set[str]:
    ids = (
        {f"types.{t.name}" for t in types}
        | {f"cues.{k}" for k in cues}
        | {f"lexicons.{k}" for k in lexicons}
        | {"gazetteer"}
    )
    if more is not None:
        ids |= {f"patterns.{k}" for k in more.patterns} | {f"words.{k}" for k in more.words}
        ids |= {f"type_sets.{k}" for k in more.type_sets} | {f"tables.{k}" for k in more.tables}
    if weights is not None:
        ids |= {f"confidence.{k}" for k in weights}
    return ids


def _closed(table: dict[str, Any], names: frozenset[str], label: str, key: str) -> None:
    """Every name of the closed list present, and no other."""
    _unknown(table, set(names), label, key)
    missing = sorted(names - set(table))
    if missing:
        raise RuleError(f"{label}: {key}.{missing[0]}: missing (required: {', '.join(sorted(names))})")


def _pattern(spec: Any, label: str, key: str) -> re.Pattern[str]:
    """One ``[patterns.NAME]``: regex pieces joined as written, ignore_case optional."""
    spec = _table(spec, label, key)
    _unknown(spec, {"regex", "ignore_case"}, label, key)
    source = "".join(_strings(spec.get("regex"), label, f"{key}.regex"))
    flag = spec.get("ignore_case", False)
    if not isinstance(flag, bool):
        raise RuleError(f"{label}: {key}.ignore_case: expected true or false")
    try:
        return re.compile(source, re.IGNORECASE if flag else 0)
    except re.error as exc:
        raise RuleError(f"{label}: {key}.regex: invalid regular expression {source!r}: {exc}") from None


def _type_set(value: Any, label: str, key: str) -> frozenset[str]:
    found = _strings(value, label, key)
    for name in found:
        if name not in EVENT_TYPES:
            raise RuleError(f"{label}: {key}: unknown event type {name!r}")
    return frozenset(found)


def _not_event(spec: Any, label: str, key: str, lexicons: dict[str, re.Pattern[str]]) -> NotEventClass:
    spec = _table(spec, label, key)
    _unknown(spec, {"lexicon", "types", "scope", "undated", "actorless", "quiet"}, label, key)
    lexicon = spec.get("lexicon")
    if not isinstance(lexicon, str) or lexicon not in lexicons:
        raise RuleError(f"{label}: {key}.lexicon: expected a [lexicons] name of event_types.toml, got {lexicon!r}")
    if spec.get("scope") not in _SCOPES:
        raise RuleError(f"{label}: {key}.scope: expected one of {', '.join(sorted(_SCOPES))}")
    flags = {}
    for flag in ("undated", "actorless", "quiet"):
        value = spec.get(flag, False)
        if not isinstance(value, bool):
            raise RuleError(f"{label}: {key}.{flag}: expected true or false")
        flags[flag] = value
    types = _type_set(spec.get("types", []), label, f"{key}.types")
    return NotEventClass(lexicon, types, spec["scope"], flags["undated"], flags["actorless"], flags["quiet"])


def _load_cues(path: Path, label: str, lexicons: dict[str, re.Pattern[str]]) -> _Cues:
    """rules/cues.toml: the cue patterns, word lists, type sets, tables and not-event classes."""
    data = _read(path, label)
    _unknown(data, {"version", "patterns", "words", "type_sets", "tables", "not_events"}, label, "")
    if data.get("version") != 1:
        raise RuleError(f"{label}: version: expected 1")
    raw = {key: _table(data.get(key), label, key) for key in ("patterns", "words", "type_sets", "tables")}
    for key, names in (
        ("patterns", _PATTERN_NAMES),
        ("words", _WORD_NAMES),
        ("type_sets", _TYPE_SET_NAMES),
        ("tables", _TABLE_NAMES),
    ):
        _closed(raw[key], names, label, key)
    tables: dict[str, dict[str, str]] = {}
    for name, table in raw["tables"].items():
        table = _table(table, label, f"tables.{name}")
        for word, value in table.items():
            if not isinstance(value, str):
                raise RuleError(f"{label}: tables.{name}.{word}: expected a string")
        tables[name] = dict(table)
    entries = data.get("not_events", [])
    if not isinstance(entries, list):
        raise RuleError(f"{label}: not_events: expected an array of tables")
    return _Cues(
        patterns={name: _pattern(spec, label, f"patterns.{name}") for name, spec in raw["patterns"].items()},
        words={name: frozenset(_strings(v, label, f"words.{name}")) for name, v in raw["words"].items()},
        type_sets={name: _type_set(v, label, f"type_sets.{name}") for name, v in raw["type_sets"].items()},
        tables=tables,
        not_events=tuple(_not_event(e, label, f"not_events[{i}]", lexicons) for i, e in enumerate(entries)),
    )


def _load_weights(path: Path, label: str) -> dict[str, float]:
    """rules/confidence.toml: the confidence weights, "TABLE.KEY" → value."""
    data = _read(path, label)
    _unknown(data, {"version", *_WEIGHT_KEYS}, label, "")
    if data.get("version") != 1:
        raise RuleError(f"{label}: version: expected 1")
    out: dict[str, float] = {}
    for table, keys in _WEIGHT_KEYS.items():
        values = _table(data.get(table), label, table)
        _closed(values, keys, label, table)
        for key, value in values.items():
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                raise RuleError(f"{label}: {table}.{key}: expected a number of at least 0, got {value!r}")
            out[f"{table}.{key}"] = float(value)
    return out


def _load_types(
    path: Path, label: str
) -> tuple[list[TypeRules], dict[str, Any], list[tuple[str, re.Pattern[str]]], list[Example]]:
    data = _read(path, label)
    _unknown(data, {"version", "cues", "types", "subjects", "lexicons", "examples"}, label, "")
    if data.get("version") != 1:
        raise RuleError(f"{label}: version: expected 1")
    types = _table(data.get("types"), label, "types")
    compiled: list[TypeRules] = []
    for name, spec in types.items():
        if name not in EVENT_TYPES:
            raise RuleError(f"{label}: types.{name}: unknown event type (allowed: {', '.join(EVENT_TYPES)})")
        spec = _table(spec, label, f"types.{name}")
        _unknown(spec, set(_TYPE_KEYS), label, f"types.{name}")
        if "description" in spec and not isinstance(spec["description"], str):
            raise RuleError(f"{label}: types.{name}.description: expected a string")
        lists = {k: _strings(spec.get(k, []), label, f"types.{name}.{k}") for k in ("triggers", "weak", "scheduled")}
        plain = [p for p in lists["triggers"] if "(?-i:" not in p]
        cased = [p for p in lists["triggers"] if "(?-i:" in p]
        compiled.append(
            TypeRules(
                name,
                _compile(plain or cased, label, f"types.{name}.triggers"),
                _compile(lists["weak"], label, f"types.{name}.weak"),
                _compile(lists["scheduled"], label, f"types.{name}.scheduled"),
                _compile(cased, label, f"types.{name}.triggers") if plain and cased else None,
            )
        )
    missing = [t for t in EVENT_TYPES if t not in types]
    if missing:
        raise RuleError(f"{label}: types: missing event types {', '.join(missing)}")
    cues = _table(data.get("cues"), label, "cues")
    _unknown(cues, set(_CUE_KEYS), label, "cues")
    for key in ("negation", "hedge", "demand"):
        _strings(cues.get(key), label, f"cues.{key}")
    for key in ("reversal", "reversed_after", "plan", "restated"):
        _strings(cues.get(key, []), label, f"cues.{key}")
    if not isinstance(cues.get("quote_min_chars", 25), int):
        raise RuleError(f"{label}: cues.quote_min_chars: expected an integer")
    subjects = []
    for name, pats in _table(data.get("subjects", {}), label, "subjects").items():
        pat = _compile(_strings(pats, label, f"subjects.{name}"), label, f"subjects.{name}")
        if pat is not None:
            subjects.append((name, pat))
    return compiled, cues, subjects, _examples(data, label, None)


def _load_places(path: Path, label: str) -> tuple[dict[str, JurisdictionName], list[Example]]:
    data = _read(path, label)
    if data.get("version") != 1:
        raise RuleError(f"{label}: version: expected 1")
    _unknown(data, {"version", "jurisdictions", "contextual", "firms", "examples"}, label, "")
    names: dict[str, JurisdictionName] = {}
    # Contextual actors ("the government", "the regulator", 央行): their jurisdiction is the
    # document's or the sentence's, not a fixed one; tracker.extract resolves them.
    ctx = _table(data.get("contextual", {}), label, "contextual")
    _unknown(ctx, {"names"}, label, "contextual")
    for text in _strings(ctx.get("names", []), label, "contextual.names"):
        names[text] = JurisdictionName(text, "", "generic")
    # Firms and outlets whose names hold a place ("China Asset Management"): matched so that
    # the place inside them is not, then dropped by tracker.extract.
    firms = _table(data.get("firms", {}), label, "firms")
    _unknown(firms, {"names"}, label, "firms")
    for text in _strings(firms.get("names", []), label, "firms.names"):
        names[text] = JurisdictionName(text, "", "firm")
    for code, spec in _table(data.get("jurisdictions"), label, "jurisdictions").items():
        if not _CODE.match(code):
            raise RuleError(f"{label}: jurisdictions.{code}: expected an ISO 3166 alpha-2 code, HK, CN or EU")
        spec = _table(spec, label, f"jurisdictions.{code}")
        _unknown(spec, {"name", "authorities", "places", "generic", "ambiguous"}, label, f"jurisdictions.{code}")
        if not isinstance(spec.get("name", ""), str):
            raise RuleError(f"{label}: jurisdictions.{code}.name: expected a string")
        for kind, key in (
            ("authority", "authorities"),
            ("place", "places"),
            ("generic", "generic"),
            ("ambiguous", "ambiguous"),
        ):
            for text in _strings(spec.get(key, []), label, f"jurisdictions.{code}.{key}"):
                prior = names.get(text)
                if prior is not None and prior.code != code:
                    raise RuleError(
                        f"{label}: jurisdictions.{code}.{key}: {text!r} is already listed under {prior.code}"
                    )
                names[text] = JurisdictionName(text, code, kind)
    # Datelines and headlines shout ("HONG KONG -", "BEIJING,"): multi-letter names also
    # match in capitals. Short acronyms are capitals already; lower-case names are
    # case-insensitive anyway.
    for text, hit in list(names.items()):
        up = text.upper()
        if len(text) >= 5 and up != text and not text.islower() and up not in names:
            names[up] = hit
    return names, _examples(data, label, {n.code for n in names.values() if n.code})


def _name_regex(names: dict[str, JurisdictionName]) -> re.Pattern[str]:
    """One trie-shaped regex over all names, longest name first at every branch.

    A flat alternation of ~250 names costs a try of each at every capital letter; the trie
    shares prefixes ("Hong Kong", "Hong Kong Monetary Authority") and tries each only once.
    """
    variants: set[str] = set()
    for text in names:
        variants.add(text)
        if text.islower():  # "the mainland" also opens a sentence
            variants.add(text[0].upper() + text[1:])
    latin = [t for t in variants if t[0].isascii() and t[0].isalnum()]
    other = [t for t in variants if not (t[0].isascii() and t[0].isalnum())]
    parts = []
    if latin:
        parts.append(r"(?<![\w])" + trie(latin))
    if other:
        parts.append(trie(other))
    return fast("|".join(parts))


def load_rules(rules_dir: str | Path | None = None) -> Rules:
    """Load and validate rules/event_types.toml, jurisdictions.toml, cues.toml and confidence.toml.

    Raises RuleError naming the file and the key of the first problem found.
    """
    base = Path(rules_dir) if rules_dir is not None else default_rules_dir()
    types_label = f"{base.name}/event_types.toml"
    places_label = f"{base.name}/jurisdictions.toml"
    types, cues, subjects, type_examples = _load_types(base / "event_types.toml", types_label)
    lexicons = _lexicons(_read(base / "event_types.toml", types_label), types_label)
    names, place_examples = _load_places(base / "jurisdictions.toml", places_label)
    more = _load_cues(base / "cues.toml", f"{base.name}/cues.toml", lexicons)
    weights = _load_weights(base / "confidence.toml", f"{base.name}/confidence.toml")
    ids = _rule_ids(types, cues, lexicons, more, weights)
    for ex in type_examples + place_examples:
        if ex.rule is not None and ex.rule not in ids:
            raise RuleError(f"{ex.source}: examples[{ex.index}].rule: unknown rule id {ex.rule!r}")
    codes = {n.code for n in names.values() if n.code}
    for ex in type_examples:
        if ex.expect is not None and ex.expect.get("jurisdiction") not in codes:
            raise RuleError(
                f"{types_label}: examples[{ex.index}].expect.jurisdiction: unknown code {ex.expect.get('jurisdiction')!r}"  # noqa: E501
            )

    def cue(key: str) -> re.Pattern[str]:
        pat = _compile(cues[key], types_label, f"cues.{key}")
        return pat if pat is not None else re.compile(r"(?!x)x")

    return Rules(
        types=tuple(types),
        negation=cue("negation"),
        hedge=cue("hedge"),
        plan=cue("plan") if cues.get("plan") else re.compile(r"(?!x)x"),
        restated=cue("restated") if cues.get("restated") else re.compile(r"(?!x)x"),
        demand=cue("demand"),
        reversal=cue("reversal") if cues.get("reversal") else re.compile(r"(?!x)x"),
        reversed_after=cue("reversed_after") if cues.get("reversed_after") else re.compile(r"(?!x)x"),
        quote_min_chars=int(cues.get("quote_min_chars", 25)),
        subjects=tuple(subjects),
        names=names,
        name_pattern=_name_regex(names),
        examples=tuple(type_examples + place_examples),
        lexicons=lexicons,
        patterns=more.patterns,
        words=more.words,
        type_sets=more.type_sets,
        tables=more.tables,
        not_events=more.not_events,
        weights=weights,
        rule_ids=frozenset(ids),
    )


def cached_rules(rules_dir: str | None = None) -> Rules:
    """The rules of a directory, loaded once per process (extraction runs per document).

    ``cached_rules()`` and ``cached_rules(None)`` share one entry: lru_cache keys on the
    arguments as written, and a second load of the rules costs about half a second.
    """
    return _cached_rules(rules_dir)


@lru_cache(maxsize=8)
def _cached_rules(rules_dir: str | None) -> Rules:
    return load_rules(rules_dir)
