/**
 * Queue names and the Redis key prefix. Nothing else in the repo spells a queue name.
 *
 * WARNING: renaming a queue (or the prefix) strands every job already stored under the old
 * name: workers stop seeing them and nothing moves them. Drain the old queue first.
 */

/** Braces make `{sluice}` a Redis Cluster hash tag, so all of a queue's keys land on one slot. */
export const REDIS_PREFIX = '{sluice}';

export const QueueName = {
  fetch: 'fetch',
  extract: 'extract',
  index: 'index',
  /** Feed and sitemap polling; scheduled by BullMQ job schedulers. */
  feeds: 'feeds',
  /** Webhook deliveries, enqueued by the indexer after each commit. */
  webhooks: 'webhooks',
} as const;

export type QueueName = (typeof QueueName)[keyof typeof QueueName];

export const ALL_QUEUES: readonly QueueName[] = Object.values(QueueName);

/** The stage order a document moves through; used to report a document's status. */
export const PIPELINE_ORDER: readonly QueueName[] = [QueueName.fetch, QueueName.extract, QueueName.index];
