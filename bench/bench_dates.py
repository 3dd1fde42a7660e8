"""Speed and value F1 of tracker's find_dates, dateparser.search_dates and datefinder, on the
same gold-annotated documents, in one run.

    .venv/bin/python bench/bench_dates.py [--corpus PATH] [--repeat N]

Each finder sees the same texts and publication dates. search_dates gets the document's
language explicitly, as its documentation advises (detection is many times slower), and is
warmed up on one document before timing (its first call loads language data). datefinder is
optional: when it is not installed the bench says so and times the other two.

The baselines return datetimes without a precision; both get the same rule to cut a value
down to one (a day number or a weekday makes a day, a month name a month, a bare year a
year), so the value F1 compares what each finder reads, scored like ../shared/eval does.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tracker.dates import find_dates  # noqa: E402

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared"
DEFAULT_CORPUS = SHARED / "corpus" / "te3_train.jsonl"

Timex = dict[str, Any]
Finder = Callable[[dict[str, Any]], list[Timex]]


def load(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _published(doc: dict[str, Any]) -> datetime | None:
    return datetime.fromisoformat(doc["published"]) if doc.get("published") else None


_MONTH = re.compile(r"(?i)\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?")
_WEEKDAY = re.compile(r"(?i)\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b|\b(?:today|yesterday|tomorrow)\b")
_DAYNUM = re.compile(r"(?<!\d)(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?!\d)")
_NUMERIC = re.compile(r"\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}")


def cut(text: str, when: datetime) -> str:
    """The value a baseline's datetime stands for, at the precision its matched text states."""
    if _NUMERIC.search(text) or _WEEKDAY.search(text):
        return when.date().isoformat()
    if _MONTH.search(text):
        rest = _MONTH.sub(" ", text)
        rest = re.sub(r"(?:1[6-9]|20)\d\d", " ", rest)
        return when.date().isoformat() if _DAYNUM.search(rest) else f"{when.year:04d}-{when.month:02d}"
    if re.search(r"(?i)\bweek\b", text):
        iso = when.isocalendar()
        return f"{iso[0]:04d}-W{iso[1]:02d}"
    if re.search(r"(?i)\bmonth\b", text):
        return f"{when.year:04d}-{when.month:02d}"
    if re.fullmatch(r"\s*(?:1[6-9]|20)\d\d\s*", text) or re.search(r"(?i)\byear\b", text):
        return f"{when.year:04d}"
    return when.date().isoformat()


def tracker_finder(doc: dict[str, Any]) -> list[Timex]:
    return [
        {"start": d.start, "end": d.end, "text": d.text, "value": d.value}
        for d in find_dates(doc["text"], _published(doc), doc.get("lang"))
    ]


def _located(text: str, found: list[tuple[str, datetime]]) -> list[Timex]:
    """Offsets for (matched text, datetime) pairs, searching forward from the previous match."""
    out: list[Timex] = []
    pos = 0
    for s, when in found:
        i = text.find(s, pos)
        if i < 0:
            i = text.find(s)
        if i < 0:
            continue
        out.append({"start": i, "end": i + len(s), "text": s, "value": cut(s, when)})
        pos = i + len(s)
    return out


def dateparser_finder(doc: dict[str, Any]) -> list[Timex]:
    from dateparser.search import search_dates

    pub = _published(doc)
    settings: dict[str, Any] = {"PREFER_DAY_OF_MONTH": "first"}
    if pub is not None:
        settings["RELATIVE_BASE"] = pub.replace(tzinfo=None)
    found = search_dates(doc["text"], languages=[doc.get("lang") or "en"], settings=settings) or []
    return _located(doc["text"], list(found))


def datefinder_finder(doc: dict[str, Any]) -> list[Timex]:
    import datefinder

    pub = _published(doc)
    base = pub.replace(tzinfo=None) if pub is not None else None
    found = [(s, when) for when, s in datefinder.find_dates(doc["text"], source=True, base_date=base)]
    return _located(doc["text"], found)


def value_f1(docs: list[dict[str, Any]], preds: list[list[Timex]]) -> float:
    spec = importlib.util.spec_from_file_location("score_dates", SHARED / "eval" / "score_dates.py")
    if spec is None or spec.loader is None:
        return float("nan")
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)
    gold = {str(d["id"]): d.get("timexes") or [] for d in docs}
    ignore = {str(d["id"]): d.get("ignore") or [] for d in docs}
    pred = {str(d["id"]): p for d, p in zip(docs, preds, strict=True)}
    return float(scorer.score(gold, pred, ignore_docs=ignore)["value"]["f1"])


def run(finder: Finder, docs: list[dict[str, Any]], repeat: int) -> tuple[float, list[list[Timex]]]:
    """Documents per second of processor time over ``repeat`` passes (the fastest pass, as
    timeit does), and the predictions of the last. Processor time, not wall time: on a machine
    shared with other work, wall time measures the neighbours as much as the finder."""
    preds: list[list[Timex]] = []
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        preds = [finder(doc) for doc in docs]
        best = min(best, time.process_time() - start)
    return len(docs) / best, preds


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--repeat", type=int, default=5, help="passes over the corpus for find_dates")
    ap.add_argument("--rounds", type=int, default=2, help="passes for the slower baselines (the fastest counts)")
    args = ap.parse_args(argv)
    if not args.corpus.exists():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 2
    docs = load(args.corpus)
    finders: list[tuple[str, Finder, int]] = [
        ("tracker find_dates", tracker_finder, args.repeat),
        ("dateparser.search_dates", dateparser_finder, args.rounds),
    ]
    if importlib.util.find_spec("datefinder") is not None:
        finders.append(("datefinder.find_dates", datefinder_finder, args.repeat))
    for _, finder, _ in finders:
        finder(docs[0])  # warm-up: import-time work and language data load outside the timing
    print(f"corpus: {args.corpus.name}  documents: {len(docs)}  (docs per CPU second, fastest pass)")
    rates: dict[str, float] = {}
    for name, finder, repeat in finders:
        rate, preds = run(finder, docs, repeat)
        rates[name] = rate
        print(f"{name:25} {rate:10.1f} docs/s   value F1 {value_f1(docs, preds):.3f}")
    if "datefinder.find_dates" not in rates:
        print("datefinder                not installed (pip install datefinder to compare it)")
    ours = rates["tracker find_dates"]
    for name, rate in rates.items():
        if name != "tracker find_dates":
            label = f"tracker / {name}"
            print(f"{label:35} {ours / rate:6.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
