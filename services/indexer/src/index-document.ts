import type { IndexJob } from '@sluice/contracts';
import { type Database, DocumentStore } from '@sluice/store';
import type { JobContext } from '@sluice/worker-runtime';
import type { Job } from 'bullmq';
import { IndexBatcher } from './index-batcher';
import { emitWebhookEvents } from './webhooks';

/** One batcher per database: the index jobs this process runs at once share its transactions. */
const batchers = new WeakMap<Database, IndexBatcher>();

function batcherFor(db: Database): IndexBatcher {
  let batcher = batchers.get(db);
  if (!batcher) {
    const store = new DocumentStore(db);
    batcher = new IndexBatcher((docs) => store.indexDocuments(docs));
    batchers.set(db, batcher);
  }
  return batcher;
}

/**
 * The index stage: an idempotent upsert with de-duplication and story assignment in
 * PostgreSQL, written in small batches with the other index jobs running at the same moment.
 */
export async function indexDocument(job: Job<IndexJob>, context: JobContext) {
  if (!context.db) throw new Error('the indexer needs a database');
  const outcome = await batcherFor(context.db).index(job.data.document);
  await emitWebhookEvents(context, outcome);
  context.log.info({ action: outcome.action, storyId: outcome.storyId ?? null }, 'indexed');
  return { ...outcome, title: job.data.document.title ?? null };
}
