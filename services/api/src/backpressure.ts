import { type BacklogVerdict, isOverBacklog, type QueueMap } from '@sluice/contracts';
import type { FastifyReply } from 'fastify';

/** A document stage past its backlog limit. */
export type Backlog = BacklogVerdict;

/**
 * Whether the pipeline can take more submissions: null while every stage's backlog is within
 * `limit` (contracts' `isOverBacklog`, the same check feed polling makes), else the verdict for
 * the stage over it. Counts are cached for `cacheMs` so a burst of submissions costs Redis one
 * round of counts, not one per request. A limit of 0 turns it off.
 */
export function backlogGuard(queues: QueueMap, limit: number, cacheMs = 1_000) {
  let cached: { at: number; over: Backlog | null } | null = null;
  return async function overLimit(): Promise<Backlog | null> {
    if (limit <= 0) return null;
    if (cached && Date.now() - cached.at < cacheMs) return cached.over;
    const verdict = await isOverBacklog(queues, limit);
    cached = { at: Date.now(), over: verdict.over ? verdict : null };
    return cached.over;
  };
}

/** 503 with Retry-After when a stage's backlog is over the limit; true when it answered. */
export async function refuseWhenBacklogged(
  context: { backlog?: () => Promise<Backlog | null> },
  reply: FastifyReply,
): Promise<boolean> {
  const over = await context.backlog?.();
  if (!over) return false;
  await reply
    .code(503)
    .header('retry-after', String(over.retryAfterSeconds))
    .send({
      error: `the ${over.stage} stage has ${over.backlog} unfinished documents (limit ${over.limit}); try again later`,
    });
  return true;
}
