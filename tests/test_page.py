"""The HTML timeline page (`tracker timeline --format html`) in a real browser.

Headless Chromium (Debian's `chromium`) loads the file the real CLI wrote from a real SQLite
database, runs its script, and the DOM it dumps is read back: every event must be drawn (alone
or inside a cluster), filters given in the address must select exactly their events, and
scraped text must stay text. Without Chromium these tests skip, saying why; with
TRACKER_REQUIRE_BROWSER=1 (.ci/run sets it) they fail instead.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import run_cli
from sqlmodel import select

from tracker.db import make_engine, session_scope
from tracker.models import Document, Event, Mention
from tracker.page import script_json
from tracker.periods import period_of

HOSTILE = "</script><img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        reason = "headless Chromium is not installed (Debian: apt-get install chromium; .ci/run installs it)"
        if os.environ.get("TRACKER_REQUIRE_BROWSER") == "1":
            pytest.fail(f"TRACKER_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    return path


class _Dom(HTMLParser):
    """The drawn events (elements of class ``ev``), every tag, and the text of the elements
    that have an id."""

    VOID = {"br", "img", "input", "meta", "link", "hr", "wbr", "source", "area", "base", "col", "embed"}

    def __init__(self) -> None:
        super().__init__()
        self.marks: list[dict[str, str]] = []
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.by_id: dict[str, dict[str, str]] = {}
        self.texts: dict[str, str] = {}
        self._open: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        self.tags.append((tag, values))
        if "id" in values:
            self.by_id[values["id"]] = values
            self.texts[values["id"]] = ""
        if "ev" in values.get("class", "").split():
            self.marks.append(values)
        if tag not in self.VOID:
            self._open.append((tag, values.get("id")))

    def handle_endtag(self, tag: str) -> None:
        while self._open:
            if self._open.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        for _, element_id in self._open:
            if element_id is not None:
                self.texts[element_id] += data

    def text_of(self, element_id: str) -> str:
        return self.texts.get(element_id, "").strip()

    def drawn_ids(self) -> list[int]:
        return [int(i) for mark in self.marks for i in mark["data-ids"].split()]


def _load(chromium: str, page: Path, profile: Path, fragment: str = "") -> _Dom:
    """The DOM after the page's script ran."""
    proc = subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
         f"--user-data-dir={profile}", "--window-size=1400,900", "--virtual-time-budget=5000",
         "--dump-dom", page.resolve().as_uri() + fragment],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-2000:]
    dom = _Dom()
    dom.feed(proc.stdout)
    body = next(attrs for tag, attrs in dom.tags if tag == "body")
    assert body.get("data-ready") == "1", "the page's script did not finish: " + proc.stderr[-2000:]
    return dom


def _page(workspace: Path, *args: str) -> Path:
    result = run_cli("timeline", "--format", "html", *args, cwd=workspace)
    assert result.returncode == 0, result.stderr
    page = workspace / "timeline.html"
    page.write_text(result.stdout, encoding="utf-8")
    return page


def _rows(workspace: Path) -> list[dict]:
    result = run_cli("timeline", "--format", "json", cwd=workspace)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _add_events(db: Path, n: int) -> None:
    """``n`` more events through the models, crowded enough to cluster: every precision, four
    jurisdictions, eleven years, each with a mention of one of the stored documents."""
    rng = random.Random(3)
    engine = make_engine(f"sqlite:///{db}")
    with session_scope(engine) as session:
        documents = list(session.exec(select(Document.id)))
        for i in range(n):
            day = datetime(2015, 1, 1, tzinfo=UTC) + timedelta(days=rng.randrange(4000))
            precision = rng.choice(("year", "quarter", "month", "week", "day", "day", None))
            value = {
                "year": f"{day:%Y}", "quarter": f"{day:%Y}-Q{(day.month - 1) // 3 + 1}", "month": f"{day:%Y-%m}",
                "week": f"{day.isocalendar().year}-W{day.isocalendar().week:02d}", "day": f"{day:%Y-%m-%d}",
            }.get(precision or "")  # fmt: skip
            period = period_of(value)
            event = Event(
                type=rng.choice(("ban", "ordinance", "license_grant", "guidance", "enforcement", "launch")),
                jurisdiction=rng.choice(("HK", "HK", "CN", "SG", "EU")),
                date_value=value,
                precision=precision,
                sort_start=period.start_datetime() if period else None,
                sort_end=period.end_datetime() if period else None,
                evidence=f"Synthetic event {i} for the page test.",
                confidence=0.8,
                first_published_at=day,
            )
            session.add(event)
            session.flush()
            session.add(Mention(document_id=rng.choice(documents), event_id=event.id, fingerprint=f"page-{i}",
                                type=event.type, jurisdiction=event.jurisdiction, evidence=event.evidence))  # fmt: skip
    engine.dispose()


@pytest.fixture
def filled(workspace: Path) -> Path:
    result = run_cli("run", "--once", cwd=workspace)
    assert result.returncode == 0, result.stderr
    return workspace


def test_script_json_cannot_end_the_script_element() -> None:
    text = script_json({"e": HOSTILE + " <!-- & \u2028", "中": "香港"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"e": HOSTILE + " <!-- & \u2028", "中": "香港"}


def test_every_event_is_drawn_and_filters_select_theirs(filled: Path, chromium: str, tmp_path: Path) -> None:
    _add_events(filled / "tracker.db", 400)
    rows = _rows(filled)
    page = _page(filled)
    profile = tmp_path / "profile"

    dom = _load(chromium, page, profile)
    drawn = dom.drawn_ids()
    assert sorted(drawn) == sorted(row["id"] for row in rows)  # each event once, none missing
    assert int(dom.by_id["count"]["data-shown"]) == len(rows)
    assert any(len(mark["data-ids"].split()) > 1 for mark in dom.marks), "400 events on 11 years should cluster"
    assert len(dom.marks) < len(rows)

    expected = {
        "#jurisdiction=HK": {r["id"] for r in rows if r["jurisdiction"] == "HK"},
        "#type=ban,guidance&jurisdiction=CN,EU": {
            r["id"] for r in rows if r["type"] in ("ban", "guidance") and r["jurisdiction"] in ("CN", "EU")
        },
        "#status=done": {r["id"] for r in rows if r.get("status", "done") == "done"},
        "#status=planned,restated": {r["id"] for r in rows if r.get("status", "done") in ("planned", "restated")},
    }
    for row in rows:  # zoomed to 2020: the events whose period meets 2020, and no other
        period = period_of(row["date"]) or period_of(row["placed"])
        if period.last.year >= 2020 and period.first.year <= 2020:
            expected.setdefault("#from=2020-01-01&to=2020-12-31", set()).add(row["id"])
    for fragment, ids in expected.items():
        dom = _load(chromium, page, profile, fragment)
        assert sorted(dom.drawn_ids()) == sorted(ids), fragment
        assert int(dom.by_id["count"]["data-shown"]) == len(ids), fragment
        assert (dom.text_of("range") == "2020-01-01 – 2020-12-31") == ("from=" in fragment)
        boxes = [a for tag, a in dom.tags if tag == "input" and a.get("data-filter") == "jurisdiction"]
        assert {a["value"] for a in boxes} == {"HK", "CN", "EU", "SG"}


def test_marks_are_as_wide_as_their_precision(filled: Path, chromium: str, tmp_path: Path) -> None:
    rows = {row["id"]: row for row in _rows(filled)}
    dom = _load(chromium, _page(filled), tmp_path / "profile")
    alone = {int(m["data-ids"]): m for m in dom.marks if len(m["data-ids"].split()) == 1}

    def width(mark: dict[str, str]) -> float:
        return float(re.search(r"width: ([\d.]+)px", mark["style"]).group(1))

    kinds = {}
    for event_id, mark in alone.items():
        precision = rows[event_id]["precision"] or "day"  # undated: a point on its publication day
        kinds.setdefault(precision, []).append(mark)
        assert ("pt" in mark["class"].split()) == (precision == "day"), (precision, mark)
    assert {"year", "month", "day"} <= set(kinds)
    assert min(width(m) for m in kinds["year"]) > 5 * max(width(m) for m in kinds["month"])


def test_hostile_text_stays_text(filled: Path, chromium: str, tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{filled / 'tracker.db'}")
    with session_scope(engine) as session:
        event = session.exec(select(Event).order_by(Event.id)).first()
        event.evidence = HOSTILE
        event.actor = "<b onmouseover=alert(2)>x</b>"
        target = event.id
        mention = session.exec(select(Mention).where(Mention.event_id == target)).first()
        document = session.get(Document, mention.document_id)
        document.url = "javascript:alert(3)"
    engine.dispose()
    page = _page(filled)
    raw = page.read_text(encoding="utf-8")
    assert "<img" not in raw and "onerror=alert(1)>" not in raw and "<b onmouseover" not in raw
    assert raw.count("</script>") == 2  # the data's and the script's own

    dom = _load(chromium, page, tmp_path / "profile", f"#event={target}")
    assert sorted(dom.drawn_ids()) == sorted(row["id"] for row in _rows(filled))  # the data still parsed
    assert not [t for t, _ in dom.tags if t == "img"]
    assert not [(t, a) for t, a in dom.tags if any(name.startswith("on") for name in a)]
    assert not [a for t, a in dom.tags if t == "a" and not a.get("href", "").startswith(("http://", "https://"))]
    shown = dom.text_of("detail")
    assert HOSTILE in shown and "<b onmouseover=alert(2)>x</b>" in shown  # shown as the text it is
    # a non-http(s) URL stored before ingest refused them is neither linked nor listed
    assert "javascript:" not in shown and "javascript:" not in raw


def test_empty_timeline_is_a_page_that_says_so(workspace: Path, chromium: str, tmp_path: Path) -> None:
    result = run_cli("timeline", "--format", "html", cwd=workspace)
    assert result.returncode == 0 and "tracker run --once" in result.stderr
    page = workspace / "empty.html"
    page.write_text(result.stdout, encoding="utf-8")
    assert result.stdout.startswith("<!DOCTYPE html>") and result.stdout.rstrip().endswith("</html>")
    dom = _load(chromium, page, tmp_path / "profile")
    assert dom.marks == []
    assert dom.by_id["count"]["data-shown"] == "0"
    assert "hidden" not in dom.by_id["empty"]
    assert "The timeline is empty" in dom.text_of("empty") and "tracker run --once" in dom.text_of("empty")


def test_the_detail_counts_documents_and_sources(filled: Path, chromium: str, tmp_path: Path) -> None:
    """An English and a Chinese notice from one source are two documents of one source: the
    panel says both, and lists as many links as it counts documents."""
    row = next(r for r in _rows(filled) if r["documents"] > r["sources"])
    dom = _load(chromium, _page(filled), tmp_path / "profile", f"#event={row['id']}")
    sources = "1 source" if row["sources"] == 1 else f"{row['sources']} sources"
    assert f"{row['documents']} documents ({sources})" in dom.text_of("detail")
