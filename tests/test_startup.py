"""`tracker timeline` reads the database only: it neither loads nor compiles the extraction
rules (compiling them is most of a second), while `run --once` still refuses a broken rule file
before polling anything."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run_cli

from tracker.app import open_app


def test_timeline_does_not_load_the_rules(workspace: Path) -> None:
    assert run_cli("run", "--once", cwd=workspace).returncode == 0
    types = workspace / "rules" / "event_types.toml"
    types.write_text(types.read_text(encoding="utf-8") + "\n[surprise]\nkey = 1\n", encoding="utf-8")
    shown = run_cli("timeline", "--format", "json", cwd=workspace)
    assert shown.returncode == 0, shown.stderr
    assert len(json.loads(shown.stdout)) > 0
    refused = run_cli("run", "--once", cwd=workspace)
    assert refused.returncode == 2 and "surprise" in refused.stderr


def test_rules_load_on_first_use(workspace: Path) -> None:
    app = open_app(str(workspace / "config.toml"), rules=False)
    assert app._rules is None
    assert app.rules.types  # loaded from the config's rules.dir when first asked for
    assert app.rules is app.rules
    assert open_app(str(workspace / "config.toml"))._rules is not None
