import { startRedis, type TestServer } from '@sluice/testkit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostLimits } from './host-limits';
import { createPageFetcher, type PageFetcher } from './page-fetcher';
import { type LocalServer, routes, startLocalServer } from './testing/local-server';

let redisServer: TestServer;
let redis: Redis;
let other: Redis;
let busy: LocalServer;
let slow: LocalServer;
let refusals = 0;
let answer503With: string | null = '2';
/** Requests in flight at the slow host, and the most seen at once. */
let inFlight = 0;
let peakInFlight = 0;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  redisServer = await startRedis();
  redis = new Redis(redisServer.url);
  other = new Redis(redisServer.url);
  busy = await startLocalServer(
    routes({
      '/robots.txt': (_q, r) => r.end('User-agent: *\nAllow: /\n'),
      '/page/1': (_q, r) => {
        if (refusals-- > 0) {
          const headers: Record<string, string> = answer503With ? { 'retry-after': answer503With } : {};
          return r.writeHead(503, headers).end('busy');
        }
        r.writeHead(200, { 'content-type': 'text/html' }).end('<p>one</p>');
      },
      '/page/2': (_q, r) => r.writeHead(200, { 'content-type': 'text/html' }).end('<p>two</p>'),
    }),
    '127.0.0.8',
  );
  slow = await startLocalServer((request, response) => {
    inFlight++;
    peakInFlight = Math.max(peakInFlight, inFlight);
    response.on('finish', () => inFlight--);
    setTimeout(() => {
      if (request.url === '/robots.txt') return response.end('User-agent: *\nDisallow: /private/\n');
      response.writeHead(200, { 'content-type': 'text/html' }).end(`<p>${request.url}</p>`);
    }, 400);
  }, '127.0.0.9');
});

afterAll(async () => {
  redis?.disconnect();
  other?.disconnect();
  await busy?.close();
  await slow?.close();
  await redisServer?.stop();
});

const policy = () => ({ allowPrivateHosts: ['127.0.0.0/8'], allowedPorts: [busy.port, slow.port] });
const copy = (connection: Redis, limits: Partial<ConstructorParameters<typeof HostLimits>[1]> = {}) =>
  createPageFetcher({
    redis: connection,
    policy: policy(),
    hostLimits: { ratePerSecond: 100, burst: 100, ...limits },
  });
const pathsAt = (server: LocalServer, path: string) => server.log.filter((entry) => entry.path === path);

describe('a host answering 503 or 429', () => {
  it('pauses the whole host for every copy for its Retry-After, and the page waits instead of failing', async () => {
    refusals = 1;
    answer503With = '2';
    const first = copy(redis);
    const second = copy(other);
    const refused = await first.fetch(`${busy.origin}/page/1`);
    expect(refused).toMatchObject({ status: 'delayed', reason: 'host-paused' });
    if (refused.status === 'delayed') expect(refused.delayMs).toBeGreaterThanOrEqual(2000);
    // Another page of the host, from another copy, inside the window: not requested.
    const meanwhile = await second.fetch(`${busy.origin}/page/2`);
    expect(meanwhile).toMatchObject({ status: 'delayed' });
    if (meanwhile.status === 'delayed') expect(meanwhile.delayMs).toBeGreaterThan(1500);
    expect(pathsAt(busy, '/page/2')).toHaveLength(0);
    expect(pathsAt(busy, '/page/1')).toHaveLength(1);
    await sleep(2100);
    expect((await second.fetch(`${busy.origin}/page/1`)).status).toBe('fetched');
    expect((await first.fetch(`${busy.origin}/page/2`)).status).toBe('fetched');
    const [refusedAt, retriedAt] = pathsAt(busy, '/page/1').map((entry) => entry.at);
    expect(retriedAt! - refusedAt!).toBeGreaterThanOrEqual(2000);
  });

  it('backs off host-wide with growing pauses while the host keeps refusing, then starts over', async () => {
    refusals = 3;
    answer503With = null;
    const fetcher = copy(redis, { overloadBackoffMs: 300 });
    const pauses: number[] = [];
    for (let round = 0; round < 3; round++) {
      const outcome = await fetcher.fetch(`${busy.origin}/page/1`);
      expect(outcome).toMatchObject({ status: 'delayed', reason: 'host-paused' });
      pauses.push(await fetcher.limits.pausedFor(busy.origin.replace('http://', '')));
      await sleep(pauses.at(-1)! + 20);
    }
    // Coming back from a pause, the host is probed one request at a time.
    const host = busy.origin.replace('http://', '');
    const probe = await fetcher.limits.acquire(host);
    expect(probe).not.toBeNull();
    expect(await fetcher.limits.acquire(host)).toBeNull();
    await probe?.();
    // 300, 600, 1200 ms (less the milliseconds since each was set).
    expect(pauses[1]!).toBeGreaterThan(pauses[0]! * 1.5);
    expect(pauses[2]!).toBeGreaterThan(pauses[1]! * 1.5);
    expect((await fetcher.fetch(`${busy.origin}/page/1`)).status).toBe('fetched');
    // A success ends the probing: both slots again.
    const slots = [await fetcher.limits.acquire(host), await fetcher.limits.acquire(host)];
    expect(slots.every(Boolean)).toBe(true);
    for (const release of slots) await release?.();
    refusals = 1;
    await fetcher.fetch(`${busy.origin}/page/1`);
    expect(await fetcher.limits.pausedFor(busy.origin.replace('http://', ''))).toBeLessThanOrEqual(300);
  });
});

describe('robots.txt on first contact with a slow host', () => {
  it('is fetched once for many concurrent jobs in two copies, within the host concurrency cap', async () => {
    const copies: PageFetcher[] = [copy(redis, { maxConcurrent: 2 }), copy(other, { maxConcurrent: 2 })];
    const outcomes = await Promise.all(
      Array.from({ length: 16 }, (_, index) =>
        copies[index % 2]!.fetch(`${slow.origin}/${index % 4 === 0 ? 'private' : 'news'}/${index}`),
      ),
    );
    expect(pathsAt(slow, '/robots.txt')).toHaveLength(1);
    expect(peakInFlight).toBeLessThanOrEqual(2);
    expect(outcomes.filter((outcome) => outcome.status === 'skipped')).toHaveLength(4);
    expect(slow.log.some((entry) => entry.path.startsWith('/private/'))).toBe(false);
    const fetched = outcomes.filter((outcome) => outcome.status === 'fetched').length;
    const delayed = outcomes.filter((outcome) => outcome.status === 'delayed').length;
    expect(fetched + delayed).toBe(12);
    expect(fetched).toBeGreaterThan(0);
  });
});
