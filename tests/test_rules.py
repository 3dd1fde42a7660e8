"""The rule files: their schema is enforced on load, and every regression example holds."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import pytest

from tracker.errors import RuleError
from tracker.extract import extract_events
from tracker.rules import EVENT_TYPES, default_rules_dir, load_rules

RULES = load_rules()
SCORED = {"HK", "CN"}


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "rules"
    target.mkdir(parents=True)
    for name in ("event_types.toml", "jurisdictions.toml", "cues.toml", "confidence.toml"):
        shutil.copy(default_rules_dir() / name, target / name)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_every_event_type_has_rules():
    assert {t.name for t in RULES.types} == set(EVENT_TYPES)
    assert all(t.strong is not None for t in RULES.types if t.name != "other")


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        (
            "event_types.toml",
            "[types.ban]\ndescription",
            "[types.ban]\ncolour = 'red'\ndescription",
            "rules/event_types.toml: types.ban.colour: unknown key",
        ),
        (
            "event_types.toml",
            "[types.launch]",
            "[types.sanction]\ntriggers = []\n\n[types.launch]",
            "rules/event_types.toml: types.sanction: unknown event type",
        ),
        (
            "event_types.toml",
            'expect = { type = "ban", jurisdiction = "CN", date = "2017" }',
            'expect = { type = "embargo", jurisdiction = "CN" }',
            "examples[0].expect.type: unknown event type",
        ),
        (
            "event_types.toml",
            "negation = [",
            "negation = ['(unclosed', ",
            "cues.negation[0]: invalid regular expression",
        ),
        (
            "event_types.toml",
            "negation = [",
            "negation = [')(', ",
            "cues.negation[0]: invalid regular expression",
        ),
        ("event_types.toml", "negation = [", "negation = ['*x', ", "cues.negation[0]: invalid regular expression"),
        (
            "jurisdictions.toml",
            "[jurisdictions.SG]",
            "[jurisdictions.Singapore]",
            "rules/jurisdictions.toml: jurisdictions.Singapore",
        ),
        (
            "jurisdictions.toml",
            'places = ["Singapore", "city-state", "新加坡", "狮城", "獅城"]',
            'places = "Singapore"',
            "rules/jurisdictions.toml: jurisdictions.SG.places: expected a list of strings",
        ),
        (
            "jurisdictions.toml",
            'places = ["Malta"]',
            'places = ["Malta", "Hong Kong"]',
            "'Hong Kong' is already listed under HK",
        ),
        ("cues.toml", "[patterns.meeting]", "[patterns.meetings]", "rules/cues.toml: patterns.meetings: unknown key"),
        ("cues.toml", "[patterns.meeting]", "[other.meeting]", "rules/cues.toml: other: unknown key"),
        (
            "cues.toml",
            "regex = ['未|不|没有",
            "regex = ['(未|不|没有",
            "rules/cues.toml: patterns.neg_inside_zh.regex: invalid regular expression",
        ),
        (
            "cues.toml",
            'counted = ["license_grant", "license_application"]',
            'counted = ["license_grant", "licence_grant"]',
            "rules/cues.toml: type_sets.counted: unknown event type 'licence_grant'",
        ),
        (
            "cues.toml",
            'lexicon = "rule_description"',
            'lexicon = "rule_descriptions"',
            "rules/cues.toml: not_events[0].lexicon: expected a [lexicons] name",
        ),
        (
            "cues.toml",
            'scope = "upto"',
            'scope = "paragraph"',
            "rules/cues.toml: not_events[0].scope: expected one of",
        ),
        (
            "confidence.toml",
            "strong = 0.8",
            'strong = "high"',
            "rules/confidence.toml: weights.strong: expected a number",
        ),
        ("confidence.toml", "hedged = 0.3\n", "", "rules/confidence.toml: caps.hedged: missing"),
    ],
)
def test_invalid_rules_name_file_and_key(tmp_path, file, old, new, message):
    rules_dir = _copy(tmp_path)
    _edit(rules_dir / file, old, new)
    with pytest.raises(RuleError) as info:
        load_rules(rules_dir)
    assert message in str(info.value)


def test_triggers_must_be_a_list_of_strings(tmp_path):
    rules_dir = _copy(tmp_path)
    text = (rules_dir / "event_types.toml").read_text(encoding="utf-8")
    head, rest = text.split("[types.ban]\n", 1)
    _, tail = rest.split("\n[types.ordinance]", 1)
    body = "triggers = [1, 2]\nweak = []\nscheduled = []\n"
    (rules_dir / "event_types.toml").write_text(
        head + "[types.ban]\n" + body + "\n[types.ordinance]" + tail, encoding="utf-8"
    )
    with pytest.raises(RuleError, match=r"rules/event_types.toml: types.ban.triggers: expected a list of strings"):
        load_rules(rules_dir)


def test_missing_file_is_named(tmp_path):
    rules_dir = _copy(tmp_path)
    (rules_dir / "jurisdictions.toml").unlink()
    with pytest.raises(RuleError, match="rules/jurisdictions.toml: file not found"):
        load_rules(rules_dir)


def test_rules_carry_examples_of_every_scored_type():
    covered = {ex.expect["type"] for ex in RULES.examples if ex.expect}
    assert set(EVENT_TYPES) - {"other"} <= covered
    assert any(ex.expect is None for ex in RULES.examples), "negated/hedged examples are part of the suite"


@pytest.mark.parametrize("example", RULES.examples, ids=lambda ex: f"{ex.source}#{ex.index}")
def test_regression_example(example):
    published = datetime.fromisoformat(example.published) if example.published else None
    mentions = [m for m in extract_events(example.text, published, example.lang, rules=RULES) if m.confidence >= 0.5]
    if example.expect is None:
        assert [m for m in mentions if m.jurisdiction in SCORED] == [], mentions
        return
    exp = example.expect
    found = [m for m in mentions if m.type == exp["type"] and m.jurisdiction == exp["jurisdiction"]]
    assert found, f"expected {exp} from {example.text!r}, got {mentions}"
    if "date" in exp:
        assert exp["date"] in {m.date for m in found}, found
    if "qualifier" in exp:
        assert exp["qualifier"] in {m.qualifier for m in found}, found
    if "status" in exp:
        assert exp["status"] in {m.status for m in found}, found


def test_every_example_names_a_rule_that_exists():
    """Issue 9: each regression example says which rule it protects, by an id the rules define."""
    unnamed = [f"{ex.source}#{ex.index}" for ex in RULES.examples if not ex.rule]
    assert not unnamed, f"examples without a rule id: {unnamed}"
    unknown = {f"{ex.source}#{ex.index}": ex.rule for ex in RULES.examples if ex.rule not in RULES.rule_ids}
    assert not unknown, f"examples naming no known rule: {unknown}"
    assert {"types.ban", "cues.negation", "lexicons.penalty", "gazetteer", "patterns.invitation"} <= RULES.rule_ids
    assert {"confidence.caps.hedged", "type_sets.counted", "words.schedule_modals"} <= RULES.rule_ids


def test_the_new_rule_files_are_required(tmp_path):
    for name in ("cues.toml", "confidence.toml"):
        rules_dir = _copy(tmp_path / name)
        (rules_dir / name).unlink()
        with pytest.raises(RuleError, match=f"rules/{name}: file not found"):
            load_rules(rules_dir)


def test_every_lexicon_is_protected_by_an_example():
    protected = {ex.rule for ex in RULES.examples if ex.rule}
    missing = {f"lexicons.{name}" for name in RULES.lexicons} - protected
    assert not missing, f"lexicons without a regression example: {sorted(missing)}"


def test_an_example_must_name_a_known_rule(tmp_path):
    rules_dir = _copy(tmp_path)
    with (rules_dir / "event_types.toml").open("a", encoding="utf-8") as fh:
        fh.write('\n[[examples]]\nrule = "lexicons.nonesuch"\ntext = "x"\nexpect_none = true\n')
    with pytest.raises(RuleError, match=r"rule: unknown rule id 'lexicons.nonesuch'"):
        load_rules(rules_dir)
