"""Small things a new user reads: singulars, the README agreeing with --help, and read-only
commands that never create the database they were asked to read."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import ROOT, run_cli

ONE_DOCUMENT = """
[storage]
database_url = "sqlite:///tracker.db"
[rules]
dir = "rules"
[[sources]]
name = "news"
kind = "folder"
path = "news"
interval = "1h"
"""


def test_one_event_and_one_alert_are_singular(workspace: Path) -> None:
    (workspace / "config.toml").write_text(ONE_DOCUMENT, encoding="utf-8")
    (workspace / "news").mkdir()
    (workspace / "news" / "one.txt").write_text(
        "Published: 2026-11-02T10:00:00+08:00\n\nThe Hong Kong Monetary Authority said it will grant the first "
        "stablecoin issuer licences by the end of Q1 2027.\n",
        encoding="utf-8",
    )
    watchlist = workspace / "rules" / "watchlists" / "hk-cn-digital-assets.toml"
    text = watchlist.read_text(encoding="utf-8")
    watchlist.write_text(text + '\n[digest]\nevery = "daily"\nat = "09:00"\ntimezone = "UTC"\n', encoding="utf-8")
    ran = run_cli("run", "--once", cwd=workspace)
    assert ran.returncode == 0, ran.stderr
    assert "note: 1 alert not sent yet" in ran.stderr  # the digest waits for its time
    table = run_cli("timeline", cwd=workspace)
    assert table.returncode == 0, table.stderr
    assert "Timeline (1 event)" in table.stdout


def test_read_only_commands_do_not_create_the_database(workspace: Path) -> None:
    for args in (("timeline",), ("timeline", "--format", "json"), ("sources",), ("alerts",),
                 ("watchlists", "test", "hk-cn-digital-assets")):  # fmt: skip
        result = run_cli(*args, cwd=workspace)
        assert result.returncode == 0, (args, result.stderr)
        assert "run `tracker run --once` first" in result.stderr, args
        assert not list(workspace.glob("tracker.db*")), args
    assert run_cli("timeline", "--format", "json", cwd=workspace).stdout.strip() == "[]"
    assert run_cli("run", "--once", cwd=workspace).returncode == 0
    after = run_cli("sources", cwd=workspace)
    assert after.returncode == 0 and "run --once" not in after.stderr


def test_readme_commands_agree_with_help(workspace: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "`tracker watchlists test ID" in readme
    usage = run_cli("watchlists", "test", "--help", cwd=workspace).stdout
    assert re.search(r"Usage: tracker watchlists test \[OPTIONS\] \W?ID\b", usage), usage
    dates = run_cli("dates", "--help", cwd=workspace).stdout
    extract = run_cli("extract", "--help", cwd=workspace).stdout
    assert "--config" in extract and "--config" not in dates
    assert "`dates` takes no `--config`" in readme
