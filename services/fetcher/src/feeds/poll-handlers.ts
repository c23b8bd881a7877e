import { isOverBacklog, type PollFeedJob, type PollSitemapJob } from '@sluice/contracts';
import {
  pollFeedOnce,
  pollSitemapOnce,
  removeFeedSchedule,
  removeSitemapSchedule,
  upsertFeedSchedule,
} from '@sluice/feeds';
import type { JobContext } from '@sluice/worker-runtime';
import type { Job } from 'bullmq';
import { delayJob } from './delay-job';
import { feedDependencies } from './feed-dependencies';

/** A poll that failed; recorded on the feed already, failed once in the queue (no BullMQ retry). */
export class FeedPollError extends Error {
  readonly permanent = true;
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'FeedPollError';
  }
}

/** Re-schedule only when the interval moved by more than a fifth: schedulers are not churned. */
const changedEnough = (next: number, previous: number) => Math.abs(next - previous) > previous / 5;

/**
 * While a document stage is past its backlog limit, a poll waits (no attempt spent, nothing
 * fetched) instead of adding more work to a Redis that is filling up. Returns the wait in ms.
 */
async function backlogWaitMs(context: JobContext): Promise<number> {
  const limit = context.config.SLUICE_MAX_BACKLOG;
  if (limit <= 0) return 0;
  const verdict = await isOverBacklog(context.queues, limit);
  if (!verdict.over) return 0;
  context.log.info(
    { stage: verdict.stage, backlog: verdict.backlog, limit: verdict.limit },
    'backlog over its limit: poll postponed',
  );
  return verdict.retryAfterSeconds * 1_000;
}

/** `poll-feed`: polls one feed and keeps its job scheduler at the feed's current interval. */
export async function pollFeed(job: Job<PollFeedJob>, context: JobContext) {
  const deps = feedDependencies(context);
  const { feedId, force } = job.data;
  const waitMs = await backlogWaitMs(context);
  if (waitMs > 0) return await delayJob(job, context.token, waitMs);
  const outcome = await pollFeedOnce(deps, feedId, { force });
  switch (outcome.status) {
    case 'delayed':
      return await delayJob(job, context.token, outcome.delayMs);
    case 'missing':
    case 'inactive':
      await removeFeedSchedule(deps.queues, feedId);
      return outcome;
    case 'not-due':
      return outcome;
    case 'skipped':
      // robots.txt said no (SLUICE_FEED_ROBOTS): recorded on the feed; the schedule stays.
      context.log.info(outcome, 'feed poll skipped');
      return outcome;
    case 'polled':
    case 'not-modified':
      if (changedEnough(outcome.intervalMs, outcome.previousIntervalMs) || force) {
        await upsertFeedSchedule(deps.queues, feedId, outcome.intervalMs);
      }
      context.log.info(outcome, 'feed polled');
      return outcome;
    case 'failed':
      if (outcome.feedStatus === 'active') await upsertFeedSchedule(deps.queues, feedId, outcome.intervalMs);
      else await removeFeedSchedule(deps.queues, feedId);
      // A 429/503 is the host asking for time, recorded on the feed; the poll job did its part.
      if (outcome.deferred && outcome.feedStatus === 'active') {
        context.log.info(outcome, 'feed poll deferred by the host');
        return outcome;
      }
      throw new FeedPollError(
        `feed ${feedId} ${outcome.feedStatus === 'active' ? 'failed' : `is now ${outcome.feedStatus}`}: ${outcome.code}: ${outcome.message}`,
        outcome.code,
      );
  }
}

/** `poll-sitemap`: reads one sitemap (or index) and enqueues the URLs never seen before. */
export async function pollSitemap(job: Job<PollSitemapJob>, context: JobContext) {
  const deps = feedDependencies(context);
  const { sitemapId, force } = job.data;
  const waitMs = await backlogWaitMs(context);
  if (waitMs > 0) return await delayJob(job, context.token, waitMs);
  const outcome = await pollSitemapOnce(deps, sitemapId, { force });
  switch (outcome.status) {
    case 'delayed':
      return await delayJob(job, context.token, outcome.delayMs);
    case 'missing':
    case 'inactive':
      await removeSitemapSchedule(deps.queues, sitemapId);
      return outcome;
    case 'skipped':
      // robots.txt disallows the sitemap: recorded on it (GET /sitemaps/:id); the schedule stays.
      context.log.info(outcome, 'sitemap poll skipped');
      return outcome;
    case 'polled':
      context.log.info(outcome, 'sitemap polled');
      return outcome;
    case 'failed':
      throw new FeedPollError(
        `sitemap ${sitemapId} failed: ${outcome.code}: ${outcome.message}`,
        outcome.code,
      );
  }
}
