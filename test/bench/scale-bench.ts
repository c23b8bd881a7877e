/**
 * bench:scale — what one more copy of a stage buys. For the extractor (CPU-bound) and the
 * fetcher (fetch + clean, here on bodies given inline so no network is involved), the stage's
 * queue is filled with N jobs, then 1, 2 and 4 copies of the service (separate processes) drain
 * it; beside each run the same work is done in this process without a queue. The two halves
 * take turns (queue, in-process, queue, in-process...) so a change in machine load biases both.
 *
 *   npm run bench:scale -- [--documents 2000] [--copies 1,2,4] [--rounds 2] [--stages extractor,fetcher]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { cpus } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { cleanDocument } from '@sluice/clean';
import {
  documentIdForUrl,
  type ExtractJob,
  enqueueExtract,
  enqueueFetch,
  type FetchJob,
  type QueueMap,
  REDIS_PREFIX,
} from '@sluice/contracts';
import { extractDocument } from '@sluice/extract';
import { migrateStore, openDatabase } from '@sluice/store';
import { startPostgres, startRedis } from '@sluice/testkit';
import { closeQueues, createProducerConnection, createQueues } from '@sluice/worker-runtime';
import type { Redis } from 'ioredis';
import { type SamplePage, samplePages } from './sample-pages';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const { values } = parseArgs({
  options: {
    documents: { type: 'string', default: '2000' },
    copies: { type: 'string', default: '1,2,4' },
    rounds: { type: 'string', default: '2' },
    stages: { type: 'string', default: 'extractor,fetcher' },
  },
});
const N = Number(values.documents);
const COPIES = values.copies.split(',').map(Number);
const ROUNDS = Number(values.rounds);

interface Stage {
  service: 'extractor' | 'fetcher';
  queue: 'extract' | 'fetch';
  fill(queues: QueueMap): Promise<void>;
  /** The handler's work without the queue: one document. */
  inProcess(index: number): void;
}

function stages(pages: SamplePage[]): Stage[] {
  const now = new Date().toISOString();
  const fetchJobs: FetchJob[] = pages.map((page) => ({
    documentId: documentIdForUrl(page.url),
    url: page.url,
    source: page.source,
    raw: { body: page.html, encoding: 'utf8', contentType: 'text/html' },
    enqueuedAt: now,
  }));
  const extractJobs: ExtractJob[] = pages.map((page, index) => ({
    documentId: fetchJobs[index]!.documentId,
    url: page.url,
    finalUrl: page.url,
    source: page.source,
    cleaned: cleanDocument({ body: page.html, contentType: 'text/html', url: page.url }),
    fetchedAt: now,
    enqueuedAt: now,
  }));
  return [
    {
      service: 'extractor',
      queue: 'extract',
      fill: async (queues) => {
        for (const job of extractJobs) await enqueueExtract(queues, job);
      },
      inProcess: (index) => {
        const job = extractJobs[index]!;
        extractDocument({
          id: job.documentId,
          cleaned: job.cleaned,
          url: job.url,
          source: job.source,
          fetchedAt: now,
        });
      },
    },
    {
      service: 'fetcher',
      queue: 'fetch',
      fill: async (queues) => {
        for (const job of fetchJobs) await enqueueFetch(queues, job);
      },
      inProcess: (index) => {
        const page = pages[index]!;
        cleanDocument({ body: page.html, contentType: 'text/html', url: page.url });
      },
    },
  ];
}

function startCopy(service: string, redisUrl: string, databaseUrl: string): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', `services/${service}/src/main.ts`], {
    cwd: ROOT,
    env: { ...process.env, REDIS_URL: redisUrl, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** Queue half: N jobs waiting, then `copies` processes drain them. Times come from the jobs. */
async function queueRun(stage: Stage, copies: number, redisUrl: string, databaseUrl: string) {
  const redis = createProducerConnection(redisUrl, 'sluice-bench-scale');
  redis.on('error', () => {});
  await new Promise((ready) => redis.once('ready', ready));
  await redis.flushall();
  const queues = createQueues(redis);
  for (const queue of Object.values(queues)) queue.on('error', () => {});
  const queue = queues[stage.queue];
  // Paused until every copy is connected, so start-up (tsx compiling) never overlaps the run.
  await queue.pause();
  await stage.fill(queues);
  const workers = Array.from({ length: copies }, () => startCopy(stage.service, redisUrl, databaseUrl));
  while ((await queue.getWorkersCount()) < copies) await new Promise((r) => setTimeout(r, 100));
  await queue.resume();
  for (;;) {
    const counts = await queue.getJobCounts('completed', 'failed');
    if ((counts.completed ?? 0) + (counts.failed ?? 0) >= N) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const jobs = await queue.getJobs(['completed'], 0, N);
  // From the first job taken to the last finished: process start-up is not the stage's cost.
  const firstTaken = Math.min(...jobs.map((job) => job.processedOn ?? Number.POSITIVE_INFINITY));
  const lastFinished = Math.max(...jobs.map((job) => job.finishedOn ?? 0));
  const seconds = (lastFinished - firstTaken) / 1000;
  const cpuMsPerJob = await cpuPerJob(redis, stage.queue);
  const failed = await queue.getFailedCount();
  for (const worker of workers) worker.kill('SIGTERM');
  await Promise.all(workers.map((worker) => new Promise((r) => worker.once('exit', r))));
  await closeQueues(queues);
  redis.disconnect();
  return { perSecond: jobs.length / seconds, cpuMsPerJob, failed };
}

async function cpuPerJob(redis: Redis, queue: string): Promise<number> {
  const stat = await redis.hgetall(`${REDIS_PREFIX}:metrics:${queue}`);
  return (Number(stat.cpu_sum ?? 0) * 1000) / Math.max(1, Number(stat.completed ?? 0));
}

/** In-process half: the same documents, one after another, in this process. */
function inProcessRun(stage: Stage) {
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  for (let index = 0; index < N; index++) stage.inProcess(index);
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStarted);
  return { perSecond: N / seconds, cpuMsPerJob: (cpu.user + cpu.system) / 1000 / N };
}

const median = (numbers: number[]) => {
  const sorted = [...numbers].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};

const [redis, postgres] = await Promise.all([startRedis(), startPostgres()]);
try {
  const db = await openDatabase({ url: postgres.url });
  await migrateStore(db);
  await db.close();
  const pages = samplePages(N, 'scale');
  const wanted = new Set(values.stages.split(','));
  console.log(
    `bench:scale — ${N} documents per run, copies ${COPIES.join('/')}, ${ROUNDS} rounds, ` +
      `${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'})`,
  );
  const rows = [];
  for (const stage of stages(pages).filter((candidate) => wanted.has(candidate.service))) {
    for (let i = 0; i < 200; i++) stage.inProcess(i % N); // warm the in-process code once
    const queued = new Map<number, { perSecond: number[]; cpu: number[]; failed: number }>();
    const direct: { perSecond: number[]; cpu: number[] } = { perSecond: [], cpu: [] };
    for (let round = 0; round < ROUNDS; round++) {
      for (const copies of COPIES) {
        const a = await queueRun(stage, copies, redis.url, postgres.url);
        const b = inProcessRun(stage);
        const entry = queued.get(copies) ?? { perSecond: [], cpu: [], failed: 0 };
        entry.perSecond.push(a.perSecond);
        entry.cpu.push(a.cpuMsPerJob);
        entry.failed += a.failed;
        queued.set(copies, entry);
        direct.perSecond.push(b.perSecond);
        direct.cpu.push(b.cpuMsPerJob);
      }
    }
    const directPerSecond = median(direct.perSecond);
    const directCpu = median(direct.cpu);
    for (const [copies, entry] of queued) {
      const perSecond = median(entry.perSecond);
      const cpu = median(entry.cpu);
      rows.push({
        stage: stage.service,
        copies,
        'docs/s': perSecond.toFixed(0),
        'docs/s per copy': (perSecond / copies).toFixed(0),
        'CPU ms/job (queue)': cpu.toFixed(2),
        'in-process docs/s': directPerSecond.toFixed(0),
        'CPU ms/job (in-process)': directCpu.toFixed(2),
        'queue cost ms/hop': (cpu - directCpu).toFixed(2),
        'vs in-process': (perSecond / directPerSecond).toFixed(2),
        failed: entry.failed,
      });
    }
  }
  console.table(rows);
} finally {
  await Promise.all([redis.stop(), postgres.stop()]);
}
