"""SQLite mode is one worker: a second `tracker run` on the same database file is refused
(exit 2, one line), and the lock goes with the process, so a restart after a kill works."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import run_cli


def _start(workspace: Path, env: dict[str, str], log_name: str) -> tuple[subprocess.Popen, Path]:
    log = workspace / log_name
    with log.open("w", encoding="utf-8") as handle:
        proc = subprocess.Popen([sys.executable, "-m", "tracker", "run"], cwd=workspace, env=env,
                                stdout=handle, stderr=subprocess.STDOUT)  # fmt: skip
    return proc, log


def _wait_started(proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60  # a liveness bound for a process start, not a timing assert
    while "daemon started" not in log.read_text(encoding="utf-8"):
        assert proc.poll() is None, log.read_text(encoding="utf-8")
        assert time.monotonic() < deadline, "the daemon never started"
        time.sleep(0.1)


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(30)


def test_a_second_daemon_on_one_sqlite_file_is_refused(workspace: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "TRACKER_DATABASE_URL"))}
    first, log = _start(workspace, env, "first.log")
    try:
        _wait_started(first, log)
        second = run_cli("run", cwd=workspace, timeout=60)
        assert second.returncode == 2, second.stdout + second.stderr
        lines = second.stderr.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in second.stderr, second.stderr
        assert "another `tracker run` daemon" in lines[0] and f"pid {first.pid}" in lines[0]
        assert "tracker.db" in lines[0] and "one daemon per file" in lines[0]
        assert first.poll() is None  # the running daemon is untouched
        # a one-off run beside the daemon is still allowed
        assert run_cli("sources", cwd=workspace).returncode == 0
        first.send_signal(signal.SIGKILL)  # the OS drops the lock with the process
        first.wait(30)
        again, again_log = _start(workspace, env, "again.log")
        try:
            _wait_started(again, again_log)
        finally:
            _stop(again)
        assert again.returncode == 0, again_log.read_text(encoding="utf-8")
    finally:
        _stop(first)
