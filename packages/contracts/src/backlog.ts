import type { Queue } from 'bullmq';
import { PIPELINE_ORDER, type QueueName } from './queues';
import { BACKLOG_LIMIT } from './retention';

/** The job states that hold work not yet done, and so hold Redis memory until it is. */
const UNFINISHED_STATES = ['waiting', 'prioritized', 'delayed', 'active'] as const;

/** Jobs a stage still has to do (waiting, delayed, running...). */
export async function stageBacklog(queue: Pick<Queue, 'getJobCountByTypes'>): Promise<number> {
  return queue.getJobCountByTypes(...UNFINISHED_STATES);
}

export interface BacklogVerdict {
  over: boolean;
  /** The first document stage past its limit, or null. */
  stage: QueueName | null;
  backlog: number;
  limit: number;
  /** Seconds a producer should wait before trying again (for Retry-After). */
  retryAfterSeconds: number;
}

/**
 * Whether any document stage holds more unfinished jobs than `limit`: producers (the API,
 * feed and sitemap polling) then back off instead of letting Redis grow until it is full.
 * Each stage is checked, so a stopped indexer pushes back on submissions too.
 */
export async function isOverBacklog(
  queues: Record<QueueName, Pick<Queue, 'getJobCountByTypes'>>,
  limit: number = BACKLOG_LIMIT,
): Promise<BacklogVerdict> {
  const counts = await Promise.all(PIPELINE_ORDER.map((stage) => stageBacklog(queues[stage])));
  return backlogVerdict(
    PIPELINE_ORDER.map((stage, index) => [stage, counts[index] ?? 0]),
    limit,
  );
}

/** Pure part of `isOverBacklog`: the verdict for given per-stage counts. */
export function backlogVerdict(
  counts: readonly (readonly [QueueName, number])[],
  limit: number,
): BacklogVerdict {
  const worst = counts.reduce<readonly [QueueName | null, number]>(
    (best, entry) => (entry[1] > best[1] ? entry : best),
    [null, 0],
  );
  const over = worst[1] > limit;
  // Wait longer the further past the limit, between 5 s and 2 min.
  const retryAfterSeconds = over ? Math.min(120, Math.max(5, Math.ceil((worst[1] - limit) / 100))) : 0;
  return { over, stage: over ? worst[0] : null, backlog: worst[1], limit, retryAfterSeconds };
}
