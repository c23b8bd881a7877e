import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rssWithItems } from './fixtures/sample-feeds';
import { createPageFetcher } from './page-fetcher';
import { type PollDependencies, pollFeedOnce } from './poll-feed';
import type { Handler, LocalServer } from './testing/local-server';
import { type PollHarness, startPollHarness } from './testing/poll-harness';

let harness: PollHarness;
let redis: Redis;
let site: LocalServer;
let polite: LocalServer;
let deps: PollDependencies;
let refuseWith: string | null = null;

/** An hourly feed answering 304 to its own ETag; `<ttl>` on `/ttl`. */
const conditional =
  (body: () => string): Handler =>
  (request, response) => {
    if (request.headers['if-none-match'] === '"v1"') return response.writeHead(304).end();
    response.writeHead(200, { 'content-type': 'application/rss+xml', etag: '"v1"' }).end(body());
  };

beforeAll(async () => {
  harness = await startPollHarness({
    sites: [
      {
        address: '127.0.0.10',
        routes: {
          '/hourly': conditional(() => rssWithItems(5)),
          '/ttl': conditional(() => rssWithItems(5).replace('<channel>', '<channel><ttl>150</ttl>')),
          '/limited': (_q, r) => {
            if (refuseWith) return r.writeHead(503, { 'retry-after': refuseWith }).end();
            r.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rssWithItems(2));
          },
        },
      },
      {
        address: '127.0.0.11',
        routes: {
          '/robots.txt': (_q, r) => r.end('User-agent: *\nCrawl-delay: 1\n'),
          '/feed': (_q, r) =>
            r.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rssWithItems(2)),
          '/page': (_q, r) => r.writeHead(200, { 'content-type': 'text/html' }).end('<p>page</p>'),
        },
      },
    ],
    env: { SLUICE_FEED_MIN_INTERVAL_S: '60' },
  });
  ({ redis, deps } = harness);
  [site, polite] = harness.sites as [LocalServer, LocalServer];
}, 60_000);

afterAll(async () => {
  await harness?.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('an unchanged feed (304)', () => {
  it('keeps its learnt cadence and backs off gently, never jumping to hours', async () => {
    const feed = await deps.store.addFeed({ url: `${site.origin}/hourly` });
    const first = await pollFeedOnce(deps, feed.id, { force: true });
    // Hourly items: every half hour.
    expect(first).toMatchObject({ status: 'polled', intervalMs: 30 * 60_000 });
    expect(await deps.store.getFeed(feed.id)).toMatchObject({ cadenceMs: 30 * 60_000 });
    const intervals: number[] = [];
    for (let poll = 0; poll < 8; poll++) {
      const outcome = await pollFeedOnce(deps, feed.id, { force: true });
      expect(outcome.status).toBe('not-modified');
      if (outcome.status === 'not-modified') intervals.push(outcome.intervalMs);
    }
    expect(intervals[0]).toBe(37.5 * 60_000);
    for (let index = 1; index < intervals.length; index++) {
      expect(intervals[index]!).toBeGreaterThanOrEqual(intervals[index - 1]!);
    }
    // Never beyond four times the cadence (2 h), however long it stays unchanged.
    expect(intervals.at(-1)).toBe(120 * 60_000);
    const stored = await deps.store.getFeed(feed.id);
    expect(stored?.nextPollReason).toMatch(/^not modified: cadence 30 min backed off gently/);
  });

  it('keeps the <ttl> it learnt from the last full answer', async () => {
    const feed = await deps.store.addFeed({ url: `${site.origin}/ttl` });
    expect(await pollFeedOnce(deps, feed.id, { force: true })).toMatchObject({ intervalMs: 150 * 60_000 });
    const unchanged = await pollFeedOnce(deps, feed.id, { force: true });
    expect(unchanged).toMatchObject({ status: 'not-modified', intervalMs: 150 * 60_000 });
    expect((await deps.store.getFeed(feed.id))?.nextPollReason).toMatch(/<ttl>/);
  });
});

describe('two poll jobs of one feed at once', () => {
  it('poll it once: the other stands down', async () => {
    const feed = await deps.store.addFeed({ url: `${site.origin}/hourly?twice` });
    const requests = site.log.length;
    const outcomes = await Promise.all([
      pollFeedOnce(deps, feed.id, { force: true }),
      pollFeedOnce(deps, feed.id, { force: true }),
    ]);
    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['not-due', 'polled']);
    expect(site.log.length - requests).toBe(1);
    // The claim ends with the poll.
    expect(await pollFeedOnce(deps, feed.id, { force: true })).toMatchObject({ status: 'not-modified' });
  });
});

describe('Retry-After on a feed', () => {
  it('is never polled inside the window, by its schedule or by anything else for the host', async () => {
    const feed = await deps.store.addFeed({ url: `${site.origin}/limited` });
    refuseWith = '120';
    const refused = await pollFeedOnce(deps, feed.id, { force: true });
    expect(refused).toMatchObject({ status: 'failed', intervalMs: 120_000 });
    const stored = await deps.store.getFeed(feed.id);
    expect(stored?.nextPollReason).toMatch(/^Retry-After/);
    const due = Date.parse(stored!.nextPollAt!);
    const requests = site.log.length;
    // A scheduled run 30 s early (inside half an interval) waits until the window ends.
    const early = await pollFeedOnce(deps, feed.id, { now: due - 30_000 });
    expect(early).toMatchObject({ status: 'delayed', reason: 'not-due' });
    if (early.status === 'delayed') expect(early.delayMs).toBe(30_000);
    // Even a forced poll waits for the host's pause.
    expect(await pollFeedOnce(deps, feed.id, { force: true })).toMatchObject({
      status: 'delayed',
      reason: 'host-paused',
    });
    expect(site.log.length).toBe(requests);
    expect(await deps.limits.pausedFor(new URL(feed.url).host)).toBeGreaterThan(100_000);
    await redis.del(`{sluice}:host-pause:${new URL(feed.url).host}`);
  });
});

describe('one budget for every request kind', () => {
  it('keeps the robots Crawl-delay between robots.txt, a feed poll and a page fetch', async () => {
    const feed = await deps.store.addFeed({ url: `${polite.origin}/feed` });
    const pages = createPageFetcher({
      redis,
      limits: deps.limits,
      robots: deps.robots,
      policy: deps.settings.fetch,
    });
    const outcomes: string[] = [];
    const deadline = Date.now() + 15_000;
    let polled = false;
    let fetched = false;
    while ((!polled || !fetched) && Date.now() < deadline) {
      if (!polled) {
        const poll = await pollFeedOnce(deps, feed.id, { force: true });
        outcomes.push(`feed:${poll.status}`);
        polled = poll.status === 'polled';
      }
      if (!fetched) {
        const page = await pages.fetch(`${polite.origin}/page`);
        outcomes.push(`page:${page.status}`);
        fetched = page.status === 'fetched';
      }
      await sleep(200);
    }
    expect(polled && fetched).toBe(true);
    expect(outcomes).toContain('page:delayed');
    const times = polite.log.map((entry) => entry.at);
    expect(polite.log.map((entry) => entry.path).sort()).toEqual(['/feed', '/page', '/robots.txt']);
    for (let index = 1; index < times.length; index++) {
      expect(times[index]! - times[index - 1]!).toBeGreaterThanOrEqual(1000);
    }
  });
});
