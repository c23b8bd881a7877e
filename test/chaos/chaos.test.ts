import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { type ExtractedDocument, enqueueIndex } from '@sluice/contracts';
import { slowClient } from '@sluice/testkit';
import { closeQueues, createProducerConnection, createQueues } from '@sluice/worker-runtime';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Answers, describeAnswers, submitAll } from './client';
import { type ChaosDocument, generateCorpus } from './corpus';
import { IndexProbe, MemorySampler, megabytes, sleep } from './probes';
import { ChaosPostgres, ChaosRedis, freePort } from './servers';
import { ROOT, type ServiceName, ServiceProcess } from './services';

/**
 * The fault suite: the four services as separate processes on a real Redis (append-only file,
 * fsync every second, fixed maxmemory, noeviction) and a real PostgreSQL, a generated corpus
 * streamed through the API, and one fault after another. At the end every accepted document
 * must be indexed exactly once, none failed for a dependency fault, every service up.
 */

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const SCALE = env('CHAOS_SCALE', 1);
const batch = (size: number) => Math.max(20, Math.round(size * SCALE));
const ABSENT_AT_START_S = env('CHAOS_ABSENT_S', 30);
const PG_OUTAGE_S = env('CHAOS_PG_OUTAGE_S', 30);
const OOM_HOLD_S = env('CHAOS_OOM_S', 20);
const BACKLOG_DOCUMENTS = batch(5_000);
const REDIS_MAXMEMORY = 512 * 1024 * 1024;
const SHUTDOWN_TIMEOUT_MS = 4_000;
const BACKLOG_LIMIT = 2_000;
const SLOW_PAGE_MS = 8_000;
const LOCK_MS = 30_000;

interface Figures {
  documents: number;
  faults: Record<string, string | number>;
  recoverySeconds: Record<string, number>;
  answers: Record<string, string>;
  lost: number;
  duplicated: number;
  failed: number;
  failedForDependency: number;
  peakRedisMb: number;
  backlogPeakRedisMb: number;
  shutdown: Record<string, string>;
  logLinesNotJson: number;
  stderrLines: number;
  totalSeconds: number;
}

const logDir = join(ROOT, 'test', 'chaos', '.logs');
let redis: ChaosRedis;
let postgres: ChaosPostgres;
let probe: IndexProbe;
let memory: MemorySampler;
let apiUrl: string;
let slowSite: Server;
let slowOrigin: string;
const processes: ServiceProcess[] = [];
const current = new Map<ServiceName, ServiceProcess>();
const accepted = new Map<number, string>();
const answers: Answers = new Map();
const started = Date.now();
const figures: Figures = {
  documents: 0,
  faults: {},
  recoverySeconds: {},
  answers: {},
  lost: 0,
  duplicated: 0,
  failed: 0,
  failedForDependency: 0,
  peakRedisMb: 0,
  backlogPeakRedisMb: 0,
  shutdown: {},
  logLinesNotJson: 0,
  stderrLines: 0,
  totalSeconds: 0,
};
let corpusOffset = 0;

const nextDocuments = (count: number): ChaosDocument[] => {
  const documents = generateCorpus(count, 12_000 + corpusOffset, corpusOffset);
  corpusOffset += count;
  return documents;
};
const acceptedIds = () => [...accepted.values()];
const idsOf = (documents: readonly ChaosDocument[]) =>
  documents.map((document) => accepted.get(document.n)).filter((id): id is string => Boolean(id));

async function serviceEnv(name: ServiceName): Promise<Record<string, string>> {
  const base: Record<string, string> = {
    REDIS_URL: redis.url,
    DATABASE_URL: postgres.url,
    LOG_LEVEL: 'warn',
    SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
    SLUICE_JOB_LOCK_MS: String(LOCK_MS),
    SLUICE_MAX_BACKLOG: String(BACKLOG_LIMIT),
    HOST: '127.0.0.1',
  };
  if (name === 'api') return { ...base, PORT: new URL(apiUrl).port };
  const health = { ...base, HEALTH_PORT: String(await freePort()) };
  if (name !== 'fetcher') return health;
  return {
    ...health,
    FETCH_ALLOW_PRIVATE: '127.0.0.1',
    FETCH_ALLOWED_PORTS: new URL(slowOrigin).port,
    SLUICE_HOST_RATE_PER_S: '200',
    SLUICE_HOST_BURST: '200',
    SLUICE_HOST_CONCURRENCY: '64',
  };
}

let copies = 0;
async function startService(name: ServiceName): Promise<ServiceProcess> {
  const label = `${name}-${++copies}`;
  const service = new ServiceProcess(name, label, join(logDir, `${label}.log`), await serviceEnv(name));
  processes.push(service);
  current.set(name, service);
  return service;
}

/** SIGTERM, and how the process ended: exit code and seconds it took. */
async function terminate(service: ServiceProcess): Promise<{ code: number | null; seconds: number }> {
  const sent = Date.now();
  service.signal('SIGTERM');
  const code = await service.exited();
  return { code, seconds: ((service.exitedAt ?? Date.now()) - sent) / 1_000 };
}

async function waitFor<T>(
  what: string,
  check: () => Promise<T | null | undefined | false>,
  timeoutMs: number,
) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await check().catch(() => null);
    if (value) return value;
    await sleep(200);
  }
  throw new Error(`${what}: not within ${timeoutMs} ms`);
}

async function queueCounts(): Promise<Record<string, Record<string, number>>> {
  const client = createProducerConnection(redis.url, 'chaos-probe');
  client.on('error', () => {});
  const queues = createQueues(client);
  try {
    const entries = await Promise.all(
      (['fetch', 'extract', 'index'] as const).map(async (queue) => [
        queue,
        await queues[queue].getJobCounts(
          'waiting',
          'active',
          'delayed',
          'prioritized',
          'failed',
          'completed',
        ),
      ]),
    );
    return Object.fromEntries(entries);
  } finally {
    await closeQueues(queues);
    client.disconnect();
  }
}

/** Requests the API must refuse with a short 4xx (issue 12, item 8), sent to the running process. */
const HOSTILE_REQUESTS: { method: string; path: string; body?: string; contentType?: string }[] = [
  { method: 'GET', path: '/search?q=a%00b' },
  { method: 'GET', path: '/search?q=x&from=99999-01-01' },
  {
    method: 'POST',
    path: `/documents?source=${'s'.repeat(5_000)}`,
    body: '<p>Council votes.</p>',
    contentType: 'text/html',
  },
  {
    method: 'POST',
    path: '/documents?url=not-a-url',
    body: '<p>Council votes.</p>',
    contentType: 'text/html',
  },
  { method: 'POST', path: '/documents', body: '{"text":"x","source":"nul\\u0000source"}' },
  { method: 'POST', path: '/documents', body: '{"text":"x","source":"lone \\ud800"}' },
  { method: 'POST', path: '/documents', body: '{"text": "unterminated' },
  { method: 'GET', path: '/feeds/' },
  { method: 'DELETE', path: '/feeds/' },
  { method: 'POST', path: '/feeds//refresh' },
  { method: 'GET', path: '/sitemaps/' },
  { method: 'DELETE', path: '/sitemaps/' },
  { method: 'POST', path: '/sitemaps//refresh' },
  { method: 'GET', path: `/feeds/${'x'.repeat(200)}` },
];
/** Stack frames, SQL or driver text: what an error answer must never show. */
const INTERNALS = /at .*\.(ts|js):\d+|SELECT|INSERT|ECONNREFUSED|ZodError|invalid byte sequence/;
const TRICKLING_CLIENTS = 300;
const HEADERS_TIMEOUT_S = 10;

interface OutageAnswer {
  what: string;
  status: number;
  retryAfter: string | null;
  error: string;
}
const outageAnswers: OutageAnswer[] = [];

/** What the API answers to one request while a dependency is down (status 0: no answer). */
async function answerWhileDown(
  what: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<OutageAnswer> {
  try {
    const response = await fetch(`${apiUrl}${path}`, {
      method,
      ...(body === undefined
        ? {}
        : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
      signal: AbortSignal.timeout(15_000),
    });
    return {
      what: `${what}: ${method} ${path}`,
      status: response.status,
      retryAfter: response.headers.get('retry-after'),
      error: await response.text(),
    };
  } catch (error) {
    return { what: `${what}: ${method} ${path}`, status: 0, retryAfter: null, error: String(error) };
  }
}

/** Where documents are in the pipeline: each one's job state per queue, for a failure message. */
async function whereAre(ids: string[]): Promise<string> {
  const client = createProducerConnection(redis.url, 'chaos-where');
  client.on('error', () => {});
  const queues = createQueues(client);
  try {
    const lines = await Promise.all(
      ids.map(async (id) => {
        const states = await Promise.all(
          (['fetch', 'extract', 'index'] as const).map(async (queue) => {
            const job = await queues[queue].getJob(id);
            if (!job) return `${queue}: none`;
            const state = await job.getState();
            const detail = [
              `attempts ${job.attemptsMade}`,
              job.delay ? `delay ${job.delay} ms` : '',
              job.failedReason ? `reason ${job.failedReason.slice(0, 120)}` : '',
            ]
              .filter(Boolean)
              .join(', ');
            return `${queue}: ${state} (${detail})`;
          }),
        );
        return `${id} [${states.join('; ')}]`;
      }),
    );
    return lines.join(' | ');
  } finally {
    await closeQueues(queues);
    client.disconnect();
  }
}

/** How many running jobs of a queue each process holds, by pid (from the workers' names). */
async function activeJobHolders(queue: 'fetch' | 'extract' | 'index'): Promise<Map<number, number>> {
  const client = createProducerConnection(redis.url, 'chaos-probe');
  client.on('error', () => {});
  const queues = createQueues(client);
  try {
    const jobs = await queues[queue].getJobs(['active']);
    const holders = new Map<number, number>();
    for (const job of jobs) {
      const pid = Number(/\/(\d+)$/.exec(job.processedBy ?? '')?.[1]);
      if (pid) holders.set(pid, (holders.get(pid) ?? 0) + 1);
    }
    return holders;
  } finally {
    await closeQueues(queues);
    client.disconnect();
  }
}

function article(n: number): string {
  const [document] = generateCorpus(1, 900_000 + n, 900_000 + n);
  const [headline, ...paragraphs] = (document as ChaosDocument).text.split('\n\n');
  return `<!doctype html><html lang="en"><head><title>${headline}</title></head><body><article><h1>${headline}</h1>${paragraphs.map((p) => `<p>${p}</p>`).join('')}</article></body></html>`;
}

/** Each fault builds on the state the one before left: after a failure the rest would only mislead. */
let failedStep: string | null = null;

describe('Sluice under faults: nothing lost, nothing stuck', () => {
  beforeEach((context) => {
    if (failedStep) context.skip(`skipped: the step "${failedStep}" failed`);
  });
  afterEach((context) => {
    if (context.task.result?.state === 'fail') failedStep = context.task.name;
  });

  beforeAll(async () => {
    rmSync(logDir, { recursive: true, force: true });
    mkdirSync(logDir, { recursive: true });
    // Slow pages for the fetcher's shutdown: each answers after SLOW_PAGE_MS.
    slowSite = createServer((request, response) => {
      if (!request.url?.startsWith('/slow/')) return response.writeHead(404).end();
      const n = Number(request.url.split('/')[2]);
      setTimeout(
        () => response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(article(n)),
        SLOW_PAGE_MS,
      );
    });
    await new Promise<void>((resolve) => slowSite.listen(0, '127.0.0.1', resolve));
    slowOrigin = `http://127.0.0.1:${(slowSite.address() as AddressInfo).port}`;
    redis = await ChaosRedis.reserve(REDIS_MAXMEMORY);
    postgres = await ChaosPostgres.create();
    await postgres.start();
    probe = new IndexProbe(postgres.url);
    memory = new MemorySampler(redis);
    apiUrl = `http://127.0.0.1:${await freePort()}`;
  }, 120_000);

  afterAll(async () => {
    memory?.stop();
    for (const service of processes) service.signal('SIGKILL');
    await Promise.all(processes.map((service) => service.exited()));
    await probe?.close();
    redis?.destroy();
    await postgres?.stop();
    postgres?.destroy();
    await new Promise((resolve) => slowSite?.close(resolve));
    figures.totalSeconds = Math.round((Date.now() - started) / 1_000);
    const out = join(ROOT, 'test', 'chaos', '.chaos-results.json');
    writeFileSync(out, `${JSON.stringify(figures, null, 2)}\n`);
    console.log(`chaos figures (also in ${out}):\n${JSON.stringify(figures, null, 2)}`);
  }, 60_000);

  it(`keeps every service waiting while Redis is absent for ${ABSENT_AT_START_S} s at startup`, async () => {
    const spawned = Date.now();
    for (const name of ['api', 'fetcher', 'extractor', 'indexer'] as const) await startService(name);
    const waitingLines = (service: ServiceProcess) =>
      service
        .logLines()
        .map((line) => JSON.parse(line) as { msg?: string; reason?: string })
        .filter((line) => line.msg?.startsWith('waiting for Redis'));
    // Each process is up and saying what it waits for (loading TypeScript takes a while on a busy machine).
    await waitFor(
      'every service waiting for Redis',
      async () => processes.every((service) => waitingLines(service).length > 0),
      120_000,
    );
    await sleep(Math.max(0, ABSENT_AT_START_S * 1_000 - (Date.now() - spawned)));
    for (const service of processes) {
      expect(service.alive, `${service.label} still running`).toBe(true);
      const waiting = waitingLines(service);
      expect(waiting.length, `${service.label} logs that it waits`).toBeGreaterThan(0);
      expect(waiting.every((line) => line.reason && line.reason.length > 0)).toBe(true);
    }
    figures.faults['redis absent at start (s)'] = Math.round((Date.now() - spawned) / 1_000);
    await redis.start();
    memory.start();
    const redisUp = Date.now();
    const documents = nextDocuments(batch(200));
    const submitted = submitAll(apiUrl, documents, { accepted, answers });
    const recovery = await probe.secondsUntilProgress(() => idsOf(documents), 180_000);
    figures.recoverySeconds['redis absent at start'] = Math.round((Date.now() - redisUp) / 100) / 10;
    expect(recovery).not.toBeNaN();
    await submitted;
    await probe.waitIndexed(idsOf(documents), 180_000);
  }, 600_000);

  it('loses nothing when Redis is stopped (SIGTERM) and killed (SIGKILL) mid-stream', async () => {
    const documents = nextDocuments(batch(800));
    const submitted = submitAll(apiUrl, documents, { accepted, answers, concurrency: 4 });
    for (const [signal, after] of [
      ['SIGTERM', 0.3],
      ['SIGKILL', 0.65],
    ] as const) {
      await waitFor(
        'documents accepted',
        async () => idsOf(documents).length >= documents.length * after,
        180_000,
      );
      await redis.stop(signal);
      await sleep(500);
      outageAnswers.push(
        await answerWhileDown(`redis ${signal}`, 'POST', '/documents', { text: 'Council votes.' }),
      );
      await sleep(2_500);
      await redis.start();
      figures.recoverySeconds[`redis ${signal}`] = await probe.secondsUntilProgress(acceptedIds, 120_000);
    }
    await submitted;
    await probe.waitIndexed(idsOf(documents), 480_000);
    figures.faults['redis restarts'] = 2;
  }, 600_000);

  it(`loses nothing when PostgreSQL is stopped for ${PG_OUTAGE_S} s`, async () => {
    const documents = nextDocuments(batch(600));
    const submitted = submitAll(apiUrl, documents, { accepted, answers, concurrency: 4 });
    await waitFor(
      'documents accepted',
      async () => idsOf(documents).length >= documents.length * 0.3,
      180_000,
    );
    await postgres.stop();
    await sleep(1_000);
    outageAnswers.push(await answerWhileDown('postgres', 'GET', '/search?q=council'));
    outageAnswers.push(await answerWhileDown('postgres', 'GET', '/stories'));
    await sleep(PG_OUTAGE_S * 1_000 - 1_000);
    await postgres.start();
    figures.recoverySeconds['postgres outage'] = await probe.secondsUntilProgress(acceptedIds, 120_000);
    await submitted;
    await probe.waitIndexed(idsOf(documents), 480_000);
    for (const name of ['fetcher', 'indexer', 'api'] as const) {
      expect(current.get(name)?.alive, `${name} survived the outage`).toBe(true);
    }
    figures.faults['postgres outage (s)'] = PG_OUTAGE_S;
  }, 600_000);

  it('survives PostgreSQL backends killed mid-transaction', async () => {
    const documents = nextDocuments(batch(400));
    const submitted = submitAll(apiUrl, documents, { accepted, answers, concurrency: 4 });
    let killed = 0;
    let midTransaction = 0;
    const until = Date.now() + 15_000;
    while (Date.now() < until) {
      const rows = await probe
        .query<{ state: string; killed: boolean }>(
          `SELECT state, pg_terminate_backend(pid) AS killed FROM pg_stat_activity
           WHERE application_name = 'sluice' AND pid <> pg_backend_pid()
             AND state IN ('idle in transaction', 'active')`,
        )
        .catch(() => []);
      killed += rows.filter((row) => row.killed).length;
      midTransaction += rows.filter((row) => row.killed && row.state === 'idle in transaction').length;
      await sleep(300);
    }
    await submitted;
    await probe.waitIndexed(idsOf(documents), 480_000);
    expect(killed).toBeGreaterThan(0);
    for (const name of ['fetcher', 'indexer', 'api'] as const) {
      expect(current.get(name)?.alive, `${name} survived killed backends`).toBe(true);
    }
    figures.faults['backends killed'] = killed;
    figures.faults['backends killed idle in transaction'] = midTransaction;
  }, 600_000);

  it(`loses nothing while Redis sits at maxmemory for ${OOM_HOLD_S} s`, async () => {
    const documents = nextDocuments(batch(400));
    const submitted = submitAll(apiUrl, documents, { accepted, answers, concurrency: 4 });
    await waitFor(
      'documents accepted',
      async () => idsOf(documents).length >= documents.length * 0.25,
      180_000,
    );
    const client = redis.client();
    const oomBefore = Number(/errorstat_OOM:count=(\d+)/.exec(await client.info('errorstats'))?.[1] ?? 0);
    const used = Number(/used_memory:(\d+)/.exec(await client.info('memory'))?.[1]);
    await client.config('SET', 'maxmemory', String(used + 256 * 1024));
    await sleep(OOM_HOLD_S * 1_000);
    await client.config('SET', 'maxmemory', String(REDIS_MAXMEMORY));
    const oomAfter = Number(/errorstat_OOM:count=(\d+)/.exec(await client.info('errorstats'))?.[1] ?? 0);
    client.disconnect();
    figures.recoverySeconds['redis at maxmemory'] = await probe.secondsUntilProgress(acceptedIds, 120_000);
    await submitted;
    await probe.waitIndexed(idsOf(documents), 480_000);
    expect(oomAfter - oomBefore, 'commands Redis refused for memory').toBeGreaterThan(0);
    figures.faults['OOM refusals'] = oomAfter - oomBefore;
  }, 600_000);

  it('hands a stopping fetcher’s slow jobs to the other copy at once, exit 0 in time', async () => {
    const started = await startService('fetcher');
    const earlier = processes.find(
      (service) => service.name === 'fetcher' && service !== started && service.alive,
    ) as ServiceProcess;
    await sleep(5_000); // the second copy starts
    const documents = Array.from({ length: 16 }, (_, i) => ({
      n: 800_000 + i,
      text: '',
      source: 'slow',
      url: `${slowOrigin}/slow/${i}`,
    }));
    await submitAll(apiUrl, documents, { accepted, answers });
    await waitFor(
      'slow fetches running',
      async () => ((await queueCounts()).fetch?.active ?? 0) >= 12,
      30_000,
    );
    // Either copy may have taken the slow jobs (each runs 16 at once): stop the one holding most.
    const holders = await activeJobHolders('fetch');
    const [first, other] =
      (holders.get(earlier.child.pid as number) ?? 0) >= (holders.get(started.child.pid as number) ?? 0)
        ? [earlier, started]
        : [started, earlier];
    const sent = Date.now();
    const outcome = await terminate(first);
    // The handed-back jobs run again on the other copy: nothing waiting, all running there.
    await waitFor(
      'handed-back jobs running on the other copy',
      async () => {
        const counts = (await queueCounts()).fetch;
        return counts?.waiting === 0 && (counts?.active ?? 0) >= 12;
      },
      60_000,
    );
    const takenOver = (Date.now() - sent) / 1_000;
    const released = first
      .logLines()
      .map((line) => JSON.parse(line) as { released?: number })
      .reduce((sum, line) => sum + (line.released ?? 0), 0);
    const allIndexed = await probe.waitIndexed(idsOf(documents), 60_000);
    const handover = (Date.now() - sent) / 1_000;
    figures.shutdown.fetcher = `exit ${outcome.code} after ${outcome.seconds} s, ${released} jobs handed back and running on the other copy ${takenOver.toFixed(1)} s after SIGTERM (lock ${LOCK_MS / 1_000} s), all ${documents.length} slow pages indexed after ${handover.toFixed(1)} s`;
    expect(outcome.code).toBe(0);
    expect(outcome.seconds).toBeLessThan(SHUTDOWN_TIMEOUT_MS / 1_000 + 1.5);
    expect(allIndexed).toBeGreaterThan(0);
    // Before: the handed-back jobs waited for their locks to expire.
    expect(released).toBeGreaterThan(0);
    expect(takenOver).toBeLessThan(LOCK_MS / 1_000);
    current.set('fetcher', other);
  }, 300_000);

  it('hands a stopping indexer’s blocked jobs to the other copy, exit 0 in time', async () => {
    const other = await startService('indexer');
    const first = processes.find(
      (service) => service.name === 'indexer' && service !== other && service.alive,
    ) as ServiceProcess;
    await sleep(4_000);
    // Writes to the index block behind this lock: index jobs stay running for as long as it is held.
    const blocker = await probe.query('SELECT 1').then(async () => {
      const { default: pg } = await import('pg');
      const client = new pg.Client({ connectionString: postgres.url });
      client.on('error', () => {});
      await client.connect();
      await client.query('BEGIN; LOCK TABLE documents IN SHARE MODE');
      return client;
    });
    const documents = nextDocuments(batch(100));
    await submitAll(apiUrl, documents, { accepted, answers });
    await waitFor('index jobs blocked', async () => ((await queueCounts()).index?.active ?? 0) >= 5, 60_000);
    const outcome = await terminate(first);
    await blocker.query('COMMIT');
    await blocker.end();
    await probe.waitIndexed(idsOf(documents), 120_000);
    figures.shutdown.indexer = `exit ${outcome.code} after ${outcome.seconds} s with index writes blocked`;
    expect(outcome.code).toBe(0);
    expect(outcome.seconds).toBeLessThan(SHUTDOWN_TIMEOUT_MS / 1_000 + 1.5);
    current.set('indexer', other);
  }, 300_000);

  it('stops an extractor mid-stream with exit 0 and nothing lost', async () => {
    const other = await startService('extractor');
    const first = processes.find(
      (service) => service.name === 'extractor' && service !== other && service.alive,
    ) as ServiceProcess;
    await sleep(4_000);
    const documents = nextDocuments(batch(300));
    const submitted = submitAll(apiUrl, documents, { accepted, answers });
    await waitFor('extraction running', async () => ((await queueCounts()).extract?.active ?? 0) > 0, 60_000);
    const outcome = await terminate(first);
    await submitted;
    await probe.waitIndexed(idsOf(documents), 180_000);
    figures.shutdown.extractor = `exit ${outcome.code} after ${outcome.seconds} s mid-stream`;
    expect(outcome.code).toBe(0);
    expect(outcome.seconds).toBeLessThan(SHUTDOWN_TIMEOUT_MS / 1_000 + 1.5);
    current.set('extractor', other);
  }, 300_000);

  it(`keeps Redis bounded while the indexer is stopped and ${BACKLOG_DOCUMENTS} documents arrive, then drains`, async () => {
    const indexer = current.get('indexer') as ServiceProcess;
    await terminate(indexer);
    const sampler = new MemorySampler(redis);
    sampler.start();
    const documents = nextDocuments(BACKLOG_DOCUMENTS);
    const phaseAnswers: Answers = new Map();
    await submitAll(apiUrl, documents, {
      accepted,
      answers: phaseAnswers,
      concurrency: 16,
      acceptBackoff: true,
      deadline: Date.now() + 480_000,
    });
    const counts = await queueCounts();
    const restarted = Date.now();
    await startService('indexer');
    const drain = await probe.waitIndexed(idsOf(documents), 480_000, whereAre);
    // A client told to come back later does so: the refused documents go in now.
    const refused = documents.filter((document) => !accepted.has(document.n));
    if (refused.length > 0) {
      await submitAll(apiUrl, refused, { accepted, answers: phaseAnswers, concurrency: 8 });
      await probe.waitIndexed(idsOf(refused), 300_000, whereAre);
    }
    sampler.stop();
    for (const [status, count] of phaseAnswers) answers.set(status, (answers.get(status) ?? 0) + count);
    figures.answers['indexer stopped'] = describeAnswers(phaseAnswers);
    figures.backlogPeakRedisMb = megabytes(sampler.peakBytes);
    figures.faults['index backlog at its peak'] = counts.index?.waiting ?? 0;
    figures.recoverySeconds['backlog drain'] = Math.round((Date.now() - restarted) / 100) / 10;
    figures.faults['backlog drain first pass (s)'] = drain;
    figures.faults['documents refused with 503 then re-sent'] = refused.length;
    expect(sampler.peakBytes).toBeLessThan(REDIS_MAXMEMORY);
  }, 900_000);

  it('stores text with NUL characters cleaned, and fails an unstorable index job at once with its reason', async () => {
    const hostile = [
      {
        n: 700_000,
        text: `NUL\u0000 headline\n\n${generateCorpus(1, 7, 700_000)[0]?.text}`,
        source: 'nul\u0000source',
      },
      {
        n: 700_001,
        text: `Lone \uD800 surrogate\n\n${generateCorpus(1, 8, 700_001)[0]?.text}`,
        source: 'lone',
      },
    ];
    const hostileAnswers: Answers = new Map();
    await submitAll(apiUrl, hostile, { accepted, answers: hostileAnswers });
    figures.answers.hostile = describeAnswers(hostileAnswers);
    await probe.waitIndexed(idsOf(hostile), 60_000);
    // A producer that skips the fetcher (an old job, another tool): the indexer refuses at once.
    const connection = createProducerConnection(redis.url, 'chaos-hostile');
    connection.on('error', () => {});
    const queues = createQueues(connection);
    const id = 'f'.repeat(32);
    const now = new Date().toISOString();
    const document: ExtractedDocument = {
      id,
      text: 'a\u0000b',
      authors: [],
      entities: [],
      quotes: [],
      keywords: [],
      fetchedAt: now,
      extractedAt: now,
    };
    await enqueueIndex(queues, { documentId: id, document, enqueuedAt: now });
    const failed = await waitFor(
      'hostile index job failed',
      async () => {
        const job = await queues.index.getJob(id);
        return job && (await job.getState()) === 'failed' ? job : null;
      },
      30_000,
    );
    expect(failed.attemptsMade).toBe(1);
    expect(failed.failedReason).toMatch(/NUL character/);
    await queues.index.remove(id);
    await closeQueues(queues);
    connection.disconnect();
  }, 120_000);

  it('answers hostile clients with a short 4xx, 503 while a dependency is down, and sheds trickling connections', async () => {
    const refusals = await Promise.all(
      HOSTILE_REQUESTS.map(async ({ method, path, body, contentType }) => {
        const response = await fetch(`${apiUrl}${path}`, {
          method,
          ...(body === undefined
            ? {}
            : { body, headers: { 'content-type': contentType ?? 'application/json' } }),
          signal: AbortSignal.timeout(10_000),
        });
        return {
          request: `${method} ${path.slice(0, 60)}`,
          status: response.status,
          body: await response.text(),
        };
      }),
    );
    figures.answers['hostile requests'] = refusals
      .map(({ request, status }) => `${request} → ${status}`)
      .join('; ');
    for (const { request, status, body } of refusals) {
      expect(status, request).toBeGreaterThanOrEqual(400);
      expect(status, request).toBeLessThan(500);
      const { error } = JSON.parse(body) as { error?: string };
      expect(error?.length, request).toBeLessThan(200);
      expect(error, request).not.toMatch(INTERNALS);
    }
    // Earlier steps asked while Redis or PostgreSQL was down: a 503 and a way to come back, never a 500.
    figures.answers['dependency down'] = outageAnswers
      .map(({ what, status }) => `${what} → ${status}`)
      .join('; ');
    expect(outageAnswers.length).toBe(4);
    for (const { what, status, retryAfter, error } of outageAnswers) {
      expect([what, status], error).toEqual([what, 503]);
      expect(Number(retryAfter), what).toBeGreaterThan(0);
      expect(error, what).not.toMatch(INTERNALS);
    }
    // 300 clients each sending one header byte every 5 s: all cut off by the header deadline, others served.
    const { port } = new URL(apiUrl);
    const tricklers = Array.from(
      { length: TRICKLING_CLIENTS },
      () =>
        slowClient(Number(port), 'GET /healthz HTTP/1.1\r\nHost: sluice\r\nX-Slow: ', 'a', 5_000)
          .closedAfterMs,
    );
    await sleep(2_000);
    const served = Date.now();
    const healthy = await fetch(`${apiUrl}/healthz`, { signal: AbortSignal.timeout(5_000) });
    const servedMs = Date.now() - served;
    const closedAfter = await Promise.all(tricklers);
    const slowest = Math.max(...closedAfter) / 1_000;
    figures.answers['trickling clients'] =
      `${TRICKLING_CLIENTS} cut off after at most ${slowest.toFixed(1)} s (header deadline 10 s); /healthz answered in ${servedMs} ms meanwhile`;
    expect(healthy.status).toBe(200);
    expect(slowest).toBeLessThan(HEADERS_TIMEOUT_S + 5);
    expect(current.get('api')?.alive).toBe(true);
  }, 120_000);

  it('ends with every accepted document indexed exactly once, none failed, every service up', async () => {
    const ids = acceptedIds();
    await probe.waitIndexed(ids, 120_000);
    const indexed = await probe.indexedOf(ids);
    const duplicates = await probe.query<{ n: string }>(
      'SELECT count(*) AS n FROM (SELECT id FROM documents WHERE id = ANY($1) GROUP BY id HAVING count(*) > 1) d',
      [ids],
    );
    const connection = createProducerConnection(redis.url, 'chaos-final');
    connection.on('error', () => {});
    const queues = createQueues(connection);
    const failedJobs = (
      await Promise.all((['fetch', 'extract', 'index'] as const).map((queue) => queues[queue].getFailed()))
    ).flat();
    await closeQueues(queues);
    connection.disconnect();
    const dependencyReason = /ECONN|OOM|READONLY|LOADING|Connection|terminat|timeout|stalled/i;
    figures.documents = ids.length;
    figures.lost = ids.length - indexed;
    figures.duplicated = Number(duplicates[0]?.n ?? 0);
    figures.failed = failedJobs.length;
    figures.failedForDependency = failedJobs.filter((job) =>
      dependencyReason.test(job.failedReason ?? ''),
    ).length;
    figures.answers.all = describeAnswers(answers);
    figures.peakRedisMb = megabytes(memory.peakBytes);
    const live = [...current.values()];
    figures.logLinesNotJson = processes
      .flatMap((service) => service.logLines())
      .filter((line) => {
        try {
          JSON.parse(line);
          return false;
        } catch {
          return true;
        }
      }).length;
    figures.stderrLines = processes.reduce((sum, service) => sum + service.stderrLines, 0);
    expect(figures.lost).toBe(0);
    expect(figures.duplicated).toBe(0);
    const serverErrors = [...answers].filter(([status]) => status >= 500 && status !== 503);
    expect(serverErrors, 'answers other than 503 in the 5xx range').toEqual([]);
    expect(failedJobs.map((job) => `${job.queueName} ${job.id}: ${job.failedReason}`)).toEqual([]);
    for (const service of live) expect(service.alive, `${service.label} up at the end`).toBe(true);
    expect((await fetch(`${apiUrl}/healthz`)).status).toBe(200);
    expect(figures.logLinesNotJson).toBe(0);
    expect(memory.peakBytes).toBeLessThan(REDIS_MAXMEMORY);
  }, 300_000);
});
