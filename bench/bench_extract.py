"""Benchmark and contract output of event extraction over a JSONL corpus.

    python bench/bench_extract.py [DOCS.jsonl] [--out PRED.jsonl] [--repeat N]

Prints documents per second on one core (find_dates included, rules loaded once before
timing) and, with --out, writes the ``tracker extract --jsonl`` lines for scoring with
../shared/eval/score_events.py. The default corpus is ../shared/corpus/dev.jsonl.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tracker.extract import extract_record  # noqa: E402
from tracker.rules import cached_rules  # noqa: E402

DEFAULT = ROOT.parent / "shared" / "corpus" / "dev.jsonl"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("docs", nargs="?", default=str(DEFAULT))
    ap.add_argument("--out", help="write one contract JSON line per document here")
    ap.add_argument("--repeat", type=int, default=20, help="timed passes over the corpus")
    args = ap.parse_args(argv)
    docs = [json.loads(line) for line in Path(args.docs).read_text(encoding="utf-8").splitlines() if line.strip()]
    cached_rules()
    records = [extract_record(d) for d in docs]  # warm-up, and the output
    if args.out:
        with open(args.out, "w", encoding="utf-8") as fh:
            for rec in records:
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    t0 = time.process_time()
    for _ in range(args.repeat):
        for d in docs:
            extract_record(d)
    cpu = time.process_time() - t0
    n = len(docs) * args.repeat
    events = sum(len(r["events"]) for r in records)
    print(f"{len(docs)} documents, {events} events; {n / cpu:.0f} docs/s on one core ({cpu / n * 1000:.2f} ms/doc CPU)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
