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


#: stages `tracker timeline` never runs: importing them cost a fifth of its start-up
_UNUSED = ("tracker.extract", "tracker.pipeline", "tracker.sources", "tracker.dates", "tracker.alerts.outbox", "alembic")


def _modules_after_timeline(cwd: Path) -> list[str]:
    import os
    import subprocess
    import sys

    code = (
        "import runpy, sys\n"
        "sys.argv = ['tracker', 'timeline', '--format', 'json']\n"
        "try:\n    runpy.run_module('tracker', run_name='__main__')\n"
        "except SystemExit as exc:\n    assert not exc.code, exc.code\n"
        f"print(sorted(m for m in sys.modules if m.startswith({_UNUSED!r})), file=sys.stderr)\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "TRACKER_DATABASE_URL"))}
    proc = subprocess.run([sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    import ast

    return ast.literal_eval(proc.stderr.strip().splitlines()[-1])  # the list printed last


def test_timeline_imports_no_stage_it_does_not_run(workspace: Path) -> None:
    assert _modules_after_timeline(workspace) == []  # no database yet: an empty one in memory
    assert run_cli("run", "--once", cwd=workspace).returncode == 0
    assert _modules_after_timeline(workspace) == []  # a database already at the newest migration
