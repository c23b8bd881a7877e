import { ALL_QUEUES } from '@sluice/contracts';
import type { FastifyInstance } from 'fastify';
import type { ApiContext } from '../../context';
import { DASHBOARD_PATH } from '../../dashboard';
import { perMinuteChart } from '../chart';
import { jobsPerMinute } from '../job-rate';
import { pageContext, renderPage, type WebState } from '../views';

const MINUTES = 60;
const RECENT_FAILURES = 5;

/**
 * `/web/pipeline`: each stage's queue depth, jobs done and failed per minute over the last hour
 * (the workers' BullMQ metrics), its latest failures, and links into Bull Board.
 */
export function pipelinePage(app: FastifyInstance, { queues }: ApiContext, state: WebState) {
  app.get('/web/pipeline', async (request, reply) => {
    const page = pageContext(request, state, 'Pipeline', 'pipeline');
    const stages = await Promise.all(
      ALL_QUEUES.map(async (name) => {
        const queue = queues[name];
        const [counts, completed, failed, recent] = await Promise.all([
          queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'failed', 'completed'),
          queue.getMetrics('completed', 0, MINUTES),
          queue.getMetrics('failed', 0, MINUTES),
          queue.getFailed(0, RECENT_FAILURES - 1),
        ]);
        const done = jobsPerMinute(completed, MINUTES);
        const failures = jobsPerMinute(failed, MINUTES);
        const board = `${DASHBOARD_PATH}/queue/${encodeURIComponent(name)}`;
        return {
          name,
          board,
          waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0),
          active: counts.active ?? 0,
          delayed: counts.delayed ?? 0,
          failedTotal: counts.failed ?? 0,
          doneLastHour: done.reduce((sum, count) => sum + count, 0),
          failedLastHour: failures.reduce((sum, count) => sum + count, 0),
          chart: perMinuteChart(done, `${name} jobs done`),
          recentFailures: recent.filter(Boolean).map((job) => ({
            id: job.id,
            reason: job.failedReason,
            at: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
            href: `${board}/${encodeURIComponent(String(job.id))}`,
            document: /^[0-9a-f]{32}$/.test(String(job.id)) ? `/web/documents/${job.id}` : null,
          })),
        };
      }),
    );
    // The page reloads itself every 30 s while it is visible (static/sluice.js).
    return renderPage(reply, 'pipeline', page, { stages, dashboard: DASHBOARD_PATH, refresh: 30 });
  });
}
