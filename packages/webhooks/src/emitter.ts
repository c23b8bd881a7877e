import { DEFAULT_JOB_OPTIONS, JOBS, WEBHOOK_BACKOFF_TYPE } from '@sluice/contracts';
import {
  type Database,
  type PlannedDelivery,
  planWebhookDeliveries,
  pruneWebhookDeliveries,
  stalePendingDeliveries,
  subscribedWebhookEvents,
} from '@sluice/store';
import type { Queue } from 'bullmq';
import type { WebhookEventOf } from './events';
import type { WebhookSettings } from './settings';

/** How long an emitter trusts its list of subscribed events (a new subscription waits this long). */
export const SUBSCRIBED_EVENTS_TTL_MS = 5_000;

/**
 * Turns committed changes into queued deliveries. It first checks, from a list refreshed every
 * few seconds, whether anyone listens to the event at all, so indexing pays nothing while there
 * are no subscriptions; then one statement matches subscriptions and filters and logs the
 * deliveries as pending, and one Redis round trip queues them (job id = delivery id).
 */
export class WebhookEmitter {
  private subscribed: { events: Set<string>; at: number } | null = null;

  constructor(
    private readonly db: Database,
    private readonly queue: Queue,
    private readonly settings: WebhookSettings,
    private readonly ttlMs = SUBSCRIBED_EVENTS_TTL_MS,
  ) {}

  async emit(events: WebhookEventOf[]): Promise<PlannedDelivery[]> {
    if (events.length === 0) return [];
    if (!this.subscribed || Date.now() - this.subscribed.at > this.ttlMs) {
      this.subscribed = { events: await subscribedWebhookEvents(this.db), at: Date.now() };
    }
    const wanted = events.filter((event) => this.subscribed!.events.has(event.event));
    if (wanted.length === 0) return [];
    const planned = await planWebhookDeliveries(this.db, wanted);
    await this.enqueue(planned);
    return planned;
  }

  /** Queues deliveries; queueing one already queued is a no-op (same job id). */
  async enqueue(planned: PlannedDelivery[]): Promise<void> {
    if (planned.length === 0) return;
    const spec = JOBS['deliver-webhook'];
    await this.queue.addBulk(
      planned.map((delivery) => ({
        name: 'deliver-webhook',
        data: spec.schema.parse(delivery),
        opts: {
          ...DEFAULT_JOB_OPTIONS,
          jobId: delivery.deliveryId,
          attempts: this.settings.attempts,
          backoff: { type: WEBHOOK_BACKOFF_TYPE, delay: this.settings.retryBaseMs },
        },
      })),
    );
  }

  /**
   * Queues deliveries left pending longer than `olderThanMs` (Redis was down when they were
   * planned, say). Returns how many were queued again.
   */
  async requeueStale(olderThanMs: number): Promise<number> {
    const stale = await stalePendingDeliveries(this.db, olderThanMs);
    await this.enqueue(stale);
    return stale.length;
  }

  /** Forgets finished deliveries older than WEBHOOK_LOG_DAYS. Returns how many. */
  pruneLog(): Promise<number> {
    return pruneWebhookDeliveries(this.db, this.settings.logDays);
  }
}
