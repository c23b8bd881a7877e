import { describe, expect, it } from 'vitest';
import { commonFeedUrls, discoverFeedLinks } from './discover';
import { readOpml, writeOpml } from './opml';

describe('discoverFeedLinks', () => {
  it('finds advertised feeds, resolved against <base>', () => {
    const html = `<html><head><base href="https://site.example/blog/">
      <link rel="alternate" type="application/rss+xml" href="rss.xml">
      <link rel="alternate" type="application/atom+xml" href="/atom.xml">
      <link rel="alternate" hreflang="de" href="/de/">
      <link rel="stylesheet" type="text/css" href="/x.css">
      <link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
      </head></html>`;
    expect(discoverFeedLinks(html, 'https://site.example/')).toEqual([
      'https://site.example/blog/rss.xml',
      'https://site.example/atom.xml',
    ]);
  });

  it('offers common paths as a fallback', () => {
    expect(commonFeedUrls('https://site.example/some/page')).toContain('https://site.example/feed.xml');
  });
});

describe('OPML', () => {
  it('reads nested outlines and round-trips what it writes', () => {
    const opml = `<?xml version="1.0"?><opml version="2.0"><head><title>x</title></head><body>
      <outline text="News"><outline text="A" type="rss" xmlUrl="https://a.example/feed" htmlUrl="https://a.example/"/>
      <outline text="B" xmlUrl="https://b.example/rss"/></outline>
      <outline text="dup" xmlUrl="https://a.example/feed"/><outline text="bad" xmlUrl="file:///etc/passwd"/></body></opml>`;
    const feeds = readOpml(opml);
    expect(feeds).toEqual([
      { url: 'https://a.example/feed', title: 'A', siteUrl: 'https://a.example/' },
      { url: 'https://b.example/rss', title: 'B', siteUrl: null },
    ]);
    expect(readOpml(writeOpml(feeds))).toEqual(feeds);
    // No subscriptions is a valid, empty export.
    expect(readOpml(writeOpml([]))).toEqual([]);
  });

  it('refuses OPML with entity declarations', () => {
    expect(() => readOpml('<!DOCTYPE opml [<!ENTITY a "b">]><opml><body/></opml>')).toThrow(/entities/);
  });
});
