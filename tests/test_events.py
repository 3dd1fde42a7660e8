"""Event frames: HK/CN attribution, negation and hedging, dedupe, the contract line, and a
score floor on the dev corpus."""

from __future__ import annotations

import importlib.util
import json
from datetime import datetime
from pathlib import Path

import pytest

from tracker.errors import InputError
from tracker.events import MIN_CONFIDENCE, extract_events, extract_record

PUB = datetime.fromisoformat("2025-10-20T09:00:00+08:00")
SHARED = Path(__file__).parents[1] / ".." / "shared"
DEV = SHARED / "corpus" / "dev.jsonl"
SCORER = SHARED / "eval" / "score_events.py"
STRICT_FLOOR = 0.90
LENIENT_FLOOR = 0.91


def _events(text, lang=None, published=PUB):
    return [(m.type, m.jurisdiction) for m in extract_events(text, published, lang) if m.confidence >= MIN_CONFIDENCE]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Some firms applied to a regulator, then paused their plans for a Hong Kong-issued stablecoin licence.",
         ("license_pause", "HK")),
        ("Despite China's trading ban, mainland interest in stablecoins keeps growing.", ("ban", "CN")),
        ("The China Securities Regulatory Commission told brokerages to pause their tokenisation business in Hong Kong.",
         ("license_pause", "CN")),
        ("Hong Kong's Securities and Futures Commission issued a circular on staking.", ("guidance", "HK")),
        ("The People's Bank of China said stablecoins remain illegal.", ("ban", "CN")),
        ("中国证监会要求部分境内券商暂停在香港开展的代币化业务。", ("license_pause", "CN")),
        ("香港證監會發出通函。", ("guidance", "HK")),
    ],
)
def test_attribution(text, expected):
    assert expected in _events(text)


def test_context_decides_when_the_sentence_names_no_place():
    text = ("Beijing has tightened its grip on private payments.\n\n"
            "The central bank has revoked the payment licences of dozens of companies since 2015.")
    ms = [m for m in extract_events(text, PUB) if m.type == "license_revoke"]
    assert [(m.jurisdiction, m.date, m.qualifier) for m in ms] == [("CN", "2015", "since")]


def test_foreign_events_are_attributed_away_from_hk_and_cn():
    got = _events("US regulators approved 11 spot bitcoin ETFs, while Singapore's MAS issued a circular on stablecoins.")
    assert ("license_grant", "US") in got and ("guidance", "SG") in got
    assert not [j for _, j in got if j in {"HK", "CN"}]


@pytest.mark.parametrize(
    "text",
    [
        "Hong Kong has not banned crypto trading.",
        "Hong Kong regulators could ban stablecoin lending.",
        "Experts call for a ban on crypto trading in Hong Kong.",
        "The SFC stopped short of a ban.",
        "The exchange said it intends to apply for a licence from the SFC in Hong Kong.",
        "内地监管部门或将禁止稳定币交易。",
        "“This will be banned in Hong Kong within a year, I am sure of it,” said one trader.",
    ],
)
def test_negated_hedged_demanded_and_quoted_actions_are_not_events(text):
    assert _events(text) == []
    low = extract_events(text, PUB)
    assert all(m.confidence < MIN_CONFIDENCE for m in low)


def test_hedged_mentions_stay_available_with_low_confidence():
    ms = extract_events("Hong Kong regulators could ban stablecoin lending.", PUB)
    assert ms and ms[0].type == "ban" and ms[0].confidence < MIN_CONFIDENCE


def test_scheduled_future_is_an_event_but_a_planned_one_is_not():
    got = _events("Hong Kong's stablecoin ordinance will take effect on August 1, 2025.")
    assert got == [("ordinance", "HK")]
    assert _events("The government expects the law to come into force in Hong Kong later this year.") == []


def test_same_event_twice_in_a_document_is_one_event():
    text = ("Mainland China has banned cryptocurrency trading since 2021.\n\n"
            "Despite China's ongoing crypto trading ban, interest grows.\n\n"
            "Crypto trading has been prohibited on the mainland since 2021, analysts said.")
    bans = [m for m in extract_events(text, PUB) if m.type == "ban" and m.confidence >= MIN_CONFIDENCE]
    assert len(bans) == 1
    assert (bans[0].jurisdiction, bans[0].date, bans[0].precision, bans[0].qualifier) == ("CN", "2021", "year", "since")


def test_two_dates_in_one_sentence_give_two_events():
    text = "The ordinance was passed by the Legislative Council on 21 May 2025 and gazetted on 30 May 2025."
    dates = sorted(m.date for m in extract_events(text, PUB) if m.type == "ordinance")
    assert dates == ["2025-05-21", "2025-05-30"]


def test_mention_fields_and_offsets():
    text = "Noise line\n\nIn 2023, Hong Kong police arrested six people over the JPEX case."
    (m,) = [m for m in extract_events(text, PUB) if m.type == "enforcement"]
    assert text[m.sentence_start:m.sentence_end] == m.evidence
    assert m.evidence.startswith("In 2023") and m.date == "2023" and m.jurisdiction == "HK"
    assert 0.0 <= m.confidence <= 1.0 and m.actor == "Hong Kong police"


def test_extract_record_contract():
    doc = {"id": "x1", "published": "2021-09-25T09:00:00+08:00", "lang": "en",
           "text": "Crypto trading has been banned on the mainland since 2021. Hong Kong could ban it too."}
    rec = extract_record(doc)
    assert rec["id"] == "x1"
    assert [set(e) for e in rec["events"]] == [
        {"type", "jurisdiction", "date", "precision", "qualifier", "date_text", "evidence", "confidence"}]
    (ev,) = rec["events"]
    assert (ev["type"], ev["jurisdiction"], ev["date"], ev["date_text"]) == ("ban", "CN", "2021", "since 2021")
    assert ev["evidence"] in doc["text"]
    assert extract_record({"id": "x2", "published": None, "text": ""}) == {"id": "x2", "events": []}
    with pytest.raises(InputError):
        extract_record({"id": "x3", "published": "last Tuesday", "text": "x"})
    with pytest.raises(InputError):
        extract_record({"id": "x4", "text": None})


def _scorer():
    if not SCORER.exists() or not DEV.exists():
        pytest.skip(f"shared scorer or dev corpus not found under {SHARED.resolve()}")
    spec = importlib.util.spec_from_file_location("score_events", SCORER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_dev_corpus_score_floor(tmp_path):
    scorer = _scorer()
    pred = tmp_path / "pred.jsonl"
    with DEV.open(encoding="utf-8") as fh, pred.open("w", encoding="utf-8") as out:
        for line in fh:
            if line.strip():
                out.write(json.dumps(extract_record(json.loads(line)), ensure_ascii=False) + "\n")
    result = scorer.score(scorer.load(str(DEV)), scorer.load(str(pred)))
    assert result["documents_without_prediction"] == 0
    assert result["strict"]["f1"] >= STRICT_FLOOR, result["strict"]
    assert result["lenient"]["f1"] >= LENIENT_FLOOR, result["lenient"]
