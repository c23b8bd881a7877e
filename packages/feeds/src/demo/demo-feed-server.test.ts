import { fetchPage } from '@sluice/http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFeedText } from '../parse-feed';
import { type DemoFeedServer, startDemoFeedServer } from './demo-feed-server';

let demo: DemoFeedServer;

beforeAll(async () => {
  demo = await startDemoFeedServer([
    {
      slug: 'harbour-bridge-reopens',
      headline: 'Harbour bridge reopens',
      publishedAt: '2026-03-14T07:30:00+01:00',
      renderHtml: (url) =>
        `<html><head><link rel="canonical" href="${url}"></head><body><p>Bridge</p></body></html>`,
    },
    {
      slug: 'ferry-strike-ends',
      headline: 'Ferry strike ends',
      publishedAt: '2026-03-15T09:00:00Z',
      renderHtml: () => '<p>Ferries</p>',
    },
  ]);
});
afterAll(async () => demo?.close());

describe('startDemoFeedServer', () => {
  it('serves a feed whose items lead to the article pages, through the guarded fetch', async () => {
    const policy = { allowPrivateHosts: [demo.allowHost], allowedPorts: [demo.port] };
    const feedPage = await fetchPage(demo.feedUrl, policy);
    const feed = parseFeedText(Buffer.from(feedPage.body).toString(), { feedUrl: demo.feedUrl });
    expect(feed.items.map((item) => item.publishedAt)).toEqual([
      '2026-03-14T06:30:00.000Z',
      '2026-03-15T09:00:00.000Z',
    ]);
    const article = await fetchPage(feed.items[0]!.url!, policy);
    expect(Buffer.from(article.body).toString()).toContain(
      `href="${demo.origin}/articles/harbour-bridge-reopens"`,
    );
    const again = await fetchPage(demo.feedUrl, {
      ...policy,
      headers: { 'if-none-match': feedPage.headers.etag! },
    });
    expect(again.notModified).toBe(true);
  });
});
