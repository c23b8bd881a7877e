import {
  JOBS,
  REPAIR_STORIES_EVERY_MS,
  REPAIR_STORIES_SCHEDULER,
  type RepairStoriesJob,
} from '@sluice/contracts';
import { DocumentStore } from '@sluice/store';
import type { JobContext, Runtime } from '@sluice/worker-runtime';
import type { Job } from 'bullmq';

/** `repair-stories`: the scheduled pass that merges converged stories and detaches misfits. */
export async function repairStories(job: Job<RepairStoriesJob>, context: JobContext) {
  if (!context.db) throw new Error('the indexer needs a database');
  const report = await new DocumentStore(context.db).repairStories(job.data);
  context.log.info(
    { examined: report.examined, merged: report.merged.length, detached: report.detached.length },
    'stories repaired',
  );
  return report;
}

/** One scheduler for all indexer copies: upserting the same id again only moves its schedule. */
export async function scheduleStoryRepair(runtime: Runtime) {
  await runtime.queues[JOBS['repair-stories'].queue].upsertJobScheduler(
    REPAIR_STORIES_SCHEDULER,
    { every: REPAIR_STORIES_EVERY_MS },
    { name: 'repair-stories', data: { sinceHours: 72, maxStories: 500 } },
  );
}
