"""Rule files under rules/: load, validate and compile them once.

The lexicons are data (see STYLE.md, "Rule files read like Sigma"): an analyst extends a
trigger list without touching code, so every file is checked on load and an error names
the file and the key, e.g. ``rules/event_types.toml: types.ban.triggers: expected a list
of strings``. Regexes are compiled here, once, so that extraction stays fast.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from tracker.errors import RuleError
from tracker.regexes import fast, trie
from tracker.rules_cues import Cues, NotEventClass, load_cues, load_weights
from tracker.rules_read import compile_union, read_rule_file, reject_unknown, strings_of, table_of
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


def _examples(data: dict[str, Any], label: str, codes: set[str] | None) -> list[Example]:
    raw = data.get("examples", [])
    if not isinstance(raw, list):
        raise RuleError(f"{label}: examples: expected an array of tables")
    out: list[Example] = []
    for i, ex in enumerate(raw):
        key = f"examples[{i}]"
        ex = table_of(ex, label, key)
        reject_unknown(ex, {"text", "published", "lang", "expect", "expect_none", "rule"}, label, key)
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
            exp = table_of(ex.get("expect"), label, f"{key}.expect")
            reject_unknown(exp, _EXPECT_KEYS, label, f"{key}.expect")
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
    for name, pats in table_of(data.get("lexicons", {}), label, "lexicons").items():
        pat = compile_union(strings_of(pats, label, f"lexicons.{name}"), label, f"lexicons.{name}")
        out[name] = pat if pat is not None else _NEVER
    return out


def _rule_ids(
    types: list[TypeRules],
    cues: dict[str, Any],
    lexicons: dict[str, re.Pattern[str]],
    more: Cues | None = None,
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


def _load_types(
    path: Path, label: str
) -> tuple[list[TypeRules], dict[str, Any], list[tuple[str, re.Pattern[str]]], list[Example]]:
    data = read_rule_file(path, label)
    reject_unknown(data, {"version", "cues", "types", "subjects", "lexicons", "examples"}, label, "")
    if data.get("version") != 1:
        raise RuleError(f"{label}: version: expected 1")
    types = table_of(data.get("types"), label, "types")
    compiled: list[TypeRules] = []
    for name, spec in types.items():
        if name not in EVENT_TYPES:
            raise RuleError(f"{label}: types.{name}: unknown event type (allowed: {', '.join(EVENT_TYPES)})")
        spec = table_of(spec, label, f"types.{name}")
        reject_unknown(spec, set(_TYPE_KEYS), label, f"types.{name}")
        if "description" in spec and not isinstance(spec["description"], str):
            raise RuleError(f"{label}: types.{name}.description: expected a string")
        lists = {k: strings_of(spec.get(k, []), label, f"types.{name}.{k}") for k in ("triggers", "weak", "scheduled")}
        plain = [p for p in lists["triggers"] if "(?-i:" not in p]
        cased = [p for p in lists["triggers"] if "(?-i:" in p]
        compiled.append(
            TypeRules(
                name,
                compile_union(plain or cased, label, f"types.{name}.triggers"),
                compile_union(lists["weak"], label, f"types.{name}.weak"),
                compile_union(lists["scheduled"], label, f"types.{name}.scheduled"),
                compile_union(cased, label, f"types.{name}.triggers") if plain and cased else None,
            )
        )
    missing = [t for t in EVENT_TYPES if t not in types]
    if missing:
        raise RuleError(f"{label}: types: missing event types {', '.join(missing)}")
    cues = table_of(data.get("cues"), label, "cues")
    reject_unknown(cues, set(_CUE_KEYS), label, "cues")
    for key in ("negation", "hedge", "demand"):
        strings_of(cues.get(key), label, f"cues.{key}")
    for key in ("reversal", "reversed_after", "plan", "restated"):
        strings_of(cues.get(key, []), label, f"cues.{key}")
    if not isinstance(cues.get("quote_min_chars", 25), int):
        raise RuleError(f"{label}: cues.quote_min_chars: expected an integer")
    subjects = []
    for name, pats in table_of(data.get("subjects", {}), label, "subjects").items():
        pat = compile_union(strings_of(pats, label, f"subjects.{name}"), label, f"subjects.{name}")
        if pat is not None:
            subjects.append((name, pat))
    return compiled, cues, subjects, _examples(data, label, None)


def _load_places(path: Path, label: str) -> tuple[dict[str, JurisdictionName], list[Example]]:
    data = read_rule_file(path, label)
    if data.get("version") != 1:
        raise RuleError(f"{label}: version: expected 1")
    reject_unknown(data, {"version", "jurisdictions", "contextual", "firms", "examples"}, label, "")
    names: dict[str, JurisdictionName] = {}
    # Contextual actors ("the government", "the regulator", 央行): their jurisdiction is the
    # document's or the sentence's, not a fixed one; tracker.extract resolves them.
    ctx = table_of(data.get("contextual", {}), label, "contextual")
    reject_unknown(ctx, {"names"}, label, "contextual")
    for text in strings_of(ctx.get("names", []), label, "contextual.names"):
        names[text] = JurisdictionName(text, "", "generic")
    # Firms and outlets whose names hold a place ("China Asset Management"): matched so that
    # the place inside them is not, then dropped by tracker.extract.
    firms = table_of(data.get("firms", {}), label, "firms")
    reject_unknown(firms, {"names"}, label, "firms")
    for text in strings_of(firms.get("names", []), label, "firms.names"):
        names[text] = JurisdictionName(text, "", "firm")
    for code, spec in table_of(data.get("jurisdictions"), label, "jurisdictions").items():
        if not _CODE.match(code):
            raise RuleError(f"{label}: jurisdictions.{code}: expected an ISO 3166 alpha-2 code, HK, CN or EU")
        spec = table_of(spec, label, f"jurisdictions.{code}")
        reject_unknown(spec, {"name", "authorities", "places", "generic", "ambiguous"}, label, f"jurisdictions.{code}")
        if not isinstance(spec.get("name", ""), str):
            raise RuleError(f"{label}: jurisdictions.{code}.name: expected a string")
        for kind, key in (
            ("authority", "authorities"),
            ("place", "places"),
            ("generic", "generic"),
            ("ambiguous", "ambiguous"),
        ):
            for text in strings_of(spec.get(key, []), label, f"jurisdictions.{code}.{key}"):
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
    lexicons = _lexicons(read_rule_file(base / "event_types.toml", types_label), types_label)
    names, place_examples = _load_places(base / "jurisdictions.toml", places_label)
    more = load_cues(base / "cues.toml", f"{base.name}/cues.toml", lexicons)
    weights = load_weights(base / "confidence.toml", f"{base.name}/confidence.toml")
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
        pat = compile_union(cues[key], types_label, f"cues.{key}")
        return pat if pat is not None else re.compile(r"(?!x)x")

    # pages set "People's Bank of China" with a typographic apostrophe as often as a straight one
    names = {**names, **{k.replace("'", "\u2019"): v for k, v in names.items() if "'" in k}}
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
