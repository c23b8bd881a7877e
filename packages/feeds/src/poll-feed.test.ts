import type { QueueMap } from '@sluice/contracts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MAX_EVENTS_PER_SUBSCRIPTION } from './feed-store';
import { RSS2, rssWithItems } from './fixtures/sample-feeds';
import { type PollDependencies, pollFeedOnce } from './poll-feed';
import type { LocalServer } from './testing/local-server';
import { type PollHarness, startPollHarness } from './testing/poll-harness';

let harness: PollHarness;
let queues: QueueMap;
let server: LocalServer;
let deps: PollDependencies;
let itemCount = 3;
let failures = 0;

beforeAll(async () => {
  harness = await startPollHarness({
    sites: [
      {
        address: '127.0.0.6',
        routes: {
          '/rss': (request, response) => {
            const etag = `"items-${itemCount}"`;
            if (request.headers['if-none-match'] === etag) return response.writeHead(304).end();
            response
              .writeHead(200, { 'content-type': 'application/rss+xml', etag })
              .end(rssWithItems(itemCount));
          },
          '/full': (_q, r) => r.writeHead(200, { 'content-type': 'application/rss+xml' }).end(RSS2),
          '/gone': (_q, r) => r.writeHead(410).end(),
          '/robots.txt': (_q, r) => r.writeHead(200).end('User-agent: *\nDisallow: /private/\n'),
          '/private/rss': (_q, r) => r.writeHead(200).end(rssWithItems(1)),
          '/broken': (_q, r) => {
            failures++;
            r.writeHead(500).end();
          },
          '/old-home': (_q, r) => r.writeHead(301, { location: '/new-home' }).end(),
          '/new-home': (_q, r) => r.writeHead(200).end(rssWithItems(1, { host: 'moved.example' })),
          '/to-private': (_q, r) => r.writeHead(301, { location: 'http://127.0.0.1:9/rss' }).end(),
          '/huge': (_q, r) =>
            r
              .writeHead(200)
              .end(`<rss><channel>${'<item><title>x</title></item>'.repeat(200_000)}</channel></rss>`),
          '/lol': (_q, r) =>
            r.end(
              '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><rss>&b;</rss>',
            ),
        },
      },
    ],
    env: {
      SLUICE_FEED_MAX_FAILURES: '3',
      SLUICE_FEED_MIN_INTERVAL_S: '60',
      SLUICE_FEED_MAX_BYTES: String(1024 * 1024),
    },
  });
  ({ queues, deps } = harness);
  [server] = harness.sites as [LocalServer];
}, 60_000);

afterAll(async () => {
  await harness?.close();
});

beforeEach(async () => {
  await queues.fetch.obliterate({ force: true });
});

const fetchJobs = async () =>
  (await queues.fetch.getJobs(['waiting', 'delayed', 'prioritized'])).map((job) => job.data);

describe('pollFeedOnce', () => {
  it('enqueues new items once, then answers 304 cheaply and only enqueues later additions', async () => {
    const feed = await deps.store.addFeed({ url: `${server.origin}/rss` });
    itemCount = 3;
    const first = await pollFeedOnce(deps, feed.id, { force: true });
    expect(first).toMatchObject({ status: 'polled', items: 3, newItems: 3, enqueued: 3 });
    expect((await fetchJobs()).map((job) => job.url).sort()).toEqual([
      'https://news.example/a/0',
      'https://news.example/a/1',
      'https://news.example/a/2',
    ]);
    // Each job carries its item's own metadata as hints for extraction.
    const job = (await fetchJobs()).find((data) => data.url === 'https://news.example/a/1');
    expect(job?.hints).toMatchObject({ title: 'Item 1', updatedAt: null, categories: [] });
    expect(Date.parse(job?.hints?.publishedAt ?? '')).toBeGreaterThan(Date.now() - 3 * 3600_000);
    // Hourly items: half an hour between polls.
    expect(first.status === 'polled' && first.intervalMs).toBe(30 * 60_000);

    const second = await pollFeedOnce(deps, feed.id, { force: true });
    expect(second.status).toBe('not-modified');
    expect(server.log.at(-1)?.path).toBe('/rss');

    itemCount = 4; // the feed re-lists the three old items plus one new
    const third = await pollFeedOnce(deps, feed.id, { force: true });
    expect(third).toMatchObject({ status: 'polled', items: 4, newItems: 1 });
    expect(await fetchJobs()).toHaveLength(4);
  });

  it('does not poll before the feed is due unless forced', async () => {
    const feed = await deps.store.addFeed({ url: `${server.origin}/rss?due` });
    await pollFeedOnce(deps, feed.id, { force: true });
    expect((await pollFeedOnce(deps, feed.id)).status).toBe('not-due');
  });

  it('hands full content to the pipeline when configured', async () => {
    const feed = await deps.store.addFeed({ url: `${server.origin}/full`, fullContent: true });
    await pollFeedOnce(deps, feed.id, { force: true });
    const jobs = await fetchJobs();
    const ferry = jobs.find((job) => job.url === 'https://news.example/2024/ferry?utm_source=rss');
    expect(ferry?.raw?.body).toContain('Full text of the ferry story.');
    const wall = jobs.find((job) => job.url === 'https://news.example/2024/wall');
    expect(wall?.raw).toBeUndefined();
  });

  it('disables a feed that answers 410 Gone, and says so in its events', async () => {
    const feed = await deps.store.addFeed({ url: `${server.origin}/gone` });
    expect(await pollFeedOnce(deps, feed.id, { force: true })).toMatchObject({
      status: 'failed',
      code: 'gone',
      feedStatus: 'disabled',
    });
    expect((await pollFeedOnce(deps, feed.id)).status).toBe('inactive');
    const events = await deps.store.listEvents({ feedId: feed.id });
    expect(events.map((event) => [event.kind, event.code])).toEqual([
      ['disabled', 'gone'],
      ['failed', 'gone'],
    ]);
    expect(events[0]?.message).toMatch(/410 Gone/);
  });

  it('backs off exponentially and pauses after the configured failures', async () => {
    const feed = await deps.store.addFeed({ url: `${server.origin}/broken` });
    const outcomes = [];
    for (let n = 0; n < 3; n++) outcomes.push(await pollFeedOnce(deps, feed.id, { force: true }));
    expect(outcomes.map((outcome) => outcome.status === 'failed' && outcome.intervalMs)).toEqual([
      60_000, 120_000, 240_000,
    ]);
    expect(outcomes.at(-1)).toMatchObject({ feedStatus: 'paused' });
    expect(await deps.store.getFeed(feed.id)).toMatchObject({ status: 'paused', consecutiveFailures: 3 });
    expect(failures).toBe(3);
    const events = await deps.store.listEvents({ feedId: feed.id });
    expect(events.map((event) => event.kind)).toEqual(['paused', 'failed', 'failed', 'failed']);
    expect(events[0]?.message).toMatch(/after 3 consecutive failures/);
  });

  it('follows a permanent redirect and stores the new URL', async () => {
    const feed = await deps.store.addFeed({ url: `${server.origin}/old-home` });
    const outcome = await pollFeedOnce(deps, feed.id, { force: true });
    expect(outcome).toMatchObject({ status: 'polled', movedTo: `${server.origin}/new-home` });
    expect((await deps.store.getFeed(feed.id))?.url).toBe(`${server.origin}/new-home`);
  });

  it('refuses a redirect to a private address and keeps the stored URL', async () => {
    const feed = await deps.store.addFeed({ url: `${server.origin}/to-private` });
    const outcome = await pollFeedOnce(deps, feed.id, { force: true });
    expect(outcome).toMatchObject({ status: 'failed', feedStatus: 'disabled' });
    expect(['blocked-address', 'blocked-port']).toContain(outcome.status === 'failed' && outcome.code);
    const stored = await deps.store.getFeed(feed.id);
    expect(stored?.url).toBe(`${server.origin}/to-private`);
    expect(stored?.lastError).toMatch(/refus|not allowed/);
    const events = await deps.store.listEvents({ feedId: feed.id });
    expect(events.map((event) => event.kind)).toEqual(['disabled', 'refused']);
  });

  it('records oversized and hostile feeds as failures', async () => {
    const huge = await deps.store.addFeed({ url: `${server.origin}/huge` });
    expect(await pollFeedOnce(deps, huge.id, { force: true })).toMatchObject({ code: 'body-too-large' });
    const lol = await deps.store.addFeed({ url: `${server.origin}/lol` });
    expect(await pollFeedOnce(deps, lol.id, { force: true })).toMatchObject({ code: 'unsafe-xml' });
    const [refusal] = await deps.store.listEvents({ feedId: lol.id });
    expect(refusal).toMatchObject({ kind: 'refused', code: 'unsafe-xml' });
  });

  it('keeps only the newest events of a feed', async () => {
    const feed = await deps.store.addFeed({ url: `${server.origin}/events-bound` });
    for (let n = 0; n < MAX_EVENTS_PER_SUBSCRIPTION + 5; n++) {
      await deps.store.recordEvent({ feedId: feed.id }, { kind: 'failed', code: `e${n}` });
    }
    const events = await deps.store.listEvents({ feedId: feed.id });
    expect(events).toHaveLength(MAX_EVENTS_PER_SUBSCRIPTION);
    expect(events[0]?.code).toBe(`e${MAX_EVENTS_PER_SUBSCRIPTION + 4}`);
    expect(events.at(-1)?.code).toBe('e5');
  });

  it('waits (delays) while the host is at its concurrency cap, shared with page fetches', async () => {
    const feed = await deps.store.addFeed({ url: `${server.origin}/rss?busy` });
    const host = new URL(feed.url).host;
    const slots = [await deps.limits.acquire(host), await deps.limits.acquire(host)];
    expect(slots.every(Boolean)).toBe(true);
    const requests = server.log.length;
    try {
      expect(await pollFeedOnce(deps, feed.id, { force: true })).toMatchObject({
        status: 'delayed',
        reason: 'host-busy',
      });
      expect(server.log.length).toBe(requests);
    } finally {
      for (const release of slots) await release?.();
    }
    expect(await pollFeedOnce(deps, feed.id, { force: true })).toMatchObject({ status: 'polled' });
    // The poll gave its slot back.
    const again = await deps.limits.acquire(host);
    expect(again).not.toBeNull();
    await again?.();
  });

  it('ignores robots.txt for feeds by default, and honours it when configured (a recorded skip)', async () => {
    const feed = await deps.store.addFeed({ url: `${server.origin}/private/rss` });
    expect(await pollFeedOnce(deps, feed.id, { force: true })).toMatchObject({ status: 'polled' });

    const strict = { ...deps, settings: { ...deps.settings, feedsObeyRobots: true } };
    const requests = server.log.filter((entry) => entry.path === '/private/rss').length;
    const outcome = await pollFeedOnce(strict, feed.id, { force: true });
    expect(outcome).toMatchObject({ status: 'skipped', code: 'robots-disallowed' });
    expect(server.log.filter((entry) => entry.path === '/private/rss').length).toBe(requests);
    expect(await deps.store.getFeed(feed.id)).toMatchObject({
      status: 'active',
      consecutiveFailures: 0,
      lastErrorCode: 'robots-disallowed',
    });
    const [skip] = await deps.store.listEvents({ feedId: feed.id });
    expect(skip).toMatchObject({ kind: 'skipped', code: 'robots-disallowed' });
    expect(skip?.message).toMatch(/robots\.txt disallows/);
  });
});
