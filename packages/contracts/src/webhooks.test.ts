import { describe, expect, it } from 'vitest';
import { cappedExponentialDelay, DeliverWebhookJobSchema } from './webhooks';

describe('webhook delivery contract', () => {
  it('doubles the retry delay from the base, never past the cap, jitter only shortening it', () => {
    const none = () => 0;
    expect(
      [1, 2, 3, 4, 5, 6, 12].map((n) => cappedExponentialDelay(n, 1_000, 10_000, undefined, none)),
    ).toEqual([1_000, 2_000, 4_000, 8_000, 10_000, 10_000, 10_000]);
    const most = () => 0.999;
    expect(cappedExponentialDelay(3, 1_000, 10_000, undefined, most)).toBeGreaterThanOrEqual(3_200);
    expect(cappedExponentialDelay(30, 1_000, 10_000, undefined, Math.random)).toBeLessThanOrEqual(10_000);
    // A receiver's Retry-After is honoured, within the cap.
    expect(cappedExponentialDelay(1, 1_000, 10_000, 5_000, none)).toBe(5_000);
    expect(cappedExponentialDelay(1, 1_000, 10_000, 60_000, none)).toBe(10_000);
  });

  it('carries ids only', () => {
    const job = {
      deliveryId: 'a'.repeat(32),
      subscriptionId: 'b'.repeat(32),
      event: 'story.created',
      subjectId: 'c'.repeat(32),
      occurredAt: new Date().toISOString(),
    };
    expect(DeliverWebhookJobSchema.safeParse(job).success).toBe(true);
    expect(DeliverWebhookJobSchema.safeParse({ ...job, event: 'story.deleted' }).success).toBe(false);
    expect(DeliverWebhookJobSchema.safeParse({ ...job, deliveryId: 'x' }).success).toBe(false);
  });
});
