import type { IndexJob } from '@sluice/contracts';
import { DocumentStore } from '@sluice/store';
import type { JobContext } from '@sluice/worker-runtime';
import type { Job } from 'bullmq';

/** The index stage: an idempotent upsert (plus de-duplication and story assignment) in PostgreSQL. */
export async function indexDocument(job: Job<IndexJob>, context: JobContext) {
  if (!context.db) throw new Error('the indexer needs a database');
  const outcome = await new DocumentStore(context.db).indexDocument(job.data.document);
  context.log.info({ action: outcome.action, storyId: outcome.storyId ?? null }, 'indexed');
  return { ...outcome, title: job.data.document.title ?? null };
}
