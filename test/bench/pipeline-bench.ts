/**
 * bench:pipeline — N documents through the three workers (separate processes) on local Redis
 * and PostgreSQL, against the same clean + extract + index work done in one process without
 * queues. The ratio between the two is what the queues cost.
 *
 *   npm run bench:pipeline -- [--documents 5000]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { cleanDocument } from '@sluice/clean';
import { documentIdForUrl, enqueueFetch, REDIS_PREFIX } from '@sluice/contracts';
import { extractDocument } from '@sluice/extract';
import { DocumentStore, migrateStore, openDatabase } from '@sluice/store';
import { startPostgres, startRedis } from '@sluice/testkit';
import { closeQueues, createProducerConnection, createQueues } from '@sluice/worker-runtime';
import pg from 'pg';
import { type SamplePage, samplePages } from './sample-pages';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const { values } = parseArgs({ options: { documents: { type: 'string', default: '5000' } } });
const N = Number(values.documents);

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;

async function freshDatabase(adminUrl: string, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name}`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** The same work in one process: clean, extract, and index in batches of 50 as the indexer does. */
async function directRun(databaseUrl: string, pages: SamplePage[]) {
  const db = await openDatabase({ url: databaseUrl });
  await migrateStore(db);
  const store = new DocumentStore(db);
  const started = performance.now();
  for (let start = 0; start < pages.length; start += 50) {
    const batch = pages.slice(start, start + 50).map((page) => {
      const cleaned = cleanDocument({ body: page.html, contentType: 'text/html', url: page.url });
      return extractDocument({
        id: documentIdForUrl(page.url),
        cleaned,
        url: page.url,
        source: page.source,
        fetchedAt: new Date().toISOString(),
      });
    });
    await store.indexDocuments(batch);
  }
  const seconds = (performance.now() - started) / 1000;
  await db.close();
  return { seconds, perSecond: pages.length / seconds };
}

function startWorker(service: string, redisUrl: string, databaseUrl: string): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', `services/${service}/src/main.ts`], {
    cwd: ROOT,
    env: { ...process.env, REDIS_URL: redisUrl, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

async function pipelineRun(redisUrl: string, databaseUrl: string, pages: SamplePage[]) {
  const db = await openDatabase({ url: databaseUrl });
  await migrateStore(db);
  const workers = ['fetcher', 'extractor', 'indexer'].map((service) =>
    startWorker(service, redisUrl, databaseUrl),
  );
  const redis = createProducerConnection(redisUrl);
  const queues = createQueues(redis);
  await new Promise((r) => setTimeout(r, 3_000)); // let the workers connect before the clock starts
  const enqueuedAt = new Map<string, number>();
  const started = performance.now();
  for (const page of pages) {
    const id = documentIdForUrl(page.url);
    enqueuedAt.set(id, Date.now());
    await enqueueFetch(queues, {
      documentId: id,
      url: page.url,
      source: page.source,
      raw: { body: page.html, encoding: 'utf8', contentType: 'text/html' },
      enqueuedAt: new Date().toISOString(),
    });
  }
  for (;;) {
    const done = (await queues.index.getJobCounts('completed', 'failed')) as {
      completed: number;
      failed: number;
    };
    if (done.completed + done.failed >= pages.length) break;
    const failedEarlier = (await queues.fetch.getFailedCount()) + (await queues.extract.getFailedCount());
    if (done.completed + done.failed + failedEarlier >= pages.length) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const seconds = (performance.now() - started) / 1000;
  const latencies: number[] = [];
  for (const job of await queues.index.getJobs(['completed'], 0, pages.length)) {
    const enqueued = enqueuedAt.get(job.id as string);
    if (enqueued && job.finishedOn) latencies.push(job.finishedOn - enqueued);
  }
  latencies.sort((a, b) => a - b);
  // Per-job CPU by stage, as every worker recorded it in Redis: shows whether any stage's work
  // comes near starving BullMQ's lock renewal (30 s locks, renewed every 15 s).
  const cpuPerJobMs: Record<string, string> = {};
  for (const queue of ['fetch', 'extract', 'index']) {
    const stat = await redis.hgetall(`${REDIS_PREFIX}:metrics:${queue}`);
    cpuPerJobMs[queue] = (
      (Number(stat.cpu_sum ?? 0) * 1000) /
      Math.max(1, Number(stat.completed ?? 0))
    ).toFixed(1);
  }
  const failed =
    (await queues.fetch.getFailedCount()) +
    (await queues.extract.getFailedCount()) +
    (await queues.index.getFailedCount());
  for (const worker of workers) worker.kill('SIGTERM');
  await Promise.all(workers.map((worker) => new Promise((r) => worker.once('exit', r))));
  await closeQueues(queues);
  redis.disconnect();
  await db.close();
  return {
    seconds,
    perSecond: pages.length / seconds,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    failed,
    cpuPerJobMs,
  };
}

const [redis, postgres] = await Promise.all([startRedis(), startPostgres()]);
try {
  const pages = samplePages(N);
  console.log(
    `bench:pipeline — ${N} documents (${(pages.reduce((s, p) => s + p.html.length, 0) / N / 1024).toFixed(1)} KB HTML each)`,
  );
  const direct = await directRun(await freshDatabase(postgres.url, 'bench_direct'), pages);
  const queued = await pipelineRun(redis.url, await freshDatabase(postgres.url, 'bench_pipeline'), pages);
  console.table([
    {
      run: 'pipeline: 3 worker processes via BullMQ',
      'docs/s': queued.perSecond.toFixed(1),
      'latency p50 ms': queued.p50,
      'latency p99 ms': queued.p99,
      failed: queued.failed,
    },
    {
      run: 'one process, no queues (index batches of 50)',
      'docs/s': direct.perSecond.toFixed(1),
      'latency p50 ms': '-',
      'latency p99 ms': '-',
      failed: 0,
    },
  ]);
  console.log(`pipeline / direct throughput: ${(queued.perSecond / direct.perSecond).toFixed(2)}`);
  console.log(`mean CPU per job, ms: ${JSON.stringify(queued.cpuPerJobMs)}`);
} finally {
  await Promise.all([redis.stop(), postgres.stop()]);
}
