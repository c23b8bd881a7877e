import { documentIdForContent, enqueueFetch } from '@sluice/contracts';
import { createLogger } from '@sluice/logger';
import { startRedis, type TestServer } from '@sluice/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentStatusFromQueues } from './document-status';
import { renderJobMetrics } from './job-metrics';
import { createRuntime, type Runtime } from './runtime';
import { defineWorker, type ServiceDefinition, startService } from './service';

/** Runs handlers on real BullMQ and Redis to check retries, permanence and payload checks. */
describe('startService on real Redis', () => {
  let redis: TestServer;
  let runtime: Runtime;
  const attempts = new Map<string, number>();

  beforeAll(async () => {
    redis = await startRedis();
    runtime = await createRuntime({
      name: 'runtime-test',
      redisUrl: redis.url,
      db: null,
      logger: createLogger({ name: 'runtime-test', level: 'silent', pretty: false }),
      environment: {},
    });
    await runtime.redis.flushall();
  });
  afterAll(async () => {
    await runtime?.close();
    await redis?.stop();
  });

  const service: ServiceDefinition = {
    name: 'test',
    needsDatabase: false,
    workers: [
      defineWorker({
        queue: 'fetch',
        concurrency: 4,
        handlers: {
          'fetch-document': async (job) => {
            const kind = job.data.source ?? '';
            attempts.set(kind, (attempts.get(kind) ?? 0) + 1);
            if (kind === 'permanent') throw Object.assign(new Error('bad page'), { permanent: true });
            if (kind === 'flaky' && (attempts.get(kind) ?? 0) < 2) throw new Error('connection reset');
            if (kind === 'outage' && (attempts.get(kind) ?? 0) <= 3) {
              throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
            }
            if (kind === 'slow') await new Promise((resolve) => setTimeout(resolve, 20_000));
            return { ok: true };
          },
        },
      }),
    ],
  };

  const waitForState = async (id: string, states: string[], tries = 200) => {
    for (let i = 0; i < tries; i++) {
      const job = await runtime.queues.fetch.getJob(id);
      if (job && states.includes(await job.getState())) return job;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`job ${id} never reached ${states.join('/')}`);
  };

  it('refuses to start a worker whose queue has a job without a handler', async () => {
    const broken = {
      name: 'broken',
      needsDatabase: false,
      workers: [{ queue: 'feeds', concurrency: 1, handlers: { 'poll-feed': async () => null } }],
    } as unknown as ServiceDefinition;
    await expect(startService(runtime, broken)).rejects.toThrow(/poll-sitemap/);
  });

  it('retries transient errors, fails permanent ones at once, and rejects bad payloads', async () => {
    const started = await startService(runtime, service);
    const enqueue = (source: string) => {
      const documentId = documentIdForContent(source);
      return enqueueFetch(
        runtime.queues,
        { documentId, url: 'https://a.example/', source, enqueuedAt: new Date().toISOString() },
        { backoff: { type: 'fixed', delay: 10 } },
      ).then(() => documentId);
    };
    const flaky = await enqueue('flaky');
    const permanent = await enqueue('permanent');
    const badId = documentIdForContent('bad payload');
    await runtime.queues.fetch.add(
      'fetch-document',
      { documentId: badId, url: 42 },
      { jobId: badId, attempts: 5 },
    );

    expect((await waitForState(flaky, ['completed'])).attemptsMade).toBe(2);
    const failed = await waitForState(permanent, ['failed']);
    expect(failed.failedReason).toBe('bad page');
    expect(failed.attemptsMade).toBe(1);
    const invalid = await waitForState(badId, ['failed']);
    expect(invalid.failedReason).toMatch(/invalid fetch-document payload: url/);
    expect(invalid.attemptsMade).toBe(1);

    const status = await documentStatusFromQueues(runtime.queues, permanent);
    expect(status).toMatchObject({ status: 'failed', failedReason: 'bad page', queue: 'fetch' });
    expect((await documentStatusFromQueues(runtime.queues, flaky)).status).toBe('fetched');
    const metrics = await renderJobMetrics(runtime.redis, runtime.queues);
    expect(metrics).toContain('sluice_jobs_total{queue="fetch",outcome="completed"} 1');
    expect(metrics).toContain('sluice_jobs_total{queue="fetch",outcome="failed"} 2');
    await started.stop(1_000);
  });

  it('waits through dependency faults without spending attempts, however many there are', async () => {
    const started = await startService(runtime, service);
    const documentId = documentIdForContent('outage');
    await enqueueFetch(
      runtime.queues,
      { documentId, url: 'https://a.example/', source: 'outage', enqueuedAt: new Date().toISOString() },
      { attempts: 2, backoff: { type: 'fixed', delay: 10 } },
    );
    const done = await waitForState(documentId, ['completed', 'failed'], 400);
    expect(await done.getState()).toBe('completed');
    expect(attempts.get('outage')).toBe(4);
    // Only the try that completed counts.
    expect(done.attemptsMade).toBe(1);
    await started.stop(1_000);
  }, 30_000);

  it('hands a job that outlives the shutdown budget back to waiting at once, no attempt spent', async () => {
    const started = await startService(runtime, service);
    const documentId = documentIdForContent('slow');
    await enqueueFetch(runtime.queues, {
      documentId,
      url: 'https://a.example/',
      source: 'slow',
      enqueuedAt: new Date().toISOString(),
    });
    await waitForState(documentId, ['active']);
    const stopping = Date.now();
    await started.stop(2_000);
    expect(Date.now() - stopping).toBeLessThan(2_500);
    const job = await runtime.queues.fetch.getJob(documentId);
    expect(await job?.getState()).toBe('waiting');
    expect(job?.attemptsMade).toBe(0);
    await runtime.queues.fetch.remove(documentId);
  }, 30_000);
});
