import { ALL_QUEUES } from '@sluice/contracts';
import { FeedStore } from '@sluice/feeds';
import type { RouteModule } from './index';

const RECENT_FAILURES = 5;

/**
 * GET /status: what `sluice status` prints. Queue counts, feeds by state, how many documents
 * the index holds, and the latest failures with their reasons.
 */
export const statusRoutes: RouteModule = (app, { db, queues }) => {
  app.get('/status', async () => {
    const queueCounts = Object.fromEntries(
      await Promise.all(
        ALL_QUEUES.map(async (name) => [
          name,
          await queues[name].getJobCounts(
            'waiting',
            'active',
            'delayed',
            'prioritized',
            'completed',
            'failed',
          ),
        ]),
      ),
    );
    const feeds = await new FeedStore(db).listFeeds();
    const feedStates: Record<string, number> = {};
    for (const feed of feeds) feedStates[feed.status] = (feedStates[feed.status] ?? 0) + 1;
    const failing = feeds.filter((feed) => feed.consecutiveFailures > 0).length;
    const { rows } = await db.query<{ count: string }>('SELECT count(*)::text AS count FROM documents');
    const failed = (
      await Promise.all(ALL_QUEUES.map((name) => queues[name].getFailed(0, RECENT_FAILURES - 1)))
    )
      .flat()
      .filter((job) => job?.finishedOn)
      .sort((a, b) => (b.finishedOn ?? 0) - (a.finishedOn ?? 0))
      .slice(0, RECENT_FAILURES)
      .map((job) => ({
        queue: job.queueName,
        id: job.id,
        at: new Date(job.finishedOn ?? 0).toISOString(),
        reason: job.failedReason,
      }));
    return {
      documents: Number(rows[0]?.count ?? 0),
      queues: queueCounts,
      feeds: { total: feeds.length, byStatus: feedStates, failing },
      recentFailures: failed,
    };
  });
};
