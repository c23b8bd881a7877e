import { type Database, openDatabase, runMigrations } from '@sluice/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeedStore } from './feed-store';
import { feedMigrations } from './migrations';

let db: Database;
let store: FeedStore;

beforeAll(async () => {
  db = await openDatabase({ dataDir: 'memory://' });
  await runMigrations(db, 'feeds', feedMigrations);
  store = new FeedStore(db);
}, 60_000);
afterAll(async () => db?.close());

describe('FeedStore', () => {
  it('adds a feed once per URL and lists it', async () => {
    const first = await store.addFeed({ url: 'https://a.example/feed' });
    const again = await store.addFeed({ url: 'https://a.example/feed' });
    expect(again.id).toBe(first.id);
    expect((await store.subscribe({ url: 'https://a.example/feed' })).created).toBe(false);
    expect((await store.subscribe({ url: 'https://a2.example/feed' })).created).toBe(true);
    expect(first.status).toBe('active');
    expect((await store.listFeeds()).map((feed) => feed.url)).toContain('https://a.example/feed');
  });

  it('remembers items and returns only new ones', async () => {
    const feed = await store.addFeed({ url: 'https://b.example/feed' });
    const items = [
      { key: 'guid:1', url: 'https://b.example/1', documentId: 'd1' },
      { key: 'guid:2', url: null, documentId: null },
    ];
    expect(await store.rememberItems(feed.id, items)).toHaveLength(2);
    const next = await store.rememberItems(feed.id, [
      ...items,
      { key: 'guid:3', url: null, documentId: null },
    ]);
    expect(next.map((item) => item.key)).toEqual(['guid:3']);
  });

  it('pauses after the configured number of failures and resumes on success', async () => {
    const feed = await store.addFeed({ url: 'https://c.example/feed' });
    for (let n = 0; n < 2; n++) {
      await store.recordPollFailure(feed.id, {
        code: 'network',
        message: 'down',
        intervalMs: 1000,
        maxFailures: 3,
      });
    }
    expect((await store.getFeed(feed.id))?.status).toBe('active');
    const paused = await store.recordPollFailure(feed.id, {
      code: 'network',
      message: 'down',
      intervalMs: 1000,
      maxFailures: 3,
    });
    expect(paused).toMatchObject({ status: 'paused', consecutiveFailures: 3, lastErrorCode: 'network' });
    await store.recordPollSuccess(feed.id, { intervalMs: 60_000, etag: '"e"' });
    expect(await store.getFeed(feed.id)).toMatchObject({
      status: 'active',
      consecutiveFailures: 0,
      etag: '"e"',
    });
  });

  it('disables a feed on request and moves it to a new URL unless taken', async () => {
    const feed = await store.addFeed({ url: 'https://d.example/feed' });
    const gone = await store.recordPollFailure(feed.id, {
      code: 'gone',
      message: '410',
      intervalMs: 1000,
      maxFailures: 10,
      disable: true,
    });
    expect(gone?.status).toBe('disabled');
    expect(await store.updateFeedUrl(feed.id, 'https://a.example/feed')).toBe(false);
    expect(await store.updateFeedUrl(feed.id, 'https://d.example/new')).toBe(true);
    expect((await store.getFeed(feed.id))?.url).toBe('https://d.example/new');
  });

  it('keeps sitemap URLs de-duplicated', async () => {
    const sitemap = await store.addSitemap('https://e.example/sitemap.xml');
    expect(
      await store.rememberSitemapUrls(sitemap.id, ['https://e.example/1', 'https://e.example/2']),
    ).toHaveLength(2);
    expect(
      await store.rememberSitemapUrls(sitemap.id, ['https://e.example/2', 'https://e.example/3']),
    ).toEqual(['https://e.example/3']);
  });
});
