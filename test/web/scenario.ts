/**
 * The simulated-web scenario: sites on loopback, Sluice started as a user starts it, feeds from
 * an OPML file, pages published while it runs. Returns what was measured; the caller asserts.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { gunzip as gunzipCallback } from 'node:zlib';
import { documentIdForUrl } from '@sluice/contracts';
import { startPostgres, startRedis } from '@sluice/testkit';
import { createQueues } from '@sluice/worker-runtime';
import { Redis } from 'ioredis';
import pg from 'pg';
import {
  concurrencyViolations,
  type PolitenessRules,
  rateViolations,
  refetchViolations,
  retryAfterViolations,
  robotsViolations,
} from './politeness';
import { type Counts, countSegments, f1Of, type Gold, percentile } from './scoring';
import { hostOf, type LoggedRequest, type SitePage, type SiteSpec, startSimWeb } from './sim-web';
import { repoRoot, sluiceExtract, startSluice } from './sluice-process';

export const DATASET_DIR = resolve(repoRoot, '../shared/datasets/trafilatura-eval');

export interface ScenarioSize {
  name: 'full' | 'reduced';
  sites: number;
  /** Dataset pages served, at most. */
  pages: number;
  /** Share of each site's pages published while Sluice runs. */
  liveShare: number;
  publishEveryMs: number;
  /** After the last publication, how long every fetchable page has to be indexed. */
  deadlineMs: number;
  outage: { site: number; fromMs: number; toMs: number; retryAfterS: number };
  crawlDelays: Record<number, number>;
  slow: Record<number, number>;
  ttlSite: number | null;
  disallowSites: number[];
}

export const FULL: ScenarioSize = {
  name: 'full',
  sites: 20,
  pages: 990,
  liveShare: 0.3,
  publishEveryMs: 4_000,
  deadlineMs: 240_000,
  outage: { site: 4, fromMs: 20_000, toMs: 45_000, retryAfterS: 5 },
  crawlDelays: { 1: 2, 6: 1 },
  slow: { 2: 700, 9: 1_200 },
  ttlSite: 8,
  disallowSites: [0, 5, 10, 15],
};

export const REDUCED: ScenarioSize = {
  name: 'reduced',
  sites: 6,
  pages: 42,
  liveShare: 0.3,
  publishEveryMs: 3_000,
  deadlineMs: 60_000,
  outage: { site: 4, fromMs: 6_000, toMs: 14_000, retryAfterS: 3 },
  crawlDelays: { 1: 1 },
  slow: { 2: 600 },
  ttlSite: null,
  disallowSites: [0, 5],
};

/** The politeness Sluice is configured with (its defaults). */
const RATE_PER_S = 1;
const BURST = 2;
const CONCURRENCY = 2;
const MIN_INTERVAL_S = 5;

interface DatasetPage extends Gold {
  url: string;
  file: string;
  gz: string;
  title?: string;
}

export interface ScenarioReport {
  size: ScenarioSize;
  pagesServed: number;
  livePages: number;
  fetchable: number;
  indexed: number;
  missing: string[];
  failedJobs: string[];
  /** From Sluice answering to the last backlog page indexed, seconds. */
  backlogSeconds: number;
  /** Published -> indexed, for pages published while Sluice ran. */
  latencyP50Ms: number;
  latencyP95Ms: number;
  /** Published -> the page requested from its site (discovery proper), same pages. */
  discoveryP50Ms: number;
  discoveryP95Ms: number;
  /** The simulated web's own event-loop delay, worst case (its request log is only as exact as this). */
  webLoopDelayMaxMs: number;
  /** Requests stamped with a stall over 50 ms, and the largest stall. */
  stalledRequests: number;
  maxStallMs: number;
  docsPerSecond: number;
  f1EndToEnd: number;
  f1Offline: number;
  identicalTexts: number;
  violations: Record<string, string[]>;
  requests: Record<string, number>;
  logFile: string;
}

export function datasetAvailable(): boolean {
  return existsSync(join(DATASET_DIR, 'evaldata.json'));
}

function loadDataset(limit: number): DatasetPage[] {
  const evaldata = JSON.parse(readFileSync(join(DATASET_DIR, 'evaldata.json'), 'utf8')) as Record<
    string,
    { file: string; with: string[]; without: string[]; title?: string }
  >;
  return Object.entries(evaldata)
    .sort(([a], [b]) => a.localeCompare(b))
    .slice(0, limit)
    .map(([url, entry]) => ({ url, ...entry, gz: join(DATASET_DIR, 'html', `${entry.file}.gz`) }));
}

const gunzip = promisify(gunzipCallback);

const slugOf = (file: string) => file.replace(/\.html?$/, '').replace(/[^\w.-]+/g, '-');

function siteSpecs(size: ScenarioSize, pages: DatasetPage[]): SiteSpec[] {
  return Array.from({ length: size.sites }, (_, index) => {
    const own = pages.filter((_, position) => position % size.sites === index);
    const sitePages: SitePage[] = own.map((page) => ({
      path: `/news/${slugOf(page.file)}`,
      title: page.title || slugOf(page.file),
      body: async () => gunzip(await readFile(page.gz)),
    }));
    const liveCount = Math.round(sitePages.length * size.liveShare);
    return {
      index,
      format: index % 2 === 0 ? 'rss' : 'atom',
      slowMs: size.slow[index] ?? 0,
      gzip: index % 3 === 0,
      crawlDelayS: size.crawlDelays[index] ?? 0,
      disallowPrivate: size.disallowSites.includes(index),
      ttlMinutes: size.ttlSite === index ? 1 : null,
      outage:
        size.outage.site === index
          ? { fromMs: size.outage.fromMs, toMs: size.outage.toMs, retryAfterS: size.outage.retryAfterS }
          : null,
      initial: sitePages.slice(0, sitePages.length - liveCount),
      later: sitePages.slice(sitePages.length - liveCount),
      publishEveryMs: size.publishEveryMs,
    } satisfies SiteSpec;
  });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

const opml = (urls: string[]) =>
  `<?xml version="1.0"?><opml version="2.0"><head><title>sim web</title></head><body>${urls
    .map((url, index) => `<outline type="rss" text="Site ${index}" xmlUrl="${url}"/>`)
    .join('')}</body></opml>`;

export async function runScenario(
  size: ScenarioSize,
  say: (line: string) => void = () => {},
): Promise<ScenarioReport> {
  const dataset = loadDataset(size.pages);
  const specs = siteSpecs(size, dataset);
  const goldByPath = new Map(dataset.map((page) => [`/news/${slugOf(page.file)}`, page]));
  const work = mkdtempSync(join(tmpdir(), 'sluice-sim-web-'));
  const [redisServer, postgresServer] = await Promise.all([startRedis(), startPostgres()]);
  const web = await startSimWeb(specs);
  // Offline first: `sluice extract` on the same bytes at the same URLs. A page it refuses (the
  // document's own fault) is not expected in the index.
  const pages = web.allPages();
  const offline = await sluiceExtract(
    pages.map((page) => ({
      id: documentIdForUrl(page.url),
      url: page.url,
      file: goldByPath.get(page.path)!.gz,
    })),
  );
  const offlineById = new Map(pages.map((page, index) => [documentIdForUrl(page.url), offline[index]!]));
  const fetchableIds = new Set([...offlineById].filter(([, result]) => !result.error).map(([id]) => id));
  const db = new pg.Client({ connectionString: postgresServer.url });
  await db.connect();
  const logFile = join(work, 'sluice.log');
  writeFileSync(join(work, 'feeds.opml'), opml(web.feedUrls));
  say(
    `simulated web: ${specs.length} sites on ${hostOf(0)}-${hostOf(specs.length - 1)}:${web.port}, ${dataset.length} pages (${fetchableIds.size} extractable offline)`,
  );
  const sluice = await startSluice(
    {
      REDIS_URL: redisServer.url,
      DATABASE_URL: postgresServer.url,
      HOST: '127.0.0.1',
      PORT: String(await freePort()),
      SLUICE_DATA_DIR: join(work, 'data'),
      SLUICE_FEEDS_OPML: join(work, 'feeds.opml'),
      FETCH_ALLOW_PRIVATE: web.hosts.join(','),
      FETCH_ALLOWED_PORTS: String(web.port),
      SLUICE_FEED_MIN_INTERVAL_S: String(MIN_INTERVAL_S),
      SLUICE_HOST_RATE_PER_S: String(RATE_PER_S),
      SLUICE_HOST_BURST: String(BURST),
      SLUICE_HOST_CONCURRENCY: String(CONCURRENCY),
      LOG_LEVEL: 'info',
    },
    logFile,
  );
  const upAt = Date.now();
  say(`sluice start answered after ${((upAt - web.startedAt) / 1000).toFixed(1)} s; publishing begins`);
  web.startPublishing();
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();

  const indexedAt = new Map<string, number>();
  const texts = new Map<string, string>();
  const expectedIds = () =>
    web
      .publications()
      .filter((publication) => publication.path.startsWith('/news/'))
      .map((publication) => documentIdForUrl(publication.url))
      .filter((id) => fetchableIds.has(id));
  let deadline = Number.POSITIVE_INFINITY;
  let lastReport = Date.now();
  for (;;) {
    const ids = expectedIds().filter((id) => !indexedAt.has(id));
    if (ids.length > 0) {
      // Ids and times only while the sites serve: parsing texts here would stall their clocks.
      const { rows } = await db
        .query<{ id: string; at: number }>(
          'SELECT id, extract(epoch from indexed_at) * 1000 AS at FROM documents WHERE id = ANY($1)',
          [ids],
        )
        .catch(() => ({ rows: [] as { id: string; at: number }[] }));
      for (const row of rows) indexedAt.set(row.id, Number(row.at));
    }
    const allPublished = web.allPublished();
    if (allPublished && deadline === Number.POSITIVE_INFINITY) deadline = Date.now() + size.deadlineMs;
    if (allPublished && expectedIds().every((id) => indexedAt.has(id))) break;
    if (Date.now() > deadline) break;
    if (Date.now() - lastReport > 15_000) {
      lastReport = Date.now();
      say(
        `  ${indexedAt.size}/${expectedIds().length} published pages indexed, ${web.log.length} requests served`,
      );
    }
    await new Promise((done) => setTimeout(done, 500));
  }
  loopDelay.disable();

  const failedJobs: string[] = [];
  const redis = new Redis(redisServer.url, { maxRetriesPerRequest: null });
  const queues = createQueues(redis);
  for (const [name, queue] of Object.entries(queues)) {
    for (const job of await queue.getFailed())
      failedJobs.push(`${name} ${job.name} ${job.id}: ${job.failedReason}`);
  }
  await Promise.all(Object.values(queues).map((queue) => queue.close()));
  redis.disconnect();
  await sluice.stop();
  const { rows: indexedTexts } = await db.query<{ id: string; text: string }>(
    'SELECT id, text FROM documents WHERE id = ANY($1)',
    [[...indexedAt.keys()]],
  );
  for (const row of indexedTexts) texts.set(row.id, row.text);
  await db.end();

  const publications = web.publications().filter((publication) => publication.path.startsWith('/news/'));
  const firstFetch = new Map<string, number>();
  for (const entry of web.log) {
    const key = `${entry.host}${entry.path}`;
    if (entry.kind === 'page' && entry.status === 200 && !firstFetch.has(key)) firstFetch.set(key, entry.at);
  }
  const endToEnd: Counts = { tp: 0, fp: 0, fn: 0 };
  const offlineCounts: Counts = { tp: 0, fp: 0, fn: 0 };
  let identicalTexts = 0;
  const latencies: number[] = [];
  const discoveries: number[] = [];
  let backlogDone = upAt;
  const missing: string[] = [];
  for (const publication of publications) {
    const id = documentIdForUrl(publication.url);
    if (!fetchableIds.has(id)) continue;
    const result = offlineById.get(id)!;
    const gold = goldByPath.get(publication.path)!;
    const at = indexedAt.get(id);
    if (at === undefined) {
      missing.push(publication.url);
      continue;
    }
    countSegments(texts.get(id) ?? '', gold, endToEnd);
    countSegments(String(result.text ?? ''), gold, offlineCounts);
    if (texts.get(id) === result.text) identicalTexts++;
    if (publication.live) {
      latencies.push(at - publication.publishedAt);
      const fetched = firstFetch.get(`${publication.host}${publication.path}`);
      if (fetched !== undefined) discoveries.push(fetched - publication.publishedAt);
    } else backlogDone = Math.max(backlogDone, at);
  }
  const fetchable = publications.filter((publication) => fetchableIds.has(documentIdForUrl(publication.url)));
  const firstRequest = Math.min(...web.log.map((entry) => entry.at));
  const lastIndexed = Math.max(...indexedAt.values());

  const rules: PolitenessRules = {
    ratePerSecond: RATE_PER_S,
    burst: BURST,
    maxConcurrent: CONCURRENCY,
    crawlDelayS: new Map(specs.map((spec) => [hostOf(spec.index), spec.crawlDelayS])),
  };
  const log: LoggedRequest[] = web.log;
  const violations = {
    concurrency: concurrencyViolations(log, CONCURRENCY),
    rate: rateViolations(log, rules),
    retryAfter: retryAfterViolations(log),
    robots: robotsViolations(log, web.disallowedPaths()),
    refetched: refetchViolations(log),
    ttl: ttlViolations(log, specs),
  };
  const requests: Record<string, number> = {};
  for (const entry of log) {
    const key = `${entry.kind} ${entry.status}`;
    requests[key] = (requests[key] ?? 0) + 1;
  }
  if (process.env.SIM_WEB_KEEP) writeFileSync(join(work, 'requests.json'), JSON.stringify(log));
  await web.close();
  await Promise.all([redisServer.stop(), postgresServer.stop()]);
  if (!process.env.SIM_WEB_KEEP) rmSync(work, { recursive: true, force: true });
  return {
    size,
    pagesServed: publications.length,
    livePages: publications.filter((publication) => publication.live).length,
    fetchable: fetchable.length,
    indexed: fetchable.length - missing.length,
    missing,
    failedJobs,
    backlogSeconds: (backlogDone - upAt) / 1000,
    latencyP50Ms: percentile(latencies, 0.5),
    latencyP95Ms: percentile(latencies, 0.95),
    discoveryP50Ms: percentile(discoveries, 0.5),
    discoveryP95Ms: percentile(discoveries, 0.95),
    webLoopDelayMaxMs: loopDelay.max / 1e6,
    stalledRequests: log.filter((entry) => entry.stallMs > 50).length,
    maxStallMs: Math.max(0, ...log.map((entry) => entry.stallMs)),
    docsPerSecond: indexedAt.size / ((lastIndexed - firstRequest) / 1000),
    f1EndToEnd: f1Of(endToEnd),
    f1Offline: f1Of(offlineCounts),
    identicalTexts,
    violations,
    requests,
    logFile: process.env.SIM_WEB_KEEP ? logFile : '(removed; set SIM_WEB_KEEP=1 to keep)',
  };
}

/** A feed with a <ttl> is not polled more often than the ttl asks (after its first poll). */
function ttlViolations(log: LoggedRequest[], specs: SiteSpec[]): string[] {
  const found: string[] = [];
  for (const spec of specs.filter((candidate) => candidate.ttlMinutes)) {
    const polls = log
      .filter((entry) => entry.host === hostOf(spec.index) && entry.kind === 'feed' && entry.status !== 503)
      .map((entry) => entry.at);
    for (let index = 1; index < polls.length; index++) {
      const gap = polls[index]! - polls[index - 1]!;
      if (gap < spec.ttlMinutes! * 60_000 - 1_000)
        found.push(
          `${hostOf(spec.index)}: feed polled ${gap} ms after the last (ttl ${spec.ttlMinutes} min)`,
        );
    }
  }
  return found;
}
