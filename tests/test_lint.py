"""Ruff is on (STYLE.md): the package, the tests and the benchmarks stay lint-clean."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from conftest import ROOT


def test_ruff_is_clean() -> None:
    ruff = shutil.which("ruff") or shutil.which("ruff", path=str(ROOT / ".venv" / "bin"))
    if ruff is None:
        try:
            import ruff as _ruff  # noqa: F401
        except ImportError:
            pytest.skip("ruff is not installed (it comes with the test extra: pip install -e '.[test]')")
        command = [sys.executable, "-m", "ruff"]
    else:
        command = [ruff]
    result = subprocess.run(
        [*command, "check", "tracker", "tests", "bench"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
