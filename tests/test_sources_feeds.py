"""The feed kind against a real local HTTP server: validators, malformed XML, encodings, GUIDs."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from httpserver import LocalServer, Reply, conditional, fetch_settings, local_server, make_source  # noqa: F401

from tracker.sources import Fetcher, Item, ParseError, Validators, poll

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>HKMA press releases</title><link>https://www.hkma.gov.hk/</link>
<language>en</language>
{items}
</channel></rss>"""

ITEM = """<item><title>{title}</title><link>{link}</link><guid isPermaLink="false">{guid}</guid>
<pubDate>{date}</pubDate><description><![CDATA[{body}]]></description></item>"""

ARTICLES = [
    (
        "HKMA grants stablecoin issuer licences",
        "https://www.hkma.gov.hk/eng/news/2025/08/a1.shtml",
        "Fri, 01 Aug 2025 10:00:00 +0800",
        "<p>The HKMA <b>today</b> granted licences.</p><p>Second paragraph.</p>",
    ),
    (
        "SFC warns of suspicious platform",
        "https://www.sfc.hk/en/news/a2",
        "Mon, 04 Aug 2025 18:30:00 +0800",
        "<p>The SFC warns investors.</p>",
    ),
]


def rss(guid_prefix: str = "g", order: tuple[int, ...] = (0, 1), tracking: bool = False) -> bytes:
    items = []
    for i in order:
        title, link, date, body = ARTICLES[i]
        if tracking:
            link += "?utm_source=rss&utm_medium=feed#top"
        items.append(ITEM.format(title=title, link=link, guid=f"{guid_prefix}-{i}", date=date, body=body))
    return RSS.format(items="\n".join(items)).encode("utf-8")


@pytest.fixture
def fetcher():
    f = Fetcher(fetch_settings())
    yield f
    f.close()


def test_rss_items_text_dates_and_etag_304(local_server: LocalServer, fetcher: Fetcher) -> None:
    handler = conditional(rss(), etag='"v1"', last_modified="Fri, 01 Aug 2025 02:00:00 GMT")
    url = local_server.route("/feed.xml", handler)
    source = make_source("hkma", "feed", url)
    first = poll(source, Validators(), fetcher)
    assert not first.not_modified and first.warnings == []
    assert first.validators == Validators('"v1"', "Fri, 01 Aug 2025 02:00:00 GMT")
    item = first.items[0]
    assert item.url == ARTICLES[0][1]
    assert item.title == ARTICLES[0][0]
    assert item.text == "The HKMA today granted licences.\nSecond paragraph."
    assert item.published == datetime(2025, 8, 1, 10, tzinfo=timezone(timedelta(hours=8)))
    assert item.lang == "en" and item.guid == "g-0"

    second = poll(source, first.validators, fetcher)
    assert second.not_modified and second.items == []
    assert second.validators == first.validators
    assert local_server.hits("/feed.xml")[-1].header("If-None-Match") == '"v1"'
    assert local_server.hits("/feed.xml")[-1].header("If-Modified-Since") == "Fri, 01 Aug 2025 02:00:00 GMT"


def test_last_modified_alone_gives_304(local_server: LocalServer, fetcher: Fetcher) -> None:
    url = local_server.route("/lm.xml", conditional(rss(), last_modified="Fri, 01 Aug 2025 02:00:00 GMT"))
    source = make_source("lm", "feed", url)
    first = poll(source, Validators(), fetcher)
    assert first.validators == Validators(None, "Fri, 01 Aug 2025 02:00:00 GMT") and len(first.items) == 2
    assert poll(source, first.validators, fetcher).not_modified


def test_regenerated_guids_and_reordering_give_equal_items(local_server: LocalServer, fetcher: Fetcher) -> None:
    versions = iter([rss("first"), rss("second", order=(1, 0), tracking=True)])
    url = local_server.route("/regen.xml", lambda request: Reply(200, next(versions), {"Content-Type": "text/xml"}))
    source = make_source("regen", "feed", url)
    before = poll(source, Validators(), fetcher).items
    after = poll(source, Validators(), fetcher).items
    assert [i.guid for i in before] != [i.guid for i in after]
    assert set(before) == set(after)  # guid is not part of equality; URLs normalised
    assert {i.url for i in after} == {a[1] for a in ARTICLES}


def test_atom_with_relative_links_and_zh_detection(local_server: LocalServer, fetcher: Fetcher) -> None:
    atom = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>PBoC</title><id>urn:pboc</id>
<updated>2025-08-01T09:00:00+08:00</updated>
<entry><title>中国人民银行关于防范虚拟货币交易炒作风险的公告</title><id>urn:1</id>
<link href="/news/1.html"/><updated>2025-08-01T09:00:00+08:00</updated>
<content type="html">&lt;p&gt;虚拟货币相关业务活动属于非法金融活动。&lt;/p&gt;</content></entry>
<entry><title>No date here</title><id>urn:2</id><link href="https://example.org/2"/>
<summary>Plain summary text, no markup.</summary></entry>
</feed>""".encode()
    url = local_server.route("/atom.xml", Reply(200, atom, {"Content-Type": "application/atom+xml"}))
    items = poll(make_source("pboc", "feed", url, lang="en"), Validators(), fetcher).items
    assert items[0].url == local_server.url("/news/1.html")
    assert items[0].lang == "zh" and items[0].text == "虚拟货币相关业务活动属于非法金融活动。"
    assert items[0].published == datetime(2025, 8, 1, 9, tzinfo=timezone(timedelta(hours=8)))
    assert items[1].published is None and items[1].lang == "en"


def test_malformed_xml_without_entries_is_a_fetch_error(local_server: LocalServer, fetcher: Fetcher) -> None:
    url = local_server.route("/broken.xml", Reply(200, b"<rss><channel><title>oops</ti", {"Content-Type": "text/xml"}))
    with pytest.raises(ParseError) as info:
        poll(make_source("broken", "feed", url), Validators(), fetcher)
    message = str(info.value)
    assert message.startswith("source broken:") and url in message and "\n" not in message


def test_malformed_xml_with_entries_gives_items_and_a_warning(local_server: LocalServer, fetcher: Fetcher) -> None:
    body = rss().replace(b"</channel></rss>", b"<item><title>unclosed & bad</title>")
    url = local_server.route("/bozo.xml", Reply(200, body, {"Content-Type": "text/xml"}))
    result = poll(make_source("bozo", "feed", url), Validators(), fetcher)
    assert len(result.items) >= 2
    assert result.warnings and result.warnings[0].startswith("malformed feed (bozo):")


def test_html_page_is_not_a_feed(local_server: LocalServer, fetcher: Fetcher) -> None:
    url = local_server.route(
        "/page.html", Reply(200, b"<html><body><p>hello</p></body></html>", {"Content-Type": "text/html"})
    )
    with pytest.raises(ParseError):
        poll(make_source("html", "feed", url), Validators(), fetcher)


@pytest.mark.parametrize(
    ("declared", "codec", "header"),
    [("gb2312", "gbk", None), ("GBK", "gb18030", "text/xml; charset=gbk"), ("big5", "big5hkscs", None)],
)
def test_chinese_encodings(
    local_server: LocalServer, fetcher: Fetcher, declared: str, codec: str, header: str | None
) -> None:
    # 镕 is in GBK but not in GB2312; 嘅 is an HKSCS character missing from plain Big5.
    title = "香港金管局發出穩定幣牌照 嘅" if codec == "big5hkscs" else "朱镕基谈金融监管"
    body = (
        f'<?xml version="1.0" encoding="{declared}"?><rss version="2.0"><channel><title>x</title>'
        f"<item><title>{title}</title><link>https://example.cn/1</link>"
        f"<description>{title}。</description></item></channel></rss>"
    ).encode(codec)
    url = local_server.route("/zh.xml", Reply(200, body, {"Content-Type": header or "application/xml"}))
    result = poll(make_source("zh", "feed", url, lang="zh"), Validators(), fetcher)
    assert result.items[0].title == title and result.items[0].lang == "zh"


def test_local_feed_file_and_unchanged_signature(tmp_path, fetcher: Fetcher) -> None:
    path = tmp_path / "feed.xml"
    path.write_bytes(rss())
    source = make_source("local", "feed", str(path))
    first = poll(source, Validators(), fetcher)
    assert [i.title for i in first.items] == [a[0] for a in ARTICLES]
    assert first.validators.etag
    assert poll(source, first.validators, fetcher).not_modified
    path.write_bytes(rss(order=(1,)))
    changed = poll(source, first.validators, fetcher)
    assert not changed.not_modified and len(changed.items) == 1


def test_items_are_frozen_values() -> None:
    a = Item("https://x/1", "t", None, "text", "en", guid="1")
    b = Item("https://x/1", "t", None, "text", "en", guid="2")
    assert a == b and hash(a) == hash(b)
    assert a != Item("https://x/1", "t", None, "other text", "en")


def test_title_only_feed_fetches_new_articles(local_server: LocalServer, fetcher: Fetcher) -> None:
    article = (
        b"<html><head><title>x</title></head><body><nav>menu</nav><article><p>The full text of the "
        b"press release, much longer than its title.</p></article></body></html>"
    )
    local_server.route("/a/1.html", Reply(200, article, {"Content-Type": "text/html"}))
    local_server.route("/a/2.html", Reply(404))
    body = RSS.format(
        items="".join(
            f"<item><title>Title {i}</title><link>{local_server.url(f'/a/{i}.html')}</link></item>" for i in (1, 2, 3)
        )
    ).encode()
    url = local_server.route("/titles.xml", Reply(200, body, {"Content-Type": "application/rss+xml"}))
    source = make_source("titles", "feed", url, options={"fetch_articles": True})
    result = poll(source, Validators(), fetcher, seen=lambda u: u.endswith("/3.html"))
    one, two, three = result.items
    assert one.text == "The full text of the press release, much longer than its title." and one.title == "Title 1"
    assert two.text == "Title 2" and any("HTTP 404" in w for w in result.warnings)
    assert three.text == "Title 3" and local_server.hits("/a/3.html") == []
