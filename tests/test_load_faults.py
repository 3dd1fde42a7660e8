"""Faults a new user meets at start-up are refused at load, exit 2, one line naming the file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from conftest import run_cli


def _replace(config: Path, old: str, new: str) -> None:
    text = config.read_text(encoding="utf-8")
    assert old in text
    config.write_text(text.replace(old, new, 1), encoding="utf-8")


def _refused(result: object, *needles: str) -> None:
    assert result.returncode == 2, (result.stdout, result.stderr)  # type: ignore[attr-defined]
    lines = result.stderr.strip().splitlines()  # type: ignore[attr-defined]
    assert len(lines) == 1, result.stderr  # type: ignore[attr-defined]
    assert "Traceback" not in lines[0]
    for needle in needles:
        assert needle in lines[0], lines[0]


def test_an_ftp_url_is_refused_not_taken_for_a_path(workspace: Path) -> None:
    _replace(workspace / "config.toml", 'url = "examples/feeds/hk-regulators.xml"', 'url = "ftp://example.org/feed.xml"')
    _refused(run_cli("run", "--once", cwd=workspace), "config.toml", ".url", "ftp")


def test_a_missing_local_feed_or_folder_is_refused_at_load(workspace: Path) -> None:
    _replace(workspace / "config.toml", 'path = "examples/pages"', 'path = "examples/no-such-folder"')
    _refused(run_cli("run", "--once", cwd=workspace), "config.toml", ".path", "no-such-folder")
    _replace(workspace / "config.toml", 'path = "examples/no-such-folder"', 'path = "examples/pages"')
    _replace(workspace / "config.toml", 'url = "examples/feeds/mainland-news.xml"', 'url = "examples/gone.xml"')
    _refused(run_cli("sources", cwd=workspace), "config.toml", ".url", "gone.xml")


def test_a_bad_item_selector_names_the_config_file(workspace: Path) -> None:
    with (workspace / "config.toml").open("a", encoding="utf-8") as handle:
        handle.write(
            '\n[[sources]]\nname = "bad-page"\nkind = "page"\nurl = "https://example.org/news"\n'
            'enabled = false\n[sources.options]\nitem = "ul[[li"\n'
        )
    _refused(run_cli("sources", cwd=workspace), "config.toml", "sources.bad-page.options.item")


def test_a_bad_database_url_names_the_config_file(workspace: Path) -> None:
    _replace(workspace / "config.toml", 'database_url = "sqlite:///tracker.db"', 'database_url = "mysql://x@y/z"')
    _refused(run_cli("timeline", cwd=workspace), "config.toml", "storage.database_url")
    _refused(run_cli("db", "upgrade", cwd=workspace), "config.toml", "storage.database_url")


def test_db_upgrade_says_it_created_the_schema_then_that_it_is_current(workspace: Path) -> None:
    first = run_cli("db", "upgrade", cwd=workspace)
    assert first.returncode == 0, first.stderr
    assert "created the schema" in first.stdout and "latest" not in first.stdout
    with sqlite3.connect(workspace / "tracker.db") as conn:
        assert conn.execute("SELECT COUNT(*) FROM alembic_version").fetchone()[0] == 1
    second = run_cli("db", "upgrade", cwd=workspace)
    assert second.returncode == 0, second.stderr
    assert "is at the latest schema" in second.stdout


def test_a_malformed_slack_token_is_refused_at_start_and_never_printed(workspace: Path) -> None:
    secret = "notatoken-s3cr3tvalue"
    env = {"SLACK_BOT_TOKEN": secret, "SLACK_CHANNEL": "C123", "SLACK_API_URL": "http://127.0.0.1:9/api/"}
    # the second run has nothing pending: the token is still refused, before any poll
    for _ in range(2):
        result = run_cli("run", "--once", cwd=workspace, env=env)
        _refused(result, "SLACK_BOT_TOKEN")
        assert "s3cr3t" not in result.stdout + result.stderr
    # refused before the database is even opened: nothing was polled or stored
    with sqlite3.connect(workspace / "tracker.db") as conn:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "documents" not in tables
