"""Config validation, and a meta-test that every setting and command is documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import ROOT

from tracker.cli import app
from tracker.config import SETTINGS, SOURCE_KEYS, load_config, parse_interval
from tracker.errors import ConfigError


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
        ("[fetch]\nmax_redirects = true\n", "fetch.max_redirects: expected integer, got True"),
        ("[fetch]\nmax_redirects = 2.5\n", "fetch.max_redirects: expected integer"),
        ("[storage]\ndatabase = 'x'\n", "storage.database: unknown key"),
        ("[[sources]]\nkind = 'feed'\nurl = 'x'\n", "sources[0].name: required"),
        ("[[sources]]\nname = 'a'\nkind = 'feed'\n", "sources.a.url: required"),
        ("[[sources]]\nname = 'a'\nkind = 'folder'\npath = 'x'\nlang = 'fr'\n", "sources.a.lang"),
        (
            "[[sources]]\nname = 'a'\nkind = 'feed'\nurl = 'x'\n[[sources]]\nname = 'a'\nkind = 'feed'\nurl = 'y'\n",
            "sources.a: the name is used twice",
        ),
        ("sources = 3\n", "sources: expected an array of tables"),
    ],
)
def test_bad_values_name_the_key(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path, {})
    assert message in str(caught.value)
    assert str(path) in str(caught.value)
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
    for key in SOURCE_KEYS:
        assert f"`{key}`" in readme, f"README lacks sources key {key}"
    import typer.main

    command = typer.main.get_command(app)
    for name, sub in command.commands.items():  # type: ignore[attr-defined]
        assert f"tracker {name}" in readme, f"README lacks `tracker {name}`"
        for child in getattr(sub, "commands", {}):
            assert f"tracker {name} {child}" in readme, f"README lacks `tracker {name} {child}`"
