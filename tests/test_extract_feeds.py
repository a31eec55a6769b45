"""Feeds, sitemaps and the WordPress REST API: real and constructed lists, and hostile XML."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mfa_scraper.page.feeds import (
    FeedError,
    feed_links,
    is_post_sitemap,
    parse_feed,
    parse_sitemap,
    parse_wp_posts,
    sniff,
)

PAGES = Path(__file__).parent / "pages"
STATE_FEED = (
    PAGES / "mirror" / "www.state.gov" / "rss-feed" / "press-releases" / "feed" / "index.html"
)
BLOG = PAGES / "mirror" / "natethayer.wordpress.com"


def test_real_wordpress_rss_feed():
    entries = parse_feed(
        STATE_FEED.read_bytes(), "https://www.state.gov/rss-feed/press-releases/feed/"
    )
    assert len(entries) == 10
    kenya = entries[2]
    assert kenya.url == "https://www.state.gov/kenyan-general-elections/"
    assert kenya.title == "Kenyan General Elections"
    assert kenya.author == "Antony J. Blinken, Secretary of State"
    assert kenya.published == "2022-08-03T14:26:17+00:00"
    assert kenya.content_html.startswith("<p>Antony J. Blinken, Secretary of State</p>")
    assert sniff(STATE_FEED.read_bytes()) == "rss"


def test_atom_feed():
    atom = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>
<entry><title>Post</title><link rel="alternate" href="/2020/01/post/"/>
<id>tag:x,2020:1</id><published>2020-01-02T03:04:05Z</published>
<author><name>A. Writer</name></author><content type="html">&lt;p&gt;Hi&lt;/p&gt;</content></entry>
</feed>"""
    assert sniff(atom) == "atom"
    [entry] = parse_feed(atom, "https://blog.example.org/feed.atom")
    assert (entry.url, entry.title, entry.author, entry.published, entry.content_html) == (
        "https://blog.example.org/2020/01/post/", "Post", "A. Writer",
        "2020-01-02T03:04:05+00:00", "<p>Hi</p>",
    )  # fmt: skip


def test_sitemap_index_and_urlset():
    index = parse_sitemap(
        (BLOG / "wp-sitemap.xml").read_bytes(), "https://natethayer.wordpress.com/wp-sitemap.xml"
    )
    assert index.kind == "index"
    posts = [e.url for e in index.entries if is_post_sitemap(e.url)]
    assert posts == ["https://natethayer.wordpress.com/wp-sitemap-posts-post-1.xml"]
    urlset = parse_sitemap((BLOG / "wp-sitemap-posts-post-1.xml").read_bytes(), posts[0])
    assert urlset.kind == "urlset"
    assert urlset.entries[0].lastmod == "2013-01-25T04:23:56+00:00"
    assert is_post_sitemap("https://x.org/post-sitemap2.xml")
    assert not is_post_sitemap("https://x.org/wp-sitemap-users-1.xml")


def test_wordpress_rest_api():
    body = (BLOG / "wp-json" / "wp" / "v2" / "posts").read_bytes()
    [post] = parse_wp_posts(body, "https://natethayer.wordpress.com/wp-json/wp/v2/posts")
    assert post.published == "2013-01-25T04:23:56+00:00"
    assert post.title == "Has Kim Jong Un Had Plastic Surgery? China Says: No Comment"
    with pytest.raises(FeedError, match="rest_no_route"):
        parse_wp_posts(json.dumps({"code": "rest_no_route"}), "https://x.org/wp-json/wp/v2/posts")
    with pytest.raises(FeedError):
        parse_wp_posts(b"<html>Technical Difficulties</html>", "https://x.org/wp-json/wp/v2/posts")


def test_feed_links_of_a_real_wordpress_page(page):
    html = page("wordpress", "natethayer.wordpress.com.china-says-no-comment.html")
    # the comments feed is left out: readers' words are not posts
    assert feed_links(html, "https://natethayer.wordpress.com/") == [
        "https://natethayer.wordpress.com/feed/"
    ]


@pytest.mark.parametrize(
    "xml",
    [
        # billion laughs
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
        b"<rss><channel><item><title>&b;</title><link>http://x/</link></item></channel></rss>",
        # external entity (XXE)
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b"<urlset><url><loc>&x;</loc></url></urlset>",
    ],
)
def test_hostile_xml_is_refused(xml):
    with pytest.raises(FeedError, match="unsafe"):
        parse_feed(xml, "http://x/") if b"<rss" in xml else parse_sitemap(xml, "http://x/")


def test_not_a_feed():
    with pytest.raises(FeedError):
        parse_feed(b"<html><body>hello</body></html>", "http://x/")
    with pytest.raises(FeedError):
        parse_sitemap(b"<rss version='2.0'><channel/></rss>", "http://x/")
    assert sniff(b"<!DOCTYPE html><html>") == "html"
    assert sniff(b"\xef\xbb\xbf  [{}]") == "json"
