import { startRedis, type TestServer } from '@sluice/testkit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostLimits } from './host-limits';

let server: TestServer;
let redis: Redis;

beforeAll(async () => {
  server = await startRedis();
  redis = new Redis(server.url);
});
afterAll(async () => {
  redis?.disconnect();
  await server?.stop();
});

describe('HostLimits', () => {
  it('grants the burst, then asks the caller to wait for the next token', async () => {
    const limits = new HostLimits(redis, { ratePerSecond: 10, burst: 2 });
    expect(await limits.take('burst.example')).toBe(0);
    expect(await limits.take('burst.example')).toBe(0);
    const wait = await limits.take('burst.example');
    expect(wait).toBeGreaterThan(50);
    expect(wait).toBeLessThanOrEqual(100);
    // Another host has its own bucket.
    expect(await limits.take('other.example')).toBe(0);
  });

  it('caps concurrent requests per host and frees a slot on release', async () => {
    const limits = new HostLimits(redis, { maxConcurrent: 2 });
    const first = await limits.acquire('busy.example');
    const second = await limits.acquire('busy.example');
    expect(first && second).toBeTruthy();
    expect(await limits.acquire('busy.example')).toBeNull();
    await first?.();
    expect(await limits.acquire('busy.example')).not.toBeNull();
  });

  it('under a Crawl-delay, counts the delay from when the last request really left', async () => {
    const limits = new HostLimits(redis, { ratePerSecond: 100, burst: 5 });
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    await limits.setCrawlDelay('crawl.example', 100, 60_000);
    const take = async () => (await limits.tryTake('crawl.example', 0, true)).waitMs;
    await sleep(250);
    expect(await take()).toBe(0);
    // Granted but not yet sent: nobody else goes, however long it takes to leave.
    await sleep(300);
    expect(await take()).toBeGreaterThan(0);
    // It left 300 ms late: the delay counts from then.
    await limits.sent('crawl.example', 300);
    expect(await take()).toBeGreaterThan(150);
    await sleep(550);
    expect(await take()).toBe(0);
  });
});
