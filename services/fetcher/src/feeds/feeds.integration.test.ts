import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { documentIdForUrl } from '@sluice/contracts';
import {
  enqueueFeedPoll,
  enqueueSitemapPoll,
  FeedStore,
  feedMigrations,
  feedSchedulerId,
  feedSettingsFromEnv,
  upsertSitemapSchedule,
} from '@sluice/feeds';
import { createLogger } from '@sluice/logger';
import { openDatabase, runMigrations } from '@sluice/store';
import { startRedis, type TestServer } from '@sluice/testkit';
import {
  createRuntime,
  defineWorker,
  type Runtime,
  type StartedService,
  startService,
} from '@sluice/worker-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feedDependencies } from './feed-dependencies';
import { pollFeed, pollSitemap } from './poll-handlers';
import { syncFeedSchedules } from './start-feeds';

let redisServer: TestServer;
let runtime: Runtime;
let service: StartedService;
let site: Server;
let origin: string;
let stopSync: () => void;

const rss = (count: number) =>
  `<?xml version="1.0"?><rss version="2.0"><channel><title>Local</title><link>${origin}/</link>${Array.from(
    { length: count },
    (_, i) =>
      `<item><title>Story ${i}</title><link>${origin}/story/${i}</link><pubDate>${new Date(Date.now() - i * 3600_000).toUTCString()}</pubDate></item>`,
  ).join('')}</channel></rss>`;

async function until<T>(probe: () => Promise<T | null | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('condition not met in time');
}

beforeAll(async () => {
  site = createServer((request, response) => {
    if (request.url === '/feed.xml')
      return response.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss(5));
    if (request.url === '/sitemap.xml') {
      return response.end(
        `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>${origin}/from-sitemap/1</loc></url></urlset>`,
      );
    }
    if (request.url === '/robots.txt') return response.end('User-agent: *\nDisallow: /private/\n');
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.7', resolve));
  origin = `http://127.0.0.7:${(site.address() as AddressInfo).port}`;
  redisServer = await startRedis();
  const db = await openDatabase({ dataDir: 'memory://' });
  runtime = await createRuntime({
    name: 'fetcher-feeds-test',
    redisUrl: redisServer.url,
    db,
    logger: createLogger({ name: 'test', level: 'silent' }),
    environment: { LOG_LEVEL: 'silent' },
  });
  const port = (site.address() as AddressInfo).port;
  feedDependencies(
    runtime,
    feedSettingsFromEnv({
      FETCH_ALLOW_PRIVATE: '127.0.0.7',
      FETCH_ALLOWED_PORTS: String(port),
      SLUICE_HOST_RATE_PER_S: '50',
    }),
  );
  await runMigrations(db, 'feeds', feedMigrations);
}, 60_000);

afterAll(async () => {
  stopSync?.();
  await service?.stop(2000);
  await runtime?.db?.close();
  await runtime?.close();
  await redisServer?.stop();
  await new Promise((resolve) => site?.close(resolve));
});

describe('feed polling through the real worker and Redis', () => {
  it('schedules once however many copies sync, polls, and enqueues each item once', async () => {
    const store = new FeedStore(runtime.db!);
    const feed = await store.addFeed({ url: `${origin}/feed.xml` });
    // Two copies starting at once: one reconciles, schedules end up exactly one per feed.
    const [stopA, stopB] = await Promise.all([syncFeedSchedules(runtime), syncFeedSchedules(runtime)]);
    stopSync = () => {
      stopA();
      stopB();
    };
    const schedulers = await runtime.queues.feeds.getJobSchedulers(0, -1);
    expect(schedulers.map((scheduler) => scheduler.key)).toEqual([feedSchedulerId(feed.id)]);

    service = await startService(runtime, {
      name: 'fetcher-feeds-test',
      needsDatabase: true,
      workers: [
        defineWorker({
          queue: 'feeds',
          concurrency: 4,
          handlers: { 'poll-feed': pollFeed, 'poll-sitemap': pollSitemap },
        }),
      ],
    });
    await enqueueFeedPoll(runtime.queues, feed.id);
    const jobs = await until(async () => {
      const found = await runtime.queues.fetch.getJobs(['waiting', 'prioritized', 'delayed']);
      return found.length >= 5 && found;
    });
    expect(jobs.map((job) => job.id).sort()).toEqual(
      Array.from({ length: 5 }, (_, i) => documentIdForUrl(`${origin}/story/${i}`)).sort(),
    );
    // A second forced poll finds nothing new.
    await enqueueFeedPoll(runtime.queues, feed.id);
    await until(
      async () =>
        (await store.getFeed(feed.id))?.itemsSeen === 5 &&
        (await runtime.queues.feeds.getCompletedCount()) >= 2,
    );
    expect(await runtime.queues.fetch.getJobCountByTypes('waiting', 'prioritized', 'delayed')).toBe(5);
    const stored = await store.getFeed(feed.id);
    expect(stored).toMatchObject({ status: 'active', consecutiveFailures: 0 });
  });

  it('fails a poll of a refused address permanently, visibly, and disables the feed', async () => {
    const store = new FeedStore(runtime.db!);
    const feed = await store.addFeed({ url: 'http://169.254.169.254/latest/meta-data' });
    await enqueueFeedPoll(runtime.queues, feed.id);
    const failed = await until(async () => {
      const jobs = await runtime.queues.feeds.getFailed();
      return jobs.find((job) => job.data.feedId === feed.id);
    });
    expect(failed.failedReason).toMatch(/blocked-address/);
    expect(failed.attemptsMade).toBe(1);
    expect(await store.getFeed(feed.id)).toMatchObject({
      status: 'disabled',
      lastErrorCode: 'blocked-address',
    });
    const events = await store.listEvents({ feedId: feed.id });
    expect(events.map((event) => [event.kind, event.code])).toEqual([
      ['disabled', 'blocked-address'],
      ['refused', 'blocked-address'],
    ]);
  });

  it('completes a sitemap poll robots.txt disallows as a recorded skip', async () => {
    const store = new FeedStore(runtime.db!);
    const sitemap = await store.addSitemap(`${origin}/private/sitemap.xml`);
    await enqueueSitemapPoll(runtime.queues, sitemap.id);
    const completed = await until(async () => {
      const jobs = await runtime.queues.feeds.getCompleted();
      return jobs.find((job) => job.data.sitemapId === sitemap.id);
    });
    expect(completed.returnvalue).toMatchObject({ status: 'skipped', code: 'robots-disallowed' });
    const [event] = await store.listEvents({ sitemapId: sitemap.id });
    expect(event).toMatchObject({ kind: 'skipped', code: 'robots-disallowed' });
  });

  it('schedules a sitemap, polls it and enqueues its URLs', async () => {
    const store = new FeedStore(runtime.db!);
    const sitemap = await store.addSitemap(`${origin}/sitemap.xml`);
    await upsertSitemapSchedule(runtime.queues, sitemap.id, 3600_000);
    // Schedules are spread over the interval; a new subscription is polled at once.
    await enqueueSitemapPoll(runtime.queues, sitemap.id);
    await until(
      async () => (await runtime.queues.fetch.getJob(documentIdForUrl(`${origin}/from-sitemap/1`))) ?? null,
    );
    expect((await store.getSitemap(sitemap.id))?.urlsSeen).toBe(1);
  });
});
