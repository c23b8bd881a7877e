import { documentIdForContent, enqueueFetch, queuePrefix } from '@sluice/contracts';
import { createLogger } from '@sluice/logger';
import { startRedis, type TestServer } from '@sluice/testkit';
import { Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisClient } from './redis-client';
import { createRuntime, type Runtime } from './runtime';

/** A runtime made with a smaller retention keeps fewer completed jobs and a shorter event stream. */
describe('createRuntime with a smaller retention, on real Redis', () => {
  let redis: TestServer;
  let runtime: Runtime;

  beforeAll(async () => {
    redis = await startRedis();
    runtime = await createRuntime({
      name: 'retention-test',
      redisUrl: redis.url,
      db: null,
      logger: createLogger({ name: 'retention-test', level: 'silent', pretty: false }),
      environment: {},
      retention: { completedJobs: 3, events: 20 },
    });
    await runtime.redis.flushall();
  });
  afterAll(async () => {
    await runtime?.close();
    await redis?.stop();
  });

  it('keeps at most the given completed jobs per queue and trims the events', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 60; i++) {
      const text = `retention test document ${i}`;
      await enqueueFetch(runtime.queues, {
        documentId: documentIdForContent(text),
        raw: { body: text, encoding: 'utf8' },
        enqueuedAt: new Date().toISOString(),
      });
      ids.push(documentIdForContent(text));
    }
    const added = await runtime.queues.fetch.getJob(ids[0] as string);
    expect(added?.opts.removeOnComplete).toEqual({ age: 3_600, count: 3 });
    expect(added?.opts.attempts).toBe(5); // the job's other defaults are unchanged
    const connection = createRedisClient(redis.url, 'worker', 'retention-test-worker');
    const worker = new Worker('fetch', async () => ({ ok: true }), {
      connection,
      prefix: queuePrefix('fetch'),
      concurrency: 1,
    });
    worker.on('error', () => {});
    try {
      const deadline = Date.now() + 20_000;
      while (Date.now() < deadline) {
        const counts = await runtime.queues.fetch.getJobCounts('waiting', 'active');
        if ((counts.waiting ?? 0) + (counts.active ?? 0) === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      // Kept by finish time; jobs finishing in the same millisecond tie, so only the count and
      // the oldest being gone are certain.
      expect((await runtime.queues.fetch.getJobCounts('completed')).completed).toBe(3);
      expect(await runtime.queues.fetch.getJob(ids[0] as string)).toBeUndefined();
      // BullMQ trims approximately (XADD MAXLEN ~), so allow its slack above 20, far below the 60 × 4 or so untrimmed.
      const events = await runtime.redis.xlen(`${queuePrefix('fetch')}:fetch:events`);
      expect(events).toBeLessThanOrEqual(120);
      expect(await runtime.redis.hget(`${queuePrefix('fetch')}:fetch:meta`, 'opts.maxLenEvents')).toBe('20');
    } finally {
      await worker.close();
      connection.disconnect();
    }
  });
});
