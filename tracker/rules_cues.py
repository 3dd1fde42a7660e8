"""rules/cues.toml and rules/confidence.toml: cue patterns, word lists, type sets, the
qualifier table, the not-event classes and the confidence weights, validated on load."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tracker.errors import RuleError
from tracker.rules_read import read_rule_file, reject_unknown, strings_of, table_of
from tracker.vocab import EVENT_TYPES

__all__ = ["Cues", "NotEventClass", "load_cues", "load_weights"]


# rules/cues.toml: the closed lists of names each table must hold (the steps look them up)
PATTERN_NAMES = frozenset(
    """clause_en neg_inside_en neg_inside_zh modal_inside_en post_plan zh_expect_lead unconfirmed forecaster
    announced invitation coordinated opened closing_en closing_zh closing_before stative deadline_lead timed_clause
    zh_attributive_date subordinate_lead adjacent reported complement date_preposition gapped_verb meeting_back
    meeting determiner actor_noun passive_by instrument_en firm_en firm_zh leading_article subordinate
    legislation_noun guide_noun licence_noun reaffirm elaboration self_dated leading_preposition
    coordinated_zh past_zh latin_name_zh anonymous_source original_date additive reported_plan
    coordinated_intention past_verb_en""".split()
)

WORD_NAMES = frozenset({"schedule_modals", "deadline_modals", "reported_modals", "latin_not_firm"})

TYPE_SET_NAMES = frozenset({"announceable", "counted", "content_types"})

TABLE_NAMES = frozenset({"qualifier"})

SCOPES = frozenset({"lead", "upto", "clause", "sentence", "before"})

# rules/confidence.toml: table → its keys, all required
WEIGHT_KEYS = {
    "weights": frozenset({"strong", "weak", "dated", "owned_plan", "ceiling"}),
    "jurisdiction": frozenset(
        {"clause", "sentence", "place", "paragraph", "home", "earlier", "title", "later", "none", "after"}
    ),
    "caps": frozenset({"negated", "demanded", "hedged", "closing", "unowned_plan", "not_event"}),
}

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
class Cues:
    """What rules/cues.toml holds, validated."""

    patterns: dict[str, re.Pattern[str]]
    words: dict[str, frozenset[str]]
    type_sets: dict[str, frozenset[str]]
    tables: dict[str, dict[str, str]]
    not_events: tuple[NotEventClass, ...]

def _closed(table: dict[str, Any], names: frozenset[str], label: str, key: str) -> None:
    """Every name of the closed list present, and no other."""
    reject_unknown(table, set(names), label, key)
    missing = sorted(names - set(table))
    if missing:
        raise RuleError(f"{label}: {key}.{missing[0]}: missing (required: {', '.join(sorted(names))})")

def _pattern(spec: Any, label: str, key: str) -> re.Pattern[str]:
    """One ``[patterns.NAME]``: regex pieces joined as written, ignore_case optional."""
    spec = table_of(spec, label, key)
    reject_unknown(spec, {"regex", "ignore_case"}, label, key)
    source = "".join(strings_of(spec.get("regex"), label, f"{key}.regex"))
    flag = spec.get("ignore_case", False)
    if not isinstance(flag, bool):
        raise RuleError(f"{label}: {key}.ignore_case: expected true or false")
    try:
        return re.compile(source, re.IGNORECASE if flag else 0)
    except re.error as exc:
        raise RuleError(f"{label}: {key}.regex: invalid regular expression {source!r}: {exc}") from None

def _type_set(value: Any, label: str, key: str) -> frozenset[str]:
    found = strings_of(value, label, key)
    for name in found:
        if name not in EVENT_TYPES:
            raise RuleError(f"{label}: {key}: unknown event type {name!r}")
    return frozenset(found)

def _not_event(spec: Any, label: str, key: str, lexicons: dict[str, re.Pattern[str]]) -> NotEventClass:
    spec = table_of(spec, label, key)
    reject_unknown(spec, {"lexicon", "types", "scope", "undated", "actorless", "quiet"}, label, key)
    lexicon = spec.get("lexicon")
    if not isinstance(lexicon, str) or lexicon not in lexicons:
        raise RuleError(f"{label}: {key}.lexicon: expected a [lexicons] name of event_types.toml, got {lexicon!r}")
    if spec.get("scope") not in SCOPES:
        raise RuleError(f"{label}: {key}.scope: expected one of {', '.join(sorted(SCOPES))}")
    flags = {}
    for flag in ("undated", "actorless", "quiet"):
        value = spec.get(flag, False)
        if not isinstance(value, bool):
            raise RuleError(f"{label}: {key}.{flag}: expected true or false")
        flags[flag] = value
    types = _type_set(spec.get("types", []), label, f"{key}.types")
    return NotEventClass(lexicon, types, spec["scope"], flags["undated"], flags["actorless"], flags["quiet"])

def load_cues(path: Path, label: str, lexicons: dict[str, re.Pattern[str]]) -> Cues:
    """rules/cues.toml: the cue patterns, word lists, type sets, tables and not-event classes."""
    data = read_rule_file(path, label)
    reject_unknown(data, {"version", "patterns", "words", "type_sets", "tables", "not_events"}, label, "")
    if data.get("version") != 1:
        raise RuleError(f"{label}: version: expected 1")
    raw = {key: table_of(data.get(key), label, key) for key in ("patterns", "words", "type_sets", "tables")}
    for key, names in (
        ("patterns", PATTERN_NAMES),
        ("words", WORD_NAMES),
        ("type_sets", TYPE_SET_NAMES),
        ("tables", TABLE_NAMES),
    ):
        _closed(raw[key], names, label, key)
    tables: dict[str, dict[str, str]] = {}
    for name, table in raw["tables"].items():
        table = table_of(table, label, f"tables.{name}")
        for word, value in table.items():
            if not isinstance(value, str):
                raise RuleError(f"{label}: tables.{name}.{word}: expected a string")
        tables[name] = dict(table)
    entries = data.get("not_events", [])
    if not isinstance(entries, list):
        raise RuleError(f"{label}: not_events: expected an array of tables")
    return Cues(
        patterns={name: _pattern(spec, label, f"patterns.{name}") for name, spec in raw["patterns"].items()},
        words={name: frozenset(strings_of(v, label, f"words.{name}")) for name, v in raw["words"].items()},
        type_sets={name: _type_set(v, label, f"type_sets.{name}") for name, v in raw["type_sets"].items()},
        tables=tables,
        not_events=tuple(_not_event(e, label, f"not_events[{i}]", lexicons) for i, e in enumerate(entries)),
    )

def load_weights(path: Path, label: str) -> dict[str, float]:
    """rules/confidence.toml: the confidence weights, "TABLE.KEY" → value."""
    data = read_rule_file(path, label)
    reject_unknown(data, {"version", *WEIGHT_KEYS}, label, "")
    if data.get("version") != 1:
        raise RuleError(f"{label}: version: expected 1")
    out: dict[str, float] = {}
    for table, keys in WEIGHT_KEYS.items():
        values = table_of(data.get(table), label, table)
        _closed(values, keys, label, table)
        for key, value in values.items():
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                raise RuleError(f"{label}: {table}.{key}: expected a number of at least 0, got {value!r}")
            out[f"{table}.{key}"] = float(value)
    return out
