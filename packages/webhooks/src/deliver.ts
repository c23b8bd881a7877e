import type { DeliverWebhookJob } from '@sluice/contracts';
import { FetchError, postGuarded } from '@sluice/http';
import {
  type Database,
  getExportedDocument,
  getExportedStory,
  recordWebhookAttempt,
  webhookDeliveryTarget,
} from '@sluice/store';
import type { WebhookSettings } from './settings';
import { SIGNATURE_HEADER, signWebhook } from './signature';

export type DeliveryResult =
  | { outcome: 'delivered'; status: number; durationMs: number }
  | { outcome: 'skipped'; reason: string };

/**
 * One delivery attempt. The subscription and the document or story are read now, so the body
 * is the index's current state. Every attempt is logged on the delivery; a failure that another
 * attempt may cure is rethrown (the queue retries it with capped backoff), one that cannot
 * (a 4xx, a refused address) is rethrown marked permanent.
 */
export async function deliverWebhook(
  db: Database,
  job: DeliverWebhookJob,
  attempt: { number: number; of: number },
  settings: WebhookSettings,
): Promise<DeliveryResult> {
  const target = await webhookDeliveryTarget(db, job.deliveryId);
  if (!target) return { outcome: 'skipped', reason: 'the subscription was deleted' };
  if (target.status === 'delivered' || target.status === 'failed')
    return { outcome: 'skipped', reason: `already ${target.status}` };
  const data = job.event.startsWith('document.')
    ? await getExportedDocument(db, job.subjectId)
    : await getExportedStory(db, job.subjectId);
  if (!data) {
    const error = `${job.event.split('.')[0]} ${job.subjectId} is no longer in the index`;
    await recordWebhookAttempt(db, job.deliveryId, {
      outcome: 'failed',
      responseStatus: null,
      error,
      durationMs: 0,
    });
    return { outcome: 'skipped', reason: error };
  }
  const body = JSON.stringify({ id: job.deliveryId, event: job.event, occurredAt: job.occurredAt, data });
  const headers = {
    'content-type': 'application/json',
    [SIGNATURE_HEADER]: signWebhook(target.secret, body),
    'Sluice-Event': job.event,
    'Sluice-Delivery': job.deliveryId,
  };
  try {
    const result = await postGuarded(target.url, body, headers, {
      timeoutMs: settings.timeoutMs,
      allowPrivateHosts: settings.allowPrivateHosts,
      allowedPorts: settings.allowedPorts,
    });
    await recordWebhookAttempt(db, job.deliveryId, {
      outcome: 'delivered',
      responseStatus: result.status,
      error: null,
      durationMs: result.durationMs,
    });
    return { outcome: 'delivered', status: result.status, durationMs: result.durationMs };
  } catch (error) {
    const failure =
      error instanceof FetchError
        ? error
        : new FetchError('internal', (error as Error).message, { permanent: false, cause: error });
    const final = failure.permanent || attempt.number >= attempt.of;
    await recordWebhookAttempt(db, job.deliveryId, {
      outcome: final ? 'failed' : 'retrying',
      responseStatus: failure.status ?? null,
      error: failure.message,
      durationMs: (error as { durationMs?: number }).durationMs ?? 0,
    });
    throw failure;
  }
}
