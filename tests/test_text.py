"""Main text: boilerplate blocks go, real content stays, sentences split in English and Chinese."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from tracker.htmlpage import parse_page
from tracker.text import clean_text, content_spans, split_sentences

ARTICLE = (
    "The regulator said on Monday it had approved the first licences for stablecoin issuers. "
    "Officials expect more approvals next year."
)
PAGE = f"""Example Crypto Daily
Home | Markets | Policy | DeFi | Research | Events
BTC $64,210.55 +1.20% | ETH $3,100.40 -0.84% | SOL $140.10 +2.05%
We use cookies to improve your experience. Accept all | Settings

Hong Kong grants first stablecoin licences
By Desk Writer | Updated 2026-03-02 09:00 HKT | 3 min read

{ARTICLE}

A second paragraph explains that the mainland ban on crypto trading, in force since 2021, is unchanged.

Share: X | Facebook | LinkedIn
Tags: #Stablecoins #HongKong
Disclaimer: Nothing here is investment advice. Prices are indicative.

Related Stories

Regulator Bans Crypto Lending in 2019
Example Crypto Daily2026/02/27 10:00
Exchange Fined for AML Failures
Example Crypto Daily2026/02/25 08:30
Another story says Beijing launched a sandbox in March, which is not this article's event.
"""


def test_boilerplate_blocks_are_removed_and_content_kept():
    cleaned = clean_text(PAGE)
    assert ARTICLE in cleaned
    assert "in force since 2021" in cleaned
    for junk in (
        "Home | Markets",
        "BTC $64,210.55",
        "cookies",
        "Share:",
        "Tags:",
        "Disclaimer",
        "Related Stories",
        "Bans Crypto Lending",
        "2026/02/27",
        "Beijing launched a sandbox",
        "min read",
    ):
        assert junk not in cleaned, junk


def test_spans_point_into_the_input():
    for s, e in content_spans(PAGE):
        assert PAGE[s:e].strip() == PAGE[s:e]
    assert any(PAGE[s:e] == ARTICLE for s, e in content_spans(PAGE))


def test_repeated_teaser_is_dropped_but_its_paragraph_stays():
    para = "Industry experts are calling for closer cooperation between the two regions on digital assets."
    text = f"{para[:70]}…{para[:60]}…\n\nTitle line of the story\n\n{para}\n\n{para}\n\nAnother real paragraph follows here, with facts."
    cleaned = clean_text(text)
    assert cleaned.count(para) == 1
    assert "…" not in cleaned
    assert "Another real paragraph follows here" in cleaned


def test_early_related_heading_does_not_swallow_the_article():
    text = "Read more:\n\n" + ARTICLE + "\n\nSecond paragraph with real news about the SFC and its circular."
    cleaned = clean_text(text)
    assert ARTICLE in cleaned and "Second paragraph" in cleaned


def _sents(text, lang=None):
    return [text[s:e] for s, e in split_sentences(text, lang)]


def test_english_sentences_respect_abbreviations():
    text = (
        "The rules take effect on Oct. 13, 2025 in the U.S. and Hong Kong. Mr. Lee filed No. 5 today. "
        "Prices rose 2.5 per cent! Will it last? “Yes,” he said. The end"
    )
    assert _sents(text, "en") == [
        "The rules take effect on Oct. 13, 2025 in the U.S. and Hong Kong.",
        "Mr. Lee filed No. 5 today.",
        "Prices rose 2.5 per cent!",
        "Will it last?",
        "“Yes,” he said.",
        "The end",
    ]


def test_line_breaks_end_sentences_but_wrapped_lines_do_not():
    text = "Heading without a period\nThe SFC issued a circular on\nvirtual assets today."
    assert _sents(text) == ["Heading without a period", "The SFC issued a circular on\nvirtual assets today."]


def test_chinese_sentences():
    text = "香港《穩定幣條例》昨日正式生效。金管局表示：「首批牌照明年初發出！」市場反應如何？內地仍然禁止；業界關注。"
    assert _sents(text, "zh") == [
        "香港《穩定幣條例》昨日正式生效。",
        "金管局表示：「首批牌照明年初發出！」",
        "市場反應如何？",
        "內地仍然禁止；",
        "業界關注。",
    ]


HTML = """<!doctype html><html><head>
<title>SFC issues circular | Example News</title>
<meta property="og:title" content="SFC issues circular on tokenised products">
<meta property="article:published_time" content="2023-11-02T18:30:00+08:00">
</head><body>
<nav><a href="/">Home</a> | <a href="/markets">Markets</a> | <a href="/policy">Policy</a></nav>
<article>
<h1>SFC issues circular on tokenised products</h1>
<p>The Securities and Futures Commission issued two circulars on Thursday setting out its approach to
tokenised securities and to intermediaries that deal in them.</p>
<p>The regulator said tokenised securities are fundamentally traditional securities with a tokenisation
wrapper, and that existing rules continue to apply to them in full.</p>
<p>Intermediaries must manage the new risks that tokenisation brings, including ownership records and
cybersecurity, the circulars said.</p>
</article>
<aside><h3>You may also like</h3><p>Bitcoin falls 5% as traders take profits</p></aside>
<footer>© Example News 2023. All rights reserved.</footer>
</body></html>"""


def test_html_main_text_title_and_published():
    page = parse_page(HTML, url="https://news.example/sfc-circular")
    assert page.title == "SFC issues circular on tokenised products"
    assert page.published == datetime(2023, 11, 2, 18, 30, tzinfo=timezone(timedelta(hours=8)))
    assert "issued two circulars on Thursday" in page.text
    assert "existing rules continue to apply" in page.text
    assert "Bitcoin falls" not in page.text
    assert "All rights reserved" not in page.text


def test_html_date_from_time_element_and_selectolax_fallback():
    html = "<html><body><article><time datetime='2024-03-12'>12 March</time><p>Short.</p></article></body></html>"
    page = parse_page(html)
    assert page.published == datetime(2024, 3, 12)
    assert page.title is None


def test_related_headline_lists_disclaimers_and_copyright_lines_go():
    page = (
        "The Hong Kong Monetary Authority granted two stablecoin licences on Monday.\n\n"
        "Officials said more approvals would follow next year.\n\n"
        "More For You\n"
        "Regulator Approves Tokenised Bond Fund   Mar 3, 2025\n"
        "Exchange Fined Over Listing Rules   Feb 27, 2025\n\n"
        "This article is for information only and should not be taken as investment advice.\n"
        "Copyright 2025 Example Media. All rights reserved.\n"
    )
    cleaned = clean_text(page)
    assert "granted two stablecoin licences" in cleaned and "more approvals" in cleaned
    for gone in (
        "More For You",
        "Tokenised Bond Fund",
        "Fined Over Listing",
        "information only",
        "All rights reserved",
    ):
        assert gone not in cleaned


def test_chinese_related_lists_and_risk_notices_go():
    page = (
        "香港證監會今日向兩家交易平台批出牌照。\n\n"
        "【風險提示】本文僅代表作者觀點，不構成任何投資建議。\n"
        "延伸閱讀：\n"
        "— 金管局公布代幣化存款沙盒第二階段　2025-05-20\n"
        "— 證監會就質押服務發出通函　2025-04-11\n"
    )
    cleaned = clean_text(page)
    assert "批出牌照" in cleaned
    for gone in ("風險提示", "延伸閱讀", "沙盒第二階段", "質押服務"):
        assert gone not in cleaned
    page2 = (
        "内地监管部门上月暂停相关业务。\n\n"
        "相关阅读\n"
        "央行发布数字人民币试点新规　2025年5月20日\n"
        "风险提示：本文不构成投资建议。\n"
        "版权所有 © 2025 示例财经\n"
    )
    cleaned = clean_text(page2)
    assert "暂停相关业务" in cleaned
    for gone in ("相关阅读", "试点新规", "风险提示", "版权所有"):
        assert gone not in cleaned


def test_a_content_sentence_ending_in_a_date_is_kept():
    page = "The SFC said the new rules would apply from 1 June 2025.\n\nThe consultation ran until 2025-03-31.\n"
    cleaned = clean_text(page)
    assert "apply from 1 June 2025" in cleaned and "ran until 2025-03-31" in cleaned


def test_a_firm_name_ending_in_its_suffix_can_end_a_sentence():
    from tracker.text import split_sentences

    text = "The SFC revoked the licence of Example Crypto Ltd. The new rules take effect on 1 March. Shares of A Co. Ltd. rose."
    assert [text[a:b] for a, b in split_sentences(text)] == [
        "The SFC revoked the licence of Example Crypto Ltd.",
        "The new rules take effect on 1 March.",
        "Shares of A Co. Ltd. rose.",
    ]
