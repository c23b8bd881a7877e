import { z } from 'zod';

/** What a webhook subscription can be told about. */
export const WEBHOOK_EVENTS = ['document.indexed', 'story.created', 'story.updated'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/**
 * A delivery job carries ids only: the worker loads the document or story, so the body is the
 * index's state at delivery time and Redis holds a few bytes per delivery.
 */
export const DeliverWebhookJobSchema = z.object({
  /** The delivery log row, and the job id: one job per delivery however often it is enqueued. */
  deliveryId: z.string().regex(/^[0-9a-f]{32}$/, 'delivery id must be 32 hex digits'),
  subscriptionId: z.string().regex(/^[0-9a-f]{32}$/, 'subscription id must be 32 hex digits'),
  event: z.enum(WEBHOOK_EVENTS),
  /** The document (document.*) or story (story.*) the event is about. */
  subjectId: z.string().min(1).max(64),
  occurredAt: z.string().datetime(),
});
export type DeliverWebhookJob = z.infer<typeof DeliverWebhookJobSchema>;

/** The backoff type of delivery jobs: exponential from the job's `delay`, capped by the worker. */
export const WEBHOOK_BACKOFF_TYPE = 'capped-exponential';

/**
 * Delay before retry `attemptsMade` (1 after the first failure): base × 2^(n−1), at most `capMs`,
 * with up to 20 % jitter taken off so receivers that failed together are not hit together again.
 * A receiver's Retry-After (carried on the error) is honoured within the cap.
 */
export function cappedExponentialDelay(
  attemptsMade: number,
  baseMs: number,
  capMs: number,
  retryAfterMs?: number,
  random: () => number = Math.random,
): number {
  const exponential = Math.min(capMs, baseMs * 2 ** Math.max(attemptsMade - 1, 0));
  const jittered = Math.round(exponential * (1 - 0.2 * random()));
  return retryAfterMs !== undefined ? Math.min(capMs, Math.max(jittered, retryAfterMs)) : jittered;
}
