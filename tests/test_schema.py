"""The schema layer: file models give one-line errors naming file and key, the JSON Schemas
that `tracker schema` writes, and documentation that names every key the models accept."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import ROOT, run_cli

from tracker.alerts.watchlist_file import WatchlistFile, load_watchlists
from tracker.errors import RuleError
from tracker.identity import EntitiesFile

BASE = 'id = "w"\ntitle = "T"\n[match]\ntypes = ["ban"]\n'


def _refusal(tmp_path: Path, text: str) -> str:
    folder = tmp_path / "watchlists"
    folder.mkdir(exist_ok=True)
    (folder / "deep.toml").write_text(text, encoding="utf-8")
    with pytest.raises(RuleError) as caught:
        load_watchlists(folder)
    message = str(caught.value)
    assert "\n" not in message
    return message.split("deep.toml: ", 1)[1]


@pytest.mark.parametrize(
    "text, expected",
    [
        (BASE + '[quiet_hours]\nstart = "22:00"\nend = "07:00"\nurgent_types = ["ban", 3]\n',
         "quiet_hours.urgent_types[1]: expected a string, got int 3"),
        (BASE + "[reminders]\ndays_before = [7, true]\n", "reminders.days_before[1]: expected an integer, got bool True"),
        (BASE + '[reminders]\ndays_before = "7"\n', "reminders.days_before: expected a list of integers, got str '7'"),
        (BASE + "statuses = [[\"done\"]]\n", "match.statuses[0]: expected a string, got list ['done']"),
        (BASE + 'parties_any = [" "]\n', "match.parties_any[0]: empty keyword"),
        ('id = "w"\ntitle = "T"\ndestination = "#reg"\n', "destination: expected a table, got str '#reg'"),
        (BASE + '[digest]\nevery = "weekly"\n', "digest.every: 'weekly' must be 'hourly' or 'daily'"),
        (BASE + '[quiet_hours]\nstart = "22:00"\nend = "22:00"\n', "quiet_hours.end: must differ from start"),
        (BASE.replace('id = "w"', 'id = "W"'), "id: 'W' must be lowercase letters, digits, '-' or '_' (at most 64)"),
    ],
)  # fmt: skip
def test_a_wrong_value_deep_in_a_watchlist_names_its_key(tmp_path: Path, text: str, expected: str) -> None:
    assert _refusal(tmp_path, text) == expected


def test_an_unknown_key_lists_the_known_ones(tmp_path: Path) -> None:
    message = _refusal(tmp_path, BASE + '[reminders]\ndays = [1]\n')
    assert message == "reminders.days: unknown key (known: days_before, at, timezone)"


def test_schema_command_writes_json_schemas(tmp_path: Path) -> None:
    result = run_cli("schema", "--output", str(tmp_path / "schemas"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    watchlist = json.loads((tmp_path / "schemas" / "watchlist.schema.json").read_text(encoding="utf-8"))
    entities = json.loads((tmp_path / "schemas" / "entities.schema.json").read_text(encoding="utf-8"))
    assert watchlist == WatchlistFile.model_json_schema() and entities == EntitiesFile.model_json_schema()
    assert watchlist["additionalProperties"] is False
    config = json.loads((tmp_path / "schemas" / "config.schema.json").read_text(encoding="utf-8"))
    page = json.loads((tmp_path / "schemas" / "page-options.schema.json").read_text(encoding="utf-8"))
    assert config["additionalProperties"] is False and {"fetch", "scheduler", "sources"} <= set(config["properties"])
    assert page["required"] == ["item"] and page["additionalProperties"] is False
    assert set(watchlist["properties"]) == set(WatchlistFile.model_fields)
    assert not list((tmp_path / "schemas").glob("*.partial"))
    (tmp_path / "file").write_text("x", encoding="utf-8")
    refused = run_cli("schema", "--output", str(tmp_path / "file"), cwd=tmp_path)
    assert refused.returncode == 2 and "--output:" in refused.stderr and "not a folder" in refused.stderr


def test_the_documented_watchlist_schema_names_every_key() -> None:
    """The comment block at the top of the bundled watchlist documents the file; it must
    name every key the model accepts, and no key the model refuses."""
    text = (ROOT / "rules" / "watchlists" / "hk-cn-digital-assets.toml").read_text(encoding="utf-8")
    block = text.split("Schema of rules/watchlists", 1)[1].split("\n# ─────", 1)[0]
    documented = {
        name
        for names in re.findall(r"^#\s{2,}([a-z_]+(?:, [a-z_]+)*)\s", block, re.MULTILINE)
        for name in names.split(", ")
    }
    sections = set(re.findall(r"^#\s+\[([a-z_]+)\]", block, re.MULTILINE))
    keys = {name for name in WatchlistFile.model_fields if name not in sections}
    for section in sections:
        model = WatchlistFile.model_fields[section].annotation
        inner = [a for a in getattr(model, "__args__", (model,)) if a is not type(None)][0]
        keys |= set(inner.model_fields)
    assert sections == {"match", "destination", "digest", "reminders", "quiet_hours"}
    assert keys <= documented, keys - documented


def test_bundled_files_validate() -> None:
    assert load_watchlists(ROOT / "rules" / "watchlists")
    from tracker.identity import load_identities

    assert load_identities(ROOT / "rules" / "entities.toml").ids
