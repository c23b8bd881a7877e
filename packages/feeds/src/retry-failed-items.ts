import { PIPELINE_ORDER, type QueueMap, redriveDocument } from '@sluice/contracts';
import type { Redis } from 'ioredis';
import type { FeedStore, SeenItem } from './feed-store';

/** Re-drives of one item's failed document before it is given up on. */
export const ITEM_RETRY_LIMIT = 4;
/** Wait after the first failure; each later retry waits four times longer (10 min, 40 min, 160 min...). */
export const ITEM_RETRY_BASE_MS = 10 * 60_000;

export interface ItemRetryPolicy {
  limit: number;
  baseMs: number;
}

/** Whether an item whose document failed at `failedAt` after `retries` re-drives may run again. */
export function itemRetryDue(
  failedAt: number,
  retries: number,
  now: number,
  policy: ItemRetryPolicy,
): boolean {
  return retries < policy.limit && now - failedAt >= policy.baseMs * 4 ** retries;
}

/**
 * When each document failed (its newest failure at any stage), or nothing for documents that
 * did not fail: one ZMSCORE per stage on BullMQ's failed set, which is scored by failure time.
 */
export async function failureTimes(queues: QueueMap, ids: string[]): Promise<Map<string, number>> {
  const failed = new Map<string, number>();
  if (ids.length === 0) return failed;
  for (const stage of PIPELINE_ORDER) {
    const queue = queues[stage];
    // The queue's own ioredis connection (BullMQ types it by the few commands it uses itself).
    const client = (await queue.getBackend().client) as unknown as Redis;
    const scores: (string | null)[] = await client.zmscore(queue.getBackend().keys.failed as string, ...ids);
    scores.forEach((score, index) => {
      const id = ids[index] as string;
      if (score !== null) failed.set(id, Math.max(failed.get(id) ?? 0, Number(score)));
    });
  }
  return failed;
}

/**
 * A feed's items seen before whose documents failed are re-driven on later polls, with
 * backoff, up to `limit` times; each re-drive, and the final give-up, is a feed event so
 * `sluice feeds show` tells the operator. Returns how many were queued again.
 */
export async function retryFailedItems(
  deps: { store: FeedStore; queues: QueueMap },
  feedId: string,
  seen: SeenItem[],
  options: { now?: number; policy?: ItemRetryPolicy } = {},
): Promise<number> {
  const now = options.now ?? Date.now();
  const policy = options.policy ?? { limit: ITEM_RETRY_LIMIT, baseMs: ITEM_RETRY_BASE_MS };
  const withDocument = seen.filter((item): item is SeenItem & { documentId: string } => !!item.documentId);
  const failedAt = await failureTimes(
    deps.queues,
    withDocument.map((item) => item.documentId),
  );
  const failed = withDocument.filter((item) => failedAt.has(item.documentId));
  if (failed.length === 0) return 0;
  const retries = await deps.store.itemRetries(
    feedId,
    failed.map((item) => item.key),
  );
  let requeued = 0;
  for (const item of failed) {
    const done = retries.get(item.key) ?? 0;
    if (done > policy.limit) continue; // given up on, and said so
    const event = { code: 'document-failed', url: item.url };
    if (done === policy.limit) {
      await deps.store.recordItemRetry(feedId, item.key, {
        ...event,
        kind: 'failed',
        message: `document ${item.documentId} still failed after ${policy.limit} retries; giving up`,
      });
      continue;
    }
    if (!itemRetryDue(failedAt.get(item.documentId) as number, done, now, policy)) continue;
    const run = await redriveDocument(deps.queues, item.documentId);
    if (run.outcome !== 'requeued') continue;
    await deps.store.recordItemRetry(feedId, item.key, {
      ...event,
      kind: 'retried',
      message: `document ${item.documentId} failed; retry ${done + 1} of ${policy.limit} from the ${run.stage} stage`,
    });
    requeued++;
  }
  return requeued;
}
