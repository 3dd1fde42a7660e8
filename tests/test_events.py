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
STRICT_FLOOR = 0.93
LENIENT_FLOOR = 0.93


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


# ---- phenomenon probes: new sentences written for each failure class (not from dev or audit) ----

PROBE_PUB = datetime.fromisoformat("2025-06-12T09:00:00+08:00")  # a Thursday


def _frames(text, lang=None, published=PROBE_PUB):
    return [(m.type, m.jurisdiction, m.date) for m in extract_events(text, published, lang) if m.confidence >= MIN_CONFIDENCE]


@pytest.mark.parametrize(
    "text",
    [
        # negation inside the trigger's own gap
        "The regulator said the exchange had never been licensed in Hong Kong.",
        "The amendment bill was not passed by the Legislative Council before the summer recess.",
        "Hong Kong has no longer banned retail trading of major tokens.",
        # Chinese negations
        "中国证监会并无批准任何境内券商开展相关业务。",
        "香港金管局至今尚無發出任何牌照予穩定幣發行人。",
        "證監會從未禁止持牌平台提供質押服務。",
        "内地监管部门迄今没有暂停相关试点。",
        # hedges far from the verb, parentheticals, questions, conditionals
        "Beijing is likely, people briefed on the plans said, to prohibit offshore stablecoin promotion.",
        "市场普遍预期内地监管部门今年内会全面禁止相关推广活动。",
        "香港政府會否在明年推出新的沙盒計劃仍未有定案。",
        "If lawmakers agree, the bill would take effect in Hong Kong next spring.",
        # lifted, repealed and eased bans are not bans
        "Hong Kong lifted its ban on retail access to virtual asset futures ETFs.",
        "The mainland's prohibition on the service was repealed last year.",
        "内地监管部门去年解除禁令，允许相关机构恢复业务。",
        # a consultation's closing date is not a new consultation
        "The consultation on the custody proposals closes on August 29.",
        "The SFC's consultation will run until the end of September.",
        "諮詢期至9月30日截止。",
        # new triggers must not fire on their everyday senses
        "The exchange charged users a 0.1% fee in Hong Kong.",
        "多家香港上市公司昨日宣布增持比特币。",
        "The HKMA said stablecoin licences will be granted in Hong Kong early next year.",
        "截至去年年底，内地试点城市已超过20个。",
        # an expectation clause scopes over the clause after the comma
        "市场预期，下半年更多券商可以在港推出相关产品。",
    ],
)
def test_probe_not_events(text):
    assert [f for f in _frames(text) if f[1] in {"HK", "CN"}] == []


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        # approval idioms, present tense, and Chinese approvals and licences
        ("The SFC gave conditional approval to two tokenised money-market funds on Tuesday.", "en",
         ("license_grant", "HK", "2025-06-10")),
        ("A Hong Kong brokerage won approval from the Securities and Futures Commission in May to offer crypto trading.", "en",
         ("license_grant", "HK", "2025-05")),
        ("HKMA grants a stablecoin issuer licence to a bank-backed venture.", "en", ("license_grant", "HK", None)),
        ("香港證監會昨日批准兩隻以太幣現貨基金。", "zh", ("license_grant", "HK", "2025-06-11")),
        ("一家券商上月取得香港证监会发出的虚拟资产交易牌照。", "zh", ("license_grant", "HK", "2025-05")),
        ("该基金已于今年3月获批在港发售。", "zh", ("license_grant", "HK", "2025-03")),
        # enforcement verbs
        ("Hong Kong police charged four men over a fake crypto exchange on Monday.", "en", ("enforcement", "HK", "2025-06-09")),
        ("A Beijing court sentenced a former bank employee to five years in jail in April for laundering money through USDT.", "en",
         ("enforcement", "CN", "2025-04")),
        ("Customs officers in Hong Kong seized 20 mining rigs on Wednesday.", "en", ("enforcement", "HK", "2025-06-11")),
        ("内地公安机关上月破获一宗利用虚拟货币洗钱的案件。", "zh", ("enforcement", "CN", "2025-05")),
        ("广东省本月起开展打击虚拟货币非法集资专项行动。", "zh", ("enforcement", "CN", "2025-06")),
        ("廉政公署昨日拘捕兩名涉嫌受賄的交易平台職員。", "zh", ("enforcement", "HK", "2025-06-11")),
        # bans phrased as orders to stop
        ("中国人民银行等部门宣布即日起停止一切虚拟货币衍生品交易活动。", "zh", ("ban", "CN", "2025-06-12")),
        ("Regulators in Inner Mongolia shut down all remaining mining farms in 2021.", "en", ("ban", "CN", "2021")),
        # launches and listings
        ("兩隻比特幣期貨基金昨日在港交所掛牌交易。", "zh", ("launch", "HK", "2025-06-11")),
        ("The Hong Kong Monetary Authority rolled out the second phase of its tokenised deposit pilot on Monday.", "en",
         ("launch", "HK", "2025-06-09")),
        # roadmaps and guidance
        ("香港金管局上月公布數碼港元路線圖。", "zh", ("guidance", "HK", "2025-05")),
        ("The SFC cautioned investors against unlicensed staking services in March.", "en", ("guidance", "HK", "2025-03")),
    ],
)
def test_probe_events(text, lang, expected):
    assert expected in _frames(text, lang)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a trailing attribution's date is the report's, not the event's
        ("The SFC approved three tokenised funds in February, a spokesperson said on Wednesday.", ("license_grant", "HK", "2025-02")),
        ("The CSRC told brokers to halt new tokenisation projects in Hong Kong, two people said on Monday.", ("license_pause", "CN", None)),
        # a dateline's date is the report's
        ("BEIJING, June 10 (Wire) - The NFRA told lenders to halt stablecoin pilots in Hong Kong, people familiar said.",
         ("license_pause", "CN", None)),
        # a reporting verb before the event dates a restatement that has no date of its own
        ("The People's Bank of China said on Tuesday that crypto trading remains illegal.", ("ban", "CN", "2025-06-10")),
        # the date right before the verb beats a later one governed by another verb
        ("LegCo on Tuesday passed the stablecoin bill, which sets up a regime that starts on August 1.", ("ordinance", "HK", "2025-06-10")),
    ],
)
def test_probe_dates(text, expected):
    assert expected in _frames(text)


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        # datelines in capitals decide generic actors
        ("HONG KONG, June 11 - The government launched a consultation on crypto custody on Wednesday.", "en", ("consultation", "HK")),
        ("BEIJING (Reuters) - The central bank issued a notice on stablecoin promotion on Wednesday.", "en", ("guidance", "CN")),
        # generic actors follow the paragraph's explicit jurisdiction
        ("Hong Kong wants to become a digital-asset hub. The regulator issued a circular on staking on Monday.", "en", ("guidance", "HK")),
        ("Mainland China tightened its stance again. The authorities banned crypto promotion by influencers in May.", "en", ("ban", "CN")),
        # 央行 is the mainland's unless a Hong Kong authority acts
        ("央行昨日发布通知，提醒公众防范虚拟货币风险。", "zh", ("guidance", "CN")),
        ("香港金管局昨日宣布啟動批發層面央行數碼貨幣項目第二階段。", "zh", ("launch", "HK")),
        # aliases
        ("港交所上月推出新的虛擬資產指數。", "zh", ("launch", "HK")),
        ("The ICAC arrested three people in a bribery probe linked to a token listing.", "en", ("enforcement", "HK")),
    ],
)
def test_probe_jurisdiction(text, lang, expected):
    assert expected in [(t, j) for t, j, _ in _frames(text, lang)]


def test_guidelines_taking_effect_are_guidance():
    got = _frames("The SFC published new custody guidelines, which will take effect on 1 August.")
    assert ("guidance", "HK", "2025-08-01") in got and not [f for f in got if f[0] == "ordinance"]
    got = _frames("香港證監會的新指引將於8月1日生效。", "zh")
    assert got and all(f[0] == "guidance" for f in got)
    assert ("ordinance", "HK", "2025-08-01") in _frames("The new stablecoin rules will take effect in Hong Kong on 1 August.")


def test_concluded_consultation_is_kept_but_deadline_is_folded():
    text = ("The FSTB launched a consultation on OTC dealers in Hong Kong on Monday. "
            "The consultation closes on 30 September.")
    got = [f for f in _frames(text) if f[0] == "consultation"]
    assert got == [("consultation", "HK", "2025-06-09")]
    assert ("consultation", "HK", "2025-05-30") in _frames("The rules follow a Hong Kong consultation that ended on May 30.")


def test_distinct_actors_on_one_day_stay_two_events():
    text = ("The PBoC banned crypto derivatives trading on Monday. "
            "On the same day, the NDRC banned new mining projects in Sichuan.")
    bans = [f for f in _frames(text) if f[0] == "ban"]
    assert len(bans) == 2
