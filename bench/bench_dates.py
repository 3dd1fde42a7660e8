"""Documents per second for tracker's find_dates and for dateparser.search_dates, on the same
development-corpus documents, in one run.

    .venv/bin/python bench/bench_dates.py [--corpus PATH] [--repeat N]

search_dates gets the document's language explicitly, as its documentation advises (language
detection is many times slower); both see the same texts and publication dates.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tracker.dates import find_dates  # noqa: E402

DEFAULT_CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus" / "dev.jsonl"


def load(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _published(doc: dict) -> datetime | None:
    return datetime.fromisoformat(doc["published"]) if doc.get("published") else None


def bench_tracker(docs: list[dict], repeat: int) -> float:
    start = time.perf_counter()
    for _ in range(repeat):
        for doc in docs:
            find_dates(doc["text"], _published(doc), doc.get("lang"))
    return repeat * len(docs) / (time.perf_counter() - start)


def bench_dateparser(docs: list[dict]) -> float:
    from dateparser.search import search_dates

    start = time.perf_counter()
    for doc in docs:
        pub = _published(doc)
        settings = {"PREFER_DAY_OF_MONTH": "first"}
        if pub is not None:
            settings["RELATIVE_BASE"] = pub.replace(tzinfo=None)
        search_dates(doc["text"], languages=[doc.get("lang") or "en"], settings=settings)
    return len(docs) / (time.perf_counter() - start)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--repeat", type=int, default=20, help="passes over the corpus for find_dates")
    args = ap.parse_args(argv)
    if not args.corpus.exists():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 2
    docs = load(args.corpus)
    find_dates(docs[0]["text"])  # import-time work is done; this warms nothing else up
    ours = bench_tracker(docs, args.repeat)
    theirs = bench_dateparser(docs)
    print(f"documents: {len(docs)}")
    print(f"tracker find_dates        {ours:10.1f} docs/s")
    print(f"dateparser.search_dates   {theirs:10.1f} docs/s")
    print(f"ratio                     {ours / theirs:10.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
