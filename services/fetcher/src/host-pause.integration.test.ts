import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { documentIdForUrl, enqueueFetch } from '@sluice/contracts';
import { feedSettingsFromEnv } from '@sluice/feeds';
import { createLogger } from '@sluice/logger';
import { openDatabase } from '@sluice/store';
import { startRedis, type TestServer } from '@sluice/testkit';
import {
  createRuntime,
  defineWorker,
  type Runtime,
  type StartedService,
  startService,
} from '@sluice/worker-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feedDependencies } from './feeds/index';
import { fetchDocument } from './fetch-document';

const HOST = '127.0.0.12';
/** A request already on its way when a refusal was sent arrives within this of it. */
const IN_FLIGHT_MS = 100;
let redisServer: TestServer;
let runtime: Runtime;
let service: StartedService;
let site: Server;
let origin: string;
/** Every request the site answered: when, what, and the Retry-After it sent (seconds) if it refused. */
const log: { at: number; path: string; status: number; retryAfterS: number | null }[] = [];
let refusalsLeft = 0;

beforeAll(async () => {
  site = createServer((request, response) => {
    const path = request.url ?? '/';
    if (path === '/robots.txt') {
      log.push({ at: Date.now(), path, status: 200, retryAfterS: null });
      return response.end('User-agent: *\nAllow: /\n');
    }
    if (refusalsLeft-- > 0) {
      // The first refusal says how long; the later ones do not (the fetcher backs off on its own).
      const retryAfterS = log.some((entry) => entry.status === 503) ? null : 2;
      log.push({ at: Date.now(), path, status: 503, retryAfterS });
      return response.writeHead(503, retryAfterS ? { 'retry-after': String(retryAfterS) } : {}).end();
    }
    log.push({ at: Date.now(), path, status: 200, retryAfterS: null });
    response
      .writeHead(200, { 'content-type': 'text/html' })
      .end(
        `<html><head><title>Page ${path}</title></head><body><article><p>${'Words of the story. '.repeat(40)}</p></article></body></html>`,
      );
  });
  await new Promise<void>((resolve) => site.listen(0, HOST, resolve));
  const port = (site.address() as AddressInfo).port;
  origin = `http://${HOST}:${port}`;
  redisServer = await startRedis();
  runtime = await createRuntime({
    name: 'fetcher-host-pause-test',
    redisUrl: redisServer.url,
    db: await openDatabase({ dataDir: 'memory://' }),
    logger: createLogger({ name: 'test', level: 'silent' }),
    environment: { LOG_LEVEL: 'silent' },
  });
  const settings = feedSettingsFromEnv({
    FETCH_ALLOW_PRIVATE: HOST,
    FETCH_ALLOWED_PORTS: String(port),
    SLUICE_HOST_RATE_PER_S: '20',
    SLUICE_HOST_BURST: '5',
  });
  feedDependencies(runtime, { ...settings, hostLimits: { ...settings.hostLimits, overloadBackoffMs: 200 } });
  service = await startService(runtime, {
    name: 'fetcher-host-pause-test',
    needsDatabase: true,
    workers: [
      defineWorker({ queue: 'fetch', concurrency: 8, handlers: { 'fetch-document': fetchDocument } }),
    ],
  });
}, 60_000);

afterAll(async () => {
  await service?.stop(2000);
  await runtime?.db?.close();
  await runtime?.close();
  await redisServer?.stop();
  await new Promise((resolve) => site?.close(resolve));
});

describe('page fetches from a host answering 503', () => {
  it('wait for the host (Retry-After, then a growing back-off) without spending attempts, and none fails', async () => {
    // More refusals in a row than a job has attempts: spending attempts would fail pages for good.
    refusalsLeft = 6;
    const urls = Array.from({ length: 6 }, (_, index) => `${origin}/story/${index}`);
    for (const url of urls) {
      await enqueueFetch(runtime.queues, {
        documentId: documentIdForUrl(url),
        url,
        enqueuedAt: new Date().toISOString(),
      });
    }
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && (await runtime.queues.fetch.getCompletedCount()) < urls.length) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(await runtime.queues.fetch.getFailedCount()).toBe(0);
    expect(await runtime.queues.fetch.getCompletedCount()).toBe(urls.length);
    for (const url of urls) {
      const job = await runtime.queues.fetch.getJob(documentIdForUrl(url));
      expect(job?.attemptsMade ?? 0).toBeLessThanOrEqual(1);
    }
    const refusals = log.filter((entry) => entry.status === 503);
    expect(refusals).toHaveLength(6);
    // Nothing reached the host inside a pause (requests already on their way when the refusal
    // was sent, within IN_FLIGHT_MS of it, excepted): Retry-After first, then a doubling back-off.
    const quietAfter = refusals.map((refusal) => {
      const next = log.find((entry) => entry.at > refusal.at + IN_FLIGHT_MS);
      return next ? next.at - refusal.at : Number.POSITIVE_INFINITY;
    });
    expect(quietAfter[0]!).toBeGreaterThanOrEqual(2000);
    for (const gap of quietAfter.slice(1)) expect(gap).toBeGreaterThanOrEqual(200);
    expect(Math.max(...quietAfter.slice(1).filter(Number.isFinite))).toBeGreaterThanOrEqual(1600);
    // Each page was fetched once successfully, never twice.
    const served = log.filter((entry) => entry.status === 200 && entry.path.startsWith('/story/'));
    expect(new Set(served.map((entry) => entry.path)).size).toBe(served.length);
  }, 90_000);
});
