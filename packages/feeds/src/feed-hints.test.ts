import { FetchJobSchema } from '@sluice/contracts';
import { describe, expect, it } from 'vitest';
import { feedHintsOf, sitemapHintsOf } from './feed-hints';
import { ATOM, JSON_FEED, RSS2 } from './fixtures/sample-feeds';
import { type FeedItem, parseFeedText } from './parse-feed';

describe('feedHintsOf', () => {
  it("passes an RSS item's pubDate, title, author and categories", () => {
    const [item] = parseFeedText(RSS2, { feedUrl: 'https://news.example/feed.xml' }).items;
    expect(feedHintsOf(item!)).toEqual({
      publishedAt: '2024-01-02T09:30:00.000Z',
      updatedAt: null,
      title: 'Ferry timetable changes',
      author: 'Ann Quay',
      categories: ['Transport', 'Harbour'],
      lang: 'en-gb',
    });
  });

  it('keeps Atom published and updated apart', () => {
    const [item] = parseFeedText(ATOM, { feedUrl: 'https://valley.example/feed.atom' }).items;
    expect(feedHintsOf(item!)).toEqual({
      publishedAt: '2024-01-03T07:00:00.000Z',
      updatedAt: '2024-01-03T08:00:00.000Z',
      title: 'Bridge opens',
      author: 'Ben Span',
      categories: ['Infrastructure'],
      lang: null,
    });
  });

  it('does not pass an update time off as the publication time', () => {
    const item: FeedItem = {
      ...parseFeedText(JSON_FEED, { feedUrl: 'https://json.example/feed.json' }).items[0]!,
      publishedAt: '2024-01-05T07:00:00.000Z',
      updatedAt: '2024-01-05T07:00:00.000Z',
    };
    expect(feedHintsOf(item)).toMatchObject({ publishedAt: null, updatedAt: '2024-01-05T07:00:00.000Z' });
  });

  it('bounds what it passes so the fetch job stays valid and small', () => {
    const item: FeedItem = {
      guid: null,
      url: 'https://news.example/x',
      title: `${'word '.repeat(200)}`,
      publishedAt: null,
      updatedAt: null,
      author: 'x'.repeat(300),
      categories: Array.from({ length: 40 }, (_, i) => `category ${i} ${'y'.repeat(120)}`),
      content: null,
      summary: null,
      language: 'en-gb',
    };
    const hints = feedHintsOf(item);
    expect(hints.title!.length).toBeLessThanOrEqual(500);
    expect(hints.title!.endsWith('word')).toBe(true);
    expect(hints.categories).toHaveLength(20);
    const job = { documentId: 'a'.repeat(32), url: item.url, hints, enqueuedAt: new Date().toISOString() };
    expect(FetchJobSchema.safeParse(job).success).toBe(true);
  });
});

describe('sitemapHintsOf', () => {
  it("passes a news entry's publication date and title, never lastmod", () => {
    const entry = {
      url: 'https://news.example/a',
      lastmod: '2024-01-09T00:00:00.000Z',
      newsTitle: 'Story A',
    };
    expect(sitemapHintsOf({ ...entry, publishedAt: '2024-01-02T09:00:00.000Z' })).toEqual({
      publishedAt: '2024-01-02T09:00:00.000Z',
      updatedAt: null,
      title: 'Story A',
      author: null,
      categories: [],
    });
    expect(sitemapHintsOf({ ...entry, newsTitle: null, publishedAt: null })).toBeNull();
  });
});
