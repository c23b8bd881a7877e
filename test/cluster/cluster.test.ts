import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SAMPLE_ARTICLES } from '@sluice/cli/samples';
import {
  documentIdForContent,
  documentIdForUrl,
  enqueueFetch,
  type QueueMap,
  queuePrefix,
  REDIS_PREFIX,
} from '@sluice/contracts';
import { type Database, migrateStore, openDatabase } from '@sluice/store';
import { startPostgres, type TestServer } from '@sluice/testkit';
import {
  closeQueues,
  clusterUrl,
  createQueues,
  createRedisClient,
  type RedisClient,
  waitForRedis,
} from '@sluice/worker-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from './cluster';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const DOCUMENTS = 250;
const STAGES = ['fetch', 'extract', 'index'] as const;

const started = await startTestCluster();
const skipped = 'skipped' in started ? started.skipped : null;
if (skipped) console.log(`Redis Cluster tests skipped: ${skipped}`);
const cluster = skipped ? null : (started as TestCluster);

/** A key in a queue's slot, as BullMQ names its keys (`prefix:queue:...`). */
const queueKey = (stage: (typeof STAGES)[number]) => `${queuePrefix(stage)}:${stage}:id`;

/** A news site on loopback, so the fetcher's robots.txt cache and host limits run on the cluster. */
async function startSite(): Promise<{ server: Server; origin: string }> {
  const server = createServer((request, response) => {
    if (request.url === '/robots.txt') return response.end('User-agent: *\nDisallow: /members/\n');
    const n = Number(/^\/news\/(\d+)$/.exec(request.url ?? '')?.[1] ?? Number.NaN);
    const article = SAMPLE_ARTICLES[n % SAMPLE_ARTICLES.length];
    if (!article) return response.writeHead(404).end('not found');
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    const paragraphs = article.paragraphs.map((p) => `<p>${p} Page ${n}.</p>`).join('');
    response.end(
      `<!doctype html><html lang="en"><head><title>${article.headline} (page ${n})</title></head>` +
        `<body><nav><a href="/">Home</a></nav><article><h1>${article.headline} (page ${n})</h1>${paragraphs}</article></body></html>`,
    );
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitUntil(predicate: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await predicate().catch(() => false)) return true;
    await sleep(200);
  }
  return false;
}

describe.skipIf(!cluster)('the pipeline on a 3-master, 3-replica Redis Cluster', () => {
  const theCluster = cluster as TestCluster;
  let postgres: TestServer;
  let db: Database;
  let redis: RedisClient;
  let queues: QueueMap;
  const workers: ChildProcess[] = [];
  let site: { server: Server; origin: string };
  let batch = 0;
  const logDir = mkdtempSync(join(tmpdir(), 'sluice-cluster-logs-'));
  const workerLogs = () =>
    ['fetcher', 'extractor', 'indexer']
      .map(
        (service) => `--- ${service}\n${readFileSync(join(logDir, `${service}.log`), 'utf8').slice(-2_000)}`,
      )
      .join('\n');

  beforeAll(async () => {
    postgres = await startPostgres();
    db = await openDatabase({ url: postgres.url });
    await migrateStore(db);
    redis = createRedisClient(clusterUrl(theCluster.nodes), 'producer', 'sluice-cluster-test');
    redis.on('error', () => {}); // failovers are provoked on purpose; commands are retried below
    await waitForRedis(redis, clusterUrl(theCluster.nodes), 30_000);
    queues = createQueues(redis);
    site = await startSite();
    for (const service of ['fetcher', 'extractor', 'indexer']) {
      const child = spawn(process.execPath, ['--import', 'tsx', `services/${service}/src/main.ts`], {
        cwd: ROOT,
        // The services find the cluster the way a deployment tells them: REDIS_CLUSTER_NODES.
        env: {
          ...process.env,
          REDIS_URL: '',
          REDIS_CLUSTER_NODES: theCluster.nodes,
          DATABASE_URL: postgres.url,
          LOG_LEVEL: 'warn',
          SLUICE_JOB_LOCK_MS: '4000',
          FETCH_ALLOW_PRIVATE: '127.0.0.1',
          FETCH_ALLOWED_PORTS: new URL(site.origin).port,
          SLUICE_HOST_RATE_PER_S: '50',
          SLUICE_HOST_BURST: '50',
        },
        stdio: ['ignore', openSync(join(logDir, `${service}.log`), 'a'), 'inherit'],
      });
      workers.push(child);
    }
    // One document through all three stages: the workers are up (tsx start-up is slow on a busy machine).
    const text = 'Cluster warm-up\n\nA first document proves the three workers are connected to the cluster.';
    const id = documentIdForContent(text);
    await enqueueFetch(queues, {
      documentId: id,
      raw: { body: text, encoding: 'utf8' },
      enqueuedAt: new Date().toISOString(),
    });
    if (!(await waitUntil(async () => (await indexedCount([id])) === 1, 240_000))) {
      throw new Error(`the workers indexed nothing in 240 s; their logs:\n${workerLogs()}`);
    }
  }, 400_000);

  afterAll(async () => {
    for (const child of workers) child.kill('SIGKILL');
    if (queues) await closeQueues(queues).catch(() => {});
    redis?.disconnect();
    await db?.close();
    await postgres?.stop();
    site?.server.close();
    await theCluster.stop();
  });

  const indexedCount = async (ids: string[]) =>
    Number(
      (await db.query<{ n: string }>('SELECT count(*) AS n FROM documents WHERE id = ANY($1)', [ids])).rows[0]
        ?.n,
    );

  /**
   * Streams DOCUMENTS new documents in, one every 20 ms, and runs `fault` once some are indexed
   * and the stream is still going. Enqueues refused during the fault are retried, as any
   * producer must (the API answers 503 then). Returns the ids and what it took.
   */
  async function streamThrough(fault: () => Promise<void>) {
    batch++;
    const ids: string[] = [];
    let enqueueRetries = 0;
    const streamed = (async () => {
      for (let n = 0; n < DOCUMENTS; n++) {
        const article = SAMPLE_ARTICLES[n % SAMPLE_ARTICLES.length]!;
        const text = [
          `${article.headline} (cluster batch ${batch}, report ${n})`,
          '',
          ...article.paragraphs.map((p) => `${p} Batch ${batch}, update ${n}.`),
        ].join('\n\n');
        const id = documentIdForContent(text);
        ids.push(id);
        for (;;) {
          try {
            await enqueueFetch(queues, {
              documentId: id,
              source: article.source,
              raw: { body: text, encoding: 'utf8' },
              enqueuedAt: new Date().toISOString(),
            });
            break;
          } catch {
            enqueueRetries++;
            await sleep(200);
          }
        }
        await sleep(20);
      }
    })();
    const startedAt = Date.now();
    expect(await waitUntil(async () => (await indexedCount(ids)) >= 30, 120_000), workerLogs()).toBe(true);
    const indexedBeforeFault = await indexedCount(ids);
    await fault();
    await streamed;
    const allIndexed = await waitUntil(async () => (await indexedCount(ids)) >= DOCUMENTS, 180_000);
    const seconds = (Date.now() - startedAt) / 1000;
    return { ids, allIndexed, indexedBeforeFault, enqueueRetries, seconds };
  }

  async function expectIndexedOnce(ids: string[]) {
    const { rows } = await db.query<{ id: string; n: string }>(
      'SELECT id, count(*) AS n FROM documents WHERE id = ANY($1) GROUP BY id',
      [ids],
    );
    expect(rows).toHaveLength(ids.length);
    expect(rows.every((row) => Number(row.n) === 1)).toBe(true);
    expect(new Set(rows.map((row) => row.id))).toEqual(new Set(ids));
    const failed = await Promise.all(STAGES.map((stage) => queues[stage].getFailedCount()));
    expect(failed).toEqual([0, 0, 0]);
  }

  /** Index jobs that ran to completion, all batches so far (a job re-run after a failover counts twice). */
  const indexRuns = async () => Number((await redis.hget(`${REDIS_PREFIX}:metrics:index`, 'completed')) ?? 0);

  it('serves the fetch, extract and index queues from three different masters', async () => {
    const masters = await Promise.all(STAGES.map((stage) => theCluster.masterOfKey(queueKey(stage))));
    const slots = await Promise.all(
      STAGES.map(async (stage) => Number(await theCluster.cliAny('cluster', 'keyslot', queueKey(stage)))),
    );
    console.log(
      `cluster: ${STAGES.map((stage, i) => `${stage} slot ${slots[i]} on :${masters[i]?.port}`).join(', ')}`,
    );
    expect(new Set(masters.map((master) => master.id)).size).toBe(3);
  });

  it("fetches pages by URL: the robots.txt lock and the host limits' scripts run on the cluster", async () => {
    const urls = Array.from({ length: 20 }, (_, n) => `${site.origin}/news/${n}`);
    const ids = urls.map((url) => documentIdForUrl(url));
    for (const [n, url] of urls.entries()) {
      await enqueueFetch(queues, { documentId: ids[n]!, url, enqueuedAt: new Date().toISOString() });
    }
    expect(await waitUntil(async () => (await indexedCount(ids)) >= ids.length, 120_000)).toBe(true);
    await expectIndexedOnce(ids);
    // The multi-key scripts left their state under the shared hash tag.
    const host = new URL(site.origin).host;
    expect(await redis.exists(`${REDIS_PREFIX}:robots:${site.origin}`)).toBe(1);
    expect(await redis.exists(`${REDIS_PREFIX}:host-rate:${host}`)).toBe(1);
  }, 180_000);

  it(`indexes ${DOCUMENTS} streamed documents exactly once through a CLUSTER FAILOVER of the fetch queue's master`, async () => {
    const runsBefore = await indexRuns();
    let promoted = '';
    const result = await streamThrough(async () => {
      const master = await theCluster.masterOfKey(queueKey('fetch'));
      const replica = (await theCluster.clusterNodes()).find(
        (node) => node.masterId === master.id && !node.failed,
      );
      if (!replica) throw new Error(`master :${master.port} has no live replica`);
      expect(await theCluster.cli(replica.port, 'cluster', 'failover')).toBe('OK');
      expect(
        await waitUntil(
          async () => (await theCluster.masterOfKey(queueKey('fetch'))).id === replica.id,
          30_000,
        ),
      ).toBe(true);
      promoted = `:${master.port} -> :${replica.port}`;
    });
    console.log(
      `cluster failover (${promoted}): ${DOCUMENTS} documents in ${result.seconds.toFixed(1)} s, ` +
        `${result.indexedBeforeFault} indexed before the failover, ${result.enqueueRetries} enqueues retried, ` +
        `${(await indexRuns()) - runsBefore} index jobs completed`,
    );
    expect(result.allIndexed, workerLogs()).toBe(true);
    await expectIndexedOnce(result.ids);
    // The stage's keys now live on the promoted replica: the queue kept working there.
    const master = await theCluster.masterOfKey(queueKey('fetch'));
    const slot = await theCluster.cli(master.port, 'cluster', 'keyslot', queueKey('fetch'));
    expect(Number(await theCluster.cli(master.port, 'cluster', 'countkeysinslot', slot))).toBeGreaterThan(0);
  }, 400_000);

  it(`indexes ${DOCUMENTS} streamed documents exactly once when the extract queue's master is killed (SIGKILL)`, async () => {
    const runsBefore = await indexRuns();
    let promoted = '';
    const result = await streamThrough(async () => {
      const master = await theCluster.masterOfKey(queueKey('extract'));
      const killedAt = Date.now();
      theCluster.kill(master.port);
      // The replica is elected once the others mark the master failed (cluster-node-timeout 2 s).
      expect(
        await waitUntil(
          async () => (await theCluster.masterOfKey(queueKey('extract'))).id !== master.id,
          60_000,
        ),
      ).toBe(true);
      const replacement = await theCluster.masterOfKey(queueKey('extract'));
      promoted = `:${master.port} killed, :${replacement.port} promoted after ${((Date.now() - killedAt) / 1000).toFixed(1)} s`;
    });
    console.log(
      `master killed (${promoted}): ${DOCUMENTS} documents in ${result.seconds.toFixed(1)} s, ` +
        `${result.indexedBeforeFault} indexed before the kill, ${result.enqueueRetries} enqueues retried, ` +
        `${(await indexRuns()) - runsBefore} index jobs completed`,
    );
    expect(result.allIndexed, workerLogs()).toBe(true);
    await expectIndexedOnce(result.ids);
  }, 400_000);
});
