import { startRedis, type TestServer } from '@sluice/testkit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPageFetcher } from './page-fetcher';
import { type LocalServer, routes, startLocalServer } from './testing/local-server';

let redisServer: TestServer;
let redis: Redis;
let site: LocalServer;
let slowSite: LocalServer;

beforeAll(async () => {
  redisServer = await startRedis();
  redis = new Redis(redisServer.url);
  site = await startLocalServer(
    routes({
      '/robots.txt': (_q, r) =>
        r.end('User-agent: *\nDisallow: /private/\n\nUser-agent: Sluice\nDisallow: /no-sluice\n'),
      '/article': (_q, r) => r.writeHead(200, { 'content-type': 'text/html' }).end('<p>article</p>'),
      '/no-sluice': (_q, r) => r.end('should not be fetched'),
      '/report.pdf': (_q, r) => r.writeHead(200, { 'content-type': 'application/pdf' }).end('%PDF-1.4'),
    }),
    '127.0.0.4',
  );
  slowSite = await startLocalServer(
    routes({
      '/robots.txt': (_q, r) => r.end('User-agent: *\nCrawl-delay: 5\n'),
      '/a': (_q, r) => r.end('<p>a</p>'),
      '/b': (_q, r) => r.end('<p>b</p>'),
    }),
    '127.0.0.5',
  );
});

afterAll(async () => {
  redis?.disconnect();
  await site?.close();
  await slowSite?.close();
  await redisServer?.stop();
});

const policy = () => ({ allowPrivateHosts: ['127.0.0.0/8'], allowedPorts: [site.port, slowSite.port] });

describe('createPageFetcher', () => {
  it('fetches an allowed page with a user agent naming Sluice and the contact URL', async () => {
    // Generous limits: the host's token bucket lives in Redis and is shared with the next tests.
    const fetcher = createPageFetcher({
      redis,
      policy: policy(),
      contactUrl: 'https://ops.example/contact',
      hostLimits: { ratePerSecond: 100, burst: 100 },
    });
    const outcome = await fetcher.fetch(`${site.origin}/article`);
    expect(outcome.status).toBe('fetched');
    expect(fetcher.userAgent).toBe('Sluice/0.1 (+https://ops.example/contact)');
  });

  it('skips pages robots.txt disallows for Sluice, without requesting them', async () => {
    const fetcher = createPageFetcher({
      redis,
      policy: policy(),
      hostLimits: { ratePerSecond: 100, burst: 100 },
    });
    const outcome = await fetcher.fetch(`${site.origin}/no-sluice`);
    expect(outcome).toMatchObject({ status: 'skipped', reason: 'robots' });
    expect(site.log.some((entry) => entry.path === '/no-sluice')).toBe(false);
    // robots.txt was fetched once and then served from the shared cache.
    await fetcher.fetch(`${site.origin}/article`);
    expect(site.log.filter((entry) => entry.path === '/robots.txt')).toHaveLength(1);
  });

  it('skips non-document content types with a reason', async () => {
    const fetcher = createPageFetcher({
      redis,
      policy: policy(),
      hostLimits: { ratePerSecond: 100, burst: 100 },
    });
    expect(await fetcher.fetch(`${site.origin}/report.pdf`)).toMatchObject({
      status: 'skipped',
      reason: 'content-type',
    });
  });

  it('keeps the Crawl-delay after robots.txt itself and shares it between two fetcher copies', async () => {
    const other = new Redis(redisServer.url);
    try {
      const first = createPageFetcher({ redis, policy: policy() });
      const second = createPageFetcher({ redis: other, policy: policy() });
      // robots.txt was the host's latest request: the first page waits a whole delay after it.
      for (const [fetcher, path] of [
        [first, '/a'],
        [second, '/b'],
      ] as const) {
        const delayed = await fetcher.fetch(`${slowSite.origin}${path}`);
        expect(delayed).toMatchObject({ status: 'delayed', reason: 'rate-limit' });
        if (delayed.status === 'delayed') {
          expect(delayed.delayMs).toBeGreaterThan(3000);
          expect(delayed.delayMs).toBeLessThanOrEqual(11_000);
        }
      }
      expect(slowSite.log.map((entry) => entry.path)).toEqual(['/robots.txt']);
    } finally {
      other.disconnect();
    }
  });
});
