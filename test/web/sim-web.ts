/**
 * A simulated web in one process: news sites on 127.0.0.2, .3, ... each with a feed (RSS or
 * Atom, ETag/Last-Modified and 304s), robots.txt, article pages taken at run time from a
 * dataset, and the quirks a crawler meets: slow hosts, a host answering 503 with Retry-After for
 * a while, gzip, Disallow and Crawl-delay, repeated items, tracking-parameter variants, <ttl>.
 * Every request is logged as the site saw it; the politeness checks read only these logs.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';

const gzip = promisify(gzipCallback);

export type RequestKind = 'robots' | 'feed' | 'page' | 'other';

export interface LoggedRequest {
  host: string;
  /** Arrival and end of the response, ms since epoch. */
  at: number;
  end: number;
  path: string;
  kind: RequestKind;
  status: number;
  /** Retry-After sent with a 503, seconds. */
  retryAfterS: number | null;
  /**
   * How late `at` may be: the site's own event loop was stalled this long around the arrival
   * (a busy machine), so the request may really have arrived up to this much earlier.
   */
  stallMs: number;
}

export interface SitePage {
  /** Path on the site, `/news/<slug>`. */
  path: string;
  /** Raw bytes as the dataset holds them (any charset). */
  body: () => Promise<Uint8Array>;
  title: string;
}

export interface SiteSpec {
  index: number;
  format: 'rss' | 'atom';
  /** Milliseconds added before each answer. */
  slowMs: number;
  gzip: boolean;
  crawlDelayS: number;
  /** Paths under /private/ are disallowed and listed in the feed (never to be fetched). */
  disallowPrivate: boolean;
  /** RSS <ttl> in minutes, or null. */
  ttlMinutes: number | null;
  /** Answers 503 with this Retry-After (seconds) to everything between these offsets from the start of publishing. */
  outage: { fromMs: number; toMs: number; retryAfterS: number } | null;
  /** Pages listed from the start, then pages published one at a time every `publishEveryMs`. */
  initial: SitePage[];
  later: SitePage[];
  publishEveryMs: number;
}

export interface Publication {
  host: string;
  url: string;
  path: string;
  publishedAt: number;
  /** Listed from the start (a backlog), or published while Sluice runs. */
  live: boolean;
}

interface Site {
  spec: SiteSpec;
  host: string;
  origin: string;
  server: Server;
  published: { page: SitePage; at: number }[];
  timer?: NodeJS.Timeout;
}

export interface SimWeb {
  port: number;
  hosts: string[];
  feedUrls: string[];
  log: LoggedRequest[];
  /** Every page that was ever listed in a feed (fetchable or not), with when it appeared. */
  publications(): Publication[];
  /** Every page any site will ever list under /news/, at its URL. */
  allPages(): { url: string; path: string }[];
  /** Pages the crawler must never request (robots.txt Disallow). */
  disallowedPaths(): string[];
  specs: SiteSpec[];
  startedAt: number;
  /** Starts publishing the later pages (call once Sluice is up). */
  startPublishing(): void;
  /** True once every site has published all its pages. */
  allPublished(): boolean;
  close(): Promise<void>;
}

export const hostOf = (index: number) => `127.0.0.${index + 2}`;

const PRIVATE_PAGES = 2;
const TICK_MS = 5;

/**
 * A timer ticking every few ms: when a request is handled long after the last tick, or right
 * after a tick that came late, the loop was stalled and the request's arrival stamp is late by
 * up to that much.
 */
function startTicker() {
  let previous = Date.now();
  let last = previous;
  const timer = setInterval(() => {
    previous = last;
    last = Date.now();
  }, TICK_MS);
  return {
    stallMs: () => Math.max(0, Math.max(Date.now() - last, last - previous) - TICK_MS),
    stop: () => clearInterval(timer),
  };
}

/** Starts every site on one port, each on its own loopback address. */
export async function startSimWeb(specs: SiteSpec[]): Promise<SimWeb> {
  const log: LoggedRequest[] = [];
  const startedAt = Date.now();
  /** When publishing began (outages are timed from it); until then no outage. */
  const clock = { publishingFrom: Number.POSITIVE_INFINITY };
  const ticks = startTicker();
  const sites: Site[] = [];
  let port = 0;
  for (const spec of specs) {
    const host = hostOf(spec.index);
    const site: Site = { spec, host, origin: '', server: createServer(), published: [] };
    site.server.on('request', (request, response) =>
      handle(site, request, response, log, clock, ticks.stallMs()),
    );
    site.server.keepAliveTimeout = 5_000;
    await new Promise<void>((resolve, reject) => {
      site.server.once('error', reject);
      site.server.listen(port, host, () => resolve());
    });
    port = (site.server.address() as AddressInfo).port;
    site.origin = `http://${host}:${port}`;
    // The backlog: dated one publishing period apart, so the feed's cadence is learnt from it.
    site.published = spec.initial.map((page, position) => ({
      page,
      at: startedAt - (spec.initial.length - position) * spec.publishEveryMs,
    }));
    sites.push(site);
  }
  return {
    port,
    hosts: sites.map((site) => site.host),
    feedUrls: sites.map((site) => `${site.origin}/feed.xml`),
    log,
    specs,
    startedAt,
    publications: () =>
      sites.flatMap((site) =>
        site.published.map(({ page, at }) => ({
          host: site.host,
          url: `${site.origin}${page.path}`,
          path: page.path,
          publishedAt: Math.max(at, startedAt),
          live: at > startedAt,
        })),
      ),
    allPages: () =>
      sites.flatMap((site) =>
        [...site.spec.initial, ...site.spec.later].map((page) => ({
          url: `${site.origin}${page.path}`,
          path: page.path,
        })),
      ),
    disallowedPaths: () =>
      sites
        .filter((site) => site.spec.disallowPrivate)
        .flatMap((site) => privatePaths(site).map((path) => `${site.host}${path}`)),
    startPublishing() {
      clock.publishingFrom = Date.now();
      for (const site of sites) {
        const queue = [...site.spec.later];
        site.timer = setInterval(() => {
          const page = queue.shift();
          if (page) site.published.push({ page, at: Date.now() });
          else clearInterval(site.timer);
        }, site.spec.publishEveryMs);
      }
    },
    allPublished: () =>
      sites.every((site) => site.published.length === site.spec.initial.length + site.spec.later.length),
    async close() {
      ticks.stop();
      for (const site of sites) {
        clearInterval(site.timer);
        site.server.closeAllConnections();
        await new Promise((resolve) => site.server.close(resolve));
      }
    },
  };
}

const privatePaths = (site: Site) =>
  Array.from({ length: PRIVATE_PAGES }, (_, index) => `/private/members-${site.spec.index}-${index}`);

function kindOf(path: string): RequestKind {
  if (path === '/robots.txt') return 'robots';
  if (path === '/feed.xml') return 'feed';
  if (path.startsWith('/news/') || path.startsWith('/private/')) return 'page';
  return 'other';
}

function handle(
  site: Site,
  request: IncomingMessage,
  response: ServerResponse,
  log: LoggedRequest[],
  clock: { publishingFrom: number },
  stallMs: number,
) {
  const at = Date.now();
  const path = (request.url ?? '/').split('?')[0]!;
  const entry: LoggedRequest = {
    host: site.host,
    at,
    end: at,
    path,
    kind: kindOf(path),
    status: 0,
    retryAfterS: null,
    stallMs,
  };
  log.push(entry);
  response.on('close', () => {
    entry.end = Date.now();
  });
  const answer = () => {
    const { outage } = site.spec;
    const sinceStart = Date.now() - clock.publishingFrom;
    if (outage && sinceStart >= outage.fromMs && sinceStart < outage.toMs) {
      entry.status = 503;
      entry.retryAfterS = outage.retryAfterS;
      return response.writeHead(503, { 'retry-after': String(outage.retryAfterS) }).end('overloaded');
    }
    if (path === '/robots.txt') return send(site, request, response, entry, 'text/plain', robotsOf(site));
    if (path === '/feed.xml') return feed(site, request, response, entry);
    const page = site.published.find((item) => item.page.path === path);
    if (page) {
      page.page.body().then(
        (body) => send(site, request, response, entry, 'text/html', body),
        () => response.writeHead(500).end(),
      );
      return;
    }
    if (path.startsWith('/private/')) {
      return send(
        site,
        request,
        response,
        entry,
        'text/html',
        '<html><body><p>members only</p></body></html>',
      );
    }
    entry.status = 404;
    response.writeHead(404).end('not found');
  };
  if (site.spec.slowMs > 0) setTimeout(answer, site.spec.slowMs);
  else answer();
}

function robotsOf(site: Site): string {
  const lines = ['User-agent: *'];
  if (site.spec.disallowPrivate) lines.push('Disallow: /private/');
  else lines.push('Disallow:');
  if (site.spec.crawlDelayS) lines.push(`Crawl-delay: ${site.spec.crawlDelayS}`);
  return `${lines.join('\n')}\n`;
}

function send(
  site: Site,
  request: IncomingMessage,
  response: ServerResponse,
  entry: LoggedRequest,
  contentType: string,
  body: string | Uint8Array,
  headers: Record<string, string> = {},
) {
  entry.status = 200;
  const bytes = typeof body === 'string' ? Buffer.from(body) : Buffer.from(body);
  const compress = site.spec.gzip && /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
  const head = { 'content-type': contentType, ...headers };
  if (!compress) return response.writeHead(200, head).end(bytes);
  // Compressed off the event loop: the site's clock (its request log) must not stall.
  gzip(bytes).then(
    (packed) => response.writeHead(200, { ...head, 'content-encoding': 'gzip' }).end(packed),
    () => response.writeHead(500).end(),
  );
}

function feed(site: Site, request: IncomingMessage, response: ServerResponse, entry: LoggedRequest) {
  const newest = site.published.at(-1)?.at ?? Date.now();
  const etag = `"${createHash('sha1').update(`${site.host}:${site.published.length}`).digest('hex').slice(0, 16)}"`;
  const lastModified = new Date(Math.floor(newest / 1000) * 1000).toUTCString();
  const since = Date.parse(String(request.headers['if-modified-since'] ?? ''));
  const unchanged =
    request.headers['if-none-match'] !== undefined
      ? request.headers['if-none-match'] === etag
      : Number.isFinite(since) && since >= Math.floor(newest / 1000) * 1000;
  if (unchanged) {
    entry.status = 304;
    return response.writeHead(304, { etag, 'last-modified': lastModified }).end();
  }
  const contentType = site.spec.format === 'rss' ? 'application/rss+xml' : 'application/atom+xml';
  send(site, request, response, entry, contentType, feedBody(site), { etag, 'last-modified': lastModified });
}

const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

interface FeedEntry {
  id: string;
  link: string;
  title: string;
  at: number;
}

/**
 * Newest first, every page published so far, plus the quirks: the newest item listed twice,
 * a tracking-parameter variant of an older one under its own id, and the disallowed pages.
 */
function feedBody(site: Site): string {
  const entries: FeedEntry[] = site.published
    .map(({ page, at }) => ({
      id: `${site.origin}${page.path}`,
      link: `${site.origin}${page.path}`,
      title: page.title,
      at,
    }))
    .reverse();
  if (entries.length > 0) entries.splice(1, 0, { ...entries[0]! });
  const older = entries[Math.min(3, entries.length - 1)];
  if (older) {
    entries.push({
      ...older,
      id: `${older.id}#variant`,
      link: `${older.link}?utm_source=rss&utm_medium=feed`,
    });
  }
  if (site.spec.disallowPrivate) {
    for (const path of privatePaths(site)) {
      entries.push({
        id: `${site.origin}${path}`,
        link: `${site.origin}${path}`,
        title: 'Members only',
        at: entries.at(-1)?.at ?? Date.now(),
      });
    }
  }
  const name = `Site ${site.spec.index}`;
  if (site.spec.format === 'rss') {
    const ttl = site.spec.ttlMinutes ? `<ttl>${site.spec.ttlMinutes}</ttl>` : '';
    const items = entries
      .map(
        (entry) =>
          `<item><title>${escapeXml(entry.title)}</title><link>${escapeXml(entry.link)}</link><guid isPermaLink="false">${escapeXml(entry.id)}</guid><pubDate>${new Date(entry.at).toUTCString()}</pubDate></item>`,
      )
      .join('\n');
    return `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>${name}</title><link>${site.origin}/</link><description>News</description>${ttl}\n${items}\n</channel></rss>`;
  }
  const items = entries
    .map(
      (entry) =>
        `<entry><id>${escapeXml(entry.id)}</id><title>${escapeXml(entry.title)}</title><link rel="alternate" href="${escapeXml(entry.link)}"/><updated>${new Date(entry.at).toISOString()}</updated><published>${new Date(entry.at).toISOString()}</published></entry>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"><title>${name}</title><id>${site.origin}/</id><link href="${site.origin}/"/><updated>${new Date(entries[0]?.at ?? Date.now()).toISOString()}</updated>\n${items}\n</feed>`;
}
