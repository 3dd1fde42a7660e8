"""Shared fixtures: a copy of the default workspace, the real CLI, real databases.

PostgreSQL tests read TRACKER_TEST_DATABASE_URL. Where it is unset they skip and say why;
where it is set (CI sets it, with TRACKER_REQUIRE_POSTGRES=1) an unreachable server fails.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str


def run_cli(*args: str, cwd: Path, env: dict[str, str] | None = None, timeout: float = 120) -> Result:
    """Run the real `tracker` command (as `python -m tracker`) in ``cwd``."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "TRACKER_DATABASE_URL"))}
    environ.update(env or {})
    proc = subprocess.run(
        [sys.executable, "-m", "tracker", *args],
        cwd=cwd,
        env=environ,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A folder holding a copy of the default config, samples and rules, as a new user has."""
    for name in ("config.toml",):
        shutil.copy(ROOT / name, tmp_path / name)
    for name in ("examples", "rules"):
        shutil.copytree(ROOT / name, tmp_path / name)
    return tmp_path


@pytest.fixture(scope="session")
def postgres_admin() -> Iterator[tuple[str, object]]:
    """(URL, autocommit connection) of the test server, or a skip/fail saying why not."""
    url = os.environ.get("TRACKER_TEST_DATABASE_URL")
    if not url:
        pytest.skip("PostgreSQL tests need TRACKER_TEST_DATABASE_URL (CI sets it; see .ci/run)")
    import psycopg

    plain = url.replace("postgresql+psycopg://", "postgresql://")
    try:
        admin = psycopg.connect(plain, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        message = f"cannot connect to TRACKER_TEST_DATABASE_URL: {str(exc).splitlines()[0]}"
        if os.environ.get("TRACKER_REQUIRE_POSTGRES"):
            pytest.fail(message)
        pytest.skip(message)
    yield url, admin
    admin.close()


@pytest.fixture
def postgres_url(postgres_admin: tuple[str, object]) -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a fresh schema of its own, dropped afterwards."""
    url, admin = postgres_admin
    schema = f"tracker_test_{uuid.uuid4().hex[:12]}"
    admin.execute(f'CREATE SCHEMA "{schema}"')  # type: ignore[attr-defined]
    separator = "&" if "?" in url else "?"
    try:
        yield f"{url}{separator}options=-csearch_path%3D{schema}"
    finally:
        admin.execute(f'DROP SCHEMA "{schema}" CASCADE')  # type: ignore[attr-defined]
