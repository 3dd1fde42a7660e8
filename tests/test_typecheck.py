"""mypy is on (STYLE.md), as ruff is: the whole package type-checks under the strict settings
of pyproject.toml ([tool.mypy]; migrations excluded there)."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from conftest import ROOT


def test_mypy_is_clean() -> None:
    mypy = shutil.which("mypy") or shutil.which("mypy", path=str(ROOT / ".venv" / "bin"))
    if mypy is None:
        try:
            import mypy as _mypy  # noqa: F401
        except ImportError:
            pytest.skip("mypy is not installed (it comes with the test extra: pip install -e '.[test]')")
        command = [sys.executable, "-m", "mypy"]
    else:
        command = [mypy]
    result = subprocess.run(
        [*command, "tracker", "--no-error-summary", "--no-color-output"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
