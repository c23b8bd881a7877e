import { JOBS, type QueueMap, REDIS_PREFIX } from '@sluice/contracts';
import type { Cluster, Redis } from 'ioredis';
import type { FeedStore } from './feed-store';

export const feedSchedulerId = (feedId: string) => `feed:${feedId}`;
export const sitemapSchedulerId = (sitemapId: string) => `sitemap:${sitemapId}`;

// Poll jobs retry on their own schedule (the feed's back-off), never through BullMQ attempts.
const POLL_JOB_OPTIONS = {
  attempts: 1,
  removeOnComplete: { age: 3600, count: 5000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 20_000 },
};

const queueOf = (queues: QueueMap) => queues[JOBS['poll-feed'].queue];

/**
 * A stable offset within the interval for each scheduler, so feeds added together (an OPML
 * import, a restart) do not all fall due on the same instant of every interval.
 */
export function scheduleOffset(id: string, intervalMs: number): number {
  let hash = 2166136261;
  for (let index = 0; index < id.length; index++) hash = Math.imul(hash ^ id.charCodeAt(index), 16777619);
  return (hash >>> 0) % intervalMs;
}

/** Creates or moves a feed's job scheduler to poll every `intervalMs`. */
export async function upsertFeedSchedule(
  queues: QueueMap,
  feedId: string,
  intervalMs: number,
): Promise<void> {
  const data = JOBS['poll-feed'].schema.parse({ feedId, force: false });
  await queueOf(queues).upsertJobScheduler(
    feedSchedulerId(feedId),
    { every: intervalMs, offset: scheduleOffset(feedId, intervalMs) },
    { name: 'poll-feed', data, opts: POLL_JOB_OPTIONS },
  );
}

export async function upsertSitemapSchedule(queues: QueueMap, sitemapId: string, intervalMs: number) {
  const data = JOBS['poll-sitemap'].schema.parse({ sitemapId, force: false });
  await queues[JOBS['poll-sitemap'].queue].upsertJobScheduler(
    sitemapSchedulerId(sitemapId),
    { every: intervalMs, offset: scheduleOffset(sitemapId, intervalMs) },
    { name: 'poll-sitemap', data, opts: POLL_JOB_OPTIONS },
  );
}

export async function removeFeedSchedule(queues: QueueMap, feedId: string): Promise<void> {
  await queueOf(queues).removeJobScheduler(feedSchedulerId(feedId));
}

export async function removeSitemapSchedule(queues: QueueMap, sitemapId: string): Promise<void> {
  await queues[JOBS['poll-sitemap'].queue].removeJobScheduler(sitemapSchedulerId(sitemapId));
}

/** A poll now, outside the schedule (`POST /feeds/:id/refresh`, a new subscription). */
export async function enqueueFeedPoll(queues: QueueMap, feedId: string, force = true): Promise<void> {
  const data = JOBS['poll-feed'].schema.parse({ feedId, force });
  await queueOf(queues).add('poll-feed', data, POLL_JOB_OPTIONS);
}

export async function enqueueSitemapPoll(queues: QueueMap, sitemapId: string, force = true): Promise<void> {
  const data = JOBS['poll-sitemap'].schema.parse({ sitemapId, force });
  await queues[JOBS['poll-sitemap'].queue].add('poll-sitemap', data, POLL_JOB_OPTIONS);
}

/**
 * Makes the job schedulers match the database: one per active feed and sitemap at its stored
 * interval, none for paused, disabled or deleted ones. Idempotent.
 */
export async function reconcileSchedules(store: FeedStore, queues: QueueMap) {
  const queue = queueOf(queues);
  const existing = new Map(
    (await queue.getJobSchedulers(0, -1)).map((scheduler) => [scheduler.key, scheduler.every ?? null]),
  );
  const wanted = new Map<string, { kind: 'feed' | 'sitemap'; id: string; every: number }>();
  for (const feed of await store.listFeeds('active')) {
    wanted.set(feedSchedulerId(feed.id), { kind: 'feed', id: feed.id, every: feed.intervalMs });
  }
  for (const sitemap of await store.listSitemaps('active')) {
    wanted.set(sitemapSchedulerId(sitemap.id), {
      kind: 'sitemap',
      id: sitemap.id,
      every: sitemap.intervalMs,
    });
  }
  let upserted = 0;
  let removed = 0;
  for (const [key, target] of wanted) {
    if (existing.get(key) === target.every) continue;
    if (target.kind === 'feed') await upsertFeedSchedule(queues, target.id, target.every);
    else await upsertSitemapSchedule(queues, target.id, target.every);
    upserted++;
  }
  for (const key of existing.keys()) {
    if (wanted.has(key) || !/^(feed|sitemap):/.test(key)) continue;
    await queue.removeJobScheduler(key);
    removed++;
  }
  return { feeds: wanted.size, upserted, removed };
}

const LEADER_KEY = `${REDIS_PREFIX}:feeds:schedule-leader`;

/**
 * Runs `reconcileSchedules` in one process only: whoever takes the Redis lock reconciles, the
 * others return `{ leader: false }`. This is the only place schedules are upserted at boot.
 */
export async function reconcileSchedulesAsLeader(
  store: FeedStore,
  queues: QueueMap,
  redis: Redis | Cluster,
  leaseMs = 60_000,
) {
  const token = `${process.pid}:${Math.random().toString(36).slice(2)}`;
  const taken = await redis.set(LEADER_KEY, token, 'PX', leaseMs, 'NX');
  if (taken !== 'OK') return { leader: false as const };
  try {
    return { leader: true as const, ...(await reconcileSchedules(store, queues)) };
  } finally {
    // Release only our own lease.
    await redis.eval(
      "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end",
      1,
      LEADER_KEY,
      token,
    );
  }
}
