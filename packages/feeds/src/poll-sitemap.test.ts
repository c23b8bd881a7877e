import type { QueueMap } from '@sluice/contracts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PollDependencies } from './poll-feed';
import { pollSitemapOnce } from './poll-sitemap';
import type { LocalServer } from './testing/local-server';
import { type PollHarness, startPollHarness } from './testing/poll-harness';

let harness: PollHarness;
let queues: QueueMap;
let server: LocalServer;
let deps: PollDependencies;

const index = (...paths: [string, string][]) =>
  `<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${paths
    .map(
      ([path, lastmod]) =>
        `<sitemap><loc>${server.origin}${path}</loc><lastmod>${lastmod}</lastmod></sitemap>`,
    )
    .join('')}</sitemapindex>`;
const urlset = (...paths: string[]) =>
  `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${paths
    .map((path) => `<url><loc>https://news.example${path}</loc></url>`)
    .join('')}</urlset>`;

beforeAll(async () => {
  harness = await startPollHarness({
    sites: [
      {
        address: '127.0.0.9',
        routes: {
          '/robots.txt': (_q, r) => r.end('User-agent: *\nDisallow: /private/\n'),
          // The root lists a child, a nested index, itself (a loop) and a disallowed child.
          '/index.xml': (_q, r) =>
            r.end(
              index(
                ['/child-a.xml', '2024-03-01'],
                ['/nested.xml', '2024-02-01'],
                ['/index.xml#again', '2024-01-01'],
                ['/private/child.xml', '2023-12-01'],
              ),
            ),
          // The nested index lists a new child and its parent (a loop one level down).
          '/nested.xml': (_q, r) =>
            r.end(index(['/child-b.xml', '2024-02-01'], ['/index.xml', '2024-01-01'])),
          '/child-a.xml': (_q, r) => r.end(urlset('/a/1', '/a/2')),
          '/child-b.xml': (_q, r) => r.end(urlset('/b/1')),
          '/private/child.xml': (_q, r) => r.end(urlset('/secret')),
          '/private/sitemap.xml': (_q, r) => r.end(urlset('/secret')),
        },
      },
    ],
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

const fetched = (path: string) => server.log.filter((entry) => entry.path === path).length;
const queuedUrls = async () =>
  (await queues.fetch.getJobs(['waiting', 'delayed', 'prioritized'])).map((job) => job.data.url).sort();

describe('pollSitemapOnce', () => {
  it('follows an index one level by default, skipping loops, nested indexes and disallowed children', async () => {
    const sitemap = await deps.store.addSitemap(`${server.origin}/index.xml`);
    const outcome = await pollSitemapOnce(deps, sitemap.id);
    expect(outcome).toMatchObject({ status: 'polled', urls: 2, newUrls: 2, sitemapsRead: 3 });
    expect(await queuedUrls()).toEqual(['https://news.example/a/1', 'https://news.example/a/2']);
    expect(fetched('/child-b.xml')).toBe(0);
    expect(fetched('/private/child.xml')).toBe(0);
    expect(fetched('/index.xml')).toBe(1);
    const events = await deps.store.listEvents({ sitemapId: sitemap.id });
    expect(events.map((event) => event.code).sort()).toEqual([
      'robots-disallowed',
      'sitemap-depth',
      'sitemap-loop',
    ]);
    expect(events.find((event) => event.code === 'sitemap-loop')?.url).toBe(
      `${server.origin}/index.xml#again`,
    );
  });

  it('follows nested indexes as deep as configured, still detecting a child that lists its parent', async () => {
    const deeper = { ...deps, settings: { ...deps.settings, sitemapMaxDepth: 2 } };
    const sitemap = await deps.store.addSitemap(`${server.origin}/index.xml?deep`);
    const outcome = await pollSitemapOnce(deeper, sitemap.id);
    // ?deep is a different address from /index.xml, so /index.xml is read once as a child; what
    // it lists (child-a, nested) was already read in this poll and is skipped as a loop.
    expect(outcome).toMatchObject({ status: 'polled', urls: 3 });
    expect(await queuedUrls()).toEqual([
      'https://news.example/a/1',
      'https://news.example/a/2',
      'https://news.example/b/1',
    ]);
    const loops = (await deps.store.listEvents({ sitemapId: sitemap.id })).filter(
      (event) => event.code === 'sitemap-loop',
    );
    expect(loops.length).toBeGreaterThan(0);
  });

  it('reads at most the configured number of child sitemaps, newest first', async () => {
    const narrow = { ...deps, settings: { ...deps.settings, sitemapMaxChildren: 1 } };
    const sitemap = await deps.store.addSitemap(`${server.origin}/index.xml?narrow`);
    const before = fetched('/nested.xml');
    const outcome = await pollSitemapOnce(narrow, sitemap.id);
    expect(outcome).toMatchObject({ status: 'polled', urls: 2, sitemapsRead: 2 });
    expect(outcome.status === 'polled' && outcome.sitemapsLeft).toBeGreaterThanOrEqual(1);
    expect(fetched('/nested.xml')).toBe(before);
  });

  it('skips a sitemap robots.txt disallows, without fetching it or counting a failure', async () => {
    const sitemap = await deps.store.addSitemap(`${server.origin}/private/sitemap.xml`);
    const outcome = await pollSitemapOnce(deps, sitemap.id);
    expect(outcome).toMatchObject({ status: 'skipped', code: 'robots-disallowed' });
    expect(fetched('/private/sitemap.xml')).toBe(0);
    expect(await deps.store.getSitemap(sitemap.id)).toMatchObject({
      status: 'active',
      consecutiveFailures: 0,
      lastErrorCode: 'robots-disallowed',
    });
    const [event] = await deps.store.listEvents({ sitemapId: sitemap.id });
    expect(event).toMatchObject({ kind: 'skipped', code: 'robots-disallowed' });
  });

  it('delays while the host is at its concurrency cap', async () => {
    const sitemap = await deps.store.addSitemap(`${server.origin}/index.xml?busy`);
    const host = new URL(sitemap.url).host;
    const slots = [await deps.limits.acquire(host), await deps.limits.acquire(host)];
    try {
      expect(await pollSitemapOnce(deps, sitemap.id)).toMatchObject({
        status: 'delayed',
        reason: 'host-busy',
      });
    } finally {
      for (const release of slots) await release?.();
    }
  });
});
