import { DEFAULT_JOB_OPTIONS, REDIS_PREFIX } from '@sluice/contracts';
import {
  createWebhookSubscription,
  type Database,
  DocumentStore,
  migrateStore,
  openDatabase,
  planWebhookDeliveries,
} from '@sluice/store';
import { startRedis, type TestServer } from '@sluice/testkit';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebhookEmitter } from './emitter';
import type { WebhookSettings } from './settings';

const settings: WebhookSettings = {
  allowPrivateHosts: [],
  allowedPorts: [],
  timeoutMs: 1_000,
  attempts: 3,
  retryBaseMs: 100,
  retryMaxMs: 1_000,
  logDays: 30,
};

const doc = (n: number, title: string, text: string) => ({
  id: n.toString(16).padStart(32, '0'),
  url: `https://emit.example/${n}`,
  title,
  text,
  lang: 'en',
  authors: [],
  entities: [],
  quotes: [],
  keywords: [],
  fetchedAt: '2026-11-21T08:00:00Z',
  extractedAt: '2026-11-21T08:00:00Z',
});

describe('WebhookEmitter on real Redis and (embedded) PostgreSQL', () => {
  let redisServer: TestServer;
  let connection: Redis;
  let queue: Queue;
  let db: Database;

  beforeAll(async () => {
    redisServer = await startRedis();
    connection = new Redis(redisServer.url, { maxRetriesPerRequest: null });
    connection.on('error', () => {});
    queue = new Queue('webhooks', {
      connection,
      prefix: `${REDIS_PREFIX}emitter-test`,
      defaultJobOptions: DEFAULT_JOB_OPTIONS,
    });
    queue.on('error', () => {});
    db = await openDatabase({ dataDir: 'memory://' });
    await migrateStore(db);
    await new DocumentStore(db).indexDocuments([
      doc(1, 'Harbour walls repaired', 'The harbour walls were repaired after the storm.'),
      doc(2, 'Election turnout record', 'Turnout in the election reached a record.'),
    ]);
  }, 120_000);

  afterAll(async () => {
    await queue?.obliterate({ force: true }).catch(() => {});
    await queue?.close();
    connection?.disconnect();
    await db?.close();
    await redisServer?.stop();
  });

  it('writes nothing while nobody listens, then plans and queues one job per matching subscription', async () => {
    const emitter = new WebhookEmitter(db, queue, settings, 0);
    const events = [
      { event: 'document.indexed' as const, subjectId: doc(1, '', '').id },
      { event: 'document.indexed' as const, subjectId: doc(2, '', '').id },
    ];
    expect(await emitter.emit(events)).toEqual([]);
    const all = await createWebhookSubscription(db, {
      url: 'https://hooks.example/all',
      events: ['document.indexed'],
    });
    const harbour = await createWebhookSubscription(db, {
      url: 'https://hooks.example/harbour',
      events: ['document.indexed', 'story.created'],
      filter: { q: 'harbour' },
    });
    const planned = await emitter.emit(events);
    expect(
      planned
        .map(
          (entry) => `${entry.subscriptionId === all.subscription.id ? 'all' : 'harbour'}:${entry.subjectId}`,
        )
        .sort(),
    ).toEqual(
      [
        `all:${events[0]!.subjectId}`,
        `all:${events[1]!.subjectId}`,
        `harbour:${events[0]!.subjectId}`,
      ].sort(),
    );
    for (const entry of planned) {
      const job = await queue.getJob(entry.deliveryId);
      expect(job?.name).toBe('deliver-webhook');
      expect(job?.data).toEqual(entry);
      expect(job?.opts.attempts).toBe(settings.attempts);
      expect(job?.opts.backoff).toEqual({ type: 'capped-exponential', delay: settings.retryBaseMs });
    }
    expect(harbour.subscription.filter).toEqual({ q: 'harbour' });
  });

  it('queues again deliveries left pending (Redis was away), once each', async () => {
    const emitter = new WebhookEmitter(db, queue, settings, 0);
    // Planned but never queued: as when Redis failed between the two steps.
    const stranded = await planWebhookDeliveries(db, [
      { event: 'document.indexed', subjectId: doc(2, '', '').id },
    ]);
    expect(stranded.length).toBeGreaterThan(0);
    for (const entry of stranded) expect(await queue.getJob(entry.deliveryId)).toBeUndefined();
    const before = await queue.count();
    expect(await emitter.requeueStale(60_000)).toBe(0); // not stale yet
    const requeued = await emitter.requeueStale(0);
    expect(requeued).toBeGreaterThanOrEqual(stranded.length);
    for (const entry of stranded) expect((await queue.getJob(entry.deliveryId))?.data).toEqual(entry);
    await emitter.requeueStale(0);
    // Still pending (no worker here), queued again: the same job ids, so no new jobs.
    expect(await queue.count()).toBe(before + stranded.length);
  });

  it('forgets finished deliveries older than the log keeps, and never pending ones', async () => {
    const emitter = new WebhookEmitter(db, queue, settings, 0);
    const { rows } = await db.query<{ id: string; status: string }>(
      'SELECT id, status FROM webhook_deliveries',
    );
    expect(rows.length).toBeGreaterThan(2);
    const [old, recent, pending] = rows.map((row) => row.id);
    await db.query(
      `UPDATE webhook_deliveries SET status = 'delivered', created_at = now() - interval '31 days' WHERE id = $1`,
      [old],
    );
    await db.query(
      `UPDATE webhook_deliveries SET status = 'failed', created_at = now() - interval '29 days' WHERE id = $1`,
      [recent],
    );
    await db.query(
      `UPDATE webhook_deliveries SET status = 'pending', created_at = now() - interval '40 days' WHERE id = $1`,
      [pending],
    );
    expect(await emitter.pruneLog()).toBe(1);
    const left = (await db.query<{ id: string }>('SELECT id FROM webhook_deliveries')).rows.map(
      (row) => row.id,
    );
    expect(left).not.toContain(old);
    expect(left).toContain(recent);
    expect(left).toContain(pending);
  });
});
