"""Ctrl-C during `tracker run --once`: the poll stops between two documents, what was stored
is whole, the run says what it left, exits 130, and the next run finishes the job."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from conftest import run_cli

from tracker.alerts.slack import CONSOLE_MARK

DOCUMENTS = 400
CONFIG = """
[storage]
database_url = "sqlite:///tracker.db"
[rules]
dir = "rules"
[[sources]]
name = "many"
kind = "folder"
path = "many"
interval = "1h"
lang = "en"
"""


def _write_folder(workspace: Path) -> None:
    folder = workspace / "many"
    folder.mkdir()
    for n in range(DOCUMENTS):
        day = 1 + n % 28
        (folder / f"doc-{n:03d}.txt").write_text(
            f"Title: HKMA licence {n}\nPublished: 2026-11-{day:02d}T10:00:00+08:00\n"
            f"URL: https://www.hkma.gov.hk/eng/news/{n}\n\n"
            f"The Hong Kong Monetary Authority granted a stablecoin issuer licence to Firm{n} Limited "
            f"on {day} November 2026. Firm{n} Limited may now issue stablecoins in Hong Kong.\n",
            encoding="utf-8",
        )
    (workspace / "config.toml").write_text(CONFIG, encoding="utf-8")


def _count(db: Path, sql: str) -> int | None:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as connection:
            return int(connection.execute(sql).fetchone()[0])
    except sqlite3.OperationalError:  # not created or not migrated yet
        return None


def _interrupt_once_storing(proc: subprocess.Popen[bytes], db: Path) -> None:
    """SIGINT once the first document is in the database (synchronised on the file itself)."""
    try:
        deadline = time.monotonic() + 300  # a hang guard, not a measure of speed
        while proc.poll() is None and time.monotonic() < deadline:
            if (_count(db, "SELECT count(*) FROM documents") or 0) > 0:
                break
            time.sleep(0.02)
        assert proc.poll() is None, "the run ended before it could be interrupted"
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=300) == 130
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_ctrl_c_stops_between_documents_and_the_next_run_finishes(workspace: Path) -> None:
    _write_folder(workspace)
    db = workspace / "tracker.db"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "TRACKER_DATABASE_URL"))}
    with (
        (workspace / "run.out").open("w", encoding="utf-8") as stdout,
        (workspace / "run.err").open("w", encoding="utf-8") as stderr,
    ):
        proc = subprocess.Popen(
            [sys.executable, "-m", "tracker", "run", "--once"], cwd=workspace, env=env, stdout=stdout, stderr=stderr
        )
        _interrupt_once_storing(proc, db)
    out = (workspace / "run.out").read_text(encoding="utf-8")
    err = (workspace / "run.err").read_text(encoding="utf-8")
    found = re.search(r"^interrupted: (\d+) documents? stored, (\d+) alerts? still queued for the next run$", err, re.M)
    assert found, err
    stored, queued = int(found[1]), int(found[2])
    assert "Traceback" not in err
    assert CONSOLE_MARK not in out  # nothing delivered after the interrupt
    assert 0 < stored < DOCUMENTS  # it stopped part-way, between two documents
    # consistent: the stored documents are whole, with their mentions, events and alerts
    assert _count(db, "SELECT count(*) FROM documents") == stored
    assert _count(db, "SELECT count(*) FROM alerts WHERE status = 'pending'") == queued
    assert queued > 0
    assert _count(db, "SELECT count(*) FROM documents d WHERE NOT EXISTS "
                      "(SELECT 1 FROM mentions m WHERE m.document_id = d.id)") == 0  # fmt: skip
    assert _count(db, "SELECT count(*) FROM pragma_foreign_key_check") == 0
    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    again = run_cli("run", "--once", cwd=workspace, timeout=600)
    assert again.returncode == 0, again.stderr
    assert f"documents: {DOCUMENTS - stored} new, {stored} unchanged" in again.stdout
    alerts = _count(db, "SELECT count(*) FROM alerts")
    assert alerts and alerts >= queued
    assert _count(db, "SELECT count(*) FROM alerts WHERE status != 'sent'") == 0
    assert again.stdout.count(CONSOLE_MARK) == alerts  # each alert posted once, none lost
    last = run_cli("run", "--once", cwd=workspace, timeout=600)
    assert last.returncode == 0, last.stderr
    assert CONSOLE_MARK not in last.stdout
