"""`run --once` as a person sees it: on a terminal a live line of sources polled, documents
and events; each failing source reported exactly once (not also by the pipeline's log)."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
from pathlib import Path

from conftest import run_cli

BROKEN = '\n[[sources]]\nname = "broken"\nkind = "feed"\nurl = "http://127.0.0.1:9/feed.xml"\ninterval = "15m"\n'


def _add_broken_source(workspace: Path) -> None:
    config = workspace / "config.toml"
    config.write_text(config.read_text(encoding="utf-8") + BROKEN, encoding="utf-8")


def test_each_source_failure_is_printed_once(workspace: Path) -> None:
    _add_broken_source(workspace)
    result = run_cli("run", "--once", cwd=workspace)
    assert result.returncode == 1, result.stderr
    mentions = [line for line in result.stderr.splitlines() if "127.0.0.1:9" in line]
    assert len(mentions) == 1, result.stderr
    assert mentions[0].startswith("error: source broken: GET http://127.0.0.1:9/feed.xml")
    assert "1 failed" in result.stdout and "Traceback" not in result.stderr


def test_a_terminal_sees_sources_documents_and_events_as_they_come(workspace: Path) -> None:
    _add_broken_source(workspace)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "TRACKER_DATABASE_URL"))}
    env["COLUMNS"] = "160"
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "tracker", "run", "--once"], cwd=workspace, env=env,
                            stdin=follower, stdout=subprocess.DEVNULL, stderr=follower)  # fmt: skip
    os.close(follower)
    shown = b""
    try:
        while select.select([leader], [], [], 120)[0]:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            shown += chunk
    finally:
        os.close(leader)
        proc.wait(60)
    text = shown.decode("utf-8", "replace")
    assert "sources polled" in text and "documents:" in text and "events:" in text, text[-2000:]
    assert "4/4" in text  # the line counts sources up to the last
    assert text.count("error: source broken") == 1
