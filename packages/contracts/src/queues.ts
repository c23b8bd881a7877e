/**
 * Queue names and the Redis key prefixes. Nothing else in the repo spells a queue name.
 *
 * WARNING: renaming a queue (or its prefix, see `queuePrefix`) strands every job already stored
 * under the old name: workers stop seeing them and nothing moves them. Drain the old queue first.
 */

/**
 * Prefix of Sluice's own shared keys (job metrics, locks, politeness, templates). The braces make
 * it a Redis Cluster hash tag: every key under it is in one slot, so scripts and MULTIs over
 * several of them are legal on a cluster. Queues do not live here: see `queuePrefix`.
 */
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

/**
 * A queue's BullMQ prefix: its own hash tag (`{sluice-fetch-jobs}`, ...), so all of one queue's
 * keys share a slot (BullMQ's scripts need that) while the stages spread over a cluster's shards.
 * The `-jobs` suffix is chosen, not decorative: it puts fetch, extract and index in different
 * thirds of the slot space (slots 9212, 337 and 14307; checked in test/cluster), so a 3-master cluster with the
 * default even split serves each stage from its own master.
 * Every queue used `{sluice}` before: jobs left under it are stranded (drain them first).
 */
export function queuePrefix(queue: QueueName): string {
  return `{sluice-${queue}-jobs}`;
}
