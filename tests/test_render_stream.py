"""Dumps stream: rows are read a page of events at a time, and every format but the table is
written while the rows still come (a million-event calendar or page is never built whole)."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import run_cli
from rich.console import Console

from tracker.db import make_engine, session_scope
from tracker.render import iter_rows, render
from tracker.timeline_query import TimelineFilter, query_timeline


@pytest.fixture
def rows(workspace: Path) -> list[dict]:
    result = run_cli("run", "--once", cwd=workspace)
    assert result.returncode == 0, result.stderr
    engine = make_engine(f"sqlite:///{workspace / 'tracker.db'}")
    with session_scope(engine) as session:
        total = len(query_timeline(session, TimelineFilter()))
        paged = list(iter_rows(session, TimelineFilter(), page=4))  # several pages of the streamed query
    engine.dispose()
    assert len(paged) == total > 8
    full = json.loads(run_cli("timeline", "--format", "json", cwd=workspace).stdout)
    assert [r["id"] for r in paged] == [r["id"] for r in full]
    return paged


class _Recorder(io.StringIO):
    """Notes how many rows had been read at each write."""

    def __init__(self) -> None:
        super().__init__()
        self.read = 0
        self.at: list[int] = []

    def write(self, text: str) -> int:
        self.at.append(self.read)
        return super().write(text)


@pytest.mark.parametrize("fmt", ["json", "csv", "markdown", "ics", "html"])
def test_formats_write_before_the_last_row_is_read(rows: list[dict], fmt: str) -> None:
    out = _Recorder()

    def source() -> Iterator[dict]:
        for row in rows:
            out.read += 1
            yield row

    assert render(source(), fmt, Console(file=out, width=120)) == len(rows)
    assert len(out.at) > len(rows) // 2 and out.at[1] < len(rows)
    if fmt == "ics":
        text = out.getvalue()
        lines = text.split("\r\n")
        assert lines[0] == "BEGIN:VCALENDAR" and lines[-2:] == ["END:VCALENDAR", ""]
        assert "\n" not in text.replace("\r\n", "")
        assert all(len(line.encode("utf-8")) <= 75 for line in lines)
        assert text.count("BEGIN:VEVENT") == len(rows)  # every sample event has a date or a publication date
        import icalendar

        parsed = icalendar.Calendar.from_ical(text)  # folded UTF-8 and escapes read back whole
        events = parsed.walk("VEVENT")
        assert [str(e["DESCRIPTION"]) for e in events] == [r["evidence"] for r in rows]


def test_ics_escapes_text_and_folds_utf8_by_octets(rows: list[dict]) -> None:
    import icalendar

    tricky = "Rules; phase 1, 2 \\ and 3\n香港金融管理局" + "發牌" * 40
    out = _Recorder()
    render(iter([dict(rows[0], evidence=tricky)]), "ics", Console(file=out, width=120))
    text = out.getvalue()
    assert "DESCRIPTION:Rules\\; phase 1\\, 2 \\\\ and 3\\n香港" in text
    assert all(len(line.encode("utf-8")) <= 75 for line in text.split("\r\n"))
    (event,) = icalendar.Calendar.from_ical(text).walk("VEVENT")
    assert str(event["DESCRIPTION"]) == tricky


def test_json_is_what_json_dumps_writes_even_when_text_looks_like_its_keys(rows: list[dict]) -> None:
    """The dump writes each row with the C encoder and re-indents the one list (``urls``):
    source text that spells that key, quotes, backslashes, floats and several links must
    still come out byte for byte as ``json.dumps(indent=2)`` writes them."""
    tricky = [
        dict(rows[0], evidence='He said "urls": ["x"], then \\"urls\\": [] and {"a": 1}', party='"urls": ',
             urls=["https://example.org/1", 'https://example.org/"urls": ["2"]'], confidence=0.1 + 0.2),
        dict(rows[-1], urls=[], subject="香港\u2028行\n政", confidence=float("1e-7")),
        dict(rows[0], urls=["https://example.org/only"], change=None, revision=12),
    ]  # fmt: skip
    out = io.StringIO()
    assert render(iter(tricky), "json", Console(file=out, width=120)) == 3
    assert out.getvalue() == json.dumps(tricky, ensure_ascii=False, indent=2) + "\n"
    assert json.loads(out.getvalue()) == tricky
    empty = io.StringIO()
    render(iter([]), "json", Console(file=empty, width=120))
    assert empty.getvalue() == "[]\n"
