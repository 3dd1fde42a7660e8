"""Benchmark: the HTML timeline page of N events (default 5,000).

    .venv/bin/python bench/bench_page.py [N] [--screenshot FILE]

Builds the database as bench_timeline.py does (the project's migrations, 1-3 mentions per
event, a spread of types, jurisdictions, dates and precisions) in a temporary folder, then
prints the render time in-process and as a whole `tracker timeline --format html` process,
the file size, and, when Chromium is installed, how long the page's script takes to draw
(the page records it on <body data-render-ms>) and how many marks it drew.
"""

from __future__ import annotations

import argparse
import io
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_timeline import ROOT, build  # noqa: E402


def _browser(page: Path, folder: Path, screenshot: Path | None) -> None:
    chromium = shutil.which("chromium")
    if chromium is None:
        print("chromium: not installed, page script not timed")
        return
    common = [
        chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        f"--user-data-dir={folder / 'profile'}", "--window-size=1400,800", "--virtual-time-budget=10000",
    ]  # fmt: skip
    started = time.perf_counter()
    proc = subprocess.run([*common, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=300)
    elapsed = time.perf_counter() - started
    ms = re.search(r'data-render-ms="([\d.]+)"', proc.stdout)
    marks = len(re.findall(r'<div class="ev ', proc.stdout))
    shown = re.search(r'data-shown="(\d+)"', proc.stdout)
    print(f"chromium: first draw {ms.group(1) if ms else '?'} ms in the page, {marks} marks for "
          f"{shown.group(1) if shown else '?'} events; whole headless load {elapsed:.1f} s")  # fmt: skip
    if screenshot is not None:
        subprocess.run([*common, "--hide-scrollbars", f"--screenshot={screenshot.resolve()}", page.as_uri()],
                       capture_output=True, timeout=300, check=True)  # fmt: skip
        print(f"screenshot: {screenshot}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", nargs="?", type=int, default=5000)
    parser.add_argument("--screenshot", type=Path, help="also save a 1400x800 screenshot of the page")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-page-"))
    try:
        shutil.copy(ROOT / "config.toml", folder / "config.toml")
        for name in ("examples", "rules"):
            shutil.copytree(ROOT / name, folder / name)
        db = folder / "tracker.db"
        started = time.perf_counter()
        build(db, args.n)
        print(f"built {args.n} events in {time.perf_counter() - started:.1f} s")

        from tracker.db import make_engine, session_scope
        from tracker.page import page_chunks
        from tracker.render import iter_rows
        from tracker.timeline_query import TimelineFilter

        engine = make_engine(f"sqlite:///{db}")
        with session_scope(engine) as session:
            started = time.perf_counter()
            out = io.StringIO()
            for chunk in page_chunks(iter_rows(session, TimelineFilter())):
                out.write(chunk)
            elapsed = time.perf_counter() - started
        engine.dispose()
        size = len(out.getvalue().encode("utf-8"))
        per = size / max(1, args.n)
        print(f"render in-process (query + rows + page): {elapsed:.2f} s, {size / 1e6:.2f} MB ({per:.0f} B/event)")

        page = folder / "timeline.html"
        started = time.perf_counter()
        with page.open("w", encoding="utf-8") as handle:
            proc = subprocess.run([sys.executable, "-m", "tracker", "timeline", "--format", "html"], cwd=folder,
                                  stdout=handle, stderr=subprocess.PIPE, text=True, env={"PATH": ""})  # fmt: skip
        assert proc.returncode == 0, proc.stderr
        print(f"tracker timeline --format html: {time.perf_counter() - started:.2f} s (whole process), "
              f"{page.stat().st_size / 1e6:.2f} MB")  # fmt: skip
        _browser(page, folder, args.screenshot)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
