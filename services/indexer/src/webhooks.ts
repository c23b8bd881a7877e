import { cappedExponentialDelay, type DeliverWebhookJob } from '@sluice/contracts';
import type { Database, IndexOutcome } from '@sluice/store';
import { deliverWebhook, WebhookEmitter, webhookEventsOf, webhookSettingsFromEnv } from '@sluice/webhooks';
import { defineWorker, type JobContext, type Runtime } from '@sluice/worker-runtime';
import type { Job } from 'bullmq';

/**
 * Webhooks live in the indexer: it is where changes are committed (so events leave right after
 * the commit, with no extra hop), and it already holds the database connection the delivery
 * worker needs to load bodies and write the delivery log. Deliveries are their own queue, so
 * a slow receiver never holds up indexing, and they scale with indexer copies.
 */

let settings: ReturnType<typeof webhookSettingsFromEnv> | null = null;
/** Read once; a bad WEBHOOK_* variable stops the indexer at start, named. */
export const webhookSettings = () => {
  settings ??= webhookSettingsFromEnv();
  return settings;
};

const emitters = new WeakMap<Database, WebhookEmitter>();
function emitterFor(context: Pick<Runtime, 'db' | 'queues'>): WebhookEmitter {
  const db = context.db!;
  let emitter = emitters.get(db);
  if (!emitter) {
    emitter = new WebhookEmitter(db, context.queues.webhooks, webhookSettings());
    emitters.set(db, emitter);
  }
  return emitter;
}

/**
 * After a document's batch is committed: queue the deliveries its change means. A failure here
 * is logged, not thrown: the document is indexed, and deliveries logged but not queued are
 * queued again by the sweep.
 */
export async function emitWebhookEvents(context: JobContext, outcome: IndexOutcome): Promise<void> {
  try {
    const planned = await emitterFor(context).emit(webhookEventsOf(outcome));
    if (planned.length > 0) context.log.debug({ deliveries: planned.length }, 'webhook deliveries queued');
  } catch (error) {
    context.log.warn({ err: error }, 'webhook deliveries not queued; the sweep will retry');
  }
}

const SWEEP_EVERY_MS = 30_000;
const STALE_AFTER_MS = 60_000;

const PRUNE_EVERY_SWEEPS = 120;

/**
 * Every 30 s, queues deliveries left pending for a minute (planned while Redis was away); every
 * hour, forgets finished deliveries older than WEBHOOK_LOG_DAYS.
 */
export function startWebhookSweep(runtime: Runtime): NodeJS.Timeout {
  let sweeps = 0;
  const timer = setInterval(() => {
    if (!runtime.db) return;
    if (++sweeps % PRUNE_EVERY_SWEEPS === 1)
      emitterFor(runtime)
        .pruneLog()
        .catch((error) => runtime.logger.warn({ err: error }, 'webhook log pruning failed; next time'));
    emitterFor(runtime)
      .requeueStale(STALE_AFTER_MS)
      .then((count) => {
        if (count > 0) runtime.logger.info({ count }, 'queued stale webhook deliveries again');
      })
      .catch((error) => runtime.logger.warn({ err: error }, 'webhook sweep failed; next time'));
  }, SWEEP_EVERY_MS);
  timer.unref();
  return timer;
}

async function deliver(job: Job<DeliverWebhookJob>, context: JobContext) {
  if (!context.db) throw new Error('webhook delivery needs the database');
  const result = await deliverWebhook(
    context.db,
    job.data,
    { number: job.attemptsMade + 1, of: job.opts.attempts ?? 1 },
    webhookSettings(),
  );
  context.log.info({ event: job.data.event, subscription: job.data.subscriptionId, ...result }, 'webhook');
  return result;
}

/** The `webhooks` queue: deliveries, retried with exponential backoff capped at WEBHOOK_RETRY_MAX_MS. */
export const webhookWorker = () =>
  defineWorker({
    queue: 'webhooks',
    concurrency: 16,
    handlers: { 'deliver-webhook': deliver },
    backoffStrategy: (attemptsMade, _type, error) =>
      cappedExponentialDelay(
        attemptsMade,
        webhookSettings().retryBaseMs,
        webhookSettings().retryMaxMs,
        (error as { retryAfterMs?: number } | undefined)?.retryAfterMs,
      ),
  });
