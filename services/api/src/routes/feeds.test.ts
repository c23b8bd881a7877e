import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FeedStore } from '@sluice/feeds';
import { createLogger } from '@sluice/logger';
import { type Database, openDatabase } from '@sluice/store';
import { startRedis, type TestServer } from '@sluice/testkit';
import { createQueues } from '@sluice/worker-runtime';
import Fastify, { type FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feedRoutes } from './feeds';

let db: Database;
let app: FastifyInstance;
let redisServer: TestServer;
let redis: Redis;
let site: Server;
let origin: string;
const savedEnv = { ...process.env };

beforeAll(async () => {
  site = createServer((request, response) => {
    if (request.url === '/') {
      return response
        .writeHead(200, { 'content-type': 'text/html' })
        .end('<html><head><link rel="alternate" type="application/rss+xml" href="/news.rss"></head></html>');
    }
    if (request.url === '/news.rss') {
      return response.end(
        '<rss version="2.0"><channel><title>Site news</title><item><title>a</title><link>https://x.example/a</link></item></channel></rss>',
      );
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.8', resolve));
  const port = (site.address() as AddressInfo).port;
  origin = `http://127.0.0.8:${port}`;
  process.env.FETCH_ALLOW_PRIVATE = '127.0.0.8';
  process.env.FETCH_ALLOWED_PORTS = String(port);
  redisServer = await startRedis();
  redis = new Redis(redisServer.url, { maxRetriesPerRequest: null });
  db = await openDatabase({ dataDir: 'memory://' });
  app = Fastify();
  const queues = createQueues(redis);
  await feedRoutes(app, { db, queues, redis, logger: createLogger({ name: 'test', level: 'silent' }) });
  await app.ready();
}, 60_000);

afterAll(async () => {
  process.env = savedEnv;
  await app?.close();
  redis?.disconnect();
  await db?.close();
  await redisServer?.stop();
  await new Promise((resolve) => site?.close(resolve));
});

describe('feed routes', () => {
  it('discovers the feed behind a site URL, schedules it, shows it, refreshes and removes it', async () => {
    const created = await app.inject({ method: 'POST', url: '/feeds', payload: { url: `${origin}/` } });
    expect(created.statusCode).toBe(201);
    const feed = created.json();
    expect(feed).toMatchObject({ url: `${origin}/news.rss`, status: 'active' });
    const queues = createQueues(redis);
    expect((await queues.feeds.getJobSchedulers(0, -1)).map((s) => s.key)).toContain(`feed:${feed.id}`);

    const again = await app.inject({ method: 'POST', url: '/feeds', payload: { url: `${origin}/news.rss` } });
    expect([again.statusCode, again.json().id]).toEqual([200, feed.id]);

    const shown = await app.inject({ method: 'GET', url: `/feeds/${feed.id}` });
    expect(shown.json()).toMatchObject({ id: feed.id, consecutiveFailures: 0, lastError: null, events: [] });

    // What the fetcher records on a failed poll shows on the feed, newest first.
    const store = new FeedStore(db);
    for (let n = 0; n < 2; n++) {
      await store.recordPollFailure(feed.id, {
        code: 'unsafe-xml',
        message: 'XML declares entities; refused',
        intervalMs: 60_000,
        maxFailures: 2,
        refused: true,
        reason: `back-off after ${n + 1} failures in a row`,
      });
    }
    const failing = (await app.inject({ method: 'GET', url: `/feeds/${feed.id}` })).json();
    expect(failing).toMatchObject({ status: 'paused', consecutiveFailures: 2, lastErrorCode: 'unsafe-xml' });
    expect(failing.nextPoll).toEqual({
      at: failing.nextPollAt,
      reason: 'back-off after 2 failures in a row',
    });
    expect(failing.events.map((event: { kind: string }) => event.kind)).toEqual([
      'paused',
      'refused',
      'refused',
    ]);
    expect(failing.events[0].message).toMatch(/paused after 2 consecutive failures/);
    expect((await app.inject({ method: 'POST', url: `/feeds/${feed.id}/refresh` })).statusCode).toBe(202);
    const resumed = (await app.inject({ method: 'GET', url: `/feeds/${feed.id}` })).json();
    expect(resumed).toMatchObject({ status: 'active' });
    expect(resumed.events[0]).toMatchObject({ kind: 'resumed' });

    expect((await app.inject({ method: 'DELETE', url: `/feeds/${feed.id}` })).statusCode).toBe(204);
    expect((await app.inject({ method: 'GET', url: `/feeds/${feed.id}` })).statusCode).toBe(404);
    expect((await queues.feeds.getJobSchedulers(0, -1)).map((s) => s.key)).not.toContain(`feed:${feed.id}`);
    await Promise.all(Object.values(queues).map((queue) => queue.close()));
  });

  it('refuses private addresses and non-feeds with a clear error', async () => {
    const refused = await app.inject({
      method: 'POST',
      url: '/feeds',
      payload: { url: 'http://10.1.2.3/feed' },
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().code).toBe('blocked-address');
    const missing = await app.inject({
      method: 'POST',
      url: '/feeds',
      payload: { url: `${origin}/nothing` },
    });
    expect(missing.statusCode).toBe(422);
  });

  it('imports and exports OPML', async () => {
    const opml = `<?xml version="1.0"?><opml version="2.0"><body>
      <outline text="One" xmlUrl="https://one.example/rss"/><outline text="Two" xmlUrl="https://two.example/atom"/>
      <outline text="Bad" xmlUrl="http://192.168.0.1/rss"/></body></opml>`;
    const imported = await app.inject({
      method: 'POST',
      url: '/feeds/import',
      headers: { 'content-type': 'text/xml' },
      payload: opml,
    });
    expect(imported.json()).toMatchObject({ found: 3, added: 2 });
    expect(imported.json().refused).toHaveLength(1);
    const exported = await app.inject({ method: 'GET', url: '/feeds/export.opml' });
    expect(exported.body).toContain('xmlUrl="https://one.example/rss"');
    expect(exported.body).toContain('xmlUrl="https://two.example/atom"');
  });

  it('adds sitemaps', async () => {
    const created = await app.inject({
      method: 'POST',
      url: '/sitemaps',
      payload: { url: 'https://news.example/sitemap-news.xml' },
    });
    expect(created.statusCode).toBe(201);
    const shown = await app.inject({ method: 'GET', url: `/sitemaps/${created.json().id}` });
    expect(shown.json()).toMatchObject({ url: 'https://news.example/sitemap-news.xml', events: [] });
    const list = await app.inject({ method: 'GET', url: '/sitemaps' });
    expect(list.json().sitemaps.map((s: { url: string }) => s.url)).toContain(
      'https://news.example/sitemap-news.xml',
    );
  });
});
