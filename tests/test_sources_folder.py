"""The folder kind: .jsonl, .html and .txt documents, bad files as warnings, no mtime dates."""

from __future__ import annotations

import json
import os
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from httpserver import fetch_settings, make_source

from tracker.sources import Fetcher, FetchError, Validators, poll


@pytest.fixture
def fetcher():
    f = Fetcher(fetch_settings())
    yield f
    f.close()


def write_docs(root: Path) -> None:
    lines = [
        {
            "id": "d1",
            "published": "2025-08-01T09:30:00+08:00",
            "title": "SFC licences platform",
            "url": "https://www.sfc.hk/en/news/1?utm_source=x",
            "text": "The SFC granted a licence today.",
            "lang": "en",
        },
        {"id": "d2", "published": "2025-07-15", "text": "香港金融管理局今日宣布穩定幣條例於八月一日生效。"},
        {"id": "d3", "published": None, "text": "No date and no URL."},
    ]
    text = "\n".join(json.dumps(line, ensure_ascii=False) for line in lines)
    text += '\nthis is not json\n\n{"id": "d4"}\n'
    (root / "docs.jsonl").write_text(text, encoding="utf-8")
    (root / "article.html").write_bytes(
        """<html lang="zh-CN"><head><meta charset="gbk"><title>证监会通报</title>
<meta property="article:published_time" content="2025-06-30T18:00:00+08:00">
<link rel="canonical" href="https://www.csrc.gov.cn/news/1.html"></head>
<body><nav>首页 | 新闻</nav><article><h1>证监会通报</h1><p>证监会依法查处朱镕基案例之外的违法行为。</p></article></body></html>""".encode(
            "gbk"
        )
    )
    (root / "with-header.txt").write_text(
        "Title: LegCo passes stablecoin bill\nPublished: 2025-05-21 16:00\nURL: https://www.legco.gov.hk/x\n\n"
        "The Legislative Council passed the Stablecoins Bill on Wednesday.\n",
        encoding="utf-8",
    )
    (root / "plain.txt").write_text("Just text without any header, about a licence pause.\n", encoding="utf-8")
    (root / "empty.txt").write_text("", encoding="utf-8")
    (root / "ignored.pdf").write_bytes(b"%PDF-1.4")
    (root / ".hidden.txt").write_text("hidden", encoding="utf-8")


def test_folder_reads_all_three_kinds(tmp_path: Path, fetcher: Fetcher) -> None:
    write_docs(tmp_path)
    os.utime(tmp_path / "plain.txt", (1_600_000_000, 1_600_000_000))
    result = poll(make_source("archive", "folder", str(tmp_path)), Validators(), fetcher)
    by_title = {i.title: i for i in result.items}
    jsonl = [i for i in result.items if i.guid in ("d1", "d2", "d3")]
    assert [i.guid for i in jsonl] == ["d1", "d2", "d3"]
    d1, d2, d3 = jsonl
    assert d1.url == "https://www.sfc.hk/en/news/1" and d1.lang == "en"
    assert d1.published == datetime(2025, 8, 1, 9, 30, tzinfo=timezone(timedelta(hours=8)))
    assert d2.published == datetime(2025, 7, 15) and d2.lang == "zh"
    assert d3.published is None and d3.url == (tmp_path / "docs.jsonl").as_uri() + "?id=d3"

    html = by_title["证监会通报"]
    assert html.url == "https://www.csrc.gov.cn/news/1.html" and html.lang == "zh"
    assert "证监会依法查处朱镕基案例之外的违法行为。" in html.text
    assert html.published == datetime(2025, 6, 30, 18, tzinfo=timezone(timedelta(hours=8)))

    header = by_title["LegCo passes stablecoin bill"]
    assert header.published == datetime(2025, 5, 21, 16, 0) and header.url == "https://www.legco.gov.hk/x"
    assert header.text == "The Legislative Council passed the Stablecoins Bill on Wednesday."

    plain = [i for i in result.items if i.text.startswith("Just text")][0]
    assert plain.published is None and plain.title is None  # mtime is not a publication date
    assert plain.url == (tmp_path / "plain.txt").as_uri()

    assert len(result.items) == 6
    warnings = " | ".join(result.warnings)
    assert "docs.jsonl:4: not JSON" in warnings and "docs.jsonl:6:" in warnings
    assert "empty.txt: no text" in warnings and "hidden" not in warnings and "pdf" not in warnings


def test_unchanged_folder_is_not_modified(tmp_path: Path, fetcher: Fetcher) -> None:
    write_docs(tmp_path)
    source = make_source("archive", "folder", str(tmp_path))
    first = poll(source, Validators(), fetcher)
    assert poll(source, first.validators, fetcher).not_modified
    (tmp_path / "new.txt").write_text("A new document.", encoding="utf-8")
    again = poll(source, first.validators, fetcher)
    assert not again.not_modified and len(again.items) == len(first.items) + 1


def test_bad_file_is_a_warning_not_a_crash(tmp_path: Path, fetcher: Fetcher) -> None:
    (tmp_path / "good.txt").write_text("Good text.", encoding="utf-8")
    (tmp_path / "big.txt").write_bytes(b"x" * 2000)
    small = Fetcher(fetch_settings(max_body_bytes=1000))
    try:
        result = poll(make_source("f", "folder", str(tmp_path)), Validators(), small)
    finally:
        small.close()
    assert [i.text for i in result.items] == ["Good text."]
    assert any(w.startswith("big.txt:") for w in result.warnings)


def test_missing_folder_is_a_fetch_error(tmp_path: Path, fetcher: Fetcher) -> None:
    with pytest.raises(FetchError, match="source gone: .*not a folder"):
        poll(make_source("gone", "folder", str(tmp_path / "nope")), Validators(), fetcher)


def test_txt_unreadable_published_is_a_warning(tmp_path: Path, fetcher: Fetcher) -> None:
    (tmp_path / "when.txt").write_text("Title: Someday\nPublished: next tuesday\n\nThe SFC said so.\n", "utf-8")
    result = poll(make_source("f", "folder", str(tmp_path)), Validators(), fetcher)
    (item,) = result.items
    assert item.published is None and item.title == "Someday" and item.text == "The SFC said so."
    assert result.warnings == ["when.txt: unreadable \"Published\" 'next tuesday'; kept without a date"]


def test_txt_and_jsonl_are_utf8_and_other_bytes_are_a_warning(tmp_path: Path, fetcher: Fetcher) -> None:
    (tmp_path / "bom8.txt").write_bytes(b"\xef\xbb\xbfTitle: Eight\n\nCaf\xc3\xa9 licence.\n")
    (tmp_path / "bom16.txt").write_bytes("Title: Sixteen\n\n香港 licence.\n".encode("utf-16"))  # BOM first
    latin = b"Title: Latin\n\nCaf\xe9 licence.\n"
    (tmp_path / "latin.txt").write_bytes(latin)
    fake16 = b"\xff\xfeTitle: Fake\n\nCaf\xe9 licence!\n"  # a UTF-16 mark, then bytes that are not UTF-16
    assert len(fake16) % 2 == 1
    (tmp_path / "fake16.txt").write_bytes(fake16)
    (tmp_path / "docs.jsonl").write_bytes(b'{"id": "a", "text": "Caf\xe9 licence."}\n')
    result = poll(make_source("f", "folder", str(tmp_path)), Validators(), fetcher)
    by_title = {i.title: i.text for i in result.items}
    assert by_title["Eight"] == "Café licence."
    assert by_title["Sixteen"] == "香港 licence."
    assert by_title["Latin"] == "Caf\ufffd licence."  # replaced, not read in a guessed codepage
    assert by_title["Fake"] == "Caf\ufffd licence!"  # the false mark dropped, the rest read as UTF-8
    assert [i.text for i in result.items if i.guid == "a"] == ["Caf\ufffd licence."]
    warned = sorted(w.split(":")[0] for w in result.warnings)
    assert warned == ["docs.jsonl", "fake16.txt", "latin.txt"]
    assert all("not UTF-8" in w and "replacement" in w for w in result.warnings)
