"""Config validation, and a meta-test that every setting and command is documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import ROOT
from pydantic_core import PydanticUndefined

from tracker.cli import app
from tracker.config import load_config, parse_interval
from tracker.errors import ConfigError
from tracker.settings import OPTION_MODELS, SECTIONS, SourceEntry

#: every documented setting, derived from the models: section → key → default
SETTINGS = {section: {key: f.default for key, f in model.model_fields.items()} for section, model in SECTIONS.items()}


def test_default_config_loads_offline() -> None:
    config = load_config(ROOT / "config.toml", {})
    assert config.database_url.startswith("sqlite:///")
    assert all(source.is_local for source in config.sources)
    assert {s.kind for s in config.sources} >= {"feed", "folder"}
    assert all(Path(s.location).exists() for s in config.sources)


def test_environment_overrides_database_url() -> None:
    config = load_config(ROOT / "config.toml", {"TRACKER_DATABASE_URL": "postgresql://u:secret@db/x"})
    assert config.database_url == "postgresql://u:secret@db/x"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[fetch]\nmax_redirects = true\n", "fetch.max_redirects: expected an integer, got bool True"),
        ("[fetch]\nmax_redirects = 2.5\n", "fetch.max_redirects: expected an integer"),
        ("[fetch]\nmax_redirects = 51\n", "fetch.max_redirects: must be at most 50, got 51"),
        ("[fetch]\ndeadline = 0\n", "fetch.deadline: must be more than 0, got 0"),
        ("[scheduler]\njitter = 0.9\n", "scheduler.jitter: must be at most 0.5, got 0.9"),
        ("[scheduler]\nlease = '30'\n", "scheduler.lease: expected a number, got str '30'"),
        ("[scheduler]\nticks = 5\n", "scheduler.ticks: unknown key (known: tick, jitter, lease, failure_alert_after)"),
        ("[alerts]\nmax_age_days = -1\n", "alerts.max_age_days: must be at least 0, got -1"),
        ("scheduler = 5\n", "scheduler: expected a table, got int 5"),
        ("surprise = 1\n", "surprise: unknown key (known: storage, rules, fetch, scheduler, alerts, sources)"),
        ("[[sources]]\nname = 'a'\nkind = 'folder'\npath = 'x'\ncolour = 'red'\n", "sources.a.colour: unknown key"),
        ("[[sources]]\nname = 'a'\nkind = 'folder'\npath = 'x'\nenabled = 'no'\n", "sources.a.enabled: expected true or false"),
        ("[[sources]]\nname = 'a'\nkind = 'folder'\npath = 'x'\ninterval = 'often'\n", "sources.a.interval: expected a duration"),
        ("[[sources]]\nname = 'a'\nkind = 'folder'\npath = 'x'\ndate_locale = 'USA'\n", "sources.a.date_locale: expected a two-letter"),
        ("[[sources]]\nname = 'a'\nkind = 'pigeon'\nurl = 'x'\n", "sources.a.kind: 'pigeon' must be"),
        ("[[sources]]\nname = 'a'\nkind = 'feed'\nurl = 'ftp://x/y'\n", "sources.a.url: unsupported URL scheme 'ftp'"),
        ("[[sources]]\nname = 'a'\nkind = 'folder'\npath = 'x'\n[sources.options]\nmax_items = '5'\n",
         "sources.a.options.max_items: expected an integer, got str '5'"),
        ("[[sources]]\nname = 'a'\nkind = 'folder'\npath = 'x'\n[sources.options]\nitem = 'li'\n",
         "sources.a.options.item: unknown key (known: max_items, recursive)"),
        ("[[sources]]\nname = 'p'\nkind = 'page'\nurl = 'https://example.org/'\n[sources.options]\nitem = 'li'\ntitle = ['h2']\n",
         "sources.p.options.title: expected a string, got list ['h2']"),
        ("[[sources]]\nname = 'p'\nkind = 'page'\nurl = 'https://example.org/'\n[sources.options]\nitem = 'li'\nmax_items = 0\n",
         "sources.p.options.max_items: expected a positive integer, got 0"),
        ("[[sources]]\nname = 'j'\nkind = 'json'\nurl = 'https://example.org/'\noptions = 'x'\n",
         "sources.j.options: expected a table, got str 'x'"),
        ("[[sources]]\nname = 'j'\nkind = 'json'\nurl = 'list.json'\n", "sources.j.url: kind 'json' needs an http(s) URL"),
        ("sources = [3]\n", "sources[0]: expected a table"),
        ("[storage]\ndatabase = 'x'\n", "storage.database: unknown key"),
        ("[[sources]]\nkind = 'feed'\nurl = 'x'\n", "sources[0].name: required"),
        ("[[sources]]\nname = 'a'\nkind = 'feed'\n", "sources.a.url: required"),
        ("[[sources]]\nname = 'a'\nkind = 'folder'\npath = 'x'\nlang = 'fr'\n", "sources.a.lang"),
        (
            "[[sources]]\nname = 'a'\nkind = 'feed'\nurl = 'x'\n[[sources]]\nname = 'a'\nkind = 'feed'\nurl = 'y'\n",
            "sources.a: the name is used twice",
        ),
        ("sources = 3\n", "sources: expected an array of tables, got int 3"),
    ],
)
def test_bad_values_name_the_key(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path, {})
    assert message in str(caught.value)
    assert str(caught.value).startswith(f"{path}: ")
    assert "\n" not in str(caught.value)


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b"[storage]\ndatabase_url = '\xff'\n")
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_config(path, {})


@pytest.mark.parametrize(("text", "seconds"), [("30s", 30), ("15m", 900), ("2h", 7200), ("1d", 86400), ("1.5m", 90)])
def test_intervals(text: str, seconds: float) -> None:
    assert parse_interval(text) == seconds


@pytest.mark.parametrize("text", ["", "15", "0m", "-5m", "often", "15 minutes"])
def test_bad_intervals(text: str) -> None:
    with pytest.raises(ValueError):
        parse_interval(text)


def test_every_setting_and_command_is_documented() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    config_text = (ROOT / "config.toml").read_text(encoding="utf-8")
    for section, settings in SETTINGS.items():
        for key in settings:
            assert re.search(rf"\|\s*{section}\s*\|[^|\n]*\b{key}\b", readme), f"README lacks {section}.{key}"
            assert key in config_text or key == "user_agent", f"config.toml lacks {section}.{key}"
    for key in SourceEntry.model_fields:
        assert f"`{key}`" in readme, f"README lacks sources key {key}"
    for kind, model in OPTION_MODELS.items():
        for key in model.model_fields:
            assert re.search(rf"\|\s*{kind}\s*\|[^|\n]*\b{key}\b", readme), f"README lacks {kind} option {key}"
    import typer.main

    command = typer.main.get_command(app)
    for name, sub in command.commands.items():  # type: ignore[attr-defined]
        assert f"tracker {name}" in readme, f"README lacks `tracker {name}`"
        for child in getattr(sub, "commands", {}):
            assert f"tracker {name} {child}" in readme, f"README lacks `tracker {name} {child}`"


def _readme_rows(section_names: set[str]) -> list[tuple[str, list[str], list[str]]]:
    """(section, keys, defaults) of each README table row whose first cell names a section."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = []
    for line in readme.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 3 and cells[0] in section_names:
            keys = [k.strip() for k in cells[1].split(",")]
            defaults = [d.strip().strip("`") for d in cells[2].split(",")] if cells[2] else []
            rows.append((cells[0], keys, defaults))
    return rows


def _same(documented: str, declared: object) -> bool:
    if declared is None or declared == "":
        return documented in ("", "(required)", "''")
    if isinstance(declared, bool):
        return documented == str(declared).lower()
    if isinstance(declared, (int, float)):
        try:
            return float(documented.replace("_", "")) == float(declared)
        except ValueError:
            return False
    return documented in (str(declared), repr(declared))


def test_the_readme_tables_agree_with_the_models() -> None:
    """Every row of the settings and options tables names declared keys, and its defaults are
    the models' defaults (one default per key, or none written for an empty default)."""
    declared: dict[str, dict[str, object]] = {**SETTINGS}
    for kind, model in OPTION_MODELS.items():
        declared[kind] = {key: f.default for key, f in model.model_fields.items()}
    rows = _readme_rows(set(declared))
    assert {section for section, _, _ in rows} == set(declared)
    for section, keys, defaults in rows:
        for key in keys:
            assert key in declared[section], f"README documents {section}.{key}, which the models do not declare"
        if section == "fetch" and keys == ["contact"]:
            continue  # config.toml sets it: the README leaves the placeholder default out
        assert len(defaults) in (0, len(keys)), f"README row {section}.{keys}: one default per key"
        for key, default in zip(keys, defaults or [""] * len(keys), strict=True):
            value = declared[section][key]
            value = None if value is PydanticUndefined else value
            assert _same(default, value), f"README gives {section}.{key} default {default!r}, the model {value!r}"
