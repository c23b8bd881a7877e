import { describe, expect, it } from 'vitest';
import { ATOM, JSON_FEED, RDF, RSS2, RSS091, rssWithItems } from './fixtures/sample-feeds';
import { FeedParseError, parseFeedText } from './parse-feed';
import { UnsafeXmlError } from './xml-guard';

const feedUrl = 'https://news.example/feed.xml';

describe('parseFeedText', () => {
  it('normalises RSS 2.0 links, dates, guid and full content', () => {
    const feed = parseFeedText(RSS2, { feedUrl });
    expect(feed.format).toBe('rss');
    expect(feed.ttlMinutes).toBe(45);
    expect(feed.items[0]).toEqual({
      guid: 'ferry-2024',
      url: 'https://news.example/2024/ferry?utm_source=rss',
      title: 'Ferry timetable changes',
      publishedAt: '2024-01-02T09:30:00.000Z',
      updatedAt: null,
      author: 'Ann Quay',
      categories: ['Transport', 'Harbour'],
      language: 'en-gb',
      content: '<p>Full text of the ferry story.</p>',
      summary: 'Short summary & more',
    });
    expect(feed.items[1]?.publishedAt).toBe('2024-01-01T23:00:00.000Z');
  });

  it('reads RSS 0.91 with a public DOCTYPE', () => {
    const feed = parseFeedText(RSS091, { feedUrl: 'http://old.example/rss' });
    expect(feed.items.map((item) => item.url)).toEqual(['http://old.example/one']);
  });

  it('reads Atom with relative links against the site link', () => {
    const feed = parseFeedText(ATOM, { feedUrl: 'https://valley.example/feed.atom' });
    expect(feed.format).toBe('atom');
    expect(feed.items[0]).toMatchObject({
      guid: 'tag:valley.example,2024:bridge',
      url: 'https://valley.example/articles/bridge',
      title: 'Bridge opens',
      publishedAt: '2024-01-03T07:00:00.000Z',
      content: '<p>The bridge opened.</p>',
    });
  });

  it('reads RDF (RSS 1.0) with dc:date', () => {
    const feed = parseFeedText(RDF, { feedUrl: 'https://rdf.example/rss' });
    expect(feed.format).toBe('rdf');
    expect(feed.items[0]).toMatchObject({
      url: 'https://rdf.example/a',
      publishedAt: '2024-01-04T12:00:00.000Z',
    });
  });

  it('reads JSON Feed, turning plain text into HTML paragraphs', () => {
    const feed = parseFeedText(JSON_FEED, { feedUrl: 'https://json.example/feed.json' });
    expect(feed.format).toBe('json');
    expect(feed.items[1]).toMatchObject({
      url: 'https://json.example/posts/2',
      content: '<p>Plain text body</p>',
    });
  });

  it('takes at most maxItems items and says how many were dropped', () => {
    const feed = parseFeedText(rssWithItems(30), { feedUrl, maxItems: 10 });
    expect(feed.items).toHaveLength(10);
    expect(feed.droppedItems).toBe(20);
    expect(feed.items[0]?.title).toBe('Item 0');
  });

  it('rejects a billion-laughs payload before parsing', () => {
    const lol = `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><rss version="2.0"><channel><title>&lol3;</title></channel></rss>`;
    expect(() => parseFeedText(lol, { feedUrl })).toThrow(UnsafeXmlError);
  });

  it('rejects a quadratic blow-up payload before parsing', () => {
    const big = 'x'.repeat(100_000);
    const refs = '&a;'.repeat(100_000);
    const payload = `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "${big}">]><rss version="2.0"><channel><title>${refs}</title></channel></rss>`;
    const started = Date.now();
    expect(() => parseFeedText(payload, { feedUrl })).toThrow(UnsafeXmlError);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('rejects external entities', () => {
    const xxe = `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><rss version="2.0"><channel><title>&xxe;</title></channel></rss>`;
    expect(() => parseFeedText(xxe, { feedUrl })).toThrow(UnsafeXmlError);
  });

  it('does not expand undeclared entity references either', () => {
    const feed = parseFeedText(
      '<rss version="2.0"><channel><title>t</title><item><title>&ghost;</title><link>https://a.example/x</link></item></channel></rss>',
      { feedUrl },
    );
    expect(feed.items[0]?.title).not.toContain('passwd');
  });

  it('refuses things that are not feeds', () => {
    expect(() => parseFeedText('<html><body>hi</body></html>', { feedUrl })).toThrow(FeedParseError);
    expect(() => parseFeedText('{not json', { feedUrl })).toThrow(FeedParseError);
  });
});

describe('parseFeedText on long feeds', () => {
  it('cuts RSS, Atom and RDF after maxItems and still reads the kept items', () => {
    const rss = parseFeedText(rssWithItems(5000), { feedUrl, maxItems: 3 });
    expect([rss.items.length, rss.droppedItems, rss.title]).toEqual([3, 4997, 'news.example']);
    const entries = Array.from(
      { length: 10 },
      (_, i) =>
        `<entry><id>e${i}</id><title>T${i}</title><link href="/e${i}"/><updated>2024-01-01T00:00:00Z</updated></entry>`,
    ).join('');
    const atom = parseFeedText(
      `<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><id>a</id><updated>2024-01-01T00:00:00Z</updated>${entries}</feed>`,
      { feedUrl, maxItems: 4 },
    );
    expect([atom.items.map((item) => item.guid), atom.droppedItems]).toEqual([['e0', 'e1', 'e2', 'e3'], 6]);
    const rdfItems = Array.from(
      { length: 5 },
      (_, i) =>
        `<item rdf:about="https://r.example/${i}"><title>R${i}</title><link>https://r.example/${i}</link></item>`,
    ).join('');
    const rdf = parseFeedText(
      `<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"><channel><title>R</title><link>https://r.example/</link><description>d</description></channel>${rdfItems}</rdf:RDF>`,
      { feedUrl, maxItems: 2 },
    );
    expect([rdf.items.map((item) => item.url), rdf.droppedItems]).toEqual([
      ['https://r.example/0', 'https://r.example/1'],
      3,
    ]);
  });

  it('is not fooled by item tags inside CDATA', () => {
    const tricky = `<rss version="2.0"><channel><title>t</title>
      <item><title>one</title><link>https://a.example/1</link><description><![CDATA[</item></channel></rss>]]></description></item>
      <item><title>two</title><link>https://a.example/2</link></item>
      <item><title>three</title><link>https://a.example/3</link></item></channel></rss>`;
    const feed = parseFeedText(tricky, { feedUrl, maxItems: 2 });
    expect(feed.items.map((item) => item.title)).toEqual(['one', 'two']);
    expect(feed.droppedItems).toBe(1);
  });
});
