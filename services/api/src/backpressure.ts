import { PIPELINE_ORDER, type QueueMap, type QueueName } from '@sluice/contracts';
import type { FastifyReply } from 'fastify';

/** Jobs of a stage not yet taken by a worker. */
const BACKLOG_STATES = ['wait', 'delayed', 'prioritized', 'waiting-children'] as const;

export interface Backlog {
  queue: QueueName;
  waiting: number;
  limit: number;
}

/**
 * Whether the pipeline can take more submissions: null while every stage's backlog is within
 * `limit`, else the first stage over it. Counts are cached for `cacheMs` so a burst of
 * submissions costs Redis one round of counts, not one per request. A limit of 0 turns it off.
 */
export function backlogGuard(queues: QueueMap, limit: number, cacheMs = 1_000) {
  let cached: { at: number; over: Backlog | null } | null = null;
  return async function overLimit(): Promise<Backlog | null> {
    if (limit <= 0) return null;
    if (cached && Date.now() - cached.at < cacheMs) return cached.over;
    let over: Backlog | null = null;
    for (const queue of PIPELINE_ORDER) {
      const counts = await queues[queue].getJobCounts(...BACKLOG_STATES);
      const waiting = Object.values(counts).reduce((sum, count) => sum + count, 0);
      if (waiting > limit) {
        over = { queue, waiting, limit };
        break;
      }
    }
    cached = { at: Date.now(), over };
    return over;
  };
}

/** Seconds to ask a client to wait: long enough for a stage to work off a share of its backlog. */
export const BACKLOG_RETRY_AFTER_S = 30;

/** 503 with Retry-After when a stage's backlog is over the limit; true when it answered. */
export async function refuseWhenBacklogged(
  context: { backlog?: () => Promise<Backlog | null> },
  reply: FastifyReply,
): Promise<boolean> {
  const over = await context.backlog?.();
  if (!over) return false;
  await reply
    .code(503)
    .header('retry-after', String(BACKLOG_RETRY_AFTER_S))
    .send({
      error: `the ${over.queue} stage has ${over.waiting} documents waiting (limit ${over.limit}); try again later`,
    });
  return true;
}
