import { documentIdForUrl, type QueueMap, queuePrefix } from '@sluice/contracts';
import { UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { rssWithItems } from './fixtures/sample-feeds';
import { type PollDependencies, pollFeedOnce } from './poll-feed';
import { ITEM_RETRY_BASE_MS, itemRetryDue, retryFailedItems } from './retry-failed-items';
import type { LocalServer } from './testing/local-server';
import { type PollHarness, startPollHarness } from './testing/poll-harness';

let harness: PollHarness;
let redis: Redis;
let queues: QueueMap;
let server: LocalServer;
let deps: PollDependencies;

beforeAll(async () => {
  harness = await startPollHarness({
    postgres: true,
    sites: [
      {
        address: '127.0.0.7',
        routes: {
          '/robots.txt': (_q, r) => r.writeHead(404).end(),
          '/rss': (_q, r) => r.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rssWithItems(3)),
        },
      },
    ],
  });
  ({ redis, queues, deps } = harness);
  [server] = harness.sites as [LocalServer];
}, 120_000);

afterAll(async () => {
  await harness?.close();
});

const ids = [0, 1, 2].map((n) => documentIdForUrl(`https://news.example/a/${n}`));

/** A real fetch worker that fails items 0 and 1 as their own fault and completes item 2. */
async function runFetchWorker(expectFailed: number) {
  const connection = redis.duplicate();
  connection.on('error', () => {});
  const worker = new Worker(
    'fetch',
    async (job) => {
      if (job.id !== ids[2]) throw new UnrecoverableError('page is empty');
      return { ok: true };
    },
    { connection, prefix: queuePrefix('fetch') },
  );
  worker.on('error', () => {});
  await vi.waitFor(
    async () => expect((await queues.fetch.getJobCounts('failed')).failed).toBe(expectFailed),
    { timeout: 20_000, interval: 100 },
  );
  await vi.waitFor(async () => expect((await queues.fetch.getJobCounts('wait')).wait).toBe(0));
  await worker.close();
  connection.disconnect();
}

describe('feed items whose document failed', () => {
  it('waits longer before each retry and stops at the limit', () => {
    const policy = { limit: 2, baseMs: 1_000 };
    expect(itemRetryDue(0, 0, 999, policy)).toBe(false);
    expect(itemRetryDue(0, 0, 1_000, policy)).toBe(true);
    expect(itemRetryDue(0, 1, 3_999, policy)).toBe(false);
    expect(itemRetryDue(0, 1, 4_000, policy)).toBe(true);
    expect(itemRetryDue(0, 2, 1e12, policy)).toBe(false);
  });

  it('are re-driven on later polls with backoff, shown as feed events, and given up on at the limit', async () => {
    const feed = await deps.store.addFeed({ url: `http://127.0.0.7:${server.port}/rss` });
    expect(await pollFeedOnce(deps, feed.id, { force: true })).toMatchObject({
      status: 'polled',
      enqueued: 3,
    });
    await runFetchWorker(2);
    const failedAt = Date.now();

    // The next poll comes too soon after the failure: nothing is retried yet.
    await pollFeedOnce(deps, feed.id, { force: true, now: failedAt + 60_000 });
    expect((await queues.fetch.getJobCounts('failed')).failed).toBe(2);

    await pollFeedOnce(deps, feed.id, { force: true, now: failedAt + ITEM_RETRY_BASE_MS + 60_000 });
    expect(await queues.fetch.getJobCounts('failed', 'wait', 'completed')).toEqual({
      failed: 0,
      wait: 2,
      completed: 1,
    });
    const retried = (await deps.store.listEvents({ feedId: feed.id })).filter(
      (event) => event.kind === 'retried',
    );
    expect(retried.map((event) => event.url).sort()).toEqual([
      'https://news.example/a/0',
      'https://news.example/a/1',
    ]);
    expect(retried[0]?.message).toMatch(/failed; retry 1 of 4 from the fetch stage$/);
    expect(retried[0]?.code).toBe('document-failed');

    // They fail again; with a limit of one retry they are given up on, once, with an event.
    await runFetchWorker(2);
    const policy = { limit: 1, baseMs: ITEM_RETRY_BASE_MS };
    const seen = [0, 1, 2].map((n) => ({
      key: `guid:news.example-${n}`,
      url: `https://news.example/a/${n}`,
      documentId: ids[n] as string,
    }));
    const later = Date.now() + 100 * ITEM_RETRY_BASE_MS;
    expect(await retryFailedItems(deps, feed.id, seen, { now: later, policy })).toBe(0);
    expect(await retryFailedItems(deps, feed.id, seen, { now: later, policy })).toBe(0);
    const gaveUp = (await deps.store.listEvents({ feedId: feed.id })).filter(
      (event) => event.kind === 'failed',
    );
    expect(gaveUp).toHaveLength(2);
    expect(gaveUp[0]?.message).toMatch(/still failed after 1 retries; giving up$/);
    expect((await queues.fetch.getJobCounts('failed')).failed).toBe(2);
  });
});
