import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SAMPLE_ARTICLES } from '@sluice/cli/samples';
import { documentIdForContent, enqueueFetch } from '@sluice/contracts';
import { migrateStore, openDatabase } from '@sluice/store';
import { closeQueues, createQueues, createRedisClient } from '@sluice/worker-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Servers, startServers } from '../support/stack';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const DOCUMENTS = 300;

function startWorker(service: string, servers: Servers): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', `services/${service}/src/main.ts`], {
    cwd: ROOT,
    env: {
      ...process.env,
      ...servers.redisEnvironment,
      DATABASE_URL: servers.postgres.url,
      LOG_LEVEL: 'warn',
      SLUICE_JOB_LOCK_MS: '4000',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return child;
}

const exited = (child: ChildProcess) =>
  new Promise<void>((done) =>
    child.exitCode !== null || child.signalCode !== null ? done() : child.once('exit', () => done()),
  );

describe('a worker killed with SIGKILL mid-flight loses nothing', () => {
  let servers: Servers;
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    servers = await startServers();
  }, 120_000);
  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await Promise.all(children.map(exited));
    await servers?.stop();
  });

  it(`indexes all ${DOCUMENTS} documents exactly once after workers are killed (SIGKILL) or stopped (SIGTERM) and restarted`, async () => {
    const db = await openDatabase({ url: servers.postgres.url });
    await migrateStore(db);
    const redis = createRedisClient(servers.redis.url, 'producer', 'crash-test');
    const queues = createQueues(redis);
    const ids: string[] = [];
    for (let n = 0; n < DOCUMENTS; n++) {
      const article = SAMPLE_ARTICLES[n % SAMPLE_ARTICLES.length]!;
      const text = [
        `${article.headline} (report ${n})`,
        '',
        ...article.paragraphs.map((p) => `${p} Update ${n}.`),
      ].join('\n\n');
      const id = documentIdForContent(text);
      ids.push(id);
      await enqueueFetch(queues, {
        documentId: id,
        source: article.source,
        raw: { body: text, encoding: 'utf8' },
        enqueuedAt: new Date().toISOString(),
      });
    }
    const indexed = async () =>
      Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM documents')).rows[0]?.n);

    let fetcher = startWorker('fetcher', servers);
    let extractor = startWorker('extractor', servers);
    let indexer = startWorker('indexer', servers);
    children.push(fetcher, extractor, indexer);

    const waitUntil = async (predicate: () => Promise<boolean>, timeoutMs: number) => {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (await predicate()) return true;
        await new Promise((r) => setTimeout(r, 100));
      }
      return false;
    };
    // Kill mid-flight: some documents indexed, most not.
    expect(await waitUntil(async () => (await indexed()) >= 20, 90_000)).toBe(true);
    const before = await indexed();
    extractor.kill('SIGKILL');
    indexer.kill('SIGKILL');
    // The fetcher gets a polite SIGTERM instead: it stops taking jobs, finishes its active ones and exits 0.
    fetcher.kill('SIGTERM');
    await Promise.all([exited(extractor), exited(indexer), exited(fetcher)]);
    expect(fetcher.exitCode).toBe(0);
    expect(before).toBeLessThan(DOCUMENTS);
    fetcher = startWorker('fetcher', servers);
    children.push(fetcher);

    extractor = startWorker('extractor', servers);
    indexer = startWorker('indexer', servers);
    children.push(extractor, indexer);
    expect(await waitUntil(async () => (await indexed()) >= DOCUMENTS, 150_000)).toBe(true);

    const { rows } = await db.query<{ id: string }>('SELECT id FROM documents');
    expect(rows).toHaveLength(DOCUMENTS);
    expect(new Set(rows.map((row) => row.id))).toEqual(new Set(ids));
    const failed = await Promise.all([
      queues.fetch.getFailedCount(),
      queues.extract.getFailedCount(),
      queues.index.getFailedCount(),
    ]);
    expect(failed).toEqual([0, 0, 0]);
    await closeQueues(queues);
    redis.disconnect();
    await db.close();
  }, 300_000);
});
