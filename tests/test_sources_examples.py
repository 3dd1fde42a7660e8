"""The shipped example of real sources must load and pass option validation."""

from __future__ import annotations

from pathlib import Path

from tracker.config import load_config
from tracker.sources import check_options

ROOT = Path(__file__).resolve().parents[1]


def test_real_sources_example_is_valid() -> None:
    config = load_config(ROOT / "examples" / "real-sources.toml", environ={})
    kinds = {source.kind for source in config.sources}
    assert kinds == {"feed", "page", "json", "folder"}
    for source in config.sources:
        check_options(source, "real-sources.toml")


def test_every_unverified_line_is_marked() -> None:
    text = (ROOT / "examples" / "real-sources.toml").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.startswith('url = "http'):
            assert "# unverified" in line, line
